package auditpolicy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// The policy the library generates for its example keeps every promise; the
// first release's policy, whose rules were all scoped to the service's
// namespaces, breaks the namespace-less ones (get secrets -A, nodes/proxy).
func TestPromise(t *testing.T) {
	generated := filepath.Join("..", "..", "..", "examples", "trading-gateway", "dist", "audit", "audit-policy.yaml")
	if findings := promiseFindings(t, generated); len(findings) != 0 {
		t.Fatalf("the generated policy breaks its promise: %v", findings)
	}
	findings := promiseFindings(t, filepath.Join("testdata", "policy-namespaced.yaml"))
	text := strings.Join(findings, "\n")
	for _, want := range []string{
		`"list" on secrets across all namespaces (no namespace) is logged at None, the promise is Metadata`,
		`"get" on nodes/proxy across all namespaces (no namespace) is logged at None, the promise is Metadata`,
		`"create" on serviceaccounts/token in namespace "unrelated-namespace" is logged at None, the promise is Request`,
		`"create" on mutatingwebhookconfigurations.admissionregistration.k8s.io across all namespaces (no namespace) is logged at None, the promise is RequestResponse`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing finding %q in:\n%s", want, text)
		}
	}
}

func promiseFindings(t *testing.T, file string) []string {
	t.Helper()
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	var out []string
	errs := manifest.EachDocument([]string{file}, func(doc manifest.Document) error {
		findings, err := CheckPromise(doc)
		for _, f := range findings {
			out = append(out, f.Message)
		}
		return err
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return out
}
