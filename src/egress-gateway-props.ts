/**
 * The struct of a Cilium egress gateway: the service's traffic to the outside leaves the cluster
 * from one node with a fixed source address, which exchanges can put on an API key's allow-list.
 */

/** Where the service's outgoing traffic leaves the cluster, and with which source address. */
export interface EgressGatewayOptions {
  /**
   * Labels of the gateway node(s), such as `{ "example.com/egress-gateway": "trading" }`. Must not be
   * empty. When several nodes match, Cilium uses the first by name.
   */
  readonly nodeLabels: { [key: string]: string };
  /**
   * The source address the traffic is translated to: an address assigned to the gateway node (the
   * one on the exchange's allow-list, or the private address a cloud NAT maps to it). Loopback,
   * link-local and unspecified addresses are refused. Give this or `interface`, not both.
   *
   * @default - the first IPv4 address of `interface`, or of the interface with the default route
   */
  readonly egressIp?: string;
  /**
   * The gateway node's interface whose first IPv4 address is the source address, such as `eth1`.
   * Give this or `egressIp`, not both.
   *
   * @default - the interface with the default route
   */
  readonly interface?: string;
  /**
   * The destinations whose traffic goes through the gateway. The policy only steers traffic: what
   * the pods may reach is still decided by the NetworkPolicies (and `fqdnEgress`); in-cluster
   * destinations never go through the gateway.
   *
   * @default ["0.0.0.0/0"]: every connection to the outside, so the allow-list holds even when the
   *   exchange's addresses change
   */
  readonly destinationCidrs?: string[];
}
