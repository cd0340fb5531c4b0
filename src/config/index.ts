/**
 * Props in, resolved configuration out: every default is applied and every prop validated here,
 * once, before any Kubernetes object exists. Each concern has its own resolver in this folder; this
 * file only composes them. The parts of the pattern receive only the plain data returned here.
 */
import { recommendedLabels, selectorLabels } from '../labels';
import { SecureTradingApiProps } from '../props';
import { dns1035LabelProblem, dns1123LabelProblem, Problems, SYSTEM_NAMESPACE, yamlTypeProblem } from '../validate';
import { ResolvedAdmission, resolveAdmission } from './admission';
import { ownProps, stringProblem } from './common';
import { resolveContainers, ResolvedContainers } from './containers';
import { resolveCredentials, ResolvedCredentials } from './credentials';
import { resolveDns, ResolvedDns } from './dns';
import { resolveEgressGateway, ResolvedEgressGateway } from './egress-gateway';
import { ResolvedExposure, resolveExposure } from './exposure';
import { ResolvedFqdn, resolveFqdn } from './fqdn';
import { resolveIdentity, ResolvedIdentity } from './identity';
import { resolveImageSignature, ResolvedImageSignature } from './image-signature';
import { ResolvedMonitoring, resolveMonitoring } from './monitoring';
import { resolveNetwork, ResolvedNetwork } from './network';
import { ResolvedPeers, resolvePeers } from './peers';
import { ResolvedPod, resolvePod } from './pod';
import { ResolvedScheduling, resolveScheduling } from './scheduling';
import { ResolvedWorkload, resolveWorkload } from './workload';

export { CREDENTIALS_FILE_MODE, CREDENTIALS_ROOT } from './credentials';
export { PORT_NAME } from './workload';
export { METRICS_PORT_NAME } from './peers';
export { API_CONTAINER_NAME } from './containers';
export { CONFIG_FILE_MODE } from './pod';

/** The longest base name for which every derived object name (`<name>-default-deny`) stays a valid label. */
export const MAX_NAME_LENGTH = 50;


/**
 * Every prop of {@link SecureTradingApiProps}. A key outside this list is refused (a misspelt opt-in
 * must not be silently ignored); a test keeps the list equal to the jsii assembly's.
 */
export const KNOWN_PROPS: readonly string[] = [
  'image', 'allowUnpinnedImage', 'name', 'namespace', 'port', 'metrics', 'readinessPath', 'livenessPath', 'startupTimeoutSeconds',
  'resources', 'tmpSizeLimit', 'replicas', 'singleton', 'runAsUser', 'priorityClassName', 'exposure', 'host', 'tls', 'ingressController',
  'edgeProtection', 'ingressAnnotations', 'unsafeIngressAnnotations', 'gatewayApi', 'credentials', 'credentialsPath',
  'exchangeEndpoints', 'allowUnrestrictedEgress', 'allowPrivateRangeEgress', 'clusterDependencies', 'operatorUsers', 'operatorGroups',
  'env', 'envFromConfigMaps', 'configMapVolumes', 'command', 'args', 'imagePullSecrets', 'nodeSelector', 'tolerations',
  'podLabels', 'podAnnotations', 'sidecars', 'initContainers',
  'fqdnEgress', 'clusterDns', 'egressGateway',
  'admissionPolicy', 'monitoring', 'imageSignature',
];

/** What every part shares: the service's identity in the cluster. */
export interface ResolvedMetadata {
  readonly name: string;
  readonly namespace: string;
  /** The recommended `app.kubernetes.io/*` labels every object carries. */
  readonly labels: { [key: string]: string };
  /** The subset of `labels` that selects exactly this service's pods. */
  readonly selector: { [key: string]: string };
}

/** Everything the parts need, defaulted and validated. Plain data: no constructs. */
export type ResolvedConfig = ResolvedMetadata & ResolvedWorkload & ResolvedExposure & ResolvedNetwork & ResolvedPeers
  & ResolvedCredentials & ResolvedIdentity & ResolvedPod & ResolvedScheduling & ResolvedContainers
  & ResolvedFqdn & ResolvedDns & ResolvedEgressGateway & ResolvedAdmission & ResolvedMonitoring
  & ResolvedImageSignature;

/**
 * Resolves and validates props. Throws one Error listing every problem found; never returns a
 * configuration that a part would have to second-guess.
 *
 * @param input the user's props, as any caller (TypeScript, JavaScript, Python) may pass them
 * @param subject how the error names the construct (its path)
 * @param defaultName the construct id, used when `props.name` is absent
 * @param chartNamespace the enclosing Chart's namespace, used when `props.namespace` is absent
 */
