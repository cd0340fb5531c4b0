import { only, podSpecOf, synth } from './util';

describe('the Deployment is hardened (controls.md, workload rows)', () => {
  const { manifest } = synth();
  const pod = podSpecOf(manifest);
  const container = pod.containers[0];

  test('non-root user and group 10001 at pod level, seccomp and AppArmor RuntimeDefault at pod level', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
      appArmorProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the AppArmor annotation beside the field, for kubelets older than the API server', () => {
    expect(only(manifest, 'Deployment').spec.template.metadata.annotations).toEqual({
      'container.apparmor.security.beta.kubernetes.io/api': 'runtime/default',
    });
  });

  test('a priority class only when one is given', () => {
    expect(pod.priorityClassName).toBeUndefined();
    expect(podSpecOf(synth({ priorityClassName: 'trading-critical' }).manifest).priorityClassName).toBe('trading-critical');
  });

  test('container: no privilege escalation, not privileged, read-only root, drop ALL and add nothing', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('a size-limited emptyDir at /tmp', () => {
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  test('no service-account token, dedicated service account, no service links', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('gateway');
    expect(only(manifest, 'ServiceAccount', 'gateway').metadata.namespace).toBe('trading');
    expect(pod.enableServiceLinks).toBe(false);
  });

  test('no host namespaces, host paths or host ports', () => {
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      expect(pod[field]).toBeUndefined();
    }
    expect(pod.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
    expect(container.ports.every((p: any) => p.hostPort === undefined)).toBe(true);
  });

  test('requests and limits for cpu, memory and ephemeral-storage', () => {
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('readiness and liveness on the named port, on different paths, plus a startup probe', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/livez', port: 'http' }, periodSeconds: 5, failureThreshold: 12 });
  });

  test('the image is pulled Always, by digest', () => {
    expect(container.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(container.imagePullPolicy).toBe('Always');
  });

  test('two replicas, host anti-affinity and zone spread on the pod labels', () => {
    const deployment = only(manifest, 'Deployment');
    const selector = { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'gateway' };
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
    ]);
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
    ]);
  });

  test('no environment variables at all, so no secret can arrive through one', () => {
    expect(container.env).toBeUndefined();
    expect(container.envFrom).toBeUndefined();
  });
});

describe('props shape the workload', () => {
  test('port, probe paths, startup timeout, replicas, uid, resources and /tmp size', () => {
    const { manifest } = synth({
      port: 9443,
      readinessPath: '/ready',
      livenessPath: '/alive',
      startupTimeoutSeconds: 120,
      replicas: 3,
      runAsUser: 65532,
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryLimit: '1Gi', ephemeralStorageLimit: '1Gi' },
      tmpSizeLimit: '512Mi',
    });
    const pod = podSpecOf(manifest);
    const container = pod.containers[0];
    expect(only(manifest, 'Deployment').spec.replicas).toBe(3);
    expect(container.ports[0].containerPort).toBe(9443);
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/alive');
    expect(container.startupProbe.failureThreshold).toBe(24);
    expect(pod.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(container.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532 });
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' },
    });
    expect(pod.volumes[0]).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '512Mi' } });
  });
});

describe('Service', () => {
  test('ClusterIP with a named targetPort, selecting exactly the pods', () => {
    const { manifest } = synth();
    const service = only(manifest, 'Service');
    const deployment = only(manifest, 'Deployment');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });
});

describe('PodDisruptionBudget', () => {
  test.each([1, 2, 5])('policy/v1, matches the pods, never blocks all evictions (replicas %d)', (replicas) => {
    const { manifest } = synth({ replicas });
    const pdb = only(manifest, 'PodDisruptionBudget');
    const deployment = only(manifest, 'Deployment');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });
});

describe('labels and selectors', () => {
  test('every object has the recommended labels; the selector equals the template labels it selects', () => {
    const { manifest } = synth();
    for (const object of manifest) {
      expect(object.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'gateway',
        'app.kubernetes.io/instance': 'gateway',
        'app.kubernetes.io/component': 'api',
        'app.kubernetes.io/part-of': 'secure-trading-api',
        'app.kubernetes.io/managed-by': 'cdk8s',
        'app.kubernetes.io/version': '2.0.1',
      });
    }
    const deployment = only(manifest, 'Deployment');
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  test('a digest-only image has no version label', () => {
    const { manifest } = synth({ image: `gateway@sha256:${'b'.repeat(64)}` });
    expect(only(manifest, 'Deployment').metadata.labels['app.kubernetes.io/version']).toBeUndefined();
  });
});
