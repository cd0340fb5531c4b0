/**
 * The pattern: resolves the props once, then builds each part in order and exposes every object it
 * created, so users can inspect or extend them. Parts never talk to each other; what one needs from
 * another (a ServiceAccount name, the credential volumes) is handed over here.
 */
import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { createAdmissionPolicies } from './admission-policy';
import { AuditPolicy } from './audit';
import { resolveConfig } from './config';
import { isSecretBacked } from './config/credentials';
import { claim, findConflicts } from './conflicts';
import { connect, registerServiceEnd } from './connections';
import { credentialMounts } from './credentials';
import { createEgressGateway } from './egress-gateway';
import { createIngress } from './exposure';
import { createExternalSecrets } from './external-secrets';
import { createFqdnEgress } from './fqdn-egress';
import { createGatewayRoute } from './gateway-route';
import { Guard } from './guard/guard';
import { createIdentity, grantCustomResourceReads } from './identity';
import { createImageSignaturePolicy } from './image-signature-policy';
import { createMonitoring } from './monitoring';
import { TradingNamespace } from './namespace';
import { createNetwork } from './network';
import { ConnectionOptions } from './network-props';
import { SecureTradingApiProps } from './props';
import { annotateRotation } from './rotation';
import { createSecretProviderClasses } from './secrets-store-csi';
import { ServiceExposure } from './service-exposure';
import { Problems } from './validate';
import { CONTAINER_NAME, createWorkload } from './workload';

/**
 * A hardened, least-privilege API service that holds exchange API keys.
 *
 * Emits, in one namespace and with the recommended `app.kubernetes.io/*` labels: a ServiceAccount
 * without a token, an operator Role (and RoleBinding), the hardened pods (a Deployment, or a
 * StatefulSet of one for a singleton), a ClusterIP Service (unless the exposure is NONE), a
 * PodDisruptionBudget, a default-deny and an allow NetworkPolicy, and for a PUBLIC service a TLS
 * Ingress; and registers the namespace with the app's kube-apiserver {@link AuditPolicy}, written to
 * `audit/audit-policy.yaml`.
 *
 * Props are validated before anything is created: invalid props throw one error that lists every
 * problem, and leave the construct tree untouched.
 *
 * Services connect with {@link SecureTradingApi.allowFrom} and {@link SecureTradingApi.allowTo}; a
 * service is also a cdk8s-plus `INetworkPolicyPeer` and `IPodSelector`, so cdk8s-plus policies and
 * workloads can name it.
 */
export class SecureTradingApi extends Construct implements kplus.INetworkPolicyPeer, kplus.IPodSelector {
  /** The base name of every object. */
  public readonly name: string;
  /** The namespace every object is in. */
  public readonly namespace: string;
  /** The labels that select exactly this service's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The directory under which each credential Secret is mounted as `<dir>/<secret name>/<key>`. */
  public readonly credentialsPath: string;
  /** How the service is reached. */
  public readonly exposure: ServiceExposure;
  /** The API container's port (the port NetworkPolicies name; the Service listens on 80). */
  public readonly port: number;
  /**
   * The metrics container port.
   *
   * @default - undefined without `metrics`
   */
  public readonly metricsPort?: number;

