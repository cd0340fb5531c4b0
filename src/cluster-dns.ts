/**
 * Where the pods' DNS lookups go: the cluster DNS pods (kube-dns or CoreDNS, by namespace and labels),
 * optionally behind NodeLocal DNSCache on a link-local address. The NetworkPolicy's DNS egress rule,
 * and the DNS rule of the FQDN egress policy, follow this choice.
 */

/** Options of {@link ClusterDns.fromPods}. */
export interface ClusterDnsPodsOptions {
  /**
   * The namespace the DNS pods run in.
   *
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Labels that select the DNS pods in `namespace`, such as `{ "k8s-app": "coredns" }`. Must not be
   * empty: an empty selector opens port 53 of every pod of the namespace.
   */
  readonly podLabels: { [key: string]: string };
}

/** Options of {@link ClusterDns.nodeLocalDnsCache}. */
export interface NodeLocalDnsCacheOptions {
  /**
   * The link-local IPv4 address NodeLocal DNSCache listens on (its `-localip`). Must be inside
   * 169.254.0.0/16 and outside 169.254.169.0/24 and 169.254.170.0/24, where cloud metadata and
   * credential services answer.
   *
   * @default "169.254.20.10"
   */
  readonly address?: string;
  /**
   * The cluster DNS pods the cache forwards to, and that pods still reach when the cache is down or
   * bypassed (the kube-dns Service address).
   *
   * @default ClusterDns.kubeDns()
   */
  readonly upstream?: ClusterDns;
}

/** Where cluster DNS is, for the DNS egress rules of the service's policies. */
export class ClusterDns {
  /** kube-dns or CoreDNS under its usual label: `k8s-app: kube-dns` in `kube-system` (the default). */
  public static kubeDns(): ClusterDns {
    return new ClusterDns('kube-system', { 'k8s-app': 'kube-dns' });
  }

  /**
   * DNS pods under other labels or in another namespace (a CoreDNS chart labelled
   * `app.kubernetes.io/name: coredns`, for example).
   * @param options the namespace and the labels of the DNS pods
   */
  public static fromPods(options: ClusterDnsPodsOptions): ClusterDns {
    return new ClusterDns(options?.namespace ?? 'kube-system', options?.podLabels);
  }

  /**
   * NodeLocal DNSCache: the pods ask a cache on their node at a link-local address. The NetworkPolicy
   * gets an `ipBlock` of that one address on port 53 (UDP and TCP) and nothing else: the only
   * link-local egress the library ever writes, and the guard accepts exactly that (cloud metadata at
   * 169.254.169.254 stays unreachable). The upstream DNS pods stay allowed too.
   * @param options the cache's address and the upstream DNS pods
   */
  public static nodeLocalDnsCache(options: NodeLocalDnsCacheOptions = {}): ClusterDns {
    const upstream = options?.upstream ?? ClusterDns.kubeDns();
    const dns = new ClusterDns(upstream?.namespace, upstream?.podLabels, options?.address ?? '169.254.20.10');
    dns._nestedNodeLocal = upstream?.nodeLocalAddress !== undefined;
    return dns;
  }

  /** @internal the upstream of a NodeLocal DNSCache was itself one (refused by the resolver) */
  public _nestedNodeLocal = false;

  /**
   * @param namespace the DNS pods' namespace
   * @param podLabels the DNS pods' labels
   * @param nodeLocalAddress the NodeLocal DNSCache address, if any
   */
  private constructor(
    /** The namespace of the DNS pods. */
    public readonly namespace: string,
    /** The labels of the DNS pods. */
    public readonly podLabels: { [key: string]: string },
    /**
     * The NodeLocal DNSCache address.
     *
     * @default - no NodeLocal DNSCache
     */
    public readonly nodeLocalAddress?: string,
  ) {}
}
