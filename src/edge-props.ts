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
  /**
   * How many proxies in front of the edge (a cloud load balancer, a CDN) each append the address they
   * saw to `X-Forwarded-For`, from 1 to 5. The edge then takes the client's address from that header,
   * that many entries from the right, so the per-client rate limit and the allow-list see the real
   * client rather than the load balancer. It must be exact: one more than the proxies really there,
   * and a client chooses its own address by sending the header itself (the allow-list and the rate
   * limit are then worthless). Envoy Gateway renders it as a ClientTrafficPolicy on the service's own
   * Gateway (`clientIPDetection.xForwardedFor.numTrustedHops`); refused on an existing Gateway and with
   * ingress-nginx, where it is the controller's setting (`use-forwarded-headers` and
   * `proxy-real-ip-cidr` in its ConfigMap), not the service's.
   *
   * @default - the address of the connection: right when the load balancer preserves it
   * (`externalTrafficPolicy: Local`, or PROXY protocol)
   */
  readonly trustedProxyHops?: number;
  /**
   * Mutual TLS: only clients presenting a certificate signed by this CA are served. ingress-nginx
   * (`auth-tls-secret`, `auth-tls-verify-client: on`) reads a Secret; Envoy Gateway reads a Secret or a
   * ConfigMap through a ClientTrafficPolicy on the Gateway, so only on the service's own Gateway
   * (refused with `GatewayApi.existing(...)`, whose Gateway belongs to its owner).
   *
   * @default - no client certificate required
   */
  readonly clientCertificateAuthority?: ClientCertificateAuthority;
  /**
   * Authentication in front of the API: a JWT validated at the edge (Envoy Gateway), an OIDC login
   * (Envoy Gateway), or an external authentication service such as oauth2-proxy (ingress-nginx
   * `auth-url`). A kind the implementation cannot enforce is refused.
   *
   * @default - no authentication at the edge (the API authenticates its callers itself)
   */
  readonly authentication?: EdgeAuthentication;
}

/** Where the CA bundle that client certificates must chain to is kept. */
export enum ClientCertificateAuthoritySource {
  /** A Secret in the service's namespace with the PEM bundle under the key `ca.crt`. */
  SECRET = 'SECRET',
  /** A ConfigMap in the service's namespace with the PEM bundle under the key `ca.crt` (Envoy Gateway only). */
  CONFIG_MAP = 'CONFIG_MAP',
}

/** The CA that client certificates must chain to, for mutual TLS at the edge. */
export class ClientCertificateAuthority {
  /**
   * A Secret in the service's namespace holding the CA bundle under `ca.crt`.
   *
   * @param secretName the Secret's name
   */
  public static fromSecret(secretName: string): ClientCertificateAuthority {
    return new ClientCertificateAuthority(ClientCertificateAuthoritySource.SECRET, secretName);
  }

  /**
   * A ConfigMap in the service's namespace holding the CA bundle under `ca.crt` (Envoy Gateway only:
   * ingress-nginx reads the CA from a Secret).
   *
   * @param configMapName the ConfigMap's name
   */
  public static fromConfigMap(configMapName: string): ClientCertificateAuthority {
    return new ClientCertificateAuthority(ClientCertificateAuthoritySource.CONFIG_MAP, configMapName);
  }

  /**
   * @param source a Secret or a ConfigMap
   * @param name the object's name
   */
  private constructor(
    /** A Secret or a ConfigMap. */
    public readonly source: ClientCertificateAuthoritySource,
    /** The name of the Secret or ConfigMap. */
    public readonly name: string,
  ) {}
}

/** How the edge authenticates callers. */
export enum EdgeAuthenticationKind {
  /** A bearer JWT validated against the issuer's JWKS (Envoy Gateway). */
  JWT = 'JWT',
  /** An OpenID Connect login with the authorization-code flow (Envoy Gateway). */
  OIDC = 'OIDC',
  /** An external authentication service asked for every request, such as oauth2-proxy (ingress-nginx). */
  EXTERNAL = 'EXTERNAL',
}

/** Options of {@link EdgeAuthentication.jwt}. */
export interface JwtAuthenticationOptions {
  /** The `iss` the tokens must carry, an https URL such as `https://auth.example.com/`. */
  readonly issuer: string;
  /** The https URL of the issuer's JSON Web Key Set. */
  readonly jwksUri: string;
  /**
   * The `aud` values accepted (a token must carry one of them).
   *
   * @default - any audience
   */
  readonly audiences?: string[];
}

