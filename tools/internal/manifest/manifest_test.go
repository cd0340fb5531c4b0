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
