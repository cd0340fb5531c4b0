/**
 * The workload's props: image, port, probes, replicas, the pod's user, resources and scheduling.
 */
import { parseImage } from '../image';
import { SecureTradingApiProps } from '../props';
import { isWhole, parseQuantity, Quantity } from '../quantity';
import { dns1123SubdomainProblem, httpPathProblem, httpRequestKey, integerProblem, Problems } from '../validate';
import { booleanProblem, check, ownProps, stringProblem } from './common';

/** The container port's name; probes, the Service and the Ingress refer to it by name. */
export const PORT_NAME = 'http';
/** How often a startup probe polls; the startup timeout is a whole number of these periods. */
export const STARTUP_PERIOD_SECONDS = 5;

/** Requests and limits keyed the way Kubernetes keys them. */
export interface ResolvedResources {
  readonly requests: { [resource: string]: string };
  readonly limits: { [resource: string]: string };
}

/** What the workload part needs. */
export interface ResolvedWorkload {
  readonly image: string;
  /** The image tag, when there is one (used as the `app.kubernetes.io/version` label). */
  readonly imageTag?: string;
  readonly port: number;
  readonly servicePort: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupFailureThreshold: number;
  readonly startupPeriodSeconds: number;
  readonly resources: ResolvedResources;
  readonly tmpSizeLimit: string;
  readonly replicas: number;
  /** At most one pod at any time: a StatefulSet of one replica. */
  readonly singleton: boolean;
  readonly runAsUser: number;
  readonly priorityClassName?: string;
  /** The visible opt-out of digest pinning was set. */
  readonly allowUnpinnedImage: boolean;
}

const DEFAULT_RESOURCES = {
  cpuRequest: '100m',
  cpuLimit: '500m',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
  ephemeralStorageRequest: '64Mi',
  ephemeralStorageLimit: '256Mi',
};
const RESOURCE_KEYS = Object.keys(DEFAULT_RESOURCES);

/** Resolves the workload's props. */
export function resolveWorkload(props: SecureTradingApiProps, problems: Problems): ResolvedWorkload {
  const { image, tag } = resolveImage(props, problems);

  const port = props.port ?? 8080;
  check(problems, 'port', port, integerProblem(port, 1025, 65535),
    'use an unprivileged port from 1025 to 65535 (the container has no capability to bind below 1024)');

  const readinessPath = props.readinessPath ?? '/readyz';
  const livenessPath = props.livenessPath ?? '/livez';
  check(problems, 'readinessPath', readinessPath, stringProblem(readinessPath) ?? httpPathProblem(readinessPath), 'use an absolute HTTP path such as "/readyz"');
  check(problems, 'livenessPath', livenessPath, stringProblem(livenessPath) ?? httpPathProblem(livenessPath), 'use an absolute HTTP path such as "/livez"');
  if (typeof readinessPath === 'string' && typeof livenessPath === 'string' && httpRequestKey(readinessPath) === httpRequestKey(livenessPath)) {
    problems.add('livenessPath', livenessPath, `asks the same request as readinessPath ("${readinessPath}"); identical probes restart pods that are only temporarily unready`,
      'serve liveness and readiness on different paths (for example "/livez" and "/readyz")');
  }

  const givenStartupTimeout = props.startupTimeoutSeconds ?? 60;
  const startupProblem = integerProblem(givenStartupTimeout, STARTUP_PERIOD_SECONDS, 3600);
  check(problems, 'startupTimeoutSeconds', givenStartupTimeout, startupProblem,
    `give the time a pod may take to start, in seconds, from ${STARTUP_PERIOD_SECONDS} to 3600`);
  // A refused value may not even be a number: nothing is computed from it (the problem list is the answer).
  const startupTimeout = startupProblem ? 60 : givenStartupTimeout;

  const singleton = props.singleton ?? false;
  check(problems, 'singleton', singleton, booleanProblem(singleton), 'pass true or false');
  const replicas = props.replicas ?? (singleton === true ? 1 : 2);
  check(problems, 'replicas', replicas, integerProblem(replicas, 1, 1000), 'use a whole number from 1 to 1000 (2 or more for availability)');
  if (singleton === true && replicas !== 1 && typeof replicas === 'number') {
    problems.add('replicas', replicas, 'contradicts singleton: true, which runs at most one pod',
      'leave replicas out (or 1) for a singleton, or set singleton: false to run several interchangeable pods');
  }

  const runAsUser = props.runAsUser ?? 10001;
  check(problems, 'runAsUser', runAsUser, integerProblem(runAsUser, 10000, 2147483647),
    'use a uid of 10000 or more (the image must not need root), such as the default 10001');

  const resources = resolveResources(problems, 'resources', props.resources);
  const tmpSizeLimit = props.tmpSizeLimit ?? '64Mi';
  const tmp = positiveQuantity(problems, 'tmpSizeLimit', tmpSizeLimit, '64Mi', true);
  const storageLimit = parseQuantity(resources.limits['ephemeral-storage']);
  if (tmp && storageLimit && tmp.nanos > storageLimit.nanos) {
    problems.add('tmpSizeLimit', tmpSizeLimit, `exceeds the ephemeral-storage limit ${resources.limits['ephemeral-storage']}`,
      'lower tmpSizeLimit or raise resources.ephemeralStorageLimit');
  }

  const priorityClassName = props.priorityClassName;
  if (priorityClassName !== undefined) {
    check(problems, 'priorityClassName', priorityClassName, stringProblem(priorityClassName) ?? dns1123SubdomainProblem(priorityClassName),
      'name a PriorityClass of the cluster, such as "trading-critical"');
  }

  return {
    image,
    imageTag: tag,
    port,
    servicePort: 80,
    readinessPath,
    livenessPath,
    startupFailureThreshold: Math.ceil(startupTimeout / STARTUP_PERIOD_SECONDS),
    startupPeriodSeconds: STARTUP_PERIOD_SECONDS,
    resources,
    tmpSizeLimit,
    replicas,
    singleton: singleton === true,
    runAsUser,
    priorityClassName,
    allowUnpinnedImage: props.allowUnpinnedImage === true,
  };
}

