/**
 * Props in, resolved configuration out: every default is applied and every prop validated here,
 * once, before any Kubernetes object exists. The parts of the pattern receive only this plain data.
 */
import { parseCidr } from './cidr';
import { ExchangeCredentials } from './exchange-credentials';
import { parseImage } from './image';
import { recommendedLabels, selectorLabels } from './labels';
import { SecureTradingApiProps } from './props';
import { parseQuantity } from './quantity';
import { TlsCertificate, TlsCertificateSource } from './tls-certificate';
import {
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  hostNameProblem,
  httpPathProblem,
  integerProblem,
  labelKeyProblem,
  labelValueProblem,
  Problems,
  secretKeyProblem,
} from './validate';

/** Where every credential Secret is mounted, one directory per Secret. */
export const CREDENTIALS_ROOT = '/var/run/secrets/trading';
/** Owner root read, group (the pod's fsGroup) read, nothing for others. */
export const CREDENTIALS_FILE_MODE = 0o440;
/** The container port's name; probes, the Service and the Ingress refer to it by name. */
export const PORT_NAME = 'http';
/** The longest base name for which every derived object name (`<name>-default-deny`) stays a valid label. */
export const MAX_NAME_LENGTH = 50;

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const MIN_UNRESTRICTED_PREFIX = { 4: 8, 6: 16 } as const;

/** One credential Secret, as the pod mounts it. */
export interface ResolvedCredential {
  readonly secretName: string;
  readonly keys?: string[];
  readonly volumeName: string;
  readonly mountPath: string;
}

/** One allowed egress destination. */
export interface ResolvedEndpoint {
  readonly cidr: string;
  readonly port: number;
}

/** Requests and limits keyed the way Kubernetes keys them. */
export interface ResolvedResources {
  readonly requests: { [resource: string]: string };
  readonly limits: { [resource: string]: string };
}

/** The TLS part of the Ingress: which Secret holds the pair, and what annotation produces it. */
export interface ResolvedTls {
  readonly secretName: string;
  readonly annotations: { [key: string]: string };
}

/** Everything the parts need, defaulted and validated. Plain data: no constructs. */
export interface ResolvedConfig {
  readonly name: string;
  readonly namespace: string;
  /** The recommended `app.kubernetes.io/*` labels every object carries. */
  readonly labels: { [key: string]: string };
  /** The subset of `labels` that selects exactly this service's pods. */
  readonly selector: { [key: string]: string };
  readonly image: string;
  readonly port: number;
  readonly servicePort: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupFailureThreshold: number;
  readonly startupPeriodSeconds: number;
  readonly resources: ResolvedResources;
  readonly tmpSizeLimit: string;
  readonly replicas: number;
  readonly runAsUser: number;
  readonly host: string;
  readonly tls: ResolvedTls;
  readonly ingressClassName: string;
  readonly ingressAnnotations: { [key: string]: string };
  readonly ingressSourceNamespace: string;
  readonly ingressSourcePodLabels: { [key: string]: string };
  readonly credentials: ResolvedCredential[];
  readonly egress: ResolvedEndpoint[];
  readonly operatorUsers: string[];
  readonly operatorGroups: string[];
}

const DEFAULT_RESOURCES = {
  cpuRequest: '100m',
  cpuLimit: '500m',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
  ephemeralStorageRequest: '64Mi',
  ephemeralStorageLimit: '256Mi',
};

const STARTUP_PERIOD_SECONDS = 5;

/**
 * Resolves and validates props. Throws one Error listing every problem found; never returns a
 * configuration that a part would have to second-guess.
 *
 * @param props the user's props
 * @param defaultName the construct id, used when `props.name` is absent
 * @param chartNamespace the enclosing Chart's namespace, used when `props.namespace` is absent
 */
