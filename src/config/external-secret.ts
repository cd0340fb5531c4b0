/**
 * The options of ExchangeCredentials.fromExternalSecret: the store, the remote key, the files and
 * their remote properties, how often the operator refreshes, and what it does on deletion.
 */
import { ExternalSecretDeletionPolicy, ExternalSecretStore, ExternalSecretStoreKind } from '../external-secret-store';
import { dns1123SubdomainProblem, Problems, secretKeyProblem } from '../validate';
import { check, ownProps, stringMap, stringProblem } from './common';

/** The operator's default, and ours: a rotated key reaches the Secret within the hour. */
export const DEFAULT_REFRESH_INTERVAL = '1h';
const MIN_REFRESH_SECONDS = 60;
const MAX_REFRESH_SECONDS = 24 * 3600;
// rotation is an option of every source, checked with the credential.
const OPTIONS = ['store', 'remoteKey', 'files', 'refreshInterval', 'deletionPolicy', 'rotation'];
const EXAMPLE = '{ store: ExternalSecretStore.secretStore("vault"), remoteKey: "trading/binance", files: { "api-key": "apiKey" } }';

/** One entry of the ExternalSecret's data: a file of the Secret and where its value comes from. */
export interface ResolvedExternalSecretEntry {
  readonly secretKey: string;
  readonly property: string;
}

/** What the credentials part needs to emit one ExternalSecret. */
export interface ResolvedExternalSecret {
  readonly storeKind: ExternalSecretStoreKind;
  readonly storeName: string;
  readonly remoteKey: string;
  readonly data: ResolvedExternalSecretEntry[];
  readonly refreshInterval: string;
  readonly deletionPolicy: ExternalSecretDeletionPolicy;
}

/** Validates the options of one `fromExternalSecret` credential; undefined when they are unusable. */
export function resolveExternalSecret(problems: Problems, prop: string, value: unknown): ResolvedExternalSecret | undefined {
  const before = problems.count;
  const o = ownProps<{ [key: string]: unknown }>(problems, prop, value, OPTIONS, EXAMPLE);
  if (!o) {
    return undefined;
  }
  const store = o.store;
  if (!(store instanceof ExternalSecretStore)) {
    problems.add(`${prop}.store`, store, 'is not an ExternalSecretStore',
      'pass store: ExternalSecretStore.secretStore("<name>") or ExternalSecretStore.clusterSecretStore("<name>")');
  } else {
    check(problems, `${prop}.store.name`, store.name, stringProblem(store.name) ?? dns1123SubdomainProblem(store.name),
      `name the ${store.kind} as it exists in the cluster, such as "vault-trading"`);
  }
  const remoteKey = o.remoteKey;
  check(problems, `${prop}.remoteKey`, remoteKey, stringProblem(remoteKey) ?? remoteTextProblem(remoteKey as string),
    'give the secret\'s key (path or name) in the external store, such as "trading/binance-futures"');
  const data = resolveFiles(problems, `${prop}.files`, o.files);
  const refreshInterval = o.refreshInterval ?? DEFAULT_REFRESH_INTERVAL;
  check(problems, `${prop}.refreshInterval`, refreshInterval, stringProblem(refreshInterval) ?? refreshIntervalProblem(refreshInterval as string),
    `use a Go duration of whole hours, minutes and seconds from 1m to 24h, such as "${DEFAULT_REFRESH_INTERVAL}" or "15m"`);
  const deletionPolicy = o.deletionPolicy ?? ExternalSecretDeletionPolicy.RETAIN;
  if (!Object.values(ExternalSecretDeletionPolicy).includes(deletionPolicy as ExternalSecretDeletionPolicy)) {
    problems.add(`${prop}.deletionPolicy`, deletionPolicy, 'is not an ExternalSecretDeletionPolicy',
      'use ExternalSecretDeletionPolicy.RETAIN or ExternalSecretDeletionPolicy.DELETE');
  }
  if (problems.count > before) {
    return undefined;
  }
  const s = store as ExternalSecretStore;
  return {
    storeKind: s.kind,
    storeName: s.name,
    remoteKey: remoteKey as string,
    data,
    refreshInterval: refreshInterval as string,
    deletionPolicy: deletionPolicy as ExternalSecretDeletionPolicy,
  };
}

function resolveFiles(problems: Problems, prop: string, value: unknown): ResolvedExternalSecretEntry[] {
  if (value === undefined) {
    problems.add(prop, value, 'is missing', 'name each file the app reads and the remote property it holds: files: { "api-key": "apiKey" }');
    return [];
  }
  const files = stringMap(problems, prop, value, '{ "api-key": "apiKey", "api-secret": "apiSecret" }');
  if (!files) {
    return [];
  }
  const entries = Object.entries(files);
  if (entries.length === 0) {
    problems.add(prop, value, 'is empty, which would mount nothing', 'name each file the app reads: files: { "api-key": "apiKey" }');
  }
  const seen = new Map<string, string>();
  for (const [file, property] of entries) {
    check(problems, `${prop}["${file}"]`, file, secretKeyProblem(file), 'name the file as the app reads it, such as "api-key"');
    check(problems, `${prop}["${file}"]`, property, remoteTextProblem(property),
      'give the property of the remote secret that holds this file\'s value, such as "apiKey"');
    const other = seen.get(property);
    if (other !== undefined) {
      problems.add(`${prop}["${file}"]`, property, `is also the property of file "${other}"`,
        'map each file to its own property: two files with one value hide a wrong mapping');
    }
    seen.set(property, file);
  }
  return entries.map(([secretKey, property]) => ({ secretKey, property }));
}

/** A key or property in the external store: printable, on one line, not padded. */
function remoteTextProblem(value: string): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > 512) {
    return 'must be at most 512 characters long';
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return 'must not contain control characters or line breaks';
  }
  if (value.trim() !== value) {
    return 'must not start or end with white space';
  }
  return undefined;
}

/** The seconds of a Go duration of whole hours, minutes and seconds (`1h30m`), or undefined. */
export function durationSeconds(value: string): number | undefined {
  const match = /^(?:(\d{1,4})h)?(?:(\d{1,6})m)?(?:(\d{1,8})s)?$/.exec(value);
  if (!match || value === '') {
    return undefined;
  }
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

function refreshIntervalProblem(value: string): string | undefined {
  const seconds = durationSeconds(value);
  if (seconds === undefined) {
    return 'is not a Go duration of whole hours, minutes and seconds';
  }
  if (seconds === 0) {
    return 'is zero, which makes the operator fetch the keys once and never again: a rotated key would never reach the pods';
  }
  if (seconds < MIN_REFRESH_SECONDS) {
    return 'is shorter than a minute: every refresh is a read of the external store (rate limits, cost, audit noise)';
  }
  if (seconds > MAX_REFRESH_SECONDS) {
    return 'is longer than 24 hours: a rotated or revoked key would stay in the pods for more than a day';
  }
  return undefined;
}
