// Package ipblock checks the library's NetworkPolicy ipBlock decisions against Kubernetes' own
// parsing and validation. It has only tests: they read the cases the TypeScript tests also read,
// ../../../test/fixtures/ipblock-cases.json, so the two parsers are proven to agree.
package ipblock
