/**
 * Namespace rules: a Namespace the output creates is a unit of its own. It enforces the Pod Security
 * Standards' restricted profile, denies all traffic that no policy opens, and its quota forbids the
 * Service types that bypass the TLS edge. Each rule applies to a Namespace object and looks for the
 * rest in the same unit (a TradingNamespace, a Guard.check scope, one manifest file of the CLI plugin).
 */
import { parseQuantity } from '../../quantity';
import { Manifest, Rule, rule, RuleContext } from '../rule';
import { isDenyAll, selectsEveryPod } from './network';

/** The Pod Security Admission label prefix. */
export const POD_SECURITY_PREFIX = 'pod-security.kubernetes.io/';
/** The three Pod Security Admission modes. */
export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;
/** The oldest Kubernetes minor the library supports; an older pinned policy version is weaker. */
const MIN_POLICY_MINOR = 30;
/** The quota keys that must be zero: LoadBalancer and NodePort Services bypass the edge. */
export const EXPOSURE_QUOTA_KEYS = ['services.loadbalancers', 'services.nodeports'] as const;

/** The objects of the unit in the Namespace's namespace. */
function inNamespace(namespace: Manifest, context: RuleContext): Manifest[] {
  const name = namespace.metadata?.name;
  return context.objects.filter((o) => o !== namespace && typeof name === 'string' && o.metadata?.namespace === name);
}

/** Whether the policy version label is acceptable: absent (latest), `latest`, or a pinned `v1.<minor>` not older than the floor. */
function versionProblem(value: unknown): string | undefined {
  if (value === undefined || value === 'latest') {
    return undefined;
  }
  const minor = typeof value === 'string' ? /^v1\.(0|[1-9][0-9]*)$/.exec(value)?.[1] : undefined;
  if (minor === undefined) {
    return `is ${JSON.stringify(value)}, not "latest" or a version such as "v1.${MIN_POLICY_MINOR}"`;
  }
  return Number(minor) < MIN_POLICY_MINOR ? `pins the policy of v1.${minor}, older than the supported v1.${MIN_POLICY_MINOR}` : undefined;
}

export const NAMESPACE_RULES: Rule[] = [
  rule({
    id: 'NS-POD-SECURITY',
    title: 'The Namespace enforces, audits and warns on the Pod Security Standards restricted profile',
    threat: 'Without enforcement, anyone who may create pods in the namespace runs a privileged or host-network pod next to the pods that hold the keys, and reads them from the node.',
    fix: 'Keep the labels pod-security.kubernetes.io/enforce, audit and warn at "restricted", their -version labels at "latest" (or a pinned supported version).',
    appliesTo: (object) => object.kind === 'Namespace',
    check: (object, _context, report) => {
      const labels: Manifest = object.metadata?.labels ?? {};
      for (const mode of POD_SECURITY_MODES) {
        const key = `${POD_SECURITY_PREFIX}${mode}`;
        if (labels[key] !== 'restricted') {
          report(`metadata.labels["${key}"]`, `is ${JSON.stringify(labels[key])}, not "restricted"`);
        }
        const problem = versionProblem(labels[`${key}-version`]);
        if (problem) {
          report(`metadata.labels["${key}-version"]`, problem);
        }
      }
    },
  }),
  rule({
    id: 'NS-DEFAULT-DENY',
    title: 'The Namespace has a NetworkPolicy that selects every pod in it and denies all ingress and egress',
    threat: 'A pod added to the namespace without a policy of its own (a debug pod, a new service) can be reached from, and send keys to, anywhere.',
    fix: 'Keep the namespace\'s default-deny NetworkPolicy: podSelector {}, policyTypes Ingress and Egress, no rules.',
    appliesTo: (object) => object.kind === 'Namespace',
    check: (object, context, report) => {
      if (!inNamespace(object, context).some((o) => isDenyAll(o) && selectsEveryPod(o.spec?.podSelector))) {
        report('metadata.name', `no NetworkPolicy in namespace ${JSON.stringify(object.metadata?.name)} denies all ingress and egress of every pod`);
      }
    },
  }),
  rule({
    id: 'NS-QUOTA-EXPOSURE',
    title: 'The Namespace has a ResourceQuota that allows no LoadBalancer and no NodePort Service',
    threat: 'A LoadBalancer or NodePort Service exposes the pods on the nodes or a cloud load balancer, bypassing the TLS Ingress, its rate limits and the NetworkPolicy\'s ingress source.',
    fix: 'Keep the namespace\'s ResourceQuota, unscoped, with hard services.loadbalancers: "0" and services.nodeports: "0".',
    appliesTo: (object) => object.kind === 'Namespace',
    check: (object, context, report) => {
      const quotas = inNamespace(object, context).filter((o) => o.kind === 'ResourceQuota' && !o.spec?.scopes?.length && !o.spec?.scopeSelector);
      for (const key of EXPOSURE_QUOTA_KEYS) {
        if (!quotas.some((q) => parseQuantity(q.spec?.hard?.[key])?.nanos === 0n)) {
          report('metadata.name', `no unscoped ResourceQuota in namespace ${JSON.stringify(object.metadata?.name)} sets ${key} to "0"`);
        }
      }
    },
  }),
];
