/**
 * The pod template's extras: the API container's literal environment, ConfigMaps (as environment
 * and as files), command line, image pull Secrets, and the pod's own labels and annotations.
 */
import { annotationDomain, annotationKeyProblem, annotationsSizeProblem, LIBRARY_ANNOTATION_PREFIX } from '../annotations';
import { looksLikeCredentialText } from '../credential-patterns';
import { mountConflictProblem, mountPathProblem, SERVICE_ACCOUNT_TOKEN_DIR, TMP_DIR } from '../mount-paths';
import { SecureTradingApiProps } from '../props';
import { dns1123SubdomainProblem, labelKeyProblem, labelValueProblem, Problems, secretKeyProblem, yamlTypeProblem } from '../validate';
import { writtenYamlProblem } from '../yaml-strings';
import { check, listOf, ownProps, stringMap, stringProblem } from './common';
import { resolveEnv, ResolvedEnvVar, resolveTextList } from './containers';

/** ConfigMap files: owner root and the pod's group (its `fsGroup`) may read, nobody writes. */
export const CONFIG_FILE_MODE = 0o440;

/** One ConfigMap mounted as files. */
export interface ResolvedConfigMapVolume {
  readonly configMapName: string;
  readonly mountPath: string;
  readonly keys?: string[];
  readonly volumeName: string;
}

/** What the pod template needs besides the workload's basics. */
export interface ResolvedPod {
  readonly env: ResolvedEnvVar[];
  readonly envFromConfigMaps: string[];
  readonly configMapVolumes: ResolvedConfigMapVolume[];
  readonly command?: string[];
  readonly args?: string[];
  readonly imagePullSecrets: string[];
  /** Extra labels of the pod template (never a key of the library's own labels). */
  readonly podLabels: { [key: string]: string };
  /** Extra annotations of the pod template. */
  readonly podAnnotations: { [key: string]: string };
}

/** Label and annotation domains reserved for Kubernetes components (the domain itself or a subdomain of it). */
const KUBERNETES_DOMAINS = ['kubernetes.io', 'k8s.io'];
/** Labels the library owns: the recommended `app.kubernetes.io/*` set (the selector among them), and its own prefix. */
const LIBRARY_LABEL_DOMAINS = ['app.kubernetes.io', 'secure-trading-api.io'];
/** Kubernetes annotations that only choose kubectl's defaults, and so change nothing in how the pod runs. */
const HARMLESS_KUBERNETES_ANNOTATIONS = ['kubectl.kubernetes.io/default-container', 'kubectl.kubernetes.io/default-logs-container'];
/** Domains of admission webhooks that inject containers or rewrite the pod (the library neither hardens nor checks what they add). */
const INJECTOR_DOMAINS = ['vault.hashicorp.com', 'istio.io', 'linkerd.io', 'dapr.io', 'admission.datadoghq.com'];

/**
 * Resolves the pod extras. `reservedPaths` are the directories a ConfigMap may not be mounted at,
 * above or inside besides `/tmp` and the service-account token directory: the credentials directory.
 */
export function resolvePod(props: SecureTradingApiProps, problems: Problems, reservedPaths: readonly string[]): ResolvedPod {
  const credentialSecrets = new Set(Array.isArray(props.credentials) ? props.credentials.map((c) => c?.secretName) : []);
  return {
    env: resolveEnv(problems, 'env', props.env),
    envFromConfigMaps: resolveNames(problems, 'envFromConfigMaps', props.envFromConfigMaps, 'ConfigMap', new Set()),
    configMapVolumes: resolveConfigMapVolumes(problems, props.configMapVolumes, [TMP_DIR, SERVICE_ACCOUNT_TOKEN_DIR, ...reservedPaths]),
    command: resolveTextList(problems, 'command', props.command, true),
    args: resolveTextList(problems, 'args', props.args, false),
    imagePullSecrets: resolveNames(problems, 'imagePullSecrets', props.imagePullSecrets, 'Secret', credentialSecrets),
    podLabels: resolvePodLabels(problems, props.podLabels),
    podAnnotations: resolvePodAnnotations(problems, props.podAnnotations),
  };
}

