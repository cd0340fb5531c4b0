import { Chart, Testing } from 'cdk8s';
import {
  CredentialRotation, ExchangeCredentials, ExternalSecretStore, SecureTradingApi,
} from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { evaluate } from '../src/guard/evaluate';

const RELOAD = 'secret.reloader.stakater.com/reload';
const external = (rotation?: CredentialRotation) => ExchangeCredentials.fromExternalSecret('okx-keys', {
  store: ExternalSecretStore.secretStore('vault'), remoteKey: 'trading/okx', files: { 'api-key': 'apiKey' }, rotation,
});

describe('rotation: files update in place by default; RESTART_ON_CHANGE names its Secrets for Reloader', () => {
  test('by default no Reloader annotation at all: the app re-reads its files', () => {
    const { manifest } = synth({ credentials: [ExchangeCredentials.fromSecret('binance-keys'), external()] });
    expect(only(manifest, 'Deployment').metadata.annotations ?? {}).toEqual({});
  });

  test('only the Secrets declared RESTART_ON_CHANGE, comma-separated, on the Deployment itself; never auto', () => {
    const { manifest } = synth({
      credentials: [
        ExchangeCredentials.fromSecret('binance-keys', { rotation: CredentialRotation.RESTART_ON_CHANGE }),
        ExchangeCredentials.fromSecret('bybit-keys', { rotation: CredentialRotation.RELOAD_FILES }),
        external(CredentialRotation.RESTART_ON_CHANGE),
      ],
    });
    const deployment = only(manifest, 'Deployment');
    expect(deployment.metadata.annotations).toEqual({ [RELOAD]: 'binance-keys,okx-keys' });
    expect(JSON.stringify(manifest)).not.toContain('reloader.stakater.com/auto');
    // The pod template does not change: Reloader reads the workload's own annotations.
    expect(deployment.spec.template.metadata.annotations[RELOAD]).toBeUndefined();
  });

  test('a singleton\'s StatefulSet is annotated the same way', () => {
    const { manifest } = synth({ singleton: true, credentials: [ExchangeCredentials.fromSecret('binance-keys', { rotation: CredentialRotation.RESTART_ON_CHANGE })] });
    expect(only(manifest, 'StatefulSet').metadata.annotations).toMatchObject({ [RELOAD]: 'binance-keys' });
  });

  test('secrets stay files, never env or subPath, whatever the rotation', () => {
    const { manifest } = synth({ credentials: [ExchangeCredentials.fromSecret('binance-keys', { rotation: CredentialRotation.RESTART_ON_CHANGE })] });
    const container = only(manifest, 'Deployment').spec.template.spec.containers[0];
    expect(container.env ?? []).toEqual([]);
    expect(container.volumeMounts.every((m: any) => m.subPath === undefined)).toBe(true);
  });

  test.each([
    ['fromSecret', ExchangeCredentials.fromSecret('binance-keys', { rotation: 'restart' as any })],
    ['fromExternalSecret', external('Always' as any)],
  ])('an unknown rotation from %s is named with the fix', (_, credential) => {
    const message = errorOf(() => new SecureTradingApi(new Chart(Testing.app(), 'test', { namespace: 'trading' }), 'gateway', baseProps({ credentials: [credential] })));
    expect(message).toContain('credentials[0].rotation');
    expect(message).toContain('CredentialRotation.RESTART_ON_CHANGE');
  });
});

describe('WL-RELOAD-SCOPED: restarts only for named, mounted Secrets', () => {
  const outcomes = (change: (deployment: any) => void) => {
    const { manifest } = synth({ credentials: [ExchangeCredentials.fromSecret('binance-keys', { rotation: CredentialRotation.RESTART_ON_CHANGE })] });
    change(only(manifest, 'Deployment'));
    return evaluate(manifest, true).filter((o) => o.ruleId === 'WL-RELOAD-SCOPED' && o.status !== 'not-applicable');
  };

  test('the library\'s annotation passes', () => {
    expect(outcomes(() => undefined).map((o) => o.status)).toEqual(['pass']);
  });

  test.each(['reloader.stakater.com/auto', 'secret.reloader.stakater.com/auto', 'reloader.stakater.com/search'])('%s: "true" fails, "false" passes', (key) => {
    expect(outcomes((d) => { d.metadata.annotations[key] = 'true'; }).map((o) => o.status)).toEqual(['fail']);
    expect(outcomes((d) => { d.metadata.annotations[key] = 'false'; }).map((o) => o.status)).toEqual(['pass']);
  });

  test('a named Secret the pods do not mount fails', () => {
    const found = outcomes((d) => { d.metadata.annotations[RELOAD] = 'binance-keys,other-team-keys'; });
    expect(found.map((o) => o.status)).toEqual(['fail']);
    expect(JSON.stringify(found)).toContain('other-team-keys');
  });

  test('a patch that adds auto fails synth', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps());
    api.workload.metadata.addAnnotation('reloader.stakater.com/auto', 'true');
    expect(errorOf(() => Testing.synth(chart))).toContain('WL-RELOAD-SCOPED');
  });
});
