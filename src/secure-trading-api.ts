/**
 * The pattern: resolves the props once, then builds each part in order and exposes every object it
 * created, so users can inspect or extend them. Parts never talk to each other; what one needs from
 * another (a ServiceAccount name, the credential volumes) is handed over here.
 */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AuditPolicy } from './audit';
import { CREDENTIALS_ROOT, resolveConfig } from './config';
import { claim, findConflicts } from './conflicts';
import { credentialMounts } from './credentials';
import { createIngress } from './exposure';
import { Guard } from './guard/guard';
import { createIdentity } from './identity';
import { createNetwork } from './network';
import { SecureTradingApiProps } from './props';
import { Problems } from './validate';
import { createWorkload } from './workload';

/**
 * A hardened, least-privilege API service that holds exchange API keys.
 *
 * Emits, in one namespace and with the recommended `app.kubernetes.io/*` labels: a ServiceAccount
 * without a token, an operator Role (and RoleBinding), a hardened Deployment, a ClusterIP Service, a
 * PodDisruptionBudget, a default-deny and an allow NetworkPolicy, and a TLS Ingress; and registers the
 * namespace with the app's kube-apiserver {@link AuditPolicy}, written to `audit/audit-policy.yaml`.
 *
 * Props are validated before anything is created: invalid props throw one error that lists every
 * problem, and leave the construct tree untouched.
 */
export class SecureTradingApi extends Construct {
  /** The base name of every object. */
  public readonly name: string;
  /** The namespace every object is in. */
  public readonly namespace: string;
  /** The labels that select exactly this service's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The directory under which each credential Secret is mounted as `<dir>/<secret name>/<key>`. */
  public readonly credentialsPath: string;

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
  /** The hardened Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ClusterIP Service in front of the pods. */
  public readonly service: k8s.KubeService;
  /** The PodDisruptionBudget of the pods. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** Denies all ingress and egress of the pods that the allow policy does not open. */
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  /** Opens ingress from the ingress controller, and egress to DNS and the exchange endpoints. */
  public readonly allowPolicy: k8s.KubeNetworkPolicy;
  /** The TLS Ingress for the public host. */
  public readonly ingress: k8s.KubeIngress;
  /** The app-wide kube-apiserver audit policy, which now covers this service's namespace. */
  public readonly auditPolicy: AuditPolicy;
  /**
   * The app-wide guard, which checks this service's final output at synth and writes the compliance
   * report. Accept a finding visibly with `Guard.acknowledge(api.deployment, 'RULE-ID', 'reason')`.
   */
  public readonly guard: Guard;

  /**
   * @param scope the Chart (or a construct inside it) whose namespace the service uses by default
   * @param id the construct id; also the base name of every object unless `props.name` is set
   * @param props the service's configuration; validated before anything is created
   */
  constructor(scope: Construct, id: string, props: SecureTradingApiProps) {
    // Everything is validated before `super`, so invalid props leave no trace in the construct tree.
    const path = [...scope.node.scopes.map((c) => c.node.id).filter((part) => part !== ''), id].join('/');
    const subject = `SecureTradingApi '${path}'`;
    const config = resolveConfig(props, subject, id, chartNamespace(scope));
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
    this.credentialsPath = CREDENTIALS_ROOT;

    const identity = createIdentity(this, config);
    this.serviceAccount = identity.serviceAccount;
    this.operatorRole = identity.operatorRole;
    this.operatorRoleBinding = identity.operatorRoleBinding;

    const credentials = credentialMounts(config);
    const workload = createWorkload(this, config, {
      serviceAccountName: identity.serviceAccount.name,
      volumes: credentials.volumes,
      mounts: credentials.mounts,
    });
    this.deployment = workload.deployment;
    this.service = workload.service;
    this.podDisruptionBudget = workload.podDisruptionBudget;

    const network = createNetwork(this, config);
    this.defaultDenyPolicy = network.defaultDenyPolicy;
    this.allowPolicy = network.allowPolicy;

    this.ingress = createIngress(this, config, { serviceName: workload.service.name });

    // Conflicts with the other services of the App need the objects; a conflict removes this
    // construct again, so a failed construction leaves nothing behind (and a retry can use the id).
    const problems = new Problems();
    const claims = findConflicts(this, {
      namespace: config.namespace,
      name: config.name,
      host: config.host,
      tlsSecret: config.tls.secretName,
      credentialSecrets: config.credentials.map((c) => c.secretName),
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
      Guard.acknowledge(this.deployment, 'POD-IMAGE-PINNED', 'allowUnpinnedImage: true was set on the SecureTradingApi (a fixed tag, pulled Always)');
    }
    if (config.allowUnrestrictedEgress) {
      Guard.acknowledge(this.allowPolicy, 'NET-EGRESS-REACH', 'allowUnrestrictedEgress: true was set on the SecureTradingApi (an egress firewall outside the cluster restricts it)');
    }
    if (config.unsafeAnnotationsReason !== undefined) {
      Guard.acknowledge(this.ingress, 'ING-TYPED-ANNOTATIONS', `unsafeIngressAnnotations (${config.unsafeAnnotationKeys.join(', ')}): ${config.unsafeAnnotationsReason}`);
    }
    if (config.allowPrivateRangeEgress) {
      Guard.acknowledge(this.allowPolicy, 'NET-EGRESS-PRIVATE', 'allowPrivateRangeEgress: true was set on the SecureTradingApi (the private addresses are outside the cluster)');
    }
    this.guard = Guard.of(this);
    this.guard._guardService(this);
  }
}

/** The namespace of the nearest enclosing Chart, if there is one. */
function chartNamespace(scope: Construct): string | undefined {
  const chart = [...scope.node.scopes].reverse().find((c): c is Chart => Chart.isChart(c));
  return chart?.namespace;
}
