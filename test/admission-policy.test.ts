import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ExchangeCredentials, SecureTradingApi, ServiceExposure } from '../src';
import { baseProps, errorOf, synth } from './util';
import { admissionPolicyName } from '../src/admission-policy';
import { dns1123SubdomainProblem } from '../src/validate';

const API_VERSION = 'admissionregistration.k8s.io/v1';
const policies = (manifest: any[]) => manifest.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
const bindings = (manifest: any[]) => manifest.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
const policy = (manifest: any[], what: string) => policies(manifest).find((p) => p.metadata.name.endsWith(`.${what}`));

describe('admissionPolicy off (the default)', () => {
  test('emits no policy and no binding', () => {
    const { api, manifest } = synth();
    expect(manifest.filter((o) => o.apiVersion === API_VERSION)).toEqual([]);
    expect(api.admissionPolicies).toEqual([]);
    expect(api.admissionPolicyBindings).toEqual([]);
  });
});

describe('admissionPolicy: true', () => {
  const { api, manifest } = synth({ admissionPolicy: true });

  test('three cluster-scoped policies, named by namespace and service, each with a Deny binding scoped to the namespace', () => {
    expect(policies(manifest).map((p) => p.metadata.name)).toEqual([
      'secure-trading-api.trading.gateway.pods', 'secure-trading-api.trading.gateway.workloads', 'secure-trading-api.trading.gateway.ingresses',
    ]);
    expect(api.admissionPolicies).toHaveLength(3);
    expect(api.admissionPolicyBindings).toHaveLength(3);
    for (const p of policies(manifest)) {
      expect(p.apiVersion).toBe(API_VERSION);
      expect(p.metadata.namespace).toBeUndefined();
      expect(p.spec.failurePolicy).toBe('Fail');
      expect(p.metadata.annotations['secure-trading-api.io/threat']).toMatch(/\w/);
      const binding = bindings(manifest).find((b) => b.spec.policyName === p.metadata.name);
      expect(binding.metadata).toMatchObject({ name: p.metadata.name });
      expect(binding.metadata.namespace).toBeUndefined();
      expect(binding.spec).toEqual({
        policyName: p.metadata.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'trading' } } },
      });
    }
  });

  test('the pods policy matches Pods and ephemeral containers; the workloads policy the pod-template controllers', () => {
    expect(policy(manifest, 'pods').spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers'], operations: ['CREATE', 'UPDATE'] },
    ]);
    expect(policy(manifest, 'workloads').spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources))
      .toEqual(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs']);
    expect(policy(manifest, 'workloads').spec.variables[0]).toEqual({ name: 'spec', expression: 'object.spec.template.spec' });
  });

  test('one credential rule naming the Secret and the ServiceAccount, then one rule per hardening control', () => {
    const validations = policy(manifest, 'pods').spec.validations;
    expect(validations).toHaveLength(9);
    expect(validations[0].message).toContain('ServiceAccount gateway');
    expect(validations[0].message).toContain('exchange-keys');
    expect(validations[0].expression).toContain('"exchange-keys"');
    expect(validations.slice(1).map((v: any) => v.expression.startsWith('!variables.ofService || ('))).toEqual(Array(8).fill(true));
    expect(validations.map((v: any) => v.reason)).toEqual(Array(9).fill('Forbidden'));
    expect(policy(manifest, 'pods').spec.variables[1].expression).toContain('"app.kubernetes.io/name" in object.metadata.labels');
  });

  test('the ingresses policy refuses any *-snippet annotation', () => {
    expect(policy(manifest, 'ingresses').spec.validations).toEqual([expect.objectContaining({
      expression: expect.stringContaining('endsWith("-snippet")'),
    })]);
  });

  test('the guard lists each policy under ADM-POLICY-ENFORCED', () => {
    const report = api.guard.report();
    const unit = report.units.find((u: any) => u.path === 'test/gateway');
    const names = unit.objects.filter((o: any) => o.passed?.includes('ADM-POLICY-ENFORCED')).map((o: any) => o.object);
    expect(names).toHaveLength(3);
  });
});

describe('a service without credentials', () => {
  test('has no credential rule', () => {
    const { manifest } = synth({ admissionPolicy: true, credentials: undefined, exposure: ServiceExposure.NONE, host: undefined, tls: undefined });
    expect(policy(manifest, 'pods').spec.validations).toHaveLength(8);
  });
});

describe('a Chart without namespace', () => {
  test('the policies carry no namespace and the binding selects the prop\'s', () => {
    const { manifest } = synth({ admissionPolicy: true, namespace: 'desk' }, {});
    expect(policies(manifest).every((p) => p.metadata.namespace === undefined)).toBe(true);
    expect(bindings(manifest)[0].spec.matchResources.namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('desk');
  });
});

describe('invalid admissionPolicy', () => {
  test.each([['yes'], [1], [{}]])('%p is refused, naming the prop', (value) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ admissionPolicy: value as any })));
    expect(message).toContain('admissionPolicy');
    expect(message).toContain('must be true or false');
    expect(chart.node.children).toHaveLength(0);
  });
});

describe('for arbitrary namespaces and names', () => {
  const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,48}[a-z0-9])?$/);
  test('policy names are valid, and differ between services', () => {
    fc.assert(fc.property(label, label, label, label, (ns1, n1, ns2, n2) => {
      for (const what of ['pods', 'workloads', 'ingresses'] as const) {
        const a = admissionPolicyName(ns1, n1, what);
        expect(dns1123SubdomainProblem(a)).toBeUndefined();
        if (ns1 !== ns2 || n1 !== n2) {
          expect(a).not.toBe(admissionPolicyName(ns2, n2, what));
        }
      }
    }));
  });

  test('two services with policies in one App never emit the same object name', () => {
    fc.assert(fc.property(fc.uniqueArray(label, { minLength: 2, maxLength: 3 }), (names) => {
      const app = new App();
      const chart = new Chart(app, 'c', { namespace: 'trading' });
      for (const name of names) {
        new SecureTradingApi(chart, name, baseProps({
          admissionPolicy: true,
          exposure: ServiceExposure.NONE,
          host: undefined,
          tls: undefined,
          credentials: [ExchangeCredentials.fromSecret(`${name}-key`)],
        }));
      }
      const keys = Testing.synth(chart).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    }), { numRuns: 20 });
  });
});