export function resolveConfig(
  props: SecureTradingApiProps,
  defaultName: string,
  chartNamespace: string | undefined,
): ResolvedConfig {
  const problems = new Problems();
  if (props === null || typeof props !== 'object') {
    problems.add('props', props, 'are missing', 'pass an object with at least image, host, tls and credentials');
    problems.throwIfAny(`SecureTradingApi '${defaultName}'`);
  }

  const name = resolveName(props, defaultName, problems);
  const subject = `SecureTradingApi '${defaultName}'`;
  const namespace = resolveNamespace(props.namespace, chartNamespace, problems);
  const { image, tag } = resolveImage(props, problems);

  const port = props.port ?? 8080;
  check(problems, 'port', port, integerProblem(port, 1025, 65535),
    'use an unprivileged port from 1025 to 65535 (the container has no capability to bind below 1024)');

  const readinessPath = props.readinessPath ?? '/readyz';
  const livenessPath = props.livenessPath ?? '/livez';
  check(problems, 'readinessPath', readinessPath, stringProblem(readinessPath) ?? httpPathProblem(readinessPath), 'use an absolute HTTP path such as "/readyz"');
  check(problems, 'livenessPath', livenessPath, stringProblem(livenessPath) ?? httpPathProblem(livenessPath), 'use an absolute HTTP path such as "/livez"');
  if (readinessPath === livenessPath) {
    problems.add('livenessPath', livenessPath, 'is the same path as readinessPath; identical probes restart pods that are only temporarily unready',
      'serve liveness and readiness on different paths (for example "/livez" and "/readyz")');
  }

  const startupTimeout = props.startupTimeoutSeconds ?? 60;
  check(problems, 'startupTimeoutSeconds', startupTimeout, integerProblem(startupTimeout, STARTUP_PERIOD_SECONDS, 3600),
    `give the time a pod may take to start, in seconds, from ${STARTUP_PERIOD_SECONDS} to 3600`);

  const replicas = props.replicas ?? 2;
  check(problems, 'replicas', replicas, integerProblem(replicas, 1, 1000), 'use a whole number from 1 to 1000 (2 or more for availability)');

  const runAsUser = props.runAsUser ?? 10001;
  check(problems, 'runAsUser', runAsUser, integerProblem(runAsUser, 10000, 2147483647),
    'use a uid of 10000 or more (the image must not need root), such as the default 10001');

  const resources = resolveResources(props, problems);
  const tmpSizeLimit = props.tmpSizeLimit ?? '64Mi';
  const tmpBytes = parseQuantity(tmpSizeLimit);
  if (tmpBytes === undefined || tmpBytes <= 0) {
    problems.add('tmpSizeLimit', tmpSizeLimit, 'is not a positive Kubernetes quantity', 'write a size such as "64Mi"');
  } else {
    const storageLimit = parseQuantity(resources.limits['ephemeral-storage']);
    if (storageLimit !== undefined && tmpBytes > storageLimit) {
      problems.add('tmpSizeLimit', tmpSizeLimit, `exceeds the ephemeral-storage limit ${resources.limits['ephemeral-storage']}`,
        'lower tmpSizeLimit or raise resources.ephemeralStorageLimit');
    }
  }

  const host = props.host;
  check(problems, 'host', host, stringProblem(host) ?? hostNameProblem(host), 'give the public DNS name of the API, such as "api.trading.example.com"');

  const tls = resolveTls(props.tls, name, problems);
  const ingressClassName = props.ingressClassName ?? 'nginx';
  check(problems, 'ingressClassName', ingressClassName, stringProblem(ingressClassName) ?? dns1123SubdomainProblem(ingressClassName),
    'name an IngressClass of the cluster, such as "nginx"');
  const ingressAnnotations = resolveIngressAnnotations(props, ingressClassName, tls, problems);

  const ingressSourceNamespace = props.ingressControllerNamespace ?? 'ingress-nginx';
  check(problems, 'ingressControllerNamespace', ingressSourceNamespace,
    stringProblem(ingressSourceNamespace) ?? dns1123LabelProblem(ingressSourceNamespace), 'name the namespace the ingress controller runs in');
  const ingressSourcePodLabels = props.ingressControllerPodLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx' };
  checkLabels(problems, 'ingressControllerPodLabels', ingressSourcePodLabels);

  const credentials = resolveCredentials(props.credentials, problems);
  const egress = resolveEgress(props, problems);
  const operatorUsers = resolveSubjects(problems, 'operatorUsers', props.operatorUsers);
  const operatorGroups = resolveSubjects(problems, 'operatorGroups', props.operatorGroups);

  problems.throwIfAny(subject);

  const labels = recommendedLabels(name, tag);
  return {
    name,
    namespace: namespace!,
    labels,
    selector: selectorLabels(labels),
    image,
    port,
    servicePort: 80,
    readinessPath,
    livenessPath,
    startupFailureThreshold: Math.ceil(startupTimeout / STARTUP_PERIOD_SECONDS),
    startupPeriodSeconds: STARTUP_PERIOD_SECONDS,
    resources,
    tmpSizeLimit,
    replicas,
    runAsUser,
    host,
    tls,
    ingressClassName,
    ingressAnnotations,
    ingressSourceNamespace,
    ingressSourcePodLabels: { ...ingressSourcePodLabels },
    credentials,
    egress,
    operatorUsers,
    operatorGroups,
  };
}

