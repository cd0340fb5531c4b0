import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Guard, SecureTradingApi, TradingNamespace, TradingNamespaceProps } from '../src';
import { baseProps, errorOf, only } from './util';

/** GIVEN a Chart (namespace `other`, which the Namespace must not inherit), WHEN a TradingNamespace is added: its objects. */
function synthNamespace(props?: TradingNamespaceProps, id = 'trading'): { ns: TradingNamespace; manifest: any[] } {
  const chart = new Chart(Testing.app(), 'platform', { namespace: 'other' });
  const ns = new TradingNamespace(chart, id, props);
  return { ns, manifest: Testing.synth(chart) };
}

describe('what a TradingNamespace emits', () => {
  test('a restricted Namespace, a namespace-wide deny, a quota and a limit range, in that order', () => {
    const { ns, manifest } = synthNamespace();
    expect(manifest.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`)).toEqual([
      'Namespace -/trading', 'NetworkPolicy trading/default-deny', 'ResourceQuota trading/resource-quota', 'LimitRange trading/limit-range',
    ]);
    expect(ns.name).toBe('trading');
    const labels = only(manifest, 'Namespace').metadata.labels;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('latest');
    }
    expect(labels['kubernetes.io/metadata.name']).toBeUndefined();
  });

  test('the Namespace is cluster-scoped: no metadata.namespace, even in a Chart that has one', () => {
    const { manifest } = synthNamespace();
    expect(only(manifest, 'Namespace').metadata).not.toHaveProperty('namespace');
    const chart = new Chart(Testing.app(), 'bare');
    new TradingNamespace(chart, 'trading');
    expect(only(Testing.synth(chart), 'Namespace').metadata).not.toHaveProperty('namespace');
  });

  test('the deny selects every pod and allows nothing', () => {
    const { manifest } = synthNamespace();
    expect(only(manifest, 'NetworkPolicy').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('the default quota fits 30 pods of a SecureTradingApi\'s default size, and no LoadBalancer or NodePort', () => {
    const { manifest } = synthNamespace();
    expect(only(manifest, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'limits.cpu': '16',
      'requests.memory': '8Gi',
      'limits.memory': '16Gi',
      'requests.ephemeral-storage': '4Gi',
      'limits.ephemeral-storage': '16Gi',
      'pods': '30',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
  });

  test('the default limit range gives a SecureTradingApi\'s default resources and caps one container', () => {
    const { manifest } = synthNamespace();
    expect(only(manifest, 'LimitRange').spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      default: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
      max: { 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '2Gi' },
    }]);
  });

  test('props change the name, the quota, the limit range and the metadata; the Pod Security labels stay', () => {
    const { ns, manifest } = synthNamespace({
      name: 'trading-prod',
      resourceQuota: { limitsCpu: '32', pods: 60 },
      limitRange: { maxCpu: '4', defaultMemoryLimit: '512Mi' },
      labels: { 'example.com/team': 'trading' },
      annotations: { 'example.com/owner': 'platform security' },
    });
    expect(ns.name).toBe('trading-prod');
    const namespace = only(manifest, 'Namespace');
    expect(namespace.metadata.labels['example.com/team']).toBe('trading');
    expect(namespace.metadata.annotations).toEqual({ 'example.com/owner': 'platform security' });
    expect(only(manifest, 'ResourceQuota').spec.hard).toMatchObject({ 'limits.cpu': '32', 'pods': '60', 'services.nodeports': '0' });
    expect(only(manifest, 'LimitRange').spec.limits[0]).toMatchObject({ max: { cpu: '4' }, default: { memory: '512Mi' } });
    expect(manifest.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'trading-prod')).toBe(true);
  });

  test('each object is a public child', () => {
    const { ns } = synthNamespace();
    expect([ns.namespace, ns.defaultDenyPolicy, ns.resourceQuota, ns.limitRange].map((o) => o.kind))
      .toEqual(['Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange']);
    expect(ns.guard).toBe(Guard.of(ns));
  });
});

describe('the Namespace comes first, so that kubectl apply creates it before what lives in it', () => {
  test('also when a service in its namespace was created in the Chart before it', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new SecureTradingApi(chart, 'early', baseProps({ namespace: 'trading', host: 'early.trading.example.com' }));
    const ns = new TradingNamespace(chart, 'trading');
    new SecureTradingApi(ns, 'gateway', baseProps());
    const manifest = Testing.synth(chart);
    expect(manifest[0].kind).toBe('Namespace');
    // The namespace's 4, the early service's 8, and the gateway's 7 (the namespace's deny covers it).
    expect(manifest).toHaveLength(4 + 8 + 7);
  });

  test('objects of another namespace keep their place', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new SecureTradingApi(chart, 'elsewhere', baseProps({ namespace: 'tools' }));
    new TradingNamespace(chart, 'trading');
    const manifest = Testing.synth(chart);
    expect(manifest[0].metadata.namespace).toBe('tools');
    expect(manifest.findIndex((o) => o.kind === 'Namespace')).toBe(8);
  });
});

describe('TradingNamespace.find and services inside it', () => {
  test('finds the nearest enclosing TradingNamespace, itself included, and nothing outside', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const ns = new TradingNamespace(chart, 'trading');
    const inner = new Construct(ns, 'Group');
    expect(TradingNamespace.find(ns)).toBe(ns);
    expect(TradingNamespace.find(inner)).toBe(ns);
    expect(TradingNamespace.find(ns.defaultDenyPolicy)).toBe(ns);
    expect(TradingNamespace.find(chart)).toBeUndefined();
    expect(TradingNamespace.find(undefined as any)).toBeUndefined();
  });

  test('a SecureTradingApi with the TradingNamespace as scope lives in it', () => {
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'other' });
    const ns = new TradingNamespace(chart, 'trading');
    const api = new SecureTradingApi(ns, 'gateway', baseProps({ namespace: ns.name }));
    expect(TradingNamespace.find(api)).toBe(ns);
    const manifest = Testing.synth(chart);
    expect(manifest.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'trading')).toBe(true);
    expect(only(manifest, 'Deployment').metadata.name).toBe('gateway');
  });
});

describe('invalid props throw one error naming each prop, and emit nothing', () => {
  const cases: Array<[string, any, string, string]> = [
    ['a system namespace', { name: 'default' }, 'name', 'system namespace'],
    ['a kube-* namespace', { name: 'kube-trading' }, 'name', 'system namespace'],
    ['an upper-case name', { name: 'Trading' }, 'name', 'lower-case'],
    ['a name YAML reads as a number', { name: '1e3' }, 'name', 'YAML reader'],
    ['a number for the name', { name: 42 }, 'name', 'must be a string'],
    ['an unknown prop', { resourceQuotas: {} }, 'props.resourceQuotas', 'not a known prop'],
    ['zero pods', { resourceQuota: { pods: 0 } }, 'resourceQuota.pods', 'between 1 and 10000'],
    ['pods as a string', { resourceQuota: { pods: '30' } }, 'resourceQuota.pods', 'whole number'],
    ['a fraction of a pod', { resourceQuota: { pods: 1.5 } }, 'resourceQuota.pods', 'whole number'],
    ['a zero cpu quota', { resourceQuota: { requestsCpu: '0' } }, 'resourceQuota.requestsCpu', 'is zero'],
    ['a negative quantity', { resourceQuota: { limitsCpu: '-1' } }, 'resourceQuota.limitsCpu', 'not a Kubernetes quantity'],
    ['a number for a quantity', { resourceQuota: { limitsCpu: 4 } }, 'resourceQuota.limitsCpu', 'not a Kubernetes quantity'],
    ['a quantity beyond what the server stores', { resourceQuota: { limitsMemory: '9E' } }, 'resourceQuota.limitsMemory', 'larger than the API server'],
    ['an exponent beyond any quantity', { resourceQuota: { limitsMemory: '1e400' } }, 'resourceQuota.limitsMemory', 'not a Kubernetes quantity'],
    ['a huge string', { resourceQuota: { limitsMemory: '9'.repeat(5000) } }, 'resourceQuota.limitsMemory', 'larger than the API server'],
    ['a fraction of a byte', { resourceQuota: { requestsMemory: '500m' } }, 'resourceQuota.requestsMemory', 'fraction of a byte'],
    ['cpu finer than a millicore', { limitRange: { defaultCpuRequest: '0.5m' } }, 'limitRange.defaultCpuRequest', 'finer than a millicore'],
    ['a quota request above its limit', { resourceQuota: { requestsCpu: '20' } }, 'resourceQuota.requestsCpu', 'exceeds resourceQuota.limitsCpu'],
    ['a default request above the default limit', { limitRange: { defaultMemoryRequest: '1Gi' } }, 'limitRange.defaultMemoryRequest', 'exceeds limitRange.defaultMemoryLimit'],
    ['a default limit above the maximum', { limitRange: { defaultCpuLimit: '3' } }, 'limitRange.defaultCpuLimit', 'exceeds limitRange.maxCpu'],
    ['a maximum above the quota', { limitRange: { maxEphemeralStorage: '32Gi' } }, 'limitRange.maxEphemeralStorage', 'exceeds resourceQuota.limitsEphemeralStorage'],
    ['a label that weakens Pod Security', { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }, 'labels["pod-security.kubernetes.io/enforce"]', 'Pod Security Admission'],
    ['an annotation under the Pod Security prefix', { annotations: { 'pod-security.kubernetes.io/exempt': 'true' } }, 'annotations["pod-security.kubernetes.io/exempt"]', 'Pod Security Admission'],
    ['the API server\'s name label', { labels: { 'kubernetes.io/metadata.name': 'other' } }, 'labels["kubernetes.io/metadata.name"]', 'set by the API server'],
    ['a label value that is not a string', { labels: { team: 7 } }, 'labels["team"]', 'must be a string'],
    ['an invalid label value', { labels: { team: 'a b' } }, 'labels["team"]', 'label value'],
    ['labels that are a list', { labels: ['team'] }, 'labels', 'map of strings'],
    ['props that are not an object', 'trading', 'props', 'must be an object'],
    ['a __proto__ label key', { labels: JSON.parse('{"__proto__": "x"}') }, 'labels["__proto__"]', 'not a usable key'],
  ];

  test.each(cases)('%s', (_title, props, prop, words) => {
    const chart = new Chart(Testing.app(), 'platform');
    const message = errorOf(() => new TradingNamespace(chart, 'trading', props));
    expect(message).toContain('TradingNamespace \'platform/trading\'');
    expect(message).toContain(`  - ${prop}: `);
    expect(message).toContain(words);
    expect(message).toContain('Fix: ');
    expect(message).toContain('nothing was emitted');
    expect(chart.node.children).toEqual([]);
  });

  test('every problem is listed at once', () => {
    const message = errorOf(() => new TradingNamespace(new Chart(Testing.app(), 'platform'), 'default', { resourceQuota: { pods: 0, requestsCpu: 'x' } }));
    expect(message).toContain('3 invalid prop problems');
  });

  test('a prototype-polluted prop never counts', () => {
    (Object.prototype as any).pods = 0;
    (Object.prototype as any).name = 'kube-system';
    try {
      const { ns, manifest } = synthNamespace();
      expect(ns.name).toBe('trading');
      expect(only(manifest, 'ResourceQuota').spec.hard.pods).toBe('30');
    } finally {
      delete (Object.prototype as any).pods;
      delete (Object.prototype as any).name;
    }
  });

  test.each([
    ['outside a Chart', (app: App) => app, 'not inside a Chart'],
    ['inside another TradingNamespace', (app: App) => new TradingNamespace(new Chart(app, 'platform'), 'outer'), 'cannot hold another'],
    ['with the name of another one in the App', (app: App) => {
      new TradingNamespace(new Chart(app, 'one'), 'trading');
      return new Chart(app, 'two');
    }, 'already the name of TradingNamespace \'one/trading\''],
  ])('is refused %s', (_title, scopeOf, words) => {
    const scope = scopeOf(Testing.app());
    expect(errorOf(() => new TradingNamespace(scope, 'trading'))).toContain(words);
  });
});

describe('the guard checks the namespace as a unit', () => {
  test('it appears in the compliance report, next to the services inside it', () => {
    const app = Testing.app();
    const ns = new TradingNamespace(new Chart(app, 'platform'), 'trading');
    new SecureTradingApi(ns, 'gateway', baseProps({ namespace: ns.name }));
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    expect(report.units.map((u: any) => [u.kind, u.path])).toEqual([['TradingNamespace', 'platform/trading'], ['SecureTradingApi', 'platform/trading/gateway']]);
    expect(report.units[0].objects.map((o: any) => o.object)).toEqual([
      'Namespace trading', 'NetworkPolicy trading/default-deny', 'ResourceQuota trading/resource-quota', 'LimitRange trading/limit-range',
    ]);
    expect(report.units[0].objects[0].passed).toEqual(expect.arrayContaining(['NS-POD-SECURITY', 'NS-DEFAULT-DENY', 'NS-QUOTA-EXPOSURE']));
    expect(report.units.every((u: any) => u.summary.fail === 0)).toBe(true);
  });

  test.each([
    ['the enforce label patched to privileged', (ns: TradingNamespace) => ns.namespace.metadata.addLabel('pod-security.kubernetes.io/enforce', 'privileged'),
      'NS-POD-SECURITY', 'not "restricted"'],
    ['the policy version pinned to an old release', (ns: TradingNamespace) => ns.namespace.metadata.addLabel('pod-security.kubernetes.io/enforce-version', 'v1.24'),
      'NS-POD-SECURITY', 'older than the supported'],
    ['the quota removed', (ns: TradingNamespace) => ns.node.tryRemoveChild('ResourceQuota'), 'NS-QUOTA-EXPOSURE', 'services.loadbalancers'],
    ['NodePorts allowed by a patch', (ns: TradingNamespace) => ns.resourceQuota.addJsonPatch(JsonPatch.replace('/spec/hard/services.nodeports', '5')),
      'NS-QUOTA-EXPOSURE', 'services.nodeports'],
    ['the namespace-wide deny removed', (ns: TradingNamespace) => ns.node.tryRemoveChild('DefaultDenyPolicy'), 'NS-DEFAULT-DENY', 'denies all ingress and egress'],
    ['the deny narrowed to some pods', (ns: TradingNamespace) => ns.defaultDenyPolicy.addJsonPatch(JsonPatch.add('/spec/podSelector/matchLabels', { app: 'x' })),
      'NS-DEFAULT-DENY', 'every pod'],
  ])('%s fails synth', (_title, change, ruleId, detail) => {
    const chart = new Chart(Testing.app(), 'platform');
    const ns = new TradingNamespace(chart, 'trading');
    change(ns);
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('TradingNamespace \'platform/trading\'');
    expect(message).toContain(ruleId);
    expect(message).toContain(detail);
  });

  test('removing every object of the namespace is refused', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const ns = new TradingNamespace(chart, 'trading');
    for (const id of ['Namespace', 'DefaultDenyPolicy', 'ResourceQuota', 'LimitRange']) {
      ns.node.tryRemoveChild(id);
    }
    expect(errorOf(() => Testing.synth(chart))).toContain('remove the TradingNamespace instead');
  });
});

test('the app\'s audit policy covers the namespace, with or without services in it', () => {
  const { ns } = synthNamespace({ name: 'trading-prod' });
  expect(ns.auditPolicy.namespaces).toEqual(['trading-prod']);
});
