import { CredentialRotation } from './credential-rotation';

/**
 * The Secrets Store CSI driver source of exchange keys: which provider plugin fetches them and how it
 * authenticates. Choices only; the SecretProviderClass and the `csi` volume are built by the
 * credentials part.
 */

/** The provider plugins of the Secrets Store CSI driver that the library can configure. */
export enum SecretsStoreProviderKind {
  /** HashiCorp Vault (`vault-csi-provider`). */
  VAULT = 'vault',
  /** AWS Secrets Manager and SSM Parameter Store (`secrets-store-csi-provider-aws`). */
  AWS = 'aws',
  /** Azure Key Vault (`secrets-store-csi-provider-azure`). */
  AZURE = 'azure',
  /** Google Secret Manager (`secrets-store-csi-driver-provider-gcp`). */
  GCP = 'gcp',
}

/** Options for {@link SecretsStoreProvider.vault}. */
export interface SecretsStoreVaultOptions {
  /**
   * Vault's address as the provider (which runs on each node, not in the pod) reaches it, with
   * `https`: `"https://vault.vault.svc:8200"`.
   */
  readonly address: string;

  /** The Vault role of the Kubernetes auth method that this service's ServiceAccount logs in with. */
  readonly roleName: string;

  /**
   * The mount path of Vault's Kubernetes auth method, without the `auth/` prefix.
   *
   * @default "kubernetes"
   */
  readonly authMountPath?: string;

  /**
   * The audience of the ServiceAccount token the provider logs in with. The token comes from the
   * kubelet: list this audience in the `tokenRequests` of the `secrets-store.csi.k8s.io` CSIDriver
   * (the driver's Helm value `tokenRequests`), and in the audience of the Vault role. The pod itself
   * keeps `automountServiceAccountToken: false`.
   *
   * @default "vault"
   */
  readonly audience?: string;
}

/** Options for {@link SecretsStoreProvider.aws}. */
export interface SecretsStoreAwsOptions {
  /** The AWS region of the secrets, such as `"eu-west-1"`. */
  readonly region: string;

  /**
   * Authenticate with EKS Pod Identity instead of IAM Roles for Service Accounts (IRSA). With IRSA
   * the service's ServiceAccount needs the `eks.amazonaws.com/role-arn` annotation, set by the
   * platform team; with Pod Identity an association of the ServiceAccount with the role.
   *
   * @default false
   */
  readonly usePodIdentity?: boolean;
}

/** Options for {@link SecretsStoreProvider.azure}. */
export interface SecretsStoreAzureOptions {
  /** The name of the Key Vault. */
  readonly keyVaultName: string;

  /** The Microsoft Entra tenant id of the Key Vault (a GUID). */
  readonly tenantId: string;

  /**
   * The client id (a GUID) of the managed identity or app that Microsoft Entra Workload ID federates
   * with the service's ServiceAccount.
   */
  readonly clientId: string;
}

/** Options for {@link SecretsStoreProvider.gcp}. */
export interface SecretsStoreGcpOptions {
  /**
   * The Google Cloud project that holds the secrets: each file's `name` is a secret of it, read as
   * `projects/<project>/secrets/<name>/versions/<version>`.
   */
  readonly project: string;
}

/**
 * The provider plugin of the Secrets Store CSI driver that fetches the exchange keys, and how it
 * authenticates as the service. The plugin runs on each node as a DaemonSet set up by the platform
 * team; the library only writes the SecretProviderClass that tells it what to fetch.
 */
export class SecretsStoreProvider {
  /**
   * HashiCorp Vault through `vault-csi-provider`. Each file's `name` is a Vault secret path (`secret/data/trading/binance`
   * for KV version 2) and its `key` the field of that secret.
   *
   * @param options the address, the role and the token audience
   */
  public static vault(options: SecretsStoreVaultOptions): SecretsStoreProvider {
    return new SecretsStoreProvider(SecretsStoreProviderKind.VAULT, options);
  }

  /**
   * AWS Secrets Manager through `secrets-store-csi-provider-aws`. Each file's `name` is a secret's name
   * or ARN, and its optional `key` a JMESPath into a JSON secret (`apiKey`).
   *
   * @param options the region and how the pod authenticates
   */
  public static aws(options: SecretsStoreAwsOptions): SecretsStoreProvider {
    return new SecretsStoreProvider(SecretsStoreProviderKind.AWS, options);
  }

  /**
   * Azure Key Vault through `secrets-store-csi-provider-azure`, authenticated with Microsoft Entra
   * Workload ID. Each file's `name` is a Key Vault secret name; `key` is not supported.
   *
   * @param options the Key Vault, its tenant and the workload identity's client id
   */
  public static azure(options: SecretsStoreAzureOptions): SecretsStoreProvider {
    return new SecretsStoreProvider(SecretsStoreProviderKind.AZURE, options);
  }

  /**
   * Google Secret Manager through `secrets-store-csi-driver-provider-gcp`, authenticated with
   * Workload Identity Federation for GKE. Each file's `name` is a secret of `options.project`; `key`
   * is not supported.
   *
   * @param options the project that holds the secrets
   */
  public static gcp(options: SecretsStoreGcpOptions): SecretsStoreProvider {
    return new SecretsStoreProvider(SecretsStoreProviderKind.GCP, options);
  }

  /**
   * The options as given (validated by the construct).
   *
   * @internal
   */
  public readonly _options: unknown;

  private constructor(
    /** The provider plugin. */
    public readonly kind: SecretsStoreProviderKind,
    options: unknown,
  ) {
    this._options = options;
  }
}

/** One file the app reads, and the secret of the external store it holds. */
export interface SecretsStoreFile {
  /**
   * The secret in the store: a Vault path, an AWS secret name or ARN, an Azure Key Vault secret name,
   * a Google Secret Manager secret name.
   */
  readonly name: string;

  /**
   * The field inside the secret: the Vault secret's key, or a JMESPath into an AWS JSON secret.
   *
   * @default - the whole secret (refused for Vault, which needs the field)
   */
  readonly key?: string;

  /**
   * The version of the secret (Azure and Google only).
   *
   * @default - the latest version, so rotated keys arrive
   */
  readonly version?: string;
}

/** Options for {@link ExchangeCredentials.fromSecretsStoreCsi}. */
export interface SecretsStoreCsiCredentialsOptions {
  /** The provider plugin that fetches the keys. */
  readonly provider: SecretsStoreProvider;

  /**
   * The files the app reads, each mapped to the secret of the store that holds its value:
   * `{ "api-key": { name: "secret/data/trading/binance", key: "apiKey" } }` mounts
   * `<credentialsPath>/<name>/api-key`. File names follow the rules of Secret keys.
   */
  readonly files: { [fileName: string]: SecretsStoreFile };

  /**
   * How a rotated key reaches the app. With the driver's `--enable-secret-rotation` the files are
   * updated in place every `--rotation-poll-interval` (2 minutes by default); the app re-reads them.
   * `RESTART_ON_CHANGE` is refused: Stakater Reloader watches Secrets, and the CSI driver writes none.
   *
   * @default CredentialRotation.RELOAD_FILES
   */
  readonly rotation?: CredentialRotation;
}
