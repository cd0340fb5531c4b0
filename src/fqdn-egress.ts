/**
 * FQDN egress: a CiliumNetworkPolicy beside the standard NetworkPolicies that lets the service's pods
 * call hosts by name (`toFQDNs`), and sends their DNS lookups through Cilium's DNS proxy, which is how
 * Cilium learns the addresses behind the names. Cilium combines every policy that selects a pod: an
 * allow in any of them allows, so the CiliumNetworkPolicy adds the named hosts to what the
 * NetworkPolicies allow and takes nothing away (the pods are default-deny in both).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';
import {
  CiliumNetworkPolicy,
  CiliumNetworkPolicySpecEgress,
  CiliumNetworkPolicySpecEgressToPortsPortsProtocol as Protocol,
} from './imports/cilium.io';

/** Cilium's label for a pod's namespace, as an endpoint selector reads it. */
export const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';

/** Cluster DNS as a Cilium endpoint selector: the same pods the NetworkPolicy's DNS rule names. */
const DNS_ENDPOINTS = { matchLabels: { [CILIUM_NAMESPACE_LABEL]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } };

/**
 * Emits the CiliumNetworkPolicy `<name>-fqdn-egress` when the service lists `fqdnEgress`; returns
 * undefined otherwise.
 */
export function createFqdnEgress(scope: Construct, config: ResolvedConfig): ApiObject | undefined {
  if (config.fqdnEgress.length === 0) {
    return undefined;
  }
  const dns: CiliumNetworkPolicySpecEgress = {
    toEndpoints: [DNS_ENDPOINTS],
    toPorts: [{
      ports: [{ port: '53', protocol: Protocol.UDP }, { port: '53', protocol: Protocol.TCP }],
      // Every lookup goes through the DNS proxy (it only observes): toFQDNs needs the answers.
      rules: { dns: [{ matchPattern: '*' }] },
    }],
  };
  const hosts: CiliumNetworkPolicySpecEgress[] = config.fqdnEgress.map((rule) => ({
    toFqdNs: [...rule.names.map((matchName) => ({ matchName })), ...rule.patterns.map((matchPattern) => ({ matchPattern }))],
    toPorts: [{ ports: rule.ports.map((port) => ({ port: String(port), protocol: Protocol.TCP })) }],
  }));
  return new CiliumNetworkPolicy(scope, 'FqdnEgressPolicy', {
    metadata: { name: `${config.name}-fqdn-egress`, namespace: config.namespace, labels: { ...config.labels } },
    spec: {
      description: `Egress of ${config.name} to its exchanges by DNS name; DNS lookups through the Cilium DNS proxy`,
      endpointSelector: { matchLabels: { ...config.selector } },
      egress: [dns, ...hosts],
    },
  });
}
