import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ExchangeCredentials, ExchangeCredentialsSource, ExternalSecretCredentialsOptions, ExternalSecretDeletionPolicy, ExternalSecretStore,
  SecureTradingApi, TlsCertificate,
} from '../src';
import { baseProps, errorOf, only, podSpecOf, synth } from './util';
import { durationSeconds } from '../src/config/external-secret';

const STORE = ExternalSecretStore.secretStore('vault-trading');
const OPTIONS: ExternalSecretCredentialsOptions = { store: STORE, remoteKey: 'trading/binance', files: { 'api-key': 'apiKey', 'api-secret': 'apiSecret' } };
const fromStore = (options: Partial<ExternalSecretCredentialsOptions> = {}, name = 'binance-keys') =>
  ExchangeCredentials.fromExternalSecret(name, { ...OPTIONS, ...options });

describe('ExchangeCredentials.fromExternalSecret: an ExternalSecret per credential, the Secret mounted as before', () => {
  let api: SecureTradingApi;
  let manifest: any[];
  beforeAll(() => {
    ({ api, manifest } = synth({ credentials: [fromStore(), ExchangeCredentials.fromSecret('bybit-keys')] }));
  });

  test('one ExternalSecret, named like its Secret, in the service namespace, with the service labels', () => {
    const es = only(manifest, 'ExternalSecret');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata).toEqual({ name: 'binance-keys', namespace: 'trading', labels: only(manifest, 'Deployment').metadata.labels });
    expect(api.externalSecrets.map((o) => o.name)).toEqual(['binance-keys']);
  });

  test('periodic refresh every hour, the operator owns the Secret, Retain by default, one entry per file', () => {
    expect(only(manifest, 'ExternalSecret').spec).toEqual({
      secretStoreRef: { kind: 'SecretStore', name: 'vault-trading' },
      refreshPolicy: 'Periodic',
      refreshInterval: '1h',
      target: { name: 'binance-keys', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'api-key', remoteRef: { key: 'trading/binance', property: 'apiKey' } },
        { secretKey: 'api-secret', remoteRef: { key: 'trading/binance', property: 'apiSecret' } },
      ],
    });
  });

  test('the pod mounts the written Secret read-only, only the named files, exactly like fromSecret', () => {
    const pod = podSpecOf(manifest);
    expect(pod.volumes.find((v: any) => v.name === 'credentials-0')).toEqual({
      name: 'credentials-0',
      secret: {
        secretName: 'binance-keys',
        defaultMode: 0o440,
        optional: false,
        items: [{ key: 'api-key', path: 'api-key' }, { key: 'api-secret', path: 'api-secret' }],
      },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'credentials-0', mountPath: '/var/run/secrets/trading/binance-keys', readOnly: true });
  });

  test('no Secret with data and no key value anywhere: the manifests hold references only', () => {
    expect(manifest.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(manifest)).not.toMatch(/"(data|stringData)":\{"/);
  });

  test('least privilege: the pods\' ServiceAccount gets no Role for it; nobody gets the Secret, and the operators only read the ExternalSecret', () => {
    const bindings = manifest.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
    expect(bindings.flatMap((b) => b.subjects ?? []).filter((s: any) => s.kind === 'ServiceAccount')).toEqual([]);
    const rules = manifest.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').flatMap((r) => r.rules);
    expect(rules.flatMap((rule: any) => rule.resources)).not.toContain('secrets');
    // Reading an ExternalSecret shows where a key lives, never the key; changing it could point the
    // operator at another remote key or another target Secret: read only.
    const onExternalSecrets = rules.filter((rule: any) => rule.resources.includes('externalsecrets'));
    expect(onExternalSecrets).toEqual([{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('the source and keys are visible on the credential', () => {
    const credential = fromStore();
    expect(credential.source).toBe(ExchangeCredentialsSource.EXTERNAL_SECRET);
    expect(credential.keys).toEqual(['api-key', 'api-secret']);
    expect(ExchangeCredentials.fromSecret('x').source).toBe(ExchangeCredentialsSource.SECRET);
  });

  test('a ClusterSecretStore, another interval and Delete are written as given', () => {
    const { manifest: m } = synth({
      credentials: [fromStore({ store: ExternalSecretStore.clusterSecretStore('aws-sm'), refreshInterval: '15m', deletionPolicy: ExternalSecretDeletionPolicy.DELETE })],
    });
    const spec = only(m, 'ExternalSecret').spec;
    expect(spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-sm' });
    expect(spec.refreshInterval).toBe('15m');
    expect(spec.target.deletionPolicy).toBe('Delete');
  });

  test('fromSecret alone emits no ExternalSecret', () => {
    const { api: plain, manifest: m } = synth();
    expect(m.filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
    expect(plain.externalSecrets).toEqual([]);
  });
});

describe('every option of fromExternalSecret is checked, and a bad one leaves nothing behind', () => {
  const cases: Array<[string, ExchangeCredentials, string, string[]]> = [
    ['a bad Secret name', fromStore({}, 'Binance_Keys'), 'credentials[0].secretName', ['"Binance_Keys"']],
    ['no store', fromStore({ store: undefined }), 'credentials[0].store', ['ExternalSecretStore.secretStore']],
    ['a store given as a string', fromStore({ store: 'vault' as any }), 'credentials[0].store', ['"vault"', 'not an ExternalSecretStore']],
    ['a bad store name', fromStore({ store: ExternalSecretStore.clusterSecretStore('Vault Store') }), 'credentials[0].store.name', ['"Vault Store"', 'ClusterSecretStore']],
    ['no remote key', fromStore({ remoteKey: undefined }), 'credentials[0].remoteKey', ['must be a string']],
    ['an empty remote key', fromStore({ remoteKey: '' }), 'credentials[0].remoteKey', ['must not be empty']],
    ['a remote key with a line break', fromStore({ remoteKey: 'trading/\nbinance' }), 'credentials[0].remoteKey', ['control characters']],
    ['a padded remote key', fromStore({ remoteKey: ' trading/binance' }), 'credentials[0].remoteKey', ['white space']],
    ['no files', fromStore({ files: undefined }), 'credentials[0].files', ['is missing']],
    ['a list of files', fromStore({ files: ['api-key'] as any }), 'credentials[0].files', ['map of strings']],
    ['empty files', fromStore({ files: {} }), 'credentials[0].files', ['mount nothing']],
    ['a file name with a slash', fromStore({ files: { '../api-key': 'apiKey' } }), 'credentials[0].files["../api-key"]', ['letters, digits']],
    ['a file name starting with ..', fromStore({ files: { '..data': 'apiKey' } }), 'credentials[0].files["..data"]', ['".."']],
    ['an empty property', fromStore({ files: { 'api-key': '' } }), 'credentials[0].files["api-key"]', ['must not be empty']],
    ['a property that is not a string', fromStore({ files: { 'api-key': 7 as any } }), 'credentials[0].files["api-key"]', ['must be a string']],
    ['two files with one property', fromStore({ files: { 'api-key': 'key', 'api-secret': 'key' } }), 'credentials[0].files["api-secret"]', ['file "api-key"']],
    ['a zero refresh interval', fromStore({ refreshInterval: '0s' }), 'credentials[0].refreshInterval', ['never reach the pods']],
    ['a refresh interval of "0"', fromStore({ refreshInterval: '0' }), 'credentials[0].refreshInterval', ['not a Go duration']],
    ['a refresh interval under a minute', fromStore({ refreshInterval: '30s' }), 'credentials[0].refreshInterval', ['shorter than a minute']],
    ['a refresh interval over a day', fromStore({ refreshInterval: '25h' }), 'credentials[0].refreshInterval', ['more than a day']],
    ['a fractional refresh interval', fromStore({ refreshInterval: '1.5h' }), 'credentials[0].refreshInterval', ['"1.5h"', '"15m"']],
    ['a number as refresh interval', fromStore({ refreshInterval: 3600 as any }), 'credentials[0].refreshInterval', ['must be a string']],
    ['an unknown deletion policy', fromStore({ deletionPolicy: 'Merge' as any }), 'credentials[0].deletionPolicy', ['"Merge"', 'RETAIN']],
    ['a misspelt option', fromStore({ refreshIntervall: '1h' } as any), 'credentials[0].refreshIntervall', ['not a known prop', 'refreshInterval']],
    ['the same Secret from a store and as a Secret', [fromStore(), ExchangeCredentials.fromSecret('binance-keys')] as any, 'credentials[1].secretName', ['listed twice']],
  ];

  test.each(cases)('%s', (_, credential, prop, words) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const credentials = Array.isArray(credential) ? credential : [credential];
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ credentials })));
    expect(message).toContain(prop);
    for (const word of words) {
      expect(message).toContain(word);
    }
    expect(chart.node.children).toHaveLength(0);
  });

  test('options that are not an object are named', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [ExchangeCredentials.fromExternalSecret('k', 'vault' as any)] })));
    expect(message).toContain('credentials[0]');
    expect(message).toContain('must be an object');
  });
});

