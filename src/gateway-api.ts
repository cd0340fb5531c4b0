/**
 * Gateway API exposure: a PUBLIC service reached through an `HTTPRoute` (gateway.networking.k8s.io/v1)
 * instead of an Ingress, attached either to an existing Gateway's HTTPS listener or to a Gateway the
 * library emits for the service. The Gateway implementation is named, never guessed: it decides which
 * edge protections can be rendered and which proxy pods the NetworkPolicy admits to the API port.
 */

/** How the service's HTTPRoute reaches the internet. */
export enum GatewayApiMode {
  /** The route attaches to one HTTPS listener of a Gateway that already exists (owned by the platform team). */
  EXISTING_GATEWAY = 'EXISTING_GATEWAY',
  /** The library emits a Gateway for the service: one HTTPS listener for `host`, routes from its own namespace only. */
  OWN_GATEWAY = 'OWN_GATEWAY',
}

/** The Gateway API implementations the library knows. */
export enum GatewayImplementationKind {
  /**
   * Envoy Gateway (gateway.envoyproxy.io): the edge protections are rendered as its `SecurityPolicy`
   * and `BackendTrafficPolicy`, attached to the service's HTTPRoute.
   */
  ENVOY_GATEWAY = 'ENVOY_GATEWAY',
  /** Any other implementation: the library renders no policy for it, and edge protections are refused. */
  OTHER = 'OTHER',
}

/** Options of {@link GatewayImplementation.envoyGateway}. */
export interface EnvoyGatewayOptions {
  /**
   * The namespace Envoy Gateway runs the Gateway's proxy pods in: only they may reach the API port.
   * In Envoy Gateway's "Gateway namespace" deployment mode, it is the Gateway's own namespace.
   *
   * @default "envoy-gateway-system" (Envoy Gateway's controller namespace, where it runs every proxy by default)
   */
  readonly proxyNamespace?: string;
  /**
   * Labels that select the Gateway's proxy pods inside `proxyNamespace`; must not be empty.
   *
   * @default - the labels Envoy Gateway puts on the proxy pods of one Gateway: app.kubernetes.io/name=envoy, app.kubernetes.io/component=proxy, gateway.envoyproxy.io/owning-gateway-name=<gateway>, gateway.envoyproxy.io/owning-gateway-namespace=<gateway namespace>
   */
  readonly proxyPodLabels?: { [key: string]: string };
}

/** Options of {@link GatewayImplementation.other}: everything must be given, there is nothing to default from. */
export interface OtherGatewayImplementationOptions {
  /** The namespace the implementation's proxy pods run in: only they may reach the API port. */
  readonly proxyNamespace: string;
  /** Labels that select the proxy pods inside `proxyNamespace`; must not be empty. */
  readonly proxyPodLabels: { [key: string]: string };
}

/** The Gateway API implementation that serves the Gateway: its kind, and where its proxy pods run. */
export class GatewayImplementation {
  /**
   * Envoy Gateway. Edge protections are rendered as a `SecurityPolicy` (client address allow-list)
   * and a `BackendTrafficPolicy` (per-client rate limit, 20 requests per second by default; request
   * body limit; connect timeout) attached to the HTTPRoute.
   *
   * @param options where the proxy pods run, when not Envoy Gateway's defaults
   */
  public static envoyGateway(options: EnvoyGatewayOptions = {}): GatewayImplementation {
    return new GatewayImplementation(GatewayImplementationKind.ENVOY_GATEWAY, options?.proxyNamespace, options?.proxyPodLabels);
  }

  /**
   * Another implementation. The library renders no policy for it and refuses edge protections;
   * configure them in the implementation itself.
   *
   * @param options where the implementation's proxy pods run
   */
  public static other(options: OtherGatewayImplementationOptions): GatewayImplementation {
    const given = (options ?? {}) as Partial<OtherGatewayImplementationOptions>;
    return new GatewayImplementation(GatewayImplementationKind.OTHER, given.proxyNamespace, given.proxyPodLabels);
  }

  /**
   * @param kind which implementation it is
   * @param proxyNamespace the namespace its proxy pods run in
   * @param proxyPodLabels the labels that select its proxy pods
   */
  private constructor(
    /** Which implementation it is: decides the policies rendered. */
    public readonly kind: GatewayImplementationKind,
    /**
     * The namespace its proxy pods run in.
     *
     * @default - the implementation's default
     */
    public readonly proxyNamespace?: string,
    /**
     * The labels that select its proxy pods.
     *
     * @default - the implementation's default
     */
    public readonly proxyPodLabels?: { [key: string]: string },
  ) {}
}

