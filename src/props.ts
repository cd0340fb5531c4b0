import { ClusterDns } from './cluster-dns';
import { EdgeProtection, UnsafeIngressAnnotations } from './edge-props';
import { EgressGatewayOptions } from './egress-gateway-props';
import { ExchangeCredentials } from './exchange-credentials';
import { FqdnEndpoint } from './fqdn-props';
import { GatewayApi } from './gateway-api';
import { ImageSignature } from './image-signature';
import { IngressController } from './ingress-controller';
import { MonitoringOptions } from './monitoring-props';
import { ClusterDependency, ExchangeEndpoint, MetricsEndpoint } from './network-props';
import { ConfigMapVolume, InitContainer, PodToleration, ResourceRequirements, SidecarContainer } from './pod-props';
import { ServiceExposure } from './service-exposure';
import { TlsCertificate } from './tls-certificate';

export interface SecureTradingApiProps {
  /**
   * The container image, pinned by digest: `repo:tag@sha256:<64 hex>` or `repo@sha256:<64 hex>`.
   * A tag alone can be moved to different code after review; a digest cannot.
   */
  readonly image: string;

  /**
   * Accept an image pinned by tag only (never `:latest` and never without a tag). The pods then pull
   * with `imagePullPolicy: Always`. This weakens supply-chain integrity; prefer a digest.
   *
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;

  /**
   * The base name of every object: the Deployment, Service, ServiceAccount and Ingress are named this,
   * and the other objects `<name>-<suffix>`. An RFC 1035 label of at most 50 characters.
   *
   * @default - the construct's id, which must then be such a label
   */
  readonly name?: string;

  /**
   * The namespace of every object. `default`, `kube-system`, `kube-public` and `kube-node-lease` are
   * refused: a service holding exchange keys needs a namespace of its own.
   *
   * @default - the namespace of the enclosing Chart
   */
  readonly namespace?: string;

  /**
   * The port the API container listens on (plain HTTP inside the pod network; TLS ends at the
   * Ingress). Must be above 1024 so the container needs no capability to bind it.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * The Prometheus metrics endpoint, on a port of its own: the container port `metrics` (and the
   * Service port `metrics` when the service has a Service), admitted by the NetworkPolicy from the
   * scraper's pods only.
   *
   * @default - no metrics port
   */
  readonly metrics?: MetricsEndpoint;

  /**
   * The HTTP path of the readiness probe: answers 200 when the service can take traffic
   * (exchange reachable, keys loaded).
   *
   * @default "/readyz"
   */
  readonly readinessPath?: string;

  /**
   * The HTTP path of the liveness probe: answers 200 while the process is not wedged. Must differ
   * from `readinessPath`: identical probes restart pods that are only temporarily not ready.
   *
   * @default "/livez"
   */
  readonly livenessPath?: string;

  /**
   * How long a new pod may take to start before the kubelet restarts it. The startup probe polls
   * `livenessPath` every 5 seconds for this long; liveness checks begin only after it passes.
   *
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;

  /**
   * Requests and limits of the API container; any field left out takes its default.
   *
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)
   */
  readonly resources?: ResourceRequirements;

  /**
   * The size limit of the writable `/tmp` emptyDir (the root filesystem is read-only).
   * Must not exceed the ephemeral-storage limit.
   *
   * @default "64Mi"
   */
  readonly tmpSizeLimit?: string;

  /**
   * Number of pods. The PodDisruptionBudget allows one unavailable pod at a time, so a single
   * replica is still evictable. With `singleton`, only 1 (or unset) is accepted.
   *
   * @default 2, or 1 with `singleton`
   */
  readonly replicas?: number;

  /**
   * The service must never run two pods at once (a bot placing orders: two instances place every
   * order twice). The pods then come from a StatefulSet of one replica instead of a Deployment: the
   * StatefulSet controller creates the replacement pod only after the old one is gone from the API
   * server, during rollouts and evictions too, and a pod on an unreachable node stays until the node
   * is confirmed down (or someone force-deletes it). A Deployment cannot promise this: its rollouts
   * surge a second pod, and even with `Recreate` its ReplicaSet replaces a pod that is still
   * terminating. The PodDisruptionBudget still allows the one eviction (a drain stops the service
   * until the new pod is ready), and the operator Role gets no `scale` (a second replica is a second
   * instance).
   *
   * @default false
   */
  readonly singleton?: boolean;

