import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  CredentialRotation, ExchangeCredentials, ExchangeCredentialsSource, SecretsStoreCsiCredentialsOptions, SecretsStoreProvider, SecureTradingApi,
} from '../src';
import { baseProps, errorOf, only, podSpecOf, synth } from './util';
import { evaluate } from '../src/guard/evaluate';

const VAULT = SecretsStoreProvider.vault({ address: 'https://vault.vault.svc:8200', roleName: 'trading-gateway' });
const FILES = { 'api-key': { name: 'secret/data/trading/binance', key: 'apiKey' }, 'api-secret': { name: 'secret/data/trading/binance', key: 'apiSecret' } };
const fromCsi = (options: Partial<SecretsStoreCsiCredentialsOptions> = {}, name = 'binance-keys') =>
  ExchangeCredentials.fromSecretsStoreCsi(name, { provider: VAULT, files: FILES, ...options });

describe('ExchangeCredentials.fromSecretsStoreCsi: a SecretProviderClass and a read-only csi volume', () => {
  let api: SecureTradingApi;
  let manifest: any[];
  beforeAll(() => {
    ({ api, manifest } = synth({ credentials: [fromCsi(), ExchangeCredentials.fromSecret('bybit-keys')] }));
  });

  test('the credential says where it comes from', () => {
    expect(fromCsi().source).toBe(ExchangeCredentialsSource.SECRETS_STORE_CSI);
    expect(fromCsi().keys).toEqual(['api-key', 'api-secret']);
  });

  test('one SecretProviderClass in the service namespace, with the service labels, exposed on the construct', () => {
    const spc = only(manifest, 'SecretProviderClass');
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.metadata).toEqual({ name: 'binance-keys', namespace: 'trading', labels: only(manifest, 'Deployment').metadata.labels });
    expect(api.secretProviderClasses.map((o) => o.name)).toEqual(['binance-keys']);
  });

  test('Vault provider: address, role, auth mount, token audience and one object per file; no secretObjects (keys stay out of etcd)', () => {
    expect(only(manifest, 'SecretProviderClass').spec).toEqual({
      provider: 'vault',
      parameters: {
        vaultAddress: 'https://vault.vault.svc:8200',
        roleName: 'trading-gateway',
        vaultKubernetesMountPath: 'kubernetes',
        audience: 'vault',
        objects: '- objectName: "api-key"\n  secretPath: "secret/data/trading/binance"\n  secretKey: "apiKey"\n'
          + '- objectName: "api-secret"\n  secretPath: "secret/data/trading/binance"\n  secretKey: "apiSecret"\n',
      },
    });
  });

  test('the pod gets a read-only csi volume of the secrets-store driver, mounted read-only where fromSecret mounts', () => {
    const pod = podSpecOf(manifest);
    expect(pod.volumes.find((v: any) => v.name === 'credentials-0')).toEqual({
      name: 'credentials-0',
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'binance-keys' } },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'credentials-0', mountPath: '/var/run/secrets/trading/binance-keys', readOnly: true });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.some((v: any) => v.projected)).toBe(false);
  });

  test('no Secret is emitted, and the admission policy does not treat the class as a Secret', () => {
    expect(manifest.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('the output passes every guard rule', () => {
    expect(evaluate(manifest, true).filter((o) => o.status === 'fail')).toEqual([]);
  });
});

describe('the other providers', () => {
  const spec = (provider: SecretsStoreProvider, files: SecretsStoreCsiCredentialsOptions['files']) =>
    only(synth({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider, files })] }).manifest, 'SecretProviderClass').spec;

  test('AWS: region, one object per secret with JMESPath fields; the whole secret under a hidden alias', () => {
    expect(spec(SecretsStoreProvider.aws({ region: 'eu-west-1' }), { 'api-key': { name: 'trading/binance', key: 'apiKey' }, 'api-secret': { name: 'trading/binance', key: 'apiSecret' } }))
      .toEqual({
        provider: 'aws',
        parameters: {
          region: 'eu-west-1',
          objects: '- objectName: "trading/binance"\n  objectType: "secretsmanager"\n  objectAlias: ".aws-0"\n  jmesPath:\n'
            + '    - path: "apiKey"\n      objectAlias: "api-key"\n    - path: "apiSecret"\n      objectAlias: "api-secret"\n',
        },
      });
    expect(spec(SecretsStoreProvider.aws({ region: 'eu-west-1', usePodIdentity: true }), { 'api-key': { name: 'binance-api-key' } }).parameters)
      .toEqual({ region: 'eu-west-1', usePodIdentity: 'true', objects: '- objectName: "binance-api-key"\n  objectType: "secretsmanager"\n  objectAlias: "api-key"\n' });
  });

  test('Azure: Key Vault, tenant, workload identity client id, objects as the provider\'s array', () => {
    const guid = '00000000-0000-0000-0000-000000000001';
    expect(spec(SecretsStoreProvider.azure({ keyVaultName: 'trading-kv', tenantId: guid, clientId: guid }), { 'api-key': { name: 'binance-api-key' } }))
      .toEqual({
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: guid,
          keyvaultName: 'trading-kv',
          tenantId: guid,
          objects: 'array:\n  - |\n    objectName: "binance-api-key"\n    objectType: secret\n    objectAlias: "api-key"\n',
        },
      });
  });

  test('GCP: a resource name per file, the latest version unless pinned', () => {
    expect(spec(SecretsStoreProvider.gcp({ project: 'trading-prod' }), { 'api-key': { name: 'binance-api-key' }, 'api-secret': { name: 'binance-api-secret', version: '3' } }))
      .toEqual({
        provider: 'gcp',
        parameters: {
          secrets: '- resourceName: "projects/trading-prod/secrets/binance-api-key/versions/latest"\n  path: "api-key"\n'
            + '- resourceName: "projects/trading-prod/secrets/binance-api-secret/versions/3"\n  path: "api-secret"\n',
        },
      });
  });
});

