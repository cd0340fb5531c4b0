// Package auditpolicy checks kube-apiserver audit policies (audit.k8s.io/v1
// Policy): strict decoding, the API server's own loading and validation, and
// this project's requirements.
package auditpolicy

import (
	"fmt"
	"sort"
	"strings"

	auditinternal "k8s.io/apiserver/pkg/apis/audit"
	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
	"k8s.io/apiserver/pkg/audit"
	"k8s.io/apiserver/pkg/audit/policy"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// Group is the API group of audit policies.
const Group = "audit.k8s.io"

// IsPolicy reports whether the document is an audit policy (of any version).
func IsPolicy(doc manifest.Document) bool {
	return doc.Kind == "Policy" && doc.Group() == Group
}

// Finding is one problem of a policy that decoded.
type Finding struct {
	File    string `json:"file"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

func (f Finding) String() string {
	name := f.Name
	if name == "" {
		name = "-"
	}
	return fmt.Sprintf("%s: Policy/%s: %s", f.File, name, f.Message)
}

// Check decodes a Policy document strictly and returns its findings. An
// error means the document could not be decoded (unsupported apiVersion,
// unknown, duplicate or mistyped fields).
func Check(doc manifest.Document) ([]Finding, error) {
	return checkPolicy(doc, false)
}

// CheckPromise is Check plus the Promise table: every request of it must be
// logged at exactly the level the README promises.
func CheckPromise(doc manifest.Document) ([]Finding, error) {
	return checkPolicy(doc, true)
}

func checkPolicy(doc manifest.Document, promise bool) ([]Finding, error) {
	if doc.APIVersion != auditv1.SchemeGroupVersion.String() {
		return nil, fmt.Errorf("%s: Policy: unsupported apiVersion %q (expected %q)",
			doc.Location(), doc.APIVersion, auditv1.SchemeGroupVersion.String())
	}
	var p auditv1.Policy
	if err := doc.DecodeStrict(&p); err != nil {
		return nil, err
	}
	var findings []Finding
	add := func(format string, a ...any) {
		findings = append(findings, Finding{File: doc.File, Name: p.Name, Message: fmt.Sprintf(format, a...)})
	}

	// The API server's own loader, as used for --audit-policy-file: decoding,
	// validation (levels, stages, rule fields) and the non-empty rule list.
	// Its "0 rules" error is reported below as our own finding.
	if _, err := policy.LoadPolicyFromBytes(doc.JSON); err != nil &&
		!(len(p.Rules) == 0 && strings.Contains(err.Error(), "0 rules")) {
		add("rejected by kube-apiserver's policy loader: %v", err)
	}

	if !hasStage(p.OmitStages, auditv1.StageRequestReceived) {
		add("omitStages does not include %s", auditv1.StageRequestReceived)
	}
	if len(p.Rules) == 0 {
		add("policy has no rules")
		return findings, nil
	}

	var internal auditinternal.Policy
	if err := audit.Scheme.Convert(&p, &internal, nil); err != nil {
		return nil, fmt.Errorf("%s: Policy: converting to the internal type: %w", doc.Location(), err)
	}
	for _, s := range SecretRules(&internal) {
		add("rules[%d] logs %s at level %s: Secret data would be written to the audit log",
			s.Rule, s.Example, internal.Rules[s.Rule].Level)
	}
	if promise {
		for _, message := range Broken(&internal) {
			add("%s", message)
		}
	}
	return findings, nil
}

func hasStage(stages []auditv1.Stage, s auditv1.Stage) bool {
	for _, x := range stages {
		if x == s {
			return true
		}
	}
	return false
}

// SecretRule is a rule that is the first match, at level Request or
// RequestResponse, for some request on core-group secrets.
type SecretRule struct {
	Rule    int    // index in Policy.Rules
	Example string // a request it applies to, for messages
}

// placeholder values stand for "any other user/namespace/...": they are
// made to differ from every value a rule names.
const other = "\x00other"

// SecretRules asks the API server's own policy evaluator what level requests
// on secrets (group "") are logged at. The requests tried cover every verb,
// user, group, namespace and resource name that the policy names plus one
// value it does not name for each, which is enough to reach every rule the
// way any real request could.
func SecretRules(p *auditinternal.Policy) []SecretRule {
	users := []string{other}
	groups := []string{other}
	verbs := []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
	namespaces := []string{other, ""}
	names := []string{other, ""}
	addUniq := func(list *[]string, values []string) {
		for _, v := range values {
			if !contains(*list, v) {
				*list = append(*list, v)
			}
		}
	}
	for _, r := range p.Rules {
		addUniq(&users, r.Users)
		addUniq(&groups, r.UserGroups)
		addUniq(&verbs, r.Verbs)
		addUniq(&namespaces, r.Namespaces)
		for _, gr := range r.Resources {
			addUniq(&names, gr.ResourceNames)
		}
	}

	evaluator := policy.NewPolicyRuleEvaluator(p)
	single := make([]audit.PolicyRuleEvaluator, len(p.Rules))
	for i, r := range p.Rules {
		r.Level = auditinternal.LevelRequestResponse // marks "this rule matched"
		single[i] = policy.NewPolicyRuleEvaluator(&auditinternal.Policy{Rules: []auditinternal.PolicyRule{r}})
	}

	found := map[int]string{}
	var order []int
	for _, u := range users {
		for _, g := range groups {
			info := &user.DefaultInfo{Name: u}
			if g != other {
				info.Groups = []string{g}
			}
			for _, verb := range verbs {
				for _, ns := range namespaces {
					for _, name := range names {
						attrs := authorizer.AttributesRecord{
							User: info, Verb: verb, Namespace: ns, Name: name,
							APIGroup: "", APIVersion: "v1", Resource: "secrets",
							ResourceRequest: true,
						}
						level := evaluator.EvaluatePolicyRule(attrs).Level
						if !level.GreaterOrEqual(auditinternal.LevelRequest) {
							continue
						}
						for i := range single {
							if single[i].EvaluatePolicyRule(attrs).Level == auditinternal.LevelRequestResponse {
								if _, ok := found[i]; !ok {
									found[i] = describe(attrs, g)
									order = append(order, i)
								}
								break
							}
						}
					}
				}
			}
		}
	}
	sort.Ints(order)
	out := make([]SecretRule, 0, len(order))
	for _, i := range order {
		out = append(out, SecretRule{Rule: i, Example: found[i]})
	}
	return out
}

func describe(a authorizer.AttributesRecord, group string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q on secrets", a.Verb)
	if a.Name != other && a.Name != "" {
		fmt.Fprintf(&b, " named %q", a.Name)
	}
	switch a.Namespace {
	case other:
	case "":
		b.WriteString(" across all namespaces")
	default:
		fmt.Fprintf(&b, " in namespace %q", a.Namespace)
	}
	if a.User.GetName() != other {
		fmt.Fprintf(&b, " by user %q", a.User.GetName())
	}
	if group != other {
		fmt.Fprintf(&b, " in group %q", group)
	}
	return b.String()
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
