package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// apiResource is one entry of the server's discovery: where a resource lives and whether it is namespaced.
type apiResource struct {
	GroupVersion string // "v1", "apps/v1"
	Name         string // "pods", "pods/log", "deployments/scale"
	Namespaced   bool
	Kind         string
}

// discovery answers "where is group/resource" from the server's own discovery documents, at the
// group's preferred version.
type discovery struct {
	admin *identity
	cache map[string]map[string]apiResource // group -> resource name -> entry
}

func newDiscovery(admin *identity) *discovery {
	return &discovery{admin: admin, cache: map[string]map[string]apiResource{}}
}

func (d *discovery) groupResources(group string) (map[string]apiResource, error) {
	if rs, ok := d.cache[group]; ok {
		return rs, nil
	}
	gv := "v1"
	if group != "" {
		body, err := d.admin.must(request{Method: "GET", Path: "/apis/" + group})
		if err != nil {
			return nil, fmt.Errorf("API group %q is not served: %w", group, err)
		}
		var g struct {
			PreferredVersion struct {
				GroupVersion string `json:"groupVersion"`
			} `json:"preferredVersion"`
		}
		if err := json.Unmarshal(body, &g); err != nil {
			return nil, err
		}
		gv = g.PreferredVersion.GroupVersion
	}
	list, err := d.versionResources(gv)
	if err != nil {
		return nil, err
	}
	rs := map[string]apiResource{}
	for _, r := range list {
		rs[r.Name] = r
	}
	d.cache[group] = rs
	return rs, nil
}

// versionResources lists the resources one group version serves ("v1" for the core group).
func (d *discovery) versionResources(groupVersion string) ([]apiResource, error) {
	path := "/apis/" + groupVersion
	if !strings.Contains(groupVersion, "/") {
		path = "/api/" + groupVersion
	}
	body, err := d.admin.must(request{Method: "GET", Path: path})
	if err != nil {
		return nil, err
	}
	var list struct {
		Resources []struct {
			Name       string `json:"name"`
			Namespaced bool   `json:"namespaced"`
			Kind       string `json:"kind"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, err
	}
	out := make([]apiResource, 0, len(list.Resources))
	for _, r := range list.Resources {
		out = append(out, apiResource{GroupVersion: groupVersion, Name: r.Name, Namespaced: r.Namespaced, Kind: r.Kind})
	}
	return out, nil
}

// resource looks up group/resource ("pods/log" for a subresource).
func (d *discovery) resource(group, resource string) (apiResource, error) {
	rs, err := d.groupResources(group)
	if err != nil {
		return apiResource{}, err
	}
	r, ok := rs[resource]
	if !ok {
		return apiResource{}, fmt.Errorf("the server has no resource %q in API group %q", resource, group)
	}
	return r, nil
}

// path builds the URL path of a resource: the collection when name is "", one object otherwise, and
// the subresource of that object when resource is "x/sub". namespace "" on a namespaced resource
// means all namespaces (collections only).
func (r apiResource) path(namespace, name string) string {
	base := "/api/" + r.GroupVersion
	if strings.Contains(r.GroupVersion, "/") {
		base = "/apis/" + r.GroupVersion
	}
	res, sub, _ := strings.Cut(r.Name, "/")
	p := base
	if r.Namespaced && namespace != "" {
		p += "/namespaces/" + namespace
	}
	p += "/" + res
	if name != "" {
		p += "/" + name
		if sub != "" {
			p += "/" + sub
		}
	}
	return p
}

// kindResource finds the top-level resource of apiVersion whose kind is kind.
func (d *discovery) kindResource(apiVersion, kind string) (apiResource, error) {
	list, err := d.versionResources(apiVersion)
	if err != nil {
		return apiResource{}, fmt.Errorf("%s is not served: %w", apiVersion, err)
	}
	for _, r := range list {
		if r.Kind == kind && !strings.Contains(r.Name, "/") {
			return r, nil
		}
	}
	return apiResource{}, fmt.Errorf("%s serves no kind %s", apiVersion, kind)
}
