package main

// The admission-policy check: the ValidatingAdmissionPolicies of a folder, applied to the real API
// server, must admit the folder's own pods, workloads and Ingresses, and refuse, each with a policy's
// message, weakened copies of them, a pod of another identity that uses the credential Secrets, and an
// Ingress with a snippet annotation. Every request is a dry run (admission runs in full, nothing is
// stored); the namespace's Pod Security enforcement is lowered to "privileged" meanwhile, so that the
// refusals come from the policies alone.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

const (
	vapAPIVersion    = "admissionregistration.k8s.io/v1"
	psaEnforceLabel  = "pod-security.kubernetes.io/enforce"
	probeSuffix      = "-vap-probe"
	effectiveTimeout = 30 * time.Second
)

// podBearing: the workload kinds whose pod template sits at spec.template.
var podBearing = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true, "Job": true}

// admissionProbe is one dry-run create and the answer it must get.
type admissionProbe struct {
	what   string // for messages
	object map[string]any
	admit  bool // true: must be admitted; false: must be refused by a ValidatingAdmissionPolicy
}

// mutation weakens a pod spec in one way that one policy rule must refuse.
type mutation struct {
	name  string
	apply func(spec map[string]any)
}

func firstContainer(spec map[string]any) map[string]any {
	return spec["containers"].([]any)[0].(map[string]any)
}

func containerSC(spec map[string]any) map[string]any {
	c := firstContainer(spec)
	sc, _ := c["securityContext"].(map[string]any)
	if sc == nil {
		sc = map[string]any{}
		c["securityContext"] = sc
	}
	return sc
}

func podSC(spec map[string]any) map[string]any {
	sc, _ := spec["securityContext"].(map[string]any)
	if sc == nil {
		sc = map[string]any{}
		spec["securityContext"] = sc
	}
	return sc
}

func appendTo(m map[string]any, key string, item any) {
	list, _ := m[key].([]any)
	m[key] = append(list, item)
}

// hardeningMutations: one weakening per rule of the pods and workloads policies.
var hardeningMutations = []mutation{
	{"privileged container", func(s map[string]any) {
		sc := containerSC(s)
		sc["privileged"] = true
		delete(sc, "allowPrivilegeEscalation") // the API refuses privileged with allowPrivilegeEscalation false
	}},
	{"hostNetwork", func(s map[string]any) { s["hostNetwork"] = true }},
	{"hostPID", func(s map[string]any) { s["hostPID"] = true }},
	{"hostIPC", func(s map[string]any) { s["hostIPC"] = true }},
	{"hostPath volume", func(s map[string]any) {
		appendTo(s, "volumes", map[string]any{"name": "vap-probe-host", "hostPath": map[string]any{"path": "/"}})
	}},
	{"pod runAsNonRoot false", func(s map[string]any) { podSC(s)["runAsNonRoot"] = false }},
	{"container runAsUser 0", func(s map[string]any) { containerSC(s)["runAsUser"] = 0 }},
	{"added capability", func(s map[string]any) {
		sc := containerSC(s)
		caps, _ := sc["capabilities"].(map[string]any)
		if caps == nil {
			caps = map[string]any{}
			sc["capabilities"] = caps
		}
		caps["add"] = []any{"NET_RAW"}
	}},
	{"writable root filesystem", func(s map[string]any) { containerSC(s)["readOnlyRootFilesystem"] = false }},
	{"allowPrivilegeEscalation true", func(s map[string]any) { containerSC(s)["allowPrivilegeEscalation"] = true }},
	{"env secretKeyRef", func(s map[string]any) {
		appendTo(firstContainer(s), "env", map[string]any{"name": "VAP_PROBE", "valueFrom": map[string]any{
			"secretKeyRef": map[string]any{"name": "vap-probe-secret", "key": "k"}}})
	}},
	{"envFrom secretRef", func(s map[string]any) {
		appendTo(firstContainer(s), "envFrom", map[string]any{"secretRef": map[string]any{"name": "vap-probe-secret"}})
	}},
}

