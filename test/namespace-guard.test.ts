/**
 * The guard's shared context: a service inside a TradingNamespace reads the namespace-wide default
 * deny (without owning or checking it), so it needs no deny of its own; remove the namespace's deny
 * and the service fails again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Guard, SecureTradingApi, TradingNamespace } from '../src';
import { baseProps, errorOf, only } from './util';
import { evaluate } from '../src/guard/evaluate';

interface Platform {
  readonly chart: Chart;
  readonly ns: TradingNamespace;
  readonly api: SecureTradingApi;
}

/**
 * GIVEN a TradingNamespace `trading` and a service created inside it: the service has no deny of its
 * own and reads the namespace's objects.
 */
function platform(id = 'gateway', existing?: { chart: Chart; ns: TradingNamespace }): Platform {
  const chart = existing?.chart ?? new Chart(Testing.app(), 'platform');
  const ns = existing?.ns ?? new TradingNamespace(chart, 'trading');
  const api = new SecureTradingApi(ns, id, baseProps({ host: `${id}.trading.example.com` }));
  return { chart, ns, api };
}

describe('a service reads the namespace-wide default deny', () => {
  test('it passes NET-DEFAULT-DENY without a deny of its own; the shared objects stay in the namespace\'s unit', () => {
    const { chart } = platform();
    const app = chart.node.root as any;
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    const service = report.units.find((u: any) => u.kind === 'SecureTradingApi');
    expect(service.summary.fail).toBe(0);
    expect(service.objects.find((o: any) => o.object === 'Deployment trading/gateway').passed).toContain('NET-DEFAULT-DENY');
    expect(service.objects.map((o: any) => o.object)).not.toContain('NetworkPolicy trading/default-deny');
    expect(report.units.find((u: any) => u.kind === 'TradingNamespace').objects.map((o: any) => o.object)).toContain('NetworkPolicy trading/default-deny');
  });

  test('the namespace\'s objects are rendered once, however many services read them', () => {
    const first = platform();
    platform('router', first);
    const renders = jest.spyOn(first.ns.defaultDenyPolicy.metadata, 'toJson');
    const manifest = Testing.synth(first.chart);
    expect(renders).toHaveBeenCalledTimes(1);
    expect(manifest.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name).sort())
      .toEqual(['default-deny', 'gateway-allow', 'router-allow']);
  });

  test('without the namespace\'s deny, the service fails synth with NET-DEFAULT-DENY', () => {
    const { chart, ns } = platform();
    ns.node.tryRemoveChild('DefaultDenyPolicy');
    // The namespace's own finding, accepted here, must not excuse the service.
    Guard.acknowledge(ns.namespace, 'NS-DEFAULT-DENY', 'the test checks that the services still need a deny');
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('SecureTradingApi \'platform/trading/gateway\'');
    expect(message).toContain('NET-DEFAULT-DENY on Deployment trading/gateway');
  });

  test('without the namespace\'s deny, the namespace fails synth first, with NS-DEFAULT-DENY', () => {
    const { chart, ns } = platform();
    ns.node.tryRemoveChild('DefaultDenyPolicy');
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('TradingNamespace \'platform/trading\'');
    expect(message).toContain('NS-DEFAULT-DENY');
  });

  test('a service inside a TradingNamespace is in its namespace, has no deny of its own, and cannot name another namespace', () => {
    const { api, ns } = platform();
    expect(api.namespace).toBe('trading');
    expect(api.defaultDenyPolicy).toBeUndefined();
    expect(errorOf(() => new SecureTradingApi(ns, 'other', baseProps({ namespace: 'trading-other', host: 'other.trading.example.com' }))))
      .toContain('namespace: differs from the TradingNamespace \'platform/trading\' it is created in ("trading")');
  });

  test('a namespace-wide deny in another namespace does not count', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const ns = new TradingNamespace(chart, 'trading');
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ namespace: 'trading-other' }));
    api.node.tryRemoveChild('DefaultDenyPolicy');
    Guard.of(api)._guardService(api, ns._sharedWithServices());
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('NET-DEFAULT-DENY on Deployment trading-other/gateway');
  });

  test('a shared object in another Chart fails synth: that Chart might never render with this one', () => {
    const app = Testing.app();
    const ns = new TradingNamespace(new Chart(app, 'platform'), 'trading');
    const services = new Chart(app, 'services');
    const api = new SecureTradingApi(services, 'gateway', baseProps({ namespace: 'trading' }));
    Guard.of(api)._guardService(api, ns._sharedWithServices());
    expect(errorOf(() => Testing.synth(services))).toContain('services/gateway reads platform/trading/Namespace, which is in another Chart');
  });
});

describe('NET-DEFAULT-DENY over shared objects (rules alone)', () => {
  function outcome(shared: any[]): string {
    const { api } = platform();
    const objects = Testing.synth(Chart.of(api)).filter((o) => o.metadata.namespace === 'trading' && o.metadata.name !== 'default-deny'
      && !['ResourceQuota', 'LimitRange'].includes(o.kind));
    return evaluate(objects, true, undefined, shared).find((o) => o.ruleId === 'NET-DEFAULT-DENY' && o.object.startsWith('Deployment'))!.status;
  }
  const deny = (spec: any, namespace = 'trading') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace }, spec });

  test.each([
    ['podSelector {}', deny({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), 'pass'],
    ['empty matchLabels and matchExpressions', deny({ podSelector: { matchLabels: {}, matchExpressions: [] }, policyTypes: ['Ingress', 'Egress'] }), 'pass'],
    ['nothing shared', undefined, 'fail'],
    ['another namespace', deny({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'other'), 'fail'],
    ['Ingress only', deny({ podSelector: {}, policyTypes: ['Ingress'] }), 'fail'],
    ['an egress rule', deny({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }), 'fail'],
    ['no podSelector', deny({ policyTypes: ['Ingress', 'Egress'] }), 'fail'],
    ['a selector with an expression', deny({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, policyTypes: ['Ingress', 'Egress'] }), 'fail'],
    ['a selector of other pods', deny({ podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Ingress', 'Egress'] }), 'fail'],
  ])('%s', (_title, shared, status) => {
    expect(outcome(shared ? [shared] : [])).toBe(status);
  });

  test('the library\'s own output still passes and fails as before', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps());
    const objects = Testing.synth(chart);
    expect(evaluate(objects, true).filter((o) => o.ruleId === 'NET-DEFAULT-DENY').every((o) => o.status !== 'fail')).toBe(true);
    only(objects, 'NetworkPolicy', 'gateway-default-deny').metadata.namespace = 'elsewhere';
    expect(evaluate(objects, true).some((o) => o.ruleId === 'NET-DEFAULT-DENY' && o.status === 'fail')).toBe(true);
  });
});
