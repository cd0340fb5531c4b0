import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  CredentialRotation, ExchangeCredentials, ExchangeCredentialsSource, ImageSignature, SecureTradingApi, VaultAgentCredentialsOptions, VaultAgentMode,
  VaultEndpoint, VaultSecret,
} from '../src';
import { baseProps, errorOf, only, podSpecOf, synth } from './util';
import { evaluate } from '../src/guard/evaluate';

const IN_CLUSTER = VaultEndpoint.inCluster({ namespace: 'vault' });
const FILES = { 'api-key': VaultSecret.kv2('secret/data/trading/binance', 'apiKey'), 'api-secret': VaultSecret.kv2('secret/data/trading/binance', 'apiSecret') };
const fromVault = (options: Partial<VaultAgentCredentialsOptions> = {}, name = 'binance-keys') =>
  ExchangeCredentials.fromVaultAgent(name, { vault: IN_CLUSTER, role: 'trading-gateway', files: FILES, ...options });
const V = (key: string) => `vault.hashicorp.com/${key}`;

describe('ExchangeCredentials.fromVaultAgent: injector annotations, an audience-bound token volume, egress to Vault', () => {
  let manifest: any[];
  let annotations: { [key: string]: string };
  beforeAll(() => {
    ({ manifest } = synth({ credentials: [fromVault(), ExchangeCredentials.fromSecret('bybit-keys')] }));
    annotations = only(manifest, 'Deployment').spec.template.metadata.annotations;
  });

  test('the credential says where it comes from', () => {
    expect(fromVault().source).toBe(ExchangeCredentialsSource.VAULT_AGENT);
  });

  test('the injector runs the agent as the pod\'s user and group, hardened, with bounded resources, for the API container only', () => {
    expect(annotations).toMatchObject({
      [V('agent-inject')]: 'true',
      [V('service')]: 'https://vault.vault.svc:8200',
      [V('role')]: 'trading-gateway',
      [V('auth-path')]: 'auth/kubernetes',
      [V('secret-volume-path')]: '/var/run/secrets/trading/binance-keys',
      [V('agent-inject-containers')]: 'api',
      [V('agent-pre-populate-only')]: 'false',
      [V('agent-run-as-user')]: '10001',
      [V('agent-run-as-group')]: '10001',
      [V('agent-set-security-context')]: 'true',
      [V('agent-service-account-token-volume-name')]: 'vault-token',
      [V('agent-requests-cpu')]: '50m',
      [V('agent-limits-cpu')]: '250m',
      [V('agent-requests-mem')]: '64Mi',
      [V('agent-limits-mem')]: '128Mi',
      [V('agent-requests-ephemeral')]: '16Mi',
      [V('agent-limits-ephemeral')]: '64Mi',
    });
  });

  test('one secret and one single-field template per file the app reads, mode 0440', () => {
    expect(annotations[V('agent-inject-secret-api-key')]).toBe('secret/data/trading/binance');
    expect(annotations[V('agent-inject-file-api-key')]).toBe('api-key');
    expect(annotations[V('agent-inject-perms-api-key')]).toBe('0440');
    expect(annotations[V('agent-inject-template-api-key')]).toBe('{{- with secret "secret/data/trading/binance" -}}{{ index .Data.data "apiKey" }}{{- end -}}');
    expect(annotations[V('agent-inject-template-api-secret')]).toBe('{{- with secret "secret/data/trading/binance" -}}{{ index .Data.data "apiSecret" }}{{- end -}}');
    expect(Object.keys(annotations).filter((k) => k.startsWith(V('agent-inject-template-')))).toHaveLength(2);
  });

  test('KV version 1 reads the field from .Data', () => {
    const { manifest: m } = synth({ credentials: [fromVault({ files: { 'api-key': VaultSecret.kv1('kv/trading/binance', 'apiKey') } })] });
    expect(only(m, 'Deployment').spec.template.metadata.annotations[V('agent-inject-template-api-key')])
      .toBe('{{- with secret "kv/trading/binance" -}}{{ index .Data "apiKey" }}{{- end -}}');
  });

  test('the pod keeps automountServiceAccountToken false and seccomp RuntimeDefault; only the agent gets a projected, audience-bound, 10-minute token', () => {
    const pod = podSpecOf(manifest);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.volumes.find((v: any) => v.name === 'vault-token')).toEqual({
      name: 'vault-token',
      projected: { defaultMode: 0o440, sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] },
    });
    // The injector mounts the token into the agent; no container of ours mounts it, nor a volume for the Vault files.
    expect(pod.containers.flatMap((c: any) => c.volumeMounts.map((m: any) => m.name))).not.toContain('vault-token');
    expect(pod.volumes.filter((v: any) => v.name.startsWith('credentials-')).map((v: any) => v.name)).toEqual(['credentials-1']);
  });

  test('egress to Vault\'s pods only, by namespace and labels, on its port; no RBAC added', () => {
    const allow = manifest.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-allow'));
    expect(allow.spec.egress).toContainEqual({
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault', 'component': 'server' } },
      }],
      ports: [{ protocol: 'TCP', port: 8200 }],
    });
    expect(manifest.filter((o) => o.kind === 'Role').map((r) => r.metadata.name)).toEqual(['gateway-operator']);
  });

  test('the output passes every guard rule', () => {
    expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
  });
});