export function resolveConfig(
  input: SecureTradingApiProps,
  subject: string,
  defaultName: string,
  chartNamespace: string | undefined,
): ResolvedConfig {
  const problems = new Problems();
  const props = ownProps<SecureTradingApiProps>(problems, 'props', input, KNOWN_PROPS,
    'an object with at least image, and host and tls for a public service') as SecureTradingApiProps | undefined;
  if (!props) {
    problems.throwIfAny(subject);
  }
  const p = props!;

  const name = resolveName(p, defaultName, problems);
  const namespace = resolveNamespace(p.namespace, chartNamespace, problems);
  const workload = resolveWorkload(p, problems);
  const exposure = resolveExposure(p, name, namespace, problems);
  const credentials = resolveCredentials(p.credentials, p.credentialsPath, problems);
  // Least privilege follows the declaration: Vault's address gives the agent its one egress rule.
  const vault = credentials.credentials.map((c, index) => ({ index, agent: c.vaultAgent })).filter((v) => v.agent !== undefined);
  const network = resolveNetwork(p, problems, vault.filter((v) => v.agent!.external).map((v) => ({
    prop: `credentials[${v.index}].vault`, cidr: v.agent!.external!.cidr, port: v.agent!.external!.port,
  })));
  const resolvedPeers = resolvePeers(p, workload.port, namespace, problems);
  const peers = {
    ...resolvedPeers,
    clusterDependencies: [...resolvedPeers.clusterDependencies, ...vault.filter((v) => v.agent!.inCluster).map((v) => ({
      namespace: v.agent!.inCluster!.namespace, podLabels: { ...v.agent!.inCluster!.podLabels }, ports: [v.agent!.inCluster!.port],
    }))],
  };
  const identity = resolveIdentity(p, problems);
  // A ConfigMap may not be mounted at, above or inside the credentials directory.
  const pod = resolvePod(p, problems, [credentials.credentialsPath]);
  const scheduling = resolveScheduling(p, problems);
  // A sidecar may take neither the API port nor the metrics port.
  const containers = resolveContainers(p, problems, [workload.port, ...(peers.metrics ? [peers.metrics.port] : [])]);
  const admission = resolveAdmission(p, problems);
  const monitoring = resolveMonitoring(p, problems);
  const imageSignature = resolveImageSignature(p, namespace, name, problems);
  // The injector adds agent containers the signature policy must admit: only by a pinned image the user names.
  if (imageSignature.imageSignature) {
    for (const v of vault.filter((x) => x.agent!.agentImage === undefined)) {
      problems.add(`credentials[${v.index}].agentImage`, undefined,
        'is missing: with imageSignature, the policy refuses the agent containers the Vault injector adds unless their image is named',
        'give fromVaultAgent(..., { agentImage: "hashicorp/vault:<version>@sha256:<64 hex>" }), the image the injector runs, pinned by digest');
    }
  }

  const fqdn = resolveFqdn(p, problems);
  const dns = resolveDns(p, problems);
  const egressGateway = resolveEgressGateway(p, problems);

  problems.throwIfAny(subject);

  const labels = recommendedLabels(name, workload.imageTag);
  return {
    name,
    namespace: namespace!,
    labels,
    selector: selectorLabels(labels),
    ...workload,
    ...exposure,
    ...network,
    ...peers,
    ...credentials,
    ...identity,
    ...pod,
    ...scheduling,
    ...containers,
    ...fqdn,
    ...dns,
    ...egressGateway,
    ...admission,
    ...monitoring,
    ...imageSignature,
  };
}

function resolveName(props: SecureTradingApiProps, defaultName: string, problems: Problems): string {
  const name = props.name ?? defaultName;
  const problem = stringProblem(name) ?? dns1035LabelProblem(name, MAX_NAME_LENGTH);
  if (problem) {
    problems.add(props.name === undefined ? 'name (defaulted from the construct id)' : 'name', name, problem,
      `set name to a lower-case RFC 1035 label of at most ${MAX_NAME_LENGTH} characters, such as "trading-gateway"`);
  }
  return name;
}

function resolveNamespace(prop: string | undefined, chartNamespace: string | undefined, problems: Problems): string | undefined {
  const namespace = prop ?? chartNamespace;
  if (namespace === undefined) {
    problems.add('namespace', undefined, 'is not set and the construct is not inside a Chart with a namespace',
      'set the namespace prop, or create the Chart with { namespace: "trading" }');
    return undefined;
  }
  const problem = stringProblem(namespace) ?? dns1123LabelProblem(namespace) ?? yamlTypeProblem(namespace);
  if (problem) {
    problems.add('namespace', namespace, problem, 'use a lower-case RFC 1123 label such as "trading"');
  } else if (SYSTEM_NAMESPACE.test(namespace)) {
    problems.add('namespace', namespace, 'is a shared system namespace ("default" or "kube-*")',
      'give the service a namespace of its own, such as "trading"; its NetworkPolicies, RBAC and audit rules are scoped to it');
  }
  return namespace;
}
