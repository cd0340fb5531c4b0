/**
 * Identity: who the pods are, and what the humans who run the service may do.
 *
 * The workload's ServiceAccount gets no API permissions and no token. The operator Role lets people
 * observe the service and scale it (never a singleton), and keeps them away from the keys: nothing on Secrets, exec,
 * attach or port-forward (each of which reads a running pod's memory or files), nothing on RBAC, and
 * no write on the Deployment itself (whoever can change the pod template can mount and read the keys).
 */
import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';

const READ = ['get', 'list', 'watch'];

/** The objects of the identity part. */
export interface IdentityObjects {
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly operatorRole: k8s.KubeRole;
  readonly operatorRoleBinding?: k8s.KubeRoleBinding;
}

/** The operator Role's rules: explicit groups, resources and verbs; no wildcard anywhere. */
export function operatorRules(config: ResolvedConfig): k8s.PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['pods', 'pods/log', 'events', 'services', 'endpoints'], verbs: READ },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
    // A singleton's operators may not scale it: a second replica is a second instance placing orders.
    ...(config.singleton
      ? [{ apiGroups: ['apps'], resources: ['statefulsets', 'controllerrevisions'], verbs: READ }]
      : [
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: READ },
        { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: [config.name], verbs: ['get', 'update', 'patch'] },
      ]),
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  ];
}

/**
 * The plural resource name of each namespaced custom resource kind the library emits, by API group
 * and kind. A kind missing here is not readable by the operators (no grant is the safe side); a test
 * over every scenario keeps the table complete.
 */
const CUSTOM_RESOURCES: { readonly [groupKind: string]: string } = {
  'external-secrets.io/ExternalSecret': 'externalsecrets',
  'secrets-store.csi.x-k8s.io/SecretProviderClass': 'secretproviderclasses',
  'gateway.networking.k8s.io/HTTPRoute': 'httproutes',
  'gateway.networking.k8s.io/Gateway': 'gateways',
  'gateway.envoyproxy.io/SecurityPolicy': 'securitypolicies',
  'gateway.envoyproxy.io/BackendTrafficPolicy': 'backendtrafficpolicies',
  'gateway.envoyproxy.io/ClientTrafficPolicy': 'clienttrafficpolicies',
  'cilium.io/CiliumNetworkPolicy': 'ciliumnetworkpolicies',
  'monitoring.coreos.com/ServiceMonitor': 'servicemonitors',
  'monitoring.coreos.com/PodMonitor': 'podmonitors',
  'monitoring.coreos.com/PrometheusRule': 'prometheusrules',
};

/**
 * Read rules for the namespaced custom resources among `objects` (the ones a service emitted), one
 * rule per API group, resources sorted: whoever runs the service can see its ExternalSecret, route
 * or alert rules without a wider role. Reading them shows no key material (an ExternalSecret or a
 * SecretProviderClass names where a key lives, never the key). Cluster-scoped kinds are left out: a
 * Role cannot grant them.
 */
export function customResourceReadRules(objects: readonly ApiObject[]): k8s.PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const object of objects) {
    const resource = CUSTOM_RESOURCES[`${object.apiGroup}/${object.kind}`];
    if (resource === undefined || object.metadata.namespace === undefined) continue;
    byGroup.set(object.apiGroup, (byGroup.get(object.apiGroup) ?? new Set()).add(resource));
  }
  return [...byGroup.keys()].sort().map((group) => ({ apiGroups: [group], resources: [...byGroup.get(group)!].sort(), verbs: READ }));
}

/** Adds {@link customResourceReadRules} for `objects` to the operator Role. */
export function grantCustomResourceReads(operatorRole: k8s.KubeRole, objects: readonly ApiObject[]): void {
  for (const rule of customResourceReadRules(objects)) {
    operatorRole.addJsonPatch(JsonPatch.add('/rules/-', rule));
  }
}

/** Emits the ServiceAccount and the operator Role (and its RoleBinding when subjects are given). */
export function createIdentity(scope: Construct, config: ResolvedConfig): IdentityObjects {
  const metadata = (name: string): ApiObjectMetadata => ({ name, namespace: config.namespace, labels: { ...config.labels } });

  const serviceAccount = new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: metadata(config.name),
    automountServiceAccountToken: false,
  });

  const roleName = `${config.name}-operator`;
  const operatorRole = new k8s.KubeRole(scope, 'OperatorRole', {
    metadata: metadata(roleName),
    rules: operatorRules(config),
  });

  const subjects: k8s.Subject[] = [
    ...config.operatorUsers.map((name) => ({ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' })),
    ...config.operatorGroups.map((name) => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' })),
  ];
  const operatorRoleBinding = subjects.length === 0 ? undefined : new k8s.KubeRoleBinding(scope, 'OperatorRoleBinding', {
    metadata: metadata(roleName),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects,
  });

  return { serviceAccount, operatorRole, operatorRoleBinding };
}