/** Options of {@link GatewayApi.existing}. */
export interface ExistingGatewayOptions {
  /** The Gateway's name. */
  readonly gatewayName: string;
  /**
   * The Gateway's namespace. A Gateway in another namespace must admit routes from the service's
   * namespace (its listener's `allowedRoutes.namespaces.from` is `All` or a `Selector` that matches it);
   * no ReferenceGrant is involved in attaching a route to a Gateway.
   *
   * @default - the service's namespace
   */
  readonly gatewayNamespace?: string;
  /**
   * The name of the Gateway's HTTPS listener the route attaches to (`parentRefs[].sectionName`). Naming
   * it keeps the route off any plain-HTTP listener of the same Gateway.
   */
  readonly sectionName: string;
  /**
   * The implementation that serves the Gateway.
   *
   * @default GatewayImplementation.envoyGateway()
   */
  readonly implementation?: GatewayImplementation;
}

/** Options of {@link GatewayApi.own}. */
export interface OwnGatewayOptions {
  /** The GatewayClass of the Gateway (`spec.gatewayClassName`), such as the `eg` class of an Envoy Gateway installation. */
  readonly gatewayClassName: string;
  /**
   * The implementation that serves the GatewayClass.
   *
   * @default GatewayImplementation.envoyGateway()
   */
  readonly implementation?: GatewayImplementation;
}

/**
 * Exposure through the Gateway API: an HTTPRoute for `host` instead of an Ingress, attached to an
 * existing Gateway's HTTPS listener or to a Gateway of the service's own.
 */
export class GatewayApi {
  /**
   * Attach the service's HTTPRoute to one HTTPS listener of an existing Gateway. The listener (and its
   * certificate) belong to the Gateway's owner: `tls` is refused.
   *
   * @param options the Gateway, its listener and its implementation
   */
  public static existing(options: ExistingGatewayOptions): GatewayApi {
    const given = (options ?? {}) as Partial<ExistingGatewayOptions>;
    return new GatewayApi(GatewayApiMode.EXISTING_GATEWAY, given.implementation, given.gatewayName, given.gatewayNamespace,
      given.sectionName, undefined);
  }

  /**
   * Emit a Gateway for the service: one HTTPS listener (port 443) for `host`, whose certificate comes
   * from `tls` (with cert-manager, through its Gateway API support), admitting routes from the
   * service's namespace only. No plain-HTTP listener.
   *
   * @param options the GatewayClass and its implementation
   */
  public static own(options: OwnGatewayOptions): GatewayApi {
    const given = (options ?? {}) as Partial<OwnGatewayOptions>;
    return new GatewayApi(GatewayApiMode.OWN_GATEWAY, given.implementation, undefined, undefined, undefined, given.gatewayClassName);
  }

  /**
   * @param mode an existing Gateway or the service's own
   * @param implementation the implementation that serves the Gateway
   * @param gatewayName the existing Gateway's name
   * @param gatewayNamespace the existing Gateway's namespace
   * @param sectionName the existing Gateway's listener
   * @param gatewayClassName the own Gateway's class
   */
  private constructor(
    /** An existing Gateway or the service's own. */
    public readonly mode: GatewayApiMode,
    /**
     * The implementation that serves the Gateway.
     *
     * @default GatewayImplementation.envoyGateway()
     */
    public readonly implementation?: GatewayImplementation,
    /**
     * The existing Gateway's name (EXISTING_GATEWAY only).
     *
     * @default - the service's own Gateway is named like the service
     */
    public readonly gatewayName?: string,
    /**
     * The existing Gateway's namespace (EXISTING_GATEWAY only).
     *
     * @default - the service's namespace
     */
    public readonly gatewayNamespace?: string,
    /**
     * The listener the route attaches to (EXISTING_GATEWAY only).
     *
     * @default - "https", the own Gateway's only listener
     */
    public readonly sectionName?: string,
    /**
     * The own Gateway's class (OWN_GATEWAY only).
     *
     * @default - none for an existing Gateway
     */
    public readonly gatewayClassName?: string,
  ) {}
}
