/**
 * The address ranges the egress policy treats specially, and how a block relates to them. Pure data
 * and arithmetic: the network resolver (src/config/network.ts) decides what to refuse or except.
 */
import { Block, Cidr, contains, formatBlock, literalBlock, parseCidr } from './cidr';

/** Why a range is special: never reachable whatever the opt-ins, or private (needs an opt-in). */
export type RangeKind = 'never' | 'private';

/** A special range, with what it is, for error messages and the README. */
export interface SpecialRange {
  readonly block: Cidr;
  readonly kind: RangeKind;
  readonly description: string;
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`): Kubernetes and CNIs read `::ffff:0:0/96+n` as the IPv4 block `/n`. */
export const IPV4_MAPPED = literalBlock('::ffff:0:0/96');

/** The NAT64 well-known prefix (RFC 6052): `64:ff9b::a.b.c.d` reaches IPv4 a.b.c.d through a NAT64 gateway. */
export const NAT64 = literalBlock('64:ff9b::/96');

const range = (text: string, kind: RangeKind, description: string): SpecialRange => ({ block: literalBlock(text), kind, description });

/** The IPv4 special ranges; each also applies inside NAT64 (`64:ff9b::<range>`). */
export const IPV4_SPECIAL: readonly SpecialRange[] = [
  range('0.0.0.0/8', 'never', 'the unspecified "this network" range'),
  range('127.0.0.0/8', 'never', 'loopback'),
  range('169.254.0.0/16', 'never', 'link-local, where the cloud metadata service 169.254.169.254 answers'),
  range('10.0.0.0/8', 'private', 'a private range (RFC 1918)'),
  range('172.16.0.0/12', 'private', 'a private range (RFC 1918)'),
  range('192.168.0.0/16', 'private', 'a private range (RFC 1918)'),
  range('100.64.0.0/10', 'private', 'the shared address space (RFC 6598, carrier-grade NAT)'),
];

/** The IPv6 special ranges. */
export const IPV6_SPECIAL: readonly SpecialRange[] = [
  range('::/128', 'never', 'the unspecified address'),
  range('::1/128', 'never', 'loopback'),
  range('fe80::/10', 'never', 'link-local'),
  range('fd00:ec2::254/128', 'never', 'the cloud metadata service (AWS IMDS over IPv6)'),
  range('fc00::/7', 'private', 'a unique local range (RFC 4193), private like RFC 1918'),
  range('64:ff9b:1::/48', 'private', 'the local-use NAT64 prefix (RFC 8215), whose IPv4 side cannot be read from the address'),
];

/** The NAT64 form of an IPv4 block: `64:ff9b::/96` plus the IPv4 bits. */
export function toNat64(v4: Block): Block {
  return { family: 6, network: NAT64.network + v4.network, prefixLength: 96 + v4.prefixLength };
}

/** The IPv4 block an IPv6 block embeds when it lies inside `embedding` (a /96), or undefined. */
export function embeddedIpv4(b: Block, embedding: Block = NAT64): Block | undefined {
  if (!contains(embedding, b)) {
    return undefined;
  }
  return { family: 4, network: b.network % 2n ** 32n, prefixLength: b.prefixLength - 96 };
}

/** Every special range of the block's family, the NAT64 forms of the IPv4 ones included for IPv6. */
export function specialRangesFor(b: Block): SpecialRange[] {
  if (b.family === 4) {
    return [...IPV4_SPECIAL];
  }
  const viaNat64 = IPV4_SPECIAL.map((r) => {
    const nat64 = toNat64(r.block);
    return { kind: r.kind, description: `${r.block.canonical} (${r.description}) through NAT64`, block: { ...nat64, canonical: formatBlock(nat64) } };
  });
  return [...IPV6_SPECIAL, ...viaNat64];
}

/** Link-local IPv4, where NodeLocal DNSCache listens (169.254.20.10 by default). */
const LINK_LOCAL_V4 = literalBlock('169.254.0.0/16');
/** Where cloud metadata and credential services answer inside link-local: never a DNS cache. */
export const METADATA_BLOCKS: readonly Cidr[] = [literalBlock('169.254.169.0/24'), literalBlock('169.254.170.0/24')];

/** A problem when `address` is not one link-local IPv4 address outside the metadata blocks. */
export function nodeLocalDnsAddressProblem(address: string): string | undefined {
  const parsed = parseCidr(`${address}/32`);
  if (!parsed.cidr || parsed.cidr.family !== 4 || address.includes('/')) {
    return 'must be one IPv4 address, such as 169.254.20.10';
  }
  return nodeLocalDnsBlockProblem(parsed.cidr);
}

function nodeLocalDnsBlockProblem(block: Block): string | undefined {
  if (block.family !== 4 || block.prefixLength !== 32 || !contains(LINK_LOCAL_V4, block)) {
    return 'must be one address inside 169.254.0.0/16 (link-local), where NodeLocal DNSCache listens';
  }
  const metadata = METADATA_BLOCKS.find((m) => contains(m, block));
  if (metadata) {
    return `lies inside ${metadata.canonical}, where cloud metadata and credential services answer (169.254.169.254, 169.254.170.2)`;
  }
  return undefined;
}

/**
 * Whether an egress ipBlock and its rule's ports are the one link-local exception the library writes:
 * a NodeLocal DNSCache address (/32, link-local, outside the metadata blocks) on port 53, UDP or TCP
 * only, without `except` or `endPort`.
 */
export function isNodeLocalDnsException(block: Block, except: unknown, ports: unknown): boolean {
  if (nodeLocalDnsBlockProblem(block) !== undefined || (Array.isArray(except) && except.length > 0)) {
    return false;
  }
  return Array.isArray(ports) && ports.length > 0 && ports.every((p: any) =>
    p && typeof p === 'object' && String(p.port) === '53' && p.endPort === undefined
    && ['UDP', 'TCP'].includes(p.protocol ?? 'TCP'));
}
