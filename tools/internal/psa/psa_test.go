package psa

import (
	"strings"
	"testing"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// restrictedPod is a pod spec that passes "restricted", indented for use
// under "template:" at depth 2.
const restrictedPod = `
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: c
          image: registry.example.com/c:1
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
`

func parse(t *testing.T, y string) manifest.Document {
	t.Helper()
	docs, err := manifest.Parse("in.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("want 1 document, got %d", len(docs))
	}
	return docs[0]
}

func TestExtractEveryWorkloadKind(t *testing.T) {
	template := "  template:\n    spec:" + restrictedPod
	cases := map[string]string{
		"Pod":                   "apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: ns}\nspec:" + strings.ReplaceAll(restrictedPod, "\n    ", "\n"),
		"PodTemplate":           "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: x, namespace: ns}\ntemplate:\n  spec:" + strings.ReplaceAll(restrictedPod, "\n  ", "\n"),
		"ReplicationController": "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"Deployment":            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"StatefulSet":           "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"DaemonSet":             "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"ReplicaSet":            "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"Job":                   "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x, namespace: ns}\nspec:\n" + template,
		"CronJob": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x, namespace: ns}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n" +
			"      template:\n        spec:" + strings.ReplaceAll(restrictedPod, "\n", "\n    "),
	}
	checker, err := NewChecker()
	if err != nil {
		t.Fatal(err)
	}
	for kind, y := range cases {
		tmpl, ok, err := Extract(parse(t, y))
		if err != nil || !ok {
			t.Errorf("%s: ok=%v err=%v", kind, ok, err)
			continue
		}
		if tmpl.Kind != kind || tmpl.Name != "x" || tmpl.Namespace != "ns" {
			t.Errorf("%s: got %+v", kind, tmpl)
		}
		if len(tmpl.PodSpec.Containers) != 1 {
			t.Errorf("%s: pod spec not found", kind)
		}
		if v := checker.Check(tmpl); len(v) != 0 {
			t.Errorf("%s: unexpected violations %v", kind, v)
		}
	}
}

func TestExtractSkipsAndErrors(t *testing.T) {
	for _, y := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None}]\n",
		"apiVersion: example.com/v1\nkind: Deployment\nspec: {whatever: 1}\n",
	} {
		if _, ok, err := Extract(parse(t, y)); ok || err != nil {
			t.Errorf("expected skip for %q: ok=%v err=%v", y, ok, err)
		}
	}
	for _, y := range []string{
		"apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: a}\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replica: 1}\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, securityContext: {Privileged: true}}]}\n",
		"apiVersion: v1\nkind: ReplicationController\nmetadata: {name: a}\nspec: {}\n",
	} {
		if _, _, err := Extract(parse(t, y)); err == nil {
			t.Errorf("expected an error for %q", y)
		}
	}
}

func TestCheckUsesTemplateMetadataAndSpec(t *testing.T) {
	y := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: c
          image: i
          securityContext:
            privileged: true
            capabilities: {add: [NET_ADMIN]}
`
	tmpl, ok, err := Extract(parse(t, y))
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	checker, err := NewChecker()
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, v := range checker.Check(tmpl) {
		reasons[v.Reason] = v.Detail
		if got := v.String(); !strings.HasPrefix(got, "in.yaml: Deployment/-/web: ") {
			t.Errorf("line format: %q", got)
		}
	}
	for _, want := range []string{"host namespaces", "privileged", "unrestricted capabilities", "seccompProfile", "runAsNonRoot != true", "allowPrivilegeEscalation != false"} {
		if _, ok := reasons[want]; !ok {
			t.Errorf("missing violation %q in %v", want, reasons)
		}
	}
	if !strings.Contains(reasons["unrestricted capabilities"], "NET_ADMIN") {
		t.Errorf("capabilities detail: %q", reasons["unrestricted capabilities"])
	}
}
