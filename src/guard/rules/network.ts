/**
 * Network rules: a default-deny for the pods, allow rules that name their peers and ports, and egress
 * whose reach, over the union of every allowed block, stays narrow.
 */
import { Block, Cidr, contains, parseCidr, unionSize } from '../../cidr';
import { embeddedIpv4, IPV4_MAPPED, isNodeLocalDnsException, NAT64, RangeKind, specialRangesFor } from '../../egress-ranges';
import { isPodBearing, Manifest, podMetadataOf, Rule, rule, RuleContext, selects } from '../rule';

const MAX_REACH = { 4: 2n ** 24n, 6: 2n ** 112n } as const; // one /8, one /16
const ALL_IPV4: Block = { family: 4, network: 0n, prefixLength: 0 };

/** One egress ipBlock of a policy, parsed, with where it sits. */
interface EgressBlock {
  readonly cidr?: Cidr;
  readonly raw: unknown;
  readonly except: Cidr[];
  readonly field: string;
  /** The block is the NodeLocal DNSCache exception: one link-local address outside the metadata blocks, on port 53 only. */
  readonly nodeLocalDns: boolean;
}

/** The policy's egress blocks, parsed once per evaluation: three rules read the same blocks. */
function egressBlocks(policy: Manifest, context: RuleContext): EgressBlock[] {
  const cached = context.memo.get(policy) as EgressBlock[] | undefined;
  if (cached) {
    return cached;
  }
  const blocks = parseEgressBlocks(policy);
  context.memo.set(policy, blocks);
  return blocks;
}

function parseEgressBlocks(policy: Manifest): EgressBlock[] {
  return egressPeers(policy).filter(({ peer }) => peer.ipBlock).map(({ peer, field, ports }) => {
    const cidr = parseCidr(peer.ipBlock.cidr).cidr;
    return {
      cidr,
      raw: peer.ipBlock.cidr,
      except: (Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : []).map((e: unknown) => parseCidr(e as string).cidr)
        .filter((c: Cidr | undefined): c is Cidr => c !== undefined),
      field: `${field}.ipBlock`,
      nodeLocalDns: cidr !== undefined && isNodeLocalDnsException(cidr, peer.ipBlock.except, ports),
    };
  });
}

/** Reports every special range of `kind` that a block reaches (not excepted). */
function reachesSpecial(policy: Manifest, context: RuleContext, kind: RangeKind, report: (field: string, message: string) => void): void {
  for (const { cidr, raw, except, field, nodeLocalDns } of egressBlocks(policy, context)) {
    if (!cidr || contains(IPV4_MAPPED, cidr)) {
      report(`${field}.cidr`, `${JSON.stringify(raw)} is not a plain, canonical CIDR block (IPv4-mapped forms are read as IPv4 blocks)`);
      continue;
    }
    if (kind === 'never' && nodeLocalDns) {
      continue; // NodeLocal DNSCache: one link-local address, port 53 only
    }
    for (const special of specialRangesFor(cidr).filter((r) => r.kind === kind)) {
      const overlaps = contains(cidr, special.block) || contains(special.block, cidr);
      if (overlaps && !except.some((e) => contains(e, special.block) || contains(e, cidr))) {
        report(field, `${cidr.canonical} reaches ${special.block.canonical}, ${special.description}`);
      }
    }
  }
}

type Peer = { peer: Manifest; field: string; ports: unknown };

function egressPeers(policy: Manifest): Peer[] {
  const out: Peer[] = [];
  (Array.isArray(policy.spec?.egress) ? policy.spec.egress : []).forEach((r: Manifest, i: number) => {
    (Array.isArray(r?.to) ? r.to : []).forEach((peer: Manifest, j: number) => out.push({ peer: peer ?? {}, field: `spec.egress[${i}].to[${j}]`, ports: r?.ports }));
  });
  return out;
}

/** A NetworkPolicy of both policy types without any rule: whatever it selects can neither be reached nor reach out. */
export function isDenyAll(policy: Manifest): boolean {
  const spec = policy?.kind === 'NetworkPolicy' ? policy.spec : undefined;
  return Array.isArray(spec?.policyTypes) && spec.policyTypes.includes('Ingress') && spec.policyTypes.includes('Egress')
    && !(spec.ingress?.length) && !(spec.egress?.length);
}

/** Whether a pod selector is present and empty (`{}`, or empty matchLabels and matchExpressions): every pod of the namespace. */
export function selectsEveryPod(selector: unknown): boolean {
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) {
    return false;
  }
  const { matchLabels, matchExpressions, ...rest } = selector as Manifest;
  const emptyLabels = matchLabels === undefined || (typeof matchLabels === 'object' && matchLabels !== null && Object.keys(matchLabels).length === 0);
  const emptyExpressions = matchExpressions === undefined || (Array.isArray(matchExpressions) && matchExpressions.length === 0);
  return emptyLabels && emptyExpressions && Object.keys(rest).length === 0;
}

