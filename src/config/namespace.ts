/**
 * TradingNamespace props in, resolved namespace configuration out: the name, the quota, the limit
 * range and the Namespace's metadata, defaulted and validated once, before any object exists.
 */
import { EXPOSURE_QUOTA_KEYS, POD_SECURITY_MODES, POD_SECURITY_PREFIX } from '../guard/rules/namespace';
import { NamespaceLimitRange, NamespaceResourceQuota, TradingNamespaceProps } from '../namespace-props';
import { isWhole, parseQuantity, Quantity } from '../quantity';
import { dns1123LabelProblem, integerProblem, labelKeyProblem, labelValueProblem, Problems, SYSTEM_NAMESPACE, yamlTypeProblem } from '../validate';
import { check, ownProps, stringMap, stringProblem } from './common';

/** Every prop of TradingNamespaceProps; any other key is refused. */
export const KNOWN_NAMESPACE_PROPS: readonly string[] = ['name', 'resourceQuota', 'limitRange', 'labels', 'annotations'];

/**
 * The Pod Security Standards labels: `restricted` in every mode, at the `latest` policy version. The
 * library's pods meet the latest restricted profile (checked in CI with the admission library and a
 * real API server); a pinned version would freeze the namespace at an old profile until someone bumps
 * it by hand, and a new profile version only ever tightens.
 */
export const POD_SECURITY_LABELS: { readonly [key: string]: string } = Object.fromEntries(POD_SECURITY_MODES.flatMap((mode) => [
  [`${POD_SECURITY_PREFIX}${mode}`, 'restricted'],
  [`${POD_SECURITY_PREFIX}${mode}-version`, 'latest'],
]));

/** Set by the API server on every Namespace; a different value is refused by it. */
const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The largest quantity accepted, in nano-units: what the API server keeps as an int64 of milli-units. */
const MAX_NANOS = (2n ** 63n - 1n) * 1000000n;
/** The API server's limit on the total size of an object's annotations. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

/** Resource name, its quota and limit-range prop names, and whether it counts bytes. */
const RESOURCES = [
  { resource: 'cpu', quota: ['requestsCpu', 'limitsCpu'], range: ['defaultCpuRequest', 'defaultCpuLimit', 'maxCpu'], bytes: false },
  { resource: 'memory', quota: ['requestsMemory', 'limitsMemory'], range: ['defaultMemoryRequest', 'defaultMemoryLimit', 'maxMemory'], bytes: true },
  {
    resource: 'ephemeral-storage',
    quota: ['requestsEphemeralStorage', 'limitsEphemeralStorage'],
    range: ['defaultEphemeralStorageRequest', 'defaultEphemeralStorageLimit', 'maxEphemeralStorage'],
    bytes: true,
  },
] as const;

const DEFAULT_QUOTA: Required<Omit<NamespaceResourceQuota, 'pods'>> = {
  requestsCpu: '4', limitsCpu: '16', requestsMemory: '8Gi', limitsMemory: '16Gi', requestsEphemeralStorage: '4Gi', limitsEphemeralStorage: '16Gi',
};
const DEFAULT_PODS = 30;
const DEFAULT_LIMIT_RANGE: Required<NamespaceLimitRange> = {
  defaultCpuRequest: '100m',
  defaultCpuLimit: '500m',
  maxCpu: '2',
  defaultMemoryRequest: '128Mi',
  defaultMemoryLimit: '256Mi',
  maxMemory: '2Gi',
  defaultEphemeralStorageRequest: '64Mi',
  defaultEphemeralStorageLimit: '256Mi',
  maxEphemeralStorage: '2Gi',
};

/** Everything the TradingNamespace needs, defaulted and validated. */
export interface ResolvedNamespace {
  readonly name: string;
  /** The Namespace's labels: the user's, then the Pod Security labels (which always win). */
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
  /** ResourceQuota `spec.hard`, keyed as Kubernetes keys it. */
  readonly quota: { [key: string]: string };
  /** LimitRange container item: `defaultRequest`, `default` and `max`, keyed by resource. */
  readonly defaultRequest: { [resource: string]: string };
  readonly defaultLimit: { [resource: string]: string };
  readonly max: { [resource: string]: string };
}

/**
 * Resolves and validates TradingNamespace props; throws one Error listing every problem.
 *
 * @param input the props as any caller may pass them
 * @param subject how the error names the construct (its path)
 * @param defaultName the construct id, used when `name` is absent
 */
