/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * The address parser: table tests (IPv6 compression, non-canonical spellings, what is refused) and
 * properties whose generator writes the same address in many spellings. The WHATWG URL parser in
 * Node (which writes IPv6 hosts in RFC 5952 form) is the independent oracle for canonical IPv6.
 */
import * as fc from 'fast-check';
import { blockSize, compareBlocks, contains, parseCidr, unionSize } from '../src/cidr';

const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

describe('canonical form', () => {
  test.each([
    // IPv4
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    // IPv6: the longest run of two or more zero groups becomes "::", the first on a tie; lower case.
    ['2001:DB8:0:0::/48', '2001:db8::/48'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001/128', '2001:db8::1/128'],
    ['0:0:0:0:0:0:0:0/0', '::/0'],
    ['0:0:0:0:0:0:0:1/128', '::1/128'],
    ['1:0:0:0:0:0:0:0/16', '1::/16'],
    ['1:0:0:2:0:0:0:3/128', '1:0:0:2::3/128'], // the longer run wins
    ['1:0:0:2:0:0:3:4/128', '1::2:0:0:3:4/128'], // a tie: the first run
    ['0:0:1:0:0:1:0:0/128', '::1:0:0:1:0:0/128'],
    ['1:0:2:3:4:5:6:7/128', '1:0:2:3:4:5:6:7/128'], // one zero group is never "::"
    ['1:2:3:4:5:6:7::/128', '1:2:3:4:5:6:7:0/128'],
    ['::1:2:3:4:5:6:7/128', '0:1:2:3:4:5:6:7/128'],
    ['fe80:0:0:0:0:0:0:0/10', 'fe80::/10'],
    ['2001:db8:0:1:0:0:0:0/64', '2001:db8:0:1::/64'],
    ['2001:0:0:1:0:0:0:1/128', '2001:0:0:1::1/128'],
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789/128'],
    ['64:ff9b::203.0.113.0/120', '64:ff9b::cb00:7100/120'], // a dotted IPv4 tail becomes two hex groups
    ['::ffff:203.0.113.7/128', '::ffff:cb00:7107/128'],
    ['::1.2.3.4/128', '::102:304/128'], // IPv4-compatible, not mapped (ipaddr.js alone reads ::ffff:1.2.3.4)
    ['fd00:ec2::254/128', 'fd00:ec2::254/128'],
  ])('%s is %s', (input, canonical) => {
    expect(parseCidr(input).cidr?.canonical).toBe(canonical);
  });
});

describe('refused spellings', () => {
  test.each([
    ['203.0.113.300/24', 'not a valid IPv4'],
    ['010.0.0.0/8', 'not a valid IPv4'], // ipaddr.js reads 010 as octal 8; Kubernetes as decimal 10
    ['0x7f.0.0.1/32', 'not a valid IPv4'],
    ['10.1/16', 'not a valid IPv4'],
    ['1.2.3.4.5/32', 'not a valid IPv4'],
    [' 1.2.3.0/24', 'not a valid IPv4'],
    ['1.2.3.0/24 ', 'prefix length'],
    ['1.2.3.0/024', 'prefix length'],
    ['1.2.3.0/+24', 'prefix length'],
    ['1.2.3.0/', 'prefix length'],
    ['1.2.3.0/33', 'from 0 to 32'],
    ['::/129', 'from 0 to 128'],
    ['1.2.3.4', 'with a prefix length'],
    ['1.2.3.4/24', 'did you mean 1.2.3.0/24'],
    ['2001:db8::1/48', 'did you mean 2001:db8::/48'],
    ['fe80::1%eth0/128', 'not a valid IPv6'],
    ['fe80::1%e/128', 'not a valid IPv6'], // ipaddr.js accepts a zone id; an ipBlock cannot hold one
    ['[2001:db8::]/48', 'not a valid IPv6'],
    ['1::2::3/128', 'not a valid IPv6'],
    [':1:2:3:4:5:6:7/128', 'not a valid IPv6'],
    ['1:2:3:4:5:6:7:8:9/128', 'not a valid IPv6'],
    ['1:2:3:4:5:6:7/128', 'not a valid IPv6'],
    ['00000::/16', 'not a valid IPv6'],
    ['g::/16', 'not a valid IPv6'],
    ['::ffff:010.0.0.1/128', 'not a valid IPv6'],
    ['::1.2.3/128', 'not a valid IPv6'],
    ['1.2.3.4::/128', 'not a valid IPv6'],
    ['', 'with a prefix length'],
  ])('%j: %s', (input, problem) => {
    const parsed = parseCidr(input);
    expect(parsed.cidr).toBeUndefined();
    expect(parsed.problem).toContain(problem);
  });

  test.each([[1], [null], [undefined], [{}], [['1.2.3.0/24']]])('%j is not a string', (value) => {
    expect(parseCidr(value as any).problem).toContain('must be a CIDR block');
  });
});

describe('block arithmetic', () => {
  const b = (text: string) => parseCidr(text).cidr!;
  test('sizes, containment, order', () => {
    expect(blockSize(b('0.0.0.0/0'))).toBe(1n << 32n);
    expect(blockSize(b('::/0'))).toBe(1n << 128n);
    expect(contains(b('10.0.0.0/8'), b('10.1.0.0/16'))).toBe(true);
    expect(contains(b('10.1.0.0/16'), b('10.0.0.0/8'))).toBe(false);
    expect(contains(b('0.0.0.0/0'), b('::/0'))).toBe(false);
    expect(compareBlocks(b('255.0.0.0/8'), b('::/0'))).toBeLessThan(0);
  });
  test('the union counts nested and repeated blocks once', () => {
    expect(unionSize([b('0.0.0.0/1'), b('128.0.0.0/1')])).toBe(1n << 32n);
    expect(unionSize([b('10.0.0.0/8'), b('10.1.0.0/16'), b('10.0.0.0/8')])).toBe(1n << 24n);
    expect(unionSize([b('1.0.0.0/8'), b('2.0.0.0/8'), b('3.0.0.0/24')])).toBe((1n << 25n) + 256n);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: one address, many spellings
// ---------------------------------------------------------------------------------------------

const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
const groups = fc.array(group, { minLength: 8, maxLength: 8 });

/** A spelling of `g`: random case, optional leading zeros, any run of zero groups (or none) as "::", maybe a dotted tail. */
function spell(g: number[]): fc.Arbitrary<string> {
  return fc.record({
    upper: fc.boolean(),
    pad: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
    run: fc.nat(),
    dotted: fc.boolean(),
  }).map(({ upper, pad, run, dotted }) => {
    let parts = g.map((v, i) => v.toString(16).padStart(Math.min(4, v.toString(16).length + pad[i]), '0'));
    let tail: string[] = [];
    if (dotted) {
      tail = [[g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff].join('.')];
      parts = parts.slice(0, 6);
    }
    // Every run of two or more zero groups may be the one written as "::" (or none is).
    const runs: Array<[number, number]> = [];
    for (let i = 0; i < parts.length; i++) {
      let j = i;
      while (j < parts.length && g[j] === 0) {
        j++;
      }
      if (j - i >= 1) {
        runs.push([i, j]);
        i = j;
      }
    }
    const pick = run % (runs.length + 1);
    const choice = pick < runs.length ? runs[pick] : undefined;
    let text: string;
    if (choice) {
      const [i, j] = choice;
      const rest = [...parts.slice(j), ...tail];
      text = `${parts.slice(0, i).join(':')}::${rest.join(':')}`;
    } else {
      text = [...parts, ...tail].join(':');
    }
    return upper ? text.toUpperCase() : text;
  });
}

/** The oracle: Node's WHATWG URL parser writes IPv6 hosts in RFC 5952 form. */
function oracle(g: number[]): string {
  return new URL(`http://[${g.map((v) => v.toString(16)).join(':')}]/`).hostname.slice(1, -1);
}

describe('properties', () => {
  test('every spelling of an IPv6 address parses to the one canonical form', () => {
    fc.assert(fc.property(groups.chain((g) => fc.tuple(fc.constant(g), spell(g))), ([g, text]) => {
      expect(parseCidr(`${text}/128`).cidr?.canonical).toBe(`${oracle(g)}/128`);
    }), { numRuns: RUNS * 5 });
  });

  test('the canonical form parses to itself, and masking gives a block that contains the address', () => {
    fc.assert(fc.property(groups, fc.integer({ min: 0, max: 128 }), (g, prefix) => {
      const host = parseCidr(`${oracle(g)}/128`).cidr!;
      expect(parseCidr(host.canonical).cidr?.canonical).toBe(host.canonical);
      const attempt = parseCidr(`${oracle(g)}/${prefix}`);
      const net = attempt.cidr ?? parseCidr(attempt.problem!.match(/did you mean (\S+)\?/)![1]).cidr!;
      expect(contains(net, host)).toBe(true);
      expect(net.prefixLength).toBe(prefix);
    }), { numRuns: RUNS });
  });

  test('IPv4: decimal parts parse, leading zeros are refused', () => {
    const bytesArb = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
    fc.assert(fc.property(bytesArb, fc.integer({ min: 0, max: 3 }), (bytes, padded) => {
      const text = bytes.join('.');
      expect(parseCidr(`${text}/32`).cidr?.canonical).toBe(`${text}/32`);
      const zeros = bytes.map((b, i) => (i === padded ? `0${b}` : `${b}`)).join('.');
      expect(parseCidr(`${zeros}/32`).cidr).toBeUndefined();
    }), { numRuns: RUNS });
  });
});
