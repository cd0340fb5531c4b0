import { Chart, Testing } from 'cdk8s';
import { SecureTradingApi, SecureTradingApiProps, TaintEffect, TolerationOperator } from '../src';
import { controlViolations } from './controls';
import { SCENARIOS } from './scenarios';
import { baseProps, DIGEST, errorOf, IMAGE, only, podSpecOf, synth } from './util';

const SIDECAR_IMAGE = `registry.example.com/trading/exporter:1.0.0@sha256:${DIGEST}`;
const sidecar = { name: 'exporter', image: SIDECAR_IMAGE, port: 9102 };

/** GIVEN a chart in namespace `trading`, WHEN built with these props: the error, and whether anything was emitted. */
function refused(overrides: Partial<SecureTradingApiProps>): { message: string; children: number } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
  const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps(overrides)));
  return { message, children: chart.node.children.length };
}

describe('env: literal, non-secret environment variables of the API container', () => {
  test('rendered in the order given, as name and value', () => {
    const pod = podSpecOf(synth({ env: { LOG_LEVEL: 'info', EXCHANGE_REGION: 'eu', ENABLED: 'true' } }).manifest);
    expect(pod.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' }, { name: 'EXCHANGE_REGION', value: 'eu' }, { name: 'ENABLED', value: 'true' },
    ]);
  });

  test('a *_FILE variable may point to where a key is mounted', () => {
    const pod = podSpecOf(synth({ env: { API_KEY_FILE: '/var/run/secrets/trading/exchange-keys/api-key' } }).manifest);
    expect(pod.containers[0].env).toEqual([{ name: 'API_KEY_FILE', value: '/var/run/secrets/trading/exchange-keys/api-key' }]);
  });
});

describe('envFromConfigMaps, configMapVolumes, command and args', () => {
  test('ConfigMaps as environment (never optional) and as read-only files with mode 0440, never subPath', () => {
    const pod = podSpecOf(synth({
      envFromConfigMaps: ['gateway-settings'],
      configMapVolumes: [{ configMapName: 'gateway-config', mountPath: '/etc/gateway', keys: ['config.yaml'] }],
    }).manifest);
    const api = pod.containers[0];
    expect(api.envFrom).toEqual([{ configMapRef: { name: 'gateway-settings', optional: false } }]);
    expect(api.volumeMounts).toContainEqual({ name: 'config-0', mountPath: '/etc/gateway', readOnly: true });
    expect(api.volumeMounts.every((m: any) => m.subPath === undefined)).toBe(true);
    expect(pod.volumes).toContainEqual({
      name: 'config-0',
      configMap: { name: 'gateway-config', defaultMode: 0o440, optional: false, items: [{ key: 'config.yaml', path: 'config.yaml' }] },
    });
  });

  test('command and args replace the entrypoint; empty arguments are kept', () => {
    const api = podSpecOf(synth({ command: ['/app/gateway'], args: ['--name', ''] }).manifest).containers[0];
    expect(api.command).toEqual(['/app/gateway']);
    expect(api.args).toEqual(['--name', '']);
  });
});

describe('imagePullSecrets, nodeSelector, tolerations', () => {
  test('rendered on the pod', () => {
    const pod = podSpecOf(synth({
      imagePullSecrets: ['registry-pull'],
      nodeSelector: { 'example.com/pool': 'trading' },
      tolerations: [
        { key: 'example.com/trading', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE },
        { key: 'dedicated', value: 'trading' },
        { key: 'node.kubernetes.io/not-ready', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 60 },
      ],
    }).manifest);
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    expect(pod.nodeSelector).toEqual({ 'example.com/pool': 'trading' });
    expect(pod.tolerations).toEqual([
      { key: 'example.com/trading', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'trading' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
  });

  test('none of them by default', () => {
    const pod = podSpecOf(synth().manifest);
    for (const field of ['imagePullSecrets', 'nodeSelector', 'tolerations', 'initContainers']) {
      expect(pod[field]).toBeUndefined();
    }
    expect(pod.containers).toHaveLength(1);
  });
});

describe('podLabels and podAnnotations', () => {
  test('added to the pod template only, beside the library\'s labels and AppArmor annotations', () => {
    const { manifest } = synth({ podLabels: { 'example.com/team': 'trading' }, podAnnotations: { 'example.com/owner': 'desk-7' } });
    const deployment = only(manifest, 'Deployment');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'example.com/team': 'trading', 'app.kubernetes.io/name': 'gateway' });
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'container.apparmor.security.beta.kubernetes.io/api': 'runtime/default',
      'example.com/owner': 'desk-7',
    });
    expect(deployment.metadata.labels['example.com/team']).toBeUndefined();
    expect(only(manifest, 'Service').spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });
});

