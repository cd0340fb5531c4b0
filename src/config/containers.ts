/**
 * The containers' props: the literal environment and command line every container may be given, and
 * the extra containers (sidecars, init containers), each resolved to the same hardened shape as the
 * API container: the same image pinning, resources, probes and a `/tmp` of its own.
 */
import { looksLikeCredentialText } from '../credential-patterns';
import { envCredentialProblem, envNameProblem, processTextProblem } from '../env-vars';
import { parseQuantity } from '../quantity';
import { dns1123LabelProblem, httpPathProblem, httpRequestKey, integerProblem, Problems, yamlTypeProblem } from '../validate';
import { booleanProblem, check, listOf, ownProps, stringMap, stringProblem } from './common';
import { pinnedImage, positiveQuantity, ResolvedResources, resolveResources, STARTUP_PERIOD_SECONDS } from './workload';

/** The name of the API container: no extra container may take it. */
export const API_CONTAINER_NAME = 'api';
/** The most sidecars, and the most init containers, a pod may have. */
export const MAX_EXTRA_CONTAINERS = 10;

const CREDENTIAL_FIX = 'put it in a credential Secret (credentials prop), mounted as a file, and give the app the file\'s path '
  + '(for example API_KEY_FILE=/var/run/secrets/trading/<secret>/<key>)';

/** One literal environment variable. */
export interface ResolvedEnvVar {
  readonly name: string;
  readonly value: string;
}

/** An extra container, as the pod runs it. */
export interface ResolvedExtraContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: ResolvedEnvVar[];
  readonly resources: ResolvedResources;
  readonly tmpSizeLimit: string;
  /** The name of the container's own `/tmp` emptyDir. */
  readonly tmpVolumeName: string;
  readonly mountCredentials: boolean;
}

/** A sidecar: an extra container with a port and probes. */
export interface ResolvedSidecar extends ResolvedExtraContainer {
  readonly port: number;
  readonly portName: string;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupFailureThreshold: number;
}

/** What the workload needs to build the extra containers. */
export interface ResolvedContainers {
  readonly sidecars: ResolvedSidecar[];
  readonly initContainers: ResolvedExtraContainer[];
}

const INIT_KEYS = ['name', 'image', 'command', 'args', 'env', 'resources', 'tmpSizeLimit', 'mountCredentials'];
const SIDECAR_KEYS = [...INIT_KEYS, 'port', 'readinessPath', 'livenessPath', 'startupTimeoutSeconds'];

/**
 * Literal, non-secret environment variables (`env` of the API container or of an extra container),
 * in the order given.
 */
export function resolveEnv(problems: Problems, prop: string, value: unknown): ResolvedEnvVar[] {
  if (value === undefined) {
    return [];
  }
  const given = stringMap(problems, prop, value, '{ LOG_LEVEL: "info" }') ?? {};
  const seen = new Map<string, string>();
  const env: ResolvedEnvVar[] = [];
  for (const [name, text] of Object.entries(given)) {
    const entry = `${prop}["${name}"]`;
    const nameProblem = envNameProblem(name);
    if (nameProblem) {
      problems.add(entry, name, nameProblem, 'use an upper-case identifier such as "LOG_LEVEL"');
      continue;
    }
    const other = seen.get(name.toUpperCase());
    if (other !== undefined) {
      problems.add(entry, name, `differs from ${JSON.stringify(other)} only in case`, 'give each variable one name');
    }
    seen.set(name.toUpperCase(), name);
    check(problems, entry, text, envCredentialProblem(name, text), CREDENTIAL_FIX);
    check(problems, entry, text, processTextProblem(text),
      'write the value so that it cannot be read as another type (for example "true" instead of "on", a decimal instead of "0o17"), or without the NUL');
    env.push({ name, value: text });
  }
  return env;
}

/**
 * A `command` or `args` list: strings without NUL or key material, none read as another type by
 * kubectl; a command must name an executable (its first item is not empty).
 */
