/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * CIDR blocks for NetworkPolicy `ipBlock`s: parsed strictly, in canonical form, as numbers, so that
 * callers can measure how much a set of blocks covers and which special ranges it touches.
 *
 * Addresses are parsed by ipaddr.js, behind two gates where it reads text differently from Kubernetes
 * (measured in test/cidr.test.ts and tools/internal/ipblock): ipaddr.js reads `010.0.0.1` as octal
 * (8.0.0.1) where Kubernetes reads 10.0.0.1 or refuses it, and reads `::1.2.3.4` as `::ffff:1.2.3.4`
 * where Kubernetes reads `::102:304`. So IPv4 must be four decimal parts without leading zeros, and a
 * dotted IPv4 tail of an IPv6 address is turned into its two hex groups before ipaddr.js sees it.
 */
import * as ipaddr from 'ipaddr.js';

/** An address family. */
export type Family = 4 | 6;

/** A CIDR block as numbers: the network address (host bits zero) and the prefix length. */
export interface Block {
  readonly family: Family;
  readonly network: bigint;
  readonly prefixLength: number;
}

/** A parsed CIDR block. */
export interface Cidr extends Block {
  /** The block written canonically: host bits zero, IPv6 in its RFC 5952 shortest form. */
  readonly canonical: string;
}

/** The result of parsing: the block, or why it is not one. */
export interface CidrParse {
  readonly cidr?: Cidr;
  readonly problem?: string;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => DECIMAL_OCTET.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.map(Number);
}

function parseAddress(family: Family, text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (family === 4) {
    return ipv4Bytes(text) && ipaddr.IPv4.isValid(text) ? ipaddr.IPv4.parse(text) : undefined;
  }
  if (!/^[0-9a-fA-F:.]+$/.test(text)) {
    return undefined; // zone ids (`%eth0`), spaces, brackets
  }
  let hex = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const bytes = ipv4Bytes(tail);
    if (!bytes || text.slice(0, lastColon).includes('.')) {
      return undefined;
    }
    hex = `${text.slice(0, lastColon + 1)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  if (hex.split(':').some((group) => group.length > 4)) {
    return undefined;
  }
  return ipaddr.IPv6.isValid(hex) ? ipaddr.IPv6.parse(hex) : undefined;
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/** The address `value` of `family` as bytes. */
function toBytes(family: Family, value: bigint): number[] {
  const bytes: number[] = [];
  for (let i = BITS[family] / 8 - 1; i >= 0; i--) {
    bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  }
  return bytes;
}

/** How many addresses the block holds. */
export function blockSize(block: Block): bigint {
  return 1n << BigInt(BITS[block.family] - block.prefixLength);
}

/** The last address of the block. */
export function blockEnd(block: Block): bigint {
  return block.network + blockSize(block) - 1n;
}

/** Whether `outer` contains `inner` (a block contains itself). */
export function contains(outer: Block, inner: Block): boolean {
  return outer.family === inner.family && outer.prefixLength <= inner.prefixLength
    && inner.network >= outer.network && blockEnd(inner) <= blockEnd(outer);
}

/** The block written canonically. */
export function formatBlock(block: Block): string {
  const bytes = toBytes(block.family, block.network);
  const address = block.family === 4 ? bytes.join('.') : (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
  return `${address}/${block.prefixLength}`;
}

/** A block from a canonical literal; for constants only (throws on a typo). */
export function literalBlock(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.cidr || parsed.cidr.canonical !== text) {
    throw new Error(`not a canonical CIDR block: ${text}`);
  }
  return parsed.cidr;
}

/** Compares blocks: IPv4 first, then by address, then wider first. A total order, for stable output. */
export function compareBlocks(a: Block, b: Block): number {
  if (a.family !== b.family) {
    return a.family - b.family;
  }
  if (a.network !== b.network) {
    return a.network < b.network ? -1 : 1;
  }
  return a.prefixLength - b.prefixLength;
}

/**
 * The number of addresses in the union of `blocks` (one family). CIDR blocks either nest or are
 * disjoint, so after sorting each block is either inside the last kept one or after it.
 */
export function unionSize(blocks: readonly Block[]): bigint {
  let total = 0n;
  let end = -1n;
  for (const b of [...blocks].sort(compareBlocks)) {
    if (b.network > end) {
      total += blockSize(b);
      end = blockEnd(b);
    }
  }
  return total;
}

/** Parses `a.b.c.d/n` or `ipv6/n`; host bits must be zero so the block means what it says. */
export function parseCidr(text: string): CidrParse {
  if (typeof text !== 'string') {
    return { problem: 'must be a CIDR block such as 203.0.113.0/24' };
  }
  const slash = text.indexOf('/');
  if (slash < 0) {
    return { problem: 'must be a CIDR block with a prefix length, such as 203.0.113.10/32' };
  }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family: Family = addressText.includes(':') ? 6 : 4;
  const address = parseAddress(family, addressText);
  if (!address) {
    return { problem: `"${addressText}" is not a valid IPv${family} address` };
  }
  const maxPrefix = BITS[family];
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    return { problem: `prefix length "${prefixText}" must be a number from 0 to ${maxPrefix}` };
  }
  const prefixLength = Number(prefixText);
  const value = toBigInt(address.toByteArray());
  const hostBits = BigInt(maxPrefix - prefixLength);
  const network = (value >> hostBits) << hostBits;
  const canonical = formatBlock({ family, network, prefixLength });
  if (network !== value) {
    return { problem: `has host bits set past the /${prefixLength} prefix: did you mean ${canonical}?` };
  }
  return { cidr: { family, network, prefixLength, canonical } };
}
