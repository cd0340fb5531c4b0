/**
 * Pod rules: what every pod-bearing object (Deployment, StatefulSet, Job, Pod, ...) must hold, for
 * every container, init and sidecar containers included.
 */
import { MAX_TOKEN_EXPIRATION_SECONDS, SECRETS_STORE_CSI_DRIVER, VAULT_ANNOTATION_PREFIX, VAULT_TOKEN_VOLUME_ANNOTATION } from '../../credential-constants';
import { isWhole, parseQuantity } from '../../quantity';
import { httpRequestKey } from '../../validate';
import { containersOf, isPodBearing, Manifest, podMetadataOf, podSpecOf, Rule, rule } from '../rule';

const MIN_ID = 10000;
const ALLOWED_VOLUMES = new Set(['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI', 'csi', 'persistentVolumeClaim', 'ephemeral']);
const DIGEST = /@sha256:[a-f0-9]{64}$/;
/** The longest-lived projected token a pod may hold. */
const MAX_TOKEN_SECONDS = MAX_TOKEN_EXPIRATION_SECONDS;
/** Audiences the Kubernetes API server accepts by default. */
const API_SERVER_AUDIENCES = ['https://kubernetes.default.svc', 'https://kubernetes.default.svc.cluster.local', 'kubernetes', 'api'];

const pods = (object: Manifest) => isPodBearing(object);

/** Runs `each` for every container of the object's pod spec. */
function eachContainer(object: Manifest, each: (container: Manifest, path: string, init: boolean) => void): void {
  const pod = podSpecOf(object)!;
  for (const { container, path, init } of containersOf(pod.spec, pod.path)) {
    each(container, path, init);
  }
}

const idOk = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= MIN_ID;