func deepCopy(v map[string]any) map[string]any {
	data, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

func mapAt(m map[string]any, path ...string) map[string]any {
	for _, key := range path {
		next, _ := m[key].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

// folderModel: what the check reads from a folder.
type folderModel struct {
	policies, bindings []manifest.Document
	messages           []string // every validation message of every policy
	workloads          []map[string]any
	ingresses          []map[string]any
	namespaces         []string
}

func loadFolderModel(dir string) (folderModel, error) {
	var m folderModel
	seenNS := map[string]bool{}
	errs := manifest.EachDocument([]string{dir}, func(doc manifest.Document) error {
		var obj map[string]any
		if err := json.Unmarshal(doc.JSON, &obj); err != nil {
			return err
		}
		switch {
		case doc.APIVersion == vapAPIVersion && doc.Kind == "ValidatingAdmissionPolicy":
			m.policies = append(m.policies, doc)
			validations, _ := mapAt(obj, "spec")["validations"].([]any)
			for _, v := range validations {
				if msg, ok := v.(map[string]any)["message"].(string); ok {
					m.messages = append(m.messages, msg)
				}
			}
		case doc.APIVersion == vapAPIVersion && doc.Kind == "ValidatingAdmissionPolicyBinding":
			m.bindings = append(m.bindings, doc)
		case podBearing[doc.Kind]:
			m.workloads = append(m.workloads, obj)
		case doc.Kind == "Ingress":
			m.ingresses = append(m.ingresses, obj)
		}
		if ns, _ := mapAt(obj, "metadata")["namespace"].(string); ns != "" && podBearing[doc.Kind] && !seenNS[ns] {
			seenNS[ns] = true
			m.namespaces = append(m.namespaces, ns)
		}
		return nil
	})
	if len(errs) > 0 {
		return m, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return m, nil
}

// renamed: a copy of obj named <name>-vap-probe, without server-set fields.
func renamed(obj map[string]any) map[string]any {
	c := deepCopy(obj)
	meta := mapAt(c, "metadata")
	meta["name"] = fmt.Sprint(meta["name"]) + probeSuffix
	delete(meta, "resourceVersion")
	delete(meta, "uid")
	delete(c, "status")
	return c
}

// podFrom: the Pod a controller would make from a workload's template.
func podFrom(workload map[string]any) map[string]any {
	t := deepCopy(mapAt(workload, "spec", "template"))
	meta, _ := t["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["name"] = strings.ToLower(fmt.Sprint(mapAt(workload, "metadata")["name"])) + probeSuffix
	meta["namespace"] = mapAt(workload, "metadata")["namespace"]
	return map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": t["spec"]}
}

func podSpecOfProbe(obj map[string]any) map[string]any {
	if obj["kind"] == "Pod" {
		return mapAt(obj, "spec")
	}
	return mapAt(obj, "spec", "template", "spec")
}

// intruders: pods without the service's labels, under the namespace's default ServiceAccount, that
// mount (or read through env) the credential Secrets the service's pod mounts.
func intruders(pod map[string]any) []admissionProbe {
	spec := mapAt(pod, "spec")
	var secrets []string
	var kept []any
	volumes, _ := spec["volumes"].([]any)
	for _, v := range volumes {
		if name, ok := mapAt(v.(map[string]any), "secret")["secretName"].(string); ok {
			secrets = append(secrets, name)
		}
	}
	if len(secrets) == 0 {
		return nil
	}
	mount := deepCopy(pod)
	mount["metadata"] = map[string]any{"name": "vap-probe-intruder-mount", "namespace": mapAt(pod, "metadata")["namespace"],
		"labels": map[string]any{"app": "vap-probe-intruder"}}
	mapAt(mount, "spec")["serviceAccountName"] = "default"

	env := deepCopy(mount)
	mapAt(env, "metadata")["name"] = "vap-probe-intruder-env"
	envSpec := mapAt(env, "spec")
	for _, v := range volumes {
		if _, ok := v.(map[string]any)["secret"]; !ok {
			kept = append(kept, v)
		}
	}
	envSpec["volumes"] = kept
	for _, list := range []string{"containers", "initContainers"} {
		cs, _ := envSpec[list].([]any)
		for _, c := range cs {
			var mounts []any
			ms, _ := c.(map[string]any)["volumeMounts"].([]any)
			for _, m := range ms {
				if !isSecretMount(m, volumes) {
					mounts = append(mounts, m)
				}
			}
			c.(map[string]any)["volumeMounts"] = mounts
		}
	}
	appendTo(firstContainer(envSpec), "env", map[string]any{"name": "VAP_PROBE_KEY", "valueFrom": map[string]any{
		"secretKeyRef": map[string]any{"name": secrets[0], "key": "api-key"}}})
	return []admissionProbe{
		{what: "a pod of another ServiceAccount mounting credential Secret " + secrets[0], object: mount},
		{what: "a pod of another ServiceAccount reading credential Secret " + secrets[0] + " through env", object: env},
	}
}

func isSecretMount(m any, volumes []any) bool {
	name := m.(map[string]any)["name"]
	for _, v := range volumes {
		vm := v.(map[string]any)
		if vm["name"] == name {
			_, ok := vm["secret"]
			return ok
		}
	}
	return false
}

func snippetIngress(namespace string) map[string]any {
	return map[string]any{
		"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
		"metadata": map[string]any{"name": "vap-probe-snippet", "namespace": namespace,
			"annotations": map[string]any{"nginx.ingress.kubernetes.io/configuration-snippet": "return 200;"}},
		"spec": map[string]any{"defaultBackend": map[string]any{"service": map[string]any{"name": "vap-probe", "port": map[string]any{"number": 80}}}},
	}
}

// probesOf: every request of the check for one folder.
func probesOf(m folderModel) []admissionProbe {
	var probes []admissionProbe
	for _, w := range m.workloads {
		name := fmt.Sprintf("%s %s", w["kind"], mapAt(w, "metadata")["name"])
		pod := podFrom(w)
		probes = append(probes, admissionProbe{what: "the Pod of " + name, object: pod, admit: true},
			admissionProbe{what: name, object: renamed(w), admit: true})
		for _, mu := range hardeningMutations {
			for _, base := range []map[string]any{pod, renamed(w)} {
				weak := deepCopy(base)
				mu.apply(podSpecOfProbe(weak))
				probes = append(probes, admissionProbe{what: fmt.Sprintf("%s (%s) with %s", name, weak["kind"], mu.name), object: weak})
			}
		}
		probes = append(probes, intruders(pod)...)
	}
	for _, ing := range m.ingresses {
		probes = append(probes, admissionProbe{what: fmt.Sprintf("Ingress %s", mapAt(ing, "metadata")["name"]), object: renamed(ing), admit: true})
	}
	for _, ns := range m.namespaces {
		probes = append(probes, admissionProbe{what: "an Ingress with a configuration-snippet annotation in " + ns, object: snippetIngress(ns)})
	}
	return probes
}

// judge: what is wrong with the answer to a probe ("" when it is right), and the policy message that refused it.
func judge(p admissionProbe, resp response, messages []string) (problem, matched string) {
	if p.admit {
		if resp.Code >= 300 {
			return "refused: " + resp.String(), ""
		}
		return "", ""
	}
	if resp.Code < 300 {
		return "admitted", ""
	}
	if !strings.Contains(resp.Message, "ValidatingAdmissionPolicy") {
		return "refused, but not by a ValidatingAdmissionPolicy: " + resp.String(), ""
	}
	for _, msg := range messages {
		if strings.Contains(resp.Message, msg) {
			return "", msg
		}
	}
	return "refused without any message of the folder's policies: " + resp.String(), ""
}

func dryRunCreate(admin *identity, disc *discovery, obj map[string]any) (response, error) {
	res, err := disc.kindResource(fmt.Sprint(obj["apiVersion"]), fmt.Sprint(obj["kind"]))
	if err != nil {
		return response{}, err
	}
	ns, _ := mapAt(obj, "metadata")["namespace"].(string)
	q := url.Values{"dryRun": {"All"}, "fieldValidation": {"Strict"}}
	return admin.do(request{Method: "POST", Path: res.path(ns, "") + "?" + q.Encode(), Body: obj, UserAgent: "apiserver-test-admission-policy"})
}

func setEnforce(admin *identity, namespace, level string) error {
	body := map[string]any{"metadata": map[string]any{"labels": map[string]any{psaEnforceLabel: level}}}
	_, err := admin.must(request{Method: "PATCH", Path: "/api/v1/namespaces/" + namespace, Body: body,
		ContentType: "application/merge-patch+json", UserAgent: "apiserver-test-admission-policy"})
	return err
}

// admissionPolicyCheck runs the check on one folder: the number of requests, and the failures.
func admissionPolicyCheck(admin *identity, dir string, out io.Writer, verbose bool) (requests int, failures []string, err error) {
	m, err := loadFolderModel(dir)
	if err != nil {
		return 0, nil, err
	}
	if len(m.policies) == 0 {
		if verbose {
			fmt.Fprintf(out, "  %s: no ValidatingAdmissionPolicy, skipped\n", dir)
		}
		return 0, nil, nil
	}
	// The folder's policies and bindings, applied again here so the check stands alone.
	disc := newDiscovery(admin)
	for _, doc := range append(append([]manifest.Document{}, m.policies...), m.bindings...) {
		var meta struct {
			Metadata struct{ Name string } `json:"metadata"`
		}
		if err := json.Unmarshal(doc.JSON, &meta); err != nil {
			return 0, nil, err
		}
		res, err := disc.kindResource(doc.APIVersion, doc.Kind)
		if err != nil {
			return 0, nil, err
		}
		q := url.Values{"fieldManager": {"apiserver-test"}, "fieldValidation": {"Strict"}, "force": {"true"}}
		if _, err := admin.must(request{Method: "PATCH", Path: res.path("", meta.Metadata.Name) + "?" + q.Encode(), Body: doc.JSON,
			ContentType: "application/apply-patch+yaml", UserAgent: "apiserver-test-admission-policy"}); err != nil {
			return 0, nil, err
		}
	}
	for _, ns := range m.namespaces {
		if err := setEnforce(admin, ns, "privileged"); err != nil {
			return 0, nil, err
		}
		defer func(ns string) {
			if err := setEnforce(admin, ns, "restricted"); err != nil {
				fmt.Fprintf(out, "  could not restore Pod Security enforcement of %s: %v\n", ns, err)
			}
		}(ns)
	}
	probes := probesOf(m)
	// A new policy takes a moment to type-check and reach the admission plugin: ask again until every
	// answer is right or the time is up.
	deadline := time.Now().Add(effectiveTimeout)
	for {
		failures = nil
		seen := map[string]bool{}
		for _, p := range probes {
			resp, err := dryRunCreate(admin, disc, p.object)
			if err != nil {
				return requests, nil, err
			}
			requests++
			problem, matched := judge(p, resp, m.messages)
			if matched != "" {
				seen[matched] = true
			}
			if problem != "" {
				failures = append(failures, fmt.Sprintf("%s: %s", p.what, problem))
			} else if verbose {
				fmt.Fprintf(out, "  ok %s: %s\n", p.what, map[bool]string{true: "admitted", false: "refused"}[p.admit])
			}
		}
		for _, msg := range m.messages {
			if !seen[msg] {
				failures = append(failures, fmt.Sprintf("no probe was refused with the policy message %q", msg))
			}
		}
		if len(failures) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	sort.Strings(failures)
	return requests, failures, nil
}
