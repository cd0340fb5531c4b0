/**
 * The structs of whom a service talks to: exchange address ranges, in-cluster dependencies, the
 * metrics scraper, and connections between services.
 */

/**
 * An address range the service may call, such as an exchange's published API egress range.
 *
 * Standard Kubernetes NetworkPolicy matches IP blocks only, not host names: resolve the exchange's
 * API host names to the ranges the exchange publishes, and revisit them when the exchange changes.
 */
export interface ExchangeEndpoint {
  /**
   * The destination block, such as `203.0.113.0/24` or `2001:db8::/48`, written canonically (no host
   * bits set).
   *
   * What all entries reach together is checked, not each entry alone:
   *
   * - together they may cover at most one /8 of IPv4 and one /16 of IPv6 (a NAT64 block
   *   `64:ff9b::/96+n` counts as the IPv4 block it reaches), unless `allowUnrestrictedEgress` is true;
   * - loopback, link-local (the cloud metadata service 169.254.169.254, `fd00:ec2::254`) and
   *   unspecified addresses are never reachable: a block inside them is refused, a wider block gets
   *   them as `except` entries;
   * - a block inside a private range (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) needs
   *   `allowPrivateRangeEgress`; a wider block gets those ranges as `except` entries without it;
   * - an IPv4-mapped block (`::ffff:0:0/96+n`) is refused: Kubernetes reads it as an IPv4 block, so
   *   write that IPv4 block instead.
   *
   * The same block may be listed more than once (two exchanges behind one CDN): it becomes one
   * NetworkPolicy peer with every listed port.
   */
  readonly cidr: string;
  /**
   * The destination TCP port.
   *
   * @default 443
   */
  readonly port?: number;
}

/**
 * Pods inside the cluster the service may call, chosen by namespace and labels rather than by
 * address: a database, a cache or a message broker (Postgres, Redis, Kafka). Addresses of pods change;
 * labels do not, and a private address range would also reach every other pod behind it.
 */
export interface ClusterDependency {
  /**
   * The namespace the pods run in. `kube-*` namespaces are refused (cluster DNS is already allowed;
   * nothing else there is for an application to call).
   *
   * @default - the service's own namespace
   */
  readonly namespace?: string;
  /**
   * Labels that select the pods, such as `{ "app.kubernetes.io/name": "postgresql" }`. Must not be
   * empty: an empty selector reaches every pod of the namespace.
   */
  readonly podLabels: { [key: string]: string };
  /** The TCP ports the service may connect to on those pods (the pods' own ports, not a Service's). */
  readonly ports: number[];
}

/**
 * The Prometheus metrics endpoint of the API container, on a port of its own, so the scraper is
 * admitted to the metrics and never to the trading API.
 */
export interface MetricsEndpoint {
  /**
   * The container port serving metrics (named `metrics`): above 1024, and not the API port.
   */
  readonly port: number;
  /**
   * The HTTP path of the metrics (documentation for the scraper configuration, and the
   * `prometheus.io/path` convention).
   *
   * @default "/metrics"
   */
  readonly path?: string;
  /**
   * The namespace the scraper (Prometheus) runs in: the only source admitted to the metrics port.
   *
   * @default "monitoring"
   */
  readonly scraperNamespace?: string;
  /**
   * Labels that select the scraper's pods in `scraperNamespace`; must not be empty.
   *
   * @default { "app.kubernetes.io/name": "prometheus" }
   */
  readonly scraperPodLabels?: { [key: string]: string };
}

/** Options of {@link SecureTradingApi.allowFrom} and {@link SecureTradingApi.allowTo}. */
export interface ConnectionOptions {
  /**
   * The TCP port the connection is allowed to: for `allowFrom`, a port of this service (its API port
   * by default); for `allowTo`, a port of the peer (a SecureTradingApi peer's API port by default;
   * required for any other peer).
   *
   * @default - the called SecureTradingApi's API port
   */
  readonly port?: number;
}

/** Props of {@link SecureTradingApi}. */
