/**
 * Workload: the hardened pods (a Deployment, or for a singleton a StatefulSet of one), the ClusterIP
 * Service when the service is reachable, and the PodDisruptionBudget.
 *
 * Every field that the hardening controls depend on is written out, even where Kubernetes would
 * default to the same value: the manifests are reviewed and checked by tools that read fields, and
 * an explicit `false` survives a changed default.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { SINGLETON_ANNOTATION } from './annotations';
import { API_CONTAINER_NAME, CONFIG_FILE_MODE, METRICS_PORT_NAME, PORT_NAME, ResolvedConfig } from './config';
import { extraContainerShape, extraTmpVolumes, hardenedContainer, podTemplateAnnotations } from './containers';
import { ServiceExposure } from './service-exposure';

/** The name of the API container in the pod. */
export const CONTAINER_NAME = API_CONTAINER_NAME;

/** What the workload needs from other parts, passed in by the pattern. */
export interface WorkloadInputs {
  readonly serviceAccountName: string;
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  /** Pod-template annotations other parts need (the Vault Agent injector's). */
  readonly podAnnotations?: { [key: string]: string };
}

/** The objects of the workload part. */
export interface WorkloadObjects {
  /** The pods' controller when the service is not a singleton. */
  readonly deployment?: k8s.KubeDeployment;
  /** The pods' controller for a singleton. */
  readonly statefulSet?: k8s.KubeStatefulSet;
  /** The ClusterIP Service, for a PUBLIC or INTERNAL service. */
  readonly service?: k8s.KubeService;
  /** The headless Service that governs a singleton's StatefulSet (its `serviceName`). */
  readonly headlessService?: k8s.KubeService;
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
}

/**
 * The AppArmor profile, at pod level so that injected sidecars inherit it. The typed objects follow the
 * Kubernetes 1.27 schema, which has no `appArmorProfile` field (GA in 1.30), so it is added to the
 * rendered JSON. The per-container annotation stays beside it: a kubelet older than the API server
 * (version skew) reads only the annotation, and a server of 1.30 or later warns about the annotation
 * only when the field is missing.
 */
const APPARMOR_PROFILE = { type: 'RuntimeDefault' };

/** Adds the pod-level AppArmor profile to a rendered pod template, unless the user set one. */
function withAppArmor(json: any): any {
  const pod = json.spec?.template?.spec;
  if (pod?.securityContext && pod.securityContext.appArmorProfile === undefined) {
    // Keys in sorted order, as cdk8s writes every other object.
    pod.securityContext = Object.fromEntries(Object.entries({ ...pod.securityContext, appArmorProfile: { ...APPARMOR_PROFILE } })
      .sort(([a], [b]) => a.localeCompare(b)));
  }
  return json;
}

/** A Deployment whose pod template carries the AppArmor field that the 1.27 typed schema lacks. */
class HardenedDeployment extends k8s.KubeDeployment {
  public toJson(): any {
    return withAppArmor(super.toJson());
  }
}

/** The same, for a singleton's StatefulSet. */
class HardenedStatefulSet extends k8s.KubeStatefulSet {
  public toJson(): any {
    return withAppArmor(super.toJson());
  }
}

/**
 * The pod template spec: non-root, no privilege, no token, read-only root, seccomp, spread. Every
 * container (API, sidecars, init containers) gets the same hardening from `hardenedContainer`.
 */