function check(problems: Problems, prop: string, value: unknown, problem: string | undefined, fix: string): void {
  if (problem) {
    problems.add(prop, value, problem, fix);
  }
}

function stringProblem(value: unknown): string | undefined {
  return typeof value === 'string' ? undefined : 'must be a string';
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
    problems.add('namespace', undefined, 'is not set and the enclosing Chart has no namespace',
      'set the namespace prop, or create the Chart with { namespace: "trading" }');
    return undefined;
  }
  const problem = stringProblem(namespace) ?? dns1123LabelProblem(namespace);
  if (problem) {
    problems.add('namespace', namespace, problem, 'use a lower-case RFC 1123 label such as "trading"');
  } else if (SYSTEM_NAMESPACES.includes(namespace)) {
    problems.add('namespace', namespace, 'is a shared system namespace',
      'give the service a namespace of its own, such as "trading"; its NetworkPolicies, RBAC and audit rules are scoped to it');
  }
  return namespace;
}

function resolveImage(props: SecureTradingApiProps, problems: Problems): { image: string; tag?: string } {
  const image = props.image;
  const pinFix = `pin the image by digest: "${typeof image === 'string' ? image.split('@')[0] : 'repo:tag'}@sha256:<64 hex>" ` +
    '(find it with `crane digest <image>` or `docker buildx imagetools inspect <image>`)';
  const parsed = parseImage(image);
  if (!parsed.reference) {
    problems.add('image', image, parsed.problem!, pinFix);
    return { image };
  }
  const { tag, digest } = parsed.reference;
  if (digest) {
    return { image, tag };
  }
  if (tag === undefined || tag === 'latest') {
    problems.add('image', image, tag === undefined ? 'has neither tag nor digest, so it means ":latest"' : 'uses the mutable ":latest" tag',
      pinFix + (props.allowUnpinnedImage ? '; allowUnpinnedImage accepts a fixed tag, never ":latest"' : ''));
  } else if (!props.allowUnpinnedImage) {
    problems.add('image', image, 'is pinned by tag only; a tag can be moved to other code after review',
      `${pinFix}, or set allowUnpinnedImage: true to accept the tag knowingly`);
  }
  return { image, tag };
}

