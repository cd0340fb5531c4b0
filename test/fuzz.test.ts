/**
 * Any value at all, as plain JavaScript or Python may pass it, for every prop and for the options of
 * every factory of the credential sources, the edge, egress and detection features: construction
 * either succeeds or throws the library's own error (naming a prop, with a fix) and leaves nothing in
 * the Chart. Never a TypeError, never a half-built service.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ClientCertificateAuthority, ClusterDns, EdgeAuthentication, ExchangeCredentials, ExternalSecretStore, GatewayApi, GatewayImplementation,
  ImageSignature, SecretsStoreProvider, SecureTradingApi, SecureTradingApiProps, ServiceExposure, VaultEndpoint, VaultSecret,
} from '../src';
import { baseProps } from './util';
import { KNOWN_PROPS } from '../src/config';

const RUNS = Number(process.env.FC_NUM_RUNS ?? 100);
const PUBLIC: Partial<SecureTradingApiProps> = { exposure: ServiceExposure.PUBLIC, host: 'api.trading.example.com' };
const VAULT = VaultEndpoint.inCluster({ namespace: 'vault' });

/** Each case: a name, and how a value reaches the construct (as a prop or through a factory's options). */
const CASES: Array<[string, (v: any) => Partial<SecureTradingApiProps>]> = [
  ['gatewayApi', (v) => ({ ...PUBLIC, gatewayApi: v })],
  ['GatewayApi.existing', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.existing(v) })],
  ['GatewayApi.own', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own(v) })],
  ['GatewayImplementation.other', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own({ gatewayClassName: 'eg', implementation: GatewayImplementation.other(v) }) })],
  ['GatewayImplementation.envoyGateway', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway(v) }) })],
  ['edgeProtection', (v) => ({ ...PUBLIC, edgeProtection: v })],
  ['edgeProtection.authentication', (v) => ({ ...PUBLIC, edgeProtection: { authentication: v } })],
  ['EdgeAuthentication.jwt', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }), edgeProtection: { authentication: EdgeAuthentication.jwt(v) } })],
  ['EdgeAuthentication.oidc', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }), edgeProtection: { authentication: EdgeAuthentication.oidc(v) } })],
  ['EdgeAuthentication.externalService', (v) => ({ ...PUBLIC, edgeProtection: { authentication: EdgeAuthentication.externalService(v) } })],
  ['ClientCertificateAuthority.fromSecret', (v) => ({ ...PUBLIC, edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromSecret(v) } })],
  ['imageSignature', (v) => ({ imageSignature: v })],
  ['ImageSignature.keyless', (v) => ({ imageSignature: ImageSignature.keyless(v) })],
  ['ImageSignature.publicKey', (v) => ({ imageSignature: ImageSignature.publicKey(v) })],
  ['monitoring', (v) => ({ metrics: { port: 9100 }, monitoring: v })],
  ['admissionPolicy', (v) => ({ admissionPolicy: v })],
  ['fqdnEgress', (v) => ({ fqdnEgress: v })],
  ['clusterDns', (v) => ({ clusterDns: v })],
  ['ClusterDns.fromPods', (v) => ({ clusterDns: ClusterDns.fromPods(v) })],
  ['ClusterDns.nodeLocalDnsCache', (v) => ({ clusterDns: ClusterDns.nodeLocalDnsCache(v) })],
  ['egressGateway', (v) => ({ egressGateway: v })],
  ['fromExternalSecret', (v) => ({ credentials: [ExchangeCredentials.fromExternalSecret('keys', v)] })],
  ['fromExternalSecret files', (v) => ({ credentials: [ExchangeCredentials.fromExternalSecret('keys', { store: ExternalSecretStore.secretStore('s'), remoteKey: 'k', files: v })] })],
  ['fromSecretsStoreCsi', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', v)] })],
  ['SecretsStoreProvider.vault', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider: SecretsStoreProvider.vault(v), files: { k: { name: 'a', key: 'b' } } })] })],
  ['SecretsStoreProvider.aws', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider: SecretsStoreProvider.aws(v), files: { k: { name: 'a' } } })] })],
  ['fromVaultAgent', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', v)] })],
  ['fromVaultAgent files', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VAULT, role: 'r', files: v })] })],
  ['VaultEndpoint.inCluster', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VaultEndpoint.inCluster(v), role: 'r', files: { k: VaultSecret.kv2('a', 'b') } })] })],
  ['VaultEndpoint.external', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VaultEndpoint.external(v), role: 'r', files: { k: VaultSecret.kv2('a', 'b') } })] })],
  ['SecretsStoreProvider.azure', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider: SecretsStoreProvider.azure(v), files: { k: { name: 'a' } } })] })],
  ['SecretsStoreProvider.gcp', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider: SecretsStoreProvider.gcp(v), files: { k: { name: 'a' } } })] })],
  ['fromSecretsStoreCsi files', (v) => ({ credentials: [ExchangeCredentials.fromSecretsStoreCsi('keys', { provider: SecretsStoreProvider.gcp({ project: 'p' } as any), files: v })] })],
  ['fromSecret name and options', (v) => ({ credentials: [ExchangeCredentials.fromSecret(v, v)] })],
  ['ExternalSecretStore.clusterSecretStore', (v) => ({ credentials: [ExchangeCredentials.fromExternalSecret('keys', { store: ExternalSecretStore.clusterSecretStore(v), remoteKey: 'k', files: { a: 'b' } })] })],
  ['ClientCertificateAuthority.fromConfigMap', (v) => ({ ...PUBLIC, gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }), edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromConfigMap(v) } })],
  ['exposure', (v) => ({ exposure: v })],
  ['credentialsPath', (v) => ({ credentialsPath: v })],
  ['VaultSecret.kv1', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VAULT, role: 'r', files: { k: VaultSecret.kv1(v, v) } })] })],
  ['fromVaultAgent agentImage with imageSignature', (v) => ({
    imageSignature: ImageSignature.keyless({ issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/a/.github/workflows/r.yaml@refs/heads/main' }),
    credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VAULT, role: 'r', files: { k: VaultSecret.kv2('secret/data/a', 'b') }, agentImage: v })],
  })],
  ['VaultSecret.kv2', (v) => ({ credentials: [ExchangeCredentials.fromVaultAgent('keys', { vault: VAULT, role: 'r', files: { k: VaultSecret.kv2(v, v) } })] })],
];

