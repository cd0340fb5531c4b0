package main

import (
	"fmt"
	"sort"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// The RBAC matrix: which requests each identity must be allowed and which must be refused, generated
// from the Roles and RoleBindings the manifests emit (nothing here repeats the library's rules).

// probe is one request of the matrix.
type probe struct {
	Group, Resource string // resource may be "x/sub"
	Namespace       string // "" for cluster-scoped resources or requests across all namespaces
	Name            string // "" for collections and for "any object" (the executor picks one)
	Verb            string
	Patch           string // JSON merge patch body for verb patch ("" means {})
	Why             string
}

func (p probe) String() string {
	res := p.Resource
	if p.Group != "" {
		res += "." + p.Group
	}
	where := "cluster-wide"
	if p.Namespace != "" {
		where = "in " + p.Namespace
	}
	name := ""
	if p.Name != "" {
		name = " " + p.Name
	}
	return fmt.Sprintf("%s %s%s %s", p.Verb, res, name, where)
}

// row is a probe and what one identity must get.
type row struct {
	probe
	Subject string // "User x", "Group y", "ServiceAccount ns/name"
	Allow   bool
}

// standardVerbs are the verbs of a resource's REST API that RBAC names.
var standardVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}

// grant is one emitted rule bound to a subject in a namespace.
type grant struct {
	Namespace string
	Rule      rbacv1.PolicyRule
}

// rbacModel is what the manifests of one folder emit for RBAC.
type rbacModel struct {
	Roles           map[string]rbacv1.Role // namespace/name
	ClusterRoles    map[string]rbacv1.ClusterRole
	RoleBindings    []rbacv1.RoleBinding
	ServiceAccounts []string // namespace/name
	Deployments     []string // namespace/name
	StatefulSets    []string // namespace/name: the singletons
	Secrets         []string // namespace/name of Secrets the workloads mount
	Unsupported     []string // RBAC objects the matrix cannot model (cluster-wide bindings)
}

// grants returns, per subject ("User x", "Group y", "ServiceAccount ns/name"), the rules bound to it.
func (m rbacModel) grants() (map[string][]grant, []string) {
	out := map[string][]grant{}
	var errs []string
	for _, rb := range m.RoleBindings {
		var rules []rbacv1.PolicyRule
		switch rb.RoleRef.Kind {
		case "Role":
			r, ok := m.Roles[rb.Namespace+"/"+rb.RoleRef.Name]
			if !ok {
				errs = append(errs, fmt.Sprintf("RoleBinding %s/%s refers to Role %q, which the manifests do not define", rb.Namespace, rb.Name, rb.RoleRef.Name))
				continue
			}
			rules = r.Rules
		case "ClusterRole":
			r, ok := m.ClusterRoles[rb.RoleRef.Name]
			if !ok {
				errs = append(errs, fmt.Sprintf("RoleBinding %s/%s refers to ClusterRole %q, which the manifests do not define", rb.Namespace, rb.Name, rb.RoleRef.Name))
				continue
			}
			rules = r.Rules
		}
		for _, s := range rb.Subjects {
			key := subjectKey(s, rb.Namespace)
			for _, rule := range rules {
				out[key] = append(out[key], grant{Namespace: rb.Namespace, Rule: rule})
			}
		}
	}
	return out, errs
}

func subjectKey(s rbacv1.Subject, bindingNamespace string) string {
	if s.Kind == "ServiceAccount" {
		ns := s.Namespace
		if ns == "" {
			ns = bindingNamespace
		}
		return "ServiceAccount " + ns + "/" + s.Name
	}
	return s.Kind + " " + s.Name
}

// covers reports whether the grants allow the probe (the RBAC rule semantics, wildcards included).
func covers(grants []grant, p probe) bool {
	for _, g := range grants {
		if p.Namespace != g.Namespace {
			continue // a RoleBinding grants in its namespace only; cluster-wide requests are never covered
		}
		r := g.Rule
		if match(r.APIGroups, p.Group) && match(r.Resources, p.Resource) && match(r.Verbs, p.Verb) &&
			(len(r.ResourceNames) == 0 || (p.Name != "" && contains(r.ResourceNames, p.Name))) {
			return true
		}
	}
	return false
}

