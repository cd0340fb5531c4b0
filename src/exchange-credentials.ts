/**
 * Where the exchange API keys come from. The library never sees key material: it only references
 * Secrets that already exist in the namespace (created by an operator, External Secrets, Vault, ...).
 */

/** Options for {@link ExchangeCredentials.fromSecret}. */
export interface SecretCredentialsOptions {
  /**
   * Only these keys of the Secret are mounted, each as a file named after the key.
   * Naming the keys keeps unrelated Secret data (for example a withdrawal key) out of the pod.
   *
   * @default - every key of the Secret is mounted
   */
  readonly keys?: string[];
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
    credentials._unknownOptions = Object.keys(given).filter((key) => key !== 'keys');
    return credentials;
  }

  /**
   * Option keys that `fromSecret` does not know (a misspelt `keys`), reported by the construct.
   *
   * @internal
   */
  public _unknownOptions: string[] = [];

  /**
   * @param secretName the name of the referenced Secret
   * @param keys the keys to mount, or undefined for all keys
   */
  private constructor(
    /** The name of the referenced Secret. */
    public readonly secretName: string,
    /** The keys to mount; undefined mounts every key. */
    public readonly keys?: string[],
  ) {}
}
