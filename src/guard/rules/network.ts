/**
 * Network rules: a default-deny for the pods, allow rules that name their peers and ports, and egress
 * whose reach, over the union of every allowed block, stays narrow.
 */
import { parseCidr } from '../../cidr';
import { isPodBearing, Manifest, podMetadataOf, Rule, rule, selects } from '../rule';

const IPV4_MAX_REACH = 2n ** 24n; // one /8
const IPV6_MAX_REACH = 2n ** 112n; // one /16

/** Blocks that must never be reachable from a pod holding keys, by family. */
const NEVER = {
  4: ['127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8'],
  6: ['::1/128', 'fe80::/10', 'fd00:ec2::254/128', '::/128'],
} as const;

interface Range { readonly family: 4 | 6; readonly start: bigint; readonly end: bigint }

/** The address range of a CIDR block, or undefined when it does not parse. */
function rangeOf(cidr: unknown): Range | undefined {
  const parsed = parseCidr(cidr as string);
  if (!parsed.cidr) {
    return undefined;
  }
  const { family, prefixLength, canonical } = parsed.cidr;
  const bits = family === 4 ? 32 : 128;
  const start = family === 4
    ? canonical.split('/')[0].split('.').reduce((acc, b) => (acc << 8n) + BigInt(b), 0n) // eslint-disable-line no-bitwise
    : ipv6Value(canonical.split('/')[0]);
  const size = 2n ** BigInt(bits - prefixLength);
  return { family, start, end: start + size - 1n };
}

function ipv6Value(address: string): bigint {
  const [head, tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n); // eslint-disable-line no-bitwise
}

/** Total addresses covered by the union of ranges (all of one family). */
function unionSize(ranges: Range[]): bigint {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let total = 0n;
  let current: { start: bigint; end: bigint } | undefined;
  for (const r of sorted) {
    if (current && r.start <= current.end + 1n) {
      current.end = r.end > current.end ? r.end : current.end;
    } else {
      if (current) {
        total += current.end - current.start + 1n;
      }
      current = { start: r.start, end: r.end };
    }
  }
  return current ? total + current.end - current.start + 1n : total;
}

const overlaps = (a: Range, b: Range) => a.family === b.family && a.start <= b.end && b.start <= a.end;
const within = (inner: Range, outer: Range) => inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;

type Peer = { peer: Manifest; field: string };

function egressPeers(policy: Manifest): Peer[] {
  const out: Peer[] = [];
  (Array.isArray(policy.spec?.egress) ? policy.spec.egress : []).forEach((r: Manifest, i: number) => {
    (Array.isArray(r?.to) ? r.to : []).forEach((peer: Manifest, j: number) => out.push({ peer: peer ?? {}, field: `spec.egress[${i}].to[${j}]` }));
  });
  return out;
}

export const NETWORK_RULES: Rule[] = [
  rule({
    id: 'NET-DEFAULT-DENY',
    title: 'A NetworkPolicy denies all ingress and egress of the pods that no allow rule opens',
    threat: 'Without a default deny, a pod holding keys can be reached from, and send keys to, anywhere in the cluster and beyond.',
    fix: 'Keep the default-deny NetworkPolicy (policyTypes Ingress and Egress, no rules) selecting the service\'s pods.',
    appliesTo: (object, context) => context.isService && isPodBearing(object),
    check: (object, context, report) => {
      const labels = podMetadataOf(object).labels;
      const deny = context.objects.some((o) => o.kind === 'NetworkPolicy' && selects(o.spec?.podSelector?.matchLabels, labels)
        && Array.isArray(o.spec?.policyTypes) && o.spec.policyTypes.includes('Ingress') && o.spec.policyTypes.includes('Egress')
        && !(o.spec.ingress?.length) && !(o.spec.egress?.length));
      if (!deny) {
        report('spec.template.metadata.labels', 'no default-deny NetworkPolicy (Ingress and Egress, no rules) selects these pods');
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
    title: 'Egress ip blocks, taken together, reach less than one /8 (IPv4) or /16 (IPv6), and never loopback, link-local or cloud metadata',
    threat: 'A pod holding keys that can reach the internet can send them anywhere; cloud metadata hands out the node\'s credentials (SSRF).',
    fix: 'List the exchanges\' published ranges only; set allowUnrestrictedEgress (recorded as an acknowledgement) only behind an egress firewall.',
    appliesTo: (object) => object.kind === 'NetworkPolicy' && egressPeers(object).some(({ peer }) => peer.ipBlock),
    check: (object, _context, report) => {
      const allowed: Range[] = [];
      for (const { peer, field } of egressPeers(object)) {
        if (!peer.ipBlock) {
          continue;
        }
        const block = rangeOf(peer.ipBlock.cidr);
        if (!block || /^::ffff:/i.test(String(peer.ipBlock.cidr)) || /^64:ff9b:/i.test(String(peer.ipBlock.cidr))) {
          report(`${field}.ipBlock.cidr`, `${JSON.stringify(peer.ipBlock.cidr)} is not a plain, canonical CIDR block (IPv4-mapped and NAT64 forms reach IPv4 space)`);
          continue;
        }
        const excepts = (Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [])
          .map(rangeOf).filter((r: Range | undefined): r is Range => r !== undefined);
        for (const never of NEVER[block.family].map(rangeOf) as Range[]) {
          if (overlaps(block, never) && !excepts.some((e: Range) => within(never, e))) {
            report(`${field}.ipBlock`, `${peer.ipBlock.cidr} reaches loopback, link-local or cloud metadata addresses`);
            break;
          }
        }
        allowed.push(block);
      }
      for (const family of [4, 6] as const) {
        const size = unionSize(allowed.filter((r) => r.family === family));
        if (size > (family === 4 ? IPV4_MAX_REACH : IPV6_MAX_REACH)) {
          report('spec.egress', `the IPv${family} blocks together reach ${size} addresses, more than one /${family === 4 ? 8 : 16}`);
        }
      }
    },
  }),
];
