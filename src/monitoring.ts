/**
 * Monitoring: a ServiceMonitor that scrapes the service's `metrics` port through its Service (or, for
 * a worker with exposure NONE and no Service, a PodMonitor that scrapes the pods directly), and a
 * PrometheusRule of alerts for an API holding exchange keys (errors, latency, pods, restarts, the
 * exchanges refusing the keys or banning the address, and orders far above the service's own recent
 * baseline). Needs the Prometheus Operator; objects from the typed classes of its pinned CRDs.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';
import { METRICS_PORT_NAME } from './config/peers';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction,
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr,
  ServiceMonitor,
} from './imports/monitoring.coreos.com';
import { ServiceExposure } from './service-exposure';

/** The objects of the monitoring part. */
export interface MonitoringObjects {
  readonly serviceMonitor?: ApiObject;
  readonly podMonitor?: ApiObject;
  readonly prometheusRule?: ApiObject;
}

/** One alerting rule, as plain data. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
}

/**
 * The alerts a worker without a Service (exposure NONE) does not get: nobody calls it, so the latency
 * of the requests it answers (its probes and scrapes) says nothing about trading. Its 5xx ratio still
 * does: the app counts its own failed answers, health checks included.
 */
export const ALERTS_NEEDING_CALLERS: readonly string[] = ['TradingApiHighLatency'];

/**
 * The alerts of a service with `monitoring`: each names the service in its labels and says what to do.
 * The app metrics are read under `service="<name>"`: the ServiceMonitor's targets carry the Service's
 * name, and the PodMonitor writes the same label, so one set of expressions serves both.
 */
export function alertRules(config: ResolvedConfig): AlertRule[] {
  const all = allAlertRules(config);
  return config.exposure === ServiceExposure.NONE ? all.filter((r) => !ALERTS_NEEDING_CALLERS.includes(r.alert)) : all;
}

function allAlertRules(config: ResolvedConfig): AlertRule[] {
  const m = config.monitoring!;
  const names = m.metricNames;
  const sel = `namespace="${config.namespace}",service="${config.name}"`;
  // The pods of the Deployment (<name>-<hash>-<5>) or of a singleton's StatefulSet (<name>-<ordinal>).
  const pods = `namespace="${config.namespace}",pod=~"${config.name}-([a-z0-9]+-[a-z0-9]{5}|[0-9]+)"`;
  const labels = (severity: string) => ({ severity, namespace: config.namespace, service: config.name });
  const who = `${config.namespace}/${config.name}`;
  return [
    {
      alert: 'TradingApiHighErrorRatio',
      expr: `sum(rate(${names.httpRequestsTotal}{${sel},code=~"5.."}[5m])) / sum(rate(${names.httpRequestsTotal}{${sel}}[5m])) > ${m.maxErrorRatio}`,
      for: '5m',
      labels: labels('warning'),
      annotations: { summary: `${who}: more than ${m.maxErrorRatio * 100}% of requests fail with 5xx`, runbook: 'Check the pods\' logs and the exchanges\' answers.' },
    },
    {
      alert: 'TradingApiHighLatency',
      expr: `histogram_quantile(0.99, sum by (le) (rate(${names.httpRequestDurationBucket}{${sel}}[5m]))) > ${m.maxLatencySeconds}`,
      for: '10m',
      labels: labels('warning'),
      annotations: { summary: `${who}: the 99th percentile of request duration is above ${m.maxLatencySeconds}s`, runbook: 'Check CPU throttling and the exchanges\' latency.' },
    },
    {
      alert: 'TradingApiPodNotReady',
      expr: `sum by (namespace, pod) (kube_pod_status_ready{${pods},condition="true"}) == 0`,
      for: '10m',
      labels: labels('warning'),
      annotations: { summary: `${who}: a pod has not been ready for 10 minutes`, runbook: 'A pod is ready once its keys are loaded and the exchange answers: check both.' },
    },
    {
      alert: 'TradingApiPodRestarting',
      expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${pods}}[15m])) > 2`,
      for: '0m',
      labels: labels('warning'),
      annotations: { summary: `${who}: a pod restarted more than twice in 15 minutes`, runbook: 'Check the last state of its containers (OOMKilled, probes).' },
    },
    {
      alert: 'TradingApiExchangeKeyRejected',
      expr: `sum by (exchange, code) (increase(${names.exchangeResponsesTotal}{${sel},code=~"401|403"}[5m])) > 0`,
      for: '0m',
      labels: labels('critical'),
      annotations: { summary: `${who}: an exchange answers 401/403: the key was revoked, expired or is used from an address it does not allow`, runbook: 'Check the key and its IP allow-list at the exchange; rotate it if it may have leaked.' },
    },
    {
      alert: 'TradingApiExchangeRateLimited',
      expr: `sum by (exchange, code) (increase(${names.exchangeResponsesTotal}{${sel},code=~"418|429"}[5m])) > 0`,
      for: '0m',
      labels: labels('critical'),
      annotations: { summary: `${who}: an exchange answers 429/418: rate limited, or the address is banned`, runbook: 'Stop or slow the sender at once: a 418 ban grows with every further request.' },
    },
    {
      alert: 'TradingApiOrderRateAnomaly',
      expr: `sum(rate(${names.ordersPlacedTotal}{${sel}}[5m])) > ${m.maxOrderRateFactor} * avg_over_time(sum(rate(${names.ordersPlacedTotal}{${sel}}[5m]))[1d:5m])`
        + ` and sum(rate(${names.ordersPlacedTotal}{${sel}}[5m])) > 1 / 60`,
      for: '5m',
      labels: labels('critical'),
      annotations: { summary: `${who}: orders are placed more than ${m.maxOrderRateFactor} times faster than the service's average of the last day`, runbook: 'A runaway strategy or stolen keys: check the orders at the exchange, and stop the service if they are not yours.' },
    },
  ];
}

