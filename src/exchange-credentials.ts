/**
 * Where the exchange API keys come from. The library never sees key material: it references Secrets
 * that already exist in the namespace, or declares where an operator fetches them from.
 */
import { CredentialRotation } from './credential-rotation';
import { ExternalSecretCredentialsOptions } from './external-secret-store';

/** Where an {@link ExchangeCredentials} comes from. */
export enum ExchangeCredentialsSource {
  /** An existing Secret ({@link ExchangeCredentials.fromSecret}). */
  SECRET = 'Secret',
  /** A Secret that the External Secrets Operator writes ({@link ExchangeCredentials.fromExternalSecret}). */
  EXTERNAL_SECRET = 'ExternalSecret',
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
    /** The name of the referenced Secret. */
    public readonly secretName: string,
    /** The keys to mount; undefined mounts every key. */
    public readonly keys?: string[],
    /** Where the keys come from. */
    public readonly source: ExchangeCredentialsSource = ExchangeCredentialsSource.SECRET,
  ) {}
}
