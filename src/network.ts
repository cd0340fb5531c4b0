/**
 * Network: a default-deny policy for the service's pods, and one allow policy that opens exactly
 * what the service needs. Ingress from the ingress controller to the API port; egress to cluster DNS
 * and to the listed exchange endpoints. Both policies select only this service's pods, so several
 * instances in one namespace never overlap or conflict.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';

/** The objects of the network part. */
export interface NetworkObjects {
  readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  readonly allowPolicy: k8s.KubeNetworkPolicy;
}

/** Where cluster DNS runs in practically every distribution (kube-dns or CoreDNS behind that label). */
const DNS_PEER: k8s.NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

/** Emits the default-deny and the allow NetworkPolicy. */
export function createNetwork(scope: Construct, config: ResolvedConfig): NetworkObjects {
  const metadata = (name: string): ApiObjectMetadata => ({ name, namespace: config.namespace, labels: { ...config.labels } });
  const podSelector = { matchLabels: { ...config.selector } };

  const defaultDenyPolicy = new k8s.KubeNetworkPolicy(scope, 'DefaultDenyPolicy', {
    metadata: metadata(`${config.name}-default-deny`),
    spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
  });

  const allowPolicy = new k8s.KubeNetworkPolicy(scope, 'AllowPolicy', {
    metadata: metadata(`${config.name}-allow`),
    spec: {
      podSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.ingressSourceNamespace } },
          podSelector: { matchLabels: { ...config.ingressSourcePodLabels } },
        }],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(config.port) }],
      }],
      egress: [
        {
          to: [DNS_PEER],
          ports: [
            { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
          ],
        },
        // The resolver decided every block, its excepts and its ports; this only writes them down.
        ...config.egress.map((endpoint) => ({
          to: [{ ipBlock: endpoint.except.length > 0 ? { cidr: endpoint.cidr, except: [...endpoint.except] } : { cidr: endpoint.cidr } }],
          ports: endpoint.ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
        })),
      ],
    },
  });

  return { defaultDenyPolicy, allowPolicy };
}