describe('options', () => {
  const annotationsOf = (credentials: ExchangeCredentials, extra = {}) =>
    only(synth({ credentials: [credentials], ...extra }).manifest, 'Deployment').spec.template.metadata.annotations;

  test('init containers declared with mountCredentials get the files too, sidecars never', () => {
    const annotations = annotationsOf(fromVault(), {
      initContainers: [{ name: 'check-keys', image: 'registry.example.com/trading/gateway:2.0.1@sha256:' + 'a'.repeat(64), mountCredentials: true }],
      sidecars: [{ name: 'exporter', image: 'registry.example.com/trading/exporter:1.0.0@sha256:' + 'a'.repeat(64), port: 9102 }],
    });
    expect(annotations[V('agent-inject-containers')]).toBe('api,check-keys');
  });

  test('PRE_POPULATE_ONLY: only the init container, the files never change', () => {
    expect(annotationsOf(fromVault({ mode: VaultAgentMode.PRE_POPULATE_ONLY }))[V('agent-pre-populate-only')]).toBe('true');
  });

  test('an external Vault: its address, and egress to its block through the exchange-endpoint checks', () => {
    const { manifest } = synth({ credentials: [fromVault({ vault: VaultEndpoint.external({ address: 'https://vault.example.com:8200', cidr: '203.0.113.10/32' }) })] });
    expect(only(manifest, 'Deployment').spec.template.metadata.annotations[V('service')]).toBe('https://vault.example.com:8200');
    const allow = manifest.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-allow'));
    expect(allow.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ protocol: 'TCP', port: 8200 }] });
  });

  test('an external Vault at the metadata address is refused like an exchange endpoint', () => {
    expect(errorOf(() => synth({ credentials: [fromVault({ vault: VaultEndpoint.external({ address: 'https://vault.example.com', cidr: '169.254.169.254/32' }) })] })))
      .toMatch(/credentials\[0\]\.vault\.cidr.*must never reach/);
  });

  test('Vault\'s CA from a Secret, mounted into the agent by the injector', () => {
    const annotations = annotationsOf(fromVault({ caCertSecret: 'vault-ca' }));
    expect(annotations[V('tls-secret')]).toBe('vault-ca');
    expect(annotations[V('ca-cert')]).toBe('/vault/tls/ca.crt');
    expect(annotationsOf(fromVault())[V('tls-secret')]).toBeUndefined();
  });

  test('token audience and lifetime, agent resources', () => {
    const { manifest } = synth({ credentials: [fromVault({ tokenAudience: 'https://vault.example.com', tokenExpirationSeconds: 1800, agentResources: { memoryLimit: '256Mi' } })] });
    expect(podSpecOf(manifest).volumes.find((v: any) => v.name === 'vault-token').projected.sources[0].serviceAccountToken)
      .toEqual({ audience: 'https://vault.example.com', expirationSeconds: 1800, path: 'token' });
    expect(only(manifest, 'Deployment').spec.template.metadata.annotations[V('agent-limits-mem')]).toBe('256Mi');
  });
});

