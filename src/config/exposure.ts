/**
 * The exposure's props: how the service is reached (public, internal, none). A PUBLIC service's
 * Ingress props are resolved in `ingress.ts`; any of them on another exposure is refused, never
 * silently ignored.
 */
import { SecureTradingApiProps } from '../props';
import { ServiceExposure } from '../service-exposure';
import { Problems } from '../validate';
import { ResolvedGatewayRoute, resolveGatewayRoute } from './gateway';
import { resolveIngress, ResolvedIngress } from './ingress';

export { CERT_MANAGER_TYPED, UNSAFE_REASON_ANNOTATION } from './ingress';
export type { ResolvedEdgeProtection, ResolvedIngress, ResolvedTls } from './ingress';
export type { ResolvedGatewayRoute } from './gateway';

/** The props that configure the public Ingress, and only it. */
const INGRESS_PROPS = ['host', 'tls', 'ingressController', 'edgeProtection', 'ingressAnnotations', 'unsafeIngressAnnotations', 'gatewayApi'] as const;

/** The proxy pods that carry the internet's requests to the API port: the only source admitted from outside. */
export interface ResolvedEdgeSource {
  readonly namespace: string;
  readonly podLabels: { [key: string]: string };
}

/** What the workload, network and exposure parts need to know about how the service is reached. */
export interface ResolvedExposure {
  readonly exposure: ServiceExposure;
  /** The Ingress, for a PUBLIC service without `gatewayApi` only. */
  readonly ingress?: ResolvedIngress;
  /** The Gateway API route, for a PUBLIC service with `gatewayApi` only. */
  readonly gatewayRoute?: ResolvedGatewayRoute;
  /** The public host, for a PUBLIC service (whichever object serves it). */
  readonly publicHost?: string;
  /** The TLS Secret the library's own object (Ingress or Gateway) serves, for the conflict check. */
  readonly publicTlsSecret?: string;
  /** The edge's proxy pods (ingress controller or Gateway implementation), for a PUBLIC service. */
  readonly edgeSource?: ResolvedEdgeSource;
}

/** Resolves `exposure` and, for a PUBLIC service, its Ingress or Gateway API props. */
export function resolveExposure(props: SecureTradingApiProps, name: string, namespace: string | undefined, problems: Problems): ResolvedExposure {
  const exposure = props.exposure ?? ServiceExposure.PUBLIC;
  const modes = Object.values(ServiceExposure) as string[];
  if (!modes.includes(exposure as string)) {
    problems.add('exposure', exposure, 'is not a ServiceExposure', 'pass ServiceExposure.PUBLIC, ServiceExposure.INTERNAL or ServiceExposure.NONE');
    return { exposure: ServiceExposure.NONE };
  }
  if (exposure === ServiceExposure.PUBLIC && props.gatewayApi !== undefined) {
    const gatewayRoute = resolveGatewayRoute(props, name, namespace, problems);
    return {
      exposure,
      gatewayRoute,
      publicHost: gatewayRoute.host,
      publicTlsSecret: gatewayRoute.ownGateway?.tls.secretName,
      edgeSource: { namespace: gatewayRoute.proxyNamespace, podLabels: gatewayRoute.proxyPodLabels },
    };
  }
  if (exposure === ServiceExposure.PUBLIC) {
    const ingress = resolveIngress(props, name, namespace, problems);
    return {
      exposure,
      ingress,
      publicHost: ingress.host,
      publicTlsSecret: ingress.tls.secretName,
      edgeSource: { namespace: ingress.ingressSourceNamespace, podLabels: ingress.ingressSourcePodLabels },
    };
  }
  for (const prop of INGRESS_PROPS) {
    if (props[prop] !== undefined) {
      problems.add(prop, props[prop], `configures the public Ingress, which a service with exposure ServiceExposure.${exposure} does not have`,
        `remove ${prop}, or set exposure: ServiceExposure.PUBLIC to publish the service over TLS`);
    }
  }
  return { exposure };
}