export function resolveTextList(problems: Problems, prop: string, value: unknown, isCommand: boolean): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const items = listOf(problems, prop, value, isCommand ? '["/app/gateway", "--config", "/etc/gateway/config.yaml"]' : '["--log-level", "info"]');
  if (!items) {
    return undefined;
  }
  if (isCommand && (items.length === 0 || items[0] === '')) {
    problems.add(prop, value, items.length === 0 ? 'is empty, which would mean the image\'s entrypoint' : 'starts with an empty executable name',
      'name the executable first, or leave command out to run the image\'s entrypoint');
  }
  items.forEach((item, index) => {
    const entry = `${prop}[${index}]`;
    const problem = stringProblem(item) ?? processTextProblem(item as string);
    if (problem) {
      problems.add(entry, item, problem, 'pass each argument as a plain string');
    } else if (looksLikeCredentialText(item as string)) {
      problems.add(entry, item, 'looks like key material; arguments are visible in `ps`, /proc/<pid>/cmdline and the manifest',
        `${CREDENTIAL_FIX}; pass the path as the argument`);
    }
  });
  return items as string[];
}

/**
 * The sidecars and init containers. `usedPorts` are the pod's other container ports (the API port):
 * a sidecar port must differ from each.
 */
export function resolveContainers(
  props: { sidecars?: unknown; initContainers?: unknown; allowUnpinnedImage?: unknown },
  problems: Problems,
  usedPorts: readonly number[],
): ResolvedContainers {
  const allowUnpinned = props.allowUnpinnedImage === true;
  const names = new Set<string>([API_CONTAINER_NAME]);
  const ports = new Set<number>(usedPorts);
  const initContainers = extraList(problems, 'initContainers', props.initContainers, INIT_KEYS).map(([prop, fields], index) =>
    resolveExtra(problems, prop, fields, `init-${index}-tmp`, allowUnpinned, names));
  const sidecars = extraList(problems, 'sidecars', props.sidecars, SIDECAR_KEYS).map(([prop, fields], index) =>
    resolveProbes(problems, prop, fields, resolveExtra(problems, prop, fields, `sidecar-${index}-tmp`, allowUnpinned, names), `sidecar-${index}`, ports));
  return { sidecars, initContainers };
}

type Fields = { [key: string]: any };

/** Each item's own, known fields (read as `ownProps` does), with the prop that names it. */
function extraList(problems: Problems, prop: string, value: unknown, known: string[]): Array<[string, Fields]> {
  if (value === undefined) {
    return [];
  }
  const items = listOf(problems, prop, value, '[{ name: "log-shipper", image: "repo/image:1.0@sha256:<64 hex>", port: 9090 }]') ?? [];
  if (items.length > MAX_EXTRA_CONTAINERS) {
    problems.add(prop, `${items.length} containers`, `lists more than ${MAX_EXTRA_CONTAINERS} containers`, 'combine helpers; every container adds attack surface');
    return [];
  }
  const out: Array<[string, Fields]> = [];
  items.forEach((item, index) => {
    const fields = ownProps<Fields>(problems, `${prop}[${index}]`, item, known, '{ name: "helper", image: "repo/image:1.0@sha256:<64 hex>" }');
    if (fields) {
      out.push([`${prop}[${index}]`, fields]);
    }
  });
  return out;
}