/** Values a careless or hostile caller passes: anything, with the shapes that break naive code made likely. */
const anyValue = fc.oneof(
  fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withMap: true, withSet: true }),
  fc.constantFrom(null, undefined, '', 0, -1, NaN, Infinity, [], {}, [null], { toString: 42 }, Object.create(null), 'x'.repeat(5000), '{{ .Data }}', 'a\nb'),
);

/** Every prop, any value, on a public service (where every prop applies). */
const EVERY_PROP: Array<[string, (v: any) => Partial<SecureTradingApiProps>]> = KNOWN_PROPS.map((prop) => [`${prop} (any value)`, (v: any) => ({ ...PUBLIC, [prop]: v })]);

describe('for any value of any prop or factory option', () => {
  test.each([...CASES, ...EVERY_PROP])('%s: a valid build, or the library\'s error naming a prop, and nothing emitted', (_name, build) => {
    fc.assert(fc.property(anyValue, (value) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
      let error: unknown;
      try {
        new SecureTradingApi(chart, 'api', baseProps(build(value)));
        Testing.synth(chart);
      } catch (e) {
        error = e;
      }
      if (error === undefined) {
        return;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).not.toBeInstanceOf(RangeError);
      const message = (error as Error).message;
      expect(message).toMatch(/\n {2}- [A-Za-z]/);
      expect(message).toContain('Fix: ');
      expect(chart.node.children).toHaveLength(0);
    }), { numRuns: RUNS });
  });
});
