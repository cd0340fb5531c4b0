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


/**
 * Emits the CiliumNetworkPolicy `<name>-fqdn-egress` when the service lists `fqdnEgress`; returns
 * undefined otherwise.
 */
export function createFqdnEgress(scope: Construct, config: ResolvedConfig): ApiObject | undefined {
  if (config.fqdnEgress.length === 0) {
    return undefined;
  }
  // Every lookup goes through the DNS proxy (it only observes): toFQDNs needs the answers.
  const toPorts = () => [{
    ports: [{ port: '53', protocol: Protocol.UDP }, { port: '53', protocol: Protocol.TCP }],
    rules: { dns: [{ matchPattern: '*' }] },
  }];
  // Cluster DNS as a Cilium endpoint selector: the same pods the NetworkPolicy's DNS rule names.
  const labels: { [key: string]: string } = { [CILIUM_NAMESPACE_LABEL]: config.dns.namespace };
  for (const [key, value] of Object.entries(config.dns.podLabels)) {
    labels[`k8s:${key}`] = value;
  }
  const dns: CiliumNetworkPolicySpecEgress[] = [
    { toEndpoints: [{ matchLabels: labels }], toPorts: toPorts() },
    ...(config.dns.nodeLocalAddress ? [{ toCidr: [`${config.dns.nodeLocalAddress}/32`], toPorts: toPorts() }] : []),
  ];
  const hosts: CiliumNetworkPolicySpecEgress[] = config.fqdnEgress.map((rule) => ({
    toFqdNs: [...rule.names.map((matchName) => ({ matchName })), ...rule.patterns.map((matchPattern) => ({ matchPattern }))],
    toPorts: [{ ports: rule.ports.map((port) => ({ port: String(port), protocol: Protocol.TCP })) }],
  }));
  return new CiliumNetworkPolicy(scope, 'FqdnEgressPolicy', {
    metadata: { name: `${config.name}-fqdn-egress`, namespace: config.namespace, labels: { ...config.labels } },
    spec: {
      description: `Egress of ${config.name} to its exchanges by DNS name; DNS lookups through the Cilium DNS proxy`,
      endpointSelector: { matchLabels: { ...config.selector } },
      egress: [...dns, ...hosts],
    },
  });
}