export const NETWORK_RULES: Rule[] = [
  rule({
    id: 'NET-DEFAULT-DENY',
    title: 'A NetworkPolicy denies all ingress and egress of the pods that no allow rule opens',
    threat: 'Without a default deny, a pod holding keys can be reached from, and send keys to, anywhere in the cluster and beyond.',
    fix: 'Keep the default-deny NetworkPolicy (policyTypes Ingress and Egress, no rules) selecting the service\'s pods, or the namespace-wide one of its TradingNamespace.',
    appliesTo: (object, context) => context.isService && isPodBearing(object),
    check: (object, context, report) => {
      const labels = podMetadataOf(object).labels;
      const namespace = object.metadata?.namespace;
      const deny = [...context.objects, ...context.shared].some((o) => isDenyAll(o) && o.metadata?.namespace === namespace
        && (selectsEveryPod(o.spec.podSelector) || selects(o.spec.podSelector?.matchLabels, labels)));
      if (!deny) {
        report('spec.template.metadata.labels', 'no default-deny NetworkPolicy (Ingress and Egress, no rules) in the pods\' namespace selects these pods');
      }
    },
  }),
  rule({
    id: 'NET-EXPLICIT-RULES',
    title: 'Every allow rule names its peers and its ports, each port with a number or name',
    threat: 'A rule without peers allows every address; a port entry without a port opens every port (the form a plain-number patch through a typed object leaves behind).',
    fix: 'Give each ingress rule a from list and each egress rule a to list, and each ports entry a port, written with IntOrString.fromNumber in a patch.',
    appliesTo: (object) => object.kind === 'NetworkPolicy',
    check: (object, _context, report) => {
      for (const direction of ['ingress', 'egress'] as const) {
        const peersKey = direction === 'ingress' ? 'from' : 'to';
        (Array.isArray(object.spec?.[direction]) ? object.spec[direction] : []).forEach((r: Manifest, i: number) => {
          const peers = r?.[peersKey];
          if (!Array.isArray(peers) || peers.length === 0) {
            report(`spec.${direction}[${i}].${peersKey}`, `has no ${peersKey} list, so it allows every address`);
          } else {
            peers.forEach((peer: Manifest, j: number) => {
              const empty = !peer || Object.keys(peer).length === 0
                || (peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0 && !peer.podSelector);
              if (empty) {
                report(`spec.${direction}[${i}].${peersKey}[${j}]`, `${JSON.stringify(peer)} matches every pod of ${peer?.namespaceSelector ? 'every namespace' : 'the namespace'}`);
              }
            });
          }
          const ports = r?.ports;
          if (!Array.isArray(ports) || ports.length === 0) {
            report(`spec.${direction}[${i}].ports`, 'has no ports, so it allows every port');
          } else {
            ports.forEach((p: Manifest, j: number) => {
              if (p?.port === undefined || p?.port === null || p?.port === '') {
                report(`spec.${direction}[${i}].ports[${j}].port`, `${JSON.stringify(p)} has no port, so it allows every port`);
              }
            });
          }
        });
      }
    },
  }),
  rule({
    id: 'NET-EGRESS-REACH',
    title: 'Egress ip blocks, taken together, reach at most one /8 of IPv4 and one /16 of IPv6 (NAT64 blocks count as the IPv4 they reach)',
    threat: 'A pod holding keys that can reach the internet can send them anywhere.',
    fix: 'List the exchanges\' published ranges only; set allowUnrestrictedEgress (recorded as an acknowledgement) only behind an egress firewall.',
    appliesTo: (object, context) => object.kind === 'NetworkPolicy' && egressBlocks(object, context).length > 0,
    check: (object, context, report) => {
      const reach: { 4: Block[]; 6: Block[] } = { 4: [], 6: [] };
      for (const { cidr } of egressBlocks(object, context)) {
        if (!cidr) {
          continue;
        }
        const viaNat64 = embeddedIpv4(cidr, NAT64);
        if (viaNat64) {
          reach[4].push(viaNat64);
        } else if (contains(cidr, NAT64)) {
          reach[4].push(ALL_IPV4);
        }
        if (!viaNat64) {
          reach[cidr.family].push(cidr);
        }
      }
      for (const family of [4, 6] as const) {
        const size = unionSize(reach[family]);
        if (size > MAX_REACH[family]) {
          report('spec.egress', `the IPv${family} blocks together reach ${size} addresses, more than one /${family === 4 ? 8 : 16}`);
        }
      }
    },
  }),
  rule({
    id: 'NET-EGRESS-NEVER',
    title: 'No egress block reaches loopback, link-local (cloud metadata included) or unspecified addresses, directly or through NAT64; the one exception is a NodeLocal DNSCache address on port 53',
    threat: 'The cloud metadata service hands out the node\'s credentials to any pod that can reach it (SSRF); loopback and link-local reach node-local services.',
    fix: 'Except those ranges from any wider block; never list a block inside them. Only a single link-local address outside 169.254.169.0/24 and 169.254.170.0/24, on port 53 UDP/TCP only (clusterDns: ClusterDns.nodeLocalDnsCache()), is accepted.',
    appliesTo: (object, context) => object.kind === 'NetworkPolicy' && egressBlocks(object, context).length > 0,
    check: (object, context, report) => reachesSpecial(object, context, 'never', report),
  }),
  rule({
    id: 'NET-EGRESS-PRIVATE',
    title: 'No egress block reaches a private range (RFC 1918, shared address space, unique local) unless the user opted in',
    threat: 'Private ranges hold the cluster\'s pods, Services and API server: reaching them by address bypasses every selector-based policy (lateral movement).',
    fix: 'Reach in-cluster services by namespace and pod selector; set allowPrivateRangeEgress (recorded as an acknowledgement) for addresses outside the cluster.',
    appliesTo: (object, context) => object.kind === 'NetworkPolicy' && egressBlocks(object, context).length > 0,
    check: (object, context, report) => reachesSpecial(object, context, 'private', report),
  }),
];
