/**
 * The options of ExchangeCredentials.fromSecretsStoreCsi and fromVaultAgent. Every value given here
 * ends up inside YAML the provider parses (the SecretProviderClass's `objects`) or inside a Go
 * template the Vault Agent renders, so each is checked against a strict character set: no quotes,
 * no line breaks, no `{{`/`}}`. Nothing a user writes can become template code.
 */
import { MAX_TOKEN_EXPIRATION_SECONDS, MIN_TOKEN_EXPIRATION_SECONDS } from '../credential-constants';
import { isWhole, parseQuantity } from '../quantity';
import { SecretsStoreFile, SecretsStoreProvider, SecretsStoreProviderKind } from '../secrets-store-provider';
import { dns1123SubdomainProblem, labelKeyProblem, labelValueProblem, dns1123LabelProblem, integerProblem, Problems, secretKeyProblem } from '../validate';
import { VaultAgentMode, VaultEndpoint, VaultKvVersion, VaultSecret } from '../vault-agent-props';
import { booleanProblem, check, ownProps, stringProblem } from './common';
import { pinnedImage } from './workload';

/** One file the CSI driver writes, and where its value comes from. */
export interface ResolvedStoreFile {
  readonly file: string;
  readonly name: string;
  readonly key?: string;
  readonly version?: string;
}

/** What the credentials part needs to emit one SecretProviderClass. */
export interface ResolvedSecretsStoreCsi {
  readonly provider: SecretsStoreProviderKind;
  /** The provider's options, checked: strings and booleans only. */
  readonly options: { [key: string]: string | boolean };
  readonly files: ResolvedStoreFile[];
}

/** One file the Vault Agent renders. */
export interface ResolvedVaultFile {
  readonly file: string;
  readonly version: VaultKvVersion;
  readonly path: string;
  readonly key: string;
}

/** What the credentials part needs to render the injector's annotations and the token volume. */
export interface ResolvedVaultAgent {
  /** Vault's address, as the agent calls it. */
  readonly address: string;
  /** Vault in the cluster: egress to its pods. */
  readonly inCluster?: { readonly namespace: string; readonly podLabels: { [key: string]: string }; readonly port: number };
  /** Vault outside the cluster: egress to this block and port (checked with the exchange endpoints). */
  readonly external?: { readonly cidr: string; readonly port: number };
  readonly role: string;
  readonly authPath: string;
  readonly mode: VaultAgentMode;
  readonly tokenAudience: string;
  readonly tokenExpirationSeconds: number;
  readonly resources: { [annotationSuffix: string]: string };
  readonly files: ResolvedVaultFile[];
  /** The Secret holding Vault's CA (`ca.crt`), mounted into the agent only. */
  readonly caCertSecret?: string;
  /** The agent image, pinned by digest. */
  readonly agentImage?: string;
}

/** The default audience of the token Vault's Kubernetes auth method receives. */
export const DEFAULT_VAULT_AUDIENCE = 'vault';
/** The Vault Helm chart's server labels. */
const VAULT_POD_LABELS = { 'app.kubernetes.io/name': 'vault', 'component': 'server' };

const TEMPLATE_DELIMITERS = /\{\{|\}\}/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A value that must match `pattern`; `{{` and `}}` get their own message, as they are what an injection needs. */
function tokenProblem(value: unknown, pattern: RegExp, what: string, maxLength = 512): string | undefined {
  const s = stringProblem(value);
  if (s) {
    return s;
  }
  const text = value as string;
  if (TEMPLATE_DELIMITERS.test(text)) {
    return 'contains "{{" or "}}", Go template delimiters: the library writes the templates, a value may not add to them';
  }
  if (text.length === 0) {
    return 'must not be empty';
  }
  if (text.length > maxLength) {
    return `must be at most ${maxLength} characters long`;
  }
  return pattern.test(text) ? undefined : `must be ${what}`;
}

const VAULT_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;
const VAULT_PATH_WHAT = 'a Vault path of letters, digits, "-", "_" and "." separated by single "/" (no quotes, spaces or leading "/")';
const FIELD = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const FIELD_WHAT = 'a field name of letters, digits, "_", "-" and "."';
const ROLE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const AUDIENCE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
const AUDIENCE_WHAT = 'an audience of letters, digits, "-", "_", ".", ":" and "/"';
const ADDRESS = /^https:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:(\d{1,5}))?$/;