export function podSpec(config: ResolvedConfig, inputs: WorkloadInputs): k8s.PodSpec {
  const uid = config.runAsUser;
  const configMounts = config.configMapVolumes.map((v): k8s.VolumeMount => ({ name: v.volumeName, mountPath: v.mountPath, readOnly: true }));
  const api = hardenedContainer(uid, {
    name: CONTAINER_NAME,
    image: config.image,
    command: config.command,
    args: config.args,
    env: config.env,
    envFromConfigMaps: config.envFromConfigMaps,
    resources: config.resources,
    tmpVolumeName: 'tmp',
    mounts: [...inputs.mounts, ...configMounts],
    extraPorts: config.metrics ? [{ name: METRICS_PORT_NAME, port: config.metrics.port }] : [],
    probed: {
      port: config.port,
      portName: PORT_NAME,
      readinessPath: config.readinessPath,
      livenessPath: config.livenessPath,
      startupPeriodSeconds: config.startupPeriodSeconds,
      startupFailureThreshold: config.startupFailureThreshold,
    },
  });
  const initContainers = config.initContainers.map((c) => hardenedContainer(uid, extraContainerShape(config, c, inputs.mounts)));
  return {
    serviceAccountName: inputs.serviceAccountName,
    automountServiceAccountToken: false,
    // Service links inject every Service of the namespace as environment variables: noise at best.
    enableServiceLinks: false,
    priorityClassName: config.priorityClassName,
    imagePullSecrets: config.imagePullSecrets.length > 0 ? config.imagePullSecrets.map((name) => ({ name })) : undefined,
    nodeSelector: config.nodeSelector && { ...config.nodeSelector },
    tolerations: config.tolerations.length > 0 ? config.tolerations.map((t) => ({ ...t })) : undefined,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: initContainers.length > 0 ? initContainers : undefined,
    containers: [api, ...config.sidecars.map((c) => hardenedContainer(uid, extraContainerShape(config, c, inputs.mounts)))],
    volumes: [
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(config.tmpSizeLimit) } },
      ...inputs.volumes,
      ...config.configMapVolumes.map((v): k8s.Volume => ({
        name: v.volumeName,
        configMap: { name: v.configMapName, defaultMode: CONFIG_FILE_MODE, optional: false, items: v.keys?.map((key) => ({ key, path: key })) },
      })),
      ...extraTmpVolumes(config),
    ],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...config.selector } } },
        }],
      },
    },
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...config.selector } },
    }],
  };
}

/** The name of a singleton's headless Service. */
export function headlessServiceName(name: string): string {
  return `${name}-headless`;
}

/** Emits the pods' controller, the Services and the PodDisruptionBudget. */
export function createWorkload(scope: Construct, config: ResolvedConfig, inputs: WorkloadInputs): WorkloadObjects {
  const metadata = (name = config.name): ApiObjectMetadata => ({ name, namespace: config.namespace, labels: { ...config.labels } });
  const selector = { matchLabels: { ...config.selector } };
  const template: k8s.PodTemplateSpec = {
    metadata: {
      labels: { ...config.podLabels, ...config.labels },
      annotations: { ...podTemplateAnnotations(config, CONTAINER_NAME), ...inputs.podAnnotations },
    },
    spec: podSpec(config, inputs),
  };
  const servicePorts: k8s.ServicePort[] = [
    { name: PORT_NAME, port: config.servicePort, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' },
    ...(config.metrics ? [{
      name: METRICS_PORT_NAME, port: config.metrics.port, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP',
    }] : []),
  ];

  // A singleton is a StatefulSet of one: its controller creates the replacement pod only once the old
  // one is gone from the API server (rollouts, evictions and unreachable nodes alike), where a
  // Deployment's ReplicaSet replaces a pod that may still be running.
  const headlessService = !config.singleton ? undefined : new k8s.KubeService(scope, 'HeadlessService', {
    metadata: metadata(headlessServiceName(config.name)),
    spec: { type: 'ClusterIP', clusterIp: 'None', selector: { ...config.selector }, ports: servicePorts },
  });
  const statefulSet = !config.singleton ? undefined : new HardenedStatefulSet(scope, 'StatefulSet', {
    // Declares the promise, so the guard holds the final output to it (WL-SINGLETON).
    metadata: { ...metadata(), annotations: { [SINGLETON_ANNOTATION]: 'true' } },
    spec: {
      replicas: 1,
      serviceName: headlessServiceName(config.name),
      podManagementPolicy: 'OrderedReady',
      revisionHistoryLimit: 5,
      selector,
      // Rolling updates of a StatefulSet delete the old pod, wait until it is gone, then create the new one.
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template,
    },
  });
  const deployment = config.singleton ? undefined : new HardenedDeployment(scope, 'Deployment', {
    metadata: metadata(),
    spec: {
      replicas: config.replicas,
      revisionHistoryLimit: 5,
      selector,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) },
      },
      template,
    },
  });

  // Every exposure but NONE has a Service.
  const service = config.exposure === ServiceExposure.NONE ? undefined : new k8s.KubeService(scope, 'Service', {
    metadata: metadata(),
    spec: { type: 'ClusterIP', selector: { ...config.selector }, ports: servicePorts },
  });

  const podDisruptionBudget = new k8s.KubePodDisruptionBudget(scope, 'PodDisruptionBudget', {
    metadata: metadata(),
    spec: {
      // One pod at a time: drains proceed, and a single-replica service is never made unevictable.
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });

  return { deployment, statefulSet, service, headlessService, podDisruptionBudget };
}
