/**
 * Workload rules: how a service's pods, Service and PodDisruptionBudget fit together (cross-object;
 * they apply to the objects of a SecureTradingApi, whose parts are known to belong together).
 */
import { SINGLETON_ANNOTATION } from '../../annotations';
import { SYSTEM_NAMESPACE } from '../../validate';
import { isPodBearing, Manifest, podMetadataOf, podSpecOf, Rule, rule, selects } from '../rule';

const SELECTING = ['Service', 'PodDisruptionBudget', 'NetworkPolicy'];
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'CustomResourceDefinition', 'PersistentVolume', 'ClusterIssuer', 'ClusterSecretStore', 'CiliumEgressGatewayPolicy', 'ClusterPolicy']);

function selectorOf(object: Manifest): { [key: string]: string } | undefined {
  switch (object.kind) {
    case 'Service': return object.spec?.selector;
    case 'PodDisruptionBudget': return object.spec?.selector?.matchLabels;
    case 'NetworkPolicy': return object.spec?.podSelector?.matchLabels;
    default: return object.spec?.selector?.matchLabels;
  }
}

const workloads = (context: { objects: Manifest[] }) => context.objects.filter(isPodBearing);

export const WORKLOAD_RULES: Rule[] = [
  rule({
    id: 'WL-SELECTORS',
    title: 'Selectors equal the pod template\'s labels, and the Service, PDB and policies select exactly the service\'s pods',
    threat: 'A selector that misses the pods leaves them unprotected (no policy, no disruption budget); one that catches other pods sends them orders or opens them up.',
    fix: 'Keep every selector equal to the workload\'s matchLabels (app.kubernetes.io/name and instance).',
    appliesTo: (object, context) => context.isService && (isPodBearing(object) || SELECTING.includes(object.kind)),
    check: (object, context, report) => {
      const own = workloads(context);
      if (isPodBearing(object)) {
        if (object.kind !== 'Pod' && !selects(object.spec?.selector?.matchLabels, podMetadataOf(object).labels)) {
          report('spec.selector.matchLabels', 'does not select the pod template\'s labels');
        }
        return;
      }
      const selector = selectorOf(object);
      const field = object.kind === 'Service' ? 'spec.selector' : object.kind === 'NetworkPolicy' ? 'spec.podSelector.matchLabels' : 'spec.selector.matchLabels';
      if (own.length > 0 && !own.some((w) => selects(selector, podMetadataOf(w).labels))) {
        report(field, `${JSON.stringify(selector)} selects none of the service's pods`);
      }
      const selected = own.filter((w) => selects(selector, podMetadataOf(w).labels));
      if (selected.length > 1) {
        report(field, `${JSON.stringify(selector)} selects the pods of ${selected.map((w) => w.metadata?.name).join(', ')}`);
      }
      const workloadSelectors = own.map((w) => JSON.stringify(w.spec?.selector?.matchLabels ?? podMetadataOf(w).labels));
      if (own.length > 0 && !workloadSelectors.includes(JSON.stringify(selector))) {
        report(field, `${JSON.stringify(selector)} differs from the workload's selector, so it may select other pods`);
      }
    },
  }),
  rule({
    id: 'WL-DISRUPTION',
    title: 'A policy/v1 PodDisruptionBudget selects the pods without ever blocking every eviction',
    threat: 'Without a budget a drain takes every pod at once; a budget that blocks all evictions stalls node upgrades and security patches.',
    fix: 'Keep the PodDisruptionBudget with maxUnavailable >= 1 (no minAvailable) and unhealthyPodEvictionPolicy: AlwaysAllow.',
    appliesTo: (object, context) => context.isService && isPodBearing(object) && object.kind !== 'Pod' && object.kind !== 'Job' && object.kind !== 'CronJob',
    check: (object, context, report) => {
      const labels = podMetadataOf(object).labels;
      const budgets = context.objects.filter((o) => o.kind === 'PodDisruptionBudget' && selects(o.spec?.selector?.matchLabels, labels));
      if (budgets.length === 0) {
        report('spec.template.metadata.labels', 'no PodDisruptionBudget selects these pods');
      }
      for (const budget of budgets) {
        const max = budget.spec?.maxUnavailable;
        if (budget.spec?.minAvailable !== undefined || !((typeof max === 'number' && max >= 1) || (typeof max === 'string' && /^[1-9][0-9]*%?$/.test(max)))) {
          report('spec.template.metadata.labels', `PodDisruptionBudget ${budget.metadata?.name} can block every eviction (minAvailable ${JSON.stringify(budget.spec?.minAvailable)}, maxUnavailable ${JSON.stringify(max)})`);
        }
        if (budget.spec?.unhealthyPodEvictionPolicy !== 'AlwaysAllow') {
          report('spec.template.metadata.labels', `PodDisruptionBudget ${budget.metadata?.name} keeps unhealthy pods from being evicted`);
        }
      }
    },
  }),
  rule({
    id: 'WL-SPREAD',
    title: 'Pods prefer distinct nodes and spread across zones',
    threat: 'Replicas on one node or zone fail together: a single node loss takes the trading API down.',
    fix: 'Keep podAntiAffinity on kubernetes.io/hostname and topologySpreadConstraints on the pods.',
    appliesTo: (object, context) => context.isService && isPodBearing(object) && !['Pod', 'Job', 'CronJob'].includes(object.kind),
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      const anti = spec.affinity?.podAntiAffinity;
      const terms = [...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Manifest) => t?.podAffinityTerm),
        ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
      if (!terms.some((t: Manifest) => t?.topologyKey === 'kubernetes.io/hostname')) {
        report(`${path}.affinity.podAntiAffinity`, 'no anti-affinity on kubernetes.io/hostname');
      }
      if (!Array.isArray(spec.topologySpreadConstraints) || spec.topologySpreadConstraints.length === 0) {
        report(`${path}.topologySpreadConstraints`, 'no topology spread constraint');
      }
    },
  }),
  rule({
    id: 'WL-SERVICE',
    title: 'The Service is ClusterIP and targets a named container port',
    threat: 'A NodePort or LoadBalancer Service bypasses the TLS Ingress, its rate limits and the NetworkPolicy\'s ingress source.',
    fix: 'Keep type: ClusterIP and a named targetPort; expose the API only through the Ingress.',
    appliesTo: (object) => object.kind === 'Service',
    check: (object, context, report) => {
      if (object.spec?.type !== 'ClusterIP') {
        report('spec.type', `is ${JSON.stringify(object.spec?.type)}, not ClusterIP`);
      }
      const portNames = new Set(workloads(context).flatMap((w) => {
        const { spec } = podSpecOf(w)!;
        return (spec.containers ?? []).flatMap((c: Manifest) => (c?.ports ?? []).map((p: Manifest) => p?.name));
      }));
      (Array.isArray(object.spec?.ports) ? object.spec.ports : []).forEach((p: Manifest, i: number) => {
        if (typeof p?.targetPort !== 'string') {
          report(`spec.ports[${i}].targetPort`, `is ${JSON.stringify(p?.targetPort)}, not a port name`);
        } else if (context.isService && !portNames.has(p.targetPort)) {
          report(`spec.ports[${i}].targetPort`, `"${p.targetPort}" is not a container port of the service's pods`);
        }
      });
    },
  }),
  rule({
    id: 'WL-NAMESPACE',
    title: 'Every namespaced object is in the service\'s own, non-system namespace',
    threat: 'Objects in default or kube-* namespaces share RBAC, policies and quotas with unrelated workloads; a split namespace leaves some objects without the service\'s policies.',
    fix: 'Keep every object in the namespace the service was created with, never default or kube-*.',
    appliesTo: (object, context) => !CLUSTER_SCOPED.has(object.kind) && (context.isService || isPodBearing(object)),
    check: (object, context, report) => {
      const namespace = object.metadata?.namespace;
      if (typeof namespace !== 'string' || SYSTEM_NAMESPACE.test(namespace)) {
        report('metadata.namespace', `is ${JSON.stringify(namespace)}: a service holding keys needs a namespace of its own`);
        return;
      }
      const home = workloads(context)[0]?.metadata?.namespace;
      if (context.isService && home !== undefined && namespace !== home) {
        report('metadata.namespace', `is "${namespace}", not the service's namespace "${home}"`);
      }
    },
  }),
  rule({
    id: 'WL-SINGLETON',
    title: 'A workload declared singleton is a StatefulSet of at most one replica, replaced only after its pod is gone',
    threat: 'Two instances of an order-placing bot place every order twice: a Deployment surges a second pod on rollout and replaces a pod that may still be running.',
    fix: 'Keep the singleton a StatefulSet with replicas 1, podManagementPolicy OrderedReady, RollingUpdate or OnDelete updates, and a termination grace period above 0.',
    appliesTo: (object) => isPodBearing(object) && object.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true',
    check: (object, _context, report) => {
      if (object.kind !== 'StatefulSet') {
        report('kind', `is ${object.kind}: only a StatefulSet waits for the old pod to be gone before it creates the new one`);
        return;
      }
      const replicas = object.spec?.replicas;
      if (replicas !== undefined && !(replicas === 0 || replicas === 1)) {
        report('spec.replicas', `is ${JSON.stringify(replicas)}: a second replica is a second instance`);
      }
      if ((object.spec?.podManagementPolicy ?? 'OrderedReady') !== 'OrderedReady') {
        report('spec.podManagementPolicy', `is ${JSON.stringify(object.spec.podManagementPolicy)}, which creates and deletes pods without waiting`);
      }
      const strategy = object.spec?.updateStrategy;
      if ((strategy?.rollingUpdate?.maxUnavailable ?? 1) !== 1) {
        report('spec.updateStrategy.rollingUpdate.maxUnavailable', `is ${JSON.stringify(strategy.rollingUpdate.maxUnavailable)}`);
      }
      const grace = podSpecOf(object)!.spec.terminationGracePeriodSeconds;
      if (grace === 0) {
        report(`${podSpecOf(object)!.path}.terminationGracePeriodSeconds`, 'is 0: the pod is removed from the API server before its containers have stopped');
      }
    },
  }),
];
