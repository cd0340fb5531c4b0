// Package psa extracts pod templates from Kubernetes manifests and evaluates
// them with the Pod Security Admission library at the restricted level.
package psa

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// Template is the pod template of one manifest object.
type Template struct {
	File      string
	Kind      string
	Namespace string // of the object itself (the template's namespace is unused)
	Name      string
	PodMeta   metav1.ObjectMeta
	PodSpec   corev1.PodSpec
}

// Violation is a failed Pod Security check.
type Violation struct {
	File      string `json:"file"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Reason    string `json:"reason"`
	Detail    string `json:"detail"`
}

// Object names the object as Kind/namespace/name; an unset namespace is "-".
func (v Violation) Object() string {
	ns := v.Namespace
	if ns == "" {
		ns = "-"
	}
	return fmt.Sprintf("%s/%s/%s", v.Kind, ns, v.Name)
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s: %s: %s", v.File, v.Object(), v.Reason, v.Detail)
}

// supported maps kind to the apiVersion whose pod template is evaluated.
var supported = map[string]string{
	"Pod":                   "v1",
	"PodTemplate":           "v1",
	"ReplicationController": "v1",
	"Deployment":            "apps/v1",
	"StatefulSet":           "apps/v1",
	"DaemonSet":             "apps/v1",
	"ReplicaSet":            "apps/v1",
	"Job":                   "batch/v1",
	"CronJob":               "batch/v1",
}

// builtinGroups are the API groups whose workload kinds must use the
// supported apiVersion; anything else with such a kind is a custom resource.
var builtinGroups = map[string]bool{"": true, "apps": true, "batch": true, "extensions": true}

// Extract returns the pod template of a document. ok is false when the
// document holds no pod template we evaluate (not a workload kind, or a
// custom resource that merely shares a kind name). A workload kind of a
// built-in group at an unsupported apiVersion is an error, as is any
// field that does not decode strictly.
func Extract(doc manifest.Document) (t Template, ok bool, err error) {
	want, known := supported[doc.Kind]
	if !known || !builtinGroups[doc.Group()] {
		return Template{}, false, nil
	}
	if doc.APIVersion != want {
		return Template{}, false, fmt.Errorf("%s: %s: unsupported apiVersion %q (expected %q)",
			doc.Location(), doc.Kind, doc.APIVersion, want)
	}
	t = Template{File: doc.File, Kind: doc.Kind}
	var (
		meta metav1.ObjectMeta
		tmpl *corev1.PodTemplateSpec
	)
	switch doc.Kind {
	case "Pod":
		var o corev1.Pod
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta = o.ObjectMeta
		tmpl = &corev1.PodTemplateSpec{ObjectMeta: o.ObjectMeta, Spec: o.Spec}
	case "PodTemplate":
		var o corev1.PodTemplate
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Template
	case "ReplicationController":
		var o corev1.ReplicationController
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, o.Spec.Template
	case "Deployment":
		var o appsv1.Deployment
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.Template
	case "StatefulSet":
		var o appsv1.StatefulSet
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.Template
	case "DaemonSet":
		var o appsv1.DaemonSet
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.Template
	case "ReplicaSet":
		var o appsv1.ReplicaSet
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.Template
	case "Job":
		var o batchv1.Job
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.Template
	case "CronJob":
		var o batchv1.CronJob
		if err := doc.DecodeStrict(&o); err != nil {
			return t, false, err
		}
		meta, tmpl = o.ObjectMeta, &o.Spec.JobTemplate.Spec.Template
	}
	t.Namespace, t.Name = meta.Namespace, meta.Name
	if tmpl == nil {
		return t, false, fmt.Errorf("%s: %s %q has no pod template", doc.Location(), doc.Kind, meta.Name)
	}
	t.PodMeta, t.PodSpec = tmpl.ObjectMeta, tmpl.Spec
	return t, true, nil
}

// Checker evaluates pod templates at the restricted level, latest version.
type Checker struct {
	evaluator policy.Evaluator
	level     api.LevelVersion
}

// NewChecker builds a Checker from the library's default checks.
func NewChecker() (*Checker, error) {
	ev, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		return nil, err
	}
	return &Checker{
		evaluator: ev,
		level:     api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()},
	}, nil
}

// Check returns the violations of one pod template, in the library's order.
func (c *Checker) Check(t Template) []Violation {
	var out []Violation
	for _, r := range c.evaluator.EvaluatePod(c.level, &t.PodMeta, &t.PodSpec) {
		if r.Allowed {
			continue
		}
		out = append(out, Violation{
			File: t.File, Kind: t.Kind, Namespace: t.Namespace, Name: t.Name,
			Reason: r.ForbiddenReason, Detail: r.ForbiddenDetail,
		})
	}
	return out
}
