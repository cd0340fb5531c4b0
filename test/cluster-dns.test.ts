import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ClusterDns, SecureTradingApi } from '../src';
import { controlViolations, reaches } from './controls';
import { baseProps, errorOf, only, synth } from './util';
import { nodeLocalDnsAddressProblem } from '../src/egress-ranges';
import { evaluate } from '../src/guard/evaluate';

const allow = (manifest: any[]) => manifest.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-allow'));
const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const failures = (manifest: any[]) => evaluate(manifest, true).filter((o) => o.status === 'fail');

describe('clusterDns: where the DNS egress rule points', () => {
  test('GIVEN no clusterDns THEN kube-dns in kube-system, exactly as ClusterDns.kubeDns()', () => {
    const { manifest } = synth();
    expect(allow(manifest).spec.egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: DNS_PORTS,
    });
    expect(synth({ clusterDns: ClusterDns.kubeDns() }).manifest).toEqual(manifest);
  });

  test('GIVEN ClusterDns.fromPods THEN the NetworkPolicy and the Cilium policy name those pods', () => {
    const { manifest } = synth({
      clusterDns: ClusterDns.fromPods({ namespace: 'dns', podLabels: { 'app.kubernetes.io/name': 'coredns' } }),
      fqdnEgress: [{ host: 'fapi.binance.com' }],
    });
    expect(allow(manifest).spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'coredns' } },
    }]);
    expect(only(manifest, 'CiliumNetworkPolicy').spec.egress[0].toEndpoints)
      .toEqual([{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dns', 'k8s:app.kubernetes.io/name': 'coredns' } }]);
    expect(failures(manifest)).toEqual([]);
  });

  test('GIVEN NodeLocal DNSCache THEN one /32 link-local block on port 53 only, the upstream kept, metadata unreachable, the guard passes', () => {
    const { manifest } = synth({ clusterDns: ClusterDns.nodeLocalDnsCache(), fqdnEgress: [{ host: 'fapi.binance.com' }] });
    const egress = allow(manifest).spec.egress;
    expect(egress[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
    expect(egress[1]).toEqual({ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: DNS_PORTS });
    const blocks = egress.flatMap((r: any) => r.to).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock);
    expect(blocks.some((b: any) => reaches(b, '169.254.169.254') || reaches(b, '169.254.170.2'))).toBe(false);
    expect(controlViolations(manifest, 'trading')).toEqual([]);
    expect(only(manifest, 'CiliumNetworkPolicy').spec.egress[1]).toEqual({
      toCIDR: ['169.254.20.10/32'],
      toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
  });

  test('GIVEN a NodeLocal DNSCache address and upstream THEN both are used', () => {
    const { manifest } = synth({
      clusterDns: ClusterDns.nodeLocalDnsCache({ address: '169.254.25.10', upstream: ClusterDns.fromPods({ podLabels: { 'k8s-app': 'coredns' } }) }),
    });
    const egress = allow(manifest).spec.egress;
    expect(egress[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'coredns' } });
    expect(egress[1].to).toEqual([{ ipBlock: { cidr: '169.254.25.10/32' } }]);
  });

  test.each([
    [ClusterDns.nodeLocalDnsCache({ address: '169.254.169.254' }), 'clusterDns.address', '169.254.169.0/24'],
    [ClusterDns.nodeLocalDnsCache({ address: '169.254.170.2' }), 'clusterDns.address', '169.254.170.0/24'],
    [ClusterDns.nodeLocalDnsCache({ address: '10.96.0.10' }), 'clusterDns.address', 'link-local'],
    [ClusterDns.nodeLocalDnsCache({ address: '169.254.20.10/32' }), 'clusterDns.address', 'one IPv4 address'],
    [ClusterDns.nodeLocalDnsCache({ address: 'fe80::a' }), 'clusterDns.address', 'one IPv4 address'],
    [ClusterDns.nodeLocalDnsCache({ upstream: ClusterDns.nodeLocalDnsCache() }), 'clusterDns.upstream', 'itself a NodeLocal DNSCache'],
    [ClusterDns.fromPods({ podLabels: {} }), 'clusterDns.podLabels', 'every pod'],
    [ClusterDns.fromPods({ namespace: 'Kube_System', podLabels: { 'k8s-app': 'kube-dns' } }), 'clusterDns.namespace', 'lower-case'],
    [{ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, 'clusterDns', 'is not a ClusterDns'],
  ])('GIVEN %j THEN refused naming %s, nothing emitted', (clusterDns, prop, text) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ clusterDns: clusterDns as any })));
    expect(message).toContain(`${prop}:`);
    expect(message).toContain(text);
    expect(chart.node.children).toHaveLength(0);
  });
});