  /** The pods' ServiceAccount: no token, no API permissions. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Role for the humans who operate the service (read, and scale this Deployment). */
  public readonly operatorRole: k8s.KubeRole;
  /**
   * The RoleBinding of `operatorRole` to `operatorUsers` and `operatorGroups`.
   *
   * @default - undefined when neither is given
   */
  public readonly operatorRoleBinding?: k8s.KubeRoleBinding;
  /** The pods' controller: the Deployment, or a singleton's StatefulSet. */
  public readonly workload: ApiObject;
  /**
   * The hardened Deployment.
   *
   * @default - undefined for a singleton (see `statefulSet`)
   */
  public readonly deployment?: k8s.KubeDeployment;
  /**
   * A singleton's StatefulSet of one.
   *
   * @default - undefined unless `singleton` is true
   */
  public readonly statefulSet?: k8s.KubeStatefulSet;
  /**
   * The ClusterIP Service in front of the pods.
   *
   * @default - undefined with exposure NONE
   */
  public readonly service?: k8s.KubeService;
  /**
   * The headless Service that governs a singleton's StatefulSet.
   *
   * @default - undefined unless `singleton` is true
   */
  public readonly headlessService?: k8s.KubeService;
  /** The PodDisruptionBudget of the pods. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /**
   * Denies all ingress and egress of the pods that the allow policy does not open.
   *
   * @default - undefined inside a TradingNamespace, whose namespace-wide default-deny covers the pods
   */
  public readonly defaultDenyPolicy?: k8s.KubeNetworkPolicy;
  /**
   * Opens ingress from the edge's proxy pods (ingress controller or Gateway), the allowed services and the metrics scraper, and
   * egress to DNS, the exchange endpoints, the cluster dependencies and the called services.
   */
  public readonly allowPolicy: k8s.KubeNetworkPolicy;
  /**
   * The TLS Ingress for the public host.
   *
   * @default - undefined unless exposure is PUBLIC without `gatewayApi`
   */
  public readonly ingress?: k8s.KubeIngress;
  /**
   * The HTTPRoute (gateway.networking.k8s.io/v1) for the public host, attached to one HTTPS listener.
   *
   * @default - undefined without `gatewayApi`
   */
  public readonly httpRoute?: ApiObject;
  /**
   * The service's own Gateway (gateway.networking.k8s.io/v1): one HTTPS listener for the public host.
   *
   * @default - undefined unless `gatewayApi` is GatewayApi.own(...)
   */
  public readonly gateway?: ApiObject;
  /**
   * Envoy Gateway's SecurityPolicy (gateway.envoyproxy.io/v1alpha1) on the HTTPRoute: the client
   * address allow-list, and JWT or OIDC authentication.
   *
   * @default - undefined unless `gatewayApi` is served by Envoy Gateway and `edgeProtection` sets clientIpAllowList or authentication
   */
  public readonly gatewaySecurityPolicy?: ApiObject;
  /**
   * Envoy Gateway's BackendTrafficPolicy (gateway.envoyproxy.io/v1alpha1) on the HTTPRoute: the
   * per-client rate limit, the request body limit and the connect timeout.
   *
   * @default - undefined unless `gatewayApi` is served by Envoy Gateway
   */
  public readonly gatewayTrafficPolicy?: ApiObject;
  /**
   * Envoy Gateway's ClientTrafficPolicy (gateway.envoyproxy.io/v1alpha1) on the service's own Gateway:
   * client certificates validated against `edgeProtection.clientCertificateAuthority`, and the client
   * address read from `X-Forwarded-For` with `edgeProtection.trustedProxyHops`.
   *
   * @default - undefined unless the service has its own Envoy Gateway Gateway and a client CA or `trustedProxyHops`
   */
  public readonly gatewayClientPolicy?: ApiObject;
  /**
   * The CiliumNetworkPolicy (cilium.io/v2) that lets the pods call the `fqdnEgress` hosts by name.
   *
   * @default - undefined without `fqdnEgress`
   */
  public readonly fqdnEgressPolicy?: ApiObject;
  /**
   * The cluster-scoped CiliumEgressGatewayPolicy (cilium.io/v2) that gives the pods' outgoing
   * traffic a fixed source address.
   *
   * @default - undefined without `egressGateway`
   */
  public readonly egressGatewayPolicy?: ApiObject;
  /**
   * The `ExternalSecret` (`external-secrets.io/v1`) of each credential declared with
   * `ExchangeCredentials.fromExternalSecret`, in the order of `credentials`.
   *
   * @default - empty when no credential comes from an external store
   */
  public readonly externalSecrets: ApiObject[];
  /**
   * The `SecretProviderClass` (`secrets-store.csi.x-k8s.io/v1`) of each credential declared with
   * `ExchangeCredentials.fromSecretsStoreCsi`, in the order of `credentials`.
   *
   * @default - empty when no credential comes from the Secrets Store CSI driver
   */
  public readonly secretProviderClasses: ApiObject[];
  /** The app-wide kube-apiserver audit policy, which now covers this service's namespace. */
  public readonly auditPolicy: AuditPolicy;
  /**
   * The app-wide guard, which checks this service's final output at synth and writes the compliance
   * report. Accept a finding visibly with `Guard.acknowledge(api.workload, 'RULE-ID', 'reason')`.
   */
  public readonly guard: Guard;
  /**
   * The cluster-scoped ValidatingAdmissionPolicies (`pods`, `workloads`, `ingresses`, in that order)
   * that make the API server refuse weakened copies of the service's pods, other pods using its
   * credential Secrets, and snippet annotations on the namespace's Ingresses.
   *
   * @default - empty unless `admissionPolicy` is true
   */
  public readonly admissionPolicies: ApiObject[];
  /**
   * The Deny bindings of `admissionPolicies`, one each, in the same order, scoped to the service's namespace.
   *
   * @default - empty unless `admissionPolicy` is true
   */
  public readonly admissionPolicyBindings: ApiObject[];
  /**
   * The ServiceMonitor that scrapes the `metrics` port through the Service.
   *
   * @default - undefined unless `monitoring` is set, and with exposure NONE (see `podMonitor`)
   */
  public readonly serviceMonitor?: ApiObject;
  /**
   * The PodMonitor that scrapes the `metrics` port of a worker without a Service (exposure NONE).
   *
   * @default - undefined unless `monitoring` is set and the exposure is NONE
   */
  public readonly podMonitor?: ApiObject;
  /**
   * The PrometheusRule of the service's alerts.
   *
   * @default - undefined unless `monitoring` is set
   */
  public readonly prometheusRule?: ApiObject;
  /**
   * The cluster-scoped Kyverno ClusterPolicy (kyverno.io/v1) that admits the service's pods only
   * with images of its own repositories, signed as `imageSignature` declares.
   *
   * @default - undefined unless `imageSignature` is set
   */
  public readonly imageSignaturePolicy?: ApiObject;

