import { Chart, Testing } from 'cdk8s';
import { ExchangeCredentials, SecureTradingApi } from '../src';
import { baseProps, errorOf, IMAGE, only, synth } from './util';

/** GIVEN a chart in namespace `trading`, WHEN built with these raw props (as plain JavaScript or Python may pass them): the error. */
function refused(props: any): { message: string; chart: Chart } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
  const message = errorOf(() => new SecureTradingApi(chart, 'gateway', props));
  return { message, chart };
}

describe('plain-JavaScript and Python callers get a clear error naming the prop, never a TypeError', () => {
  test.each<[string, any, string]>([
    ['a string where a list of keys is expected', baseProps({ credentials: [ExchangeCredentials.fromSecret('keys', { keys: 'api-key' as any })] }),
      '  - credentials[0].keys: must be a list (got "api-key")'],
    ['a misspelt option of fromSecret', baseProps({ credentials: [ExchangeCredentials.fromSecret('keys', { key: ['api-key'] } as any)] }),
      '  - credentials[0].key: is not an option of ExchangeCredentials.fromSecret'],
    ['null options of fromSecret mean none', baseProps({ credentials: [ExchangeCredentials.fromSecret('keys', null as any)], host: 42 as any }),
      '  - host: must be a string'],
    ['a string where the credentials list is expected', baseProps({ credentials: 'keys' as any }), '  - credentials: must be a list (got "keys")'],
    ['a sparse list', baseProps({ operatorGroups: [, 'oncall'] as any }), '  - operatorGroups[0]: is a hole in a sparse list'],
    ['an endpoint that is not an object', baseProps({ exchangeEndpoints: ['203.0.113.0/24' as any] }), '  - exchangeEndpoints[0]: must be an object'],
    ['an unknown prop (a misspelt opt-in)', { ...baseProps(), allowUnpinedImage: true }, '  - props.allowUnpinedImage: is not a known prop (got true)'],
    ['an unknown key in a struct', baseProps({ resources: { cpuLimt: '1' } as any }), '  - resources.cpuLimt: is not a known prop'],
    ['a string "false" for a boolean opt-in', baseProps({ allowUnpinnedImage: 'false' as any }), '  - allowUnpinnedImage: must be true or false (got "false")'],
    ['a number for a string prop', baseProps({ host: 42 as any }), '  - host: must be a string (got 42)'],
    ['props that are an array', [] as any, '  - props: must be an object'],
    ['symbol keys', { ...baseProps(), [Symbol('x')]: 1 }, '  - props: has symbol keys'],
    ['a string where the env map is expected', baseProps({ env: 'LOG_LEVEL=info' as any }), '  - env: must be a map of strings to strings (got "LOG_LEVEL=info")'],
    ['a list where the env map is expected', baseProps({ env: ['LOG_LEVEL'] as any }), '  - env: must be a map of strings to strings'],
    ['a string where ConfigMap names are expected', baseProps({ envFromConfigMaps: 'settings' as any }), '  - envFromConfigMaps: must be a list (got "settings")'],
    ['a string where a command list is expected', baseProps({ command: '/app/gateway --debug' as any }), '  - command: must be a list (got "/app/gateway --debug")'],
    ['a string where pull Secrets are expected', baseProps({ imagePullSecrets: 'registry' as any }), '  - imagePullSecrets: must be a list (got "registry")'],
    ['a string of keys in a ConfigMap volume', baseProps({ configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/c', keys: 'a' as any }] }),
      '  - configMapVolumes[0].keys: must be a list (got "a")'],
    ['a toleration that is a string', baseProps({ tolerations: ['dedicated=trading:NoSchedule' as any] }), '  - tolerations[0]: must be an object'],
    ['a misspelt toleration field', baseProps({ tolerations: [{ key: 'k', tolerationSecond: 5 } as any] }), '  - tolerations[0].tolerationSecond: is not a known prop'],
    ['a number as a toleration key', baseProps({ tolerations: [{ key: 5 as any }] }), '  - tolerations[0].key: must be a string (got 5)'],
    ['a string tolerationSeconds', baseProps({ tolerations: [{ key: 'k', effect: 'NoExecute' as any, tolerationSeconds: '30' as any }] }),
      '  - tolerations[0].tolerationSeconds: must be a whole number (got "30")'],
    ['a sidecar that is a string', baseProps({ sidecars: ['busybox' as any] }), '  - sidecars[0]: must be an object'],
    ['a sparse init container list', baseProps({ initContainers: [, { name: 'i', image: `i@sha256:${'a'.repeat(64)}` }] as any }), '  - initContainers[0]: is a hole in a sparse list'],
    ['a sidecar port as a string', baseProps({ sidecars: [{ name: 's', image: `s@sha256:${'a'.repeat(64)}`, port: '9102' as any }] }),
      '  - sidecars[0].port: must be a whole number (got "9102")'],
    ['a number as pod label value', baseProps({ podLabels: { 'example.com/tier': 1 as any } }), '  - podLabels["example.com/tier"]: must be a string (got 1)'],
    ['a sidecar without image', baseProps({ initContainers: [{ name: 'i' } as any] }), '  - initContainers[0].image: is required'],
  ])('%s', (_title, props, words) => {
    const { message, chart } = refused(props);
    expect(message).toContain(words);
    expect(message).not.toMatch(/TypeError|Cannot read/);
    expect(chart.node.children).toHaveLength(0);
  });

  test('an inherited or prototype-polluted opt-in never counts', () => {
    const polluted = Object.create({ allowUnpinnedImage: true, allowUnrestrictedEgress: true });
    Object.assign(polluted, baseProps({ image: 'registry.example.com/gateway:2.0.1', exchangeEndpoints: [{ cidr: '0.0.0.0/0' }] }));
    const { message } = refused(polluted);
    expect(message).toContain('  - image: is pinned by tag only');
    expect(message).toContain('exchangeEndpoints[0].cidr');

    const proto = Object.prototype as any;
    proto.allowUnrestrictedEgress = true;
    try {
      expect(refused(baseProps({ exchangeEndpoints: [{ cidr: '0.0.0.0/0' }] })).message).toContain('exchangeEndpoints[0].cidr');
    } finally {
      delete proto.allowUnrestrictedEgress;
    }
  });

  test('an inherited toleration operator or mountCredentials never counts', () => {
    const proto = Object.prototype as any;
    proto.mountCredentials = true;
    proto.operator = 'Exists';
    try {
      const { manifest } = synth({ initContainers: [{ name: 'i', image: IMAGE }], tolerations: [{ key: 'dedicated', value: 'trading' }] });
      const pod = only(manifest, 'Deployment').spec.template.spec;
      expect(pod.initContainers[0].volumeMounts.map((m: any) => m.name)).toEqual(['init-0-tmp']);
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'trading' }]);
    } finally {
      delete proto.mountCredentials;
      delete proto.operator;
    }
  });

  test('a __proto__ key in env is an ordinary (refused) name, never a prototype change', () => {
    const env = JSON.parse('{"__proto__": {"polluted": "1"}, "LOG_LEVEL": "info"}');
    expect(refused(baseProps({ env })).message).toContain('  - env["__proto__"]: must be a string');
    expect(({} as any).polluted).toBeUndefined();
  });

  test('null for an optional prop means the default, as undefined does', () => {
    const { manifest } = synth({
      replicas: null as any, operatorGroups: null as any, env: null as any, sidecars: null as any, tolerations: null as any,
    });
    expect(only(manifest, 'Deployment').spec.replicas).toBe(2);
  });
});

