/**
 * The hardening controls, as one function over a synthesized manifest: every violation it finds, as
 * a readable line. Used by the property-based tests (for arbitrary props) and by the scenario tests.
 */

const NAMESPACED = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress']);
const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI', 'csi', 'persistentVolumeClaim', 'ephemeral']);
const DIGEST = /@sha256:[a-f0-9]{64}$/;

function matches(selector: { [k: string]: string } | undefined, labels: { [k: string]: string } | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) {
    return false;
  }
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The explicit opt-outs a configuration used; each relaxes exactly one control. */
export interface OptOuts {
  readonly allowUnpinnedImage?: boolean;
  readonly allowUnrestrictedEgress?: boolean;
}

/** Every violation of the controls in `manifest` (objects of one namespace's chart). */
export function controlViolations(manifest: any[], namespace: string, options: OptOuts = {}): string[] {
  const out: string[] = [];
  const fail = (object: any, text: string) => out.push(`${object.kind}/${object.metadata?.name}: ${text}`);
  const deployments = manifest.filter((o) => o.kind === 'Deployment');
  const serviceAccounts = new Set(manifest.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name));

  for (const object of manifest) {
    if (NAMESPACED.has(object.kind) && object.metadata.namespace !== namespace) {
      fail(object, `namespace ${object.metadata.namespace} is not ${namespace}`);
    }
    if (object.kind === 'ServiceAccount' && object.automountServiceAccountToken !== false) {
      fail(object, 'automountServiceAccountToken is not false');
    }
    if (object.kind === 'ConfigMap') {
      fail(object, 'a ConfigMap was emitted');
    }
    if (object.kind === 'Secret') {
      fail(object, 'a Secret was emitted (the library must never carry key material)');
    }
  }

  for (const deployment of deployments) {
    const template = deployment.spec.template;
    const pod = template.spec;
    const podLabels = template.metadata.labels;
    const sc = pod.securityContext ?? {};
    if (sc.runAsNonRoot !== true || !(sc.runAsUser >= 10000) || !(sc.runAsGroup >= 10000) || !(sc.fsGroup >= 10000)) {
      fail(deployment, `pod securityContext is not non-root with ids >= 10000: ${JSON.stringify(sc)}`);
    }
    if (sc.seccompProfile?.type !== 'RuntimeDefault') {
      fail(deployment, 'pod seccompProfile is not RuntimeDefault');
    }
    if (pod.automountServiceAccountToken !== false) {
      fail(deployment, 'pod automountServiceAccountToken is not false');
    }
    if (!serviceAccounts.has(pod.serviceAccountName)) {
      fail(deployment, `serviceAccountName ${pod.serviceAccountName} is not emitted alongside`);
    }
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod[field]) {
        fail(deployment, `${field} is set`);
      }
    }
    for (const volume of pod.volumes ?? []) {
      const types = Object.keys(volume).filter((k) => k !== 'name');
      if (types.some((t) => !ALLOWED_VOLUME_TYPES.has(t))) {
        fail(deployment, `volume ${volume.name} has a disallowed type ${types.join(',')}`);
      }
      if (volume.secret && (volume.secret.defaultMode & 0o077 & ~0o040) !== 0) { // eslint-disable-line no-bitwise
        fail(deployment, `secret volume ${volume.name} has a loose mode ${volume.secret.defaultMode.toString(8)}`);
      }
    }
    const tmp = (pod.volumes ?? []).find((v: any) => v.emptyDir);
    if (!tmp?.emptyDir?.sizeLimit) {
      fail(deployment, 'no size-limited emptyDir');
    }
    if (!(deployment.spec.replicas >= 1)) {
      fail(deployment, 'replicas below 1');
    }
    if (!pod.affinity?.podAntiAffinity || !pod.topologySpreadConstraints?.length) {
      fail(deployment, 'no anti-affinity or topology spread');
    }
    if (!matches(deployment.spec.selector.matchLabels, podLabels)) {
      fail(deployment, 'selector does not select its template');
    }
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const csc = c.securityContext ?? {};
      if (csc.allowPrivilegeEscalation !== false) {
        fail(deployment, `${c.name}: allowPrivilegeEscalation is not false`);
      }
      if (csc.privileged) {
        fail(deployment, `${c.name}: privileged`);
      }
      if (csc.readOnlyRootFilesystem !== true) {
        fail(deployment, `${c.name}: root filesystem is writable`);
      }
      if (JSON.stringify(csc.capabilities) !== JSON.stringify({ drop: ['ALL'] })) {
        fail(deployment, `${c.name}: capabilities are not exactly drop [ALL]: ${JSON.stringify(csc.capabilities)}`);
      }
      if (csc.runAsNonRoot === false || (csc.runAsUser !== undefined && csc.runAsUser < 10000)) {
        fail(deployment, `${c.name}: container securityContext contradicts the pod's non-root settings`);
      }
      if (csc.windowsOptions?.hostProcess) {
        fail(deployment, `${c.name}: hostProcess`);
      }
      for (const port of c.ports ?? []) {
        if (port.hostPort !== undefined) {
          fail(deployment, `${c.name}: hostPort ${port.hostPort}`);
        }
        if (port.containerPort <= 1024) {
          fail(deployment, `${c.name}: port ${port.containerPort} needs a capability`);
        }
      }
      for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
        if (!c.resources?.requests?.[resource] || !c.resources?.limits?.[resource]) {
          fail(deployment, `${c.name}: no ${resource} request and limit`);
        }
      }
      const names = new Set((c.ports ?? []).map((p: any) => p.name));
      const ready = c.readinessProbe?.httpGet;
      const live = c.livenessProbe?.httpGet;
      if (!ready || !live || !names.has(ready.port) || !names.has(live.port)) {
        fail(deployment, `${c.name}: readiness and liveness probes are not on a named container port`);
      } else if (ready.path === live.path) {
        fail(deployment, `${c.name}: readiness and liveness probes are identical`);
      }
      if (!c.startupProbe) {
        fail(deployment, `${c.name}: no startup probe`);
      }
      if (!DIGEST.test(c.image) && !options.allowUnpinnedImage) {
        fail(deployment, `${c.name}: image ${c.image} is not pinned by digest`);
      }
      if (/:latest(@|$)/.test(c.image) || (!DIGEST.test(c.image) && c.imagePullPolicy !== 'Always')) {
        fail(deployment, `${c.name}: mutable image without imagePullPolicy Always`);
      }
      if (c.envFrom?.some((e: any) => e.secretRef) || c.env?.some((e: any) => e.valueFrom?.secretKeyRef)) {
        fail(deployment, `${c.name}: a Secret feeds an environment variable`);
      }
      for (const mount of c.volumeMounts ?? []) {
        const volume = (pod.volumes ?? []).find((v: any) => v.name === mount.name);
        if (volume?.secret && mount.readOnly !== true) {
          fail(deployment, `${c.name}: secret volume ${mount.name} is not mounted readOnly`);
        }
      }
    }

    // Objects that select pods must select exactly this Deployment's pods.
    const owner = podLabels['app.kubernetes.io/instance'];
    for (const object of manifest.filter((o) => o.metadata?.labels?.['app.kubernetes.io/instance'] === owner)) {
      const selector = object.kind === 'Service' ? object.spec.selector
        : object.kind === 'PodDisruptionBudget' ? object.spec.selector?.matchLabels
          : object.kind === 'NetworkPolicy' ? object.spec.podSelector?.matchLabels : undefined;
      if (['Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(object.kind)) {
        if (JSON.stringify(selector) !== JSON.stringify(deployment.spec.selector.matchLabels)) {
          fail(object, `selector ${JSON.stringify(selector)} differs from the Deployment's`);
        }
        const others = deployments.filter((d) => d !== deployment && matches(selector, d.spec.template.metadata.labels));
        if (others.length > 0) {
          fail(object, `also selects the pods of ${others.map((d) => d.metadata.name).join(', ')}`);
        }
      }
      if (object.kind === 'Service' && object.spec.type !== 'ClusterIP') {
        fail(object, 'Service is not ClusterIP');
      }
      if (object.kind === 'PodDisruptionBudget' && (object.spec.minAvailable !== undefined || object.spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow'
        || !(object.spec.maxUnavailable >= 1))) {
        fail(object, 'PDB can block every eviction');
      }
    }
  }

  for (const policy of manifest.filter((o) => o.kind === 'NetworkPolicy')) {
    const text = JSON.stringify(policy);
    if (!options.allowUnrestrictedEgress && (text.includes('"0.0.0.0/0"') || text.includes('"::/0"'))) {
      fail(policy, 'allows egress to every address');
    }
  }
  for (const ingress of manifest.filter((o) => o.kind === 'Ingress')) {
    const hosts: string[] = ingress.spec.rules.map((r: any) => r.host);
    const tlsHosts = new Set(ingress.spec.tls.flatMap((t: any) => t.hosts));
    if (!hosts.every((h) => tlsHosts.has(h))) {
      fail(ingress, 'a host without TLS');
    }
    const annotations: { [key: string]: string } = ingress.metadata.annotations ?? {};
    if (Object.keys(annotations).some((k) => /snippet/.test(k))) {
      fail(ingress, 'a snippet annotation');
    }
    for (const [key, value] of Object.entries(annotations)) {
      if (/[^\x20-\x7e]|[;{}$`"'\\#]/.test(value)) {
        fail(ingress, `annotation ${key} has a value configuration could interpret: ${JSON.stringify(value)}`);
      }
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (['ssl-passthrough', 'server-alias', 'use-regex', 'limit-whitelist', 'limit-allowlist'].includes(name)
        || (/ssl-redirect$/.test(name) && value !== 'true')) {
        fail(ingress, `annotation ${key} switches a protection off`);
      }
    }
    const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > 256 * 1024) {
      fail(ingress, `annotations total ${size} bytes, above the API server's 256 KiB`);
    }
    // Served by ingress-nginx (the library rendered its annotations): HTTPS forced and a rate limit, always.
    if (Object.keys(annotations).some((k) => k.startsWith('nginx.ingress.kubernetes.io/'))
      && (annotations['nginx.ingress.kubernetes.io/force-ssl-redirect'] !== 'true' || !/^[1-9][0-9]*$/.test(annotations['nginx.ingress.kubernetes.io/limit-rps'] ?? ''))) {
      fail(ingress, 'ingress-nginx without forced HTTPS and a rate limit');
    }
    if (annotations['kubernetes.io/ingress.class'] !== undefined && annotations['kubernetes.io/ingress.class'] !== ingress.spec.ingressClassName) {
      fail(ingress, 'kubernetes.io/ingress.class contradicts spec.ingressClassName');
    }
    for (const path of ingress.spec.rules.flatMap((r: any) => r.http.paths)) {
      const service = manifest.find((o) => o.kind === 'Service' && o.metadata.name === path.backend.service.name);
      if (!service || !service.spec.ports.some((p: any) => p.name === path.backend.service.port.name)) {
        fail(ingress, `backend ${path.backend.service.name}:${path.backend.service.port.name} does not exist`);
      }
    }
  }
  for (const role of manifest.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    for (const rule of role.rules) {
      const all = [...rule.apiGroups, ...rule.resources, ...rule.verbs];
      if (all.some((v: string) => v.includes('*'))) {
        fail(role, 'wildcard in a rule');
      }
      if (rule.verbs.some((v: string) => ['bind', 'escalate', 'impersonate'].includes(v))) {
        fail(role, 'bind/escalate/impersonate');
      }
      if (rule.resources.includes('secrets') && !rule.resourceNames?.length) {
        fail(role, 'secret access without resourceNames');
      }
    }
  }
  return out;
}
