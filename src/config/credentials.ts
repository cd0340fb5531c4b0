/**
 * The credentials' props: which Secrets hold the exchange keys, and which of their keys to mount.
 */
import { CredentialRotation } from '../credential-rotation';
import { ExchangeCredentials, ExchangeCredentialsSource } from '../exchange-credentials';
import { mountConflictProblem, mountPathProblem, SERVICE_ACCOUNT_TOKEN_DIR, TMP_DIR } from '../mount-paths';
import { dns1123LabelProblem, dns1123SubdomainProblem, Problems, secretKeyProblem } from '../validate';
import { VaultAgentMode } from '../vault-agent-props';
import { check, listOf, stringProblem } from './common';
import { ResolvedSecretsStoreCsi, resolveSecretsStoreCsi, ResolvedVaultAgent, resolveVaultAgent } from './credential-sources';
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
  /** Where the keys come from. */
  readonly source: ExchangeCredentialsSource;
  /** The ExternalSecret that writes the Secret; undefined for an existing Secret. */
  readonly externalSecret?: ResolvedExternalSecret;
  /** The SecretProviderClass the CSI volume reads; only for the CSI driver. */
  readonly secretsStoreCsi?: ResolvedSecretsStoreCsi;
  /** The injector's configuration; only for Vault Agent. */
  readonly vaultAgent?: ResolvedVaultAgent;
}

/** Whether the credential's keys live in a Kubernetes Secret (as opposed to files a CSI driver or an agent writes). */
export function isSecretBacked(credential: ResolvedCredential): boolean {
  return credential.source === ExchangeCredentialsSource.SECRET || credential.source === ExchangeCredentialsSource.EXTERNAL_SECRET;
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
  const given = (pathValue ?? CREDENTIALS_ROOT) as string;
  const pathProblem = stringProblem(given) ?? mountPathProblem(given) ?? mountConflictProblem(given, [TMP_DIR, SERVICE_ACCOUNT_TOKEN_DIR]);
  check(problems, 'credentialsPath', given, pathProblem, `use an absolute directory of its own, such as the default "${CREDENTIALS_ROOT}"`);
  // A refused path may not even be a string: the credentials below are checked against the default.
  const credentialsPath = pathProblem ? CREDENTIALS_ROOT : given;
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
  let vaultAgents = 0;
  items.forEach((credential, index) => {
    const prop = `credentials[${index}]`;
    if (!(credential instanceof ExchangeCredentials)) {
      problems.add(prop, credential, 'is not an ExchangeCredentials',
        'create it with ExchangeCredentials.fromSecret("<secret name>"), fromExternalSecret(...), fromSecretsStoreCsi(...) or fromVaultAgent(...)');
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
    const source = credential.source;
    const externalSecret = source === ExchangeCredentialsSource.EXTERNAL_SECRET
      ? resolveExternalSecret(problems, prop, credential._externalSecret) : undefined;
    const secretsStoreCsi = source === ExchangeCredentialsSource.SECRETS_STORE_CSI
      ? resolveSecretsStoreCsi(problems, prop, credential._sourceOptions) : undefined;
    const vaultAgent = source === ExchangeCredentialsSource.VAULT_AGENT
      ? resolveVaultAgent(problems, prop, credential._sourceOptions) : undefined;
    if (source === ExchangeCredentialsSource.SECRETS_STORE_CSI || source === ExchangeCredentialsSource.VAULT_AGENT) {
      // Names a directory and, for the CSI driver, a SecretProviderClass: one label, no dots.
      check(problems, `${prop}.name`, secretName, dns1123LabelProblem(secretName), 'use a lower-case RFC 1123 label such as "binance-keys"');
    }
    if (source === ExchangeCredentialsSource.VAULT_AGENT) {
      if (vaultAgents > 0) {
        problems.add(prop, secretName, 'is a second fromVaultAgent credential: the injector writes every file of a pod into one volume',
          'list every file in one ExchangeCredentials.fromVaultAgent(...) credential');
      }
      vaultAgents++;
    }
    // An ExternalSecret's keys are its files, checked with its options; so are the CSI driver's and the agent's.
    const keys = externalSecret ? externalSecret.data.map((d) => d.secretKey)
      : secretsStoreCsi ? secretsStoreCsi.files.map((f) => f.file)
        : vaultAgent ? vaultAgent.files.map((f) => f.file)
          : credential.keys === undefined || source !== ExchangeCredentialsSource.SECRET ? undefined
            : resolveKeys(problems, `${prop}.keys`, credential.keys);
    const rotation = resolveRotation(problems, `${prop}.rotation`, credential._rotation, source, vaultAgent);
    credentials.push({
      secretName,
      keys,
      rotation,
      source,
      volumeName: `credentials-${index}`,
      mountPath: `${credentialsPath}/${secretName}`,
      externalSecret,
      secretsStoreCsi,
      vaultAgent,
    });
  });
  return { credentials, credentialsPath };
}

/** The rotation of one credential: Reloader restarts only for Secrets; a pre-populated agent never rewrites the files. */
function resolveRotation(problems: Problems, prop: string, value: unknown, source: ExchangeCredentialsSource,
  vaultAgent: ResolvedVaultAgent | undefined): CredentialRotation {
  const rotation = value ?? CredentialRotation.RELOAD_FILES;
  if (!Object.values(CredentialRotation).includes(rotation as CredentialRotation)) {
    problems.add(prop, rotation, 'is not a CredentialRotation',
      'use CredentialRotation.RELOAD_FILES (the app re-reads the files) or CredentialRotation.RESTART_ON_CHANGE (Stakater Reloader restarts the pods)');
  } else if (rotation === CredentialRotation.RESTART_ON_CHANGE && (source === ExchangeCredentialsSource.SECRETS_STORE_CSI
    || source === ExchangeCredentialsSource.VAULT_AGENT)) {
    problems.add(prop, rotation, `is not possible for ${source === ExchangeCredentialsSource.VAULT_AGENT ? 'Vault Agent' : 'Secrets Store CSI'} credentials: `
      + 'Stakater Reloader restarts pods when a Kubernetes Secret changes, and this source writes the files without any Secret',
    source === ExchangeCredentialsSource.VAULT_AGENT
      ? 'use mode: VaultAgentMode.SIDECAR with CredentialRotation.RELOAD_FILES (the agent rewrites the files, the app re-reads them), or PRE_POPULATE_ONLY and roll the pods'
      : 'run the driver with --enable-secret-rotation and use CredentialRotation.RELOAD_FILES (the files are updated in place, the app re-reads them)');
  } else if (value !== undefined && vaultAgent?.mode === VaultAgentMode.PRE_POPULATE_ONLY) {
    problems.add(prop, rotation, 'is set with mode PRE_POPULATE_ONLY, where the files are written once at pod start and never change',
      'leave rotation out and roll the pods after a rotation, or use mode: VaultAgentMode.SIDECAR for files that follow Vault');
  }
  return rotation as CredentialRotation;
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
