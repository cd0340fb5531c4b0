/**
 * A fixed egress IP: a CiliumEgressGatewayPolicy that sends the service's traffic to the outside
 * through a gateway node, translated to one source address the exchanges can allow-list. It only
 * steers traffic; what the pods may reach is still decided by the NetworkPolicies and `fqdnEgress`.
 * The policy is cluster-scoped, so its name carries the namespace.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';
import { CiliumEgressGatewayPolicy } from './imports/cilium.io';

/** Cilium's pod label for the namespace, which a cluster-wide pod selector needs. */
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

/** Emits `<namespace>.<name>-egress-gateway` (the dot keeps two services' names apart: neither part has one) when `egressGateway` is set; undefined otherwise. */
export function createEgressGateway(scope: Construct, config: ResolvedConfig): ApiObject | undefined {
  const gateway = config.egressGateway;
  if (!gateway) {
    return undefined;
  }
  const policy = new CiliumEgressGatewayPolicy(scope, 'EgressGatewayPolicy', {
    metadata: { name: `${config.namespace}.${config.name}-egress-gateway`, labels: { ...config.labels } },
    spec: {
      selectors: [{ podSelector: { matchLabels: { ...config.selector, [NAMESPACE_LABEL]: config.namespace } } }],
      destinationCidRs: [...gateway.destinationCidrs],
      egressGateway: {
        nodeSelector: { matchLabels: { ...gateway.nodeLabels } },
        ...(gateway.egressIp !== undefined ? { egressIp: gateway.egressIp } : {}),
        ...(gateway.interface !== undefined ? { interface: gateway.interface } : {}),
      },
    },
  });
  // cdk8s gives every object the Chart's namespace; this policy is cluster-scoped and has none.
  if (Chart.of(scope).namespace !== undefined) {
    policy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return policy;
}
