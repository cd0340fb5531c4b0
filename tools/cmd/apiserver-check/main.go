// Command apiserver-check is the Go half of scripts/apiserver-test.sh, which runs a real etcd and
// kube-apiserver: it turns manifests into what that script applies, and it makes the RBAC and audit
// requests whose answers are the proof.
//
// Usage:
//
//	apiserver-check pods DIR...                 a v1 List of Pods made from every workload's pod template
//	apiserver-check objects --builtin-groups FILE (--builtin|--custom) DIR...
//	                                            a v1 List of the built-in objects, or of the custom resources
//	                                            (apiVersion group not in FILE, one served group a line)
//	apiserver-check crds FILE_OR_DIR...         a v1 List of the CustomResourceDefinitions found
//	apiserver-check apply CLUSTER_FLAGS [--allow-warnings] FILE...
//	                                            server-side apply of every object, fieldValidation=Strict;
//	                                            fails on any refusal or (unless allowed) Warning header
//	apiserver-check delete CLUSTER_FLAGS FILE... deletes every object of the files (missing ones are fine)
//	apiserver-check rbac CLUSTER_FLAGS [-v] DIR...
//	                                            the RBAC matrix of each applied folder, request by request
//	apiserver-check audit CLUSTER_FLAGS --log FILE --namespace NS --unrelated NS [-v]
//	                                            the audit table, checked against the server's audit log
//	apiserver-check admission-policy CLUSTER_FLAGS [-v] DIR...
//	                                            the folders' ValidatingAdmissionPolicies admit the folder's
//	                                            objects and refuse weakened copies (dry runs)
//
// CLUSTER_FLAGS: --server URL --ca-cert FILE --ca-key FILE (the test CA signs client certificates).
// Every command prints one summary line; rbac and audit print "FAIL ..." lines first.
// Exit codes: 0 pass, 1 a check failed, 2 usage or set-up error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
	"github.com/cdk8s-secure-trading-api/tools/internal/psa"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: apiserver-check pods|objects|crds|rbac|audit ...")
		return 2
	}
	cmd, args := args[0], args[1:]
	var err error
	code := 0
	switch cmd {
	case "pods":
		err = podsCmd(args, stdout, stderr)
	case "objects":
		err = objectsCmd(args, stdout, stderr)
	case "crds":
		err = crdsCmd(args, stdout, stderr)
	case "apply":
		code, err = applyCmd(args, stdout, stderr)
	case "delete":
		code, err = deleteCmd(args, stdout, stderr)
	case "rbac":
		code, err = rbacCmd(args, stdout, stderr)
	case "audit":
		code, err = auditCmd(args, stdout, stderr)
	case "admission-policy":
		code, err = admissionPolicyCmd(args, stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintf(stderr, "apiserver-check %s: %v\n", cmd, err)
		return 2
	}
	return code
}