  /**
   * The user and group id the pod runs as (also its `fsGroup`, which lets it read the mounted keys).
   * At least 10000, so it never collides with a user of the node.
   *
   * @default 10001
   */
  readonly runAsUser?: number;

  /**
   * The PriorityClass of the pods. Give trading services a class above the cluster's default, so that
   * under node pressure they are not the first pods evicted or preempted. The PriorityClass must exist
   * in the cluster (the API server refuses pods that name a missing one); the library never creates
   * this cluster-wide object.
   *
   * @default - none: the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * How the service is reached: `PUBLIC` (a TLS Ingress for `host`), `INTERNAL` (a ClusterIP Service
   * only the allowed services reach) or `NONE` (no Service: a worker).
   *
   * @default ServiceExposure.PUBLIC
   */
  readonly exposure?: ServiceExposure;

  /**
   * The public host name the Ingress serves over TLS, such as `api.trading.example.com`. Required
   * with `PUBLIC` exposure and refused otherwise. Cluster-internal names (`*.cluster.local`,
   * `*.svc`, `*.local`, `*.internal`, `localhost`) are refused: an internal name is never published
   * through a public Ingress.
   *
   * @default - none; required with ServiceExposure.PUBLIC
   */
  readonly host?: string;

  /**
   * Where the TLS certificate for `host` comes from. Required with `PUBLIC` exposure and refused
   * otherwise.
   *
   * @default - none; required with ServiceExposure.PUBLIC
   */
  readonly tls?: TlsCertificate;

  /**
   * The ingress controller that serves the Ingress: its kind decides the annotations rendered and the
   * edge protections enforceable; its namespace and pod labels are the only source the NetworkPolicy
   * admits to the API port. Name the kind explicitly: an ingress-nginx controller with the class
   * `nginx-internal` is still `IngressController.ingressNginx({ className: "nginx-internal" })`.
   *
   * @default - IngressController.ingressNginx(): class "nginx", namespace "ingress-nginx", pods labelled app.kubernetes.io/name=ingress-nginx
   */
  readonly ingressController?: IngressController;

  /**
   * Protections enforced at the edge, by the ingress controller or the Gateway implementation: rate
   * limit, client address allow-list, request body size, timeouts. ingress-nginx renders every field
   * (as annotations), Envoy Gateway the rate limit, allow-list, body size and connect timeout (as a
   * SecurityPolicy and a BackendTrafficPolicy); any field an implementation cannot enforce is
   * refused, never silently dropped.
   *
   * @default - with ingress-nginx or Envoy Gateway, 20 requests per second per client and the implementation's defaults for the rest
   */
  readonly edgeProtection?: EdgeProtection;

  /**
   * Extra annotations for the Ingress that no controller reads, such as ownership metadata
   * (`example.com/owner`). Keys under a controller's or cert-manager's prefix
   * (`nginx.ingress.kubernetes.io/`, `traefik.ingress.kubernetes.io/`, `cert-manager.io/`, any
   * `*.kubernetes.io/` or `*.k8s.io/` key, `konghq.com/`, `haproxy.org/`, ...) are refused: use the
   * typed props. Values must be printable ASCII without `;`, `{`, `}`, `$`, backtick, quotes,
   * backslash or `#`.
   *
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };

  /**
   * The visible opt-in for controller annotations the library has no typed prop for, with a written
   * reason. Even here the library refuses snippet and raw-configuration keys, keys that switch off TLS
   * forcing, rate limits or host matching, keys it renders itself, and any value that configuration
   * could interpret. The reason is kept in the resolved configuration and emitted as the Ingress
   * annotation `secure-trading-api.io/unsafe-annotations-reason`.
   *
   * @default - none
   */
  readonly unsafeIngressAnnotations?: UnsafeIngressAnnotations;

