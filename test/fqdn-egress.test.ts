import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ExchangeHosts, FqdnEndpoint, SecureTradingApi } from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { fqdnHostProblem } from '../src/fqdn-names';
import { evaluate } from '../src/guard/evaluate';

const cnp = (manifest: any[]) => only(manifest, 'CiliumNetworkPolicy');

describe('fqdnEgress: a CiliumNetworkPolicy beside the NetworkPolicies', () => {
  test('GIVEN no fqdnEgress THEN no Cilium policy and no fqdnEgressPolicy', () => {
    const { manifest, api } = synth();
    expect(manifest.filter((o) => o.kind === 'CiliumNetworkPolicy')).toEqual([]);
    expect(api.fqdnEgressPolicy).toBeUndefined();
  });

  test('GIVEN hosts THEN the policy selects the service pods, sees DNS, and allows the names on their ports', () => {
    const { manifest, api } = synth({
      fqdnEgress: [{ host: 'fapi.binance.com' }, { host: '*.bybit.com', ports: [443, 8443] }, { host: 'fstream.binance.com', ports: [443] }],
    });
    const policy = cnp(manifest);
    expect(api.fqdnEgressPolicy).toBeDefined();
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.metadata).toMatchObject({ name: 'gateway-fqdn-egress', namespace: 'trading' });
    expect(policy.spec.endpointSelector).toEqual({ matchLabels: only(manifest, 'Deployment').spec.selector.matchLabels });
    expect(policy.spec.egress[0]).toEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
    expect(policy.spec.egress.slice(1)).toEqual([
      { toFQDNs: [{ matchName: 'fapi.binance.com' }, { matchName: 'fstream.binance.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchPattern: '*.bybit.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '8443', protocol: 'TCP' }] }] },
    ]);
    // The standard policies are unchanged: the Cilium policy only adds allows.
    expect(manifest.filter((o) => o.kind === 'NetworkPolicy')).toEqual(synth().manifest.filter((o) => o.kind === 'NetworkPolicy'));
  });

  test('GIVEN the same host twice THEN one entry with both ports', () => {
    const policy = cnp(synth({ fqdnEgress: [{ host: 'ws.okx.com', ports: [8443] }, { host: 'ws.okx.com' }] }).manifest);
    expect(policy.spec.egress[1]).toEqual({ toFQDNs: [{ matchName: 'ws.okx.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '8443', protocol: 'TCP' }] }] });
  });

  test.each([
    ['*', 'fqdnEgress[0].host'],
    ['*.com', 'at least two labels'],
    ['**.binance.com', 'whole first label'],
    ['api*.binance.com', 'whole first label'],
    ['*.*.binance.com', 'whole first label'],
    ['fapi.binance.com.', 'lower-case'],
    ['FAPI.binance.com', 'lower-case'],
    ['localhost', 'at least two labels'],
    ['redis.trading.svc.cluster.local', 'internal'],
    ['203.0.113.10', 'not an IP address'],
  ])('GIVEN host %j THEN refused, naming the prop', (host, text) => {
    const message = errorOf(() => synth({ fqdnEgress: [{ host }] }));
    expect(message).toContain('fqdnEgress[0].host');
    expect(message).toContain(text);
    expect(message).toContain('Fix:');
  });

  test.each([
    [[], 'is empty'],
    [[{ host: 'fapi.binance.com', ports: [] }], 'fqdnEgress[0].ports'],
    [[{ host: 'fapi.binance.com', ports: [0] }], 'fqdnEgress[0].ports[0]'],
    [[{ host: 'fapi.binance.com', port: 443 }], 'fqdnEgress[0].port'],
    [[{ ports: [443] }], 'fqdnEgress[0].host'],
    ['fapi.binance.com', 'must be a list'],
  ])('GIVEN %j THEN refused and nothing is emitted', (fqdnEgress, text) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ fqdnEgress: fqdnEgress as any })));
    expect(message).toContain(text);
    expect(chart.node.children).toHaveLength(0);
  });

  test('every ExchangeHosts preset is accepted, exact names only, and passes the guard', () => {
    const presets = Object.getOwnPropertyNames(ExchangeHosts).filter((k) => typeof (ExchangeHosts as any)[k] === 'function' && k !== 'prototype');
    expect(presets.length).toBeGreaterThanOrEqual(16);
    for (const preset of presets) {
      const hosts: FqdnEndpoint[] = (ExchangeHosts as any)[preset]();
      expect(hosts.length).toBeGreaterThan(0);
      for (const { host } of hosts) {
        expect([preset, host, fqdnHostProblem(host)]).toEqual([preset, host, undefined]);
        expect(host.includes('*')).toBe(false);
      }
      // A fresh list each call: changing it changes no later call.
      hosts.pop();
      expect((ExchangeHosts as any)[preset]()).toHaveLength(hosts.length + 1);
    }
    const all = presets.flatMap((p) => (ExchangeHosts as any)[p]());
    const { manifest } = synth({ fqdnEgress: all });
    expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
  });
});

describe('properties of fqdnEgress', () => {
  const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const name = fc.tuple(fc.array(label, { minLength: 2, maxLength: 4 })).map(([labels]) => labels.join('.'));
  const host = fc.oneof(name, name.map((n) => `*.${n}`));
  const ports = fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 });
  const endpoint = fc.record({ host, ports: fc.option(ports, { nil: undefined }) });

  test('any valid list: every host reached on exactly its ports, order does not matter, the guard passes', () => {
    fc.assert(fc.property(fc.array(endpoint, { minLength: 1, maxLength: 8 }), (list) => {
      const valid = list.filter((e) => fqdnHostProblem(e.host) === undefined);
      fc.pre(valid.length > 0);
      const { manifest } = synth({ fqdnEgress: valid });
      const policy = cnp(manifest);
      const reached = new Map<string, Set<number>>();
      for (const r of policy.spec.egress.slice(1)) {
        for (const f of r.toFQDNs) {
          const set = reached.get(f.matchName ?? f.matchPattern) ?? new Set<number>();
          r.toPorts[0].ports.forEach((p: any) => set.add(Number(p.port)));
          reached.set(f.matchName ?? f.matchPattern, set);
        }
      }
      const expected = new Map<string, Set<number>>();
      valid.forEach((e) => (e.ports ?? [443]).forEach((p) => expected.set(e.host, (expected.get(e.host) ?? new Set()).add(p))));
      expect(reached).toEqual(expected);
      expect(cnp(synth({ fqdnEgress: [...valid].reverse() }).manifest)).toEqual(policy);
      expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
    }), { numRuns: 40 });
  });

  test('a pattern wider than one label under two is always refused', () => {
    fc.assert(fc.property(fc.oneof(label.map((l) => `*.${l}`), fc.constant('*'), name.map((n) => `**.${n}`), name.map((n) => `a*.${n}`)), (bad) => {
      expect(fqdnHostProblem(bad)).toBeDefined();
      expect(errorOf(() => synth({ fqdnEgress: [{ host: bad }] }))).toContain('fqdnEgress[0].host');
    }), { numRuns: 40 });
  });
});