func writeList(out io.Writer, items []json.RawMessage) error {
	if items == nil {
		items = []json.RawMessage{}
	}
	return json.NewEncoder(out).Encode(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
}

func collect(args []string, keep func(manifest.Document) (json.RawMessage, bool, error)) ([]json.RawMessage, error) {
	var items []json.RawMessage
	errs := manifest.EachDocument(args, func(doc manifest.Document) error {
		item, ok, err := keep(doc)
		if ok {
			items = append(items, item)
		}
		return err
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return items, nil
}

// podsCmd: the Pod a controller would create from each workload, named <workload>-probe.
func podsCmd(args []string, stdout, stderr io.Writer) error {
	items, err := collect(args, func(doc manifest.Document) (json.RawMessage, bool, error) {
		t, ok, err := psa.Extract(doc)
		if err != nil || !ok || doc.Kind == "Pod" {
			return nil, false, err
		}
		meta := t.PodMeta
		meta.Name = strings.ToLower(t.Name) + "-probe"
		meta.GenerateName = ""
		meta.Namespace = t.Namespace
		pod, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": t.PodSpec})
		return pod, true, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "apiserver-check pods: %d pod templates\n", len(items))
	return writeList(stdout, items)
}

func objectsCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("objects", flag.ContinueOnError)
	fs.SetOutput(stderr)
	groupsFile := fs.String("builtin-groups", "", "file with the API groups the server serves without any CRD, one a line")
	builtin := fs.Bool("builtin", false, "keep the objects of built-in groups")
	custom := fs.Bool("custom", false, "keep the custom resources")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *groupsFile == "" || *builtin == *custom || fs.NArg() == 0 {
		return fmt.Errorf("usage: objects --builtin-groups FILE (--builtin|--custom) DIR...")
	}
	data, err := os.ReadFile(*groupsFile)
	if err != nil {
		return err
	}
	groups := map[string]bool{"": true}
	for _, g := range strings.Fields(string(data)) {
		groups[g] = true
	}
	items, err := collect(fs.Args(), func(doc manifest.Document) (json.RawMessage, bool, error) {
		return doc.JSON, groups[doc.Group()] == *builtin, nil
	})
	if err != nil {
		return err
	}
	writeList(stdout, items)
	return nil
}

// crdsCmd: the CustomResourceDefinitions of the given files and folders. Folders of a project's CRDs
// also hold other YAML (kustomization.yaml, Helm values): files that are not Kubernetes objects are
// skipped and named on stderr.
func crdsCmd(args []string, stdout, stderr io.Writer) error {
	files, err := manifest.CollectFiles(args)
	if err != nil {
		return err
	}
	var items []json.RawMessage
	for _, file := range files {
		docs, err := manifest.ReadFile(file)
		if err != nil {
			fmt.Fprintf(stderr, "apiserver-check crds: skipped: %v\n", err)
			continue
		}
		for _, doc := range docs {
			if doc.APIVersion == "apiextensions.k8s.io/v1" && doc.Kind == "CustomResourceDefinition" {
				items = append(items, doc.JSON)
			}
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("no CustomResourceDefinition in %s", strings.Join(args, " "))
	}
	return writeList(stdout, items)
}

type clusterFlags struct {
	server, caCert, caKey *string
	verbose               *bool
}

func addClusterFlags(fs *flag.FlagSet) clusterFlags {
	return clusterFlags{
		server:  fs.String("server", "", "API server URL"),
		caCert:  fs.String("ca-cert", "", "the test CA's certificate (PEM)"),
		caKey:   fs.String("ca-key", "", "the test CA's key (PEM), to mint client certificates"),
		verbose: fs.Bool("v", false, "print every request, not only failures"),
	}
}

func (f clusterFlags) connect() (*cluster, *identity, error) {
	if *f.server == "" || *f.caCert == "" || *f.caKey == "" {
		return nil, nil, fmt.Errorf("--server, --ca-cert and --ca-key are required")
	}
	cl, err := loadCluster(*f.server, *f.caCert, *f.caKey)
	if err != nil {
		return nil, nil, err
	}
	admin, err := cl.userIdentity("apiserver-check-admin", "system:masters")
	return cl, admin, err
}

func applyCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addClusterFlags(fs)
	allowWarnings := fs.Bool("allow-warnings", false, "print warnings but do not fail on them (third-party objects such as upstream CRDs)")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	_, admin, err := cf.connect()
	if err != nil {
		return 2, err
	}
	applied, refused, warnings, err := applyFiles(admin, fs.Args(), stdout)
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(stdout, "apply: %d objects applied, %d refused, %d warnings\n", applied, refused, warnings)
	if refused > 0 || (warnings > 0 && !*allowWarnings) {
		return 1, nil
	}
	return 0, nil
}

func deleteCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addClusterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	_, admin, err := cf.connect()
	if err != nil {
		return 2, err
	}
	deleted, err := deleteFiles(admin, fs.Args(), stdout)
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(stdout, "delete: %d objects deleted\n", deleted)
	return 0, nil
}

func rbacCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("rbac", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addClusterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	cl, admin, err := cf.connect()
	if err != nil {
		return 2, err
	}
	var allowed, denied, failures int
	for _, dir := range fs.Args() {
		a, d, f, err := rbacCheck(cl, admin, dir, stdout, *cf.verbose)
		if err != nil {
			return 2, fmt.Errorf("%s: %w", dir, err)
		}
		allowed, denied, failures = allowed+a, denied+d, failures+f
	}
	fmt.Fprintf(stdout, "rbac: %d folders, %d requests (%d allowed, %d denied), %d wrong\n",
		fs.NArg(), allowed+denied, allowed, denied, failures)
	if failures > 0 {
		return 1, nil
	}
	return 0, nil
}

func auditCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addClusterFlags(fs)
	logPath := fs.String("log", "", "the server's audit log (JSON lines)")
	ns := fs.String("namespace", "", "the service's namespace")
	other := fs.String("unrelated", "", "a namespace the policy does not name")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if *logPath == "" || *ns == "" || *other == "" || fs.NArg() > 0 {
		return 2, fmt.Errorf("--log, --namespace and --unrelated are required")
	}
	cl, admin, err := cf.connect()
	if err != nil {
		return 2, err
	}
	rows, failures, err := auditCheck(cl, admin, *logPath, *ns, *other, stdout, *cf.verbose)
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(stdout, "audit: namespace %s: %d requests checked against the log, %d wrong\n", *ns, rows, failures)
	if failures > 0 {
		return 1, nil
	}
	return 0, nil
}

func admissionPolicyCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("admission-policy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addClusterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	_, admin, err := cf.connect()
	if err != nil {
		return 2, err
	}
	requests, wrong := 0, 0
	for _, dir := range fs.Args() {
		n, failures, err := admissionPolicyCheck(admin, dir, stdout, *cf.verbose)
		if err != nil {
			return 2, fmt.Errorf("%s: %w", dir, err)
		}
		for _, f := range failures {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", dir, f)
		}
		requests, wrong = requests+n, wrong+len(failures)
	}
	fmt.Fprintf(stdout, "admission-policy: %d folders, %d dry-run requests, %d wrong\n", fs.NArg(), requests, wrong)
	if wrong > 0 {
		return 1, nil
	}
	return 0, nil
}
