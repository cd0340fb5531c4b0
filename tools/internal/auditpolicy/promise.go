package auditpolicy

import (
	"fmt"

	auditinternal "k8s.io/apiserver/pkg/apis/audit"
	"k8s.io/apiserver/pkg/audit/policy"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
)

// Request is one API request of the promise table, and the level the
// policy must log it at.
type Request struct {
	Verb        string
	Group       string
	Resource    string
	Subresource string
	// Namespace: "" for a namespace-less (cluster-wide) request, Service for
	// each namespace the policy registers, or a namespace no rule names.
	Namespace string
	Level     auditinternal.Level
}

// Service stands for every namespace the policy registers (the services').
const Service = "\x00service"

// Unrelated is a namespace that no rule names.
const Unrelated = "unrelated-namespace"

// Promise is what the README promises the generated policy logs, request by
// request: Secrets at Metadata everywhere (never a body), exec through the
// API server or the kubelet, RBAC and admission changes anywhere, token
// creation, changes to where the keys come from (External Secrets, Secrets
// Store CSI) anywhere, changes to the traffic and policy objects around the
// services (Ingress, Gateway API, Envoy Gateway, Cilium, Kyverno) anywhere, and
// the services' own namespaces.
var Promise = []Request{
	{Verb: "get", Resource: "secrets", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "list", Resource: "secrets", Namespace: "", Level: auditinternal.LevelMetadata},
	{Verb: "watch", Resource: "secrets", Namespace: "", Level: auditinternal.LevelMetadata},
	{Verb: "get", Resource: "secrets", Namespace: Unrelated, Level: auditinternal.LevelMetadata},
	{Verb: "create", Resource: "secrets", Namespace: Unrelated, Level: auditinternal.LevelMetadata},
	{Verb: "update", Resource: "secrets", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "deletecollection", Resource: "secrets", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "create", Resource: "pods", Subresource: "exec", Namespace: Unrelated, Level: auditinternal.LevelMetadata},
	{Verb: "get", Resource: "pods", Subresource: "exec", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "create", Resource: "pods", Subresource: "attach", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "create", Resource: "pods", Subresource: "portforward", Namespace: Unrelated, Level: auditinternal.LevelMetadata},
	{Verb: "get", Resource: "nodes", Subresource: "proxy", Namespace: "", Level: auditinternal.LevelMetadata},
	{Verb: "create", Resource: "nodes", Subresource: "proxy", Namespace: "", Level: auditinternal.LevelMetadata},
	{Verb: "patch", Resource: "pods", Subresource: "ephemeralcontainers", Namespace: Unrelated, Level: auditinternal.LevelRequest},
	{Verb: "create", Resource: "serviceaccounts", Subresource: "token", Namespace: Unrelated, Level: auditinternal.LevelRequest},
	{Verb: "create", Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "rbac.authorization.k8s.io", Resource: "clusterroles", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "rbac.authorization.k8s.io", Resource: "rolebindings", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "update", Group: "rbac.authorization.k8s.io", Resource: "roles", Namespace: Service, Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "admissionregistration.k8s.io", Resource: "mutatingwebhookconfigurations", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "delete", Group: "admissionregistration.k8s.io", Resource: "validatingwebhookconfigurations", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "admissionregistration.k8s.io", Resource: "validatingadmissionpolicybindings", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "external-secrets.io", Resource: "externalsecrets", Namespace: Service, Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "external-secrets.io", Resource: "secretstores", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "update", Group: "external-secrets.io", Resource: "clustersecretstores", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "delete", Group: "secrets-store.csi.x-k8s.io", Resource: "secretproviderclasses", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "networking.k8s.io", Resource: "ingresses", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "networking.k8s.io", Resource: "ingresses", Namespace: Service, Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "gateway.networking.k8s.io", Resource: "httproutes", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "gateway.networking.k8s.io", Resource: "gateways", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "delete", Group: "gateway.envoyproxy.io", Resource: "securitypolicies", Namespace: Service, Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "gateway.envoyproxy.io", Resource: "envoyextensionpolicies", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "cilium.io", Resource: "ciliumclusterwidenetworkpolicies", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "update", Group: "cilium.io", Resource: "ciliumegressgatewaypolicies", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "patch", Group: "kyverno.io", Resource: "clusterpolicies", Namespace: "", Level: auditinternal.LevelRequestResponse},
	{Verb: "create", Group: "kyverno.io", Resource: "policies", Namespace: Unrelated, Level: auditinternal.LevelRequestResponse},
	{Verb: "get", Group: "gateway.networking.k8s.io", Resource: "httproutes", Namespace: Unrelated, Level: auditinternal.LevelNone},
	{Verb: "list", Group: "kyverno.io", Resource: "clusterpolicies", Namespace: "", Level: auditinternal.LevelNone},
	{Verb: "get", Resource: "configmaps", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "update", Resource: "configmaps", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "patch", Group: "apps", Resource: "deployments", Namespace: Service, Level: auditinternal.LevelRequest},
	{Verb: "delete", Resource: "pods", Namespace: Service, Level: auditinternal.LevelRequest},
	{Verb: "get", Resource: "pods", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "list", Group: "apps", Resource: "deployments", Namespace: Service, Level: auditinternal.LevelMetadata},
	{Verb: "get", Resource: "pods", Namespace: Unrelated, Level: auditinternal.LevelNone},
	{Verb: "list", Resource: "namespaces", Namespace: "", Level: auditinternal.LevelNone},
}

// Broken lists the promise rows the policy does not keep, as messages, using
// the API server's own rule evaluator.
func Broken(p *auditinternal.Policy) []string {
	var services []string
	for _, r := range p.Rules {
		for _, ns := range r.Namespaces {
			if !contains(services, ns) {
				services = append(services, ns)
			}
		}
	}
	if len(services) == 0 {
		return []string{"no rule names a service namespace"}
	}
	evaluator := policy.NewPolicyRuleEvaluator(p)
	var out []string
	for _, want := range Promise {
		namespaces := []string{want.Namespace}
		if want.Namespace == Service {
			namespaces = services
		}
		for _, ns := range namespaces {
			attrs := authorizer.AttributesRecord{
				User: &user.DefaultInfo{Name: "oncall@example.com", Groups: []string{"system:authenticated"}},
				Verb: want.Verb, Namespace: ns, APIGroup: want.Group, APIVersion: "v1",
				Resource: want.Resource, Subresource: want.Subresource, ResourceRequest: true,
			}
			if got := evaluator.EvaluatePolicyRule(attrs).Level; got != want.Level {
				out = append(out, fmt.Sprintf("%s is logged at %s, the promise is %s", describeRequest(want, ns), levelName(got), levelName(want.Level)))
			}
		}
	}
	return out
}

func describeRequest(r Request, ns string) string {
	resource := r.Resource
	if r.Subresource != "" {
		resource += "/" + r.Subresource
	}
	if r.Group != "" {
		resource += "." + r.Group
	}
	where := fmt.Sprintf("in namespace %q", ns)
	if ns == "" {
		where = "across all namespaces (no namespace)"
	}
	return fmt.Sprintf("%q on %s %s", r.Verb, resource, where)
}

func levelName(l auditinternal.Level) string {
	if l == "" {
		return "None"
	}
	return string(l)
}