  /**
   * @param scope the Chart (or a construct inside it) whose namespace the service uses by default
   * @param id the construct id; also the base name of every object unless `props.name` is set
   * @param props the service's configuration; validated before anything is created
   */
  constructor(scope: Construct, id: string, props: SecureTradingApiProps) {
    // Everything is validated before `super`, so invalid props leave no trace in the construct tree.
    const path = [...scope.node.scopes.map((c) => c.node.id).filter((part) => part !== ''), id].join('/');
    const subject = `SecureTradingApi '${path}'`;
    const tradingNamespace = TradingNamespace.find(scope);
    const config = resolveConfig(props, subject, id, tradingNamespace?.name ?? chartNamespace(scope));
    if (tradingNamespace && config.namespace !== tradingNamespace.name) {
      const problems = new Problems();
      problems.add('namespace', config.namespace, `differs from the TradingNamespace '${tradingNamespace.node.path}' it is created in ("${tradingNamespace.name}")`,
        'leave namespace out: a service created inside a TradingNamespace is in that namespace');
      problems.throwIfAny(subject);
    }
    if (!Chart.isChart(scope) && !scope.node.scopes.some((c) => Chart.isChart(c))) {
      const problems = new Problems();
      problems.add('scope', scope.node.path || '(the App)', 'is not inside a Chart, so cdk8s has nowhere to put the objects',
        'create the SecureTradingApi inside a Chart: new SecureTradingApi(new Chart(app, "trading", { namespace: "trading" }), ...)');
      problems.throwIfAny(subject);
    }
    super(scope, id);

    this.name = config.name;
    this.namespace = config.namespace;
    this.selectorLabels = { ...config.selector };
    this.credentialsPath = config.credentialsPath;
    this.exposure = config.exposure;
    this.port = config.port;
    this.metricsPort = config.metrics?.port;

    const identity = createIdentity(this, config);
    this.serviceAccount = identity.serviceAccount;
    this.operatorRole = identity.operatorRole;
    this.operatorRoleBinding = identity.operatorRoleBinding;

    const credentials = credentialMounts(config, CONTAINER_NAME);
    const workload = createWorkload(this, config, {
      serviceAccountName: identity.serviceAccount.name,
      volumes: credentials.volumes,
      mounts: credentials.mounts,
      podAnnotations: credentials.podAnnotations,
    });
    this.deployment = workload.deployment;
    this.statefulSet = workload.statefulSet;
    this.workload = (workload.deployment ?? workload.statefulSet)!;
    annotateRotation(this.workload, config);
    this.service = workload.service;
    this.headlessService = workload.headlessService;
    this.podDisruptionBudget = workload.podDisruptionBudget;

    // Inside a TradingNamespace the namespace-wide default-deny covers the pods: no second one.
    const network = createNetwork(this, config, { namespaceDefaultDeny: tradingNamespace !== undefined });
    this.defaultDenyPolicy = network.defaultDenyPolicy;
    this.allowPolicy = network.allowPolicy;
    registerServiceEnd(this, {
      subject,
      namespace: config.namespace,
      selector: config.selector,
      exposure: config.exposure,
      ports: [config.port, ...(config.metrics ? [config.metrics.port] : [])],
      rules: network.rules,
    });

    this.fqdnEgressPolicy = createFqdnEgress(this, config);
    this.egressGatewayPolicy = createEgressGateway(this, config);

    this.ingress = createIngress(this, config, { serviceName: workload.service?.name });
    const route = createGatewayRoute(this, config, { serviceName: workload.service?.name });
    this.httpRoute = route.httpRoute;
    this.gateway = route.gateway;
    this.gatewaySecurityPolicy = route.securityPolicy;
    this.gatewayTrafficPolicy = route.backendTrafficPolicy;
    this.gatewayClientPolicy = route.clientTrafficPolicy;
    this.externalSecrets = createExternalSecrets(this, config);
    this.secretProviderClasses = createSecretProviderClasses(this, config);

    const admission = createAdmissionPolicies(this, config, { serviceAccountName: identity.serviceAccount.name });
    this.admissionPolicies = admission.policies;
    this.admissionPolicyBindings = admission.bindings;
    const monitoring = createMonitoring(this, config, { serviceName: workload.service?.name });
    this.serviceMonitor = monitoring.serviceMonitor;
    this.podMonitor = monitoring.podMonitor;
    this.prometheusRule = monitoring.prometheusRule;
    this.imageSignaturePolicy = createImageSignaturePolicy(this, config, { workload: this.workload });
    // The operators may read the custom resources the parts emitted, and only those (no secret data in any).
    grantCustomResourceReads(identity.operatorRole, this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));

