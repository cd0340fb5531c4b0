/**
 * Audit: the kube-apiserver audit policy that records who touched the service's keys, who exec'd
 * into its pods, and who changed its RBAC.
 *
 * An API server reads one policy file (`--audit-policy-file`), and the policy is not an API object,
 * so it must never sit among the manifests that `kubectl apply` reads. There is therefore one
 * `AuditPolicy` per cdk8s App, covering the namespaces of every `SecureTradingApi` in it, and it is
 * written to `<app outdir>/audit/audit-policy.yaml`: a subfolder, which `kubectl apply -f <outdir>`
 * (without `-R`) does not read, and outside every Chart, so no `YamlOutputType` mixes it into a
 * manifest file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appSingleton } from './app-singleton';

const SINGLETON_ID = 'SecureTradingApiAuditPolicy';
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/**
 * Where the keys come from: External Secrets Operator's ExternalSecrets and stores, and the Secrets
 * Store CSI driver's SecretProviderClasses. They hold references (store names, addresses, remote
 * keys and property names), never a key value.
 */
const KEY_SOURCE_RESOURCES = [
  { group: 'external-secrets.io', resources: ['externalsecrets', 'secretstores', 'clustersecretstores'] },
  { group: 'secrets-store.csi.x-k8s.io', resources: ['secretproviderclasses'] },
];
/**
 * Traffic and policy around the services that other namespaces, or cluster-scoped objects, can change:
 * who may claim the public host (an Ingress or a route in any namespace can ask a shared controller
 * or Gateway for it) and what the shared Gateways' listeners do; what the edge enforces (Envoy
 * Gateway policies, and extension and patch policies that run code or raw configuration in the
 * proxy); what cluster-wide network policies allow and which pods leave through the egress address
 * the exchange allow-lists (Cilium); which images may run, and what may mutate a pod (Kyverno).
 * None holds a key value.
 */
