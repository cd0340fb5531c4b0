package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// The audit table: requests made against the API server that runs with the generated policy, each with
// the level the policy must give it, checked against the events the server wrote to its audit log.

// auditRow is one request and the level its events must have ("None": no event at all).
type auditRow struct {
	ID          string
	Method      string
	Path        string
	Body        any
	ContentType string
	Watch       bool
	Want        string
	Why         string
}

const (
	levelNone            = "None"
	levelMetadata        = "Metadata"
	levelRequest         = "Request"
	levelRequestResponse = "RequestResponse"
	mergePatch           = "application/merge-patch+json"
)

// auditTable builds the table for the service namespace ns and an unrelated namespace other. Objects
// it creates are named audit-probe-<suffix> and labelled audit-probe=<suffix>; secretValue goes into
// the Secrets it writes (it must never reach the log).
func auditTable(ns, other, suffix, secretValue string) []auditRow {
	n := "audit-probe-" + suffix
	label := map[string]any{"audit-probe": suffix}
	sel := "?labelSelector=audit-probe%3D" + suffix
	var rows []auditRow
	add := func(id, method, path string, body any, want, why string) {
		r := auditRow{ID: id, Method: method, Path: path, Body: body, Want: want, Why: why}
		if method == "PATCH" {
			r.ContentType = mergePatch
		}
		rows = append(rows, r)
	}
	patch := map[string]any{"metadata": map[string]any{"annotations": map[string]any{"audit-probe": "patched"}}}

	// Secrets: Metadata, whatever the verb and the namespace, lists and watches across namespaces too.
	for _, where := range []string{ns, other} {
		secret := func(data bool) map[string]any {
			s := map[string]any{"apiVersion": "v1", "kind": "Secret",
				"metadata": map[string]any{"name": n, "namespace": where, "labels": label}}
			if data {
				s["data"] = map[string]any{"api-key": base64.StdEncoding.EncodeToString([]byte(secretValue))}
			} else {
				s["stringData"] = map[string]any{"api-key": secretValue}
			}
			return s
		}
		p := "/api/v1/namespaces/" + where + "/secrets"
		why := "Secrets: Metadata only, in any namespace"
		add("secret-create-"+where, "POST", p, secret(false), levelMetadata, why)
		add("secret-get-"+where, "GET", p+"/"+n, nil, levelMetadata, why)
		add("secret-list-"+where, "GET", p, nil, levelMetadata, why)
		add("secret-update-"+where, "PUT", p+"/"+n, secret(true), levelMetadata, why)
		add("secret-patch-"+where, "PATCH", p+"/"+n, patch, levelMetadata, why)
		add("secret-delete-"+where, "DELETE", p+"/"+n, nil, levelMetadata, why)
		add("secret-deletecollection-"+where, "DELETE", p+sel, nil, levelMetadata, why)
		rows = append(rows, auditRow{ID: "secret-watch-" + where, Method: "GET", Path: p + "?watch=true&timeoutSeconds=1",
			Watch: true, Want: levelMetadata, Why: why})
	}
	add("secret-list-all-namespaces", "GET", "/api/v1/secrets", nil, levelMetadata, "Secrets of every namespace: Metadata")
	rows = append(rows, auditRow{ID: "secret-watch-all-namespaces", Method: "GET", Path: "/api/v1/secrets?watch=true&timeoutSeconds=1",
		Watch: true, Want: levelMetadata, Why: "Secrets of every namespace: Metadata"})

	// Interactive access to pods and nodes: Metadata (the stream is never logged); debug containers: Request.
	for _, where := range []string{ns, other} {
		pod := "/api/v1/namespaces/" + where + "/pods/" + n
		add("pods-exec-"+where, "POST", pod+"/exec?command=true&stdout=true", nil, levelMetadata, "pods/exec: Metadata")
		add("pods-attach-"+where, "POST", pod+"/attach?stdout=true", nil, levelMetadata, "pods/attach: Metadata")
		add("pods-portforward-"+where, "POST", pod+"/portforward?ports=8080", nil, levelMetadata, "pods/portforward: Metadata")
		add("pods-ephemeralcontainers-"+where, "PATCH", pod+"/ephemeralcontainers", map[string]any{}, levelRequest,
			"pods/ephemeralcontainers: Request")
	}
	add("nodes-proxy", "GET", "/api/v1/nodes/"+n+"/proxy/", nil, levelMetadata, "nodes/proxy: Metadata")

	// RBAC writes anywhere: RequestResponse.
	rbac := "/apis/rbac.authorization.k8s.io/v1"
	rules := []any{map[string]any{"apiGroups": []any{""}, "resources": []any{"configmaps"}, "verbs": []any{"get"}}}
	subjects := []any{map[string]any{"kind": "User", "name": "audit-probe-nobody", "apiGroup": "rbac.authorization.k8s.io"}}
	rbacWrites := func(id, kind, path string, body func() map[string]any) {
		why := kind + " writes: RequestResponse"
		add(id+"-create", "POST", path, body(), levelRequestResponse, why)
		upd := body()
		upd["metadata"].(map[string]any)["annotations"] = map[string]any{"audit-probe": "updated"}
		add(id+"-update", "PUT", path+"/"+n, upd, levelRequestResponse, why)
		add(id+"-patch", "PATCH", path+"/"+n, patch, levelRequestResponse, why)
		add(id+"-delete", "DELETE", path+"/"+n, nil, levelRequestResponse, why)
		add(id+"-deletecollection", "DELETE", path+sel, nil, levelRequestResponse, why)
	}
	for _, where := range []string{ns, other} {
		rbacWrites("role-"+where, "Role", rbac+"/namespaces/"+where+"/roles", func() map[string]any {
			return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
				"metadata": map[string]any{"name": n, "labels": label}, "rules": rules}
		})
		rbacWrites("rolebinding-"+where, "RoleBinding", rbac+"/namespaces/"+where+"/rolebindings", func() map[string]any {
			return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
				"metadata": map[string]any{"name": n, "labels": label}, "subjects": subjects,
				"roleRef": map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": n}}
		})
	}
	rbacWrites("clusterrole", "ClusterRole", rbac+"/clusterroles", func() map[string]any {
		return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
			"metadata": map[string]any{"name": n, "labels": label}, "rules": rules}
	})
	rbacWrites("clusterrolebinding", "ClusterRoleBinding", rbac+"/clusterrolebindings", func() map[string]any {
		return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
			"metadata": map[string]any{"name": n, "labels": label}, "subjects": subjects,
			"roleRef": map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": n}}
	})

	// Tokens: Request (the response holds the token). The ServiceAccounts are made by the set-up.
	for _, where := range []string{ns, other} {
		add("serviceaccount-token-"+where, "POST", "/api/v1/namespaces/"+where+"/serviceaccounts/"+n+"/token",
			map[string]any{"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": map[string]any{}},
			levelRequest, "serviceaccounts/token: Request, never the token")
	}

	// Admission configuration writes: RequestResponse. Every object matches nothing and fails open.
	adm := "/apis/admissionregistration.k8s.io/v1"
	admRule := []any{map[string]any{"apiGroups": []any{"example.com"}, "apiVersions": []any{"v1"},
		"operations": []any{"CREATE"}, "resources": []any{"nothings"}}}
	webhook := func(kind string) func() map[string]any {
		return func() map[string]any {
			return map[string]any{"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind,
				"metadata": map[string]any{"name": n, "labels": label},
				"webhooks": []any{map[string]any{"name": "probe.audit.example.com", "rules": admRule,
					"clientConfig": map[string]any{"url": "https://127.0.0.1:1/"}, "failurePolicy": "Ignore",
					"sideEffects": "None", "admissionReviewVersions": []any{"v1"}}}}
		}
	}
	admWrites := func(id, kind, path string, body func() map[string]any) {
		why := kind + " writes: RequestResponse"
		add(id+"-create", "POST", path, body(), levelRequestResponse, why)
		add(id+"-patch", "PATCH", path+"/"+n, patch, levelRequestResponse, why)
		add(id+"-delete", "DELETE", path+"/"+n, nil, levelRequestResponse, why)
	}
	admWrites("validatingwebhookconfiguration", "ValidatingWebhookConfiguration", adm+"/validatingwebhookconfigurations",
		webhook("ValidatingWebhookConfiguration"))
	admWrites("mutatingwebhookconfiguration", "MutatingWebhookConfiguration", adm+"/mutatingwebhookconfigurations",
		webhook("MutatingWebhookConfiguration"))
	add("validatingadmissionpolicy-create", "POST", adm+"/validatingadmissionpolicies", map[string]any{
		"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
		"metadata": map[string]any{"name": n, "labels": label},
		"spec": map[string]any{"failurePolicy": "Ignore", "matchConstraints": map[string]any{"resourceRules": admRule},
			"validations": []any{map[string]any{"expression": "true"}}}}, levelRequestResponse, "ValidatingAdmissionPolicy writes: RequestResponse")
	add("validatingadmissionpolicybinding-create", "POST", adm+"/validatingadmissionpolicybindings", map[string]any{
		"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
		"metadata": map[string]any{"name": n, "labels": label},
		"spec":     map[string]any{"policyName": n, "validationActions": []any{"Deny"}}}, levelRequestResponse,
		"ValidatingAdmissionPolicyBinding writes: RequestResponse")
	add("validatingadmissionpolicybinding-patch", "PATCH", adm+"/validatingadmissionpolicybindings/"+n, patch, levelRequestResponse,
		"ValidatingAdmissionPolicyBinding writes: RequestResponse")
	add("validatingadmissionpolicybinding-delete", "DELETE", adm+"/validatingadmissionpolicybindings/"+n, nil, levelRequestResponse,
		"ValidatingAdmissionPolicyBinding writes: RequestResponse")
	add("validatingadmissionpolicy-patch", "PATCH", adm+"/validatingadmissionpolicies/"+n, patch, levelRequestResponse,
		"ValidatingAdmissionPolicy writes: RequestResponse")
	add("validatingadmissionpolicy-delete", "DELETE", adm+"/validatingadmissionpolicies/"+n, nil, levelRequestResponse,
		"ValidatingAdmissionPolicy writes: RequestResponse")

	// MutatingAdmissionPolicy is beta in Kubernetes 1.34 and not served by default: the request fails,
	// and its event must still be at RequestResponse level, ready for the day it is enabled.
	for _, res := range []string{"mutatingadmissionpolicies", "mutatingadmissionpolicybindings"} {
		add(res+"-create", "POST", "/apis/admissionregistration.k8s.io/v1beta1/"+res,
			map[string]any{"metadata": map[string]any{"name": n}}, levelRequestResponse, res+" writes: RequestResponse")
	}

	// Traffic and policy objects, in any namespace or cluster-wide: RequestResponse. The custom resources
	// may not be served (no CRD): the request fails, and its event must still be at RequestResponse.
	ing := map[string]any{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": map[string]any{"name": n, "labels": label},
		"spec": map[string]any{"defaultBackend": map[string]any{"service": map[string]any{"name": n, "port": map[string]any{"number": 80}}}}}
	add("ingress-create-unrelated", "POST", "/apis/networking.k8s.io/v1/namespaces/"+other+"/ingresses", ing, levelRequestResponse,
		"an Ingress anywhere can claim the public host: RequestResponse")
	add("ingress-delete-unrelated", "DELETE", "/apis/networking.k8s.io/v1/namespaces/"+other+"/ingresses/"+n, nil, levelRequestResponse,
		"an Ingress anywhere can claim the public host: RequestResponse")
	for _, cr := range []struct{ id, path string }{
		{"httproute-create-unrelated", "/apis/gateway.networking.k8s.io/v1/namespaces/" + other + "/httproutes"},
		{"gateway-create-unrelated", "/apis/gateway.networking.k8s.io/v1/namespaces/" + other + "/gateways"},
		{"securitypolicy-create", "/apis/gateway.envoyproxy.io/v1alpha1/namespaces/" + ns + "/securitypolicies"},
		{"envoyextensionpolicy-create-unrelated", "/apis/gateway.envoyproxy.io/v1alpha1/namespaces/" + other + "/envoyextensionpolicies"},
		{"ciliumegressgatewaypolicy-create", "/apis/cilium.io/v2/ciliumegressgatewaypolicies"},
		{"ciliumclusterwidenetworkpolicy-create", "/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies"},
		{"kyverno-clusterpolicy-create", "/apis/kyverno.io/v1/clusterpolicies"},
	} {
		add(cr.id, "POST", cr.path, map[string]any{"metadata": map[string]any{"name": n, "labels": label}}, levelRequestResponse,
			"traffic and policy objects around the services, anywhere: RequestResponse")
	}
	add("unrelated-httproutes-list", "GET", "/apis/gateway.networking.k8s.io/v1/namespaces/"+other+"/httproutes", nil, levelNone,
		"reads elsewhere: no event")

	// The service's namespace: ConfigMaps Metadata, other writes Request, other reads Metadata.
	cm := "/api/v1/namespaces/" + ns + "/configmaps"
	add("configmap-create", "POST", cm, map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": n, "labels": label}, "data": map[string]any{"k": "v"}}, levelMetadata, "ConfigMaps in the service's namespace: Metadata")
	add("configmap-get", "GET", cm+"/"+n, nil, levelMetadata, "ConfigMaps in the service's namespace: Metadata")
	add("configmap-patch", "PATCH", cm+"/"+n, patch, levelMetadata, "ConfigMaps in the service's namespace: Metadata")
	add("configmap-delete", "DELETE", cm+"/"+n, nil, levelMetadata, "ConfigMaps in the service's namespace: Metadata")
	svc := "/api/v1/namespaces/" + ns + "/services"
	add("service-create", "POST", svc, map[string]any{"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": n, "labels": label},
		"spec":     map[string]any{"ports": []any{map[string]any{"port": 80}}}}, levelRequest, "writes in the service's namespace: Request")
	add("service-patch", "PATCH", svc+"/"+n, patch, levelRequest, "writes in the service's namespace: Request")
	add("service-delete", "DELETE", svc+"/"+n, nil, levelRequest, "writes in the service's namespace: Request")
	add("deployment-patch", "PATCH", "/apis/apps/v1/namespaces/"+ns+"/deployments/"+n, patch, levelRequest,
		"writes in the service's namespace: Request")
	add("pods-list", "GET", "/api/v1/namespaces/"+ns+"/pods", nil, levelMetadata, "reads in the service's namespace: Metadata")
	add("service-get", "GET", svc+"/kubernetes-none", nil, levelMetadata, "reads in the service's namespace: Metadata")
	add("deployments-list", "GET", "/apis/apps/v1/namespaces/"+ns+"/deployments", nil, levelMetadata, "reads in the service's namespace: Metadata")

	// Unrelated namespace, non-secret reads: nothing logged.
	add("unrelated-configmaps-list", "GET", "/api/v1/namespaces/"+other+"/configmaps", nil, levelNone, "reads elsewhere: no event")
	add("unrelated-configmap-get", "GET", "/api/v1/namespaces/"+other+"/configmaps/"+n, nil, levelNone, "reads elsewhere: no event")
	add("unrelated-pods-list", "GET", "/api/v1/namespaces/"+other+"/pods", nil, levelNone, "reads elsewhere: no event")
	add("unrelated-deployments-list", "GET", "/apis/apps/v1/namespaces/"+other+"/deployments", nil, levelNone, "reads elsewhere: no event")
	return rows
}

