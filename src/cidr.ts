/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * CIDR blocks for NetworkPolicy `ipBlock`s: parsed strictly, in canonical form, with their prefix
 * length so that callers can tell a narrow exchange range from "the whole internet".
 */

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly prefixLength: number;
  /** The block written canonically: host bits zero, IPv6 in its shortest form. */
  readonly canonical: string;
}

/** The result of parsing: the block, or why it is not one. */
export interface CidrParse {
  readonly cidr?: Cidr;
  readonly problem?: string;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) {
      return undefined;
    }
    const n = Number(part);
    if (n > 255) {
      return undefined;
    }
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.includes(':::')) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const group = (s: string): number[] | undefined => {
    if (s === '') {
      return [];
    }
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
        return undefined;
      }
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]);
  const tail = halves.length === 2 ? group(halves[1]) : [];
  if (!head || !tail) {
    return undefined;
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return undefined;
  }
  const groups = [...head, ...new Array(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i] << 8) | bytes[i + 1]);
  }
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
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
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const bytes = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (!bytes) {
    return { problem: `"${address}" is not a valid IPv${family} address` };
  }
  const maxPrefix = family === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    return { problem: `prefix length "${prefixText}" must be a number from 0 to ${maxPrefix}` };
  }
  const prefixLength = Number(prefixText);
  const masked = bytes.map((b, i) => {
    const bitsInByte = Math.max(0, Math.min(8, prefixLength - i * 8));
    return b & ((0xff << (8 - bitsInByte)) & 0xff);
  });
  const canonicalAddress = family === 4 ? masked.join('.') : formatIpv6(masked);
  const canonical = `${canonicalAddress}/${prefixLength}`;
  if (masked.some((b, i) => b !== bytes[i])) {
    return { problem: `has host bits set past the /${prefixLength} prefix: did you mean ${canonical}?` };
  }
  return { cidr: { family, prefixLength, canonical } };
}