function resolveResources(props: SecureTradingApiProps, problems: Problems): ResolvedResources {
  const given = props.resources ?? {};
  const merged = { ...DEFAULT_RESOURCES, ...dropUndefined(given) };
  const pairs: Array<[string, keyof typeof DEFAULT_RESOURCES, keyof typeof DEFAULT_RESOURCES]> = [
    ['cpu', 'cpuRequest', 'cpuLimit'],
    ['memory', 'memoryRequest', 'memoryLimit'],
    ['ephemeral-storage', 'ephemeralStorageRequest', 'ephemeralStorageLimit'],
  ];
  const requests: { [k: string]: string } = {};
  const limits: { [k: string]: string } = {};
  for (const [resource, requestKey, limitKey] of pairs) {
    const request = merged[requestKey];
    const limit = merged[limitKey];
    const requestValue = parseQuantity(request);
    const limitValue = parseQuantity(limit);
    if (requestValue === undefined || requestValue <= 0) {
      problems.add(`resources.${requestKey}`, request, 'is not a positive Kubernetes quantity', `write it like "${DEFAULT_RESOURCES[requestKey]}"`);
    }
    if (limitValue === undefined || limitValue <= 0) {
      problems.add(`resources.${limitKey}`, limit, 'is not a positive Kubernetes quantity', `write it like "${DEFAULT_RESOURCES[limitKey]}"`);
    }
    if (requestValue !== undefined && limitValue !== undefined && requestValue > limitValue) {
      problems.add(`resources.${requestKey}`, request, `exceeds resources.${limitKey} (${limit}); Kubernetes rejects such a pod`,
        `lower resources.${requestKey} or raise resources.${limitKey}`);
    }
    requests[resource] = request;
    limits[resource] = limit;
  }
  return { requests, limits };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function resolveTls(tls: TlsCertificate | undefined, name: string, problems: Problems): ResolvedTls {
  if (!(tls instanceof TlsCertificate)) {
    problems.add('tls', tls, 'is required: the Ingress serves HTTPS only',
      'pass TlsCertificate.fromSecret("<tls secret>"), TlsCertificate.fromCertManagerIssuer("<issuer>") or TlsCertificate.fromCertManagerClusterIssuer("<issuer>")');
    return { secretName: `${name}-tls`, annotations: {} };
  }
  const nameProblem = stringProblem(tls.name) ?? dns1123SubdomainProblem(tls.name);
  switch (tls.source) {
    case TlsCertificateSource.EXISTING_SECRET:
      check(problems, 'tls (secret name)', tls.name, nameProblem, 'name an existing kubernetes.io/tls Secret in the namespace');
      return { secretName: tls.name, annotations: {} };
    case TlsCertificateSource.CERT_MANAGER_ISSUER:
      check(problems, 'tls (issuer name)', tls.name, nameProblem, 'name a cert-manager Issuer in the namespace');
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/issuer': tls.name } };
    default:
      check(problems, 'tls (cluster issuer name)', tls.name, nameProblem, 'name a cert-manager ClusterIssuer');
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/cluster-issuer': tls.name } };
  }
}

function resolveIngressAnnotations(
  props: SecureTradingApiProps,
  ingressClassName: string,
  tls: ResolvedTls,
  problems: Problems,
): { [key: string]: string } {
  const rps = props.requestsPerSecond ?? 20;
  check(problems, 'requestsPerSecond', rps, integerProblem(rps, 1, 100000), 'use a whole number of requests per second per client, from 1');
  if (props.requestsPerSecond !== undefined && ingressClassName !== 'nginx') {
    problems.add('requestsPerSecond', props.requestsPerSecond, `has no effect with ingressClassName "${ingressClassName}"`,
      'rate-limit in your ingress controller\'s own way, and leave requestsPerSecond unset');
  }
  const controller: { [key: string]: string } = ingressClassName === 'nginx'
    ? {
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/limit-rps': String(rps),
    }
    : {};
  const extra = props.ingressAnnotations ?? {};
  for (const [key, value] of Object.entries(extra)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      problems.add('ingressAnnotations', key, keyProblem.replace('label key', 'annotation key'), 'use a valid annotation key such as "example.com/owner"');
    }
    if (/-snippets?$/.test(key)) {
      problems.add('ingressAnnotations', key, 'is a snippet annotation: it injects raw controller configuration (CVE-2025-1974 family)',
        'remove it; express the need with a supported, non-snippet annotation');
    }
    if (typeof value !== 'string') {
      problems.add(`ingressAnnotations["${key}"]`, value, 'must be a string', 'quote the value');
    }
    if (key.startsWith('cert-manager.io/') || key in controller) {
      problems.add('ingressAnnotations', key, 'is set by the library from other props and would be overridden',
        key.startsWith('cert-manager') ? 'choose the issuer with the tls prop' : 'use the corresponding prop (requestsPerSecond)');
    }
  }
  return { ...extra, ...controller, ...tls.annotations };
}

function resolveCredentials(credentials: ExchangeCredentials[] | undefined, problems: Problems): ResolvedCredential[] {
  if (!Array.isArray(credentials) || credentials.length === 0) {
    problems.add('credentials', credentials, 'must list at least one Secret',
      'pass credentials: [ExchangeCredentials.fromSecret("<secret holding the exchange API key>")]');
    return [];
  }
  const seen = new Set<string>();
  const resolved: ResolvedCredential[] = [];
  credentials.forEach((credential, index) => {
    const prop = `credentials[${index}]`;
    if (!(credential instanceof ExchangeCredentials)) {
      problems.add(prop, credential, 'is not an ExchangeCredentials', 'create it with ExchangeCredentials.fromSecret("<secret name>")');
      return;
    }
    const secretName = credential.secretName;
    const nameProblem = stringProblem(secretName) ?? dns1123SubdomainProblem(secretName);
    if (nameProblem) {
      problems.add(`${prop}.secretName`, secretName, nameProblem, 'name an existing Secret in the namespace, such as "binance-api-key"');
      return;
    }
    if (seen.has(secretName)) {
      problems.add(`${prop}.secretName`, secretName, 'is listed twice', 'list each Secret once; use keys to choose which of its keys to mount');
      return;
    }
    seen.add(secretName);
    if (credential.keys !== undefined) {
      if (credential.keys.length === 0) {
        problems.add(`${prop}.keys`, credential.keys, 'is empty, which would mount nothing', 'list the keys to mount, or leave keys out to mount them all');
      }
      const keySet = new Set<string>();
      for (const key of credential.keys) {
        const keyProblem = stringProblem(key) ?? secretKeyProblem(key);
        if (keyProblem) {
          problems.add(`${prop}.keys`, key, keyProblem, 'use the Secret data key exactly as stored, such as "api-key"');
        } else if (keySet.has(key)) {
          problems.add(`${prop}.keys`, key, 'is listed twice', 'list each key once');
        }
        keySet.add(key);
      }
    }
    resolved.push({
      secretName,
      keys: credential.keys ? [...credential.keys] : undefined,
      volumeName: `credentials-${index}`,
      mountPath: `${CREDENTIALS_ROOT}/${secretName}`,
    });
  });
  return resolved;
}

