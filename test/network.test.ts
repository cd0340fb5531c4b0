import { Chart, Testing } from 'cdk8s';
import { IngressController, SecureTradingApi } from '../src';
import { controlViolations } from './controls';
import { baseProps, only, synth } from './util';

describe('default-deny NetworkPolicy', () => {
  test('selects the pods, both policy types, no rules', () => {
    const { manifest } = synth();
    expect(only(manifest, 'NetworkPolicy', 'gateway-default-deny').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'gateway' } },
      policyTypes: ['Ingress', 'Egress'],
    });
  });
});

describe('allow NetworkPolicy', () => {
  test('ingress from the ingress controller to the API port only', () => {
    const { manifest } = synth({ port: 9000 });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    }]);
  });

  // The source follows the controller the user names, never the ingress-nginx defaults behind another controller.
  const sources: Array<[string, IngressController, string, { [key: string]: string }]> = [
    ['ingress-nginx by default', IngressController.ingressNginx(), 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }],
    ['ingress-nginx under another class', IngressController.ingressNginx({ className: 'nginx-internal', namespace: 'ingress-internal' }),
      'ingress-internal', { 'app.kubernetes.io/name': 'ingress-nginx' }],
    ['Traefik with its defaults', IngressController.traefik(), 'traefik', { 'app.kubernetes.io/name': 'traefik' }],
    ['Traefik elsewhere', IngressController.traefik({ namespace: 'edge', podLabels: { 'app.kubernetes.io/instance': 'edge-traefik' } }),
      'edge', { 'app.kubernetes.io/instance': 'edge-traefik' }],
    ['another controller', IngressController.other({ className: 'haproxy', namespace: 'haproxy-controller', podLabels: { 'app.kubernetes.io/name': 'kubernetes-ingress' } }),
      'haproxy-controller', { 'app.kubernetes.io/name': 'kubernetes-ingress' }],
  ];
  test.each(sources)('the ingress source of %s', (_title, ingressController, namespace, podLabels) => {
    const { manifest } = synth({ ingressController });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: podLabels },
    }]);
  });

  test('egress to kube-dns on 53 UDP/TCP and to each exchange endpoint only', () => {
    const { manifest } = synth({ exchangeEndpoints: [{ cidr: '203.0.113.0/24' }, { cidr: '2001:DB8:0:0::/48', port: 8443 }] });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.egress).toEqual([
      {
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      // IPv6 is written canonically, so reviewers and checkers see one spelling.
      { to: [{ ipBlock: { cidr: '2001:db8::/48' } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
  });

  test('the same block listed for two exchanges is one peer with every port; the order of the list does not matter', () => {
    const endpoints = [
      { cidr: '2001:db8::/48' },
      { cidr: '203.0.113.0/24', port: 8443 },
      { cidr: '198.51.100.0/24' },
      { cidr: '203.0.113.0/24' },
      { cidr: '203.0.113.0/24', port: 8443 },
    ];
    const egressOf = (list: typeof endpoints) => only(synth({ exchangeEndpoints: list }).manifest, 'NetworkPolicy', 'gateway-allow').spec.egress.slice(1);
    expect(egressOf(endpoints)).toEqual([
      { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] },
      { to: [{ ipBlock: { cidr: '2001:db8::/48' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(egressOf([...endpoints].reverse())).toEqual(egressOf(endpoints));
  });

  test('a block around link-local or private ranges excepts them; Kubernetes needs the except inside the cidr', () => {
    const { manifest } = synth({ exchangeEndpoints: [{ cidr: '169.0.0.0/8' }, { cidr: '64:ff9b::a000:0/99' }], allowUnrestrictedEgress: true });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.egress.slice(1).map((r: any) => r.to[0].ipBlock)).toEqual([
      { cidr: '169.0.0.0/8', except: ['169.254.0.0/16'] },
      // 160.0.0.0/3 through NAT64: the NAT64 forms of 169.254/16 and 172.16/12 (192.168/16 is outside it).
      { cidr: '64:ff9b::a000:0/99', except: ['64:ff9b::a9fe:0/112', '64:ff9b::ac10:0/108'] },
    ]);
  });

  test('the controls catch an ipBlock that reaches metadata or the cluster network', () => {
    const { manifest } = synth({ exchangeEndpoints: [{ cidr: '203.0.113.0/24' }] });
    const allow = only(manifest, 'NetworkPolicy', 'gateway-allow');
    allow.spec.egress[1].to[0].ipBlock = { cidr: '160.0.0.0/3', except: ['172.16.0.0/12'] };
    // Both the guard's rule and the independent net.BlockList probe see it.
    expect(controlViolations(manifest, 'trading', { allowUnrestrictedEgress: true })).toEqual([
      'NET-EGRESS-NEVER NetworkPolicy trading/gateway-allow spec.egress[1].to[0].ipBlock: 160.0.0.0/3 reaches 169.254.0.0/16, '
        + 'link-local, where the cloud metadata service 169.254.169.254 answers',
      'NetworkPolicy trading/gateway-allow: egress reaches 169.254.169.254 through 160.0.0.0/3',
      'NetworkPolicy trading/gateway-allow: egress reaches 169.254.0.1 through 160.0.0.0/3',
    ]);
  });

  test('without endpoints the pods reach DNS and nothing else', () => {
    const { manifest } = synth();
    const egress = only(manifest, 'NetworkPolicy', 'gateway-allow').spec.egress;
    expect(egress).toHaveLength(1);
    expect(JSON.stringify(egress)).not.toContain('ipBlock');
  });
});

describe('several instances in one namespace', () => {
  test('their objects have distinct names and each policy selects only its own pods', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps());
    new SecureTradingApi(chart, 'router', baseProps({ host: 'router.trading.example.com' }));
    const manifest = Testing.synth(chart);
    const keys = manifest.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const policy of manifest.filter((o) => o.kind === 'NetworkPolicy')) {
      const owner = policy.metadata.labels['app.kubernetes.io/instance'];
      expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/instance']).toBe(owner);
    }
  });
});