// auditEvent is the part of an audit.k8s.io/v1 Event the table looks at.
type auditEvent struct {
	Level      string `json:"level"`
	Stage      string `json:"stage"`
	Verb       string `json:"verb"`
	RequestURI string `json:"requestURI"`
	UserAgent  string `json:"userAgent"`
	Response   *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
}

func readAuditLog(path string) ([]auditEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var events []auditEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var ev auditEvent
		if err := json.Unmarshal(line, &ev); err != nil {
			return nil, fmt.Errorf("%s: not an audit event: %w", path, err)
		}
		events = append(events, ev)
	}
	return events, sc.Err()
}

// auditAgent is the user agent of a row's request: how its events are found in the log.
func auditAgent(suffix, id string) string { return "audit-probe/" + suffix + "/" + id }

// judgeAudit compares the events of each row (found by the row's user agent) with what the row wants.
func judgeAudit(rows []auditRow, suffix string, events []auditEvent) (failures []string) {
	byAgent := map[string][]auditEvent{}
	for _, ev := range events {
		byAgent[ev.UserAgent] = append(byAgent[ev.UserAgent], ev)
		if ev.Stage == "RequestReceived" {
			failures = append(failures, fmt.Sprintf("stage RequestReceived logged (%s %s): the policy must omit it", ev.Verb, ev.RequestURI))
		}
	}
	for _, r := range rows {
		evs := byAgent[auditAgent(suffix, r.ID)]
		if r.Want == levelNone {
			if len(evs) > 0 {
				failures = append(failures, fmt.Sprintf("%s: %s %s: want no event (%s), got level %s", r.ID, r.Method, r.Path, r.Why, evs[0].Level))
			}
			continue
		}
		if len(evs) == 0 {
			failures = append(failures, fmt.Sprintf("%s: %s %s: want level %s (%s), got no event", r.ID, r.Method, r.Path, r.Want, r.Why))
			continue
		}
		for _, ev := range evs {
			if ev.Level != r.Want {
				failures = append(failures, fmt.Sprintf("%s: %s %s: want level %s (%s), got %s (stage %s)", r.ID, r.Method, r.Path, r.Want, r.Why, ev.Level, ev.Stage))
				break
			}
		}
	}
	return failures
}

