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

func TestCompliantDeployment(t *testing.T) {
	code, out, errOut := runCmd("testdata/compliant.yaml")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if got := lastLine(out); got != "psa-check: 1 pod templates evaluated, 0 violations" {
		t.Errorf("final line %q", got)
	}
}

func TestNonCompliantDeployment(t *testing.T) {
	code, out, _ := runCmd("testdata/noncompliant.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	prefix := "testdata/noncompliant.yaml: Deployment/trading/legacy-gateway: "
	for _, want := range []string{
		prefix + "privileged: container \"gateway\" must not set securityContext.privileged=true",
		prefix + "seccompProfile: ",
		prefix + "unrestricted capabilities: ",
		"\"NET_ADMIN\"",
		prefix + "allowPrivilegeEscalation != false: ",
		prefix + "runAsNonRoot != true: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := lastLine(out); got != "psa-check: 1 pod templates evaluated, 5 violations" {
		t.Errorf("final line %q", got)
	}
}

func TestDirectoryIsScannedNonRecursively(t *testing.T) {
	// testdata/invalid/ holds files that would be errors: it must not be read.
	code, out, errOut := runCmd("testdata")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "psa-check: 4 documents skipped (no pod template)\n") {
		t.Errorf("skip count missing:\n%s", out)
	}
	if got := lastLine(out); got != "psa-check: 4 pod templates evaluated, 10 violations" {
		t.Errorf("final line %q", got)
	}
	if !strings.Contains(out, "testdata/workloads.yaml: Pod/-/debug: host namespaces: hostNetwork=true") {
		t.Errorf("pod violation missing:\n%s", out)
	}
	if strings.Contains(out, "nightly-report") {
		t.Errorf("the compliant CronJob was reported:\n%s", out)
	}
}

func TestJSON(t *testing.T) {
	code, out, _ := runCmd("--json", "testdata/noncompliant.yaml", "testdata/compliant.yaml")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Evaluated  int `json:"evaluated"`
		Violations []struct {
			File, Kind, Namespace, Name, Reason, Detail string
		} `json:"violations"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Evaluated != 2 || len(rep.Violations) != 5 {
		t.Fatalf("got %+v", rep)
	}
	v := rep.Violations[0]
	if v.Kind != "Deployment" || v.Namespace != "trading" || v.Name != "legacy-gateway" || v.Reason == "" || v.Detail == "" {
		t.Errorf("violation %+v", v)
	}

	code, out, _ = runCmd("--json", "testdata/compliant.yaml")
	if code != 0 || !strings.Contains(out, `"violations": []`) {
		t.Errorf("exit %d, output %s", code, out)
	}
}

func TestErrors(t *testing.T) {
	cases := map[string][]string{
		"unknown field":      {"testdata/invalid/typo.yaml"},
		"legacy apiVersion":  {"testdata/invalid/legacy-apiversion.yaml"},
		"missing path":       {"testdata/missing.yaml"},
		"no arguments":       nil,
		"unknown flag":       {"--bogus", "testdata"},
		"error beats others": {"testdata/noncompliant.yaml", "testdata/invalid"},
	}
	for name, args := range cases {
		code, _, errOut := runCmd(args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", name, code)
		}
		if errOut == "" {
			t.Errorf("%s: nothing on stderr", name)
		}
	}
	_, _, errOut := runCmd("testdata/invalid/typo.yaml")
	if !strings.Contains(errOut, `unknown field "spec.template.spec.securityContext.runAsNonroot"`) {
		t.Errorf("typo not named: %s", errOut)
	}
}
