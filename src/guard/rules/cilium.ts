/**
 * Cilium rules: FQDN egress reaches named hosts only, Cilium can see the DNS lookups it needs, a
 * service's CiliumNetworkPolicy selects that service's pods and no others.
 */
import { fqdnHostProblem } from '../../fqdn-names';
import { isPodBearing, Manifest, rule, Rule, selects } from '../rule';

const CILIUM_POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

function isCiliumPolicy(object: Manifest): boolean {
  return object?.apiVersion === 'cilium.io/v2' && CILIUM_POLICY_KINDS.includes(object.kind);
}

/** Every egress rule of a Cilium policy (`spec` and each of `specs`), with its field path. */
function egressRules(policy: Manifest): Array<{ rule: Manifest; field: string }> {
  const specs: Array<{ spec: Manifest; path: string }> = [];
  if (policy.spec) {
    specs.push({ spec: policy.spec, path: 'spec' });
  }
  (Array.isArray(policy.specs) ? policy.specs : []).forEach((spec: Manifest, i: number) => specs.push({ spec: spec ?? {}, path: `specs[${i}]` }));
  const out: Array<{ rule: Manifest; field: string }> = [];
  for (const { spec, path } of specs) {
    (Array.isArray(spec.egress) ? spec.egress : []).forEach((r: Manifest, i: number) => out.push({ rule: r ?? {}, field: `${path}.egress[${i}]` }));
  }
  return out;
}

function hasFqdnRules(policy: Manifest): boolean {
  return egressRules(policy).some(({ rule: r }) => Array.isArray(r.toFQDNs) && r.toFQDNs.length > 0);
}

/** Whether an egress rule sends port-53 traffic through Cilium's DNS proxy (an L7 `dns` rule). */
function isDnsVisibilityRule(r: Manifest): boolean {
  return (Array.isArray(r.toPorts) ? r.toPorts : []).some((p: Manifest) =>
    Array.isArray(p?.rules?.dns) && p.rules.dns.length > 0
    && (Array.isArray(p.ports) ? p.ports : []).some((port: Manifest) => String(port?.port) === '53'));
}

/** Cilium's pod label for the namespace: a cluster-wide selector is confined to one namespace by it. */
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** The same label as Cilium's endpoint selectors spell it with the source prefix. */
const NAMESPACE_LABELS = [NAMESPACE_LABEL, `k8s:${NAMESPACE_LABEL}`];

const isEgressGatewayPolicy = (o: Manifest) => o?.apiVersion === 'cilium.io/v2' && o?.kind === 'CiliumEgressGatewayPolicy';

/**
 * Why one selector of an egress gateway policy can reach pods other than the service's, or undefined:
 * only matchLabels, with every selector label of the service and its namespace; no namespaceSelector,
 * no nodeSelector and no matchExpressions (an `In` or `Exists` widens, and a `NotIn` never narrows).
 */
function egressSelectorProblem(entry: Manifest, namespace: unknown, selector: { [key: string]: string }): string | undefined {
  const keys = Object.keys(entry ?? {});
  if (keys.some((k) => k !== 'podSelector')) {
    return `has ${keys.filter((k) => k !== 'podSelector').join(', ')}: only podSelector, in the service's namespace, is allowed`;
  }
  const podSelector = entry.podSelector ?? {};
  if (podSelector.matchExpressions !== undefined) {
    return 'has podSelector.matchExpressions, which can widen it beyond the service\'s pods';
  }
  const labels: { [key: string]: string } = podSelector.matchLabels ?? {};
  if (!selects(selector, labels)) {
    return `podSelector.matchLabels ${JSON.stringify(labels)} lacks the service's selector labels ${JSON.stringify(selector)}`;
  }
  const namespaces = NAMESPACE_LABELS.filter((k) => k in labels).map((k) => labels[k]);
  if (namespaces.length === 0 || namespaces.some((n) => n !== namespace)) {
    return `podSelector.matchLabels must confine it to namespace ${JSON.stringify(namespace)} with ${NAMESPACE_LABEL}; it has ${JSON.stringify(namespaces)}`;
  }
  return undefined;
}

const withoutDot = (name: unknown) => (typeof name === 'string' ? name.replace(/\.$/, '') : name);