const TRAFFIC_AND_POLICY_RESOURCES = [
  { group: 'networking.k8s.io', resources: ['ingresses'] },
  { group: 'gateway.networking.k8s.io', resources: ['gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants'] },
  { group: 'gateway.envoyproxy.io', resources: ['securitypolicies', 'backendtrafficpolicies', 'clienttrafficpolicies', 'envoyextensionpolicies', 'envoypatchpolicies'] },
  { group: 'cilium.io', resources: ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies', 'ciliumegressgatewaypolicies'] },
  { group: 'kyverno.io', resources: ['clusterpolicies', 'policies'] },
];
const ADMISSION_RESOURCES = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'];

/**
 * The app-wide kube-apiserver audit policy (`audit.k8s.io/v1` `Policy`).
 *
 * Rules, first match wins:
 * 1. Secrets, every verb, in every namespace and cluster-wide (`kubectl get secrets -A`, its watch):
 *    `Metadata` only: who, when, which object; never a request or response body, which would copy
 *    the key material into the log.
 * 2. `pods/exec`, `pods/attach`, `pods/portforward` in every namespace, and `nodes/proxy` (exec and
 *    logs through the kubelet): `Metadata`. The request URI already names the pod, container and
 *    command; a stream's content is never logged at any level, and a kubelet's answer through
 *    `nodes/proxy` can hold other pods' environment, so no body is recorded.
 * 3. `pods/ephemeralcontainers` in every namespace: `Request`, so the injected container's image and
 *    command are on record; never the response (the whole pod).
 * 4. `serviceaccounts/token` creation in every namespace: `Request` (audiences and expiry); never the
 *    response, which holds the token.
 * 5. Roles, RoleBindings, ClusterRoles and ClusterRoleBindings, every write anywhere: `RequestResponse`.
 * 6. Admission webhook and admission policy configurations, every write: `RequestResponse` (a mutating
 *    webhook can inject a container into a trading pod).
 * 7. Where the keys come from (ExternalSecrets, SecretStores, ClusterSecretStores,
 *    SecretProviderClasses), every write anywhere: `RequestResponse`. They hold references, not key
 *    values; a changed store address or remote key sends the pods' keys, or the store's own
 *    credentials, somewhere else.
 * 8. Traffic and policy objects another namespace or a cluster-scoped object can turn against the
 *    services (Ingresses, Gateway API routes and Gateways, Envoy Gateway policies, Cilium policies,
 *    Kyverno policies), every write anywhere: `RequestResponse`: a route claiming the public host
 *    from another namespace, an edge policy switched off, an egress gateway widened, an image policy
 *    set to Audit.
 * 9. ConfigMaps in the registered namespaces: `Metadata`.
 * 10. Every other write in the registered namespaces: `Request`; 11. every other request there: `Metadata`.
 * Nothing else is logged, and the `RequestReceived` stage is omitted.
 */
export class AuditPolicy extends Construct {
  /**
   * The path of the policy file, relative to the App's output directory.
   */
  public static readonly FILE_PATH = 'audit/audit-policy.yaml';

  /**
   * The audit policy of the App that `scope` belongs to, created on first use.
   *
   * @param scope any construct of the app
   */
  public static of(scope: IConstruct): AuditPolicy {
    return appSingleton(scope, SINGLETON_ID, (c): c is AuditPolicy => c instanceof AuditPolicy, (root, id) => new AuditPolicy(root, id));
  }

  private readonly namespaceSet = new Set<string>();
  /**
   * What was last written: where, for how many namespaces, and the file's size and mtime right after.
   * cdk8s runs every validation once per Chart during `App.synth()` (`Chart.toJson()` validates the
   * whole app), so without this an app of N charts would render and write this O(N) file N + 1 times:
   * O(N^2) work for one output. Namespaces are only ever added, so their count identifies the content;
   * the size and mtime show whether anything else touched the file since.
   */
  private written?: { readonly file: string; readonly namespaces: number; readonly size: number; readonly mtimeMs: number };

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // cdk8s calls every construct's validations at the start of `App.synth()`, after the whole tree
    // exists: the one moment at which every namespace is known and the output directory is ready.
    this.node.addValidation({
      validate: () => {
        this.writeForApp();
        return [];
      },
    });
  }

  /**
   * Adds a namespace whose secrets, exec sessions, RBAC changes and writes the policy records.
   *
   * @param namespace the namespace
   */
  public addNamespace(namespace: string): void {
    this.namespaceSet.add(namespace);
  }

  /** The namespaces the policy covers, sorted. */
  public get namespaces(): string[] {
    return [...this.namespaceSet].sort();
  }

  /** The policy as a JSON object. Every list is its own copy, so the YAML has no anchors or aliases. */
  public toJson(): any {
    const namespaces = this.namespaces;
    return {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      metadata: { name: 'secure-trading-api' },
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] },
        {
          level: 'Metadata',
          resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy'] }],
        },
        { level: 'Request', resources: [{ group: '', resources: ['pods/ephemeralcontainers'] }] },
        { level: 'Request', verbs: ['create'], resources: [{ group: '', resources: ['serviceaccounts/token'] }] },
        {
          level: 'RequestResponse',
          verbs: [...WRITES],
          resources: [{ group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] }],
        },
        {
          level: 'RequestResponse',
          verbs: [...WRITES],
          resources: [{
            group: 'admissionregistration.k8s.io',
            resources: [...ADMISSION_RESOURCES],
          }],
        },
        {
          level: 'RequestResponse',
          verbs: [...WRITES],
          resources: KEY_SOURCE_RESOURCES.map((g) => ({ group: g.group, resources: [...g.resources] })),
        },
        {
          level: 'RequestResponse',
          verbs: [...WRITES],
          resources: TRAFFIC_AND_POLICY_RESOURCES.map((g) => ({ group: g.group, resources: [...g.resources] })),
        },
        { level: 'Metadata', namespaces: [...namespaces], resources: [{ group: '', resources: ['configmaps'] }] },
        { level: 'Request', namespaces: [...namespaces], verbs: [...WRITES] },
        { level: 'Metadata', namespaces: [...namespaces] },
      ],
    };
  }

  /** The policy as the YAML document the API server reads. */
  public toYaml(): string {
    return Yaml.stringify(this.toJson());
  }

  private writeForApp(): void {
    // Duck-typed rather than `instanceof App`, so that an app loading its own copy of cdk8s still works.
    const outdir = (this.node.root as Partial<App>).outdir;
    if (typeof outdir !== 'string' || this.namespaceSet.size === 0) {
      return;
    }
    const file = path.join(outdir, AuditPolicy.FILE_PATH);
    if (this.written?.file === file && this.written.namespaces === this.namespaceSet.size) {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat?.size === this.written.size && stat.mtimeMs === this.written.mtimeMs) {
        return;
      }
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, this.toYaml());
    const { size, mtimeMs } = fs.statSync(file);
    this.written = { file, namespaces: this.namespaceSet.size, size, mtimeMs };
  }
}
