package main

import (
	"strings"
	"testing"
)

const policyFixture = "../../../test/apiserver-fixtures/admission-policy-missing"

func TestAdmissionProbesFromTheFixture(t *testing.T) {
	m, err := loadFolderModel(policyFixture)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.policies) != 2 || len(m.bindings) != 2 {
		t.Fatalf("the fixture lacks its ingresses policy only: %d policies, %d bindings", len(m.policies), len(m.bindings))
	}
	probes := probesOf(m)
	admit, refuse := 0, 0
	for _, p := range probes {
		if p.admit {
			admit++
		} else {
			refuse++
		}
	}
	// One Deployment and one Ingress: the Pod, the Deployment and the Ingress admitted; each mutation as
	// a Pod and as a Deployment, two intruders and one snippet Ingress refused.
	if admit != 3 || refuse != 2*len(hardeningMutations)+2+1 {
		t.Fatalf("admit %d, refuse %d", admit, refuse)
	}
	for _, p := range probes {
		if strings.Contains(p.what, "another ServiceAccount") {
			spec := podSpecOfProbe(p.object)
			if spec["serviceAccountName"] != "default" || mapAt(p.object, "metadata", "labels")["app"] != "vap-probe-intruder" {
				t.Errorf("%s: not an intruder: %v", p.what, p.object["metadata"])
			}
		}
	}
}

func TestJudgeAdmission(t *testing.T) {
	msgs := []string{"svc: no privileged"}
	for _, c := range []struct {
		probe   admissionProbe
		resp    response
		problem string
	}{
		{admissionProbe{admit: true}, response{Code: 201}, ""},
		{admissionProbe{admit: true}, response{Code: 403, Message: "x"}, "refused"},
		{admissionProbe{}, response{Code: 201}, "admitted"},
		{admissionProbe{}, response{Code: 403, Message: `violates PodSecurity "restricted:latest"`}, "not by a ValidatingAdmissionPolicy"},
		{admissionProbe{}, response{Code: 403, Message: "ValidatingAdmissionPolicy 'p' with binding 'p' denied request: other"}, "without any message"},
		{admissionProbe{}, response{Code: 403, Message: "ValidatingAdmissionPolicy 'p' with binding 'p' denied request: svc: no privileged"}, ""},
	} {
		problem, _ := judge(c.probe, c.resp, msgs)
		if (c.problem == "") != (problem == "") || !strings.Contains(problem, c.problem) {
			t.Errorf("%+v: problem %q, want %q", c.resp, problem, c.problem)
		}
	}
}