describe('one writer per Secret, and keys never become a TLS Secret', () => {
  test('two services whose ExternalSecrets write one Secret in one namespace are refused; fromSecret may share it', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [fromStore()] }));
    new SecureTradingApi(chart, 'reader', baseProps({ host: 'reader.trading.example.com', credentials: [ExchangeCredentials.fromSecret('binance-keys')] }));
    const message = errorOf(() => new SecureTradingApi(chart, 'router', baseProps({ host: 'router.trading.example.com', credentials: [fromStore()] })));
    expect(message).toContain('another service\'s ExternalSecret already writes this Secret');
    expect(chart.node.tryFindChild('router')).toBeUndefined();
  });

  test('the same ExternalSecret name in two namespaces is fine', () => {
    const app = Testing.app();
    new SecureTradingApi(new Chart(app, 'a', { namespace: 'trading-a' }), 'gateway', baseProps({ credentials: [fromStore()] }));
    expect(() => new SecureTradingApi(new Chart(app, 'b', { namespace: 'trading-b' }), 'gateway', baseProps({ host: 'b.trading.example.com', credentials: [fromStore()] }))).not.toThrow();
  });

  test('an ExternalSecret target that is the TLS Secret is refused', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ tls: TlsCertificate.fromSecret('binance-keys'), credentials: [fromStore()] })));
    expect(message).toContain('is also one of this service\'s credential Secrets');
  });
});

describe('refresh intervals: every whole duration from 1m to 24h is accepted, and written as given', () => {
  test('durationSeconds reads hours, minutes and seconds', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('')).toBeUndefined();
    expect(durationSeconds('1d')).toBeUndefined();
    expect(durationSeconds('m')).toBeUndefined();
  });

  test('property: any interval within bounds synthesizes, anything outside is refused with the prop named', () => {
    const part = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: undefined });
    const arb = fc.tuple(part(30), part(200), part(5000)).filter(([h, m, s]) => h !== undefined || m !== undefined || s !== undefined);
    fc.assert(fc.property(arb, ([h, m, s]) => {
      const interval = `${h === undefined ? '' : `${h}h`}${m === undefined ? '' : `${m}m`}${s === undefined ? '' : `${s}s`}`;
      const seconds = (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
      const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
      const build = () => new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [fromStore({ refreshInterval: interval })] }));
      if (seconds >= 60 && seconds <= 86400) {
        build();
        expect(only(Testing.synth(chart), 'ExternalSecret').spec.refreshInterval).toBe(interval);
      } else {
        expect(errorOf(build)).toContain('credentials[0].refreshInterval');
      }
    }), { numRuns: 60 });
  });
});
