/**
 * Rotation: the workload annotation that makes Stakater Reloader roll the pods when one of the
 * named credential Secrets changes. Scoped to the Secrets declared with RESTART_ON_CHANGE; nothing
 * when none is.
 */
import { ApiObject } from 'cdk8s';
import { ResolvedConfig } from './config';
import { CredentialRotation, RELOADER_SECRET_ANNOTATION } from './credential-rotation';

/** The Secrets whose change restarts the pods, in the order of `credentials`. */
export function restartOnChangeSecrets(config: ResolvedConfig): string[] {
  return config.credentials.filter((c) => c.rotation === CredentialRotation.RESTART_ON_CHANGE).map((c) => c.secretName);
}

/** Adds the Reloader annotation to the workload's own metadata (where Reloader reads it). */
export function annotateRotation(workload: ApiObject, config: ResolvedConfig): void {
  const secrets = restartOnChangeSecrets(config);
  if (secrets.length > 0) {
    workload.metadata.addAnnotation(RELOADER_SECRET_ANNOTATION, secrets.join(','));
  }
}