/** The port of an https address (443 when none is written), or undefined when it is not one. */
export function addressPort(address: string): number | undefined {
  const match = ADDRESS.exec(address);
  if (!match) {
    return undefined;
  }
  const port = match[6] === undefined ? 443 : Number(match[6]);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function addressProblem(value: unknown): string | undefined {
  return tokenProblem(value, ADDRESS, 'an https URL of a host name and an optional port, such as "https://vault.example.com:8200" (no path, no http)', 253)
    ?? (addressPort(value as string) === undefined ? 'has a port outside 1 to 65535' : undefined);
}

const CSI_OPTIONS = ['provider', 'files', 'rotation'];
const CSI_EXAMPLE = '{ provider: SecretsStoreProvider.vault({ address: "https://vault.vault.svc:8200", roleName: "trading" }), '
  + 'files: { "api-key": { name: "secret/data/trading/binance", key: "apiKey" } } }';

/** Validates the options of one `fromSecretsStoreCsi` credential; undefined when they are unusable. */
export function resolveSecretsStoreCsi(problems: Problems, prop: string, value: unknown): ResolvedSecretsStoreCsi | undefined {
  const before = problems.count;
  const o = ownProps<{ [key: string]: unknown }>(problems, prop, value, CSI_OPTIONS, CSI_EXAMPLE);
  if (!o) {
    return undefined;
  }
  const provider = o.provider;
  if (!(provider instanceof SecretsStoreProvider)) {
    problems.add(`${prop}.provider`, provider, 'is not a SecretsStoreProvider',
      'pass provider: SecretsStoreProvider.vault({...}), .aws({...}), .azure({...}) or .gcp({...})');
    return undefined;
  }
  const options = resolveProviderOptions(problems, `${prop}.provider`, provider);
  const files = resolveStoreFiles(problems, `${prop}.files`, o.files, provider.kind);
  if (problems.count > before || !options) {
    return undefined;
  }
  return { provider: provider.kind, options, files };
}

function resolveProviderOptions(problems: Problems, prop: string, provider: SecretsStoreProvider): { [key: string]: string | boolean } | undefined {
  switch (provider.kind) {
    case SecretsStoreProviderKind.VAULT: {
      const o = ownProps<{ [key: string]: unknown }>(problems, prop, provider._options, ['address', 'roleName', 'authMountPath', 'audience'],
        'SecretsStoreProvider.vault({ address: "https://vault.vault.svc:8200", roleName: "trading" })');
      if (!o) {
        return undefined;
      }
      const authMountPath = o.authMountPath ?? 'kubernetes';
      const audience = o.audience ?? DEFAULT_VAULT_AUDIENCE;
      check(problems, `${prop}.address`, o.address, addressProblem(o.address), 'give Vault\'s https address, such as "https://vault.vault.svc:8200"');
      check(problems, `${prop}.roleName`, o.roleName, tokenProblem(o.roleName, ROLE, 'a Vault role name of letters, digits, "_", "-" and "."', 128),
        'name the Vault role of the Kubernetes auth method, such as "trading-gateway"');
      check(problems, `${prop}.authMountPath`, authMountPath, tokenProblem(authMountPath, VAULT_PATH, VAULT_PATH_WHAT, 128),
        'give the mount path of the Kubernetes auth method without "auth/", such as "kubernetes"');
      check(problems, `${prop}.audience`, audience, tokenProblem(audience, AUDIENCE, AUDIENCE_WHAT, 253), `use the audience the Vault role expects, such as "${DEFAULT_VAULT_AUDIENCE}"`);
      return { address: o.address as string, roleName: o.roleName as string, authMountPath: authMountPath as string, audience: audience as string };
    }
    case SecretsStoreProviderKind.AWS: {
      const o = ownProps<{ [key: string]: unknown }>(problems, prop, provider._options, ['region', 'usePodIdentity'],
        'SecretsStoreProvider.aws({ region: "eu-west-1" })');
      if (!o) {
        return undefined;
      }
      const usePodIdentity = o.usePodIdentity ?? false;
      check(problems, `${prop}.region`, o.region, tokenProblem(o.region, /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as "eu-west-1"', 32),
        'give the region of the secrets, such as "eu-west-1"');
      check(problems, `${prop}.usePodIdentity`, usePodIdentity, booleanProblem(usePodIdentity), 'pass true (EKS Pod Identity) or false (IRSA)');
      return { region: o.region as string, usePodIdentity: usePodIdentity as boolean };
    }
    case SecretsStoreProviderKind.AZURE: {
      const o = ownProps<{ [key: string]: unknown }>(problems, prop, provider._options, ['keyVaultName', 'tenantId', 'clientId'],
        'SecretsStoreProvider.azure({ keyVaultName: "trading-kv", tenantId: "<guid>", clientId: "<guid>" })');
      if (!o) {
        return undefined;
      }
      check(problems, `${prop}.keyVaultName`, o.keyVaultName, tokenProblem(o.keyVaultName, /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, 'a Key Vault name of 3 to 24 letters, digits and "-"', 24),
        'name the Key Vault, such as "trading-kv"');
      for (const field of ['tenantId', 'clientId']) {
        check(problems, `${prop}.${field}`, o[field], tokenProblem(o[field], GUID, 'a GUID such as "00000000-0000-0000-0000-000000000000"', 36),
          `give the ${field === 'tenantId' ? 'tenant' : 'workload identity\'s client'} id as a GUID`);
      }
      return { keyVaultName: o.keyVaultName as string, tenantId: o.tenantId as string, clientId: o.clientId as string };
    }
    case SecretsStoreProviderKind.GCP: {
      const o = ownProps<{ [key: string]: unknown }>(problems, prop, provider._options, ['project'], 'SecretsStoreProvider.gcp({ project: "trading-prod" })');
      if (!o) {
        return undefined;
      }
      check(problems, `${prop}.project`, o.project, tokenProblem(o.project, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id of 6 to 30 lower-case letters, digits and "-"', 30),
        'give the project id that holds the secrets, such as "trading-prod"');
      return { project: o.project as string };
    }
    default: {
      const never: never = provider.kind;
      problems.add(prop, never, 'is not a known provider', 'use SecretsStoreProvider.vault, .aws, .azure or .gcp');
      return undefined;
    }
  }
}

/** How each provider names a secret, and whether it takes a key or a version. */
const STORE_NAMES: { [kind in SecretsStoreProviderKind]: { pattern: RegExp; what: string; key: boolean; version: boolean } } = {
  [SecretsStoreProviderKind.VAULT]: { pattern: VAULT_PATH, what: VAULT_PATH_WHAT, key: true, version: false },
  [SecretsStoreProviderKind.AWS]: { pattern: /^[A-Za-z0-9/_+=.@:-]+$/, what: 'an AWS secret name or ARN (letters, digits and /_+=.@:-)', key: true, version: false },
  [SecretsStoreProviderKind.AZURE]: { pattern: /^[A-Za-z0-9-]{1,127}$/, what: 'a Key Vault secret name of letters, digits and "-"', key: false, version: true },
  [SecretsStoreProviderKind.GCP]: { pattern: /^[A-Za-z0-9_-]{1,255}$/, what: 'a Secret Manager secret name of letters, digits, "_" and "-"', key: false, version: true },
};

function resolveStoreFiles(problems: Problems, prop: string, value: unknown, kind: SecretsStoreProviderKind): ResolvedStoreFile[] {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(prop, value, value === undefined ? 'is missing' : 'must be a map of file names to SecretsStoreFile',
      'name each file the app reads and the secret that holds it: files: { "api-key": { name: "...", key: "apiKey" } }');
    return [];
  }
  const entries = Object.keys(value).map((file) => [file, (value as { [k: string]: unknown })[file]] as const);
  if (entries.length === 0) {
    problems.add(prop, value, 'is empty, which would mount nothing', 'name each file the app reads');
  }
  const rules = STORE_NAMES[kind];
  const out: ResolvedStoreFile[] = [];
  const seen = new Map<string, string>();
  for (const [file, entry] of entries) {
    const fprop = `${prop}["${file}"]`;
    check(problems, fprop, file, secretKeyProblem(file), 'name the file as the app reads it, such as "api-key"');
    const o = ownProps<SecretsStoreFile>(problems, fprop, entry, ['name', 'key', 'version'], '{ name: "<secret in the store>", key: "apiKey" }');
    if (!o) {
      continue;
    }
    check(problems, `${fprop}.name`, o.name, tokenProblem(o.name, rules.pattern, rules.what), 'name the secret as the store knows it');
    if (o.key !== undefined) {
      if (!rules.key) {
        problems.add(`${fprop}.key`, o.key, `is not supported by the ${kind} provider, which writes the whole secret`, 'store each key as a secret of its own and leave key out');
      } else {
        check(problems, `${fprop}.key`, o.key, tokenProblem(o.key, FIELD, FIELD_WHAT, 253), 'give the field of the secret, such as "apiKey"');
      }
    } else if (kind === SecretsStoreProviderKind.VAULT) {
      problems.add(`${fprop}.key`, o.key, 'is missing: the Vault provider writes one field of a secret', 'give the field, such as key: "apiKey"');
    }
    if (o.version !== undefined) {
      if (!rules.version) {
        problems.add(`${fprop}.version`, o.version, `is not supported by the ${kind} provider`, 'leave version out');
      } else {
        check(problems, `${fprop}.version`, o.version, tokenProblem(o.version, /^[A-Za-z0-9]+$/, 'a version of letters and digits ("latest" or a number for Google)', 64),
          'leave version out so rotated keys arrive, or pin one');
      }
    }
    const source = `${o.name}#${o.key ?? ''}#${o.version ?? ''}`;
    const other = seen.get(source);
    if (other !== undefined) {
      problems.add(fprop, entry, `reads the same secret as file "${other}"`, 'map each file to its own secret or field: two files with one value hide a wrong mapping');
    }
    seen.set(source, file);
    out.push({ file, name: o.name as string, key: o.key, version: o.version });
  }
  return out;
}

const VAULT_OPTIONS = ['vault', 'role', 'files', 'authPath', 'mode', 'tokenAudience', 'tokenExpirationSeconds', 'caCertSecret', 'agentImage', 'agentResources', 'rotation'];
const VAULT_EXAMPLE = '{ vault: VaultEndpoint.inCluster({ namespace: "vault" }), role: "trading", files: { "api-key": VaultSecret.kv2("secret/data/trading/binance", "apiKey") } }';
/** The injector's annotation names must stay valid label names: `agent-inject-template-<file>` within 63 characters. */
const VAULT_FILE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,38}[A-Za-z0-9])?$/;
const RESOURCE_DEFAULTS: Array<[option: string, annotation: string, value: string]> = [
  ['cpuRequest', 'requests-cpu', '50m'], ['cpuLimit', 'limits-cpu', '250m'],
  ['memoryRequest', 'requests-mem', '64Mi'], ['memoryLimit', 'limits-mem', '128Mi'],
  ['ephemeralStorageRequest', 'requests-ephemeral', '16Mi'], ['ephemeralStorageLimit', 'limits-ephemeral', '64Mi'],
];