describe('invalid options name the prop, the value and the fix', () => {
  const error = (credentials: ExchangeCredentials[]) => errorOf(() => synth({ credentials }));

  test.each([
    ['a template in a path', [fromVault({ files: { 'api-key': VaultSecret.kv2('secret/data/{{ .x }}', 'apiKey') } })], 'credentials[0].files["api-key"].path', 'Go template delimiters'],
    ['a template in a key', [fromVault({ files: { 'api-key': VaultSecret.kv2('secret/data/x', '}}{{ with secret "sys/x" }}') } })], 'credentials[0].files["api-key"].key', 'Go template delimiters'],
    ['a quote in a path', [fromVault({ files: { 'api-key': VaultSecret.kv2('secret/data/x" }}', 'k') } })], 'credentials[0].files["api-key"].path', 'Go template delimiters'],
    ['a KV v2 path without data/', [fromVault({ files: { 'api-key': VaultSecret.kv2('secret/trading/binance', 'apiKey') } })], 'credentials[0].files["api-key"].path', 'data/'],
    ['a long-lived token', [fromVault({ tokenExpirationSeconds: 86400 })], 'credentials[0].tokenExpirationSeconds', '3600'],
    ['a token shorter than the kubelet allows', [fromVault({ tokenExpirationSeconds: 60 })], 'credentials[0].tokenExpirationSeconds', '600'],
    ['a role with a template', [fromVault({ role: '{{ .role }}' })], 'credentials[0].role', 'Go template delimiters'],
    ['http Vault', [fromVault({ vault: VaultEndpoint.external({ address: 'http://vault.example.com', cidr: '203.0.113.10/32' }) })], 'credentials[0].vault.address', 'https URL'],
    ['a file name too long for the annotation names', [fromVault({ files: { ['k'.repeat(41)]: VaultSecret.kv2('secret/data/x', 'k') } })], 'credentials[0].files', 'at most 40'],
    ['a request above its limit', [fromVault({ agentResources: { cpuRequest: '1', cpuLimit: '500m' } })], 'credentials[0].agentResources', 'more than its limit'],
    ['not a VaultSecret', [fromVault({ files: { 'api-key': 'secret/data/x' as any } })], 'credentials[0].files["api-key"]', 'is not a VaultSecret'],
    ['two Vault credentials', [fromVault(), fromVault({}, 'kraken-keys')], 'credentials[1]', 'second fromVaultAgent'],
  ])('%s', (_name, credentials, prop, problem) => {
    const message = error(credentials);
    expect(message).toContain(prop);
    expect(message).toContain(problem);
  });

  test('RESTART_ON_CHANGE is refused: Reloader watches Secrets, and the agent writes none', () => {
    expect(error([fromVault({ rotation: CredentialRotation.RESTART_ON_CHANGE })])).toMatch(/credentials\[0\]\.rotation.*Vault Agent.*SIDECAR/s);
  });

  test('rotation with PRE_POPULATE_ONLY is refused: the files never change', () => {
    expect(error([fromVault({ mode: VaultAgentMode.PRE_POPULATE_ONLY, rotation: CredentialRotation.RELOAD_FILES })]))
      .toContain('written once at pod start and never change');
  });

  test('vault.hashicorp.com annotations in podAnnotations stay refused: the typed source owns them', () => {
    expect(errorOf(() => synth({ podAnnotations: { [V('agent-inject')]: 'true' } }))).toContain('ExchangeCredentials.fromVaultAgent');
  });
});

describe('the guard re-checks the agent and its token after the user\'s changes', () => {
  const failures = (change: (api: SecureTradingApi) => void) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [fromVault()] }));
    change(api);
    return errorOf(() => Testing.synth(chart));
  };
  const tokenIndex = 1;
  const annotation = (key: string) => `/spec/template/metadata/annotations/${V(key).replace('/', '~1')}`;

  test('the token\'s audience removed (the API server\'s audience)', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.remove(`/spec/template/spec/volumes/${tokenIndex}/projected/sources/0/serviceAccountToken/audience`))))
      .toMatch(/POD-NO-TOKEN[\s\S]*audience/);
  });

  test('a long-lived token', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.replace(`/spec/template/spec/volumes/${tokenIndex}/projected/sources/0/serviceAccountToken/expirationSeconds`, 86400))))
      .toMatch(/POD-NO-TOKEN[\s\S]*expirationSeconds/);
  });

  test('the token volume no longer named by the injector annotation', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.remove(annotation('agent-service-account-token-volume-name')))))
      .toMatch(/POD-NO-TOKEN[\s\S]*no Vault Agent annotation/);
  });

  test('the default token turned back on', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true))))
      .toMatch(/POD-NO-TOKEN/);
  });

  test.each([
    ['the agent as root', JsonPatch.replace(annotation('agent-run-as-user'), '0'), 'agent-run-as-user'],
    ['the agent\'s security context off', JsonPatch.replace(annotation('agent-set-security-context'), 'false'), 'agent-set-security-context'],
    ['the Vault token written into the app\'s files', JsonPatch.add(annotation('agent-inject-token'), 'true'), 'agent-inject-token'],
    ['a template that renders more than one field', JsonPatch.replace(annotation('agent-inject-template-api-key'), '{{ with secret "secret/data/trading/binance" }}{{ .Data.data }}{{ end }}'),
      'agent-inject-template-api-key'],
    ['TLS verification off', JsonPatch.add(annotation('tls-skip-verify'), 'true'), 'tls-skip-verify'],
    ['an agent image by tag only', JsonPatch.add(annotation('agent-image'), 'hashicorp/vault:1.21.1'), 'agent-image'],
  ])('%s', (_name, patch, key) => {
    const message = failures((api) => api.deployment!.addJsonPatch(patch));
    expect(message).toContain('CRED-VAULT-AGENT-HARDENED');
    expect(message).toContain(key);
  });
});