describe('NET-EGRESS-NEVER accepts the NodeLocal DNSCache exception and nothing wider', () => {
  const never = (manifest: any[]) => failures(manifest).filter((o) => o.ruleId === 'NET-EGRESS-NEVER');
  const withRule = (rule: any) => {
    const { manifest } = synth({ clusterDns: ClusterDns.nodeLocalDnsCache() });
    allow(manifest).spec.egress[1] = rule;
    return manifest;
  };

  test.each([
    ['the cache address on port 80', { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }],
    ['the cache address on 53 and 80', { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [...DNS_PORTS, { protocol: 'TCP', port: 80 }] }],
    ['the cache address on every port', { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }] }],
    ['a port range from 53', { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ protocol: 'TCP', port: 53, endPort: 80 }] }],
    ['SCTP on 53', { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ protocol: 'SCTP', port: 53 }] }],
    ['the metadata address on 53', { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: DNS_PORTS }],
    ['the ECS credentials address on 53', { to: [{ ipBlock: { cidr: '169.254.170.2/32' } }], ports: DNS_PORTS }],
    ['a /24 of link-local on 53', { to: [{ ipBlock: { cidr: '169.254.20.0/24' } }], ports: DNS_PORTS }],
    ['all of link-local on 53', { to: [{ ipBlock: { cidr: '169.254.0.0/16' } }], ports: DNS_PORTS }],
    ['loopback on 53', { to: [{ ipBlock: { cidr: '127.0.0.1/32' } }], ports: DNS_PORTS }],
    ['IPv6 link-local on 53', { to: [{ ipBlock: { cidr: 'fe80::a/128' } }], ports: DNS_PORTS }],
  ])('%s fails', (_name, rule) => {
    expect(never(withRule(rule))).not.toEqual([]);
  });

  test('the cache address on 53, UDP only or TCP only, passes', () => {
    expect(never(withRule({ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ protocol: 'UDP', port: 53 }] }))).toEqual([]);
    expect(never(withRule({ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ port: 53 }] }))).toEqual([]);
  });
});

describe('properties of clusterDns', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  test('any link-local address outside the metadata blocks is accepted, and the guard and the controls pass', () => {
    fc.assert(fc.property(octet.filter((o) => o !== 169 && o !== 170), octet, (c, d) => {
      const address = `169.254.${c}.${d}`;
      expect(nodeLocalDnsAddressProblem(address)).toBeUndefined();
      const { manifest } = synth({ clusterDns: ClusterDns.nodeLocalDnsCache({ address }) });
      expect(controlViolations(manifest, 'trading')).toEqual([]);
    }), { numRuns: 25 });
  });

  test('any address in a metadata block, or outside link-local, is refused', () => {
    fc.assert(fc.property(fc.oneof(
      fc.tuple(fc.constantFrom(169, 170), octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(octet.filter((a) => a !== 169), octet, octet, octet).map((o) => o.join('.')),
    ), (address) => {
      expect(nodeLocalDnsAddressProblem(address)).toBeDefined();
    }), { numRuns: 100 });
  });
});
