// Command psa-check evaluates the pod templates of Kubernetes manifests with
// the Pod Security Admission library at the "restricted" level, latest version.
//
// Usage: psa-check [--json] FILE_OR_DIR...
//
// Exit codes: 0 no violations, 1 violations found, 2 usage, read or decode error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
	"github.com/cdk8s-secure-trading-api/tools/internal/psa"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type report struct {
	Evaluated  int             `json:"evaluated"`
	Skipped    int             `json:"skipped"`
	Errors     []string        `json:"errors,omitempty"`
	Violations []psa.Violation `json:"violations"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("psa-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON report instead of text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: psa-check [--json] FILE_OR_DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	checker, err := psa.NewChecker()
	if err != nil {
		fmt.Fprintf(stderr, "psa-check: %v\n", err)
		return 2
	}
	rep := report{Violations: []psa.Violation{}}
	rep.Errors = manifest.EachDocument(fs.Args(), func(doc manifest.Document) error {
		t, ok, err := psa.Extract(doc)
		if err != nil {
			return err
		}
		if !ok {
			rep.Skipped++
			return nil
		}
		rep.Evaluated++
		rep.Violations = append(rep.Violations, checker.Check(t)...)
		return nil
	})

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		for _, v := range rep.Violations {
			fmt.Fprintln(stdout, v.String())
		}
		if rep.Skipped > 0 {
			fmt.Fprintf(stdout, "psa-check: %d documents skipped (no pod template)\n", rep.Skipped)
		}
		fmt.Fprintf(stdout, "psa-check: %d pod templates evaluated, %d violations\n", rep.Evaluated, len(rep.Violations))
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "psa-check: error: %s\n", e)
	}
	switch {
	case len(rep.Errors) > 0:
		return 2
	case len(rep.Violations) > 0:
		return 1
	}
	return 0
}
