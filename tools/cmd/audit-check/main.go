// Command audit-check checks kube-apiserver audit policies
// (apiVersion audit.k8s.io/v1, kind Policy) in Kubernetes YAML files.
//
// Usage: audit-check [--json] [--allow-none] [--promise] FILE_OR_DIR...
//
// Exit codes: 0 no findings, 1 findings (or no policy found without
// --allow-none), 2 usage, read or decode error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cdk8s-secure-trading-api/tools/internal/auditpolicy"
	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type report struct {
	Checked  int                   `json:"checked"`
	Skipped  int                   `json:"skipped"`
	Errors   []string              `json:"errors,omitempty"`
	Findings []auditpolicy.Finding `json:"findings"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON report instead of text")
	allowNone := fs.Bool("allow-none", false, "do not fail when the inputs hold no audit policy")
	promise := fs.Bool("promise", false, "also check every request of the README's promise table (this project's generated policies)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: audit-check [--json] [--allow-none] [--promise] FILE_OR_DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	rep := report{Findings: []auditpolicy.Finding{}}
	rep.Errors = manifest.EachDocument(fs.Args(), func(doc manifest.Document) error {
		if !auditpolicy.IsPolicy(doc) {
			rep.Skipped++
			return nil
		}
		check := auditpolicy.Check
		if *promise {
			check = auditpolicy.CheckPromise
		}
		findings, err := check(doc)
		if err != nil {
			return err
		}
		rep.Checked++
		rep.Findings = append(rep.Findings, findings...)
		return nil
	})
	none := rep.Checked == 0 && len(rep.Errors) == 0 && !*allowNone

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(stdout, f.String())
		}
		fmt.Fprintf(stdout, "audit-check: %d policies checked, %d findings\n", rep.Checked, len(rep.Findings))
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "audit-check: error: %s\n", e)
	}
	if none {
		fmt.Fprintln(stderr, "audit-check: no audit.k8s.io/v1 Policy found in the inputs (pass --allow-none to accept that)")
	}
	switch {
	case len(rep.Errors) > 0:
		return 2
	case len(rep.Findings) > 0, none:
		return 1
	}
	return 0
}
