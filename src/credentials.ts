/**
 * Credentials: how the exchange keys reach the process. As read-only files from Secret volumes or
 * Secrets Store CSI volumes, or rendered by the injected Vault Agent; readable by the pod's group
 * only; never as environment variables, never as values in the manifests.
 */
import { k8s } from 'cdk8s-plus-27';
import { CREDENTIALS_FILE_MODE, ResolvedConfig } from './config';
import { ResolvedVaultAgent } from './config/credential-sources';
import { SECRETS_STORE_CSI_DRIVER, VAULT_ANNOTATION_PREFIX, VAULT_TOKEN_VOLUME, VAULT_TOKEN_VOLUME_ANNOTATION } from './credential-constants';
import { VaultAgentMode, VaultKvVersion } from './vault-agent-props';

/** The volumes, mounts and pod-template annotations that bring the credentials into the API container. */
export interface CredentialMounts {
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  /** The Vault Agent injector's annotations; empty without a Vault Agent credential. */
  readonly podAnnotations: { [key: string]: string };
}

/**
 * One read-only volume and mount per Secret or CSI credential; for a Vault Agent credential, the
 * injector's annotations and the agent's token volume (which no container of ours mounts: the
 * injector gives it to the agent only).
 */
export function credentialMounts(config: ResolvedConfig, apiContainerName: string): CredentialMounts {
  const mounted = config.credentials.filter((c) => c.vaultAgent === undefined);
  const volumes: k8s.Volume[] = mounted.map((credential): k8s.Volume => credential.secretsStoreCsi ? {
    name: credential.volumeName,
    csi: {
      driver: SECRETS_STORE_CSI_DRIVER,
      readOnly: true,
      volumeAttributes: { secretProviderClass: credential.secretName },
    },
  } : {
    name: credential.volumeName,
    secret: {
      secretName: credential.secretName,
      defaultMode: CREDENTIALS_FILE_MODE,
      optional: false,
      items: credential.keys?.map((key) => ({ key, path: key })),
    },
  });
  const vault = config.credentials.find((c) => c.vaultAgent !== undefined);
  if (vault) {
    volumes.push({
      name: VAULT_TOKEN_VOLUME,
      projected: {
        defaultMode: CREDENTIALS_FILE_MODE,
        sources: [{
          serviceAccountToken: {
            audience: vault.vaultAgent!.tokenAudience,
            expirationSeconds: vault.vaultAgent!.tokenExpirationSeconds,
            path: 'token',
          },
        }],
      },
    });
  }
  return {
    volumes,
    mounts: mounted.map((credential) => ({
      name: credential.volumeName,
      mountPath: credential.mountPath,
      readOnly: true,
    })),
    // The API container, and the init containers declared with mountCredentials (the agent's init container runs first).
    podAnnotations: vault ? vaultAgentAnnotations(vault.vaultAgent!, vault.mountPath, config.runAsUser,
      [apiContainerName, ...config.initContainers.filter((c) => c.mountCredentials).map((c) => c.name)].join(',')) : {},
  };
}

/**
 * The Vault Agent injector's pod-template annotations: every file the app reads gets a secret and a
 * template that renders exactly its field, written with mode 0440 under `mountPath`; the agent runs
 * as the pod's user and group with the injector's hardened security context, and logs in with the
 * projected token volume. Every value here was checked against a strict character set, so the
 * templates hold only what the library writes.
 */
export function vaultAgentAnnotations(
  agent: ResolvedVaultAgent, mountPath: string, uid: number, containerNames: string,
): { [key: string]: string } {
  const a = (key: string) => `${VAULT_ANNOTATION_PREFIX}${key}`;
  const annotations: { [key: string]: string } = {
    [a('agent-inject')]: 'true',
    [a('service')]: agent.address,
    [a('role')]: agent.role,
    [a('auth-path')]: agent.authPath,
    [a('secret-volume-path')]: mountPath,
    // Only the containers that read the keys get them, never the sidecars.
    [a('agent-inject-containers')]: containerNames,
    [a('agent-pre-populate-only')]: agent.mode === VaultAgentMode.PRE_POPULATE_ONLY ? 'true' : 'false',
    [a('agent-init-first')]: 'true',
    [a('agent-run-as-user')]: String(uid),
    [a('agent-run-as-group')]: String(uid),
    [a('agent-set-security-context')]: 'true',
    [VAULT_TOKEN_VOLUME_ANNOTATION]: VAULT_TOKEN_VOLUME,
    [a('preserve-secret-case')]: 'true',
    ...Object.fromEntries(Object.entries(agent.resources).map(([suffix, value]) => [a(`agent-${suffix}`), value])),
    // The injector mounts the tls-secret into the agent containers at /vault/tls.
    ...(agent.agentImage ? { [a('agent-image')]: agent.agentImage } : {}),
    ...(agent.caCertSecret ? { [a('tls-secret')]: agent.caCertSecret, [a('ca-cert')]: '/vault/tls/ca.crt' } : {}),
  };
  for (const f of agent.files) {
    const field = f.version === VaultKvVersion.V2 ? '.Data.data' : '.Data';
    annotations[a(`agent-inject-secret-${f.file}`)] = f.path;
    annotations[a(`agent-inject-file-${f.file}`)] = f.file;
    annotations[a(`agent-inject-perms-${f.file}`)] = '0440';
    annotations[a(`agent-inject-template-${f.file}`)] = `{{- with secret "${f.path}" -}}{{ index ${field} "${f.key}" }}{{- end -}}`;
  }
  return annotations;
}
