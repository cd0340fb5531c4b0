/**
 * Monitoring rules: a service's ServiceMonitor or PodMonitor scrapes exactly its pods' metrics port in
 * its namespace, and its PrometheusRule still holds the alerts that page on stolen or banned keys.
 */
import { isPodBearing, Manifest, rule, Rule, selects } from '../rule';

const isMonitor = (o: Manifest) => o?.apiVersion === 'monitoring.coreos.com/v1' && (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor');
const isPrometheusRule = (o: Manifest) => o?.apiVersion === 'monitoring.coreos.com/v1' && o.kind === 'PrometheusRule';

/** The alerts that answer key theft and abuse (src/monitoring.ts): removing one silences that threat. */
export const CRITICAL_ALERTS: readonly string[] = ['TradingApiExchangeKeyRejected', 'TradingApiExchangeRateLimited', 'TradingApiOrderRateAnomaly'];

export const MONITORING_RULES: Rule[] = [
  rule({
    id: 'MON-ALERTS-WIRED',
    title: 'A service\'s ServiceMonitor or PodMonitor scrapes its own pods\' metrics port in its namespace, and its PrometheusRule holds the key-abuse alerts',
    threat: 'Monitoring that watches nothing looks like a quiet night: a monitor whose selector, namespace or port misses the pods, or a PrometheusRule without the '
      + '401/403, 418/429 and order-rate alerts, lets revoked or stolen keys and a runaway bot go unnoticed while the output claims they are watched.',
    fix: 'Keep the monitor\'s selector.matchLabels equal to the service\'s selector, namespaceSelector.matchNames [its namespace], the endpoint on port "metrics", '
      + 'and the PrometheusRule with its alerts; change thresholds through the monitoring props.',
    appliesTo: (object, context) => context.isService && isMonitor(object),
    check: (object, context, report) => {
      const workload = context.objects.find(isPodBearing);
      const selector: { [key: string]: string } = workload?.spec?.selector?.matchLabels ?? {};
      const namespace = workload?.metadata?.namespace;
      const spec: Manifest = object.spec ?? {};
      if (!workload || spec.selector?.matchExpressions !== undefined || !selects(selector, spec.selector?.matchLabels)
        || !selects(spec.selector?.matchLabels, workload.spec?.template?.metadata?.labels)) {
        report('spec.selector', `${JSON.stringify(spec.selector ?? null)} does not select exactly the service's pods (${JSON.stringify(selector)})`);
      }
      const names = spec.namespaceSelector?.matchNames;
      if (spec.namespaceSelector?.any === true || !Array.isArray(names) || names.length !== 1 || names[0] !== namespace) {
        report('spec.namespaceSelector', `${JSON.stringify(spec.namespaceSelector ?? null)} is not exactly the service's namespace ${JSON.stringify(namespace)}`);
      }
      const field = object.kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints';
      const endpoints: Manifest[] = Array.isArray(spec[field]) ? spec[field] : [];
      if (!endpoints.some((e) => e?.port === 'metrics')) {
        report(`spec.${field}`, 'has no endpoint on port "metrics": the app\'s metrics are never scraped');
      }
      const rules = context.objects.filter(isPrometheusRule)
        .flatMap((r) => (Array.isArray(r.spec?.groups) ? r.spec.groups : []))
        .flatMap((g: Manifest) => (Array.isArray(g?.rules) ? g.rules : []));
      const missing = CRITICAL_ALERTS.filter((a) => !rules.some((r: Manifest) => r?.alert === a));
      if (missing.length > 0) {
        report('PrometheusRule', `the service's output has no alert ${missing.join(', ')}: nothing pages when the keys are rejected, banned or abused`);
      }
    },
  }),
];