// auditCheck runs the table against the server and judges the log it wrote.
func auditCheck(cl *cluster, admin *identity, logPath, ns, other string, out io.Writer, verbose bool) (int, int, error) {
	prober, err := cl.userIdentity("audit-probe", "system:masters")
	if err != nil {
		return 0, 0, err
	}
	suffix := randomHex(4)
	secretValue := "audit-canary-" + randomHex(16)
	n := "audit-probe-" + suffix
	// Set-up, as another user agent: the namespaces and the ServiceAccounts whose tokens are requested.
	for _, where := range []string{ns, other} {
		if _, err := admin.do(request{Method: "POST", Path: "/api/v1/namespaces", UserAgent: "audit-setup",
			Body: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": where}}}); err != nil {
			return 0, 0, err
		}
		if _, err := admin.must(request{Method: "POST", Path: "/api/v1/namespaces/" + where + "/serviceaccounts", UserAgent: "audit-setup",
			Body: map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{"name": n}}}); err != nil {
			return 0, 0, err
		}
	}
	rows := auditTable(ns, other, suffix, secretValue)
	for _, r := range rows {
		resp, err := prober.do(request{Method: r.Method, Path: r.Path, Body: r.Body, ContentType: r.ContentType,
			Watch: r.Watch, UserAgent: auditAgent(suffix, r.ID)})
		if err != nil {
			return 0, 0, err
		}
		if verbose {
			fmt.Fprintf(out, "     %s: %s %s -> %s\n", r.ID, r.Method, r.Path, resp)
		}
	}
	// A last logged request: once its event is in the log, every earlier one is too.
	sentinel := auditAgent(suffix, "sentinel")
	if _, err := prober.do(request{Method: "GET", Path: "/api/v1/namespaces/" + ns + "/secrets/" + n, UserAgent: sentinel}); err != nil {
		return 0, 0, err
	}
	var events []auditEvent
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if events, err = readAuditLog(logPath); err != nil {
			return 0, 0, err
		}
		if hasAgent(events, sentinel) || time.Now().After(deadline) {
			break
		}
	}
	if !hasAgent(events, sentinel) {
		return len(rows), 1, fmt.Errorf("the audit log %s never showed the sentinel request (is the policy logging Secrets at all?)", logPath)
	}
	failures := judgeAudit(rows, suffix, events)
	raw, err := os.ReadFile(logPath)
	if err != nil {
		return 0, 0, err
	}
	for _, leak := range []string{secretValue, base64.StdEncoding.EncodeToString([]byte(secretValue))} {
		if bytes.Contains(raw, []byte(leak)) {
			failures = append(failures, fmt.Sprintf("a Secret's value reached the audit log (found %q)", leak))
		}
	}
	for _, f := range failures {
		fmt.Fprintf(out, "FAIL audit: %s\n", f)
	}
	return len(rows), len(failures), nil
}

func hasAgent(events []auditEvent, agent string) bool {
	for _, ev := range events {
		if ev.UserAgent == agent {
			return true
		}
	}
	return false
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.ToLower(hex.EncodeToString(b))
}