describe('sidecars and init containers get exactly the API container\'s hardening', () => {
  const build = () => synth({
    sidecars: [{ ...sidecar, readinessPath: '/ready', livenessPath: '/alive', env: { MODE: 'pull' } }],
    initContainers: [{ name: 'check-keys', image: IMAGE, args: ['check'], mountCredentials: true }, { name: 'warm-cache', image: IMAGE }],
  });

  test('the same securityContext, pull policy and resources shape as the API container', () => {
    const pod = podSpecOf(build().manifest);
    const [api, side] = pod.containers;
    for (const c of [side, ...pod.initContainers]) {
      expect(c.securityContext).toEqual(api.securityContext);
      expect(c.imagePullPolicy).toBe('Always');
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    }
  });

  test('each has a size-limited /tmp of its own, not the API container\'s', () => {
    const pod = podSpecOf(build().manifest);
    const tmpOf = (c: any) => c.volumeMounts.find((m: any) => m.mountPath === '/tmp').name;
    const names = [...pod.containers, ...pod.initContainers].map(tmpOf);
    expect(names).toEqual(['tmp', 'sidecar-0-tmp', 'init-0-tmp', 'init-1-tmp']);
    for (const name of names) {
      expect(pod.volumes.find((v: any) => v.name === name).emptyDir.sizeLimit).toBe('64Mi');
    }
  });

  test('a sidecar is probed on its own named port; an init container has no port or probe', () => {
    const pod = podSpecOf(build().manifest);
    const side = pod.containers[1];
    expect(side.ports).toEqual([{ name: 'sidecar-0', containerPort: 9102, protocol: 'TCP' }]);
    expect(side.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'sidecar-0', scheme: 'HTTP' });
    expect(side.livenessProbe.httpGet).toEqual({ path: '/alive', port: 'sidecar-0', scheme: 'HTTP' });
    expect(side.startupProbe).toMatchObject({ httpGet: { path: '/alive', port: 'sidecar-0' }, periodSeconds: 5, failureThreshold: 12 });
    for (const init of pod.initContainers) {
      expect([init.ports, init.readinessProbe, init.livenessProbe, init.startupProbe]).toEqual([undefined, undefined, undefined, undefined]);
    }
  });

  test('credentials only where asked; the Service still targets the API port only', () => {
    const { manifest } = build();
    const pod = podSpecOf(manifest);
    const credentialMounts = (c: any) => c.volumeMounts.filter((m: any) => m.name.startsWith('credentials-'));
    expect(credentialMounts(pod.containers[1])).toEqual([]);
    expect(credentialMounts(pod.initContainers[0])).toEqual([{ name: 'credentials-0', mountPath: '/var/run/secrets/trading/exchange-keys', readOnly: true }]);
    expect(credentialMounts(pod.initContainers[1])).toEqual([]);
    expect(only(manifest, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('an AppArmor annotation for every container', () => {
    const annotations = only(build().manifest, 'Deployment').spec.template.metadata.annotations;
    expect(Object.keys(annotations).sort()).toEqual(['api', 'check-keys', 'exporter', 'warm-cache']
      .map((name) => `container.apparmor.security.beta.kubernetes.io/${name}`));
  });
});

describe('every new prop at once still passes every guard rule at synth', () => {
  test('the pod-extras scenario synthesizes (the guard runs in Testing.synth) and meets the controls', () => {
    const app = Testing.app();
    SCENARIOS.find((s) => s.name === 'pod-extras')!.build(app);
    const chart = app.node.children.find((c): c is Chart => c instanceof Chart)!;
    const manifest = Testing.synth(chart);
    expect(controlViolations(manifest, 'trading')).toEqual([]);
    const pod = podSpecOf(manifest);
    expect(pod.containers).toHaveLength(2);
    expect(pod.initContainers).toHaveLength(1);
  });
});

/** A bad input, the prop the message must name, and words it must contain (the value, the reason, the fix). */
const REFUSED: Array<[string, Partial<SecureTradingApiProps>, string, string[]]> = [
  // env
  ['an env name that is no identifier', { env: { 'LOG-LEVEL': 'info' } }, 'env["LOG-LEVEL"]', ['"LOG-LEVEL"', 'C identifier', 'LOG_LEVEL']],
  ['an env name starting with a digit', { env: { '1X': 'a' } }, 'env["1X"]', ['C identifier']],
  ['an env name that holds a credential', { env: { API_KEY: 'abc123' } }, 'env["API_KEY"]', ['"abc123"', 'holds a credential', 'credentials prop', 'mounted as a file']],
  ['a password variable', { env: { DB_PASSWORD: 'hunter2' } }, 'env["DB_PASSWORD"]', ['credential']],
  ['a *_FILE credential variable that is not a path', { env: { API_KEY_FILE: 'abc' } }, 'env["API_KEY_FILE"]', ['holds a credential']],
  ['a value that is a long token', { env: { EXCHANGE: 'sk_live_0123456789abcdefghijABCDEFGHIJ0123456789' } }, 'env["EXCHANGE"]', ['key material', 'credentials prop']],
  ['a value that is a PEM key', { env: { CERT: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' } }, 'env["CERT"]', ['key material']],
  ['LD_PRELOAD', { env: { LD_PRELOAD: '/tmp/x.so' } }, 'env["LD_PRELOAD"]', ['load or run other code']],
  ['NODE_OPTIONS', { env: { NODE_OPTIONS: '--require /tmp/x.js' } }, 'env["NODE_OPTIONS"]', ['load or run other code']],
  ['a variable the kubelet sets', { env: { KUBERNETES_SERVICE_HOST: 'evil.example.com' } }, 'env["KUBERNETES_SERVICE_HOST"]', ['KUBERNETES_', 'redirects']],
  ['names differing only in case', { env: { Region: 'eu', REGION: 'us' } }, 'env["REGION"]', ['only in case']],
  ['a NUL in a value', { env: { MODE: 'a\u0000b' } }, 'env["MODE"]', ['NUL']],
  ['a value cdk8s writes unquoted as a number', { env: { MODE: '0o17' } }, 'env["MODE"]', ['"0o17"', 'YAML', 'another type']],
  ['a number as value', { env: { PORT: 8080 as any } }, 'env["PORT"]', ['(got 8080)', 'quote the value']],
  // envFromConfigMaps
  ['an invalid ConfigMap name', { envFromConfigMaps: ['Settings'] }, 'envFromConfigMaps[0]', ['"Settings"', 'ConfigMap']],
  ['a ConfigMap listed twice', { envFromConfigMaps: ['a', 'a'] }, 'envFromConfigMaps[1]', ['listed twice']],
  // configMapVolumes
  ['a relative mount path', { configMapVolumes: [{ configMapName: 'c', mountPath: 'etc/gateway' }] }, 'configMapVolumes[0].mountPath', ['"etc/gateway"', 'absolute', '/etc/gateway']],
  ['a mount path with ..', { configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/gateway/../passwd' }] }, 'configMapVolumes[0].mountPath', ['normalized']],
  ['a trailing slash', { configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/gateway/' }] }, 'configMapVolumes[0].mountPath', ['normalized']],
  ['the root directory', { configMapVolumes: [{ configMapName: 'c', mountPath: '/' }] }, 'configMapVolumes[0].mountPath', ['root directory']],
  ['/etc itself', { configMapVolumes: [{ configMapName: 'c', mountPath: '/etc' }] }, 'configMapVolumes[0].mountPath', ['system directory']],
  ['inside /proc', { configMapVolumes: [{ configMapName: 'c', mountPath: '/proc/self' }] }, 'configMapVolumes[0].mountPath', ['kernel filesystem']],
  ['/tmp', { configMapVolumes: [{ configMapName: 'c', mountPath: '/tmp' }] }, 'configMapVolumes[0].mountPath', ['/tmp', 'already mounted']],
  ['inside /tmp', { configMapVolumes: [{ configMapName: 'c', mountPath: '/tmp/config' }] }, 'configMapVolumes[0].mountPath', ['inside /tmp']],
  ['inside the credentials directory', { configMapVolumes: [{ configMapName: 'c', mountPath: '/var/run/secrets/trading/config' }] }, 'configMapVolumes[0].mountPath', ['inside /var/run/secrets/trading']],
  ['the credentials directory through /run', { configMapVolumes: [{ configMapName: 'c', mountPath: '/run/secrets/trading' }] }, 'configMapVolumes[0].mountPath', ['/var/run/secrets/trading']],
  ['the token directory', { configMapVolumes: [{ configMapName: 'c', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }, 'configMapVolumes[0].mountPath', ['/var/run/secrets/kubernetes.io']],
  ['two nested volumes', { configMapVolumes: [{ configMapName: 'a', mountPath: '/etc/gateway' }, { configMapName: 'b', mountPath: '/etc/gateway/extra' }] },
    'configMapVolumes[1].mountPath', ['inside /etc/gateway']],
  ['a missing ConfigMap name', { configMapVolumes: [{ mountPath: '/etc/gateway' } as any] }, 'configMapVolumes[0].configMapName', ['is required']],
  ['an empty key list', { configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/c', keys: [] }] }, 'configMapVolumes[0].keys', ['mount nothing']],
  ['a key with a path', { configMapVolumes: [{ configMapName: 'c', mountPath: '/etc/c', keys: ['../x'] }] }, 'configMapVolumes[0].keys', ['"../x"']],
  // command, args
  ['an empty command', { command: [] }, 'command', ['is empty', 'leave command out']],
  ['an empty executable', { command: [''] }, 'command', ['empty executable']],
  ['a NUL in an argument', { args: ['a\u0000'] }, 'args[0]', ['NUL']],
  ['a key as an argument', { args: ['--api-key=AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMIK7MDENGbPxRfiCY'] }, 'args[0]', ['key material', 'ps', 'credentials prop']],
  ['a number in args', { args: [1 as any] }, 'args[0]', ['must be a string']],
  // imagePullSecrets
  ['an invalid pull Secret', { imagePullSecrets: ['Registry'] }, 'imagePullSecrets[0]', ['"Registry"']],
  ['a credential Secret as pull Secret', { imagePullSecrets: ['exchange-keys'] }, 'imagePullSecrets[0]', ['credential Secret', 'dockerconfigjson']],
  ['a pull Secret twice', { imagePullSecrets: ['r', 'r'] }, 'imagePullSecrets[1]', ['listed twice']],
  // nodeSelector
  ['a control-plane node selector', { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } }, 'nodeSelector["node-role.kubernetes.io/control-plane"]', ['control-plane', 'example.com/pool']],
  ['an empty node selector', { nodeSelector: {} }, 'nodeSelector', ['is empty']],
  ['a node label value that reads as a boolean', { nodeSelector: { 'example.com/spot': 'yes' } }, 'nodeSelector["example.com/spot"]', ['"yes"']],
  // tolerations
  ['tolerating everything', { tolerations: [{ operator: TolerationOperator.EXISTS }] }, 'tolerations[0].key', ['every taint']],
  ['a key-less Equal toleration', { tolerations: [{ value: 'x' }] }, 'tolerations[0].key', ['is required']],
  ['the control-plane taint', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: TolerationOperator.EXISTS }] },
    'tolerations[0].key', ['"node-role.kubernetes.io/control-plane"', 'etcd', 'worker nodes']],
  ['the master taint', { tolerations: [{ key: 'node-role.kubernetes.io/master', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }] },
    'tolerations[0].key', ['control-plane taint']],
  ['unreachable forever', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE }] },
    'tolerations[0].tolerationSeconds', ['forever', 'never fails over', 'at most 300']],
  ['unreachable without effect', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: TolerationOperator.EXISTS }] },
    'tolerations[0].tolerationSeconds', ['forever']],
  ['not-ready for an hour', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 3600 }] },
    'tolerations[0].tolerationSeconds', ['(got 3600)', 'more than 300']],
  ['a cordoned node', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: TolerationOperator.EXISTS }] }, 'tolerations[0].key', ['cordoned']],
  ['Exists with a value', { tolerations: [{ key: 'k', operator: TolerationOperator.EXISTS, value: 'v' }] }, 'tolerations[0].value', ['Exists']],
  ['seconds without NoExecute', { tolerations: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 5 }] }, 'tolerations[0].tolerationSeconds', ['NoExecute']],
  ['an unknown operator', { tolerations: [{ key: 'k', operator: 'In' as any }] }, 'tolerations[0].operator', ['"In"', 'TolerationOperator.EQUAL']],
  ['an unknown effect', { tolerations: [{ key: 'k', effect: 'NoRun' as any }] }, 'tolerations[0].effect', ['"NoRun"', 'TaintEffect.NO_SCHEDULE']],
  // podLabels, podAnnotations
  ['overriding the selector label', { podLabels: { 'app.kubernetes.io/name': 'other' } }, 'podLabels["app.kubernetes.io/name"]', ['the library sets', 'example.com/team']],
  ['a kubernetes.io label', { podLabels: { 'kubernetes.io/role': 'x' } }, 'podLabels["kubernetes.io/role"]', ['reserved for Kubernetes']],
  ['an invalid label value', { podLabels: { 'example.com/team': 'a b' } }, 'podLabels["example.com/team"]', ['label value']],
  ['the AppArmor annotation', { podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/api': 'unconfined' } },
    'podAnnotations["container.apparmor.security.beta.kubernetes.io/api"]', ['AppArmor', 'kubectl.kubernetes.io/default-container']],
  ['the seccomp annotation', { podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }, 'podAnnotations["seccomp.security.alpha.kubernetes.io/pod"]', ['under kubernetes.io']],
  ['the library prefix', { podAnnotations: { 'secure-trading-api.io/x': 'y' } }, 'podAnnotations["secure-trading-api.io/x"]', ['library\'s own prefix']],
  ['Vault agent injection', { podAnnotations: { 'vault.hashicorp.com/agent-inject': 'true' } }, 'podAnnotations["vault.hashicorp.com/agent-inject"]', ['injects containers', 'ExchangeCredentials.fromVaultAgent']],
  ['Istio injection', { podAnnotations: { 'sidecar.istio.io/inject': 'true' } }, 'podAnnotations["sidecar.istio.io/inject"]', ['under istio.io']],
  ['a token in an annotation', { podAnnotations: { 'example.com/note': 'ghp_0123456789abcdefghijABCDEFGHIJ0123456789' } }, 'podAnnotations["example.com/note"]', ['key material']],
  // sidecars, initContainers
  ['a sidecar without port', { sidecars: [{ name: 'x', image: SIDECAR_IMAGE } as any] }, 'sidecars[0].port', ['is required', 'POD-PROBES', 'initContainers']],
  ['a sidecar on a privileged port', { sidecars: [{ ...sidecar, port: 80 }] }, 'sidecars[0].port', ['(got 80)', '1025']],
  ['a sidecar on the API port', { sidecars: [{ ...sidecar, port: 8080 }] }, 'sidecars[0].port', ['another container']],
  ['two sidecars on one port', { sidecars: [sidecar, { ...sidecar, name: 'other' }] }, 'sidecars[1].port', ['another container']],
  ['a sidecar called api', { sidecars: [{ ...sidecar, name: 'api' }] }, 'sidecars[0].name', ['API container']],
  ['an init container sharing a sidecar\'s name', { sidecars: [sidecar], initContainers: [{ name: 'exporter', image: IMAGE }] }, 'sidecars[0].name', ['another container']],
  ['an invalid container name', { initContainers: [{ name: 'Init_1', image: IMAGE }] }, 'initContainers[0].name', ['"Init_1"', 'RFC 1123']],
  ['a tag-only sidecar image', { sidecars: [{ ...sidecar, image: 'registry.example.com/exporter:1.0' }] }, 'sidecars[0].image', ['tag only', 'allowUnpinnedImage']],
  ['a :latest init image even with the opt-out', { allowUnpinnedImage: true, image: 'registry.example.com/gateway:1.0', initContainers: [{ name: 'i', image: 'busybox:latest' }] },
    'initContainers[0].image', ['":latest"']],
  ['identical sidecar probes', { sidecars: [{ ...sidecar, readinessPath: '/health', livenessPath: '/health/' }] }, 'sidecars[0].livenessPath', ['same request']],
  ['a sidecar request over its limit', { sidecars: [{ ...sidecar, resources: { memoryRequest: '1Gi' } }] }, 'sidecars[0].resources.memoryRequest', ['exceeds sidecars[0].resources.memoryLimit']],
  ['a sidecar /tmp above its storage limit', { sidecars: [{ ...sidecar, tmpSizeLimit: '1Gi' }] }, 'sidecars[0].tmpSizeLimit', ['ephemeral-storage limit']],
  ['a credential-named sidecar env', { sidecars: [{ ...sidecar, env: { SECRET: 'x' } }] }, 'sidecars[0].env["SECRET"]', ['credential']],
  ['mountCredentials as a string', { initContainers: [{ name: 'i', image: IMAGE, mountCredentials: 'true' as any }] }, 'initContainers[0].mountCredentials', ['true or false']],
  ['a port on an init container', { initContainers: [{ name: 'i', image: IMAGE, port: 9000 } as any] }, 'initContainers[0].port', ['not a known prop']],
  ['eleven sidecars', { sidecars: Array.from({ length: 11 }, (_, i) => ({ ...sidecar, name: `s${i}`, port: 9000 + i })) }, 'sidecars', ['more than 10']],
];

describe('each bad pod extra throws one error naming the prop, the value and the fix; nothing is emitted', () => {
  test.each(REFUSED)('%s', (_title, overrides, prop, words) => {
    const { message, children } = refused(overrides);
    expect(message).toContain(`  - ${prop}: `);
    expect(message).toContain('Fix: ');
    for (const word of words) {
      expect(message).toContain(word);
    }
    expect(children).toBe(0);
  });
});
