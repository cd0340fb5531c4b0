import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { SecureTradingApi, ServiceExposure } from '../src';
import { baseProps, errorOf, IMAGE, only, synth } from './util';

const kinds = (manifest: any[]) => manifest.map((o) => `${o.kind}/${o.metadata.name}`);

describe('exposure: public, internal or none', () => {
  test('PUBLIC (the default) emits the Service and the TLS Ingress, and admits the ingress controller', () => {
    const { manifest, api } = synth();
    expect(api.exposure).toBe(ServiceExposure.PUBLIC);
    expect(kinds(manifest)).toEqual(expect.arrayContaining(['Service/gateway', 'Ingress/gateway']));
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress[0].from[0].namespaceSelector.matchLabels)
      .toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx' });
  });

  test('INTERNAL emits the ClusterIP Service and no Ingress; nothing is admitted until a service is allowed', () => {
    const { manifest, api } = synth({ exposure: ServiceExposure.INTERNAL, host: undefined, tls: undefined });
    expect(kinds(manifest)).toContain('Service/gateway');
    expect(manifest.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(api.ingress).toBeUndefined();
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress).toEqual([]);
  });

  test('NONE emits neither Service nor Ingress (a worker), and admits nothing', () => {
    const { manifest, api } = synth({ exposure: ServiceExposure.NONE, host: undefined, tls: undefined });
    expect(manifest.filter((o) => o.kind === 'Service' || o.kind === 'Ingress')).toEqual([]);
    expect(api.service).toBeUndefined();
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress).toEqual([]);
    // The kubelet's probes still reach the named port: NetworkPolicy does not apply to them.
    expect(only(manifest, 'Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.port).toBe('http');
  });

  test('the ingress props are refused on a service without an Ingress, each by name', () => {
    const message = errorOf(() => synth({
      exposure: ServiceExposure.INTERNAL,
      ingressAnnotations: { 'example.com/owner': 'x' },
    }));
    for (const prop of ['host', 'tls', 'ingressAnnotations']) {
      expect(message).toContain(`${prop}: `);
    }
    expect(message).toContain('remove ingressAnnotations, or set exposure: ServiceExposure.PUBLIC');
  });

  test.each([
    'risk.trading.svc.cluster.local', 'risk.trading.svc', 'printer.local', 'api.corp.internal', 'app.localhost', 'nas.home.arpa',
  ])('the internal name %s is never published through a public Ingress', (host) => {
    const message = errorOf(() => synth({ host }));
    expect(message).toContain('host: ');
    expect(message).toContain('never publish');
  });

  test.each(['localhost', 'RISK.TRADING.SVC.CLUSTER.LOCAL', 'risk.trading.svc.cluster.local.'])('%s is refused before that (not a lower-case FQDN)', (host) => {
    expect(errorOf(() => synth({ host }))).toContain('host: ');
  });

  test.each(['api.trading.example.com', 'localhost.example.com', 'svc.example.com', 'internal.example.com'])(
    'the public name %s is accepted', (host) => {
      expect(only(synth({ host }).manifest, 'Ingress').spec.rules[0].host).toBe(host);
    });
});

describe('credentials are optional: a service may hold no key', () => {
  test('without credentials: no Secret volume, no mount, only /tmp', () => {
    const { manifest } = synth({ credentials: undefined });
    const pod = only(manifest, 'Deployment').spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp']);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('credentialsPath moves every credential mount, and is exposed', () => {
    const { manifest, api } = synth({ credentialsPath: '/etc/exchange-keys' });
    expect(api.credentialsPath).toBe('/etc/exchange-keys');
    expect(only(manifest, 'Deployment').spec.template.spec.containers[0].volumeMounts[1])
      .toEqual({ name: 'credentials-0', mountPath: '/etc/exchange-keys/exchange-keys', readOnly: true });
  });
});