/** A list of object names in the namespace: RFC 1123 subdomains, each once, none of `refused`. */
function resolveNames(problems: Problems, prop: string, value: unknown, kind: string, refused: Set<unknown>): string[] {
  if (value === undefined) {
    return [];
  }
  const items = listOf(problems, prop, value, `["gateway-${kind === 'Secret' ? 'registry' : 'settings'}"]`) ?? [];
  const seen = new Set<string>();
  items.forEach((name, index) => {
    const entry = `${prop}[${index}]`;
    const problem = stringProblem(name) ?? dns1123SubdomainProblem(name as string) ?? yamlTypeProblem(name as string);
    if (problem) {
      problems.add(entry, name, problem, `name an existing ${kind} of the namespace, such as "gateway-${kind === 'Secret' ? 'registry' : 'settings'}"`);
    } else if (seen.has(name as string)) {
      problems.add(entry, name, 'is listed twice', `list each ${kind} once`);
    } else if (refused.has(name)) {
      problems.add(entry, name, 'is a credential Secret: the kubelet would read the exchange keys as registry credentials',
        'keep registry credentials in a Secret of their own (type kubernetes.io/dockerconfigjson)');
    }
    seen.add(name as string);
  });
  return items as string[];
}

function resolveConfigMapVolumes(problems: Problems, value: unknown, reserved: readonly string[]): ResolvedConfigMapVolume[] {
  if (value === undefined) {
    return [];
  }
  const items = listOf(problems, 'configMapVolumes', value, '[{ configMapName: "gateway-settings", mountPath: "/etc/gateway" }]') ?? [];
  const volumes: ResolvedConfigMapVolume[] = [];
  const mounted: string[] = [];
  items.forEach((item, index) => {
    const prop = `configMapVolumes[${index}]`;
    const v = ownProps<{ configMapName: string; mountPath: string; keys: string[] }>(problems, prop, item, ['configMapName', 'mountPath', 'keys'],
      '{ configMapName: "gateway-settings", mountPath: "/etc/gateway" }');
    if (!v) {
      return;
    }
    const name = v.configMapName;
    check(problems, `${prop}.configMapName`, name, name === undefined ? 'is required' : stringProblem(name) ?? dns1123SubdomainProblem(name) ?? yamlTypeProblem(name),
      'name an existing ConfigMap of the namespace, such as "gateway-settings"');
    const path = v.mountPath;
    const pathProblem = path === undefined ? 'is required' : stringProblem(path) ?? mountPathProblem(path) ?? mountConflictProblem(path, [...reserved, ...mounted]);
    check(problems, `${prop}.mountPath`, path, pathProblem,
      'mount it at a directory of its own outside /tmp and the credentials directory, such as "/etc/gateway"');
    if (!pathProblem) {
      mounted.push(path!);
    }
    volumes.push({ configMapName: name!, mountPath: path!, keys: v.keys === undefined ? undefined : resolveKeys(problems, `${prop}.keys`, v.keys), volumeName: `config-${index}` });
  });
  return volumes;
}

function resolveKeys(problems: Problems, prop: string, value: unknown): string[] {
  const keys = listOf(problems, prop, value, '["settings.yaml"]') ?? [];
  if (keys.length === 0) {
    problems.add(prop, value, 'is empty, which would mount nothing', 'list the keys to mount, or leave keys out to mount them all');
  }
  const seen = new Set<unknown>();
  for (const key of keys) {
    const problem = stringProblem(key) ?? secretKeyProblem(key as string);
    check(problems, prop, key, problem ?? (seen.has(key) ? 'is listed twice' : undefined), 'list each ConfigMap key once, exactly as stored, such as "settings.yaml"');
    seen.add(key);
  }
  return keys as string[];
}