  /**
   * Expose the PUBLIC service through the Gateway API instead of an Ingress: an `HTTPRoute` for `host`
   * attached to an existing Gateway's HTTPS listener (`GatewayApi.existing(...)`; `tls` is then
   * refused, the listener holds the certificate) or to a Gateway of the service's own with one HTTPS
   * listener (`GatewayApi.own(...)`; `tls` required). The implementation's proxy pods are the only
   * source the NetworkPolicy admits from outside; with Envoy Gateway, `edgeProtection` is rendered as
   * a SecurityPolicy and a BackendTrafficPolicy. `ingressController`, `ingressAnnotations` and
   * `unsafeIngressAnnotations` are refused with it; so is any exposure other than PUBLIC.
   *
   * @default - an Ingress (see ingressController)
   */
  readonly gatewayApi?: GatewayApi;

  /**
   * The exchange API keys, each as read-only files under `<credentialsPath>/<name>/`: existing Secrets
   * (`ExchangeCredentials.fromSecret`), Secrets the External Secrets Operator writes
   * (`fromExternalSecret`), files the Secrets Store CSI driver writes (`fromSecretsStoreCsi`) or an
   * injected Vault Agent renders (`fromVaultAgent`, at most one). Leave it out for a service that holds no key (market data);
   * an empty list is refused, so a forgotten list never passes for a deliberate "none".
   *
   * @default - none: the service holds no key and mounts no Secret
   */
  readonly credentials?: ExchangeCredentials[];

  /**
   * The directory under which each credential Secret is mounted, as `<dir>/<secret name>/<key>`: an
   * absolute, normalized path, not `/`, and not under `/tmp`, `/proc`, `/sys`, `/dev` or the
   * Kubernetes service-account directory `/var/run/secrets/kubernetes.io`.
   *
   * @default "/var/run/secrets/trading"
   */
  readonly credentialsPath?: string;

  /**
   * The addresses the service may call besides cluster DNS, typically its exchanges' API ranges.
   *
   * @default - none: the pods can reach cluster DNS and nothing else
   */
  readonly exchangeEndpoints?: ExchangeEndpoint[];

  /**
   * Allow `exchangeEndpoints` that together reach more than one /8 of IPv4 or one /16 of IPv6,
   * `0.0.0.0/0` and `::/0` included. A pod holding keys that can reach any address can send them
   * anywhere: leave this off unless a firewall or egress gateway outside the cluster restricts the
   * destination. Even with it, loopback, link-local and cloud metadata addresses stay unreachable,
   * and private ranges stay unreachable unless `allowPrivateRangeEgress` is also true: a wide block
   * gets them as `except` entries, so "the internet" never silently includes the cluster network.
   *
   * @default false
   */
  readonly allowUnrestrictedEgress?: boolean;

  /**
   * Allow `exchangeEndpoints` inside private ranges: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16
   * (RFC 1918), 100.64.0.0/10 (shared address space), fc00::/7 (unique local) and 64:ff9b:1::/48
   * (local-use NAT64). These usually hold the cluster's pods, Services and API server, so they are
   * refused by default, and excepted from wider blocks. Set this when an exchange is reached over a
   * private link or VPN whose range is outside the cluster; list that range as narrowly as you can.
   * Loopback, link-local and cloud metadata addresses stay unreachable either way.
   *
   * @default false
   */
  readonly allowPrivateRangeEgress?: boolean;

  /**
   * Pods inside the cluster the service may call (a database, a cache, a broker), by namespace and
   * labels. Other SecureTradingApi services are connected with `allowTo` / `allowFrom` instead, which
   * opens both sides.
   *
   * @default - none
   */
  readonly clusterDependencies?: ClusterDependency[];

  /**
   * Users bound to the operator Role (read-only on the service's objects, scaling its Deployment;
   * nothing on Secrets, exec, attach, port-forward or RBAC).
   *
   * @default - none; the Role is still emitted, ready to bind
   */
  readonly operatorUsers?: string[];

  /**
   * Groups bound to the operator Role.
   *
   * @default - none; the Role is still emitted, ready to bind
   */
  readonly operatorGroups?: string[];