describe('singleton: never two pods at once', () => {
  const { manifest, api } = synth({ singleton: true, exposure: ServiceExposure.INTERNAL, host: undefined, tls: undefined });
  const statefulSet = only(manifest, 'StatefulSet');

  test('a StatefulSet of one replica instead of a Deployment', () => {
    expect(manifest.filter((o) => o.kind === 'Deployment')).toEqual([]);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(api.deployment).toBeUndefined();
    expect(api.statefulSet).toBeDefined();
    expect(api.workload).toBe(api.statefulSet);
  });

  test('rolling updates replace the pod in place (delete, then create), ordered', () => {
    expect(statefulSet.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(statefulSet.spec.podManagementPolicy).toBe('OrderedReady');
  });

  test('governed by a headless Service that selects exactly its pods', () => {
    const headless = only(manifest, 'Service', 'gateway-headless');
    expect(statefulSet.spec.serviceName).toBe('gateway-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(statefulSet.spec.selector.matchLabels);
  });

  test('the pod keeps every hardening field, AppArmor field included', () => {
    const pod = statefulSet.spec.template.spec;
    expect(pod.securityContext.appArmorProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('the PodDisruptionBudget still allows the one eviction (a drain must proceed)', () => {
    expect(only(manifest, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('operators may read the StatefulSet but not scale it: a second replica is a second instance', () => {
    const rules = only(manifest, 'Role').rules;
    expect(JSON.stringify(rules)).not.toContain('scale');
    expect(rules).toContainEqual({ apiGroups: ['apps'], resources: ['statefulsets', 'controllerrevisions'], verbs: ['get', 'list', 'watch'] });
  });

  test('replicas defaults to 1 and only 1 is accepted', () => {
    expect(synth({ singleton: true, replicas: 1 }).manifest.find((o) => o.kind === 'StatefulSet').spec.replicas).toBe(1);
    expect(errorOf(() => synth({ singleton: true, replicas: 3 }))).toContain('replicas: contradicts singleton: true');
  });

  test('a singleton with exposure NONE still gets its headless Service (the StatefulSet needs it) and no other', () => {
    const worker = synth({ singleton: true, exposure: ServiceExposure.NONE, host: undefined, tls: undefined }).manifest;
    expect(worker.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['gateway-headless']);
  });
});

describe('a failed construction leaves nothing behind, whatever the shape', () => {
  test('an INTERNAL service with a host: refused, and the chart stays empty', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    expect(() => new SecureTradingApi(chart, 'risk', { image: IMAGE, exposure: ServiceExposure.INTERNAL, host: 'risk.example.com' })).toThrow(/host/);
    expect(chart.node.children).toHaveLength(0);
    new SecureTradingApi(chart, 'risk', { image: IMAGE, exposure: ServiceExposure.INTERNAL });
    expect(Testing.synth(chart).length).toBeGreaterThan(0);
  });

  test('only the image is required for a keyless internal service', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'md', { ...baseProps(), host: undefined, tls: undefined, credentials: undefined, exposure: ServiceExposure.NONE });
    expect(api.exposure).toBe(ServiceExposure.NONE);
  });
});

describe('the guard holds a singleton to its promise after construction', () => {
  const attempt = (change: (api: SecureTradingApi) => void) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'bot', { image: IMAGE, exposure: ServiceExposure.NONE, singleton: true });
    change(api);
    return () => Testing.synth(chart);
  };

  test.each([
    ['replicas patched to 2', '/spec/replicas', 2, 'a second replica is a second instance'],
    ['pods managed in parallel', '/spec/podManagementPolicy', 'Parallel', 'without waiting'],
    ['a grace period of 0', '/spec/template/spec/terminationGracePeriodSeconds', 0, 'before its containers have stopped'],
  ])('%s fails synth (WL-SINGLETON)', (_title, path, value, words) => {
    const message = errorOf(attempt((api) => ApiObject.of(api.workload).addJsonPatch(JsonPatch.add(path, value))));
    expect(message).toContain('WL-SINGLETON');
    expect(message).toContain(words);
  });

  test('the unchanged singleton passes', () => {
    expect(attempt(() => undefined)).not.toThrow();
  });
});

describe('the pod extras follow the shapes', () => {
  test('a ConfigMap may not be mounted over a moved credentials directory', () => {
    const message = errorOf(() => synth({ credentialsPath: '/etc/exchange-keys', configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/exchange-keys/x' }] }));
    expect(message).toContain('configMapVolumes[0].mountPath');
  });

  test('a sidecar may not take the metrics port', () => {
    const message = errorOf(() => synth({
      metrics: { port: 9100 },
      sidecars: [{ name: 'proxy', image: IMAGE, port: 9100 }],
    }));
    expect(message).toContain('sidecars[0].port');
  });

  test('a singleton\'s pod template carries the extras too', () => {
    const { manifest } = synth({ singleton: true, podLabels: { 'example.com/team': 'risk' }, env: { LOG_LEVEL: 'info' } });
    const template = only(manifest, 'StatefulSet').spec.template;
    expect(template.metadata.labels['example.com/team']).toBe('risk');
    expect(template.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  });

  test('the metrics port is on the API container beside its probed port', () => {
    const { manifest } = synth({ metrics: { port: 9100 } });
    expect(only(manifest, 'Deployment').spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
    ]);
  });
});

describe('the guard keeps internal names off the public Ingress after construction', () => {
  test('a host patched to a cluster-internal name fails synth (ING-PUBLIC-HOST)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps());
    api.ingress!.addJsonPatch(JsonPatch.replace('/spec/rules/0/host', 'gateway.trading.svc.cluster.local'));
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('ING-PUBLIC-HOST');
    expect(message).toContain('spec.rules[0].host');
  });
});
