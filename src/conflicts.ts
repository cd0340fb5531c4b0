/**
 * What one SecureTradingApi must not share with another in the same App: its objects' names, its
 * public host, a TLS Secret that is another's credential Secret, and the files cdk8s writes its
 * objects to. Checked once the objects exist, before the construct is kept; nothing here renders.
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AuditPolicy } from './audit';
import { Problems } from './validate';

/** What one service claims in its App. */
export interface Claims {
  readonly namespace: string;
  readonly name: string;
  /** The public host; undefined for a service without an Ingress. */
  readonly host?: string;
  /** The TLS Secret; undefined for a service without an Ingress. */
  readonly tlsSecret?: string;
  readonly credentialSecrets: string[];
  /** The Secrets this service's ExternalSecrets write: one writer per Secret. */
  readonly externalSecrets?: string[];
  /** The SecretProviderClasses this service emits: one object per name and namespace. */
  readonly secretProviderClasses?: string[];
}

interface Registry {
  readonly owners: Map<string, string>;
}

const registries = new WeakMap<IConstruct, Registry>();
/** Folders the library writes beside the manifests. */
const RESERVED_FOLDERS = [AuditPolicy.FILE_PATH.split('/')[0], 'compliance'];

/**
 * The conflicts of `service` (whose objects already exist) with every service claimed before it in
 * the same App, added to `problems`. Returns the keys to claim when there are none.
 */
export function findConflicts(service: IConstruct, claims: Claims, problems: Problems): string[] {
  const registry = registryOf(service);
  const keys: Array<[string, string, string, string]> = [
    [`name:${claims.namespace}/${claims.name}`, 'name', claims.name,
      `another SecureTradingApi in namespace "${claims.namespace}" has this name; give each instance in a namespace its own name`],
    ...(claims.host === undefined || claims.tlsSecret === undefined ? [] : [
      [`host:${claims.host}`, 'host', claims.host,
        'another SecureTradingApi serves this host and path; two Ingresses for one host and path split or hijack its traffic: give each service its own host'],
      [`tls:${claims.namespace}/${claims.tlsSecret}`, 'tls', claims.tlsSecret,
        'this Secret is another service\'s exchange credentials; cert-manager would overwrite the keys with a TLS pair: use a Secret of its own for TLS'],
    ] as Array<[string, string, string, string]>),
    ...claims.credentialSecrets.map((secret): [string, string, string, string] => [`credential:${claims.namespace}/${secret}`, 'credentials', secret,
      'this Secret is a service\'s TLS Secret; cert-manager would overwrite the exchange keys with a TLS pair: keep keys and certificates in separate Secrets']),
    ...(claims.externalSecrets ?? []).map((secret): [string, string, string, string] => [`external-secret:${claims.namespace}/${secret}`, 'credentials', secret,
      'another service\'s ExternalSecret already writes this Secret; two writers overwrite each other: declare fromExternalSecret in one service and fromSecret in the others']),
    ...(claims.secretProviderClasses ?? []).map((name): [string, string, string, string] => [`secret-provider-class:${claims.namespace}/${name}`, 'credentials', name,
      'another service in this namespace emits a SecretProviderClass of this name; give each fromSecretsStoreCsi credential its own name']),
  ];
  if (claims.tlsSecret !== undefined && claims.credentialSecrets.includes(claims.tlsSecret)) {
    problems.add('tls', claims.tlsSecret, 'is also one of this service\'s credential Secrets',
      'cert-manager would overwrite the exchange keys with a TLS pair: keep keys and certificates in separate Secrets');
  }
  const out: string[] = [];
  for (const [key, prop, value, fix] of keys) {
    const opposite = key.startsWith('tls:') ? key.replace('tls:', 'credential:') : key.startsWith('credential:') ? key.replace('credential:', 'tls:') : undefined;
    // A TLS Secret shared by two services (one certificate for both hosts) is fine, and so are shared
    // exchange keys; a Secret that is one service's TLS pair and another's keys is not.
    const owner = opposite ? registry.owners.get(opposite) : registry.owners.get(key);
    if (owner !== undefined) {
      problems.add(prop, value, `conflicts with ${owner}`, fix);
    }
    out.push(key);
  }
  for (const [file, object] of outputFiles(service)) {
    const owner = registry.owners.get(`file:${file}`);
    if (owner !== undefined) {
      problems.add('name', claims.name, `makes cdk8s write ${object} to ${file}, which ${owner} also writes to, so one would overwrite the other`,
        'give the services different names, or use the FILE_PER_CHART output type');
    }
    if (RESERVED_FOLDERS.includes(file.split('/')[0]) && file.includes('/')) {
      problems.add('scope', Chart.of(service).node.id, `is a Chart whose folder ${file.split('/')[0]}/ is where the library writes its audit policy or report`,
        'give the Chart another id');
    }
    out.push(`file:${file}`);
  }
  return out;
}

/** Records `keys` as owned by `path`. */
export function claim(service: IConstruct, path: string, keys: string[]): void {
  const registry = registryOf(service);
  for (const key of keys) {
    registry.owners.set(key, path);
  }
}

function registryOf(scope: IConstruct): Registry {
  const root = scope.node.root;
  const existing = registries.get(root);
  if (existing) {
    return existing;
  }
  const created: Registry = { owners: new Map() };
  registries.set(root, created);
  return created;
}

/**
 * The files cdk8s writes the service's objects to, for the output types that write one file per
 * object (the file name is `<kind>.<name>`, without the namespace, so two objects can collide).
 */
function outputFiles(service: IConstruct): Array<[string, string]> {
  const app = service.node.root as Partial<App>;
  const type = app.yamlOutputType;
  if (type !== YamlOutputType.FILE_PER_RESOURCE && type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
    return [];
  }
  const folder = type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE ? `${Chart.of(service).node.id}/` : '';
  return service.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => {
    const file = `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
    return [`${folder}${file}${app.outputFileExtension ?? '.k8s.yaml'}`, `${o.kind} ${o.name}`];
  });
}
