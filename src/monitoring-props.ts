/**
 * The props of the monitoring part: which metrics the app exposes, and the bounds its alerts use.
 */

/**
 * The names of the metrics the app exposes on its `metrics` port, which the alerts read. Each is a
 * Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
 */
export interface AppMetricNames {
  /**
   * A counter of the HTTP requests the API answered, with the status code in label `code`.
   *
   * @default "http_requests_total"
   */
  readonly httpRequestsTotal?: string;
  /**
   * The buckets of a histogram of the API's request durations in seconds (label `le`).
   *
   * @default "http_request_duration_seconds_bucket"
   */
  readonly httpRequestDurationBucket?: string;
  /**
   * A counter of the exchanges' answers to the app, with labels `exchange` and `code` (HTTP status).
   *
   * @default "exchange_responses_total"
   */
  readonly exchangeResponsesTotal?: string;
  /**
   * A counter of the orders the app placed.
   *
   * @default "orders_placed_total"
   */
  readonly ordersPlacedTotal?: string;
}

/**
 * A ServiceMonitor (a PodMonitor for a worker without a Service) that scrapes the service's `metrics`
 * port, and a PrometheusRule of alerts for an API holding exchange keys. Needs the Prometheus
 * Operator (its CRDs) in the cluster.
 */
export interface MonitoringOptions {
  /**
   * The names of the app's metrics.
   *
   * @default - the defaults of each {@link AppMetricNames} field
   */
  readonly metricNames?: AppMetricNames;
  /**
   * The share of answers with a 5xx code (over 5 minutes) above which `<Name>HighErrorRatio` fires,
   * between 0 and 1 exclusive.
   *
   * @default 0.05
   */
  readonly maxErrorRatio?: number;
  /**
   * The 99th percentile of request duration, in seconds (over 5 minutes), above which
   * `<Name>HighLatency` fires.
   *
   * @default 1
   */
  readonly maxLatencySeconds?: number;
  /**
   * How many times the order rate of the last 5 minutes may exceed its own average over the last day
   * before `<Name>OrderRateAnomaly` fires (a runaway bot, or someone trading with stolen keys); at
   * least 1.5.
   *
   * @default 3
   */
  readonly maxOrderRateFactor?: number;
  /**
   * Labels of the ServiceMonitor (or PodMonitor) and the PrometheusRule, for the Prometheus resource's
   * `serviceMonitorSelector` (`podMonitorSelector`) and `ruleSelector` (such as `{ release: "prometheus" }`).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}
