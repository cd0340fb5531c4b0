/**
 * Exposure: the TLS Ingress for the public host, backed by the service's ClusterIP Service.
 * HTTPS only; no snippet annotations (refused when the props are resolved).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PORT_NAME, ResolvedConfig } from './config';

/** What the Ingress needs from the workload part, passed in by the pattern. */
export interface ExposureInputs {
  readonly serviceName: string;
}

/** Emits the Ingress. */
export function createIngress(scope: Construct, config: ResolvedConfig, inputs: ExposureInputs): k8s.KubeIngress {
  return new k8s.KubeIngress(scope, 'Ingress', {
    metadata: {
      name: config.name,
      namespace: config.namespace,
      labels: { ...config.labels },
      annotations: { ...config.ingressAnnotations },
    },
    spec: {
      ingressClassName: config.ingressClassName,
      tls: [{ hosts: [config.host], secretName: config.tls.secretName }],
      rules: [{
        host: config.host,
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
