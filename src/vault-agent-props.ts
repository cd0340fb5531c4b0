import { CredentialRotation } from './credential-rotation';
import { ResourceRequirements } from './pod-props';

/**
 * The Vault Agent injector source of exchange keys: which Vault secrets render the files, where Vault
 * is, and how the injected agent runs. Choices only; the pod-template annotations and the token
 * volume are built by the credentials part.
 */

/** Whether the injected Vault Agent keeps running beside the app. */
export enum VaultAgentMode {
  /**
   * An init container and a sidecar: the init container writes the files before the app starts, the
   * sidecar re-renders them when the secret changes (KV version 2: every 5 minutes, the injector's
   * `template-static-secret-render-interval`). Rotated keys reach the files without a restart.
   */
  SIDECAR = 'Sidecar',
  /**
   * Only the init container (`agent-pre-populate-only`): the files are written once, at pod start,
   * and never change. A rotated key reaches the app only with new pods (`kubectl rollout restart`).
   * No agent, and no Vault token, stays in the running pod.
   */
  PRE_POPULATE_ONLY = 'PrePopulateOnly',
}

/** Options for {@link VaultEndpoint.inCluster}. */
export interface VaultInClusterOptions {
  /** The namespace Vault's server pods run in, such as `"vault"`. */
  readonly namespace: string;

  /**
   * The labels of Vault's server pods; the egress NetworkPolicy rule selects them.
   *
   * @default { "app.kubernetes.io/name": "vault", "component": "server" } (the Vault Helm chart's)
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * The name of Vault's Service in `namespace`: the agent calls `https://<serviceName>.<namespace>.svc:<port>`.
   *
   * @default "vault"
   */
  readonly serviceName?: string;

  /**
   * Vault's API port.
   *
   * @default 8200
   */
  readonly port?: number;
}

/** Options for {@link VaultEndpoint.external}. */
export interface VaultExternalOptions {
  /** Vault's address with `https`, such as `"https://vault.example.com:8200"`. */
  readonly address: string;

  /**
   * The address block Vault's address resolves to; the egress NetworkPolicy rule allows it, through
   * the same checks as `exchangeEndpoints` (no metadata, loopback or link-local addresses; private
   * ranges only with `allowPrivateRangeEgress`).
   */
  readonly cidr: string;
}

/**
 * Where Vault is, as the injected agent reaches it. The egress NetworkPolicy rule the agent needs is
 * derived from it, and nothing else is opened.
 */
export class VaultEndpoint {
  /**
   * Vault running in the cluster: the agent calls its Service over https, and egress is allowed to
   * Vault's pods only (by namespace and labels), on its port.
   *
   * @param options Vault's namespace, pod labels, Service and port
   */
  public static inCluster(options: VaultInClusterOptions): VaultEndpoint {
    return new VaultEndpoint(true, options);
  }

  /**
   * Vault outside the cluster (HCP Vault, a VM): the agent calls `address`, and egress is allowed to
   * `cidr` on the address's port.
   *
   * @param options the address and the block it resolves to
   */
  public static external(options: VaultExternalOptions): VaultEndpoint {
    return new VaultEndpoint(false, options);
  }

  /**
   * The options as given (validated by the construct).
   *
   * @internal
   */
  public readonly _options: unknown;

  private constructor(
    /** Whether Vault runs in the cluster (as opposed to outside it, at an address block). */
    public readonly isInCluster: boolean,
    options: unknown,
  ) {
    this._options = options;
  }
}

/** The KV secrets engine version a {@link VaultSecret} is read from. */
export enum VaultKvVersion {
  /** KV version 1: the field is `.Data.<key>`. */
  V1 = 'v1',
  /** KV version 2 (versioned): the field is `.Data.data.<key>`, and the path has `/data/`. */
  V2 = 'v2',
}

/**
 * One field of a Vault secret: what one file the app reads holds. The library writes the agent
 * template that renders exactly this field into the file.
 */
