/**
 * Network: a default-deny policy for the service's pods, and one allow policy that opens exactly
 * what the service needs. Ingress to the API port from the edge's proxy pods (the ingress controller or
 * the Gateway implementation, for a PUBLIC service) and
 * from the services allowed to call it, to the metrics port from the scraper; egress to cluster DNS,
 * to the listed exchange endpoints, to the in-cluster dependencies and to the services it calls.
 * Both policies select only this service's pods, so several services in one namespace never overlap.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';

/** The pods of `podLabels` in the namespace `namespace`, as a NetworkPolicy peer. */
export function podsPeer(namespace: string, podLabels: { [key: string]: string }): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: { matchLabels: { ...podLabels } },
  };
}

/**
 * The allow policy's rule lists, kept by reference: connections made after construction
 * (`allowFrom`, `allowTo`) add their rules here, and cdk8s renders the lists at synth.
 */
export class AllowRules {
  private readonly keys = new Set<string>();

  /**
   * @param ingress the allow policy's ingress rules
   * @param egress the allow policy's egress rules
   */
  constructor(
    public readonly ingress: k8s.NetworkPolicyIngressRule[],
    public readonly egress: k8s.NetworkPolicyEgressRule[],
  ) {}

  /** Admits `peers` to the TCP `port` of the pods; the same rule twice is added once. */
  public allowIngress(peers: k8s.NetworkPolicyPeer[], port: number): void {
    if (this.once('ingress', peers, port)) {
      this.ingress.push({ from: peers, ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }] });
    }
  }

  /** Lets the pods connect to `peers` on the TCP `ports`; the same rule twice is added once. */
  public allowEgress(peers: k8s.NetworkPolicyPeer[], ports: number[]): void {
    if (this.once('egress', peers, ports)) {
      this.egress.push({ to: peers, ports: ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) });
    }
  }

  private once(direction: string, peers: k8s.NetworkPolicyPeer[], ports: number | number[]): boolean {
    const key = JSON.stringify([direction, peers, ports]);
    if (this.keys.has(key)) {
      return false;
    }
    this.keys.add(key);
    return true;
  }
}

/** The objects of the network part. */
export interface NetworkObjects {
  /**
   * Denies all ingress and egress of the pods that the allow policy does not open; undefined when a
   * namespace-wide default-deny already covers the pods.
   */
  readonly defaultDenyPolicy?: k8s.KubeNetworkPolicy;
  readonly allowPolicy: k8s.KubeNetworkPolicy;
  readonly rules: AllowRules;
}

/** What the network part needs from the pattern. */
export interface NetworkInputs {
  /** A namespace-wide default-deny covers the pods: no policy of the service's own. */
  readonly namespaceDefaultDeny: boolean;
}

/** Emits the default-deny and the allow NetworkPolicy. */
export function createNetwork(scope: Construct, config: ResolvedConfig, inputs: NetworkInputs): NetworkObjects {
  const metadata = (name: string): ApiObjectMetadata => ({ name, namespace: config.namespace, labels: { ...config.labels } });
  const podSelector = { matchLabels: { ...config.selector } };

  const defaultDenyPolicy = inputs.namespaceDefaultDeny ? undefined : new k8s.KubeNetworkPolicy(scope, 'DefaultDenyPolicy', {
    metadata: metadata(`${config.name}-default-deny`),
    spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
  });

  // Cluster DNS (kube-dns or CoreDNS by labels), and a NodeLocal DNSCache address: port 53 only.
  const dnsPorts = (): k8s.NetworkPolicyPort[] => [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ];
  const rules = new AllowRules([], [
    { to: [podsPeer(config.dns.namespace, config.dns.podLabels)], ports: dnsPorts() },
    ...(config.dns.nodeLocalAddress ? [{ to: [{ ipBlock: { cidr: `${config.dns.nodeLocalAddress}/32` } }], ports: dnsPorts() }] : []),
  ]);
  if (config.edgeSource) {
    rules.allowIngress([podsPeer(config.edgeSource.namespace, config.edgeSource.podLabels)], config.port);
  }
  if (config.metrics) {
    rules.allowIngress([podsPeer(config.metrics.scraperNamespace, config.metrics.scraperPodLabels)], config.metrics.port);
  }
  // The resolver decided every block, its excepts and its ports; this only writes them down.
  for (const endpoint of config.egress) {
    rules.allowEgress([{ ipBlock: endpoint.except.length > 0 ? { cidr: endpoint.cidr, except: [...endpoint.except] } : { cidr: endpoint.cidr } }],
      endpoint.ports);
  }
  for (const dependency of config.clusterDependencies) {
    rules.allowEgress([podsPeer(dependency.namespace, dependency.podLabels)], dependency.ports);
  }

  const allowPolicy = new k8s.KubeNetworkPolicy(scope, 'AllowPolicy', {
    metadata: metadata(`${config.name}-allow`),
    spec: { podSelector, policyTypes: ['Ingress', 'Egress'], ingress: rules.ingress, egress: rules.egress },
  });

  return { defaultDenyPolicy, allowPolicy, rules };
}