describe('property: no value a user writes becomes template code', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check');
  const TEMPLATE = /^\{\{- with secret "([A-Za-z0-9_./-]+)" -\}\}\{\{ index \.Data\.data "([A-Za-z0-9_.-]+)" \}\}\{\{- end -\}\}$/;
  const tricky = fc.oneof(fc.string(), fc.constantFrom('{{', '}}', '"', '\\', '\n', ' ', '/', 'data', '.', '-', '`', '$'))
    .chain((a: string) => fc.tuple(fc.constant(a), fc.string()).map(([x, y]: [string, string]) => `${x}${y}`));

  test('any path and key: refused with a named prop, or one template rendering exactly that field', () => {
    fc.assert(fc.property(fc.oneof(tricky, fc.constant('secret/data/trading/x')), fc.oneof(tricky, fc.constant('apiKey')), (path: string, key: string) => {
      let manifest: any[];
      try {
        manifest = synth({ credentials: [fromVault({ files: { 'api-key': VaultSecret.kv2(path, key) } })] }).manifest;
      } catch (e) {
        expect((e as Error).message).toMatch(/credentials\[0\]\.files\["api-key"\]\.(path|key)/);
        return;
      }
      const template = only(manifest, 'Deployment').spec.template.metadata.annotations[V('agent-inject-template-api-key')];
      expect(TEMPLATE.exec(template)?.slice(1)).toEqual([path, key]);
    }), { numRuns: 150 });
  });
});

describe('fromVaultAgent with imageSignature: the injected agent image is named, pinned, and admitted exactly', () => {
  const AGENT = `hashicorp/vault:1.21.1@sha256:${'c'.repeat(64)}`;
  const SIGNED = ImageSignature.keyless({ issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/gateway/.github/workflows/release.yaml@refs/heads/main' });

  test('agentImage is written as the injector\'s agent-image annotation', () => {
    const { manifest } = synth({ credentials: [fromVault({ agentImage: AGENT })] });
    expect(only(manifest, 'Deployment').spec.template.metadata.annotations[V('agent-image')]).toBe(AGENT);
  });

  test('without agentImage the injector\'s own image is used and no annotation is written', () => {
    const { manifest } = synth({ credentials: [fromVault()] });
    expect(only(manifest, 'Deployment').spec.template.metadata.annotations[V('agent-image')]).toBeUndefined();
  });

  test.each([
    ['hashicorp/vault:1.21.1', /credentials\[0\]\.agentImage.*pinned by tag only/s],
    ['hashicorp/vault:latest', /credentials\[0\]\.agentImage.*":latest"/s],
    [42, /credentials\[0\]\.agentImage/],
  ])('an agentImage %p is refused, by name', (image, message) => {
    expect(errorOf(() => synth({ credentials: [fromVault({ agentImage: image as any })] }))).toMatch(message);
  });

  test('imageSignature without agentImage is refused: the policy would refuse the injected agent', () => {
    expect(errorOf(() => synth({ imageSignature: SIGNED, credentials: [fromVault()] })))
      .toMatch(/credentials\[0\]\.agentImage.*is missing.*imageSignature/s);
  });

  test('with agentImage, the repository rule admits exactly that image, and the signature rule does not verify it', () => {
    const { manifest } = synth({ imageSignature: SIGNED, credentials: [fromVault({ agentImage: AGENT })] });
    const policy = only(manifest, 'ClusterPolicy');
    const repositoryRule = policy.spec.rules.find((r: any) => r.name === 'only-signed-repositories');
    const alternatives = repositoryRule.validate.pattern.spec.containers[0].image.split(' | ');
    expect(alternatives).toContain(AGENT);
    expect(alternatives.filter((a: string) => a.startsWith('hashicorp/vault'))).toEqual([AGENT]);
    const verified = policy.spec.rules.find((r: any) => r.name === 'verify-signatures').verifyImages[0].imageReferences;
    expect(verified.some((r: string) => r.includes('hashicorp/vault'))).toBe(false);
    // Every guard rule passes on it, the signed-images and Vault Agent rules included.
    expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
  });
});
