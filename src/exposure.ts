/**
 * Exposure: for a PUBLIC service, the TLS Ingress for the public host, backed by the service's
 * ClusterIP Service. An INTERNAL or NONE service has no Ingress.
 * HTTPS only; no snippet annotations (refused when the props are resolved).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PORT_NAME, ResolvedConfig } from './config';

/** What the Ingress needs from the workload part, passed in by the pattern. */
export interface ExposureInputs {
  /** Undefined when the service has no Service (then it has no Ingress either). */
  readonly serviceName?: string;
}

/** Emits the Ingress of a PUBLIC service; nothing otherwise. */
export function createIngress(scope: Construct, config: ResolvedConfig, inputs: ExposureInputs): k8s.KubeIngress | undefined {
  const ingress = config.ingress;
  if (!ingress || inputs.serviceName === undefined) {
    return undefined;
  }
  return new k8s.KubeIngress(scope, 'Ingress', {
    metadata: {
      name: config.name,
      namespace: config.namespace,
      labels: { ...config.labels },
      annotations: { ...ingress.ingressAnnotations },
    },
    spec: {
      ingressClassName: ingress.ingressClassName,
      tls: [{ hosts: [ingress.host], secretName: ingress.tls.secretName }],
      rules: [{
        host: ingress.host,
        http: {
          paths: [{
            path: '/',
            pathType: 'Prefix',
            backend: { service: { name: inputs.serviceName, port: { name: PORT_NAME } } },
          }],
        },
      }],
    },
  });
}
