/**
 * How a rotated exchange key reaches the running app. Secret volumes are updated in place by the
 * kubelet (about a minute after the Secret changes, plus its cache TTL); what the app does then is
 * the choice here. Environment variables and `subPath` mounts never see the new key, which is why
 * the library refuses both.
 */
export enum CredentialRotation {
  /**
   * The app re-reads the key files (on each use, on a timer, or when the files change: watch the
   * directory, as the kubelet swaps a `..data` symlink rather than writing the files). No restart;
   * the contract is the app's.
   */
  RELOAD_FILES = 'ReloadFiles',
  /**
   * Stakater Reloader rolls the workload when this Secret changes: the Deployment or StatefulSet
   * gets `secret.reloader.stakater.com/reload: "<the Secrets>"`, naming only the Secrets declared
   * with this rotation (never `reloader.stakater.com/auto`, which reloads on any referenced Secret or
   * ConfigMap). For apps that read their keys once at start. Reloader must run in the cluster; run it
   * with `--reload-strategy=annotations`, so it does not add an environment variable holding a hash
   * of the Secret to the pod template.
   */
  RESTART_ON_CHANGE = 'RestartOnChange',
}

/** The workload annotation Stakater Reloader reads: the Secrets whose change rolls the pods. */
export const RELOADER_SECRET_ANNOTATION = 'secret.reloader.stakater.com/reload';
