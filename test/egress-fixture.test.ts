/**
 * The shared ipBlock cases (test/fixtures/ipblock-cases.json): this library's verdict on each. The
 * Go test in tools/internal/ipblock reads the same file and checks, with Kubernetes' own parser and
 * validation, that Kubernetes reads every accepted block (and its excepts) exactly as written here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as ipaddr from 'ipaddr.js';
import { SecureTradingApi } from '../src';
import { baseProps, errorOf } from './util';
import { blockEnd, formatBlock, parseCidr } from '../src/cidr';
import { IPV4_MAPPED, IPV4_SPECIAL, IPV6_SPECIAL, NAT64 } from '../src/egress-ranges';

interface Case {
  readonly input: string;
  readonly options?: { allowUnrestrictedEgress?: boolean; allowPrivateRangeEgress?: boolean };
  readonly verdict: 'accepted' | 'refused';
  readonly cidr?: string;
  readonly except?: string[];
  readonly problem?: string;
  readonly note?: string;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'ipblock-cases.json'), 'utf8'));
const cases: Case[] = fixture.cases;
const label = (c: Case) => `${c.input}${c.options ? ` ${JSON.stringify(c.options)}` : ''}`;

function build(c: Case) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
  new SecureTradingApi(chart, 'gateway', baseProps({ exchangeEndpoints: [{ cidr: c.input }], ...c.options }));
  return Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'gateway-allow');
}

test('the fixture has many cases of both verdicts', () => {
  expect(cases.filter((c) => c.verdict === 'accepted').length).toBeGreaterThanOrEqual(15);
  expect(cases.filter((c) => c.verdict === 'refused').length).toBeGreaterThanOrEqual(30);
});

describe.each(cases.filter((c) => c.verdict === 'accepted').map((c) => [label(c), c] as const))('accepted: %s', (_label, c) => {
  test(`renders ${c.cidr} with ${c.except!.length} except entries`, () => {
    const rule = build(c).spec.egress[1];
    expect(rule.to).toEqual([{ ipBlock: c.except!.length > 0 ? { cidr: c.cidr, except: c.except } : { cidr: c.cidr } }]);
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 443 }]);
  });
});

describe.each(cases.filter((c) => c.verdict === 'refused').map((c) => [label(c), c] as const))('refused: %s', (_label, c) => {
  test(`the error says "${c.problem}"`, () => {
    const message = errorOf(() => build(c));
    expect(message).toContain(c.problem);
    expect(message).toMatch(/ - exchangeEndpoints(\[0\]\.cidr)?: /);
    expect(message).toContain('Fix: ');
  });
});

describe('the special ranges agree with ipaddr.js', () => {
  const expected: Record<string, string> = {
    '0.0.0.0/8': 'unspecified',
    '127.0.0.0/8': 'loopback',
    '169.254.0.0/16': 'linkLocal',
    '10.0.0.0/8': 'private',
    '172.16.0.0/12': 'private',
    '192.168.0.0/16': 'private',
    '100.64.0.0/10': 'carrierGradeNat',
    '::/128': 'unspecified',
    '::1/128': 'loopback',
    'fe80::/10': 'linkLocal',
    'fd00:ec2::254/128': 'uniqueLocal',
    'fc00::/7': 'uniqueLocal',
    '64:ff9b:1::/48': 'rfc6052',
    '::ffff:0:0/96': 'ipv4Mapped',
    '64:ff9b::/96': 'rfc6052',
  };
  const ranges = [...IPV4_SPECIAL, ...IPV6_SPECIAL].map((r) => r.block).concat([IPV4_MAPPED, NAT64]);
  test.each(ranges.map((b) => [b.canonical, b] as const))('%s: first and last address', (canonical, b) => {
    const first = parseCidr(`${canonical.split('/')[0]}/${b.family === 4 ? 32 : 128}`).cidr!;
    const last = { ...first, network: blockEnd(b) };
    expect(ipaddr.parse(formatBlock(first).split('/')[0]).range()).toBe(expected[canonical]);
    expect(ipaddr.parse(formatBlock(last).split('/')[0]).range()).toBe(expected[canonical]);
  });
  test('every range is checked', () => {
    expect(ranges.map((b) => b.canonical).sort()).toEqual(Object.keys(expected).sort());
  });
});
