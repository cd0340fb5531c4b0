/**
 * The structs of a public service's edge: what the ingress controller enforces in front of the API,
 * and the reasoned opt-in for controller annotations.
 */

/**
 * Protections the ingress controller enforces in front of the API. Implementation-neutral: the library
 * renders them for the controller it serves (today ingress-nginx, as `nginx.ingress.kubernetes.io/*`
 * annotations) and refuses them for a controller it cannot render them for.
 */
export interface EdgeProtection {
  /**
   * Requests per second each client address may make (ingress-nginx `limit-rps`); excess requests
   * get HTTP 503. From 1 to 100000.
   *
   * @default 20 with ingress-nginx
   */
  readonly requestsPerSecond?: number;
  /**
   * How many times `requestsPerSecond` a client may burst before being limited (ingress-nginx
   * `limit-burst-multiplier`). From 1 to 10: a larger burst defeats the rate limit.
   *
   * @default - the controller's default (ingress-nginx: 5)
   */
  readonly burstMultiplier?: number;
  /**
   * The only client address ranges admitted (ingress-nginx `allowlist-source-range`), as canonical
   * CIDR blocks such as `198.51.100.0/24` or `2001:db8::/48`; at most 64, no `0.0.0.0/0` or `::/0`.
   * The controller must see the real client address (`externalTrafficPolicy: Local`, or PROXY
   * protocol from the load balancer), or every client looks like the load balancer.
   *
   * @default - every client address
   */
  readonly clientIpAllowList?: string[];
  /**
   * The largest request body accepted, as a Kubernetes quantity of bytes (`64Ki`, `1Mi`, `1M`);
   * from 1 byte to `1Gi` (ingress-nginx `proxy-body-size`; 0 would mean unlimited and is refused).
   *
   * @default - the controller's default (ingress-nginx: 1m)
   */
  readonly maxRequestBodySize?: string;
  /**
   * Seconds the controller waits between two reads of the API's response (ingress-nginx
   * `proxy-read-timeout`), from 1 to 3600.
   *
   * @default - the controller's default (ingress-nginx: 60)
   */
  readonly readTimeoutSeconds?: number;
  /**
   * Seconds the controller waits between two writes of the request to the API (ingress-nginx
   * `proxy-send-timeout`), from 1 to 3600.
   *
   * @default - the controller's default (ingress-nginx: 60)
   */
  readonly sendTimeoutSeconds?: number;
  /**
   * Seconds the controller waits to connect to a pod (ingress-nginx `proxy-connect-timeout`), from 1
   * to 75 (nginx's own ceiling).
   *
   * @default - the controller's default (ingress-nginx: 5)
   */
  readonly connectTimeoutSeconds?: number;
}

/**
 * Controller annotations passed through without a typed prop: the visibly named opt-in of
 * {@link SecureTradingApiProps.unsafeIngressAnnotations}.
 */
export interface UnsafeIngressAnnotations {
  /**
   * Why these annotations are needed and who accepted the risk: at least 20 characters, printable
   * ASCII without configuration characters (it is emitted as an annotation value and listed in reviews).
   */
  readonly reason: string;
  /**
   * The annotations, such as `{ "nginx.ingress.kubernetes.io/backend-protocol": "HTTP" }`. Refused even
   * here: `*-snippet(s)` and raw-configuration keys, `ssl-passthrough`, `ssl-redirect` other than
   * "true", `limit-whitelist`/`limit-allowlist`, `server-alias`, `use-regex`, keys a typed prop
   * renders, a `kubernetes.io/ingress.class` that contradicts the controller's class, and any value
   * with characters configuration could interpret.
   */
  readonly annotations: { [key: string]: string };
}
