/**
 * Property-based tests of TradingNamespace: for arbitrary valid quotas and limit ranges the namespace
 * passes its own rules and the services inside it pass theirs; for arbitrary broken ones construction
 * fails naming the prop, and leaves the Chart empty.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureTradingApi, ServiceExposure, TradingNamespace } from '../src';
import { evaluate } from '../src/guard/evaluate';

const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const IMAGE = `registry.example.com/svc:1.0.0@sha256:${'b'.repeat(64)}`;

/** A request and a limit at least as large, in one unit. */
const pair = (unit: string, max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 0, max }))
  .map(([request, extra]) => [`${request}${unit}`, `${request + extra}${unit}`] as const);

/** Quotas large enough for the services below (3 default-sized services of up to 3 pods each). */
const quotaArb = fc.record({
  cpu: pair('', 64).map(([r, l]) => [`${Number(r) + 2}`, `${Number(l) + 8}`]),
  memory: pair('Gi', 64).map(([r, l]) => [`${parseInt(r, 10) + 4}Gi`, `${parseInt(l, 10) + 8}Gi`]),
  storage: pair('Gi', 64).map(([r, l]) => [`${parseInt(r, 10) + 2}Gi`, `${parseInt(l, 10) + 8}Gi`]),
  pods: fc.integer({ min: 12, max: 10000 }),
});

describe('for arbitrary valid TradingNamespace props', () => {
  test('the namespace passes its rules, and services inside it pass theirs without a deny of their own', () => {
    fc.assert(fc.property(quotaArb, fc.integer({ min: 1, max: 3 }), (q, services) => {
      const chart = new Chart(Testing.app(), 'platform');
      const ns = new TradingNamespace(chart, 'trading', {
        resourceQuota: {
          requestsCpu: q.cpu[0],
          limitsCpu: q.cpu[1],
          requestsMemory: q.memory[0],
          limitsMemory: q.memory[1],
          requestsEphemeralStorage: q.storage[0],
          limitsEphemeralStorage: q.storage[1],
          pods: q.pods,
        },
      });
      for (let i = 0; i < services; i++) {
        new SecureTradingApi(ns, `svc${i}`, { image: IMAGE, exposure: ServiceExposure.INTERNAL });
      }
      const manifest = Testing.synth(chart); // the guard runs here: a finding throws
      const namespaceObjects = manifest.filter((o) => ['Namespace', 'ResourceQuota', 'LimitRange'].includes(o.kind) || o.metadata.name === 'default-deny');
      expect(evaluate(namespaceObjects, false).filter((o) => o.status === 'fail')).toEqual([]);
      expect(manifest.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name).sort())
        .toEqual(['default-deny', ...Array.from({ length: services }, (_, i) => `svc${i}-allow`)].sort());
      expect(manifest[0].kind).toBe('Namespace');
    }), { numRuns: RUNS });
  });
});

describe('for arbitrary broken TradingNamespace props', () => {
  const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.object(), fc.array(fc.string()), fc.constantFrom('0', '-1', '0.5m', 'Gi', '', '1e', 'lots'));
  const breakers: fc.Arbitrary<[string, any]> = fc.oneof(
    fc.tuple(fc.constantFrom('requestsCpu', 'limitsCpu', 'requestsMemory', 'limitsMemory', 'requestsEphemeralStorage', 'limitsEphemeralStorage'),
      junk.filter((v) => v !== null && v !== undefined && !(typeof v === 'string' && /^[1-9][0-9]*(Gi|Mi|m)?$/.test(v))))
      .map(([field, v]) => [`resourceQuota.${field}`, { resourceQuota: { [field]: v } }] as [string, any]),
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 10001 }), fc.double({ noInteger: true }), fc.constant('30'))
      .map((v) => ['resourceQuota.pods', { resourceQuota: { pods: v } }] as [string, any]),
    fc.constantFrom('default', 'kube-system', 'kube-x', 'Trading', 'a_b', '').map((v) => ['name', { name: v }] as [string, any]),
    fc.constantFrom('pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/warn-version')
      .map((k) => ['labels', { labels: { [k]: 'privileged' } }] as [string, any]),
  );

  test('construction throws an Error naming the prop, and leaves the Chart empty', () => {
    fc.assert(fc.property(breakers, ([prop, props]) => {
      const chart = new Chart(Testing.app(), 'platform');
      let message = '';
      try {
        new TradingNamespace(chart, 'trading', props);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain(`  - ${prop}`);
      expect(message).toContain('Fix: ');
      expect(chart.node.children).toHaveLength(0);
    }), { numRuns: RUNS });
  });
});