describe('invalid options name the prop, the value and the fix', () => {
  const error = (credentials: ExchangeCredentials) => errorOf(() => synth({ credentials: [credentials] }));

  test.each([
    ['a template delimiter in a path', fromCsi({ files: { 'api-key': { name: 'secret/{{.Data}}', key: 'apiKey' } } }), 'credentials[0].files["api-key"].name', 'Go template delimiters'],
    ['a quote in a key (YAML injection)', fromCsi({ files: { 'api-key': { name: 'secret/data/x', key: 'a"\nsecretPath: other' } } }), 'credentials[0].files["api-key"].key', 'a field name'],
    ['a Vault file without key', fromCsi({ files: { 'api-key': { name: 'secret/data/x' } } }), 'credentials[0].files["api-key"].key', 'is missing'],
    ['http for Vault', ExchangeCredentials.fromSecretsStoreCsi('k', { provider: SecretsStoreProvider.vault({ address: 'http://vault:8200', roleName: 'r' }), files: FILES }),
      'credentials[0].provider.address', 'https URL'],
    ['a key for Azure', ExchangeCredentials.fromSecretsStoreCsi('k', {
      provider: SecretsStoreProvider.azure({ keyVaultName: 'kv1', tenantId: '00000000-0000-0000-0000-000000000001', clientId: 'nope' }),
      files: { 'api-key': { name: 'x', key: 'y' } },
    }), 'credentials[0].files["api-key"].key', 'not supported by the azure provider'],
    ['a non-GUID client id', ExchangeCredentials.fromSecretsStoreCsi('k', {
      provider: SecretsStoreProvider.azure({ keyVaultName: 'kv1', tenantId: '00000000-0000-0000-0000-000000000001', clientId: 'nope' }),
      files: { 'api-key': { name: 'x' } },
    }), 'credentials[0].provider.clientId', 'a GUID'],
    ['an unknown option', ExchangeCredentials.fromSecretsStoreCsi('k', { provider: VAULT, files: FILES, secretObjects: [] } as any), 'credentials[0].secretObjects', 'is not a known prop'],
    ['no files', ExchangeCredentials.fromSecretsStoreCsi('k', { provider: VAULT } as any), 'credentials[0].files', 'is missing'],
    ['a provider that is not one', ExchangeCredentials.fromSecretsStoreCsi('k', { provider: 'vault', files: FILES } as any), 'credentials[0].provider', 'is not a SecretsStoreProvider'],
    ['two files with one value', fromCsi({ files: { a: { name: 'secret/data/x', key: 'k' }, b: { name: 'secret/data/x', key: 'k' } } }), 'credentials[0].files["b"]', 'same secret'],
  ])('%s', (_name, credentials, prop, problem) => {
    const message = error(credentials);
    expect(message).toContain(prop);
    expect(message).toContain(problem);
  });

  test('RESTART_ON_CHANGE is refused: Reloader watches Secrets, and the driver writes none', () => {
    expect(error(fromCsi({ rotation: CredentialRotation.RESTART_ON_CHANGE }))).toMatch(/credentials\[0\]\.rotation.*no.*Secret.*--enable-secret-rotation/s);
  });

  test('two services in one namespace may not emit one SecretProviderClass name', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'a', baseProps({ credentials: [fromCsi()] }));
    expect(errorOf(() => new SecureTradingApi(chart, 'b', baseProps({ credentials: [fromCsi()], host: 'b.trading.example.com' }))))
      .toContain('SecretProviderClass of this name');
  });
});