function resolveExtra(
  problems: Problems, prop: string, c: Fields, tmpVolumeName: string, allowUnpinned: boolean, names: Set<string>,
): ResolvedExtraContainer {
  const name = c.name;
  const nameProblem = name === undefined ? 'is required' : stringProblem(name) ?? dns1123LabelProblem(name) ?? yamlTypeProblem(name);
  if (nameProblem) {
    problems.add(`${prop}.name`, name, nameProblem, 'name the container with a lower-case RFC 1123 label such as "log-shipper"');
  } else if (names.has(name)) {
    problems.add(`${prop}.name`, name, name === API_CONTAINER_NAME ? 'is the API container\'s name' : 'is the name of another container of the pod',
      'give every container of the pod a name of its own');
  }
  names.add(name);
  if (c.image === undefined) {
    problems.add(`${prop}.image`, undefined, 'is required', 'give the image pinned by digest: "repo:tag@sha256:<64 hex>"');
  } else {
    pinnedImage(problems, `${prop}.image`, c.image, allowUnpinned);
  }
  const resources = resolveResources(problems, `${prop}.resources`, c.resources);
  const tmpSizeLimit = c.tmpSizeLimit ?? '64Mi';
  const tmp = positiveQuantity(problems, `${prop}.tmpSizeLimit`, tmpSizeLimit, '64Mi', true);
  const storageLimit = parseQuantity(resources.limits['ephemeral-storage']);
  if (tmp && storageLimit && tmp.nanos > storageLimit.nanos) {
    problems.add(`${prop}.tmpSizeLimit`, tmpSizeLimit, `exceeds the container's ephemeral-storage limit ${resources.limits['ephemeral-storage']}`,
      `lower ${prop}.tmpSizeLimit or raise ${prop}.resources.ephemeralStorageLimit`);
  }
  const mountCredentials = c.mountCredentials ?? false;
  check(problems, `${prop}.mountCredentials`, mountCredentials, booleanProblem(mountCredentials), 'pass true or false');
  return {
    name,
    image: c.image,
    command: resolveTextList(problems, `${prop}.command`, c.command, true),
    args: resolveTextList(problems, `${prop}.args`, c.args, false),
    env: resolveEnv(problems, `${prop}.env`, c.env),
    resources,
    tmpSizeLimit,
    tmpVolumeName,
    mountCredentials: mountCredentials === true,
  };
}

function resolveProbes(
  problems: Problems, prop: string, raw: Fields, base: ResolvedExtraContainer, portName: string, ports: Set<number>,
): ResolvedSidecar {
  const port = raw.port as number;
  const portProblem = port === undefined ? undefined : integerProblem(port, 1025, 65535);
  if (port === undefined) {
    problems.add(`${prop}.port`, undefined, 'is required: every long-running container is probed for readiness, liveness and startup on a named port (guard rule POD-PROBES)',
      'give the port where the sidecar answers readinessPath and livenessPath over HTTP; a helper that only runs once and exits is an init container (initContainers)');
  } else if (portProblem) {
    problems.add(`${prop}.port`, port, portProblem, 'use an unprivileged port from 1025 to 65535 (the container has no capability to bind below 1024)');
  } else if (ports.has(port)) {
    problems.add(`${prop}.port`, port, 'is already the port of another container of the pod', 'give each container a port of its own');
  }
  ports.add(port);
  const readinessPath = (raw.readinessPath ?? '/readyz') as string;
  const livenessPath = (raw.livenessPath ?? '/livez') as string;
  check(problems, `${prop}.readinessPath`, readinessPath, stringProblem(readinessPath) ?? httpPathProblem(readinessPath), 'use an absolute HTTP path such as "/readyz"');
  check(problems, `${prop}.livenessPath`, livenessPath, stringProblem(livenessPath) ?? httpPathProblem(livenessPath), 'use an absolute HTTP path such as "/livez"');
  if (typeof readinessPath === 'string' && typeof livenessPath === 'string' && httpRequestKey(readinessPath) === httpRequestKey(livenessPath)) {
    problems.add(`${prop}.livenessPath`, livenessPath, `asks the same request as readinessPath ("${readinessPath}"); identical probes restart containers that are only temporarily unready`,
      'serve liveness and readiness on different paths (for example "/livez" and "/readyz")');
  }
  const startupTimeout = (raw.startupTimeoutSeconds ?? 60) as number;
  check(problems, `${prop}.startupTimeoutSeconds`, startupTimeout, integerProblem(startupTimeout, STARTUP_PERIOD_SECONDS, 3600),
    `give the time the sidecar may take to start, in seconds, from ${STARTUP_PERIOD_SECONDS} to 3600`);
  return {
    ...base,
    port,
    portName,
    readinessPath,
    livenessPath,
    startupFailureThreshold: Math.ceil(startupTimeout / STARTUP_PERIOD_SECONDS),
  };
}