function resolveEgress(props: SecureTradingApiProps, problems: Problems): ResolvedEndpoint[] {
  const endpoints = props.exchangeEndpoints ?? [];
  if (!Array.isArray(endpoints)) {
    problems.add('exchangeEndpoints', endpoints, 'must be a list', 'pass [{ cidr: "203.0.113.0/24", port: 443 }]');
    return [];
  }
  const resolved: ResolvedEndpoint[] = [];
  const seen = new Set<string>();
  endpoints.forEach((endpoint, index) => {
    const prop = `exchangeEndpoints[${index}]`;
    if (endpoint === null || typeof endpoint !== 'object') {
      problems.add(prop, endpoint, 'must be an object', 'pass { cidr: "203.0.113.0/24", port: 443 }');
      return;
    }
    const parsed = parseCidr(endpoint.cidr);
    const port = endpoint.port ?? 443;
    check(problems, `${prop}.port`, port, integerProblem(port, 1, 65535), 'use a TCP port from 1 to 65535, usually 443');
    if (!parsed.cidr) {
      problems.add(`${prop}.cidr`, endpoint.cidr, parsed.problem!, 'write a CIDR block such as "203.0.113.0/24" or "2001:db8::/48"');
      return;
    }
    const { family, prefixLength, canonical } = parsed.cidr;
    if (prefixLength < MIN_UNRESTRICTED_PREFIX[family] && !props.allowUnrestrictedEgress) {
      problems.add(`${prop}.cidr`, endpoint.cidr,
        `allows egress to ${prefixLength === 0 ? 'every address' : `a /${prefixLength} block`}; a pod holding keys could send them anywhere`,
        `list the exchange's published ranges (narrower than /${MIN_UNRESTRICTED_PREFIX[family]}), or set allowUnrestrictedEgress: true if an egress firewall outside the cluster restricts it`);
    }
    const key = `${canonical}:${port}`;
    if (seen.has(key)) {
      problems.add(prop, endpoint, 'repeats an earlier endpoint', 'list each cidr and port once');
      return;
    }
    seen.add(key);
    resolved.push({ cidr: canonical, port });
  });
  return resolved;
}

function resolveSubjects(problems: Problems, prop: string, subjects: string[] | undefined): string[] {
  if (subjects === undefined) {
    return [];
  }
  if (!Array.isArray(subjects)) {
    problems.add(prop, subjects, 'must be a list of names', `pass ${prop}: ["oncall@example.com"]`);
    return [];
  }
  const seen = new Set<string>();
  subjects.forEach((subject, index) => {
    if (typeof subject !== 'string' || subject.trim() === '' || subject !== subject.trim()) {
      problems.add(`${prop}[${index}]`, subject, 'must be a non-empty name without surrounding spaces', 'use the name your authenticator reports');
    } else if (subject.startsWith('system:')) {
      problems.add(`${prop}[${index}]`, subject, 'is a system identity; binding it would grant the operator Role to Kubernetes components or every authenticated user',
        'bind named humans or their groups');
    } else if (seen.has(subject)) {
      problems.add(`${prop}[${index}]`, subject, 'is listed twice', 'list each subject once');
    }
    seen.add(subject);
  });
  return [...subjects];
}

/** Checks a pod selector: a non-empty map of valid label keys and values. */
function checkLabels(problems: Problems, prop: string, labels: { [key: string]: string }): void {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    problems.add(prop, labels, 'must be a map of label keys to values', `pass ${prop}: { "app.kubernetes.io/name": "ingress-nginx" }`);
    return;
  }
  if (Object.keys(labels).length === 0) {
    problems.add(prop, labels, 'is empty, which would admit every pod of the namespace', 'give labels that select only the ingress controller\'s pods');
  }
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(value) : 'label values must be strings');
    if (problem) {
      problems.add(prop, { [key]: value }, problem, 'use valid Kubernetes label keys and values');
    }
  }
}
