/**
 * Which ingress controller serves the Ingress. The user names it; the library never guesses it from
 * the IngressClass name (an ingress-nginx installation may well use the class `nginx-internal`).
 * The choice decides which annotations the library renders, which edge protections it can enforce,
 * and which pods the NetworkPolicy admits to the API port.
 */

/** The ingress controllers the library knows. */
export enum IngressControllerKind {
  /**
   * The Kubernetes community ingress-nginx controller (`nginx.ingress.kubernetes.io/*` annotations):
   * HTTPS forced and every edge protection rendered.
   */
  INGRESS_NGINX = 'INGRESS_NGINX',
  /**
   * Traefik (`traefik.ingress.kubernetes.io/*` annotations): the router serves TLS only. Traefik
   * implements rate limits, allow-lists, body sizes and timeouts as Middleware objects, which the
   * library does not emit: edge protections are refused with this controller.
   */
  TRAEFIK = 'TRAEFIK',
  /**
   * Any other controller: the library renders no controller annotations, and edge protections are
   * refused (it cannot enforce them).
   */
  OTHER = 'OTHER',
}

/** Options of {@link IngressController.ingressNginx} and {@link IngressController.traefik}. */
export interface IngressControllerOptions {
  /**
   * The IngressClass the controller serves (`spec.ingressClassName` of the Ingress).
   *
   * @default "nginx" for ingress-nginx, "traefik" for Traefik
   */
  readonly className?: string;
  /**
   * The namespace the controller's pods run in: only they may reach the API port.
   *
   * @default "ingress-nginx" for ingress-nginx, "traefik" for Traefik
   */
  readonly namespace?: string;
  /**
   * Labels that select the controller's pods inside `namespace`. Must not be empty (an empty
   * selector admits every pod of the namespace).
   *
   * @default { "app.kubernetes.io/name": "ingress-nginx" } for ingress-nginx, { "app.kubernetes.io/name": "traefik" } for Traefik
   */
  readonly podLabels?: { [key: string]: string };
}

/** Options of {@link IngressController.other}: everything must be given, there is nothing to default from. */
export interface OtherIngressControllerOptions {
  /** The IngressClass the controller serves (`spec.ingressClassName` of the Ingress). */
  readonly className: string;
  /** The namespace the controller's pods run in: only they may reach the API port. */
  readonly namespace: string;
  /** Labels that select the controller's pods inside `namespace`; must not be empty. */
  readonly podLabels: { [key: string]: string };
}

/**
 * The ingress controller that serves the service's Ingress: its kind, its IngressClass, and where its
 * pods run (the NetworkPolicy admits only those pods to the API port).
 */
export class IngressController {
  /**
   * The Kubernetes community ingress-nginx controller, whatever its IngressClass is called. HTTPS
   * is forced and the edge protections (`edgeProtection`, a rate limit of 20 requests per second per
   * client by default) are rendered as its annotations.
   *
   * @param options the IngressClass, namespace and pod labels, when not the defaults
   */
  public static ingressNginx(options: IngressControllerOptions = {}): IngressController {
    return new IngressController(IngressControllerKind.INGRESS_NGINX,
      options.className ?? 'nginx',
      options.namespace ?? 'ingress-nginx',
      options.podLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx' });
  }

  /**
   * Traefik. The router serves TLS only; edge protections are refused, because Traefik implements them
   * as Middleware objects the library does not emit.
   *
   * @param options the IngressClass, namespace and pod labels, when not the defaults
   */
  public static traefik(options: IngressControllerOptions = {}): IngressController {
    return new IngressController(IngressControllerKind.TRAEFIK,
      options.className ?? 'traefik',
      options.namespace ?? 'traefik',
      options.podLabels ?? { 'app.kubernetes.io/name': 'traefik' });
  }

  /**
   * Another controller. The library renders no controller annotations for it and refuses edge
   * protections; configure HTTPS forcing and rate limits in the controller itself.
   *
   * @param options the IngressClass, namespace and pod labels of the controller
   */
  public static other(options: OtherIngressControllerOptions): IngressController {
    const given = (options ?? {}) as Partial<OtherIngressControllerOptions>;
    return new IngressController(IngressControllerKind.OTHER, given.className!, given.namespace!, given.podLabels!);
  }

  /**
   * @param kind which controller it is
   * @param className the IngressClass it serves
   * @param namespace the namespace its pods run in
   * @param podLabels the labels that select its pods
   */
  private constructor(
    /** Which controller it is: decides the annotations rendered and the protections enforceable. */
    public readonly kind: IngressControllerKind,
    /** The IngressClass the controller serves. */
    public readonly className: string,
    /** The namespace the controller's pods run in. */
    public readonly namespace: string,
    /** The labels that select the controller's pods in `namespace`. */
    public readonly podLabels: { [key: string]: string },
  ) {}
}
