import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { AuditPolicy } from '../src';
import { controlViolations } from './controls';
import { SCENARIOS } from './scenarios';

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, scenario) => {
  const app: App = Testing.app();
  scenario.build(app);
  const charts = app.node.children.filter((c): c is Chart => c instanceof Chart);

  test('every chart meets the controls', () => {
    for (const chart of charts) {
      const manifest = Testing.synth(chart);
      const namespace = manifest.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').metadata.namespace;
      expect(controlViolations(manifest, namespace, {
        allowUnpinnedImage: scenario.name === 'unpinned-image',
        allowUnrestrictedEgress: scenario.name === 'unrestricted-egress',
        allowPrivateRangeEgress: scenario.name === 'private-range-egress',
        unsafeIngressAnnotations: ['other-controller', 'nginx-unsafe-annotations'].includes(scenario.name),
      })).toEqual([]);
    }
  });

  test('the app has one audit policy covering every namespace used', () => {
    const namespaces = new Set(charts.flatMap((c) => Testing.synth(c).map((o) => o.metadata.namespace)));
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