export class VaultSecret {
  /**
   * A field of a KV version 2 secret.
   *
   * @param path the secret's API path, with the engine's `data/` segment: `"secret/data/trading/binance"`
   * @param key the field of the secret, such as `"apiKey"`
   */
  public static kv2(path: string, key: string): VaultSecret {
    return new VaultSecret(VaultKvVersion.V2, path, key);
  }

  /**
   * A field of a KV version 1 secret.
   *
   * @param path the secret's path: `"kv/trading/binance"`
   * @param key the field of the secret, such as `"apiKey"`
   */
  public static kv1(path: string, key: string): VaultSecret {
    return new VaultSecret(VaultKvVersion.V1, path, key);
  }

  private constructor(
    /** The KV engine version. */
    public readonly version: VaultKvVersion,
    /** The secret's path in Vault. */
    public readonly path: string,
    /** The field of the secret. */
    public readonly key: string,
  ) {}
}

/** Options for {@link ExchangeCredentials.fromVaultAgent}. */
export interface VaultAgentCredentialsOptions {
  /** Where Vault is; the agent's egress is derived from it. */
  readonly vault: VaultEndpoint;

  /** The Vault role of the Kubernetes auth method that this service's ServiceAccount logs in with. */
  readonly role: string;

  /**
   * The files the app reads, each rendered from one field of a Vault secret:
   * `{ "api-key": VaultSecret.kv2("secret/data/trading/binance", "apiKey") }` writes
   * `<credentialsPath>/<name>/api-key`, mode 0440.
   */
  readonly files: { [fileName: string]: VaultSecret };

  /**
   * The mount path of Vault's Kubernetes auth method, with the `auth/` prefix.
   *
   * @default "auth/kubernetes"
   */
  readonly authPath?: string;

  /**
   * Whether the agent stays beside the app to re-render rotated keys.
   *
   * @default VaultAgentMode.SIDECAR
   */
  readonly mode?: VaultAgentMode;

  /**
   * The audience of the projected ServiceAccount token the agent logs in with; the Vault role must
   * list it (`audience`). A token for this audience is useless against the Kubernetes API.
   *
   * @default "vault"
   */
  readonly tokenAudience?: string;

  /**
   * The lifetime of that token, in seconds: the kubelet renews it at 80% of it. From 600 (the
   * kubelet's minimum) to 3600.
   *
   * @default 600
   */
  readonly tokenExpirationSeconds?: number;

  /**
   * A Secret in the service's namespace whose `ca.crt` signs Vault's certificate (an in-cluster Vault
   * usually has a private CA). The injector mounts it into the agent only (`tls-secret`, `ca-cert`).
   *
   * @default - the agent image's system CAs
   */
  readonly caCertSecret?: string;

  /**
   * The Vault Agent image the injector runs for this pod, pinned by digest
   * (`hashicorp/vault:1.21.1@sha256:<64 hex>`), written as `vault.hashicorp.com/agent-image`.
   * Required with `imageSignature`: the injected agent containers run this image, which the
   * signature policy then admits by its exact digest (it is not checked against your signer:
   * HashiCorp signs its images with its own key); any other agent image is refused.
   *
   * @default - the injector's configured image (refused with `imageSignature`)
   */
  readonly agentImage?: string;

  /**
   * Requests and limits of the injected agent containers (each field left out keeps the agent's
   * default below, not the API container's).
   *
   * @default - 50m/250m CPU, 64Mi/128Mi memory, 16Mi/64Mi ephemeral storage
   */
  readonly agentResources?: ResourceRequirements;

  /**
   * How a rotated key reaches the app: with `SIDECAR` the agent rewrites the files and the app re-reads
   * them. `RESTART_ON_CHANGE` is refused (Stakater Reloader watches Secrets, and the agent writes
   * none); with `PRE_POPULATE_ONLY` the files never change, so leave rotation out.
   *
   * @default CredentialRotation.RELOAD_FILES with SIDECAR
   */
  readonly rotation?: CredentialRotation;
}
