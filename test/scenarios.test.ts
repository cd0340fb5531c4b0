import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { AuditPolicy } from '../src';
import { controlViolations } from './controls';
import { SCENARIOS } from './scenarios';
import { evaluate } from '../src/guard/evaluate';

/** What a TradingNamespace emits: a guard unit of its own, checked apart from the services inside it. */
function ofTradingNamespace(object: any): boolean {
  return object.kind === 'Namespace' || ['ResourceQuota/resource-quota', 'LimitRange/limit-range', 'NetworkPolicy/default-deny']
    .includes(`${object.kind}/${object.metadata.name}`);
}

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, scenario) => {
  const app: App = Testing.app();
  scenario.build(app);
  const charts = app.node.children.filter((c): c is Chart => c instanceof Chart);

  test('every chart meets the controls', () => {
    for (const chart of charts) {
      const all = Testing.synth(chart);
      const manifest = all.filter((o) => !ofTradingNamespace(o));
      const namespaceUnit = all.filter(ofTradingNamespace);
      expect(namespaceUnit.length > 0).toBe(scenario.name === 'trading-namespace');
      expect(evaluate(namespaceUnit, false).filter((o) => o.status !== 'pass' && o.status !== 'not-applicable')).toEqual([]);
      const namespace = manifest.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').metadata.namespace;
      expect(controlViolations(manifest, namespace, {
        allowUnpinnedImage: scenario.name === 'unpinned-image',
        allowUnrestrictedEgress: scenario.name === 'unrestricted-egress',
        allowPrivateRangeEgress: scenario.name === 'private-range-egress',
        unsafeIngressAnnotations: ['other-controller', 'nginx-unsafe-annotations'].includes(scenario.name),
        shared: namespaceUnit,
      })).toEqual([]);
    }
  });

  test('the app has one audit policy covering every namespace used', () => {
    // A Namespace is cluster-scoped: it names a namespace rather than being in one.
    const namespaces = new Set(charts.flatMap((c) => Testing.synth(c).map((o) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace))));
    expect(AuditPolicy.of(app).namespaces).toEqual([...namespaces].sort());
  });
});

describe('the matrix exercises every prop', () => {
  test('each SecureTradingApiProps field is set by at least one scenario', () => {
    // Read the props interface from the source, so a new prop without a scenario fails here.
    const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'props.ts'), 'utf8');
    const body = source.slice(source.indexOf('export interface SecureTradingApiProps'));
    const props = [...body.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]);
    const scenarioSource = fs.readFileSync(path.join(__dirname, 'scenarios.ts'), 'utf8');
    const missing = props.filter((p) => !new RegExp(`\\b${p}:`).test(scenarioSource));
    expect(missing).toEqual([]);
    expect(props.length).toBeGreaterThan(20);
  });

  test('there are at least 12 scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(12);
  });
});
