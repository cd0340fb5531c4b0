import { Chart, ChartProps, Testing } from 'cdk8s';
import { ExchangeCredentials, SecureTradingApi, SecureTradingApiProps, TlsCertificate } from '../src';

export const DIGEST = 'a'.repeat(64);
export const IMAGE = `registry.example.com/trading/gateway:2.0.1@sha256:${DIGEST}`;

/** The smallest valid props; tests override what they exercise. */
export function baseProps(overrides: Partial<SecureTradingApiProps> = {}): SecureTradingApiProps {
  return {
    image: IMAGE,
    host: 'api.trading.example.com',
    tls: TlsCertificate.fromSecret('gateway-tls'),
    credentials: [ExchangeCredentials.fromSecret('exchange-keys')],
    ...overrides,
  };
}

export interface Synth {
  readonly chart: Chart;
  readonly api: SecureTradingApi;
  readonly manifest: any[];
}

/** GIVEN props, WHEN the construct is added to a Chart in namespace `trading`: the synthesized objects. */
export function synth(overrides: Partial<SecureTradingApiProps> = {}, chartProps: ChartProps = { namespace: 'trading' }): Synth {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  const api = new SecureTradingApi(chart, 'gateway', baseProps(overrides));
  return { chart, api, manifest: Testing.synth(chart) };
}

/** The one object of that kind (and name); fails the test when there is not exactly one. */
export function only(manifest: any[], kind: string, name?: string): any {
  const found = manifest.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The pod spec of the Deployment. */
export function podSpecOf(manifest: any[]): any {
  return only(manifest, 'Deployment').spec.template.spec;
}

/** Runs `build` and returns the message it threw; fails when it did not throw. */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but construction succeeded');
}