describe('the guard re-checks a csi credential volume after the user\'s changes', () => {
  const failures = (change: (api: SecureTradingApi) => void) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [fromCsi()] }));
    change(api);
    return errorOf(() => Testing.synth(chart));
  };

  test('a writable csi volume', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/volumes/1/csi/readOnly', false))))
      .toMatch(/POD-SECRETS-AS-FILES[\s\S]*csi\.readOnly/);
  });

  test('another driver reading the SecretProviderClass', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/volumes/1/csi/driver', 'evil.csi.example.com'))))
      .toMatch(/POD-SECRETS-AS-FILES[\s\S]*csi\.driver/);
  });

  test('a writable mount of the csi volume', () => {
    expect(failures((api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/volumeMounts/1/readOnly', false))))
      .toMatch(/POD-SECRETS-AS-FILES[\s\S]*mounts secret volume "credentials-0" writable/);
  });

  test('secretObjects patched into the SecretProviderClass', () => {
    expect(failures((api) => api.secretProviderClasses[0].addJsonPatch(JsonPatch.add('/spec/secretObjects', [{ secretName: 'copy', type: 'Opaque', data: [] }]))))
      .toMatch(/CRED-CSI-NO-SECRET-SYNC/);
  });
});

describe('property: no value a user writes changes the structure of the provider\'s objects', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const tricky = fc.oneof(fc.string(), fc.constantFrom('"', '\n', ': ', '- ', '#', '{{', 'yes', '123', '/'))
    .chain((a: string) => fc.tuple(fc.constant(a), fc.string()).map(([x, y]: [string, string]) => `${x}${y}`));

  test('any secret name and key: refused with a named prop, or objects that parse back to exactly that file, name and key', () => {
    fc.assert(fc.property(fc.oneof(tricky, fc.constant('secret/data/x')), fc.oneof(tricky, fc.constant('apiKey')), (name: string, key: string) => {
      let manifest: any[];
      try {
        manifest = synth({ credentials: [fromCsi({ files: { 'api-key': { name, key } } })] }).manifest;
      } catch (e) {
        expect((e as Error).message).toMatch(/credentials\[0\]\.files\["api-key"\]\.(name|key)/);
        return;
      }
      expect(YAML.parse(only(manifest, 'SecretProviderClass').spec.parameters.objects)).toEqual([{ objectName: 'api-key', secretPath: name, secretKey: key }]);
    }), { numRuns: 150 });
  });
});