    // Conflicts with the other services of the App need the objects; a conflict removes this
    // construct again, so a failed construction leaves nothing behind (and a retry can use the id).
    const problems = new Problems();
    const claims = findConflicts(this, {
      namespace: config.namespace,
      name: config.name,
      host: config.publicHost,
      tlsSecret: config.publicTlsSecret,
      credentialSecrets: config.credentials.filter(isSecretBacked).map((c) => c.secretName),
      externalSecrets: config.credentials.filter((c) => c.externalSecret).map((c) => c.secretName),
      secretProviderClasses: config.credentials.filter((c) => c.secretsStoreCsi).map((c) => c.secretName),
    }, problems);
    if (problems.count > 0) {
      scope.node.tryRemoveChild(id);
      problems.throwIfAny(subject);
    }
    claim(this, this.node.path, claims);

    this.auditPolicy = AuditPolicy.of(this);
    this.auditPolicy.addNamespace(config.namespace);

    // The opt-outs the props allow are acknowledgements like any other: visible in the report.
    if (config.allowUnpinnedImage) {
      Guard.acknowledge(this.workload, 'POD-IMAGE-PINNED', 'allowUnpinnedImage: true was set on the SecureTradingApi (a fixed tag, pulled Always)');
    }
    if (config.allowUnrestrictedEgress) {
      Guard.acknowledge(this.allowPolicy, 'NET-EGRESS-REACH', 'allowUnrestrictedEgress: true was set on the SecureTradingApi (an egress firewall outside the cluster restricts it)');
    }
    if (this.ingress && config.ingress?.unsafeAnnotationsReason !== undefined) {
      Guard.acknowledge(this.ingress, 'ING-TYPED-ANNOTATIONS',
        `unsafeIngressAnnotations (${config.ingress.unsafeAnnotationKeys.join(', ')}): ${config.ingress.unsafeAnnotationsReason}`);
    }
    if (config.allowPrivateRangeEgress) {
      Guard.acknowledge(this.allowPolicy, 'NET-EGRESS-PRIVATE', 'allowPrivateRangeEgress: true was set on the SecureTradingApi (the private addresses are outside the cluster)');
    }
    this.guard = Guard.of(this);
    // The guard reads the TradingNamespace's objects (its default-deny) with the service's own.
    this.guard._guardService(this, tradingNamespace?._sharedWithServices() ?? []);
  }

  /**
   * Lets `peer` call this service: an ingress rule on this service's allow policy and, when the peer
   * is a SecureTradingApi, the matching egress rule on the peer's. Refused for a service with
   * exposure NONE. Calling it twice for the same peer and port adds nothing.
   *
   * @param peer another SecureTradingApi, or a cdk8s-plus workload or pod selector (by labels; never an address block)
   * @param options the port of this service the peer may call (its API port by default, or its metrics port)
   */
  public allowFrom(peer: kplus.INetworkPolicyPeer, options?: ConnectionOptions): void {
    connect(this, 'allowFrom', peer, options);
  }

  /**
   * Lets this service call `peer`: an egress rule on this service's allow policy and, when the peer
   * is a SecureTradingApi, the matching ingress rule on the peer's. Calling it twice for the same
   * peer and port adds nothing.
   *
   * @param peer another SecureTradingApi, or a cdk8s-plus workload or pod selector (by labels; never an address block)
   * @param options the peer's port (a SecureTradingApi's API port by default; required for any other peer)
   */
  public allowTo(peer: kplus.INetworkPolicyPeer, options?: ConnectionOptions): void {
    connect(this, 'allowTo', peer, options);
  }

  /** The service's pods, for cdk8s-plus network policies: `kplus.INetworkPolicyPeer`. */
  public toNetworkPolicyPeerConfig(): kplus.NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** The service's pods, for cdk8s-plus network policies: `kplus.INetworkPolicyPeer`. */
  public toPodSelector(): kplus.IPodSelector | undefined {
    return this;
  }

  /** The labels and namespace that select exactly this service's pods: `kplus.IPodSelector`. */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return {
      labelSelector: kplus.LabelSelector.of({ labels: { ...this.selectorLabels } }),
      namespaces: { names: [this.namespace] },
    };
  }
}

/** The namespace of the nearest enclosing Chart, if there is one. */
function chartNamespace(scope: Construct): string | undefined {
  const chart = [...scope.node.scopes].reverse().find((c): c is Chart => Chart.isChart(c));
  return chart?.namespace;
}
