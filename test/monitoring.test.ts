import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureTradingApi, ServiceExposure } from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { metricNameProblem } from '../src/config/monitoring';
import { evaluate } from '../src/guard/evaluate';

const ALERTS = ['TradingApiHighErrorRatio', 'TradingApiHighLatency', 'TradingApiPodNotReady', 'TradingApiPodRestarting',
  'TradingApiExchangeKeyRejected', 'TradingApiExchangeRateLimited', 'TradingApiOrderRateAnomaly'];

describe('monitoring off (the default)', () => {
  test('no ServiceMonitor and no PrometheusRule, even with metrics', () => {
    const { api, manifest } = synth({ metrics: { port: 9100 } });
    expect(manifest.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1')).toEqual([]);
    expect(api.serviceMonitor).toBeUndefined();
    expect(api.prometheusRule).toBeUndefined();
  });
});

describe('monitoring with metrics', () => {
  const { api, manifest } = synth({ metrics: { port: 9100, path: '/stats' }, monitoring: { labels: { release: 'prometheus' } } });

  test('the ServiceMonitor selects the service\'s Service in its namespace, on port metrics', () => {
    const sm = only(manifest, 'ServiceMonitor');
    expect(api.serviceMonitor).toBeDefined();
    expect(sm.metadata).toMatchObject({ name: 'gateway', namespace: 'trading', labels: { release: 'prometheus' } });
    const service = only(manifest, 'Service');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) {
      expect(service.metadata.labels[k]).toBe(v);
    }
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['trading'] });
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/stats', interval: '30s' }]);
    expect(service.spec.ports.map((p: any) => p.name)).toContain('metrics');
  });

  test('the PrometheusRule has every alert, each scoped to the service and labelled with a severity', () => {
    const rules = only(manifest, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(ALERTS);
    for (const r of rules) {
      expect(r.expr).toMatch(/namespace="trading",(service="gateway"|pod=~"gateway-)/);
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(r.annotations.summary).toContain('trading/gateway');
    }
  });

  test('the defaults: 5% errors, 1 s p99, 3 times the order baseline, default metric names', () => {
    const rules = only(manifest, 'PrometheusRule').spec.groups[0].rules;
    const expr = (alert: string) => rules.find((r: any) => r.alert === alert).expr;
    expect(expr('TradingApiHighErrorRatio')).toMatch(/^sum\(rate\(http_requests_total\{.*code=~"5\.\."\}\[5m\]\)\).* > 0\.05$/);
    expect(expr('TradingApiHighLatency')).toMatch(/histogram_quantile\(0\.99, .*http_request_duration_seconds_bucket.*> 1$/);
    expect(expr('TradingApiExchangeKeyRejected')).toContain('exchange_responses_total{namespace="trading",service="gateway",code=~"401|403"}');
    expect(expr('TradingApiExchangeRateLimited')).toContain('code=~"418|429"');
    expect(expr('TradingApiOrderRateAnomaly')).toContain('> 3 * avg_over_time(sum(rate(orders_placed_total{namespace="trading",service="gateway"}[5m]))[1d:5m])');
  });

  test('metric names and bounds are the props\'', () => {
    const m = synth({ metrics: { port: 9100 }, monitoring: { metricNames: { ordersPlacedTotal: 'bot_orders_total' }, maxOrderRateFactor: 5, maxErrorRatio: 0.01 } }).manifest;
    const text = JSON.stringify(only(m, 'PrometheusRule'));
    expect(text).toContain('> 5 * avg_over_time(sum(rate(bot_orders_total');
    expect(text).toContain('> 0.01');
    expect(text).not.toContain('orders_placed_total');
  });
});

describe('monitoring of a worker without a Service (exposure NONE)', () => {
  const worker = { metrics: { port: 9100, path: '/stats' }, monitoring: { labels: { release: 'prometheus' } }, exposure: ServiceExposure.NONE, host: undefined, tls: undefined };
  const { api, manifest } = synth(worker);

  test('a PodMonitor selects the worker\'s pods in its namespace, on their metrics port; no ServiceMonitor', () => {
    expect(manifest.filter((o) => o.kind === 'Service')).toEqual([]);
    expect(manifest.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    expect(api.serviceMonitor).toBeUndefined();
    expect(api.podMonitor).toBeDefined();
    const pm = only(manifest, 'PodMonitor');
    expect(pm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pm.metadata).toMatchObject({ name: 'gateway', namespace: 'trading', labels: { release: 'prometheus' } });
    const deployment = only(manifest, 'Deployment');
    expect(pm.spec.selector).toEqual({ matchLabels: deployment.spec.selector.matchLabels });
    expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['trading'] });
    const ports = deployment.spec.template.spec.containers[0].ports;
    expect(ports).toContainEqual(expect.objectContaining({ name: 'metrics', containerPort: 9100 }));
    expect(pm.spec.podMetricsEndpoints).toEqual([{
      port: 'metrics',
      path: '/stats',
      interval: '30s',
      relabelings: [{ action: 'replace', targetLabel: 'service', replacement: 'gateway' }],
    }]);
  });

  test('the scraper is admitted to the metrics port by the allow policy', () => {
    const allow = manifest.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-allow'));
    expect(allow.spec.ingress.some((r: any) => r.ports.some((p: any) => p.port === 'metrics' || p.port === 9100))).toBe(true);
  });

  test('the alerts, except latency: a worker answers no callers; the app-metric alerts still read service="gateway"', () => {
    const rules = only(manifest, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(ALERTS.filter((a) => a !== 'TradingApiHighLatency'));
    expect(rules.find((r: any) => r.alert === 'TradingApiHighErrorRatio').expr).toContain('http_requests_total{namespace="trading",service="gateway",code=~"5.."}');
  });

  test('a service with a Service still gets the ServiceMonitor and no PodMonitor', () => {
    const m = synth({ metrics: { port: 9100 }, monitoring: {} });
    expect(m.api.podMonitor).toBeUndefined();
    expect(m.manifest.filter((o) => o.kind === 'PodMonitor')).toEqual([]);
  });
});

describe('invalid monitoring', () => {
  const cases: Array<[string, any, string]> = [
    ['without metrics', { monitoring: {} }, 'needs metrics'],
    ['a bad metric name', { metrics: { port: 9100 }, monitoring: { metricNames: { httpRequestsTotal: 'http-requests' } } }, 'monitoring.metricNames.httpRequestsTotal'],
    ['an unknown metric key', { metrics: { port: 9100 }, monitoring: { metricNames: { orders: 'x' } } }, 'monitoring.metricNames.orders'],
    ['an error ratio of 1', { metrics: { port: 9100 }, monitoring: { maxErrorRatio: 1 } }, 'monitoring.maxErrorRatio'],
    ['a latency of 0', { metrics: { port: 9100 }, monitoring: { maxLatencySeconds: 0 } }, 'monitoring.maxLatencySeconds'],
    ['an order factor of 1', { metrics: { port: 9100 }, monitoring: { maxOrderRateFactor: 1 } }, 'monitoring.maxOrderRateFactor'],
    ['a bad label', { metrics: { port: 9100 }, monitoring: { labels: { 'bad key!': 'x' } } }, 'monitoring.labels'],
    ['not an object', { metrics: { port: 9100 }, monitoring: 'yes' }, 'monitoring'],
  ];
  test.each(cases)('%s is refused, naming the prop, and leaves nothing', (_name, overrides, prop) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps(overrides)));
    expect(message).toContain(prop);
    expect(chart.node.children).toHaveLength(0);
  });
});

