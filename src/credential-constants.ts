/**
 * Names the credential sources and the guard share: the CSI driver, the Vault Agent injector's
 * annotation prefix and token volume, and the token lifetimes the library accepts. A primitive:
 * imports nothing.
 */

/** The CSI driver that serves SecretProviderClasses. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';
/** The volume holding the Vault Agent's projected ServiceAccount token. */
export const VAULT_TOKEN_VOLUME = 'vault-token';
/** The prefix of every Vault Agent injector annotation. */
export const VAULT_ANNOTATION_PREFIX = 'vault.hashicorp.com/';
/** The annotation that names the agent's token volume. */
export const VAULT_TOKEN_VOLUME_ANNOTATION = `${VAULT_ANNOTATION_PREFIX}agent-service-account-token-volume-name`;
/** The kubelet refuses a projected token of less than ten minutes. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** The longest token lifetime the library (and the guard) accepts. */
export const MAX_TOKEN_EXPIRATION_SECONDS = 3600;