export const CILIUM_RULES: Rule[] = [
  rule({
    id: 'NET-FQDN-NARROW',
    title: 'Every toFQDNs entry of a Cilium policy is an exact public name, or a pattern with one leading wildcard label under at least two labels',
    threat: 'A pattern such as "*" or "*.com" lets a pod holding keys reach any host it can resolve, which is egress to the internet under another name.',
    fix: 'List the exchanges\' exact host names (ExchangeHosts presets), or one leading wildcard label such as "*.binance.com".',
    appliesTo: (object) => isCiliumPolicy(object) && hasFqdnRules(object),
    check: (object, _context, report) => {
      for (const { rule: r, field } of egressRules(object)) {
        (Array.isArray(r.toFQDNs) ? r.toFQDNs : []).forEach((entry: Manifest, i: number) => {
          const name = withoutDot(entry?.matchName);
          const pattern = withoutDot(entry?.matchPattern);
          const at = `${field}.toFQDNs[${i}]`;
          if ((name === undefined) === (pattern === undefined)) {
            report(at, `${JSON.stringify(entry)} must have exactly one of matchName and matchPattern`);
            return;
          }
          const value = (name ?? pattern) as unknown;
          const problem = typeof value !== 'string' ? 'is not a string'
            : name !== undefined && value.includes('*') ? 'is a matchName with a wildcard' : fqdnHostProblem(value);
          if (problem) {
            report(at, `${JSON.stringify(value)} ${problem}`);
          }
        });
      }
    },
  }),
  rule({
    id: 'NET-FQDN-DNS-VISIBILITY',
    title: 'A Cilium policy with toFQDNs rules sends the pods\' DNS lookups (port 53) through Cilium\'s DNS proxy',
    threat: 'Cilium learns the addresses behind a name only from DNS answers its proxy sees: without the DNS rule the named hosts stay unreachable, and the usual "fix" is a wide address rule.',
    fix: 'Keep the egress rule to cluster DNS with toPorts port 53 (UDP and TCP) and rules.dns [{ matchPattern: "*" }].',
    appliesTo: (object) => isCiliumPolicy(object) && hasFqdnRules(object),
    check: (object, _context, report) => {
      if (!egressRules(object).some(({ rule: r }) => isDnsVisibilityRule(r))) {
        report('spec.egress', 'has toFQDNs rules but no egress rule on port 53 with rules.dns, so Cilium never sees the lookups');
      }
    },
  }),
  rule({
    id: 'NET-CILIUM-SELECTS-SERVICE',
    title: 'A service\'s Cilium policy selects exactly the service\'s pods, in its namespace',
    threat: 'A selector wider than the service (empty, or fewer labels) gives every pod it matches the service\'s egress to the exchanges: keys held elsewhere could leave by the same path.',
    fix: 'Keep endpointSelector.matchLabels equal to (or narrower than) the workload\'s selector, and the policy in the service\'s namespace; use one policy per service, without specs.',
    appliesTo: (object, context) => context.isService && isCiliumPolicy(object),
    check: (object, context, report) => {
      const workload = context.objects.find(isPodBearing);
      const selector: { [key: string]: string } = workload?.spec?.selector?.matchLabels ?? {};
      if (object.kind !== 'CiliumNetworkPolicy') {
        report('kind', `${object.kind} applies to every namespace; a service's policy is a namespaced CiliumNetworkPolicy`);
      }
      if (object.specs !== undefined) {
        report('specs', 'has a specs list, whose selectors are not checked here: use one spec');
      }
      const matchLabels = object.spec?.endpointSelector?.matchLabels;
      if (!workload || Object.keys(selector).length === 0 || !selects(selector, matchLabels)
        || !selects(matchLabels, workload.spec?.template?.metadata?.labels)) {
        report('spec.endpointSelector', `${JSON.stringify(object.spec?.endpointSelector ?? null)} does not select exactly the service's pods (${JSON.stringify(selector)})`);
      }
      if (workload && object.metadata?.namespace !== workload.metadata?.namespace) {
        report('metadata.namespace', `${JSON.stringify(object.metadata?.namespace)} is not the service's namespace ${JSON.stringify(workload.metadata?.namespace)}`);
      }
    },
  }),
  rule({
    id: 'NET-EGRESS-GATEWAY-SELECTS-SERVICE',
    title: 'A service\'s CiliumEgressGatewayPolicy selects only the service\'s pods: its selector labels and its namespace, by matchLabels alone',
    threat: 'The egress gateway gives the pods it selects the source address the exchanges allow-list: a selector that is empty, names another namespace or uses matchExpressions '
      + 'lends that address, and with it the API key\'s IP restriction, to pods that do not hold the keys, or to any pod of the cluster.',
    fix: 'Keep one selector with podSelector.matchLabels equal to the service\'s selector labels plus io.kubernetes.pod.namespace: <its namespace>; no matchExpressions, namespaceSelector or nodeSelector.',
    appliesTo: (object, context) => context.isService && isEgressGatewayPolicy(object),
    check: (object, context, report) => {
      const workload = context.objects.find(isPodBearing);
      const selector: { [key: string]: string } = workload?.spec?.selector?.matchLabels ?? {};
      if (!workload || Object.keys(selector).length === 0) {
        report('spec.selectors', 'the service has no workload selector to compare with');
        return;
      }
      const selectors = object.spec?.selectors;
      if (!Array.isArray(selectors) || selectors.length === 0) {
        report('spec.selectors', 'is empty or missing');
        return;
      }
      selectors.forEach((entry: Manifest, i: number) => {
        const problem = egressSelectorProblem(entry, workload.metadata?.namespace, selector);
        if (problem) {
          report(`spec.selectors[${i}]`, problem);
        }
      });
    },
  }),
];