/** Whether the key's domain (prefix before "/") is one of `domains` or a subdomain of one. */
function inDomain(key: string, domains: readonly string[]): string | undefined {
  const domain = annotationDomain(key);
  return domain === undefined ? undefined : domains.find((d) => domain === d || domain.endsWith(`.${d}`));
}

function resolvePodLabels(problems: Problems, value: unknown): { [key: string]: string } {
  if (value === undefined) {
    return {};
  }
  const labels = stringMap(problems, 'podLabels', value, '{ "example.com/team": "trading" }') ?? {};
  for (const [key, text] of Object.entries(labels)) {
    const prop = `podLabels["${key}"]`;
    const keyProblem = labelKeyProblem(key) ?? yamlTypeProblem(key);
    const library = inDomain(key, LIBRARY_LABEL_DOMAINS);
    const kubernetes = inDomain(key, KUBERNETES_DOMAINS);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use a label key such as "example.com/team"');
    } else if (library) {
      problems.add(prop, key, `is under ${library}/, whose labels the library sets (the recommended labels select the pods)`,
        'use a key under your own domain, such as "example.com/team"; set the name with the name prop');
    } else if (kubernetes) {
      problems.add(prop, key, `is under ${kubernetes}, a domain reserved for Kubernetes components`, 'use a key under your own domain, such as "example.com/team"');
    }
    check(problems, prop, text, labelValueProblem(text) ?? yamlTypeProblem(text), 'use a label value of at most 63 letters, digits, "-", "_" or "." that does not read as a number or boolean');
  }
  return labels;
}

function resolvePodAnnotations(problems: Problems, value: unknown): { [key: string]: string } {
  if (value === undefined) {
    return {};
  }
  const annotations = stringMap(problems, 'podAnnotations', value, '{ "example.com/owner": "trading" }') ?? {};
  for (const [key, text] of Object.entries(annotations)) {
    const prop = `podAnnotations["${key}"]`;
    const keyProblem = annotationKeyProblem(key) ?? yamlTypeProblem(key);
    const lower = key.toLowerCase();
    const kubernetes = inDomain(key, KUBERNETES_DOMAINS);
    const injector = inDomain(key, INJECTOR_DOMAINS);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use an annotation key such as "example.com/owner"');
    } else if (lower.startsWith(LIBRARY_ANNOTATION_PREFIX)) {
      problems.add(prop, key, `is under the library's own prefix ${LIBRARY_ANNOTATION_PREFIX}`, 'use a key under your own domain, such as "example.com/owner"');
    } else if (kubernetes && !HARMLESS_KUBERNETES_ANNOTATIONS.includes(lower)) {
      problems.add(prop, key, `is under ${kubernetes}: Kubernetes components read these, and some change how the pod runs (AppArmor, seccomp, eviction)`,
        `use a key under your own domain; of the Kubernetes annotations only ${HARMLESS_KUBERNETES_ANNOTATIONS.join(' and ')} are accepted`);
    } else if (injector) {
      problems.add(prop, key, `is under ${injector}, whose admission webhook injects containers the library neither hardens nor checks`,
        injector === 'vault.hashicorp.com' ? 'declare the keys with ExchangeCredentials.fromVaultAgent(...), which writes the injector\'s annotations itself and checks every value'
          : 'add helper containers with the sidecars and initContainers props, which harden them like the API container');
    }
    check(problems, prop, text, writtenYamlProblem(text), 'write the value so that it cannot be read as another type');
    if (looksLikeCredentialText(text)) {
      problems.add(prop, text, 'looks like key material; pod annotations are readable by everyone who can read the pods',
        'put it in a credential Secret (credentials prop), mounted as a file');
    }
  }
  check(problems, 'podAnnotations', '(all annotations of the pod)', annotationsSizeProblem(annotations), 'shorten the annotations');
  return annotations;
}
