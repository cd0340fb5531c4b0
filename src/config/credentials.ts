/**
 * The credentials' props: which Secrets hold the exchange keys, and which of their keys to mount.
 */
import { CredentialRotation } from '../credential-rotation';
import { ExchangeCredentials, ExchangeCredentialsSource } from '../exchange-credentials';
import { mountConflictProblem, mountPathProblem, SERVICE_ACCOUNT_TOKEN_DIR, TMP_DIR } from '../mount-paths';
import { dns1123SubdomainProblem, Problems, secretKeyProblem } from '../validate';
import { check, listOf, stringProblem } from './common';
import { ResolvedExternalSecret, resolveExternalSecret } from './external-secret';

/** Where every credential Secret is mounted by default, one directory per Secret. */
export const CREDENTIALS_ROOT = '/var/run/secrets/trading';
/** Owner root read, group (the pod's fsGroup) read, nothing for others. */
export const CREDENTIALS_FILE_MODE = 0o440;

/** One credential Secret, as the pod mounts it. */
export interface ResolvedCredential {
  readonly secretName: string;
  readonly keys?: string[];
  readonly volumeName: string;
  readonly mountPath: string;
  /** How a rotated key reaches the app. */
  readonly rotation: CredentialRotation;
  /** The ExternalSecret that writes the Secret; undefined for an existing Secret. */
  readonly externalSecret?: ResolvedExternalSecret;
}

/** What the credentials part needs. */
export interface ResolvedCredentials {
  /** Empty for a service that holds no key. */
  readonly credentials: ResolvedCredential[];
  /** The directory the credential Secrets are mounted under. */
  readonly credentialsPath: string;
}

/** Resolves the credentials and credentialsPath props. */
export function resolveCredentials(value: unknown, pathValue: unknown, problems: Problems): ResolvedCredentials {
  const credentialsPath = (pathValue ?? CREDENTIALS_ROOT) as string;
  check(problems, 'credentialsPath', credentialsPath, stringProblem(credentialsPath) ?? mountPathProblem(credentialsPath)
    ?? mountConflictProblem(credentialsPath, [TMP_DIR, SERVICE_ACCOUNT_TOKEN_DIR]),
  `use an absolute directory of its own, such as the default "${CREDENTIALS_ROOT}"`);
  const example = '[ExchangeCredentials.fromSecret("<secret holding the exchange API key>")]';
  const items = value === undefined ? [] : listOf(problems, 'credentials', value, example);
  if (items === undefined) {
    return { credentials: [], credentialsPath };
  }
  if (value !== undefined && items.length === 0) {
    problems.add('credentials', value, 'is an empty list', `pass credentials: ${example}, or leave credentials out for a service that holds no key`);
    return { credentials: [], credentialsPath };
  }
  const seen = new Set<string>();
  const credentials: ResolvedCredential[] = [];
  items.forEach((credential, index) => {
    const prop = `credentials[${index}]`;
    if (!(credential instanceof ExchangeCredentials)) {
      problems.add(prop, credential, 'is not an ExchangeCredentials', 'create it with ExchangeCredentials.fromSecret("<secret name>") or ExchangeCredentials.fromExternalSecret(...)');
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
    for (const option of credential._unknownOptions) {
      problems.add(`${prop}.${option}`, option, 'is not an option of ExchangeCredentials.fromSecret', 'pass { keys: ["api-key", "api-secret"] } or no options');
    }
    const externalSecret = credential.source === ExchangeCredentialsSource.EXTERNAL_SECRET
      ? resolveExternalSecret(problems, prop, credential._externalSecret) : undefined;
    // An ExternalSecret's keys are its files, checked with its options.
    const keys = externalSecret ? externalSecret.data.map((d) => d.secretKey)
      : credential.keys === undefined || credential.source !== ExchangeCredentialsSource.SECRET ? undefined
        : resolveKeys(problems, `${prop}.keys`, credential.keys);
    const rotation = credential._rotation ?? CredentialRotation.RELOAD_FILES;
    if (!Object.values(CredentialRotation).includes(rotation as CredentialRotation)) {
      problems.add(`${prop}.rotation`, rotation, 'is not a CredentialRotation',
        'use CredentialRotation.RELOAD_FILES (the app re-reads the files) or CredentialRotation.RESTART_ON_CHANGE (Stakater Reloader restarts the pods)');
    }
    credentials.push({
      secretName,
      keys,
      rotation: rotation as CredentialRotation,
      volumeName: `credentials-${index}`,
      mountPath: `${credentialsPath}/${secretName}`,
      externalSecret,
    });
  });
  return { credentials, credentialsPath };
}

function resolveKeys(problems: Problems, prop: string, value: unknown): string[] {
  const keys = listOf(problems, prop, value, '["api-key", "api-secret"]');
  if (!keys) {
    return [];
  }
  if (keys.length === 0) {
    problems.add(prop, value, 'is empty, which would mount nothing', 'list the keys to mount, or leave keys out to mount them all');
  }
  const seen = new Set<string>();
  for (const key of keys) {
    const keyProblem = stringProblem(key) ?? secretKeyProblem(key as string);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use the Secret data key exactly as stored, such as "api-key"');
    } else if (seen.has(key as string)) {
      problems.add(prop, key, 'is listed twice', 'list each key once');
    }
    seen.add(key as string);
  }
  return keys as string[];
}