/** Options of {@link EdgeAuthentication.oidc}. */
export interface OidcAuthenticationOptions {
  /** The OpenID provider's issuer, an https URL (its discovery document is read from it). */
  readonly issuer: string;
  /** The client id registered with the provider. */
  readonly clientId: string;
  /** A Secret in the service's namespace holding the client secret under the key `client-secret`. */
  readonly clientSecretName: string;
  /**
   * The https URL the provider redirects back to after login.
   *
   * @default - Envoy Gateway's default: `%REQ(x-forwarded-proto)%://%REQ(:authority)%/oauth2/callback`
   */
  readonly redirectUrl?: string;
}

/** Options of {@link EdgeAuthentication.externalService}. */
export interface ExternalAuthenticationOptions {
  /**
   * The URL the controller asks for every request (ingress-nginx `auth-url`); a 2xx answer admits the
   * request. Such as `http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth`.
   */
  readonly url: string;
  /**
   * Where an unauthenticated browser is sent to log in (ingress-nginx `auth-signin`), an https URL.
   *
   * @default - no redirect: unauthenticated requests get 401
   */
  readonly signinUrl?: string;
  /**
   * Headers of the authentication service's answer passed on to the API (ingress-nginx
   * `auth-response-headers`), such as `X-Auth-Request-User`.
   *
   * @default - none
   */
  readonly responseHeaders?: string[];
}

/** Authentication at the edge, in front of the API. */
export class EdgeAuthentication {
  /**
   * A bearer JWT, validated at the edge against the issuer's key set (Envoy Gateway SecurityPolicy `jwt`).
   *
   * @param options the issuer, its JWKS URL and the accepted audiences
   */
  public static jwt(options: JwtAuthenticationOptions): EdgeAuthentication {
    const given = (options ?? {}) as Partial<JwtAuthenticationOptions>;
    return new EdgeAuthentication(EdgeAuthenticationKind.JWT, given.issuer, given.jwksUri, given.audiences);
  }

  /**
   * An OpenID Connect login (Envoy Gateway SecurityPolicy `oidc`).
   *
   * @param options the provider, the client and its secret
   */
  public static oidc(options: OidcAuthenticationOptions): EdgeAuthentication {
    const given = (options ?? {}) as Partial<OidcAuthenticationOptions>;
    return new EdgeAuthentication(EdgeAuthenticationKind.OIDC, given.issuer, undefined, undefined, given.clientId, given.clientSecretName,
      given.redirectUrl);
  }

  /**
   * An external authentication service asked for every request, such as oauth2-proxy (ingress-nginx
   * `auth-url`, `auth-signin`, `auth-response-headers`; never a snippet).
   *
   * @param options the service's URL, the login URL and the headers passed on
   */
  public static externalService(options: ExternalAuthenticationOptions): EdgeAuthentication {
    const given = (options ?? {}) as Partial<ExternalAuthenticationOptions>;
    return new EdgeAuthentication(EdgeAuthenticationKind.EXTERNAL, undefined, undefined, undefined, undefined, undefined, undefined,
      given.url, given.signinUrl, given.responseHeaders);
  }

  /**
   * @param kind JWT, OIDC or an external service
   * @param issuer the token issuer (JWT, OIDC)
   * @param jwksUri the key set URL (JWT)
   * @param audiences the accepted audiences (JWT)
   * @param clientId the OIDC client id
   * @param clientSecretName the Secret with the OIDC client secret
   * @param redirectUrl the OIDC redirect URL
   * @param url the external service's URL
   * @param signinUrl the external service's login URL
   * @param responseHeaders the external service's headers passed on
   */
  private constructor(
    /** JWT, OIDC or an external service. */
    public readonly kind: EdgeAuthenticationKind,
    /**
     * The token issuer (JWT, OIDC).
     *
     * @default - none for an external service
     */
    public readonly issuer?: string,
    /**
     * The key set URL (JWT).
     *
     * @default - none unless JWT
     */
    public readonly jwksUri?: string,
    /**
     * The accepted audiences (JWT).
     *
     * @default - any audience
     */
    public readonly audiences?: string[],
    /**
     * The OIDC client id.
     *
     * @default - none unless OIDC
     */
    public readonly clientId?: string,
    /**
     * The Secret holding the OIDC client secret.
     *
     * @default - none unless OIDC
     */
    public readonly clientSecretName?: string,
    /**
     * The OIDC redirect URL.
     *
     * @default - the implementation's default
     */
    public readonly redirectUrl?: string,
    /**
     * The external service's URL.
     *
     * @default - none unless an external service
     */
    public readonly url?: string,
    /**
     * The external service's login URL.
     *
     * @default - no redirect
     */
    public readonly signinUrl?: string,
    /**
     * The headers of the external service's answer passed on to the API.
     *
     * @default - none
     */
    public readonly responseHeaders?: string[],
  ) {}
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
