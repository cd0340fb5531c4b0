import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureTradingApi } from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { evaluate } from '../src/guard/evaluate';

const NODES = { 'example.com/egress-gateway': 'trading' };

describe('egressGateway: a fixed egress IP with Cilium', () => {
  test('GIVEN no egressGateway THEN no policy', () => {
    const { manifest, api } = synth();
    expect(manifest.filter((o) => o.kind === 'CiliumEgressGatewayPolicy')).toEqual([]);
    expect(api.egressGatewayPolicy).toBeUndefined();
  });

  test('GIVEN nodes and an address THEN a cluster-scoped policy selecting exactly the service pods, every IPv4 destination', () => {
    const { manifest, api } = synth({ egressGateway: { nodeLabels: NODES, egressIp: '198.51.100.7' } });
    const policy = only(manifest, 'CiliumEgressGatewayPolicy');
    expect(api.egressGatewayPolicy).toBeDefined();
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.metadata.name).toBe('trading.gateway-egress-gateway');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(policy.spec).toEqual({
      selectors: [{ podSelector: { matchLabels: { ...only(manifest, 'Deployment').spec.selector.matchLabels, 'io.kubernetes.pod.namespace': 'trading' } } }],
      destinationCIDRs: ['0.0.0.0/0'],
      egressGateway: { nodeSelector: { matchLabels: NODES }, egressIP: '198.51.100.7' },
    });
    // It only steers: the NetworkPolicies are unchanged, and the guard passes.
    expect(manifest.filter((o) => o.kind === 'NetworkPolicy')).toEqual(synth().manifest.filter((o) => o.kind === 'NetworkPolicy'));
    expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
  });

  test('GIVEN an interface and destinations THEN they are written, canonical and once', () => {
    const policy = only(synth({ egressGateway: { nodeLabels: NODES, interface: 'eth1', destinationCidrs: ['203.0.113.0/24', '2001:0db8::/32', '203.0.113.0/24'] } }).manifest,
      'CiliumEgressGatewayPolicy');
    expect(policy.spec.destinationCIDRs).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(policy.spec.egressGateway).toEqual({ nodeSelector: { matchLabels: NODES }, interface: 'eth1' });
  });

  test.each([
    [{ nodeLabels: {} }, 'egressGateway.nodeLabels', 'every pod'],
    [{ egressIp: '198.51.100.7' }, 'egressGateway.nodeLabels', 'is missing'],
    [{ nodeLabels: NODES, egressIp: '198.51.100.7', interface: 'eth1' }, 'egressGateway', 'both egressIp and interface'],
    [{ nodeLabels: NODES, egressIp: '169.254.169.254' }, 'egressGateway.egressIp', 'link-local'],
    [{ nodeLabels: NODES, egressIp: '127.0.0.1' }, 'egressGateway.egressIp', 'loopback'],
    [{ nodeLabels: NODES, egressIp: '198.51.100.7/32' }, 'egressGateway.egressIp', 'one IPv4 or IPv6 address'],
    [{ nodeLabels: NODES, interface: 'a-very-long-interface-name' }, 'egressGateway.interface', '1 to 15'],
    [{ nodeLabels: NODES, destinationCidrs: [] }, 'egressGateway.destinationCidrs', 'is empty'],
    [{ nodeLabels: NODES, destinationCidrs: ['203.0.113.7/24'] }, 'egressGateway.destinationCidrs[0]', 'host bits'],
    [{ nodeLabels: NODES, egressIP: '198.51.100.7' }, 'egressGateway.egressIP', 'not a known prop'],
  ])('GIVEN %j THEN refused naming %s, nothing emitted', (egressGateway, prop, text) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ egressGateway: egressGateway as any })));
    expect(message).toContain(`${prop}:`);
    expect(message).toContain(text);
    expect(chart.node.children).toHaveLength(0);
  });

  test('property: any public IPv4 source address is accepted and written as given', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 126 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }), (a, b, d) => {
      fc.pre(a !== 10);
      const egressIp = `${a}.${b}.0.${d}`;
      const policy = only(synth({ egressGateway: { nodeLabels: NODES, egressIp } }).manifest, 'CiliumEgressGatewayPolicy');
      expect(policy.spec.egressGateway.egressIP).toBe(egressIp);
    }), { numRuns: 20 });
  });
});

describe('NET-EGRESS-GATEWAY-SELECTS-SERVICE: the gateway lends its address to the service\'s pods only', () => {
  const gatewayFindings = (change: (selectors: any[]) => void) => {
    const { manifest } = synth({ egressGateway: { nodeLabels: NODES, egressIp: '198.51.100.7' } });
    change(only(manifest, 'CiliumEgressGatewayPolicy').spec.selectors);
    return evaluate(manifest, true).filter((o) => o.ruleId === 'NET-EGRESS-GATEWAY-SELECTS-SERVICE' && o.status !== 'not-applicable');
  };

  test('the library\'s policy passes', () => {
    const outcomes = gatewayFindings(() => undefined);
    expect(outcomes.map((o) => o.status)).toEqual(['pass']);
  });

  test.each([
    ['an empty podSelector', (s: any[]) => { s[0].podSelector = {}; }, 'lacks the service\'s selector labels'],
    ['no selector at all', (s: any[]) => { s.length = 0; }, 'is empty or missing'],
    ['another namespace', (s: any[]) => { s[0].podSelector.matchLabels['io.kubernetes.pod.namespace'] = 'other'; }, 'must confine it to namespace "trading"'],
    ['the namespace label dropped', (s: any[]) => { delete s[0].podSelector.matchLabels['io.kubernetes.pod.namespace']; }, 'must confine it to namespace'],
    ['the namespace label also under its k8s: prefix, naming another namespace', (s: any[]) => { s[0].podSelector.matchLabels['k8s:io.kubernetes.pod.namespace'] = 'other'; },
      'must confine it to namespace'],
    ['a matchExpressions that widens', (s: any[]) => { s[0].podSelector.matchExpressions = [{ key: 'app.kubernetes.io/name', operator: 'Exists' }]; }, 'matchExpressions'],
    ['a namespaceSelector', (s: any[]) => { s[0].namespaceSelector = { matchLabels: {} }; }, 'has namespaceSelector'],
    ['a second selector for other pods', (s: any[]) => { s.push({ podSelector: { matchLabels: { app: 'other' } } }); }, 'lacks the service\'s selector labels'],
  ])('%s fails', (_name, change, message) => {
    const outcomes = gatewayFindings(change);
    expect(outcomes.map((o) => o.status)).toEqual(['fail']);
    expect(outcomes[0].findings.map((f) => f.message).join('\n')).toContain(message);
  });

  test('a selector patched wider after construction fails synth', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ egressGateway: { nodeLabels: NODES, egressIp: '198.51.100.7' } }));
    api.egressGatewayPolicy!.addJsonPatch(JsonPatch.replace('/spec/selectors/0/podSelector', { matchLabels: { 'io.kubernetes.pod.namespace': 'trading' } }));
    expect(errorOf(() => Testing.synth(chart))).toContain('NET-EGRESS-GATEWAY-SELECTS-SERVICE');
  });
});
