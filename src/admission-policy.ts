/**
 * Admission: ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, built into Kubernetes
 * 1.30 and later) that make the API server itself refuse what would weaken the service, whoever
 * applies it and however. The guard checks the library's own output at synth; these policies hold
 * afterwards, against `kubectl apply`, `kubectl debug` and every controller.
 *
 * Three policies, each with a binding that denies (`validationActions: [Deny]`) and only in the
 * service's namespace (`kubernetes.io/metadata.name`):
 * - `pods`: Pods, and ephemeral containers added to them. Every pod-making controller ends in a Pod,
 *   so nothing escapes this one, but a refused Pod only shows up late, as the controller's events.
 * - `workloads`: Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs, by their pod template:
 *   the same rules refuse the `kubectl apply` itself, where the person applying sees the error.
 *   (A CronJob's pods are still refused by `pods`.)
 * - `ingresses`: any `*-snippet` annotation on an Ingress of the namespace. Each service of the
 *   namespace emits its own copy, so that removing one service leaves the others' in force.
 *
 * The CEL lives here, generated from the resolved configuration; the policy and binding are plain
 * `ApiObject`s with the exact v1 JSON (cdk8s-plus-27 follows the 1.27 schema, which has no v1 policy).
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { LIBRARY_ANNOTATION_PREFIX } from './annotations';
import { ResolvedConfig } from './config';
import { isSecretBacked } from './config/credentials';

const API_VERSION = 'admissionregistration.k8s.io/v1';
/** The annotation on each policy that says which threat it answers (the compliance report lists it). */
export const ADMISSION_THREAT_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}threat`;
const OPERATIONS = ['CREATE', 'UPDATE'];

/** The objects of the admission part. */
export interface AdmissionObjects {
  readonly policies: ApiObject[];
  readonly bindings: ApiObject[];
}

/** What the admission part needs from the pattern. */
export interface AdmissionInputs {
  /** The pods' ServiceAccount. */
  readonly serviceAccountName: string;
}

/** One CEL validation: the expression that must hold and the message the API server answers with. */
interface Validation {
  readonly expression: string;
  readonly message: string;
}

/** The name shared by a policy and its binding: unique per namespace, service and kind of object. */
export function admissionPolicyName(namespace: string, name: string, what: 'pods' | 'workloads' | 'ingresses'): string {
  // Namespace and name are DNS labels (no dots), so the dotted name is unambiguous.
  return `secure-trading-api.${namespace}.${name}.${what}`;
}

/** A CEL string literal of a validated label, name or key (no quotes or backslashes). */
function str(value: string): string {
  return JSON.stringify(value);
}

/** Has `field` (a dotted path from `root`) and it is true. */
function isTrue(root: string, field: string): string {
  return `(has(${root}.${field}) && ${root}.${field} == true)`;
}

/** `predicate` (over `c`) holds for every container, init container and ephemeral container. */
function everyContainer(predicate: string): string {
  return ['containers', 'initContainers', 'ephemeralContainers']
    .map((list) => `(!has(variables.spec.${list}) || variables.spec.${list}.all(c, ${predicate}))`)
    .join(' && ');
}

/** The rules a pod of the service must keep; each names the service in its message. */
function hardeningRules(service: string): Validation[] {
  const sc = 'c.securityContext';
  const pod = 'variables.spec';
  return [
    {
      expression: everyContainer(`!has(${sc}) || !${isTrue(sc, 'privileged')}`),
      message: `${service}: a pod of the service must not run a privileged container`,
    },
    {
      expression: `!${isTrue(pod, 'hostNetwork')} && !${isTrue(pod, 'hostPID')} && !${isTrue(pod, 'hostIPC')}`,
      message: `${service}: a pod of the service must not share the node's network, PID or IPC namespace`,
    },
    {
      expression: `!has(${pod}.volumes) || ${pod}.volumes.all(v, !has(v.hostPath))`,
      message: `${service}: a pod of the service must not mount a hostPath volume`,
    },
    {
      expression: `has(${pod}.securityContext) && ${isTrue(pod, 'securityContext.runAsNonRoot')}`
        + ` && !(has(${pod}.securityContext.runAsUser) && ${pod}.securityContext.runAsUser == 0)`
        + ` && ${everyContainer(`!has(${sc}) || ((!has(${sc}.runAsNonRoot) || ${sc}.runAsNonRoot == true) && (!has(${sc}.runAsUser) || ${sc}.runAsUser != 0))`)}`,
      message: `${service}: a pod of the service must run as non-root (runAsNonRoot true, never runAsUser 0)`,
    },
    {
      expression: everyContainer(`!has(${sc}) || !has(${sc}.capabilities) || !has(${sc}.capabilities.add) || size(${sc}.capabilities.add) == 0`),
      message: `${service}: a container of the service must not add capabilities`,
    },
    {
      expression: everyContainer(`has(${sc}) && ${isTrue(sc, 'readOnlyRootFilesystem')}`),
      message: `${service}: every container of the service must have a read-only root filesystem`,
    },
    {
      expression: everyContainer(`has(${sc}) && has(${sc}.allowPrivilegeEscalation) && ${sc}.allowPrivilegeEscalation == false`),
      message: `${service}: every container of the service must set allowPrivilegeEscalation to false`,
    },
    {
      expression: everyContainer('(!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef)))'
        + ' && (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef)))'),
      message: `${service}: a container of the service must not read a Secret into environment variables (mount it as a file)`,
    },
  ];
}

