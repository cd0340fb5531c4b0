/**
 * The network's props: where the pods may connect besides cluster DNS.
 *
 * The policy is about what the entries reach together, not about one entry at a time:
 * - coverage is measured over the union of all entries, per family, NAT64 entries counted as the
 *   IPv4 addresses they reach; more than one /8 of IPv4 or one /16 of IPv6 needs allowUnrestrictedEgress;
 * - loopback, link-local (cloud metadata included) and unspecified addresses are never reachable: a
 *   block inside them is refused, a wider block gets them as `except` entries;
 * - private ranges (RFC 1918, shared address space, unique local) hold the cluster's pods, Services
 *   and API server: a block inside them needs allowPrivateRangeEgress, a wider block excepts them;
 * - IPv4-mapped IPv6 blocks are refused (Kubernetes reads them as IPv4 blocks): write the IPv4 block;
 * - the same block listed twice (for two exchanges behind one CDN) is one block with every port.
 */
import { Block, blockSize, Cidr, compareBlocks, contains, formatBlock, parseCidr, unionSize } from '../cidr';
import { embeddedIpv4, IPV4_MAPPED, NAT64, SpecialRange, specialRangesFor } from '../egress-ranges';
import { SecureTradingApiProps } from '../props';
import { integerProblem, Problems } from '../validate';
import { booleanProblem, check, listOf, ownProps } from './common';

/** The most a set of endpoints may reach without allowUnrestrictedEgress: one /8 of IPv4, one /16 of IPv6. */
export const MAX_RESTRICTED = { 4: { prefix: 8, size: 2n ** 24n }, 6: { prefix: 16, size: 2n ** 112n } } as const;
const ENDPOINT_KEYS = ['cidr', 'port'];
const ALL_IPV4: Block = { family: 4, network: 0n, prefixLength: 0 };

/** One allowed egress destination: a block, what inside it stays unreachable, and its TCP ports. */
export interface ResolvedEndpoint {
  readonly cidr: string;
  /** Canonical blocks inside `cidr`, same family, that the policy excludes; may be empty. */
  readonly except: string[];
  /** Distinct ports, ascending. */
  readonly ports: number[];
}

/** What the network part needs besides the exposure's ingress source. */
export interface ResolvedNetwork {
  readonly egress: ResolvedEndpoint[];
  /** The visible opt-out of the egress reach limit was set. */
  readonly allowUnrestrictedEgress: boolean;
  /** The visible opt-in to private ranges was set. */
  readonly allowPrivateRangeEgress: boolean;
}

interface Entry {
  readonly cidr: Cidr;
  /** Every prop that lists this block (`exchangeEndpoints[2]`), first one first. */
  readonly props: string[];
  readonly ports: Set<number>;
}

/** An egress destination another prop derives (Vault outside the cluster), checked like the exchange endpoints. */
export interface DerivedEndpoint {
  /** The prop that declares it, for errors. */
  readonly prop: string;
  readonly cidr: unknown;
  readonly port: number;
}

/**
 * Resolves the egress props, with `derived` destinations that other props declare (they go through
 * the same checks, and count towards the same reach limit).
 */
export function resolveNetwork(props: SecureTradingApiProps, problems: Problems, derived: readonly DerivedEndpoint[] = []): ResolvedNetwork {
  const unrestricted = props.allowUnrestrictedEgress ?? false;
  check(problems, 'allowUnrestrictedEgress', unrestricted, booleanProblem(unrestricted), 'pass true or false');
  const privateRanges = props.allowPrivateRangeEgress ?? false;
  check(problems, 'allowPrivateRangeEgress', privateRanges, booleanProblem(privateRanges), 'pass true or false');
  const endpoints = props.exchangeEndpoints === undefined ? []
    : listOf(problems, 'exchangeEndpoints', props.exchangeEndpoints, '[{ cidr: "203.0.113.0/24", port: 443 }]') ?? [];

  // Parse every entry; the same block listed again (any port) joins the first.
  const entries = new Map<string, Entry>();
  const add = (prop: string, cidr: unknown, port: number, portProblem: string | undefined) => {
    const parsed = parseCidr(cidr as string);
    if (!parsed.cidr) {
      problems.add(`${prop}.cidr`, cidr, parsed.problem!, 'write a CIDR block such as "203.0.113.0/24" or "2001:db8::/48"');
      return;
    }
    const entry = entries.get(parsed.cidr.canonical) ?? { cidr: parsed.cidr, props: [], ports: new Set<number>() };
    entries.set(parsed.cidr.canonical, entry);
    entry.props.push(prop);
    if (!portProblem) {
      entry.ports.add(port);
    }
  };
  endpoints.forEach((item, index) => {
    const prop = `exchangeEndpoints[${index}]`;
    const endpoint = ownProps<{ cidr: string; port: number }>(problems, prop, item, ENDPOINT_KEYS, '{ cidr: "203.0.113.0/24", port: 443 }');
    if (!endpoint) {
      return;
    }
    const port = endpoint.port ?? 443;
    const portProblem = integerProblem(port, 1, 65535);
    check(problems, `${prop}.port`, port, portProblem, 'use a TCP port from 1 to 65535, usually 443');
    add(prop, endpoint.cidr, port, portProblem);
  });
  for (const d of derived) {
    add(d.prop, d.cidr, d.port, undefined);
  }

  // Each block on its own, in the order listed: refused, or allowed with its excepts.
  const allowed: Array<{ entry: Entry; except: Block[] }> = [];
  for (const entry of entries.values()) {
    const except = blockVerdict(entry, privateRanges === true, problems);
    if (except) {
      allowed.push({ entry, except });
    }
  }
  // The output does not depend on the order of the list: IPv4 first, then by address.
  allowed.sort((a, b) => compareBlocks(a.entry.cidr, b.entry.cidr));

  // All blocks together: what they reach, per family.
  if (unrestricted !== true) {
    coverageProblems(allowed.map((a) => a.entry), problems);
  }

  return {
    egress: allowed.map(({ entry, except }) => ({
      cidr: entry.cidr.canonical,
      except: except.map(formatBlock),
      ports: [...entry.ports].sort((a, b) => a - b),
    })),
    allowUnrestrictedEgress: unrestricted === true,
    allowPrivateRangeEgress: privateRanges === true,
  };
}

