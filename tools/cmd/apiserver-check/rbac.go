package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// loadRBACModel reads the RBAC objects, ServiceAccounts, Deployments, StatefulSets and mounted Secrets of a folder.
func loadRBACModel(dir string) (rbacModel, error) {
	m := rbacModel{Roles: map[string]rbacv1.Role{}, ClusterRoles: map[string]rbacv1.ClusterRole{}}
	errs := manifest.EachDocument([]string{dir}, func(doc manifest.Document) error {
		switch doc.APIVersion + " " + doc.Kind {
		case "rbac.authorization.k8s.io/v1 Role":
			var r rbacv1.Role
			if err := doc.DecodeStrict(&r); err != nil {
				return err
			}
			m.Roles[r.Namespace+"/"+r.Name] = r
		case "rbac.authorization.k8s.io/v1 ClusterRole":
			var r rbacv1.ClusterRole
			if err := doc.DecodeStrict(&r); err != nil {
				return err
			}
			m.ClusterRoles[r.Name] = r
		case "rbac.authorization.k8s.io/v1 RoleBinding":
			var rb rbacv1.RoleBinding
			if err := doc.DecodeStrict(&rb); err != nil {
				return err
			}
			m.RoleBindings = append(m.RoleBindings, rb)
		case "rbac.authorization.k8s.io/v1 ClusterRoleBinding":
			m.Unsupported = append(m.Unsupported, doc.Location()+": ClusterRoleBinding: the matrix models namespaced grants only; extend it before emitting one")
		case "v1 ServiceAccount":
			var meta struct {
				Metadata struct{ Namespace, Name string } `json:"metadata"`
			}
			if err := json.Unmarshal(doc.JSON, &meta); err != nil {
				return err
			}
			m.ServiceAccounts = append(m.ServiceAccounts, meta.Metadata.Namespace+"/"+meta.Metadata.Name)
		case "apps/v1 Deployment":
			var d appsv1.Deployment
			if err := doc.DecodeStrict(&d); err != nil {
				return err
			}
			m.Deployments = append(m.Deployments, d.Namespace+"/"+d.Name)
			for _, v := range d.Spec.Template.Spec.Volumes {
				if v.Secret != nil {
					m.Secrets = append(m.Secrets, d.Namespace+"/"+v.Secret.SecretName)
				}
			}
		case "apps/v1 StatefulSet":
			var s appsv1.StatefulSet
			if err := doc.DecodeStrict(&s); err != nil {
				return err
			}
			m.StatefulSets = append(m.StatefulSets, s.Namespace+"/"+s.Name)
			for _, v := range s.Spec.Template.Spec.Volumes {
				if v.Secret != nil {
					m.Secrets = append(m.Secrets, s.Namespace+"/"+v.Secret.SecretName)
				}
			}
		}
		return nil
	})
	if len(errs) > 0 {
		return m, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return m, nil
}

// rbacCheck runs the matrix of one folder whose manifests are applied, with a probe Pod per workload.
func rbacCheck(cl *cluster, admin *identity, dir string, out io.Writer, verbose bool) (allowed, denied, failures int, err error) {
	m, err := loadRBACModel(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	rows, errs := matrix(m)
	for _, e := range errs {
		fmt.Fprintf(out, "FAIL %s: %s\n", dir, e)
		failures++
	}
	if len(rows) == 0 {
		fmt.Fprintf(out, "FAIL %s: no RBAC matrix (no Role, RoleBinding or ServiceAccount emitted)\n", dir)
		return 0, 0, failures + 1, nil
	}
	ids := map[string]*identity{}
	for _, r := range rows {
		if ids[r.Subject] != nil {
			continue
		}
		kind, name, _ := strings.Cut(r.Subject, " ")
		switch kind {
		case "User":
			ids[r.Subject], err = cl.userIdentity(name)
		case "Group":
			ids[r.Subject], err = cl.userIdentity("rbac-probe-member-of-"+name, name)
		case "ServiceAccount":
			ns, sa, _ := strings.Cut(name, "/")
			var token string
			token, err = serviceAccountToken(admin, ns, sa)
			ids[r.Subject] = cl.tokenIdentity("system:serviceaccount:"+ns+":"+sa, token)
		default:
			err = fmt.Errorf("subject kind %q", kind)
		}
		if err != nil {
			return 0, 0, 0, err
		}
	}
	ex := &executor{admin: admin, disc: newDiscovery(admin), pods: map[string]string{}}
	for _, r := range rows {
		resp, err := ex.run(ids[r.Subject], r.probe)
		if err != nil {
			return allowed, denied, failures, err
		}
		got := !resp.forbidden() && resp.Code != 401
		if got {
			allowed++
		} else {
			denied++
		}
		want := "allowed"
		if !r.Allow {
			want = "denied (403)"
		}
		switch {
		case got != r.Allow:
			failures++
			fmt.Fprintf(out, "FAIL %s: %s: %s must be %s (%s), got %s\n", dir, r.Subject, r.probe, want, r.Why, resp)
		case verbose:
			fmt.Fprintf(out, "ok   %s: %s: %s %s: %s\n", dir, r.Subject, r.probe, want, resp)
		}
	}
	return allowed, denied, failures, nil
}

// executor turns a probe into a real HTTP request.
type executor struct {
	admin *identity
	disc  *discovery
	pods  map[string]string // namespace -> a Pod that exists there (for pods/* subresources)
}

func (e *executor) run(id *identity, p probe) (response, error) {
	res, err := e.disc.resource(p.Group, p.Resource)
	if err != nil {
		return response{}, err
	}
	name := p.Name
	if name == "" && needsName(p) {
		if name, err = e.someObject(res, p.Namespace); err != nil {
			return response{}, err
		}
	}
	path := res.path(p.Namespace, name)
	if name == "" && strings.Contains(res.Name, "/") {
		return response{}, fmt.Errorf("%s: a subresource needs an object name", p)
	}
	q := url.Values{}
	r := request{Path: path, UserAgent: "rbac-probe"}
	write := false
	switch p.Verb {
	case "get":
		r.Method = "GET"
	case "list":
		r.Method = "GET"
	case "watch":
		r.Method, r.Watch = "GET", true
		q.Set("watch", "true")
		q.Set("timeoutSeconds", "1")
	case "create":
		r.Method, write = "POST", true
		r.Body = e.newObject(res, p, name)
	case "update":
		r.Method, write = "PUT", true
		r.Body = e.existing(res, p.Namespace, name)
	case "patch":
		r.Method, write = "PATCH", true
		r.ContentType = "application/merge-patch+json"
		r.Body = p.Patch
		if p.Patch == "" {
			r.Body = "{}"
		}
	case "delete", "deletecollection":
		r.Method, write = "DELETE", true
	default:
		return response{}, fmt.Errorf("verb %q has no request", p.Verb)
	}
	switch res.Name {
	case "pods/exec", "pods/attach":
		q.Set("command", "true")
		q.Set("stdout", "true")
		write = false
	case "pods/portforward":
		q.Set("ports", "8080")
		write = false
	case "nodes/proxy":
		write = false
	}
	if write {
		q.Set("dryRun", "All") // authorization and admission run; nothing is stored
	}
	if len(q) > 0 {
		r.Path += "?" + q.Encode()
	}
	return id.do(r)
}

// needsName: verbs on one object (collections are list, watch, create of a top-level resource and deletecollection).
func needsName(p probe) bool {
	switch p.Verb {
	case "list", "watch", "deletecollection":
		return false
	case "create":
		return strings.Contains(p.Resource, "/")
	}
	return true
}

// someObject names an object of the resource that exists in the namespace (as the admin sees it), or
// a made-up name when there is none: authorization comes before the lookup, so a 404 still says "allowed".
func (e *executor) someObject(res apiResource, namespace string) (string, error) {
	base, _, _ := strings.Cut(res.Name, "/")
	parent := res
	parent.Name = base
	body, err := e.admin.must(request{Method: "GET", Path: parent.path(namespace, "") + "?limit=1"})
	if err != nil {
		return "", err
	}
	var list struct {
		Items []struct {
			Metadata struct{ Name string } `json:"metadata"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return "", err
	}
	if len(list.Items) > 0 {
		return list.Items[0].Metadata.Name, nil
	}
	return "rbac-probe-missing", nil
}

// existing is the object as the admin reads it (the body of an update), or a stub when it does not exist.
func (e *executor) existing(res apiResource, namespace, name string) any {
	body, err := e.admin.must(request{Method: "GET", Path: res.path(namespace, name)})
	if err != nil {
		return map[string]any{"metadata": map[string]any{"name": name, "namespace": namespace}}
	}
	return json.RawMessage(body)
}

// newObject is the body of a create: the smallest object of the kind (it may not validate: authorization
// is decided first, and dryRun stores nothing).
func (e *executor) newObject(res apiResource, p probe, name string) any {
	switch res.Name {
	case "serviceaccounts/token":
		return map[string]any{"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": map[string]any{}}
	}
	meta := map[string]any{"name": "rbac-probe"}
	if p.Namespace != "" {
		meta["namespace"] = p.Namespace
	}
	return map[string]any{"apiVersion": res.GroupVersion, "kind": res.Kind, "metadata": meta}
}
