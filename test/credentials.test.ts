import { ExchangeCredentials, SecureTradingApi } from '../src';
import { podSpecOf, synth } from './util';

describe('credentials arrive as read-only files, never as environment variables', () => {
  // Built in beforeAll, not at describe level, so per-test coverage (mutation testing) sees which tests reach it.
  let api: SecureTradingApi;
  let manifest: any[];
  let pod: any;
  let container: any;
  beforeAll(() => {
    ({ api, manifest } = synth({
      credentials: [
        ExchangeCredentials.fromSecret('binance-keys', { keys: ['api-key', 'api-secret'] }),
        ExchangeCredentials.fromSecret('bybit-keys'),
      ],
    }));
    pod = podSpecOf(manifest);
    container = pod.containers[0];
  });

  test('one secret volume per Secret, mode 0440, not optional; keys chosen when given', () => {
    expect(pod.volumes.filter((v: any) => v.secret)).toEqual([
      {
        name: 'credentials-0',
        secret: {
          secretName: 'binance-keys',
          defaultMode: 0o440,
          optional: false,
          items: [{ key: 'api-key', path: 'api-key' }, { key: 'api-secret', path: 'api-secret' }],
        },
      },
      { name: 'credentials-1', secret: { secretName: 'bybit-keys', defaultMode: 0o440, optional: false } },
    ]);
  });

  test('mounted read-only under /var/run/secrets/trading/<secret>', () => {
    expect(container.volumeMounts.filter((m: any) => m.name.startsWith('credentials-'))).toEqual([
      { name: 'credentials-0', mountPath: '/var/run/secrets/trading/binance-keys', readOnly: true },
      { name: 'credentials-1', mountPath: '/var/run/secrets/trading/bybit-keys', readOnly: true },
    ]);
    expect(api.credentialsPath).toBe('/var/run/secrets/trading');
  });

  test('no secretKeyRef, no envFrom, and no Secret object is ever emitted', () => {
    const yaml = JSON.stringify(manifest);
    expect(yaml).not.toContain('secretKeyRef');
    expect(yaml).not.toContain('envFrom');
    expect(manifest.some((o) => o.kind === 'Secret')).toBe(false);
  });

  test('the file mode lets the pod group read, nobody write, and others nothing', () => {
    // 0440: owner (root) read, group read (the kubelet gives the files to the pod's fsGroup).
    for (const volume of pod.volumes.filter((v: any) => v.secret)) {
      const mode: number = volume.secret.defaultMode;
      expect(mode.toString(8)).toBe('440');
    }
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
  });
});
