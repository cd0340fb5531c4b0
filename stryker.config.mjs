// Mutation testing: `npx projen mutation` (README: Tests). Mutates the security-relevant sources only
// (the guard's rules, the audit policy, address and quantity parsing, validation, the config checks) and
// fails under 90%. Incremental: a re-run tests only the mutants whose code or covering tests changed;
// the incremental file and the reports stay under .tmp/ (ignored by git).
// Tests must build their fixtures inside a test or beforeAll, not at describe level, so that per-test
// coverage can tell which tests reach a mutant.
function tests(names) {
  const setupFiles = ['<rootDir>/test/mutation-setup.ts'];
  return names ? { setupFiles, testMatch: names.split(',').map((name) => `<rootDir>/test/${name.trim()}.test.ts`) } : { setupFiles };
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  "packageManager": "npm",
  "testRunner": "jest",
  "jest": {
    "projectType": "custom",
    "configFile": "package.json",
    "enableFindRelatedTests": false,
    // MUTATION_TESTS=cidr,quantity runs only test/cidr.test.ts and test/quantity.test.ts: a quick,
    // pessimistic score (a mutant only another file kills counts as survived) while writing tests.
    "config": tests(process.env.MUTATION_TESTS),
  },
  "coverageAnalysis": "perTest",
  // Static mutants (module-level constants: regexes, lookup tables, rule metadata) are reached while
  // modules load, so each one re-runs all ~580 tests (about a minute each on 2 cores). They are left
  // out of the score; `npx projen mutation --ignoreStatic false` includes them (hours).
  "ignoreStatic": true,
  "checkers": [],
  // Only the sources get // @ts-nocheck: a test compares examples/*.ts with the README verbatim.
  "disableTypeChecks": "src/**/*.ts",
  "mutate": [
    "src/audit.ts",
    "src/cidr.ts",
    "src/egress-ranges.ts",
    "src/quantity.ts",
    "src/validate.ts",
    "src/annotations.ts",
    "src/guard/**/*.ts",
    "src/config/*.ts"
  ],
  "ignorePatterns": [
    "/lib",
    "/dist",
    "/.jsii",
    "/.tmp",
    "/coverage",
    "/test-reports",
    "/bench",
    "/tools",
    "examples/**/node_modules"
  ],
  "incremental": true,
  "incrementalFile": ".tmp/stryker-incremental.json",
  "reporters": [
    "clear-text",
    "progress-append-only",
    "html",
    "json"
  ],
  "htmlReporter": {
    "fileName": ".tmp/stryker/mutation.html"
  },
  "jsonReporter": {
    "fileName": ".tmp/stryker/mutation.json"
  },
  "thresholds": {
    "high": 95,
    "low": 90,
    "break": 90
  },
  "concurrency": 2,
  "timeoutMS": 10000,
  "tempDirName": ".stryker-tmp",
  "cleanTempDir": true
};