/** Validates the options of one `fromVaultAgent` credential; undefined when they are unusable. */
export function resolveVaultAgent(problems: Problems, prop: string, value: unknown): ResolvedVaultAgent | undefined {
  const before = problems.count;
  const o = ownProps<{ [key: string]: unknown }>(problems, prop, value, VAULT_OPTIONS, VAULT_EXAMPLE);
  if (!o) {
    return undefined;
  }
  const endpoint = resolveVaultEndpoint(problems, `${prop}.vault`, o.vault);
  check(problems, `${prop}.role`, o.role, tokenProblem(o.role, ROLE, 'a Vault role name of letters, digits, "_", "-" and "."', 128),
    'name the Vault role of the Kubernetes auth method, such as "trading-gateway"');
  const authPath = o.authPath ?? 'auth/kubernetes';
  check(problems, `${prop}.authPath`, authPath, tokenProblem(authPath, /^auth\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'a path starting with "auth/"', 128),
    'give the mount path of the Kubernetes auth method, such as "auth/kubernetes"');
  const mode = o.mode ?? VaultAgentMode.SIDECAR;
  if (!Object.values(VaultAgentMode).includes(mode as VaultAgentMode)) {
    problems.add(`${prop}.mode`, mode, 'is not a VaultAgentMode', 'use VaultAgentMode.SIDECAR (live rotation) or VaultAgentMode.PRE_POPULATE_ONLY');
  }
  const tokenAudience = o.tokenAudience ?? DEFAULT_VAULT_AUDIENCE;
  check(problems, `${prop}.tokenAudience`, tokenAudience, tokenProblem(tokenAudience, AUDIENCE, AUDIENCE_WHAT, 253),
    `use the audience the Vault role expects, such as "${DEFAULT_VAULT_AUDIENCE}"`);
  const expiration = o.tokenExpirationSeconds ?? MIN_TOKEN_EXPIRATION_SECONDS;
  check(problems, `${prop}.tokenExpirationSeconds`, expiration, integerProblem(expiration as number, MIN_TOKEN_EXPIRATION_SECONDS, MAX_TOKEN_EXPIRATION_SECONDS),
    `use from ${MIN_TOKEN_EXPIRATION_SECONDS} (the kubelet's minimum) to ${MAX_TOKEN_EXPIRATION_SECONDS} seconds: a short-lived token is useless soon after it leaks`);
  if (o.caCertSecret !== undefined) {
    check(problems, `${prop}.caCertSecret`, o.caCertSecret, stringProblem(o.caCertSecret) ?? dns1123SubdomainProblem(o.caCertSecret as string),
      'name a Secret in the service\'s namespace whose ca.crt signs Vault\'s certificate, such as "vault-ca"');
  }
  if (o.agentImage !== undefined) {
    const notString = stringProblem(o.agentImage);
    if (notString) {
      problems.add(`${prop}.agentImage`, o.agentImage, notString, 'give the agent image pinned by digest, such as "hashicorp/vault:1.21.1@sha256:<64 hex>"');
    } else {
      pinnedImage(problems, `${prop}.agentImage`, o.agentImage as string, false);
    }
  }
  const resources = resolveAgentResources(problems, `${prop}.agentResources`, o.agentResources);
  const files = resolveVaultFiles(problems, `${prop}.files`, o.files);
  if (problems.count > before || !endpoint) {
    return undefined;
  }
  return {
    ...endpoint,
    role: o.role as string,
    authPath: authPath as string,
    mode: mode as VaultAgentMode,
    tokenAudience: tokenAudience as string,
    tokenExpirationSeconds: expiration as number,
    resources,
    files,
    caCertSecret: o.caCertSecret as string | undefined,
    agentImage: o.agentImage as string | undefined,
  };
}

