import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SecureTradingApi, SecureTradingApiProps, ServiceExposure } from '../src';
import { baseProps, errorOf, IMAGE, only } from './util';

const INTERNAL: Partial<SecureTradingApiProps> = { exposure: ServiceExposure.INTERNAL, host: undefined, tls: undefined };

/** GIVEN a gateway (PUBLIC) and a risk engine (INTERNAL) in namespace `trading`. */
function platform(riskProps: Partial<SecureTradingApiProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
  const gateway = new SecureTradingApi(chart, 'gateway', baseProps());
  const risk = new SecureTradingApi(chart, 'risk', baseProps({ ...INTERNAL, credentials: undefined, ...riskProps }));
  return { chart, gateway, risk };
}

const policy = (manifest: any[], name: string) => only(manifest, 'NetworkPolicy', `${name}-allow`).spec;
const peerOf = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'trading' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/name': name } },
});

describe('allowTo / allowFrom between two services open both sides', () => {
  test('gateway.allowTo(risk): egress on the gateway, ingress on the risk engine, on the risk engine\'s pod port', () => {
    const { chart, gateway, risk } = platform({ port: 9000 });
    gateway.allowTo(risk);
    const manifest = Testing.synth(chart);
    expect(policy(manifest, 'gateway').egress).toContainEqual({ to: [peerOf('risk')], ports: [{ protocol: 'TCP', port: 9000 }] });
    expect(policy(manifest, 'risk').ingress).toEqual([{ from: [peerOf('gateway')], ports: [{ protocol: 'TCP', port: 9000 }] }]);
  });

  test('risk.allowFrom(gateway) is the same connection; making it twice adds nothing', () => {
    const a = platform();
    a.gateway.allowTo(a.risk);
    const b = platform();
    b.risk.allowFrom(b.gateway);
    b.risk.allowFrom(b.gateway);
    b.gateway.allowTo(b.risk);
    expect(Testing.synth(b.chart)).toEqual(Testing.synth(a.chart));
  });

  test('across namespaces, the peer is named by its own namespace', () => {
    const app = Testing.app();
    const gateway = new SecureTradingApi(new Chart(app, 'a', { namespace: 'trading-a' }), 'gateway', baseProps());
    const riskChart = new Chart(app, 'b', { namespace: 'risk' });
    const risk = new SecureTradingApi(riskChart, 'risk', baseProps(INTERNAL));
    gateway.allowTo(risk);
    expect(policy(Testing.synth(riskChart), 'risk').ingress[0].from[0].namespaceSelector.matchLabels)
      .toEqual({ 'kubernetes.io/metadata.name': 'trading-a' });
  });

  test('the metrics port can be connected by name of port; any other port is refused', () => {
    const { chart, gateway, risk } = platform({ metrics: { port: 9100 } });
    gateway.allowTo(risk, { port: 9100 });
    expect(policy(Testing.synth(chart), 'risk').ingress).toContainEqual({ from: [peerOf('gateway')], ports: [{ protocol: 'TCP', port: 9100 }] });
    const message = errorOf(() => gateway.allowTo(risk, { port: 22 }));
    expect(message).toContain('allowTo(options).port');
    expect(message).toContain('is not a port of SecureTradingApi \'test/risk\' (its ports: 8080, 9100)');
  });

  test('a worker (exposure NONE) cannot be called, and the refusal changes nothing', () => {
    const { chart, gateway } = platform();
    const worker = new SecureTradingApi(chart, 'worker', baseProps({ exposure: ServiceExposure.NONE, host: undefined, tls: undefined }));
    const before = JSON.stringify(Testing.synth(chart));
    const message = errorOf(() => worker.allowFrom(gateway));
    expect(message).toContain('has exposure ServiceExposure.NONE: nothing may call it');
    expect(message).toContain('set exposure: ServiceExposure.INTERNAL');
    expect(JSON.stringify(Testing.synth(chart))).toBe(before);
  });

  test('a worker may still call others', () => {
    const { chart, risk } = platform();
    const worker = new SecureTradingApi(chart, 'worker', baseProps({ exposure: ServiceExposure.NONE, host: undefined, tls: undefined }));
    worker.allowTo(risk);
    expect(policy(Testing.synth(chart), 'worker').egress).toContainEqual({ to: [peerOf('risk')], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  test.each([
    ['a string', 'risk', 'neither a SecureTradingApi nor a cdk8s-plus network policy peer'],
    ['undefined', undefined, 'neither a SecureTradingApi'],
    ['a plain object', { node: {} }, 'neither a SecureTradingApi'],
  ])('a peer that is %s is refused', (_title, peer, words) => {
    const { gateway } = platform();
    expect(errorOf(() => gateway.allowTo(peer as any))).toContain(words);
  });

  test.each([
    ['a string port', { port: '8080' }, '"8080"'],
    ['a fraction', { port: 80.5 }, 'whole number'],
    ['an unknown option', { prot: 8080 }, 'not a known prop'],
  ])('options with %s are refused', (_title, options, words) => {
    const { gateway, risk } = platform();
    expect(errorOf(() => gateway.allowTo(risk, options as any))).toContain(words);
  });
});

describe('cdk8s-plus interop', () => {
  test('a cdk8s-plus Deployment may call the service: the service admits exactly its pods', () => {
    const { chart, risk } = platform();
    const debug = new kplus.Deployment(chart, 'tools', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    risk.allowFrom(debug);
    const from = policy(Testing.synth(chart), 'risk').ingress[0].from[0];
    expect(Object.keys(from.podSelector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
  });

  test('the service calls a cdk8s-plus workload: the port is required', () => {
    const { chart, gateway } = platform();
    const cache = new kplus.Deployment(chart, 'cache', { containers: [{ image: IMAGE, portNumber: 6379 }] });
    expect(errorOf(() => gateway.allowTo(cache))).toContain('is required when the called peer is not a SecureTradingApi');
    gateway.allowTo(cache, { port: 6379 });
    expect(policy(Testing.synth(chart), 'gateway').egress.at(-1).ports).toEqual([{ protocol: 'TCP', port: 6379 }]);
  });

  test('an address block is not a peer: egress to addresses is exchangeEndpoints', () => {
    const { gateway } = platform();
    expect(errorOf(() => gateway.allowTo(kplus.NetworkPolicyIpBlock.anyIpv4(gateway, 'any'), { port: 443 }))).toContain('is an address block, not pods');
  });

  test('a selector of every pod is refused', () => {
    const { chart, gateway } = platform();
    expect(errorOf(() => gateway.allowTo(kplus.Pods.all(chart, 'all'), { port: 80 }))).toContain('selects every pod');
  });

  test('the service is a cdk8s-plus peer: a cdk8s-plus NetworkPolicy can select it', () => {
    const { chart, risk } = platform();
    new kplus.NetworkPolicy(chart, 'extra', { selector: risk, egress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
    const extra = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('test-extra'));
    expect(extra.metadata.namespace).toBe('trading');
    expect(extra.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'risk', 'app.kubernetes.io/name': 'risk' });
  });
});

describe('metrics scraping and in-cluster dependencies', () => {
  test('the metrics port: a named container port, a Service port, and admitted from the scraper only', () => {
    const { chart } = platform({ metrics: { port: 9100, scraperNamespace: 'observability', scraperPodLabels: { app: 'prometheus' } } });
    const manifest = Testing.synth(chart);
    const sts = only(manifest, 'Deployment', 'risk');
    expect(sts.spec.template.spec.containers[0].ports).toContainEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
    expect(only(manifest, 'Service', 'risk').spec.ports).toContainEqual({ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' });
    expect(policy(manifest, 'risk').ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9100 }],
    }]);
  });

  test('the scraper defaults to Prometheus in namespace monitoring', () => {
    const { chart } = platform({ metrics: { port: 9100 } });
    expect(policy(Testing.synth(chart), 'risk').ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    });
  });

  test('a dependency: egress by namespace and labels on its ports; the own namespace by default', () => {
    const { chart } = platform({
      clusterDependencies: [
        { namespace: 'databases', podLabels: { 'app.kubernetes.io/name': 'postgresql' }, ports: [5432] },
        { podLabels: { 'app.kubernetes.io/name': 'redis' }, ports: [6379, 26379, 6379].slice(0, 2) },
      ],
    });
    const egress = policy(Testing.synth(chart), 'risk').egress;
    expect(egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'databases' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql' } } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    expect(egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'trading' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }, { protocol: 'TCP', port: 26379 }],
    });
  });
});