describe('metric names', () => {
  test('every Prometheus metric name is accepted, and anything else refused', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,40}$/), (name) => {
      expect(metricNameProblem(name)).toBeUndefined();
    }));
    fc.assert(fc.property(fc.string().filter((s) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(s)), (name) => {
      expect(metricNameProblem(name)).toBeDefined();
    }));
    expect(metricNameProblem(42)).toBeDefined();
  });
});

describe('MON-ALERTS-WIRED: monitoring that watches the service', () => {
  const failures = (overrides: any, change: (manifest: any[]) => void) => {
    const { manifest } = synth(overrides);
    change(manifest);
    return evaluate(manifest, true).filter((o) => o.ruleId === 'MON-ALERTS-WIRED' && o.status === 'fail').flatMap((o) => o.findings.map((f) => `${f.field}: ${f.message}`));
  };
  const SERVICE = { metrics: { port: 9100 }, monitoring: {} };
  const WORKER = { ...SERVICE, exposure: ServiceExposure.NONE, host: undefined, tls: undefined };

  test('the library\'s ServiceMonitor and PodMonitor pass', () => {
    expect(failures(SERVICE, () => undefined)).toEqual([]);
    expect(failures(WORKER, () => undefined)).toEqual([]);
  });

  test.each([
    ['a selector matching nothing', SERVICE, (m: any[]) => { only(m, 'ServiceMonitor').spec.selector = { matchLabels: { app: 'nothing' } }; }, 'spec.selector'],
    ['every namespace', SERVICE, (m: any[]) => { only(m, 'ServiceMonitor').spec.namespaceSelector = { any: true }; }, 'spec.namespaceSelector'],
    ['another port', WORKER, (m: any[]) => { only(m, 'PodMonitor').spec.podMetricsEndpoints[0].port = 'http'; }, 'spec.podMetricsEndpoints'],
    ['the PrometheusRule removed', WORKER, (m: any[]) => { m.splice(m.findIndex((o) => o.kind === 'PrometheusRule'), 1); }, 'TradingApiExchangeKeyRejected'],
    ['the order-rate alert removed', SERVICE, (m: any[]) => {
      const group = only(m, 'PrometheusRule').spec.groups[0];
      group.rules = group.rules.filter((r: any) => r.alert !== 'TradingApiOrderRateAnomaly');
    }, 'TradingApiOrderRateAnomaly'],
  ])('%s fails', (_name, overrides, change, text) => {
    expect(failures(overrides, change).join('\n')).toContain(text);
  });
});