/** The prop that names an entry: its first listing, and the others if it is repeated. */
function entryProp(entry: Entry): string {
  return `${entry.props[0]}.cidr`;
}

/**
 * Refuses a block that is IPv4-mapped, or lies inside a never-reachable range or (without the opt-in)
 * a private one; otherwise returns the special ranges inside it to except, outermost only.
 */
function blockVerdict(entry: Entry, privateRanges: boolean, problems: Problems): Block[] | undefined {
  const { cidr } = entry;
  const mapped = embeddedIpv4(cidr, IPV4_MAPPED);
  if (mapped) {
    problems.add(entryProp(entry), cidr.canonical,
      `is an IPv4-mapped IPv6 block, which Kubernetes reads as the IPv4 block ${formatBlock(mapped)}`,
      `write the IPv4 block "${formatBlock(mapped)}" instead`);
    return undefined;
  }
  const excluded = (r: SpecialRange) => r.kind === 'never' || !privateRanges;
  const except: SpecialRange[] = [];
  for (const r of specialRangesFor(cidr)) {
    if (contains(r.block, cidr)) {
      if (r.kind === 'never') {
        problems.add(entryProp(entry), cidr.canonical,
          `lies inside ${r.block.canonical}, ${r.description}, which a pod holding keys must never reach`,
          'remove it: loopback, link-local (cloud metadata) and unspecified addresses are never allowed');
        return undefined;
      }
      if (!privateRanges) {
        problems.add(entryProp(entry), cidr.canonical,
          `lies inside ${r.block.canonical}, ${r.description}, where the cluster's pods, Services and API server usually are`,
          'list public exchange ranges only, or set allowPrivateRangeEgress: true if this range is outside the cluster (a private link or VPN to the exchange)');
        return undefined;
      }
    } else if (contains(cidr, r.block) && excluded(r)) {
      except.push(r);
    }
  }
  return except
    .filter((r) => !except.some((o) => o !== r && contains(o.block, r.block)))
    .map((r) => r.block)
    .sort(compareBlocks);
}

/**
 * Refuses a set of blocks that together reach more than one /8 of IPv4 or one /16 of IPv6. A block
 * inside the NAT64 prefix reaches the IPv4 block it embeds; a block around the NAT64 prefix reaches
 * all of IPv4.
 */
function coverageProblems(entries: Entry[], problems: Problems): void {
  for (const family of [4, 6] as const) {
    const reach: Array<{ entry: Entry; block: Block; via?: string }> = [];
    for (const entry of entries) {
      if (entry.cidr.family === family) {
        reach.push({ entry, block: entry.cidr });
      } else if (family === 4) {
        const embedded = embeddedIpv4(entry.cidr);
        if (embedded) {
          reach.push({ entry, block: embedded, via: `the IPv4 block ${formatBlock(embedded)} through NAT64` });
        } else if (contains(entry.cidr, NAT64)) {
          reach.push({ entry, block: ALL_IPV4, via: `every IPv4 address through the NAT64 prefix ${NAT64.canonical}` });
        }
      }
    }
    const total = unionSize(reach.map((r) => r.block));
    const limit = MAX_RESTRICTED[family];
    if (total <= limit.size) {
      continue;
    }
    const fix = `list the exchange's published ranges (together at most one /${limit.prefix} of IPv${family}), or set allowUnrestrictedEgress: true if an egress firewall outside the cluster restricts the destination`;
    if (reach.length === 1) {
      const [{ entry, block, via }] = reach;
      problems.add(entryProp(entry), entry.cidr.canonical,
        `allows egress to ${via ?? (block.prefixLength === 0 ? 'every address' : `a /${block.prefixLength} block`)} (${count(blockSize(block))} IPv${family} addresses); a pod holding keys could send them anywhere`,
        fix);
    } else {
      const parts = reach.map(({ entry, block, via }) =>
        `${entry.props.join(' = ')} ${entry.cidr.canonical}${via ? ` (${via})` : ''}: ${count(blockSize(block))}`);
      problems.add('exchangeEndpoints', reach.map((r) => r.entry.cidr.canonical),
        `together allow egress to ${count(total)} IPv${family} addresses, more than one /${limit.prefix} (${count(limit.size)}); a pod holding keys could send them anywhere. Entries: ${parts.join('; ')}`,
        fix);
    }
  }
}

/** A number of addresses people can read: exact below 2^32, else as a power of two. */
export function count(n: bigint): string {
  if (n <= 2n ** 32n) {
    return n.toString();
  }
  const bits = n.toString(2).length - 1;
  return n === 2n ** BigInt(bits) ? `2^${bits}` : `more than 2^${bits}`;
}
