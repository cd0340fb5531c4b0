/**
 * Credentials: how the exchange keys reach the process. As read-only files from Secret volumes,
 * readable by the pod's group only; never as environment variables, never as values in the manifests.
 */
import { k8s } from 'cdk8s-plus-27';
import { CREDENTIALS_FILE_MODE, ResolvedConfig } from './config';

/** The volumes and the mounts that bring the credential Secrets into the API container. */
export interface CredentialMounts {
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

/** One Secret volume and one read-only mount per credential Secret. */
export function credentialMounts(config: ResolvedConfig): CredentialMounts {
  return {
    volumes: config.credentials.map((credential) => ({
      name: credential.volumeName,
      secret: {
        secretName: credential.secretName,
        defaultMode: CREDENTIALS_FILE_MODE,
        optional: false,
        items: credential.keys?.map((key) => ({ key, path: key })),
      },
    })),
    mounts: config.credentials.map((credential) => ({
      name: credential.volumeName,
      mountPath: credential.mountPath,
      readOnly: true,
    })),
  };
}