export function resolveNamespaceConfig(input: TradingNamespaceProps, subject: string, defaultName: string): ResolvedNamespace {
  const problems = new Problems();
  const p = (input === undefined || input === null ? Object.create(null) : ownProps<TradingNamespaceProps>(problems, 'props', input, KNOWN_NAMESPACE_PROPS,
    '{ name: "trading" } or nothing')) as TradingNamespaceProps | undefined;
  if (!p) {
    problems.throwIfAny(subject);
  }
  const props = p!;
  const name = props.name ?? defaultName;
  check(problems, 'name', name, stringProblem(name) ?? dns1123LabelProblem(name) ?? yamlTypeProblem(name)
    ?? (SYSTEM_NAMESPACE.test(name) ? 'is a system namespace, shared with unrelated workloads' : undefined),
  'name a namespace of its own, such as "trading" (lower-case letters, digits and "-", at most 63 characters)');

  const quota = resolveQuota(props.resourceQuota, problems);
  const range = resolveLimitRange(props.limitRange, problems);
  // A container at the maximum must fit in the quota, or the maximum is a promise the quota breaks.
  for (const { resource, quota: [requestKey, limitKey], range: [defaultRequestKey, , maxKey] } of RESOURCES) {
    compare(problems, `limitRange.${maxKey}`, range.values[maxKey], range.texts[maxKey], `resourceQuota.${limitKey}`, quota.values[limitKey], quota.texts[limitKey],
      `a container at the maximum ${resource} would not fit in the namespace's quota`);
    compare(problems, `limitRange.${defaultRequestKey}`, range.values[defaultRequestKey], range.texts[defaultRequestKey],
      `resourceQuota.${requestKey}`, quota.values[requestKey], quota.texts[requestKey], `one container's default ${resource} request would not fit in the quota`);
  }

  const labels = resolveMetadata(problems, 'labels', props.labels, true);
  const annotations = resolveMetadata(problems, 'annotations', props.annotations, false);
  problems.throwIfAny(subject);

  const hard: { [key: string]: string } = {};
  const defaultRequest: { [resource: string]: string } = {};
  const defaultLimit: { [resource: string]: string } = {};
  const max: { [resource: string]: string } = {};
  for (const { resource, quota: [requestKey, limitKey], range: [defaultRequestKey, defaultLimitKey, maxKey] } of RESOURCES) {
    hard[`requests.${resource}`] = quota.texts[requestKey];
    hard[`limits.${resource}`] = quota.texts[limitKey];
    defaultRequest[resource] = range.texts[defaultRequestKey];
    defaultLimit[resource] = range.texts[defaultLimitKey];
    max[resource] = range.texts[maxKey];
  }
  hard.pods = String(quota.pods);
  for (const key of EXPOSURE_QUOTA_KEYS) {
    hard[key] = '0';
  }
  return { name, labels: { ...labels, ...POD_SECURITY_LABELS }, annotations, quota: hard, defaultRequest, defaultLimit, max };
}

interface Quantities {
  readonly texts: { [prop: string]: string };
  readonly values: { [prop: string]: Quantity | undefined };
}

function resolveQuota(input: unknown, problems: Problems): Quantities & { pods: number } {
  const given = input === undefined ? {} : ownProps<NamespaceResourceQuota>(problems, 'resourceQuota', input,
    [...Object.keys(DEFAULT_QUOTA), 'pods'], '{ limitsCpu: "8", pods: 20 }') ?? {};
  // Without a prototype: a polluted `Object.prototype.pods` must not stand in for a missing prop.
  const merged: { [prop: string]: unknown } = Object.assign(Object.create(null), DEFAULT_QUOTA, { pods: DEFAULT_PODS }, given);
  const texts: { [prop: string]: string } = {};
  const values: { [prop: string]: Quantity | undefined } = {};
  for (const { resource, quota: [requestKey, limitKey], bytes } of RESOURCES) {
    for (const key of [requestKey, limitKey]) {
      values[key] = positiveQuantity(problems, `resourceQuota.${key}`, merged[key], (DEFAULT_QUOTA as any)[key], bytes);
      texts[key] = merged[key] as string;
    }
    compare(problems, `resourceQuota.${requestKey}`, values[requestKey], texts[requestKey], `resourceQuota.${limitKey}`, values[limitKey], texts[limitKey],
      `the pods could never use the ${resource} they may request`);
  }
  const pods = merged.pods;
  check(problems, 'resourceQuota.pods', pods, integerProblem(pods as number, 1, 10000),
    `give a whole number of pods from 1 to 10000, such as the default ${DEFAULT_PODS} (with 0 no pod can ever run)`);
  return { texts, values, pods: pods as number };
}

