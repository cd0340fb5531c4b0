package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestPassingPolicy(t *testing.T) {
	code, out, errOut := runCmd("testdata/policy-ok.yaml")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if out != "audit-check: 1 policies checked, 0 findings\n" {
		t.Errorf("output %q", out)
	}
}

func TestSecretsLoggedAtRequestResponse(t *testing.T) {
	code, out, _ := runCmd("testdata/policy-secrets.yaml")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	want := `testdata/policy-secrets.yaml: Policy/leaky: rules[0] logs "get" on secrets at level RequestResponse: Secret data would be written to the audit log`
	if !strings.Contains(out, want+"\n") {
		t.Errorf("missing %q in:\n%s", want, out)
	}
	if got := lastLine(out); got != "audit-check: 1 policies checked, 1 findings" {
		t.Errorf("final line %q", got)
	}
}

func TestCatchAllAndOmitStages(t *testing.T) {
	code, out, _ := runCmd("testdata/policy-catchall.yaml")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Policy/catch-all: omitStages does not include RequestReceived",
		"Policy/catch-all: rules[2] logs \"get\" on secrets at level Request",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestDirectoryAndSkipping(t *testing.T) {
	code, out, errOut := runCmd("--json", "testdata")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rep struct {
		Checked  int `json:"checked"`
		Skipped  int `json:"skipped"`
		Findings []struct{ File, Name, Message string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// policy-ok, policy-secrets, policy-catchall, multi.yaml's audit Policy;
	// the ConfigMap and the kyverno.io Policy are skipped; invalid/ is not read.
	if rep.Checked != 4 || rep.Skipped != 2 || len(rep.Findings) != 5 {
		t.Fatalf("got %+v", rep)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Name == "empty-rules" && f.Message == "policy has no rules" {
			found = true
		}
	}
	if !found {
		t.Errorf("no-rules finding missing: %+v", rep.Findings)
	}
}

func TestValidationFailureIsAFinding(t *testing.T) {
	code, out, _ := runCmd("testdata/invalid/bad-level.yaml")
	if code != 1 || !strings.Contains(out, `rejected by kube-apiserver's policy loader: rules[0].level: Unsupported value: "Everything"`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestUnknownFieldIsAnError(t *testing.T) {
	code, out, errOut := runCmd("testdata/invalid/unknown-field.yaml")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut, `unknown field "rules[0].resource"`) {
		t.Errorf("stderr %q", errOut)
	}
	if got := lastLine(out); got != "audit-check: 0 policies checked, 0 findings" {
		t.Errorf("final line %q", got)
	}
}

func TestNoPolicy(t *testing.T) {
	noPolicy := "../psa-check/testdata/compliant.yaml"
	if code, _, errOut := runCmd(noPolicy); code != 1 || !strings.Contains(errOut, "--allow-none") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, out, _ := runCmd("--allow-none", noPolicy); code != 0 || out != "audit-check: 0 policies checked, 0 findings\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
	if code, _, _ := runCmd(); code != 2 {
		t.Errorf("no arguments: exit %d", code)
	}
	if code, _, _ := runCmd("testdata/missing.yaml"); code != 2 {
		t.Errorf("missing file: exit %d", code)
	}
}
