import { Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { ExchangeCredentials, SecureTradingApi } from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { readsAsNonString } from '../src/validate';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixture: { cases: Array<{ value: string; nonString: boolean }> } = require('./fixtures/yaml-strings.json');

describe('strings that YAML 1.1 readers would read as another type', () => {
  test.each(fixture.cases.map((c) => [c.value, c.nonString] as const))('%s: read as another type = %s (Go\'s reader agrees: tools/)', (value, nonString) => {
    expect(readsAsNonString(value)).toBe(nonString);
  });

  test('the cases cdk8s writes unquoted are the ones the guard must catch', () => {
    const unquoted = fixture.cases.filter((c) => c.nonString && !/^- ["']/.test(Yaml.stringify([c.value]))).map((c) => c.value);
    // The JavaScript YAML library cdk8s writes with reads these back as strings, so it leaves them
    // unquoted; Go's reader (tools/internal/manifest) reads every one of them as a number.
    expect(unquoted).toEqual(expect.arrayContaining(['0X1F', '0o17', '0O17', '0B101']));
    for (const value of unquoted) {
      expect(parse(Yaml.stringify({ v: value }), { version: '1.1' }).v).toBe(value);
    }
  });

  test.each([
    ['a namespace', { namespace: '0o17' }, 'namespace'],
    ['an operator group', { operatorGroups: ['yes'] }, 'operatorGroups[0]'],
    ['a Secret key', { credentials: [ExchangeCredentials.fromSecret('keys', { keys: ['0X1F'] })] }, 'credentials[0].keys'],
  ])('%s that would be misread is refused at construction', (_title, props, prop) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps(props as any)));
    expect(message).toContain(`  - ${prop}: would be read by kubectl's YAML reader (YAML 1.1) as a number, boolean or null`);
  });

  test('a Secret key starting with ".." is refused (the kubelet\'s own files in a Secret volume)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    expect(errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [ExchangeCredentials.fromSecret('keys', { keys: ['..data'] })] }))))
      .toContain('must not be "." or start with ".."');
  });

  test('an image tag that reads as a number gives no version label, rather than a misread one', () => {
    const image = `registry.example.com/gateway:1e3@sha256:${'a'.repeat(64)}`;
    expect(only(synth({ image }).manifest, 'Deployment').metadata.labels['app.kubernetes.io/version']).toBeUndefined();
    expect(only(synth().manifest, 'Deployment').metadata.labels['app.kubernetes.io/version']).toBe('2.0.1');
  });

  test('a value patched in afterwards is caught by the guard at synth', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps());
    api.deployment!.addJsonPatch(JsonPatch.add('/metadata/labels/team', '0X1F'));
    expect(errorOf(() => Testing.synth(chart))).toContain('YAML-STRINGS on Deployment trading/gateway, metadata.labels.team: "0X1F" is written unquoted');
  });
});