  /**
   * Literal, non-secret environment variables of the API container, such as
   * `{ LOG_LEVEL: "info", EXCHANGE_REGION: "eu" }`. Names are C identifiers (`[A-Za-z_][A-Za-z0-9_]*`:
   * stricter than Kubernetes, so every shell and runtime can read them). Refused: names or values that
   * look like credentials (put the key in a credential Secret, `credentials`, mounted as a file; a
   * `*_FILE`, `*_PATH` or `*_DIR` variable holding an absolute path to it is fine), names that inject
   * code into the process (`LD_*`, `NODE_OPTIONS`, `PYTHONPATH`, `JAVA_TOOL_OPTIONS`, ...) or that the
   * kubelet sets (`KUBERNETES_*`), names differing only in case, a NUL character, and values that
   * kubectl's YAML reader would read as another type. `$(NAME)` in a value is expanded by Kubernetes.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Existing ConfigMaps whose every key becomes an environment variable of the API container
   * (`envFrom.configMapRef`, not optional: the pod waits for them). Never Secrets: those are mounted
   * as files.
   *
   * @default - none
   */
  readonly envFromConfigMaps?: string[];

  /**
   * Existing ConfigMaps mounted into the API container as read-only files.
   *
   * @default - none
   */
  readonly configMapVolumes?: ConfigMapVolume[];

  /**
   * The API container's executable and its arguments, replacing the image's entrypoint. No NUL
   * characters, nothing that looks like key material (arguments are visible in `ps` and
   * `/proc/<pid>/cmdline`), nothing kubectl's YAML reader would read as another type; the first item
   * must not be empty.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * The API container's arguments, replacing the image's default arguments (empty strings are
   * allowed). Same rules as `command`.
   *
   * @default - the image's default arguments
   */
  readonly args?: string[];

  /**
   * Secrets (of type `kubernetes.io/dockerconfigjson`) the kubelet uses to pull the images: RFC 1123
   * names, each once, none of them a credential Secret.
   *
   * @default - none: the node's or the ServiceAccount's pull credentials
   */
  readonly imagePullSecrets?: string[];

  /**
   * Node labels the pods require, such as `{ "example.com/pool": "trading" }`. Keys under
   * `node-role.kubernetes.io/` are refused: control-plane nodes hold the cluster's own secrets.
   *
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the pods tolerate (see {@link PodToleration} for what is refused).
   *
   * @default - none
   */
  readonly tolerations?: PodToleration[];

  /**
   * Extra labels of the pods (not of the other objects). Refused: keys under `app.kubernetes.io/`
   * (the library's recommended labels and selector), `secure-trading-api.io/`, and any
   * `kubernetes.io` or `k8s.io` domain (reserved for Kubernetes). A label can make someone else's
   * NetworkPolicy or Service select the pods: add only labels you know the meaning of.
   *
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Extra annotations of the pods. Refused: the library's prefix `secure-trading-api.io/`; any
   * `kubernetes.io` or `k8s.io` domain (Kubernetes components read them and some change how the pod
   * runs: AppArmor, seccomp), except `kubectl.kubernetes.io/default-container` and
   * `kubectl.kubernetes.io/default-logs-container`, which only choose kubectl's default; and the
   * domains of sidecar injectors (`vault.hashicorp.com`, `istio.io`, `linkerd.io`, `dapr.io`,
   * `admission.datadoghq.com`), whose containers the library neither hardens nor checks (declare Vault
   * with `ExchangeCredentials.fromVaultAgent`, which writes and checks the injector's annotations). Values must
   * not look like key material (pods are readable by more people than Secrets).
   *
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Long-running containers beside the API container, each hardened exactly as the API container
   * and probed on a port of its own (at most 10).
   *
   * @default - none
   */
  readonly sidecars?: SidecarContainer[];

  /**
   * Containers that run to completion, in order, before the API container starts, each hardened
   * exactly as the API container (at most 10).
   *
   * @default - none
   */
  readonly initContainers?: InitContainer[];