func match(list []string, v string) bool { return contains(list, "*") || contains(list, v) }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// allowProbes: every verb of every rule on every resource (and named object) it lists.
func allowProbes(grants []grant) []probe {
	var out []probe
	for _, g := range grants {
		r := g.Rule
		verbs := r.Verbs
		if contains(verbs, "*") {
			verbs = standardVerbs
		}
		names := r.ResourceNames
		if len(names) == 0 {
			names = []string{""}
		}
		for _, group := range r.APIGroups {
			for _, res := range r.Resources {
				for _, verb := range verbs {
					for _, name := range names {
						if name != "" && (verb == "list" || verb == "watch" || verb == "create" || verb == "deletecollection") {
							continue // resourceNames cannot restrict these verbs to an object
						}
						if strings.Contains(res, "/") && (verb == "list" || verb == "watch" || verb == "deletecollection") {
							continue // no request reaches a subresource with these verbs: the grant is inert
						}
						out = append(out, probe{Group: group, Resource: res, Namespace: g.Namespace, Name: name, Verb: verb,
							Why: "granted by the emitted Role"})
					}
				}
			}
		}
	}
	return dedupe(out)
}

// denyProbes: what nobody bound by these manifests may do, in the namespaces they use, plus every
// standard verb the emitted rules do not grant on the resources they name.
func denyProbes(m rbacModel, grants []grant) []probe {
	var out []probe
	add := func(p probe) { out = append(out, p) }
	namespaces := map[string]bool{}
	for _, g := range grants {
		namespaces[g.Namespace] = true
	}
	for _, d := range append(append([]string{}, m.Deployments...), m.StatefulSets...) {
		ns, _, _ := strings.Cut(d, "/")
		namespaces[ns] = true
	}
	for _, ns := range sortedKeys(namespaces) {
		for _, verb := range []string{"get", "list", "watch"} {
			add(probe{Resource: "secrets", Namespace: ns, Verb: verb, Why: "Secrets hold the exchange keys"})
		}
		for _, s := range m.Secrets {
			if sns, name, _ := strings.Cut(s, "/"); sns == ns {
				add(probe{Resource: "secrets", Namespace: ns, Name: name, Verb: "get", Why: "the workload's credential Secret"})
			}
		}
		for _, sub := range []string{"pods/exec", "pods/attach", "pods/portforward"} {
			add(probe{Resource: sub, Namespace: ns, Verb: "create", Why: "a shell or tunnel into the pod reads its keys"})
			add(probe{Resource: sub, Namespace: ns, Verb: "get", Why: "the websocket form of the same request"})
		}
		add(probe{Resource: "pods/ephemeralcontainers", Namespace: ns, Verb: "patch", Why: "a debug container reads the pod's keys"})
		add(probe{Resource: "pods/ephemeralcontainers", Namespace: ns, Verb: "update", Why: "a debug container reads the pod's keys"})
		add(probe{Group: "rbac.authorization.k8s.io", Resource: "roles", Namespace: ns, Verb: "create", Why: "escalation"})
		add(probe{Group: "rbac.authorization.k8s.io", Resource: "rolebindings", Namespace: ns, Verb: "create", Why: "escalation"})
		add(probe{Group: "apps", Resource: "deployments", Namespace: ns, Verb: "create", Why: "running other code"})
		add(probe{Group: "apps", Resource: "deployments/scale", Namespace: ns, Name: "another-deployment", Verb: "patch",
			Patch: `{"spec":{"replicas":0}}`, Why: "scale is granted for this service's Deployment only"})
		add(probe{Group: "apps", Resource: "deployments/scale", Namespace: ns, Name: "another-deployment", Verb: "update",
			Why: "scale is granted for this service's Deployment only"})
		add(probe{Resource: "serviceaccounts", Namespace: ns, Verb: "create", Why: "identities"})
	}
	for _, d := range m.Deployments {
		ns, name, _ := strings.Cut(d, "/")
		add(probe{Group: "apps", Resource: "deployments", Namespace: ns, Name: name, Verb: "patch",
			Patch: `{"metadata":{"labels":{"rbac-probe":"x"}}}`, Why: "changing the Deployment"})
		add(probe{Group: "apps", Resource: "deployments", Namespace: ns, Name: name, Verb: "patch",
			Patch: `{"spec":{"template":{"spec":{"containers":[{"name":"api","image":"registry.example.com/evil:1"}]}}}}`,
			Why:   "changing the pod template (image)"})
		add(probe{Group: "apps", Resource: "deployments", Namespace: ns, Name: name, Verb: "update", Why: "changing the Deployment"})
		add(probe{Group: "apps", Resource: "deployments", Namespace: ns, Name: name, Verb: "delete", Why: "removing the service"})
	}
	for _, s := range m.StatefulSets {
		ns, name, _ := strings.Cut(s, "/")
		// A singleton's second replica is a second instance placing every order twice: nobody scales it.
		add(probe{Group: "apps", Resource: "statefulsets/scale", Namespace: ns, Name: name, Verb: "patch",
			Patch: `{"spec":{"replicas":2}}`, Why: "a second replica of a singleton is a second instance"})
		add(probe{Group: "apps", Resource: "statefulsets/scale", Namespace: ns, Name: name, Verb: "update",
			Why: "a second replica of a singleton is a second instance"})
		add(probe{Group: "apps", Resource: "statefulsets", Namespace: ns, Name: name, Verb: "patch",
			Patch: `{"spec":{"template":{"spec":{"containers":[{"name":"api","image":"registry.example.com/evil:1"}]}}}}`,
			Why:   "changing the pod template (image)"})
		add(probe{Group: "apps", Resource: "statefulsets", Namespace: ns, Name: name, Verb: "delete", Why: "removing the service"})
	}
	for _, sa := range m.ServiceAccounts {
		ns, name, _ := strings.Cut(sa, "/")
		add(probe{Resource: "serviceaccounts/token", Namespace: ns, Name: name, Verb: "create", Why: "minting the workload's token"})
	}
	// Cluster-wide.
	for _, verb := range []string{"list", "watch"} {
		add(probe{Resource: "secrets", Verb: verb, Why: "Secrets of every namespace"})
	}
	add(probe{Resource: "pods", Verb: "list", Why: "cluster-wide read"})
	add(probe{Resource: "nodes", Verb: "list", Why: "cluster-wide read"})
	add(probe{Resource: "nodes", Name: "node-1", Verb: "get", Why: "cluster-wide read"})
	add(probe{Resource: "nodes/proxy", Name: "node-1", Verb: "get", Why: "the kubelet API of a node"})
	add(probe{Resource: "nodes/proxy", Name: "node-1", Verb: "create", Why: "the kubelet API of a node"})
	add(probe{Resource: "namespaces", Verb: "list", Why: "cluster-wide read"})
	add(probe{Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings", Verb: "create", Why: "escalation"})
	add(probe{Group: "rbac.authorization.k8s.io", Resource: "clusterroles", Verb: "list", Why: "cluster-wide read"})
	// The complement of the emitted rules: on each resource they name (not subresources, not
	// restricted to names), every standard verb no rule grants.
	for _, g := range grants {
		r := g.Rule
		if len(r.ResourceNames) > 0 || contains(r.Verbs, "*") {
			continue
		}
		for _, group := range r.APIGroups {
			for _, res := range r.Resources {
				if strings.Contains(res, "/") || res == "*" {
					continue
				}
				for _, verb := range standardVerbs {
					p := probe{Group: group, Resource: res, Namespace: g.Namespace, Verb: verb, Why: "not granted by the emitted Role"}
					if !covers(grants, p) {
						add(p)
					}
				}
			}
		}
	}
	return dedupe(out)
}

// matrix is the whole table: for each subject the emitted RoleBindings name (users, groups), the allow
// probes of its rules then the deny probes; for each emitted ServiceAccount, every probe of the table
// (the rules of every emitted Role, bound or not, and the deny probes), allowed only when a binding of
// its own grants it.
func matrix(m rbacModel) ([]row, []string) {
	grantsBySubject, errs := m.grants()
	errs = append(errs, m.Unsupported...)
	var emitted []grant // every rule of every emitted Role, in the Role's namespace
	for _, key := range sortedKeys(m.Roles) {
		for _, rule := range m.Roles[key].Rules {
			emitted = append(emitted, grant{Namespace: m.Roles[key].Namespace, Rule: rule})
		}
	}
	var bound []grant
	for _, gs := range grantsBySubject {
		bound = append(bound, gs...)
	}
	deny := denyProbes(m, append(emitted, bound...))
	var rows []row
	for _, subject := range sortedKeys(grantsBySubject) {
		if strings.HasPrefix(subject, "ServiceAccount ") {
			continue
		}
		for _, p := range allowProbes(grantsBySubject[subject]) {
			rows = append(rows, row{probe: p, Subject: subject, Allow: true})
		}
		for _, p := range deny {
			rows = append(rows, row{probe: p, Subject: subject, Allow: false})
		}
	}
	union := dedupe(append(allowProbes(append(emitted, bound...)), deny...))
	for _, sa := range m.ServiceAccounts {
		subject := "ServiceAccount " + sa
		own := grantsBySubject[subject]
		for _, p := range dedupe(append(append([]probe{}, union...), allowProbes(own)...)) {
			rows = append(rows, row{probe: p, Subject: subject, Allow: covers(own, p)})
		}
	}
	return rows, errs
}

func dedupe(ps []probe) []probe {
	seen := map[string]bool{}
	var out []probe
	for _, p := range ps {
		k := p.String() + "|" + p.Patch
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
