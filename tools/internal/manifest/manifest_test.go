package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseMultiDocument(t *testing.T) {
	data := []byte(`# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
# only a comment
---
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata: {name: b}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: c}
`)
	docs, err := Parse("f.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.APIVersion+" "+d.Kind)
	}
	want := []string{"v1 ConfigMap", "v1 Secret", "apps/v1 Deployment"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if docs[2].Group() != "apps" || docs[0].Group() != "" {
		t.Errorf("groups: %q %q", docs[2].Group(), docs[0].Group())
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"no kind":         "apiVersion: v1\nmetadata: {name: a}\n",
		"not a mapping":   "- a\n- b\n",
		"duplicate key":   "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",
		"bad yaml":        "apiVersion: v1\nkind: [\n",
		"non-string kind": "apiVersion: v1\nkind: 3\n",
	}
	for name, in := range cases {
		if _, err := Parse("f.yaml", []byte(in)); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}

type sample struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		RunAsNonRoot *bool `json:"runAsNonRoot"`
	} `json:"spec"`
}

func TestDecodeStrict(t *testing.T) {
	decode := func(in string) error {
		docs, err := Parse("f.yaml", []byte("apiVersion: v1\n"+in))
		if err != nil {
			return err
		}
		var s sample
		return docs[0].DecodeStrict(&s)
	}
	if err := decode("kind: X\nspec: {runAsNonRoot: true}\n"); err != nil {
		t.Fatalf("valid document: %v", err)
	}
	for _, bad := range []string{
		"kind: X\nspec: {runAsNonroot: true}\n", // typo
		"kind: X\nspec: {RunAsNonRoot: true}\n", // field names are case-sensitive
		"kind: X\nspec: {runAsNonRoot: yes-please}\n",
	} {
		if err := decode(bad); err == nil {
			t.Errorf("expected an error for %q", bad)
		} else if !strings.Contains(err.Error(), "f.yaml (document 1)") {
			t.Errorf("error lacks location: %v", err)
		}
	}
}

func TestCollectFilesNonRecursive(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.yaml", "a.yml", "c.json", "d.YAML", "sub/e.yaml"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	explicit := filepath.Join(dir, "c.json")
	files, err := CollectFiles([]string{dir, explicit})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
	}
	want := []string{"a.yml", "b.yaml", "d.YAML", "c.json"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := CollectFiles([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Fatal("expected an error for a missing path")
	}
}

func TestEachDocumentVisitsAllAndKeepsEveryError(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n")
	write("b.yaml", "not: [valid\n")
	write("c.yml", "apiVersion: v1\nkind: Service\nmetadata: {name: c}\n")

	var kinds []string
	errs := EachDocument([]string{dir, filepath.Join(dir, "missing.yaml")}, func(d Document) error {
		kinds = append(kinds, d.Kind)
		if d.Kind == "Secret" {
			return os.ErrInvalid
		}
		return nil
	})
	// A missing argument stops the collection before any file is read.
	if len(kinds) != 0 || len(errs) != 1 || !strings.Contains(errs[0], "missing.yaml") {
		t.Fatalf("missing argument: kinds %v, errors %v", kinds, errs)
	}

	errs = EachDocument([]string{dir}, func(d Document) error {
		kinds = append(kinds, d.Kind)
		if d.Kind == "Secret" {
			return os.ErrInvalid
		}
		return nil
	})
	if !reflect.DeepEqual(kinds, []string{"ConfigMap", "Secret", "Service"}) {
		t.Fatalf("visited %v", kinds)
	}
	if len(errs) != 2 || !strings.Contains(errs[0], os.ErrInvalid.Error()) || !strings.Contains(errs[1], "b.yaml") {
		t.Fatalf("errors %v", errs)
	}

	if errs := EachDocument([]string{t.TempDir()}, func(Document) error { return nil }); len(errs) != 1 ||
		!strings.Contains(errs[0], "no YAML files") {
		t.Fatalf("empty dir: %v", errs)
	}
}