function resolveImage(props: SecureTradingApiProps, problems: Problems): { image: string; tag?: string } {
  const optIn = props.allowUnpinnedImage ?? false;
  check(problems, 'allowUnpinnedImage', optIn, booleanProblem(optIn), 'pass true or false');
  return pinnedImage(problems, 'image', props.image, optIn === true);
}

/**
 * An image pinned by digest, or by a fixed tag with the service's `allowUnpinnedImage` (never
 * `:latest`): the rule of the API container's image, shared by every container of the pod.
 */
export function pinnedImage(problems: Problems, prop: string, image: string, allowUnpinned: boolean): { image: string; tag?: string } {
  const pinFix = `pin the image by digest: "${typeof image === 'string' ? image.split('@')[0] : 'repo:tag'}@sha256:<64 hex>" ` +
    '(find it with `crane digest <image>` or `docker buildx imagetools inspect <image>`)';
  const parsed = parseImage(image);
  if (!parsed.reference) {
    problems.add(prop, image, parsed.problem!, pinFix);
    return { image };
  }
  const { tag, digest } = parsed.reference;
  if (digest) {
    return { image, tag };
  }
  if (tag === undefined || tag === 'latest') {
    problems.add(prop, image, tag === undefined ? 'has neither tag nor digest, so it means ":latest"' : 'uses the mutable ":latest" tag',
      pinFix + (allowUnpinned ? '; allowUnpinnedImage accepts a fixed tag, never ":latest"' : ''));
  } else if (!allowUnpinned) {
    problems.add(prop, image, 'is pinned by tag only; a tag can be moved to other code after review',
      `${pinFix}, or set allowUnpinnedImage: true to accept the tag knowingly`);
  }
  return { image, tag };
}

/**
 * A positive quantity, or undefined with a problem recorded. `bytes` refuses fractions of a byte:
 * `500m` of memory is half a byte, almost always a typo for `500Mi`.
 */
export function positiveQuantity(problems: Problems, prop: string, text: unknown, example: string, bytes: boolean): Quantity | undefined {
  const quantity = parseQuantity(text);
  if (!quantity || quantity.nanos <= 0n) {
    problems.add(prop, text, 'is not a positive Kubernetes quantity', `write it like "${example}"`);
    return undefined;
  }
  if (bytes && !isWhole(quantity)) {
    problems.add(prop, text, 'is a fraction of a byte (the "m" suffix means thousandths, not mega)',
      `write bytes with a binary suffix, such as "${example}"`);
    return undefined;
  }
  return quantity;
}

/** Requests and limits from a {@link ResourceRequirements} (any field left out takes its default); `prop` names it in errors. */
export function resolveResources(problems: Problems, prop: string, value: unknown): ResolvedResources {
  const given = value === undefined ? {} : ownProps<typeof DEFAULT_RESOURCES>(problems, prop, value, RESOURCE_KEYS,
    '{ cpuLimit: "1", memoryLimit: "512Mi" }') ?? {};
  const merged = { ...DEFAULT_RESOURCES, ...given };
  const pairs: Array<[string, keyof typeof DEFAULT_RESOURCES, keyof typeof DEFAULT_RESOURCES, boolean]> = [
    ['cpu', 'cpuRequest', 'cpuLimit', false],
    ['memory', 'memoryRequest', 'memoryLimit', true],
    ['ephemeral-storage', 'ephemeralStorageRequest', 'ephemeralStorageLimit', true],
  ];
  const requests: { [k: string]: string } = {};
  const limits: { [k: string]: string } = {};
  for (const [resource, requestKey, limitKey, bytes] of pairs) {
    const request = merged[requestKey];
    const limit = merged[limitKey];
    const requestValue = positiveQuantity(problems, `${prop}.${requestKey}`, request, DEFAULT_RESOURCES[requestKey], bytes);
    const limitValue = positiveQuantity(problems, `${prop}.${limitKey}`, limit, DEFAULT_RESOURCES[limitKey], bytes);
    if (requestValue && limitValue && requestValue.nanos > limitValue.nanos) {
      problems.add(`${prop}.${requestKey}`, request, `exceeds ${prop}.${limitKey} (${limit}); Kubernetes rejects such a pod`,
        `lower ${prop}.${requestKey} or raise ${prop}.${limitKey}`);
    }
    requests[resource] = request;
    limits[resource] = limit;
  }
  return { requests, limits };
}