function resolveVaultEndpoint(problems: Problems, prop: string, value: unknown): Pick<ResolvedVaultAgent, 'address' | 'inCluster' | 'external'> | undefined {
  if (!(value instanceof VaultEndpoint)) {
    problems.add(prop, value, 'is not a VaultEndpoint', 'pass vault: VaultEndpoint.inCluster({ namespace: "vault" }) or VaultEndpoint.external({ address, cidr })');
    return undefined;
  }
  if (value.isInCluster) {
    const o = ownProps<{ [key: string]: unknown }>(problems, prop, value._options, ['namespace', 'podLabels', 'serviceName', 'port'], 'VaultEndpoint.inCluster({ namespace: "vault" })');
    if (!o) {
      return undefined;
    }
    const serviceName = o.serviceName ?? 'vault';
    const port = o.port ?? 8200;
    check(problems, `${prop}.namespace`, o.namespace, stringProblem(o.namespace) ?? dns1123LabelProblem(o.namespace as string), 'name the namespace Vault runs in, such as "vault"');
    check(problems, `${prop}.serviceName`, serviceName, stringProblem(serviceName) ?? dns1123LabelProblem(serviceName as string), 'name Vault\'s Service, such as "vault"');
    check(problems, `${prop}.port`, port, integerProblem(port as number, 1, 65535), 'give Vault\'s API port, usually 8200');
    const podLabels = o.podLabels ?? VAULT_POD_LABELS;
    const labels = typeof podLabels === 'object' && !Array.isArray(podLabels) ? podLabels as { [key: string]: unknown } : undefined;
    if (!labels || Object.keys(labels).length === 0) {
      problems.add(`${prop}.podLabels`, podLabels, 'must be a non-empty map of labels', 'give the labels of Vault\'s server pods, such as { "app.kubernetes.io/name": "vault" }');
    } else {
      for (const [k, v] of Object.entries(labels)) {
        check(problems, `${prop}.podLabels`, { [k]: v }, labelKeyProblem(k) ?? stringProblem(v) ?? labelValueProblem(v as string), 'use valid Kubernetes label keys and values');
      }
    }
    return {
      address: `https://${serviceName}.${o.namespace}.svc:${port}`,
      inCluster: { namespace: o.namespace as string, podLabels: { ...(labels as { [key: string]: string }) }, port: port as number },
    };
  }
  const o = ownProps<{ [key: string]: unknown }>(problems, prop, value._options, ['address', 'cidr'],
    'VaultEndpoint.external({ address: "https://vault.example.com:8200", cidr: "203.0.113.10/32" })');
  if (!o) {
    return undefined;
  }
  check(problems, `${prop}.address`, o.address, addressProblem(o.address), 'give Vault\'s https address, such as "https://vault.example.com:8200"');
  check(problems, `${prop}.cidr`, o.cidr, stringProblem(o.cidr), 'give the block Vault\'s address resolves to, such as "203.0.113.10/32"');
  const port = typeof o.address === 'string' ? addressPort(o.address) : undefined;
  return { address: o.address as string, external: { cidr: o.cidr as string, port: port ?? 443 } };
}

