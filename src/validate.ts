/**
 * Small, pure validation primitives. Nothing here knows about constructs or about the parts of the
 * pattern: each function takes a value and answers with a problem description or nothing.
 */

/** One thing wrong with the props: which prop, what it was, and how to fix it. */
export interface Problem {
  readonly prop: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/**
 * Collects every problem in a set of props, so the user sees all of them in one run instead of
 * fixing one error per `cdk8s synth`.
 */
export class Problems {
  private readonly items: Problem[] = [];

  public add(prop: string, value: unknown, problem: string, fix: string): void {
    this.items.push({ prop, value, problem, fix });
  }

  public get count(): number {
    return this.items.length;
  }

  /** Throws one Error listing every problem; does nothing when there are none. */
  public throwIfAny(subject: string): void {
    if (this.items.length === 0) {
      return;
    }
    const lines = this.items.map(
      (p) => `  - ${p.prop}: ${p.problem} (got ${describe(p.value)}). Fix: ${p.fix}`,
    );
    const noun = this.items.length === 1 ? 'problem' : 'problems';
    throw new Error(`${subject}: ${this.items.length} invalid prop ${noun}; nothing was emitted.\n${lines.join('\n')}`);
  }
}

/** A short, safe rendering of a user value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  }
  try {
    const text = JSON.stringify(value);
    if (text === undefined) {
      return String(value);
    }
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: what Kubernetes requires of namespace names (at most 63 characters). */
export function dns1123LabelProblem(value: string, maxLength = 63): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters long (it is ${value.length})`;
  }
  if (!DNS1123_LABEL.test(value)) {
    return 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

/** RFC 1035 label: what Kubernetes requires of Service names (starts with a letter). */
export function dns1035LabelProblem(value: string, maxLength = 63): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters long (it is ${value.length})`;
  }
  if (!DNS1035_LABEL.test(value)) {
    return 'must consist of lower-case letters, digits and "-", start with a letter and end with a letter or digit';
  }
  return undefined;
}

/** RFC 1123 subdomain: what Kubernetes requires of most object names, Secrets included. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > 253) {
    return `must be at most 253 characters long (it is ${value.length})`;
  }
  for (const label of value.split('.')) {
    if (!DNS1123_LABEL.test(label) || label.length > 63) {
      return 'must be lower-case letters, digits, "-" and ".", each dot-separated part 1-63 characters that starts and ends with a letter or digit';
    }
  }
  return undefined;
}

/**
 * A public DNS host name for an Ingress: a lower-case RFC 1123 subdomain with at least two labels,
 * no wildcard, not an IP address.
 */
export function hostNameProblem(value: string): string | undefined {
  if (value.startsWith('*.')) {
    return 'must be one exact host name: wildcard hosts widen the TLS and routing surface of a service that holds keys';
  }
  if (/^[0-9.]+$/.test(value) || value.includes(':')) {
    return 'must be a DNS name, not an IP address (Kubernetes Ingress hosts cannot be IPs)';
  }
  const problem = dns1123SubdomainProblem(value);
  if (problem) {
    return problem;
  }
  if (!value.includes('.')) {
    return 'must be a fully qualified name with at least two labels (for example api.example.com)';
  }
  return undefined;
}

/**
 * Namespaces shared with the cluster or with unrelated workloads (`default`, every `kube-*`): a service
 * holding keys, its objects and its TradingNamespace never live there.
 */
export const SYSTEM_NAMESPACE = /^(default|kube-.*)$/;

/**
 * Suffixes that name something inside a cluster or a private network, never a public host: the
 * cluster's Service domain (`*.svc`, `*.svc.cluster.local`), mDNS `.local`, and the names reserved
 * for private use (`.internal`, RFC 6761 `.localhost`, `home.arpa`).
 */
const INTERNAL_HOST_SUFFIXES = ['.cluster.local', '.svc', '.local', '.internal', '.localhost', '.home.arpa', '.lan'];