/**
 * Emits the ServiceMonitor (through the Service `inputs.serviceName`) or, without a Service, the
 * PodMonitor, and the PrometheusRule; nothing unless `monitoring` is set.
 */
export function createMonitoring(scope: Construct, config: ResolvedConfig, inputs: { serviceName?: string }): MonitoringObjects {
  if (!config.monitoring || !config.metrics) {
    return {};
  }
  const labels = { ...config.labels, ...config.monitoring.labels };
  const serviceMonitor = inputs.serviceName === undefined ? undefined : new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata: { name: config.name, namespace: config.namespace, labels },
    spec: {
      selector: { matchLabels: { ...config.selector } },
      namespaceSelector: { matchNames: [config.namespace] },
      endpoints: [{ port: METRICS_PORT_NAME, path: config.metrics.path, interval: '30s' }],
    },
  });
  const podMonitor = inputs.serviceName !== undefined ? undefined : new PodMonitor(scope, 'PodMonitor', {
    metadata: { name: config.name, namespace: config.namespace, labels },
    spec: {
      selector: { matchLabels: { ...config.selector } },
      namespaceSelector: { matchNames: [config.namespace] },
      podMetricsEndpoints: [{
        port: METRICS_PORT_NAME,
        path: config.metrics.path,
        interval: '30s',
        // The label a ServiceMonitor's targets get from the Service, which the alerts select on.
        relabelings: [{ action: PodMonitorSpecPodMetricsEndpointsRelabelingsAction.REPLACE, targetLabel: 'service', replacement: config.name }],
      }],
    },
  });
  const prometheusRule = new PrometheusRule(scope, 'PrometheusRule', {
    metadata: { name: config.name, namespace: config.namespace, labels },
    spec: {
      groups: [{
        name: `${config.namespace}.${config.name}`,
        rules: alertRules(config).map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
      }],
    },
  });
  return { serviceMonitor, podMonitor, prometheusRule };
}
