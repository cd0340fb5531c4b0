/**
 * The exposure's props: how the service is reached (public, internal, none). A PUBLIC service's
 * Ingress props are resolved in `ingress.ts`; any of them on another exposure is refused, never
 * silently ignored.
 */
import { SecureTradingApiProps } from '../props';
import { ServiceExposure } from '../service-exposure';
import { Problems } from '../validate';
import { resolveIngress, ResolvedIngress } from './ingress';

export { CERT_MANAGER_TYPED, UNSAFE_REASON_ANNOTATION } from './ingress';
export type { ResolvedEdgeProtection, ResolvedIngress, ResolvedTls } from './ingress';

/** The props that configure the public Ingress, and only it. */
const INGRESS_PROPS = ['host', 'tls', 'ingressController', 'edgeProtection', 'ingressAnnotations', 'unsafeIngressAnnotations'] as const;

/** What the workload, network and exposure parts need to know about how the service is reached. */
export interface ResolvedExposure {
  readonly exposure: ServiceExposure;
  /** Whether the service has a ClusterIP Service (PUBLIC and INTERNAL). */
  readonly hasService: boolean;
  /** The Ingress, for a PUBLIC service only. */
  readonly ingress?: ResolvedIngress;
}

/** Resolves `exposure` and, for a PUBLIC service, its Ingress props. */
export function resolveExposure(props: SecureTradingApiProps, name: string, problems: Problems): ResolvedExposure {
  const exposure = props.exposure ?? ServiceExposure.PUBLIC;
  const modes = Object.values(ServiceExposure) as string[];
  if (!modes.includes(exposure as string)) {
    problems.add('exposure', exposure, 'is not a ServiceExposure', 'pass ServiceExposure.PUBLIC, ServiceExposure.INTERNAL or ServiceExposure.NONE');
    return { exposure: ServiceExposure.NONE, hasService: false };
  }
  if (exposure === ServiceExposure.PUBLIC) {
    return { exposure, hasService: true, ingress: resolveIngress(props, name, problems) };
  }
  for (const prop of INGRESS_PROPS) {
    if (props[prop] !== undefined) {
      problems.add(prop, props[prop], `configures the public Ingress, which a service with exposure ServiceExposure.${exposure} does not have`,
        `remove ${prop}, or set exposure: ServiceExposure.PUBLIC to publish the service over TLS`);
    }
  }
  return { exposure, hasService: exposure === ServiceExposure.INTERNAL };
}
