/**
 * How a service is reached: the one choice that decides whether it has a Service, an Ingress, and
 * which sources its NetworkPolicy admits to the API port.
 */

/** How a {@link SecureTradingApi} is reached. */
export enum ServiceExposure {
  /**
   * From the internet, over TLS only: a ClusterIP Service and an Ingress for `host`, served by the
   * named ingress controller (or, with `gatewayApi`, an HTTPRoute on a Gateway's HTTPS listener),
   * whose pods are the only source the NetworkPolicy admits from outside the namespace (besides the
   * services allowed with `allowFrom`). `host` is required, and `tls` unless the route attaches to an
   * existing Gateway.
   */
  PUBLIC = 'PUBLIC',
  /**
   * Inside the cluster only: a ClusterIP Service and no Ingress. The NetworkPolicy admits only the
   * services allowed with `allowFrom` / `allowTo` (and the metrics scraper on the metrics port).
   * `host`, `tls` and every ingress prop are refused.
   */
  INTERNAL = 'INTERNAL',
  /**
   * Not reachable: no Service and no Ingress (a worker or a bot that only calls out). The
   * NetworkPolicy admits nothing to the API port; the kubelet's probes are not subject to it, and the
   * metrics scraper is admitted to the metrics port when `metrics` is set. `host`, `tls`, every
   * ingress prop and `allowFrom` are refused.
   */
  NONE = 'NONE',
}
