package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

const exampleDist = "../../../examples/trading-gateway/dist"

func TestMatrixFromTheExample(t *testing.T) {
	m, err := loadRBACModel(exampleDist)
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := matrix(m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	find := func(subject, probe string) *row {
		for i := range rows {
			if rows[i].Subject == subject && rows[i].probe.String() == probe {
				return &rows[i]
			}
		}
		return nil
	}
	for _, c := range []struct {
		subject, probe string
		allow          bool
	}{
		{"Group trading-oncall", "get pods in trading", true},
		{"Group trading-oncall", "get pods/log in trading", true},
		{"Group trading-oncall", "patch deployments/scale.apps order-gateway in trading", true},
		{"Group trading-oncall", "patch deployments/scale.apps another-deployment in trading", false},
		{"Group trading-oncall", "get secrets in trading", false},
		{"Group trading-oncall", "get secrets binance-futures-api in trading", false},
		{"Group trading-oncall", "list secrets cluster-wide", false},
		{"Group trading-oncall", "create pods/exec in trading", false},
		{"Group trading-oncall", "delete pods in trading", false},
		{"Group trading-oncall", "create serviceaccounts/token order-gateway in trading", false},
		{"Group trading-oncall", "get nodes/proxy node-1 cluster-wide", false},
		{"ServiceAccount trading/order-gateway", "get pods in trading", false},
		{"ServiceAccount trading/order-gateway", "list secrets cluster-wide", false},
	} {
		r := find(c.subject, c.probe)
		if r == nil {
			t.Errorf("no row %s: %s", c.subject, c.probe)
			continue
		}
		if r.Allow != c.allow {
			t.Errorf("%s: %s: allow = %v, want %v", c.subject, c.probe, r.Allow, c.allow)
		}
	}
	// Every granted verb is in the table for the group, and none of it for the ServiceAccount.
	for _, r := range rows {
		if r.Subject == "ServiceAccount trading/order-gateway" && r.Allow {
			t.Errorf("the ServiceAccount is granted nothing, yet %s is expected allowed", r.probe)
		}
	}
}

func TestMatrixSelfTestFixtureConflicts(t *testing.T) {
	m, err := loadRBACModel("../../../test/apiserver-fixtures/role-grants-secrets")
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := matrix(m)
	allowed, denied := false, false
	for _, r := range rows {
		if r.Subject == "Group trading-oncall" && r.probe.String() == "get secrets in trading" {
			if r.Allow {
				allowed = true
			} else {
				denied = true
			}
		}
	}
	// The Role grants it and the deny list forbids it: one of the two rows must fail against a server.
	if !allowed || !denied {
		t.Fatalf("want both an allow and a deny row for get secrets: allow=%v deny=%v", allowed, denied)
	}
}

func TestCoversResourceNames(t *testing.T) {
	g := []grant{{Namespace: "ns", Rule: rbacv1.PolicyRule{APIGroups: []string{"apps"}, Resources: []string{"deployments/scale"},
		ResourceNames: []string{"a"}, Verbs: []string{"patch"}}}}
	if !covers(g, probe{Group: "apps", Resource: "deployments/scale", Namespace: "ns", Name: "a", Verb: "patch"}) {
		t.Error("named object not covered")
	}
	if covers(g, probe{Group: "apps", Resource: "deployments/scale", Namespace: "ns", Name: "b", Verb: "patch"}) {
		t.Error("other object covered")
	}
	if covers(g, probe{Group: "apps", Resource: "deployments/scale", Namespace: "other", Name: "a", Verb: "patch"}) {
		t.Error("other namespace covered")
	}
}

func TestJudgeAudit(t *testing.T) {
	rows := []auditRow{
		{ID: "a", Method: "GET", Path: "/x", Want: levelMetadata},
		{ID: "b", Method: "GET", Path: "/y", Want: levelNone},
		{ID: "c", Method: "POST", Path: "/z", Want: levelRequest},
	}
	ev := func(id, level, stage string) auditEvent {
		return auditEvent{Level: level, Stage: stage, UserAgent: auditAgent("s", id)}
	}
	if f := judgeAudit(rows, "s", []auditEvent{ev("a", "Metadata", "ResponseComplete"), ev("c", "Request", "ResponseComplete")}); len(f) != 0 {
		t.Errorf("want no failure, got %v", f)
	}
	f := judgeAudit(rows, "s", []auditEvent{
		ev("a", "Metadata", "ResponseStarted"), ev("a", "RequestResponse", "ResponseComplete"), // one event too verbose
		ev("b", "Metadata", "ResponseComplete"), // an event where none is wanted
		ev("x", "Metadata", "RequestReceived"),  // a stage the policy must omit
	})
	joined := strings.Join(f, "\n")
	for _, want := range []string{"a: GET /x: want level Metadata", "b: GET /y: want no event", "c: POST /z: want level Request", "RequestReceived"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing failure %q in:\n%s", want, joined)
		}
	}
}

func TestAuditTableCoversTheIssue(t *testing.T) {
	rows := auditTable("trading", "elsewhere", "s", "v")
	levels := map[string]string{}
	for _, r := range rows {
		levels[r.ID] = r.Want
	}
	for id, want := range map[string]string{
		"secret-list-all-namespaces":          levelMetadata,
		"secret-watch-all-namespaces":         levelMetadata,
		"secret-get-elsewhere":                levelMetadata,
		"pods-exec-elsewhere":                 levelMetadata,
		"nodes-proxy":                         levelMetadata,
		"pods-ephemeralcontainers-trading":    levelRequest,
		"role-elsewhere-deletecollection":     levelRequestResponse,
		"clusterrolebinding-update":           levelRequestResponse,
		"serviceaccount-token-elsewhere":      levelRequest,
		"mutatingwebhookconfiguration-create": levelRequestResponse,
		"validatingadmissionpolicy-create":    levelRequestResponse,
		"configmap-create":                    levelMetadata,
		"service-create":                      levelRequest,
		"deployments-list":                    levelMetadata,
		"unrelated-pods-list":                 levelNone,
	} {
		if levels[id] != want {
			t.Errorf("%s: level %q, want %q", id, levels[id], want)
		}
	}
}

func TestPodsAndObjects(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"pods", exampleDist}, &out, &errOut); code != 0 {
		t.Fatalf("pods: exit %d: %s", code, errOut.String())
	}
	var list struct {
		Items []struct {
			Kind     string `json:"kind"`
			Metadata struct{ Name, Namespace string }
		} `json:"items"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Metadata.Name != "order-gateway-probe" || list.Items[0].Metadata.Namespace != "trading" {
		t.Fatalf("pods: %s", out.String())
	}

	groups := filepath.Join(t.TempDir(), "groups")
	if err := os.WriteFile(groups, []byte("apps\nrbac.authorization.k8s.io\npolicy\nnetworking.k8s.io\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"objects", "--builtin-groups", groups, "--custom", "../../../test/apiserver-fixtures/custom-resource-bad-type"}, &out, &errOut); code != 0 {
		t.Fatalf("objects: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"ServiceMonitor"`) {
		t.Fatalf("objects --custom: %s", out.String())
	}
}
