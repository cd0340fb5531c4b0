import { CredentialRotation } from './credential-rotation';

/**
 * The External Secrets Operator source of exchange keys: which store the operator reads, and how the
 * Secret it writes is kept. Choices only; the ExternalSecret object is built by the credentials part.
 */

/** The kind of External Secrets store an ExternalSecret reads from. */
export enum ExternalSecretStoreKind {
  /** A `SecretStore` in the service's namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/**
 * The External Secrets Operator store (`external-secrets.io/v1`) that holds the exchange keys. The
 * store itself (its provider, address and authentication) is set up by the platform team; the library
 * only references it by name.
 */
export class ExternalSecretStore {
  /**
   * A `SecretStore` in the service's namespace: only ExternalSecrets of this namespace can use it, so
   * its provider credentials reach no other team.
   *
   * @param name the name of the SecretStore
   */
  public static secretStore(name: string): ExternalSecretStore {
    return new ExternalSecretStore(ExternalSecretStoreKind.SECRET_STORE, name);
  }

  /**
   * A cluster-wide `ClusterSecretStore`. Restrict it to the trading namespaces with its
   * `spec.conditions`: any namespace its conditions admit can read every key it serves.
   *
   * @param name the name of the ClusterSecretStore
   */
  public static clusterSecretStore(name: string): ExternalSecretStore {
    return new ExternalSecretStore(ExternalSecretStoreKind.CLUSTER_SECRET_STORE, name);
  }

  private constructor(
    /** SecretStore or ClusterSecretStore. */
    public readonly kind: ExternalSecretStoreKind,
    /** The store's name. */
    public readonly name: string,
  ) {}
}

/** What the operator does to the Secret it wrote when the ExternalSecret is deleted. */
export enum ExternalSecretDeletionPolicy {
  /**
   * Keep the Secret when the remote secret is deleted: pods keep running on the last keys until a
   * person acts (ESO's `Retain`).
   */
  RETAIN = 'Retain',
  /**
   * Delete the Secret when every remote value is gone: a key revoked in the store leaves the cluster
   * too, and pods that restart fail to start rather than run on revoked keys (ESO's `Delete`).
   */
  DELETE = 'Delete',
}

/** Options for {@link ExchangeCredentials.fromExternalSecret}. */
export interface ExternalSecretCredentialsOptions {
  /** The SecretStore or ClusterSecretStore that holds the keys. */
  readonly store: ExternalSecretStore;

  /**
   * The key of the secret in the external store (its path or name there, such as
   * `trading/binance-futures`). Written to `remoteRef.key` of every entry.
   */
  readonly remoteKey: string;

  /**
   * The files the app reads, each mapped to the property of the remote secret that holds its value:
   * `{ "api-key": "apiKey", "api-secret": "apiSecret" }` mounts `<credentialsPath>/<secret name>/api-key`
   * with the remote property `apiKey`. File names follow the rules of Secret keys; only these files
   * are written to the Secret and mounted.
   */
  readonly files: { [fileName: string]: string };

  /**
   * How often the operator reads the store again, as a Go duration of whole hours, minutes and
   * seconds (`"15m"`, `"1h"`, `"1h30m"`): from 1 minute to 24 hours. A key rotated in the store reaches
   * the Secret within this time, then the pod's files within the kubelet's sync (about a minute).
   * `0` (fetch once, never refresh) is refused: rotated keys would never arrive.
   *
   * @default "1h"
   */
  readonly refreshInterval?: string;

  /**
   * What happens to the Secret when the remote secret is deleted.
   *
   * @default ExternalSecretDeletionPolicy.RETAIN
   */
  readonly deletionPolicy?: ExternalSecretDeletionPolicy;

  /**
   * How a rotated key reaches the app once the operator has updated the Secret.
   *
   * @default CredentialRotation.RELOAD_FILES
   */
  readonly rotation?: CredentialRotation;
}