describe('what the API server would refuse is refused first, in the same style', () => {
  test.each<[string, any, string]>([
    ['quantities are compared exactly: 1070M is not above 1.07G', { resources: { memoryRequest: '1070M', memoryLimit: '1.07G' } }, ''],
    ['a request one nano-unit above its limit', { resources: { cpuRequest: '1.000000001', cpuLimit: '1' } }, '  - resources.cpuRequest: exceeds resources.cpuLimit'],
    ['memory in millibytes (a typo for Mi)', { resources: { memoryLimit: '500m' } }, '  - resources.memoryLimit: is a fraction of a byte'],
    ['a /tmp limit in millibytes', { tmpSizeLimit: '64m' }, '  - tmpSizeLimit: is a fraction of a byte'],
    ['an absurd exponent', { resources: { cpuLimit: '1e99' } }, '  - resources.cpuLimit: is not a positive Kubernetes quantity'],
    ['the same probe request with an empty query', { readinessPath: '/readyz', livenessPath: '/readyz?' }, '  - livenessPath: asks the same request as readinessPath'],
    ['the same probe request with a trailing slash', { readinessPath: '/health', livenessPath: '/health/' }, '  - livenessPath: asks the same request as readinessPath'],
    ['any kube-* namespace', { namespace: 'kube-flannel' }, '  - namespace: is a shared system namespace'],
  ])('%s', (_title, props, words) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    if (words === '') {
      expect(() => new SecureTradingApi(chart, 'gateway', baseProps(props))).not.toThrow();
    } else {
      expect(errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps(props)))).toContain(words);
    }
  });

  test('different queries are different probes', () => {
    expect(() => synth({ readinessPath: '/health?ready', livenessPath: '/health?live' })).not.toThrow();
  });
});
