/**
 * The props of {@link TradingNamespace}: its name, its quota, the containers' defaults and limits,
 * and extra metadata. Every field is optional; the defaults suit a small trading platform (a handful
 * of services at the default size of a SecureTradingApi, with room for rolling updates).
 */

/**
 * The namespace's ResourceQuota: the most the pods of the namespace may request and use together.
 * Each value is a Kubernetes quantity (`"4"`, `"500m"`, `"8Gi"`); memory and storage in whole bytes.
 *
 * The quota also sets `services.loadbalancers` and `services.nodeports` to `"0"`, always, with no
 * opt-out: a LoadBalancer or NodePort Service exposes the pods on the nodes or a cloud load balancer,
 * bypassing the TLS Ingress, its rate limits and the NetworkPolicy's ingress source.
 */
export interface NamespaceResourceQuota {
  /**
   * CPU that all pods of the namespace may request together.
   *
   * @default "4"
   */
  readonly requestsCpu?: string;
  /**
   * CPU that all pods of the namespace may use together, at most.
   *
   * @default "16"
   */
  readonly limitsCpu?: string;
  /**
   * Memory that all pods of the namespace may request together.
   *
   * @default "8Gi"
   */
  readonly requestsMemory?: string;
  /**
   * Memory that all pods of the namespace may use together, at most.
   *
   * @default "16Gi"
   */
  readonly limitsMemory?: string;
  /**
   * Node-local scratch space that all pods of the namespace may request together.
   *
   * @default "4Gi"
   */
  readonly requestsEphemeralStorage?: string;
  /**
   * Node-local scratch space that all pods of the namespace may use together, at most.
   *
   * @default "16Gi"
   */
  readonly limitsEphemeralStorage?: string;
  /**
   * How many pods may exist in the namespace at once (rolling updates count the extra pod).
   * A whole number from 1 to 10000.
   *
   * @default 30
   */
  readonly pods?: number;
}

/**
 * The namespace's LimitRange for containers: the requests and limits a container gets when it
 * states none, and the most a container may use. Each value is a Kubernetes quantity; for each
 * resource the default request is at most the default limit, which is at most the maximum.
 */
export interface NamespaceLimitRange {
  /**
   * CPU request of a container that states none.
   *
   * @default "100m"
   */
  readonly defaultCpuRequest?: string;
  /**
   * CPU limit of a container that states none.
   *
   * @default "500m"
   */
  readonly defaultCpuLimit?: string;
  /**
   * The most CPU a container may be limited to.
   *
   * @default "2"
   */
  readonly maxCpu?: string;
  /**
   * Memory request of a container that states none.
   *
   * @default "128Mi"
   */
  readonly defaultMemoryRequest?: string;
  /**
   * Memory limit of a container that states none.
   *
   * @default "256Mi"
   */
  readonly defaultMemoryLimit?: string;
  /**
   * The most memory a container may be limited to.
   *
   * @default "2Gi"
   */
  readonly maxMemory?: string;
  /**
   * Ephemeral-storage request of a container that states none.
   *
   * @default "64Mi"
   */
  readonly defaultEphemeralStorageRequest?: string;
  /**
   * Ephemeral-storage limit of a container that states none.
   *
   * @default "256Mi"
   */
  readonly defaultEphemeralStorageLimit?: string;
  /**
   * The most ephemeral storage a container may be limited to.
   *
   * @default "2Gi"
   */
  readonly maxEphemeralStorage?: string;
}

/** Props of {@link TradingNamespace}. */
export interface TradingNamespaceProps {
  /**
   * The namespace's name: an RFC 1123 label of at most 63 characters, never `default` or `kube-*`.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The ResourceQuota of the namespace. LoadBalancer and NodePort Services are always set to zero.
   *
   * @default - requests cpu 4, memory 8Gi, ephemeral-storage 4Gi; limits cpu 16, memory 16Gi,
   *   ephemeral-storage 16Gi; 30 pods; no LoadBalancer and no NodePort Service
   */
  readonly resourceQuota?: NamespaceResourceQuota;

  /**
   * The LimitRange of the namespace's containers.
   *
   * @default - default requests cpu 100m, memory 128Mi, ephemeral-storage 64Mi; default limits cpu
   *   500m, memory 256Mi, ephemeral-storage 256Mi (a SecureTradingApi's defaults); at most cpu 2,
   *   memory 2Gi, ephemeral-storage 2Gi per container
   */
  readonly limitRange?: NamespaceLimitRange;

  /**
   * Extra labels on the Namespace object. Keys under `pod-security.kubernetes.io/` are refused (the
   * library sets them), and so is `kubernetes.io/metadata.name` (the API server sets it).
   *
   * @default - none besides the library's own
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations on the Namespace object. Keys under `pod-security.kubernetes.io/` are refused.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