  /**
   * Hosts the service may call by DNS name (`ExchangeHosts.binanceUsdmFutures()`, ...), enforced by
   * Cilium: a `CiliumNetworkPolicy` `<name>-fqdn-egress` with `toFQDNs` on the listed TCP ports and
   * the DNS rule Cilium needs to see the lookups. Needs Cilium's CRDs (the API server refuses the
   * object otherwise); `exchangeEndpoints` ranges are the portable way. Exact names or one leading
   * wildcard label (`*.binance.com`); `*`, `*.com` and multi-label wildcards are refused.
   *
   * @default - none: no CiliumNetworkPolicy
   */
  readonly fqdnEgress?: FqdnEndpoint[];

  /**
   * Where cluster DNS is: the only DNS server the pods may ask (53 UDP/TCP), in the NetworkPolicy and
   * the `fqdnEgress` policy. `ClusterDns.nodeLocalDnsCache()` adds one link-local address on port 53
   * only (169.254.20.10 by default); cloud metadata stays unreachable.
   *
   * @default ClusterDns.kubeDns(): pods labelled `k8s-app: kube-dns` in `kube-system`
   */
  readonly clusterDns?: ClusterDns;

  /**
   * A fixed egress IP for exchange API-key allow-lists: a cluster-scoped Cilium
   * `CiliumEgressGatewayPolicy` `<namespace>.<name>-egress-gateway` sends the pods' outside traffic
   * through the labelled gateway node as `egressIp`. It steers, it allows nothing (the
   * NetworkPolicies still decide). On other CNIs use a NAT gateway per node pool instead.
   *
   * @default - none: traffic leaves from whichever node runs the pod
   */
  readonly egressGateway?: EgressGatewayOptions;

  /**
   * Also emit ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, Kubernetes 1.30 or later)
   * and their Deny bindings, scoped to the service's namespace, so that the API server itself refuses:
   * a pod or pod-bearing workload that mounts or references the credential Secrets without being a pod
   * of this service (its ServiceAccount and its labels); a pod or workload of this service that drops
   * the hardening (privileged, host namespaces, hostPath, root, added capabilities, writable root
   * filesystem, privilege escalation, Secrets in environment variables); and an Ingress in the
   * namespace with a `*-snippet` annotation. The guard checks what the library writes; these policies
   * keep holding against whatever someone applies later with `kubectl`.
   *
   * Off by default: the policies are cluster-scoped, so applying them takes a cluster administrator
   * (a team whose deployer may only write its namespace would see its apply refused). They are named
   * `secure-trading-api.<namespace>.<name>.<pods|workloads|ingresses>`, unique per service.
   *
   * @default false
   */
  readonly admissionPolicy?: boolean;

  /**
   * A ServiceMonitor (monitoring.coreos.com/v1) that scrapes the `metrics` port through the Service
   * (for a worker with exposure NONE, which has no Service, a PodMonitor that scrapes its pods), and a
   * PrometheusRule of alerts: 5xx ratio, p99 latency (not for a worker: nobody calls it), pods not
   * ready, restarts, an exchange answering 401/403 (key revoked, address not allowed) or 418/429 (rate
   * limited, banned), and an order rate far above the service's own average of the last day. Needs
   * `metrics` and the Prometheus Operator in the cluster.
   *
   * @default - no ServiceMonitor and no alerts
   */
  readonly monitoring?: MonitoringOptions;

  /**
   * Require the service's images to be signed: a Kyverno `ClusterPolicy` (kyverno.io/v1,
   * `<namespace>.<name>.signed-images`) whose `verifyImages` rule checks, when a pod of this service
   * (its namespace and selector labels) is created, that every image of the repositories the pod runs
   * (the API container, sidecars and init containers) carries a signature by the given keyless
   * identity or public key, recorded in Rekor; `required`, `verifyDigest`, and Enforce, so an unsigned
   * or re-tagged image is refused. A second rule refuses any image outside those repositories in the
   * service's pods. Needs Kyverno in the cluster (1.13 or later) and digest-pinned images (refused
   * with `allowUnpinnedImage`).
   *
   * @default - no signature requirement
   */
  readonly imageSignature?: ImageSignature;
}
