/**
 * The monitoring prop: the metric names the alerts read and their bounds. Needs `metrics`; a service
 * with exposure NONE has no Service, and is scraped through a PodMonitor instead.
 */
import { AppMetricNames, MonitoringOptions } from '../monitoring-props';
import { SecureTradingApiProps } from '../props';
import { labelKeyProblem, labelValueProblem, Problems } from '../validate';
import { ownProps, stringMap, stringProblem } from './common';

const KEYS = ['metricNames', 'maxErrorRatio', 'maxLatencySeconds', 'maxOrderRateFactor', 'labels'];
const NAME_KEYS = ['httpRequestsTotal', 'httpRequestDurationBucket', 'exchangeResponsesTotal', 'ordersPlacedTotal'];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The metric names, every default applied. */
export type ResolvedMetricNames = Required<AppMetricNames>;

/** What the monitoring part needs. */
export interface ResolvedMonitoring {
  readonly monitoring?: {
    readonly metricNames: ResolvedMetricNames;
    readonly maxErrorRatio: number;
    readonly maxLatencySeconds: number;
    readonly maxOrderRateFactor: number;
    readonly labels: { [key: string]: string };
  };
}

/** The defaults of {@link AppMetricNames}. */
export const DEFAULT_METRIC_NAMES: ResolvedMetricNames = {
  httpRequestsTotal: 'http_requests_total',
  httpRequestDurationBucket: 'http_request_duration_seconds_bucket',
  exchangeResponsesTotal: 'exchange_responses_total',
  ordersPlacedTotal: 'orders_placed_total',
};

/** A problem when `value` is not a Prometheus metric name. */
export function metricNameProblem(value: unknown): string | undefined {
  return stringProblem(value) ?? (METRIC_NAME.test(value as string) ? undefined : 'is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
}

function numberIn(problems: Problems, prop: string, value: unknown, fallback: number, ok: (n: number) => boolean, fix: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    problems.add(prop, value, 'is out of range', fix);
    return fallback;
  }
  return value;
}

/** Resolves `monitoring`. */
export function resolveMonitoring(props: SecureTradingApiProps, problems: Problems): ResolvedMonitoring {
  if (props.monitoring === undefined) {
    return {};
  }
  const given = ownProps<MonitoringOptions>(problems, 'monitoring', props.monitoring, KEYS, '{ labels: { release: "prometheus" } }');
  if (!given) {
    return {};
  }
  if (props.metrics === undefined) {
    problems.add('monitoring', '(set)', 'needs metrics: there is no port to scrape', 'set metrics: { port: 9090 } as well');
  }
  const names: { [key: string]: string } = { ...DEFAULT_METRIC_NAMES };
  if (given.metricNames !== undefined) {
    const metricNames = ownProps<AppMetricNames>(problems, 'monitoring.metricNames', given.metricNames, NAME_KEYS, '{ ordersPlacedTotal: "bot_orders_total" }');
    for (const [key, value] of Object.entries(metricNames ?? {})) {
      const problem = metricNameProblem(value);
      if (problem) {
        problems.add(`monitoring.metricNames.${key}`, value, problem, 'use the exact name the app exposes, such as "orders_placed_total"');
      } else {
        names[key] = value as string;
      }
    }
  }
  const labels = given.labels === undefined ? {} : stringMap(problems, 'monitoring.labels', given.labels, '{ release: "prometheus" }') ?? {};
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) {
      problems.add('monitoring.labels', { [key]: value }, problem, 'use valid Kubernetes label keys and values');
    }
  }
  return {
    monitoring: {
      metricNames: names as unknown as ResolvedMetricNames,
      maxErrorRatio: numberIn(problems, 'monitoring.maxErrorRatio', given.maxErrorRatio, 0.05, (n) => n > 0 && n < 1, 'use a share between 0 and 1, such as 0.05'),
      maxLatencySeconds: numberIn(problems, 'monitoring.maxLatencySeconds', given.maxLatencySeconds, 1, (n) => n > 0 && n <= 600, 'use seconds above 0 and at most 600, such as 0.5'),
      maxOrderRateFactor: numberIn(problems, 'monitoring.maxOrderRateFactor', given.maxOrderRateFactor, 3, (n) => n >= 1.5 && n <= 1000, 'use a factor from 1.5 to 1000, such as 3'),
      labels,
    },
  };
}
