/**
 * Admission rules: a ValidatingAdmissionPolicy in the output refuses something only when a binding
 * puts it in Deny mode and it fails closed. A policy without one is a control that is not there.
 */
import { Manifest, Rule, rule } from '../rule';

const API_VERSION = 'admissionregistration.k8s.io/v1';

const isPolicy = (o: Manifest) => o?.apiVersion === API_VERSION && o?.kind === 'ValidatingAdmissionPolicy';
const isBinding = (o: Manifest) => o?.apiVersion === API_VERSION && o?.kind === 'ValidatingAdmissionPolicyBinding';

export const ADMISSION_RULES: Rule[] = [
  rule({
    id: 'ADM-POLICY-ENFORCED',
    title: 'Every ValidatingAdmissionPolicy has validations, fails closed, and has a binding in the same output that denies',
    threat: 'A policy without a binding, or bound only to Warn or Audit, refuses nothing: a pod that mounts the keys under another identity, a weakened pod of the service, or a snippet Ingress is admitted while the output looks enforced; failurePolicy Ignore admits whatever makes a rule error.',
    fix: 'Keep each policy\'s ValidatingAdmissionPolicyBinding (same name, policyName set) with validationActions [Deny], and failurePolicy Fail (or unset).',
    appliesTo: isPolicy,
    check: (object, context, report) => {
      const name = object.metadata?.name;
      if (!Array.isArray(object.spec?.validations) || object.spec.validations.length === 0) {
        report('spec.validations', 'is empty: the policy checks nothing');
      }
      if (object.spec?.failurePolicy !== undefined && object.spec.failurePolicy !== 'Fail') {
        report('spec.failurePolicy', `is ${JSON.stringify(object.spec.failurePolicy)}, not "Fail": a rule that errors admits the request`);
      }
      const bindings = context.objects.filter((o) => isBinding(o) && o.spec?.policyName === name);
      if (bindings.length === 0) {
        report('metadata.name', `no ValidatingAdmissionPolicyBinding in the output names policy ${JSON.stringify(name)}: it is never enforced`);
      } else if (!bindings.some((b) => Array.isArray(b.spec?.validationActions) && b.spec.validationActions.includes('Deny'))) {
        report('metadata.name', `no binding of policy ${JSON.stringify(name)} has validationActions Deny: it only warns or audits`);
      }
    },
  }),
];
