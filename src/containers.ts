/**
 * The containers of the pod: one builder gives the API container, every sidecar and every init
 * container exactly the same hardening, so that an extra container can never be the weak one.
 */
import { k8s } from 'cdk8s-plus-27';
import { ResolvedConfig } from './config';
import { ResolvedEnvVar, ResolvedExtraContainer, ResolvedSidecar } from './config/containers';

/** The AppArmor annotation key of one container (read by kubelets older than the API server). */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** What differs between the containers of the pod; everything else is the same hardening. */
export interface ContainerShape {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: ResolvedEnvVar[];
  readonly envFromConfigMaps?: string[];
  readonly resources: { readonly requests: { [resource: string]: string }; readonly limits: { [resource: string]: string } };
  /** The container's own `/tmp` emptyDir. */
  readonly tmpVolumeName: string;
  readonly mounts: k8s.VolumeMount[];
  /** Named ports besides the probed one (the API container's metrics port). */
  readonly extraPorts?: Array<{ readonly name: string; readonly port: number }>;
  /** A port with readiness, liveness and startup probes (long-running containers only). */
  readonly probed?: {
    readonly port: number;
    readonly portName: string;
    readonly readinessPath: string;
    readonly livenessPath: string;
    readonly startupPeriodSeconds: number;
    readonly startupFailureThreshold: number;
  };
}

function quantities(values: { [resource: string]: string }): { [resource: string]: k8s.Quantity } {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
}

/**
 * A container with the pod's hardening: the pod's non-root user and group, no privilege escalation,
 * not privileged, read-only root with a `/tmp` of its own, every capability dropped, RuntimeDefault
 * seccomp, pulled Always, requests and limits, and (when it runs for long) probes on a named port.
 */
export function hardenedContainer(uid: number, shape: ContainerShape): k8s.Container {
  const probe = shape.probed;
  const httpGet = (path: string): k8s.HttpGetAction => ({ path, port: k8s.IntOrString.fromString(probe!.portName), scheme: 'HTTP' });
  return {
    name: shape.name,
    image: shape.image,
    imagePullPolicy: 'Always',
    command: shape.command,
    args: shape.args,
    env: shape.env.length > 0 ? shape.env.map((e) => ({ name: e.name, value: e.value })) : undefined,
    envFrom: shape.envFromConfigMaps && shape.envFromConfigMaps.length > 0
      ? shape.envFromConfigMaps.map((name) => ({ configMapRef: { name, optional: false } }))
      : undefined,
    ports: probe ? [
      { name: probe.portName, containerPort: probe.port, protocol: 'TCP' },
      ...(shape.extraPorts ?? []).map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    ] : undefined,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: quantities(shape.resources.requests), limits: quantities(shape.resources.limits) },
    startupProbe: probe && {
      httpGet: httpGet(probe.livenessPath),
      periodSeconds: probe.startupPeriodSeconds,
      failureThreshold: probe.startupFailureThreshold,
      timeoutSeconds: 2,
    },
    readinessProbe: probe && { httpGet: httpGet(probe.readinessPath), periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 },
    livenessProbe: probe && { httpGet: httpGet(probe.livenessPath), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    volumeMounts: [{ name: shape.tmpVolumeName, mountPath: '/tmp' }, ...shape.mounts],
  };
}

/** The shape of a sidecar or init container: its own `/tmp`, the credentials only when asked. */
export function extraContainerShape(
  config: ResolvedConfig, container: ResolvedExtraContainer | ResolvedSidecar, credentialMounts: k8s.VolumeMount[],
): ContainerShape {
  const sidecar = 'portName' in container ? container : undefined;
  return {
    name: container.name,
    image: container.image,
    command: container.command,
    args: container.args,
    env: container.env,
    resources: container.resources,
    tmpVolumeName: container.tmpVolumeName,
    mounts: container.mountCredentials ? credentialMounts.map((m) => ({ ...m })) : [],
    probed: sidecar && {
      port: sidecar.port,
      portName: sidecar.portName,
      readinessPath: sidecar.readinessPath,
      livenessPath: sidecar.livenessPath,
      startupPeriodSeconds: config.startupPeriodSeconds,
      startupFailureThreshold: sidecar.startupFailureThreshold,
    },
  };
}

/** The size-limited `/tmp` emptyDir of each extra container. */
export function extraTmpVolumes(config: ResolvedConfig): k8s.Volume[] {
  return [...config.initContainers, ...config.sidecars].map((c) => ({
    name: c.tmpVolumeName,
    emptyDir: { sizeLimit: k8s.Quantity.fromString(c.tmpSizeLimit) },
  }));
}

/** The pod template's annotations: RuntimeDefault AppArmor for every container, then the user's. */
export function podTemplateAnnotations(config: ResolvedConfig, apiContainerName: string): { [key: string]: string } {
  const names = [apiContainerName, ...config.sidecars.map((c) => c.name), ...config.initContainers.map((c) => c.name)];
  return {
    ...config.podAnnotations,
    ...Object.fromEntries(names.map((name) => [`${APPARMOR_ANNOTATION_PREFIX}${name}`, 'runtime/default'])),
  };
}
