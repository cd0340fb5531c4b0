/**
 * Where the exchange API keys come from. The library never sees key material: it references Secrets
 * that already exist in the namespace, or declares where an operator fetches them from.
 */
import { CredentialRotation } from './credential-rotation';
import { ExternalSecretCredentialsOptions } from './external-secret-store';
import { SecretsStoreCsiCredentialsOptions } from './secrets-store-provider';
import { VaultAgentCredentialsOptions } from './vault-agent-props';

/** Where an {@link ExchangeCredentials} comes from. */
export enum ExchangeCredentialsSource {
  /** An existing Secret ({@link ExchangeCredentials.fromSecret}). */
  SECRET = 'Secret',
  /** A Secret that the External Secrets Operator writes ({@link ExchangeCredentials.fromExternalSecret}). */
  EXTERNAL_SECRET = 'ExternalSecret',
  /** Files the Secrets Store CSI driver writes ({@link ExchangeCredentials.fromSecretsStoreCsi}). */
  SECRETS_STORE_CSI = 'SecretsStoreCsi',
  /** Files the injected Vault Agent renders ({@link ExchangeCredentials.fromVaultAgent}). */
  VAULT_AGENT = 'VaultAgent',
}

/** Options for {@link ExchangeCredentials.fromSecret}. */
export interface SecretCredentialsOptions {
  /**
   * Only these keys of the Secret are mounted, each as a file named after the key.
   * Naming the keys keeps unrelated Secret data (for example a withdrawal key) out of the pod.
   *
   * @default - every key of the Secret is mounted
   */
  readonly keys?: string[];

  /**
   * How a rotated key reaches the app: it re-reads the files, or Stakater Reloader restarts the pods
   * when this Secret changes.
   *
   * @default CredentialRotation.RELOAD_FILES
   */
  readonly rotation?: CredentialRotation;
}

/**
 * A reference to exchange credentials held in an existing Kubernetes Secret.
 *
 * The Secret is mounted read-only as files under
 * `/var/run/secrets/trading/<secret name>/` with mode 0440 (owner root, group 10001: the pod's
 * `fsGroup`). It is never turned into environment variables: those leak through `/proc`, crash dumps
 * and child processes.
 */
export class ExchangeCredentials {
  /**
   * Credentials from an existing Secret in the same namespace as the service.
   *
   * @param secretName the name of the Secret (it must exist before the pods start)
   * @param options which keys to mount
   */
  public static fromSecret(secretName: string, options: SecretCredentialsOptions = {}): ExchangeCredentials {
    // Plain-JavaScript callers can pass anything: keep what was given (a string stays a string, never
    // its characters) and let the construct's validation name the problem.
    const given: { [key: string]: unknown } = options !== null && typeof options === 'object' ? options as any : {};
    const keys = Array.isArray(given.keys) ? [...given.keys] : given.keys as string[] | undefined;
    const credentials = new ExchangeCredentials(secretName, keys ?? undefined);
    credentials._unknownOptions = Object.keys(given).filter((key) => key !== 'keys' && key !== 'rotation');
    credentials._rotation = given.rotation;
    return credentials;
  }

  /**
   * Credentials that the External Secrets Operator copies from an external store (Vault, AWS Secrets
   * Manager, GCP Secret Manager, Azure Key Vault, ...) into the Secret `secretName`. The service emits
   * one `ExternalSecret` (`external-secrets.io/v1`) in its namespace, with the operator as the Secret's
   * owner (`creationPolicy: Owner`), and mounts the Secret exactly as {@link fromSecret} does: only the
   * files named in `options.files`. Keys rotated in the store reach the pod's files within
   * `refreshInterval` plus the kubelet's sync.
   *
   * @param secretName the name of the Secret the operator writes (and of the ExternalSecret)
   * @param options the store, the remote key and the files to write
   */
  public static fromExternalSecret(secretName: string, options: ExternalSecretCredentialsOptions): ExchangeCredentials {
    const given: { [key: string]: unknown } = options !== null && typeof options === 'object' ? options as any : {};
    const files = given.files !== null && typeof given.files === 'object' && !Array.isArray(given.files) ? Object.keys(given.files) : undefined;
    const credentials = new ExchangeCredentials(secretName, files, ExchangeCredentialsSource.EXTERNAL_SECRET);
    // The options are kept as given and validated, with every other prop, by the construct.
    credentials._externalSecret = options === undefined ? {} : options;
    credentials._rotation = given.rotation;
    return credentials;
  }