function resolveAgentResources(problems: Problems, prop: string, value: unknown): { [annotationSuffix: string]: string } {
  const o = value === undefined ? {} : ownProps<{ [key: string]: unknown }>(problems, prop, value, RESOURCE_DEFAULTS.map(([option]) => option),
    '{ memoryLimit: "128Mi" }') ?? {};
  const out: { [annotationSuffix: string]: string } = {};
  for (const [option, annotation, fallback] of RESOURCE_DEFAULTS) {
    const given = o[option] ?? fallback;
    const quantity = typeof given === 'string' ? parseQuantity(given) : undefined;
    const whole = !option.startsWith('cpu');
    if (!quantity || quantity.nanos <= 0n || (whole && !isWhole(quantity))) {
      problems.add(`${prop}.${option}`, given, 'is not a positive Kubernetes quantity', `use a quantity string such as "${fallback}"`);
    }
    out[annotation] = given as string;
  }
  for (const [request, limit] of [['requests-cpu', 'limits-cpu'], ['requests-mem', 'limits-mem'], ['requests-ephemeral', 'limits-ephemeral']]) {
    const r = parseQuantity(out[request]);
    const l = parseQuantity(out[limit]);
    if (r && l && r.nanos > l.nanos) {
      problems.add(prop, { [request]: out[request], [limit]: out[limit] }, 'requests more than its limit', 'raise the limit or lower the request');
    }
  }
  return out;
}