/**
 * A problem when a host name is cluster- or network-internal: publishing it through a public Ingress
 * routes outside traffic to a name meant for the inside (and tells the world the internal name).
 */
export function internalHostProblem(value: string): string | undefined {
  const host = value.toLowerCase().replace(/\.$/, '');
  const suffix = INTERNAL_HOST_SUFFIXES.find((s) => host.endsWith(s) || host === s.slice(1));
  if (host === 'localhost' || suffix) {
    return `is a cluster- or network-internal name (${host === 'localhost' ? 'localhost' : `*${suffix}`}), which a public Ingress must never publish`;
  }
  return undefined;
}

/** A secret data key: what Kubernetes accepts as a key of Secret.data (and so as a file name). */
export function secretKeyProblem(value: string): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > 253) {
    return 'must be at most 253 characters long';
  }
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    return 'must consist of letters, digits, "-", "_" and "."';
  }
  if (value === '.' || value.startsWith('..')) {
    return 'must not be "." or start with ".." (the kubelet keeps its own files there when it writes a Secret volume)';
  }
  return yamlTypeProblem(value);
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label key: optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix)) {
    return `label key prefix "${prefix}" must be a DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${key}" must end in a name of 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** A label value: empty, or at most 63 characters of letters, digits, "-", "_" and ".". */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') {
    return undefined;
  }
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `label value "${value}" must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** An integer in [min, max]. */
export function integerProblem(value: number, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return 'must be a whole number';
  }
  if (value < min || value > max) {
    return `must be between ${min} and ${max}`;
  }
  return undefined;
}

/** An HTTP path for a probe: absolute, no spaces, no query tricks that would hide a typo. */
export function httpPathProblem(value: string): string | undefined {
  if (!value.startsWith('/')) {
    return 'must start with "/"';
  }
  if (!/^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/.test(value)) {
    return 'must be a URL path of printable characters without spaces';
  }
  return undefined;
}

/** Plain scalars Go's YAML reader (sigs.k8s.io/yaml, which kubectl uses) resolves by name: booleans, nulls, infinities. */
const GO_YAML_WORDS = new Set([
  '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE',
  'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Whether Go's YAML 1.1 reader would read this text, written as a plain (unquoted) scalar, as something
 * other than the same string: a boolean (`yes`, `on`), a null or a number (`1e3`, `0X1F`, `0o17`,
 * `1_000`). The rules are those of gopkg.in/yaml.v2's resolver, which kubectl and the API machinery use
 * through sigs.k8s.io/yaml (which keeps dates as written); test/fixtures/yaml-strings.json is checked
 * against both this function and Go's reader.
 */
export function readsAsNonString(value: string): boolean {
  if (GO_YAML_WORDS.has(value)) {
    return true;
  }
  const first = value.charCodeAt(0);
  if (first === 0x2e) { // "."
    return GO_FLOAT.test(value);
  }
  if (!(first === 0x2b || first === 0x2d || (first >= 0x30 && first <= 0x39))) { // "+", "-", a digit
    return false;
  }
  const plain = value.replace(/_/g, '');
  return GO_INT.test(plain) || GO_FLOAT.test(plain) || /^-?0b[01]+$/.test(plain);
}

/** A problem when a YAML 1.1 reader would read the value as another type. */
export function yamlTypeProblem(value: string): string | undefined {
  return readsAsNonString(value)
    ? 'would be read by kubectl\'s YAML reader (YAML 1.1) as a number, boolean or null, not as this text'
    : undefined;
}

/**
 * What identifies the HTTP request a probe path makes: the path without a trailing slash, and the
 * query. `/readyz`, `/readyz/` and `/readyz?` are the same request; `/health?ready` and
 * `/health?live` are not.
 */
export function httpRequestKey(path: string): string {
  const query = /\?([^#]*)/.exec(path)?.[1] ?? '';
  return `${path.replace(/[?#].*$/, '').replace(/(.)\/+$/, '$1')}?${query}`;
}