function resolveLimitRange(input: unknown, problems: Problems): Quantities {
  const given = input === undefined ? {} : ownProps<NamespaceLimitRange>(problems, 'limitRange', input, Object.keys(DEFAULT_LIMIT_RANGE),
    '{ maxCpu: "4", maxMemory: "4Gi" }') ?? {};
  const merged: { [prop: string]: unknown } = Object.assign(Object.create(null), DEFAULT_LIMIT_RANGE, given);
  const texts: { [prop: string]: string } = {};
  const values: { [prop: string]: Quantity | undefined } = {};
  for (const { range, bytes } of RESOURCES) {
    for (const key of range) {
      values[key] = positiveQuantity(problems, `limitRange.${key}`, merged[key], (DEFAULT_LIMIT_RANGE as any)[key], bytes);
      texts[key] = merged[key] as string;
    }
    const [request, limit, max] = range;
    compare(problems, `limitRange.${request}`, values[request], texts[request], `limitRange.${limit}`, values[limit], texts[limit],
      'Kubernetes refuses a default request above the default limit');
    compare(problems, `limitRange.${limit}`, values[limit], texts[limit], `limitRange.${max}`, values[max], texts[max],
      'Kubernetes refuses a default limit above the maximum');
  }
  return { texts, values };
}

/** Records a problem when `small` exceeds `large` (both parsed exactly). */
function compare(problems: Problems, smallProp: string, small: Quantity | undefined, smallText: string,
  largeProp: string, large: Quantity | undefined, largeText: string, why: string): void {
  if (small && large && small.nanos > large.nanos) {
    problems.add(smallProp, smallText, `exceeds ${largeProp} (${largeText}): ${why}`, `lower ${smallProp} or raise ${largeProp}`);
  }
}

/**
 * A positive quantity within what the API server stores, or undefined with a problem recorded. Bytes
 * must be whole (`500m` of memory is a typo for `500Mi`); CPU no finer than a millicore.
 */
function positiveQuantity(problems: Problems, prop: string, text: unknown, example: string, bytes: boolean): Quantity | undefined {
  const quantity = parseQuantity(text);
  if (!quantity) {
    problems.add(prop, text, 'is not a Kubernetes quantity (a string of digits with an optional suffix, never negative)', `write it like "${example}"`);
    return undefined;
  }
  if (quantity.nanos === 0n) {
    problems.add(prop, text, 'is zero, so no pod could ever be created in the namespace', `give a positive amount, such as "${example}"`);
    return undefined;
  }
  if (quantity.nanos > MAX_NANOS) {
    problems.add(prop, text, 'is larger than the API server can store, so it bounds nothing', `give a realistic amount, such as "${example}"`);
    return undefined;
  }
  if (bytes ? !isWhole(quantity) : quantity.nanos % 1000000n !== 0n) {
    problems.add(prop, text, bytes ? 'is a fraction of a byte (the "m" suffix means thousandths, not mega)' : 'is finer than a millicore, which the API server cannot count',
      `write it like "${example}"`);
    return undefined;
  }
  return quantity;
}

/** Labels or annotations for the Namespace: valid keys and values, none the library or the API server owns. */
function resolveMetadata(problems: Problems, prop: string, input: unknown, isLabels: boolean): { [key: string]: string } {
  if (input === undefined) {
    return {};
  }
  const map = stringMap(problems, prop, input, '{ "example.com/team": "trading" }') ?? {};
  // A key such as `__proto__` does not survive a copy into a plain object: refuse it rather than drop it.
  for (const key of input && typeof input === 'object' ? Object.keys(input) : []) {
    if (!Object.prototype.hasOwnProperty.call(map, key) && typeof (input as { [key: string]: unknown })[key] === 'string') {
      problems.add(`${prop}["${key}"]`, key, 'is not a usable key', 'use a key of your own, such as "example.com/team"');
    }
  }
  const out: { [key: string]: string } = {};
  let size = 0;
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = labelKeyProblem(key) ?? yamlTypeProblem(key)
      ?? (key.startsWith(POD_SECURITY_PREFIX) ? 'is a Pod Security Admission key, which the library sets to restricted' : undefined)
      ?? (isLabels && key === METADATA_NAME_LABEL ? 'is set by the API server to the namespace\'s name' : undefined);
    check(problems, `${prop}["${key}"]`, key, keyProblem, isLabels ? 'use a key of your own, such as "example.com/team"' : 'use a key of your own, such as "example.com/owner"');
    const valueProblem = (isLabels ? labelValueProblem(value) : undefined) ?? yamlTypeProblem(value);
    check(problems, `${prop}["${key}"]`, value, valueProblem, 'use text that reads back as text (quote-free letters, digits, "-", "_" and ".")');
    size += key.length + Buffer.byteLength(value, 'utf8');
    if (!keyProblem && !valueProblem) {
      out[key] = value;
    }
  }
  if (!isLabels && size > MAX_ANNOTATION_BYTES) {
    problems.add(prop, `${size} bytes`, `exceed the API server's ${MAX_ANNOTATION_BYTES} bytes for all annotations`, 'keep large data out of annotations');
  }
  return out;
}