export const POD_RULES: Rule[] = [
  rule({
    id: 'POD-NON-ROOT',
    title: `Pods run as a non-root user and group with ids of ${MIN_ID} or more, and no container says otherwise`,
    threat: 'A process running as root, or as a uid shared with the node, turns any container escape into control of the node and of every key on it.',
    fix: 'Set the pod securityContext runAsNonRoot: true, runAsUser, runAsGroup and fsGroup >= 10000; remove container-level overrides.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      const sc = spec.securityContext ?? {};
      if (sc.runAsNonRoot !== true) {
        report(`${path}.securityContext.runAsNonRoot`, `is ${JSON.stringify(sc.runAsNonRoot)}, not true`);
      }
      for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) {
        if (!idOk(sc[field])) {
          report(`${path}.securityContext.${field}`, `is ${JSON.stringify(sc[field])}, not an id >= ${MIN_ID}`);
        }
      }
      eachContainer(object, (c, cpath) => {
        const csc = c.securityContext ?? {};
        if (csc.runAsNonRoot === false) {
          report(`${cpath}.securityContext.runAsNonRoot`, `container "${c.name}" sets runAsNonRoot: false`);
        }
        for (const field of ['runAsUser', 'runAsGroup']) {
          if (csc[field] !== undefined && csc[field] !== null && !idOk(csc[field])) {
            report(`${cpath}.securityContext.${field}`, `container "${c.name}" runs as ${field} ${JSON.stringify(csc[field])}`);
          }
        }
      });
    },
  }),
  rule({
    id: 'POD-NO-PRIVILEGE-ESCALATION',
    title: 'Every container sets allowPrivilegeEscalation: false, written out',
    threat: 'setuid binaries and file capabilities let a compromised process gain privileges it was never given.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    appliesTo: pods,
    check: (object, _context, report) => eachContainer(object, (c, path) => {
      if (c.securityContext?.allowPrivilegeEscalation !== false) {
        report(`${path}.securityContext.allowPrivilegeEscalation`, `container "${c.name}" does not set it to false`);
      }
    }),
  }),
  rule({
    id: 'POD-NOT-PRIVILEGED',
    title: 'No container is privileged or a Windows host process',
    threat: 'A privileged container has every device and capability of the node: it reads every pod\'s keys.',
    fix: 'Remove securityContext.privileged and windowsOptions.hostProcess.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      if (spec.securityContext?.windowsOptions?.hostProcess) {
        report(`${path}.securityContext.windowsOptions.hostProcess`, 'the pod is a Windows host process');
      }
      eachContainer(object, (c, cpath) => {
        if (c.securityContext?.privileged) {
          report(`${cpath}.securityContext.privileged`, `container "${c.name}" is privileged`);
        }
        if (c.securityContext?.windowsOptions?.hostProcess) {
          report(`${cpath}.securityContext.windowsOptions.hostProcess`, `container "${c.name}" is a Windows host process`);
        }
      });
    },
  }),
  rule({
    id: 'POD-READ-ONLY-ROOT',
    title: 'Every container has a read-only root filesystem, and every emptyDir has a size limit',
    threat: 'A writable root filesystem lets an intruder drop tools or alter the binary that handles the keys; an unbounded emptyDir fills the node.',
    fix: 'Set securityContext.readOnlyRootFilesystem: true; write only to size-limited emptyDir volumes such as /tmp.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      eachContainer(object, (c, cpath) => {
        if (c.securityContext?.readOnlyRootFilesystem !== true) {
          report(`${cpath}.securityContext.readOnlyRootFilesystem`, `container "${c.name}" has a writable root filesystem`);
        }
      });
      (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Manifest, i: number) => {
        if (v?.emptyDir && !parseQuantity(v.emptyDir.sizeLimit)) {
          report(`${path}.volumes[${i}].emptyDir.sizeLimit`, `emptyDir "${v.name}" has no size limit`);
        }
      });
    },
  }),
  rule({
    id: 'POD-CAPABILITIES',
    title: 'Every container drops ALL capabilities and adds none, and listens above port 1024',
    threat: 'Linux capabilities such as NET_RAW or SYS_ADMIN give a compromised process ways out of its container.',
    fix: 'Set securityContext.capabilities: { drop: ["ALL"] } without add, and use a container port above 1024.',
    appliesTo: pods,
    check: (object, _context, report) => eachContainer(object, (c, path) => {
      const caps = c.securityContext?.capabilities ?? {};
      if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL')) {
        report(`${path}.securityContext.capabilities.drop`, `container "${c.name}" does not drop ALL`);
      }
      if (caps.add !== undefined && caps.add !== null) {
        report(`${path}.securityContext.capabilities.add`, `container "${c.name}" adds ${JSON.stringify(caps.add)}`);
      }
      (Array.isArray(c.ports) ? c.ports : []).forEach((p: Manifest, i: number) => {
        if (typeof p?.containerPort === 'number' && p.containerPort <= 1024) {
          report(`${path}.ports[${i}].containerPort`, `container "${c.name}" listens on ${p.containerPort}, which needs a capability`);
        }
      });
    }),
  }),
  rule({
    id: 'POD-SECCOMP',
    title: 'The pod uses the RuntimeDefault seccomp profile (pod level, so injected sidecars inherit it) and no container turns it off',
    threat: 'Without seccomp every system call is open to an exploit, including the ones used for container escapes.',
    fix: 'Set the pod securityContext.seccompProfile.type: RuntimeDefault; never Unconfined on a container.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
        report(`${path}.securityContext.seccompProfile.type`, `is ${JSON.stringify(spec.securityContext?.seccompProfile?.type)}, not RuntimeDefault`);
      }
      eachContainer(object, (c, cpath) => {
        const type = c.securityContext?.seccompProfile?.type;
        if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
          report(`${cpath}.securityContext.seccompProfile.type`, `container "${c.name}" sets ${JSON.stringify(type)}`);
        }
      });
    },
  }),
  rule({
    id: 'POD-HOST-ISOLATION',
    title: 'No host network, PID or IPC namespace, no hostPort, and only volume types that cannot reach the node',
    threat: 'Host namespaces, host ports and hostPath volumes cross the container boundary: the node\'s network, processes and files, other pods\' keys included.',
    fix: 'Remove hostNetwork, hostPID, hostIPC, hostPort and hostPath; use configMap, secret, emptyDir, projected, downwardAPI, csi, persistentVolumeClaim or ephemeral volumes.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers']) {
        const bad = field === 'hostUsers' ? false : spec[field] === true;
        if (bad) {
          report(`${path}.${field}`, `${field} is true`);
        }
      }
      (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Manifest, i: number) => {
        const types = Object.keys(v ?? {}).filter((k) => k !== 'name');
        const bad = types.filter((t) => !ALLOWED_VOLUMES.has(t));
        if (bad.length > 0) {
          report(`${path}.volumes[${i}]`, `volume "${v?.name}" is of type ${bad.join(', ')}`);
        }
      });
      eachContainer(object, (c, cpath) => {
        (Array.isArray(c.ports) ? c.ports : []).forEach((p: Manifest, i: number) => {
          if (p?.hostPort !== undefined && p?.hostPort !== null) {
            report(`${cpath}.ports[${i}].hostPort`, `container "${c.name}" binds host port ${p.hostPort}`);
          }
        });
      });
    },
  }),
  rule({
    id: 'POD-NO-TOKEN',
    title: 'The pod mounts no ServiceAccount token automatically; the only token volume is the Vault Agent\'s: audience-bound, short-lived, named by the injector annotation',
    threat: 'An automatically mounted token, or a projected one without an audience (the API server\'s) or with a long life, lets anyone who reaches the process call the Kubernetes API as the pod, or replay the token elsewhere for an hour or more.',
    fix: 'Set automountServiceAccountToken: false in the pod spec; a projected serviceAccountToken needs an audience other than the API server\'s, expirationSeconds of at most '
      + `${MAX_TOKEN_SECONDS}, and the Vault Agent annotation ${VAULT_TOKEN_VOLUME_ANNOTATION} naming its volume (ExchangeCredentials.fromVaultAgent writes all three).`,
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      if (spec.automountServiceAccountToken !== false) {
        report(`${path}.automountServiceAccountToken`, `is ${JSON.stringify(spec.automountServiceAccountToken)}, not false`);
      }
      const annotations = podMetadataOf(object).annotations ?? {};
      const named = annotations[VAULT_TOKEN_VOLUME_ANNOTATION];
      (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Manifest, i: number) => {
        (Array.isArray(v?.projected?.sources) ? v.projected.sources : []).forEach((source: Manifest, j: number) => {
          const token = source?.serviceAccountToken;
          if (!token) {
            return;
          }
          const at = `${path}.volumes[${i}].projected.sources[${j}].serviceAccountToken`;
          if (typeof token.audience !== 'string' || token.audience.trim() === '' || API_SERVER_AUDIENCES.includes(token.audience)) {
            report(`${at}.audience`, `volume "${v.name}" projects a token for ${JSON.stringify(token.audience)}: the API server's audience, which lets it call the Kubernetes API`);
          }
          const seconds = token.expirationSeconds;
          if (typeof seconds !== 'number' || seconds > MAX_TOKEN_SECONDS) {
            report(`${at}.expirationSeconds`, `volume "${v.name}" projects a token valid for ${seconds === undefined ? 'the default hour' : JSON.stringify(seconds)}; at most ${MAX_TOKEN_SECONDS} seconds`);
          }
          if (named !== v.name || annotations[`${VAULT_ANNOTATION_PREFIX}agent-inject`] !== 'true') {
            report(`${path}.volumes[${i}]`, `volume "${v.name}" projects a ServiceAccount token that no Vault Agent annotation (${VAULT_TOKEN_VOLUME_ANNOTATION}) names: nothing declared needs it`);
          }
        });
      });
    },
  }),
  rule({
    id: 'POD-DEDICATED-SERVICE-ACCOUNT',
    title: 'The pod runs as a dedicated ServiceAccount (for a service: the one emitted alongside it)',
    threat: 'The namespace\'s default ServiceAccount is shared: whatever is granted to it for one app is granted to every pod that uses it.',
    fix: 'Set serviceAccountName to a ServiceAccount of the workload\'s own.',
    appliesTo: pods,
    check: (object, context, report) => {
      const { spec, path } = podSpecOf(object)!;
      const name = spec.serviceAccountName;
      if (typeof name !== 'string' || name === '' || name === 'default') {
        report(`${path}.serviceAccountName`, `is ${JSON.stringify(name)}, not a dedicated ServiceAccount`);
      } else if (context.isService && !context.objects.some((o) => o.kind === 'ServiceAccount' && o.metadata?.name === name
        && o.metadata?.namespace === object.metadata?.namespace)) {
        report(`${path}.serviceAccountName`, `ServiceAccount "${name}" is not emitted alongside in namespace ${object.metadata?.namespace}`);
      }
    },
  }),
  rule({
    id: 'POD-RESOURCES',
    title: 'Every container requests and limits cpu, memory and ephemeral-storage, each request at most its limit',
    threat: 'A container without limits can starve the node (and the other trading services on it); a missing value after a patch is a silent null.',
    fix: 'Set resources.requests and resources.limits for cpu, memory and ephemeral-storage as quantity strings ("500m", "256Mi").',
    appliesTo: pods,
    check: (object, _context, report) => eachContainer(object, (c, path) => {
      for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
        const request = parseQuantity(c.resources?.requests?.[resource]);
        const limit = parseQuantity(c.resources?.limits?.[resource]);
        for (const [kind, value, raw] of [['requests', request, c.resources?.requests?.[resource]], ['limits', limit, c.resources?.limits?.[resource]]] as const) {
          if (!value || value.nanos <= 0n) {
            report(`${path}.resources.${kind}.${resource}`, `container "${c.name}" has ${JSON.stringify(raw)}, not a positive quantity`);
          } else if (resource !== 'cpu' && !isWhole(value)) {
            report(`${path}.resources.${kind}.${resource}`, `container "${c.name}" has ${JSON.stringify(raw)}, a fraction of a byte`);
          }
        }
        if (request && limit && request.nanos > limit.nanos) {
          report(`${path}.resources.requests.${resource}`, `container "${c.name}" requests more ${resource} than its limit`);
        }
      }
    }),
  }),
  rule({
    id: 'POD-PROBES',
    title: 'Every long-running container has readiness, liveness and startup probes on a named port, readiness and liveness on different requests',
    threat: 'Without probes a wedged process keeps receiving orders; identical probes restart pods that are only briefly not ready.',
    fix: 'Give each container an httpGet readiness and liveness probe on a named container port with different paths, and a startup probe.',
    appliesTo: (object) => isPodBearing(object) && !['Job', 'CronJob', 'Pod'].includes(object.kind),
    check: (object, _context, report) => eachContainer(object, (c, path, init) => {
      if (init) {
        return;
      }
      const names = new Set((Array.isArray(c.ports) ? c.ports : []).map((p: Manifest) => p?.name).filter(Boolean));
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const p = c[probe];
        if (!p) {
          report(`${path}.${probe}`, `container "${c.name}" has no ${probe}`);
        } else if (p.httpGet && !names.has(p.httpGet.port)) {
          report(`${path}.${probe}.httpGet.port`, `container "${c.name}" probes ${JSON.stringify(p.httpGet.port)}, not a named container port`);
        }
      }
      const ready = c.readinessProbe;
      const live = c.livenessProbe;
      if (ready && live && JSON.stringify(probeTarget(ready)) === JSON.stringify(probeTarget(live))) {
        report(`${path}.livenessProbe`, `container "${c.name}" has identical readiness and liveness probes`);
      }
    }),
  }),
  rule({
    id: 'POD-IMAGE-PINNED',
    title: 'Every image is pinned by sha256 digest, never :latest',
    threat: 'A tag can be moved to other code after review: the cluster then runs, with the exchange keys, an image nobody approved.',
    fix: 'Reference images as repo:tag@sha256:<64 hex> (or set allowUnpinnedImage with a fixed tag, pulled Always).',
    appliesTo: pods,
    check: (object, _context, report) => eachContainer(object, (c, path) => {
      const image = String(c.image ?? '');
      if (/:latest(@|$)/.test(image) || !/[:@]/.test(image.split('/').pop() ?? '')) {
        report(`${path}.image`, `container "${c.name}" uses ${JSON.stringify(image)}, which means :latest`);
      } else if (!DIGEST.test(image)) {
        report(`${path}.image`, `container "${c.name}" image ${JSON.stringify(image)} is not pinned by digest`);
        if (c.imagePullPolicy !== 'Always') {
          report(`${path}.imagePullPolicy`, `container "${c.name}" pulls a mutable tag with ${JSON.stringify(c.imagePullPolicy)}, not Always`);
        }
      }
    }),
  }),
  rule({
    id: 'POD-SECRETS-AS-FILES',
    title: 'Secrets reach containers only as read-only files with a tight mode (Secret volumes, or read-only Secrets Store CSI volumes), never as environment variables or subPath mounts',
    threat: 'Environment variables leak through /proc, crash dumps, child processes and logs; a subPath mount never sees a rotated key; a loose mode lets other users read it; '
      + 'a writable CSI credential volume, or one served by another driver, lets the keys be altered or sent elsewhere.',
    fix: 'Mount the Secret as a volume with readOnly: true, defaultMode 0440 or tighter and no subPath; a SecretProviderClass volume uses driver secrets-store.csi.k8s.io '
      + 'with csi.readOnly: true and read-only mounts; read the key from the file.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      const volumes: Manifest[] = Array.isArray(spec.volumes) ? spec.volumes : [];
      volumes.forEach((v, i) => {
        const mode = v?.secret?.defaultMode;
        if (v?.secret && (typeof mode !== 'number' || (mode & 0o037) !== 0)) { // eslint-disable-line no-bitwise
          report(`${path}.volumes[${i}].secret.defaultMode`, `secret volume "${v.name}" has mode ${typeof mode === 'number' ? mode.toString(8) : JSON.stringify(mode)}; at most 0740, none for others`);
        }
        const csi = v?.csi;
        if (csi && (csi.driver === SECRETS_STORE_CSI_DRIVER || csi.volumeAttributes?.secretProviderClass !== undefined)) {
          if (csi.driver !== SECRETS_STORE_CSI_DRIVER) {
            report(`${path}.volumes[${i}].csi.driver`, `credential volume "${v.name}" reads SecretProviderClass ${JSON.stringify(csi.volumeAttributes?.secretProviderClass)} through driver ${JSON.stringify(csi.driver)}, not ${SECRETS_STORE_CSI_DRIVER}`);
          }
          if (csi.readOnly !== true) {
            report(`${path}.volumes[${i}].csi.readOnly`, `credential volume "${v.name}" is ${JSON.stringify(csi.readOnly)}, not read-only`);
          }
          if (typeof csi.volumeAttributes?.secretProviderClass !== 'string' || csi.volumeAttributes.secretProviderClass === '') {
            report(`${path}.volumes[${i}].csi.volumeAttributes.secretProviderClass`, `credential volume "${v.name}" names no SecretProviderClass`);
          }
        }
        (Array.isArray(v?.secret?.items) ? v.secret.items : []).forEach((item: Manifest, j: number) => {
          if (typeof item?.mode === 'number' && (item.mode & 0o037) !== 0) { // eslint-disable-line no-bitwise
            report(`${path}.volumes[${i}].secret.items[${j}].mode`, `key "${item.key}" has a loose mode ${item.mode.toString(8)}`);
          }
        });
      });
      const secretVolumes = new Set(volumes.filter((v) => v?.secret || v?.projected?.sources?.some((s: Manifest) => s?.secret)
        || (v?.csi && (v.csi.driver === SECRETS_STORE_CSI_DRIVER || v.csi.volumeAttributes?.secretProviderClass !== undefined))).map((v) => v.name));
      eachContainer(object, (c, cpath) => {
        (Array.isArray(c.env) ? c.env : []).forEach((e: Manifest, i: number) => {
          if (e?.valueFrom?.secretKeyRef) {
            report(`${cpath}.env[${i}].valueFrom.secretKeyRef`, `container "${c.name}" reads Secret ${e.valueFrom.secretKeyRef.name} into env ${e.name}`);
          }
        });
        (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((e: Manifest, i: number) => {
          if (e?.secretRef) {
            report(`${cpath}.envFrom[${i}].secretRef`, `container "${c.name}" loads Secret ${e.secretRef.name} into its environment`);
          }
        });
        (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).forEach((m: Manifest, i: number) => {
          if (secretVolumes.has(m?.name) && m.readOnly !== true) {
            report(`${cpath}.volumeMounts[${i}].readOnly`, `container "${c.name}" mounts secret volume "${m.name}" writable`);
          }
          if (secretVolumes.has(m?.name) && m.subPath) {
            report(`${cpath}.volumeMounts[${i}].subPath`, `container "${c.name}" mounts secret volume "${m.name}" with subPath; rotated keys never reach it`);
          }
        });
      });
    },
  }),
  rule({
    id: 'POD-APPARMOR',
    title: 'Every container runs under the RuntimeDefault AppArmor profile, set at pod level, and none turns it off',
    threat: 'Without AppArmor the container runtime\'s mandatory access control does not confine a compromised process.',
    fix: 'Set the pod securityContext.appArmorProfile.type: RuntimeDefault; never Unconfined on a container.',
    appliesTo: pods,
    check: (object, _context, report) => {
      const { spec, path } = podSpecOf(object)!;
      if (spec.securityContext?.appArmorProfile?.type !== 'RuntimeDefault') {
        report(`${path}.securityContext.appArmorProfile.type`, `is ${JSON.stringify(spec.securityContext?.appArmorProfile?.type)}, not RuntimeDefault`);
      }
      eachContainer(object, (c, cpath) => {
        const type = c.securityContext?.appArmorProfile?.type;
        if (type === 'Unconfined') {
          report(`${cpath}.securityContext.appArmorProfile.type`, `container "${c.name}" is Unconfined`);
        }
      });
      for (const [key, value] of Object.entries(podMetadataOf(object).annotations ?? {})) {
        if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value === 'unconfined') {
          report(`metadata.annotations["${key}"]`, 'turns AppArmor off');
        }
      }
    },
  }),
];

function probeTarget(probe: Manifest): unknown {
  if (probe.httpGet) {
    return { port: probe.httpGet.port, path: httpRequestKey(String(probe.httpGet.path ?? '/')), host: probe.httpGet.host, headers: probe.httpGet.httpHeaders };
  }
  return probe.exec ?? probe.grpc ?? probe.tcpSocket ?? probe;
}
