package auditpolicy

import (
	"strings"
	"testing"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

func parse(t *testing.T, y string) manifest.Document {
	t.Helper()
	docs, err := manifest.Parse("p.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("want 1 document, got %d", len(docs))
	}
	return docs[0]
}

const header = "apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: {name: p}\nomitStages: [RequestReceived]\n"

func check(t *testing.T, rules string) []Finding {
	t.Helper()
	f, err := Check(parse(t, header+"rules:\n"+rules))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSecretRules(t *testing.T) {
	cases := []struct {
		name  string
		rules string
		want  []string // substrings, one per expected finding, in order
	}{
		{"secrets at RequestResponse", `
  - level: RequestResponse
    resources: [{group: "", resources: [secrets]}]
`, []string{`rules[0] logs "get" on secrets at level RequestResponse`}},
		{"secrets at Request", `
  - level: Request
    resources: [{group: "", resources: [configmaps, secrets]}]
`, []string{`rules[0] logs "get" on secrets at level Request`}},
		{"catch-all shadowed by a Metadata rule", `
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
  - level: RequestResponse
`, nil},
		{"catch-all shadowed only for some verbs", `
  - level: Metadata
    verbs: [get, watch]
    resources: [{group: "", resources: [secrets]}]
  - level: RequestResponse
`, []string{`rules[1] logs "list" on secrets`}},
		{"only for some names", `
  - level: None
    resources: [{group: "", resources: [secrets], resourceNames: [tls]}]
  - level: Request
    resources: [{group: ""}]
`, []string{`rules[1] logs "get" on secrets at level Request`}},
		{"only for one user", `
  - level: RequestResponse
    users: ["system:admin"]
    resources: [{group: "", resources: ["*"]}]
  - level: Metadata
`, []string{`rules[0] logs "get" on secrets by user "system:admin"`}},
		{"only for one group", `
  - level: RequestResponse
    userGroups: ["ops"]
    resources: [{group: "*"}]
  - level: Metadata
`, []string{`in group "ops"`}},
		{"only in one namespace", `
  - level: Request
    namespaces: [trading]
  - level: Metadata
`, []string{`in namespace "trading"`}},
		{"resource/* form", `
  - level: Request
    resources: [{group: "", resources: ["secrets/*"]}]
`, []string{`rules[0] logs "get" on secrets`}},
		{"other groups and non-resource URLs only", `
  - level: RequestResponse
    resources: [{group: apps}, {group: "", resources: [configmaps, "*/status"]}]
  - level: RequestResponse
    nonResourceURLs: ["*"]
  - level: Metadata
`, nil},
		{"two leaking rules", `
  - level: RequestResponse
    verbs: [create]
  - level: Request
`, []string{`rules[0] logs "create" on secrets`, `rules[1] logs "get" on secrets`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := check(t, c.rules)
			if len(got) != len(c.want) {
				t.Fatalf("got %d findings %v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i].Message, w) {
					t.Errorf("finding %d: %q does not contain %q", i, got[i].Message, w)
				}
			}
		})
	}
}

func TestPolicyRequirements(t *testing.T) {
	f, err := Check(parse(t, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 2 || !strings.Contains(f[0].Message, "omitStages does not include RequestReceived") ||
		f[1].Message != "policy has no rules" {
		t.Fatalf("findings: %v", f)
	}
	if got := f[0].String(); !strings.HasPrefix(got, "p.yaml: Policy/-: ") {
		t.Errorf("line format: %q", got)
	}

	f = check(t, "  - level: Metadata\n    verbs: [get]\n    omitStages: [Bogus]\n")
	if len(f) != 1 || !strings.Contains(f[0].Message, "rejected by kube-apiserver's policy loader") ||
		!strings.Contains(f[0].Message, "Bogus") {
		t.Fatalf("findings: %v", f)
	}
}

func TestCheckDecodeErrors(t *testing.T) {
	for _, y := range []string{
		header + "rules: [{level: Metadata, resource: [{group: \"\"}]}]\n", // unknown field
		header + "rules: [{level: Metadata, Verbs: [get]}]\n",              // wrong case
		header + "rules: [{level: Metadata}]\nomitManagedFields: maybe\n",  // wrong type
		"apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]\n",
	} {
		doc := parse(t, y)
		if !IsPolicy(doc) {
			t.Fatalf("not recognised as a policy: %q", y)
		}
		if _, err := Check(doc); err == nil {
			t.Errorf("expected an error for %q", y)
		}
	}
	if IsPolicy(parse(t, "apiVersion: kyverno.io/v1\nkind: Policy\n")) {
		t.Error("a Policy of another group is not an audit policy")
	}
}