  /**
   * Credentials that the Secrets Store CSI driver fetches from an external store (Vault, AWS Secrets
   * Manager, Azure Key Vault, Google Secret Manager) and writes straight into the pod, as files on a
   * read-only `csi` volume (driver `secrets-store.csi.k8s.io`) at `<credentialsPath>/<name>/`. The
   * service emits one `SecretProviderClass` (`secrets-store.csi.x-k8s.io/v1`) named `name` in its
   * namespace, without `secretObjects`: the keys are never synced into a Kubernetes Secret, so they
   * never reach etcd. With the driver's `--enable-secret-rotation` the files are updated in place.
   *
   * @param name the name of the SecretProviderClass and of the credentials' directory
   * @param options the provider and the files to write
   */
  public static fromSecretsStoreCsi(name: string, options: SecretsStoreCsiCredentialsOptions): ExchangeCredentials {
    const given: { [key: string]: unknown } = options !== null && typeof options === 'object' ? options as any : {};
    const files = given.files !== null && typeof given.files === 'object' && !Array.isArray(given.files) ? Object.keys(given.files) : undefined;
    const credentials = new ExchangeCredentials(name, files, ExchangeCredentialsSource.SECRETS_STORE_CSI);
    credentials._sourceOptions = options === undefined ? {} : options;
    credentials._rotation = given.rotation;
    return credentials;
  }

  /**
   * Credentials that the Vault Agent injector renders into the pod: the service's pod template gets
   * the `vault.hashicorp.com/*` annotations (role, one secret and one template per file, the agent's
   * user, resources and mode), the files appear at `<credentialsPath>/<name>/`, and the agent logs in
   * with a projected ServiceAccount token bound to `tokenAudience` and short-lived, which only the
   * agent mounts (`automountServiceAccountToken` stays false). Egress to Vault is derived from
   * `options.vault`. At most one per service: the injector writes every file into one volume.
   *
   * @param name the name of the credentials' directory
   * @param options Vault, the role, the files and the agent's mode
   */
  public static fromVaultAgent(name: string, options: VaultAgentCredentialsOptions): ExchangeCredentials {
    const given: { [key: string]: unknown } = options !== null && typeof options === 'object' ? options as any : {};
    const files = given.files !== null && typeof given.files === 'object' && !Array.isArray(given.files) ? Object.keys(given.files) : undefined;
    const credentials = new ExchangeCredentials(name, files, ExchangeCredentialsSource.VAULT_AGENT);
    credentials._sourceOptions = options === undefined ? {} : options;
    credentials._rotation = given.rotation;
    return credentials;
  }

  /**
   * The options given to `fromSecretsStoreCsi` or `fromVaultAgent`, as given (validated by the construct).
   *
   * @internal
   */
  public _sourceOptions?: unknown;

  /**
   * The rotation option as given (validated by the construct).
   *
   * @internal
   */
  public _rotation?: unknown;

  /**
   * The options given to `fromExternalSecret`, as given (validated by the construct).
   *
   * @internal
   */
  public _externalSecret?: unknown;

  /**
   * Option keys that `fromSecret` does not know (a misspelt `keys`), reported by the construct.
   *
   * @internal
   */
  public _unknownOptions: string[] = [];

  /**
   * @param secretName the name of the referenced Secret
   * @param keys the keys to mount, or undefined for all keys
   * @param source where the keys come from
   */
  private constructor(
    /**
     * The name of the referenced Secret; for the CSI driver the SecretProviderClass's, for Vault
     * Agent the credentials directory's.
     */
    public readonly secretName: string,
    /** The keys to mount; undefined mounts every key. */
    public readonly keys?: string[],
    /** Where the keys come from. */
    public readonly source: ExchangeCredentialsSource = ExchangeCredentialsSource.SECRET,
  ) {}
}
