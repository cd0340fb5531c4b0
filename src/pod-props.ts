/**
 * The structs and choices of the pod extras (tolerations, ConfigMap volumes, sidecars and init
 * containers), used by {@link SecureTradingApiProps}.
 */

/** How a toleration matches a taint's value. */
export enum TolerationOperator {
  /** The taint's key and value must both equal the toleration's. */
  EQUAL = 'Equal',
  /** Any value of the taint's key matches; the toleration has no value. */
  EXISTS = 'Exists',
}

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** New pods are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for new pods when it can. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** New pods are not scheduled, and running pods are evicted (after `tolerationSeconds`, if tolerated for a while). */
  NO_EXECUTE = 'NoExecute',
}

/**
 * A taint the pods tolerate, so that they may be scheduled (or keep running) on nodes with it.
 *
 * Refused: tolerating every taint (no key with `Exists`); any key under `kubernetes.io` or `k8s.io`
 * (control-plane nodes `node-role.kubernetes.io/control-plane` and `master`, which hold the cluster's
 * own secrets; cordoned, under-pressure or uninitialized nodes), except `node.kubernetes.io/unreachable`
 * and `node.kubernetes.io/not-ready` with effect `NoExecute` and `tolerationSeconds` of at most 300:
 * a pod tolerating a lost node for longer keeps "running" there, and a singleton never fails over.
 */
export interface PodToleration {
  /**
   * The taint key, a qualified name such as `dedicated` or `example.com/trading`.
   *
   * @default - none: only with `operator: Exists`, which would tolerate every taint, and is refused
   */
  readonly key?: string;
  /**
   * How the taint's value is matched.
   *
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * The taint value to match, with `TolerationOperator.EQUAL` (a label value).
   *
   * @default "" (a taint without value)
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   *
   * @default - every effect of the key, NoExecute included
   */
  readonly effect?: TaintEffect;
  /**
   * With `TaintEffect.NO_EXECUTE`: how long a running pod stays on a node after the taint appears,
   * from 0 to 3600 seconds (at most 300 for `node.kubernetes.io/unreachable` and `not-ready`).
   *
   * @default - forever (refused for unreachable and not-ready)
   */
  readonly tolerationSeconds?: number;
}

/**
 * An existing ConfigMap mounted into the API container as read-only files (mode 0440, group the
 * pod's `fsGroup`), never with `subPath`, so that an updated ConfigMap reaches the files.
 */
export interface ConfigMapVolume {
  /** The name of the ConfigMap, in the service's namespace. */
  readonly configMapName: string;
  /**
   * The directory the files appear in: absolute and normalized (no `.`, `..`, `//` or trailing
   * `/`). Refused: `/`, system directories (`/etc`, `/usr`, `/proc`, ...; a directory below `/etc`
   * is fine), `/tmp`, the credentials directory `/var/run/secrets/trading`,
   * `/var/run/secrets/kubernetes.io`, and any path inside or around another mount.
   */
  readonly mountPath: string;
  /**
   * Only these keys of the ConfigMap are mounted, each as a file named after the key.
   *
   * @default - every key of the ConfigMap
   */
  readonly keys?: string[];
}

/**
 * An extra container that runs to completion before the API container starts (an init container).
 * It gets exactly the API container's hardening: the pod's non-root user, no privilege escalation,
 * every capability dropped, a read-only root filesystem with a size-limited `/tmp` of its own,
 * RuntimeDefault seccomp and AppArmor, `imagePullPolicy: Always`, requests and limits.
 */
export interface InitContainer {
  /** The container name: an RFC 1123 label, not `api`, unique among the pod's containers. */
  readonly name: string;
  /**
   * The image, pinned by digest as the service's `image` (a fixed tag only with the service's
   * `allowUnpinnedImage`).
   */
  readonly image: string;
  /**
   * The executable and its arguments, replacing the image's entrypoint.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments, replacing the image's default arguments. Same rules as the service's `args`.
   *
   * @default - the image's default arguments
   */
  readonly args?: string[];
  /**
   * Literal, non-secret environment variables. Same rules as the service's `env`.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Requests and limits; any field left out takes its default.
   *
   * @default - as the API container: cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi
   */
  readonly resources?: ResourceRequirements;
  /**
   * The size limit of the container's own writable `/tmp` (not shared with the API container); at
   * most its ephemeral-storage limit.
   *
   * @default "64Mi"
   */
  readonly tmpSizeLimit?: string;
  /**
   * Mount the credential Secrets (read-only, as in the API container). Off by default: a helper sees
   * no exchange key unless asked.
   *
   * @default false
   */
  readonly mountCredentials?: boolean;
}

/**
 * An extra long-running container beside the API container (a sidecar), hardened exactly as the API
 * container. Like it, it must serve HTTP readiness and liveness endpoints on its own port: every
 * long-running container is probed (a wedged helper is restarted, not left running).
 */
export interface SidecarContainer extends InitContainer {
  /**
   * The port the sidecar's probes reach, above 1024 and different from every other container port;
   * named `sidecar-<index>`. The NetworkPolicy does not open it: only the kubelet's probes use it.
   */
  readonly port: number;
  /**
   * The HTTP path of the readiness probe.
   *
   * @default "/readyz"
   */
  readonly readinessPath?: string;
  /**
   * The HTTP path of the liveness (and startup) probe; a different request from `readinessPath`.
   *
   * @default "/livez"
   */
  readonly livenessPath?: string;
  /**
   * How long the sidecar may take to start before the kubelet restarts it.
   *
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;
}

/**
 * CPU, memory and ephemeral-storage requests and limits of a container (the API container's
 * `resources`, an injected Vault Agent's `agentResources`), as Kubernetes quantities (`250m`,
 * `256Mi`, ...). Each request must not exceed its limit. The defaults below are the API container's.
 */
export interface ResourceRequirements {
  /**
   * CPU the scheduler reserves for the container.
   *
   * @default "100m"
   */
  readonly cpuRequest?: string;
  /**
   * CPU the container may use at most.
   *
   * @default "500m"
   */
  readonly cpuLimit?: string;
  /**
   * Memory the scheduler reserves for the container.
   *
   * @default "128Mi"
   */
  readonly memoryRequest?: string;
  /**
   * Memory the container may use before it is OOM-killed.
   *
   * @default "256Mi"
   */
  readonly memoryLimit?: string;
  /**
   * Node-local scratch space (logs, the `/tmp` emptyDir) the scheduler reserves.
   *
   * @default "64Mi"
   */
  readonly ephemeralStorageRequest?: string;
  /**
   * Node-local scratch space the pod may use before it is evicted.
   *
   * @default "256Mi"
   */
  readonly ephemeralStorageLimit?: string;
}