/** Whether the pod (spec in `variables.spec`) mounts or references one of `secrets`. */
function usesSecrets(secrets: string[]): string {
  const list = `[${secrets.map(str).join(', ')}]`;
  const pod = 'variables.spec';
  const volumes = `(has(${pod}.volumes) && ${pod}.volumes.exists(v, (has(v.secret) && has(v.secret.secretName) && v.secret.secretName in ${list})`
    + ` || (has(v.projected) && has(v.projected.sources) && v.projected.sources.exists(s, has(s.secret) && has(s.secret.name) && s.secret.name in ${list}))))`;
  const env = everyContainer(`(!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef) || !(e.valueFrom.secretKeyRef.name in ${list})))`
    + ` && (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef) || !(e.secretRef.name in ${list})))`);
  return `(${volumes} || !(${env}))`;
}

/** The CEL of "these labels carry every selector label of the service". */
function hasLabels(labels: string, selector: { [key: string]: string }): string {
  const entries = Object.entries(selector).map(([k, v]) => `${str(k)} in ${labels} && ${labels}[${str(k)}] == ${str(v)}`);
  return `(${entries.join(' && ')})`;
}

/**
 * The policy for one kind of pod-bearing object: `spec` is the CEL of its pod spec, `metadata` that
 * of its pod metadata.
 */
function podPolicySpec(config: ResolvedConfig, inputs: AdmissionInputs, spec: string, metadata: string, resourceRules: unknown[]): unknown {
  // A pod always has metadata; a pod template may leave it out.
  const metadataPresent = metadata === 'object.metadata' ? '' : `has(${metadata}) && `;
  const service = `secure-trading-api ${config.namespace}/${config.name}`;
  const validations: Validation[] = [];
  const secrets = config.credentials.filter(isSecretBacked).map((c) => c.secretName);
  if (secrets.length > 0) {
    validations.push({
      expression: `!(${usesSecrets(secrets)}) || (variables.serviceAccount == ${str(inputs.serviceAccountName)} && variables.ofService)`,
      message: `${service}: only the service's pods (ServiceAccount ${inputs.serviceAccountName} and the service's labels) may mount or read the credential Secrets ${secrets.join(', ')}`,
    });
  }
  for (const rule of hardeningRules(service)) {
    validations.push({ expression: `!variables.ofService || (${rule.expression})`, message: rule.message });
  }
  return {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules },
    variables: [
      { name: 'spec', expression: spec },
      { name: 'ofService', expression: `${metadataPresent}has(${metadata}.labels) && ${hasLabels(`${metadata}.labels`, config.selector)}` },
      {
        name: 'serviceAccount',
        expression: 'has(variables.spec.serviceAccountName) && variables.spec.serviceAccountName != "" ? variables.spec.serviceAccountName : "default"',
      },
    ],
    validations: validations.map((v) => ({ ...v, reason: 'Forbidden' })),
  };
}

/** Emits the three policies and their bindings (nothing unless `admissionPolicy` is set). */
export function createAdmissionPolicies(scope: Construct, config: ResolvedConfig, inputs: AdmissionInputs): AdmissionObjects {
  if (!config.admissionPolicy) {
    return { policies: [], bindings: [] };
  }
  const policies: ApiObject[] = [];
  const bindings: ApiObject[] = [];
  const add = (what: 'pods' | 'workloads' | 'ingresses', id: string, threat: string, spec: unknown) => {
    const name = admissionPolicyName(config.namespace, config.name, what);
    const policy = new ApiObject(scope, `${id}AdmissionPolicy`, {
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { ...config.labels }, annotations: { [ADMISSION_THREAT_ANNOTATION]: threat } },
      spec,
    });
    const binding = new ApiObject(scope, `${id}AdmissionPolicyBinding`, {
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { ...config.labels } },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.namespace } } },
      },
    });
    // cdk8s gives every object the Chart's namespace; these are cluster-scoped and have none.
    if (Chart.of(scope).namespace !== undefined) {
      policy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      binding.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    policies.push(policy);
    bindings.push(binding);
  };

  add('pods', 'Pods',
    'Someone who may create pods in the namespace runs a pod that mounts the exchange keys under another identity, or a pod of the service without its hardening (privileged, on the host, as root, keys in environment variables), and reads the keys from it or from the node; kubectl debug adds such a container to a running pod.',
    podPolicySpec(config, inputs, 'object.spec', 'object.metadata', [
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers'], operations: OPERATIONS },
    ]));
  add('workloads', 'Workloads',
    'The same weakened pod, written into a Deployment, StatefulSet, ReplicaSet, DaemonSet or Job: refused when it is applied, where the person applying sees why, not later in a controller\'s events.',
    podPolicySpec(config, inputs, 'object.spec.template.spec', 'object.spec.template.metadata', [
      { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], operations: OPERATIONS },
      { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs'], operations: OPERATIONS },
    ]));
  add('ingresses', 'Ingresses',
    'An Ingress with a *-snippet annotation injects raw nginx configuration into the shared controller, which holds every TLS key and reads every Secret (the ingress-nginx CVE-2025-1974 family).',
    {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['ingresses'], operations: OPERATIONS }],
      },
      validations: [{
        expression: '!has(object.metadata.annotations) || object.metadata.annotations.all(k, !k.endsWith("-snippet"))',
        // The same message in every service's copy: the first policy that refuses answers, whichever it is.
        message: `secure-trading-api: an Ingress in namespace ${config.namespace} must not carry a *-snippet annotation`,
        reason: 'Forbidden',
      }],
    });
  return { policies, bindings };
}