function resolveVaultFiles(problems: Problems, prop: string, value: unknown): ResolvedVaultFile[] {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(prop, value, value === undefined ? 'is missing' : 'must be a map of file names to VaultSecret',
      'name each file the app reads: files: { "api-key": VaultSecret.kv2("secret/data/trading/binance", "apiKey") }');
    return [];
  }
  const entries = Object.keys(value).map((file) => [file, (value as { [k: string]: unknown })[file]] as const);
  if (entries.length === 0) {
    problems.add(prop, value, 'is empty, which would render nothing', 'name each file the app reads');
  }
  const out: ResolvedVaultFile[] = [];
  const seen = new Map<string, string>();
  for (const [file, secret] of entries) {
    const fprop = `${prop}["${file}"]`;
    const before = problems.count;
    check(problems, fprop, file, secretKeyProblem(file) ?? (VAULT_FILE.test(file) ? undefined
      : 'must be at most 40 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (it becomes part of the injector\'s annotation names)'),
    'name the file as the app reads it, such as "api-key"');
    if (!(secret instanceof VaultSecret)) {
      problems.add(fprop, secret, 'is not a VaultSecret', 'use VaultSecret.kv2("secret/data/trading/binance", "apiKey") or VaultSecret.kv1(...)');
      continue;
    }
    check(problems, `${fprop}.path`, secret.path, tokenProblem(secret.path, VAULT_PATH, VAULT_PATH_WHAT), 'give the secret\'s path in Vault, such as "secret/data/trading/binance"');
    if (secret.version === VaultKvVersion.V2 && typeof secret.path === 'string' && !secret.path.split('/').slice(1).includes('data')) {
      problems.add(`${fprop}.path`, secret.path, 'has no "data/" segment, which a KV version 2 path needs in the API', 'write the API path: "secret/data/trading/binance" for the secret "secret/trading/binance"');
    }
    check(problems, `${fprop}.key`, secret.key, tokenProblem(secret.key, FIELD, FIELD_WHAT, 253), 'give the field of the secret, such as "apiKey"');
    if (problems.count > before) {
      // A path or key that failed its check may not even be a string: compare only valid ones.
      continue;
    }
    const source = `${secret.path}#${secret.key}`;
    const other = seen.get(source);
    if (other !== undefined) {
      problems.add(fprop, source, `is also the value of file "${other}"`, 'map each file to its own field: two files with one value hide a wrong mapping');
    }
    seen.set(source, file);
    out.push({ file, version: secret.version, path: secret.path, key: secret.key });
  }
  return out;
}
