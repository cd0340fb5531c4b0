import { App } from 'cdk8s';
import { SCENARIOS } from './scenarios';
import { only, synth } from './util';

describe('ServiceAccount', () => {
  test('dedicated, in the namespace, with no token automount', () => {
    const { manifest } = synth();
    expect(only(manifest, 'ServiceAccount')).toMatchObject({
      metadata: { name: 'gateway', namespace: 'trading' },
      automountServiceAccountToken: false,
    });
  });

  test('the workload gets no API permissions: nothing binds its ServiceAccount', () => {
    const { manifest } = synth({ operatorUsers: ['trading-lead@example.com'], operatorGroups: ['oncall'] });
    const subjects = manifest.filter((o) => o.kind === 'RoleBinding').flatMap((b) => b.subjects);
    expect(subjects.some((s: any) => s.kind === 'ServiceAccount')).toBe(false);
  });
});

describe('operator Role', () => {
  // Built in beforeAll, not at describe level, so per-test coverage (mutation testing) sees which tests reach it.
  let role: any;
  let rules: any[];
  beforeAll(() => {
    const { manifest } = synth();
    role = only(manifest, 'Role', 'gateway-operator');
    rules = role.rules;
  });
  const grants = (group: string, resource: string, verb: string) =>
    rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

  test('read-only on the namespace objects the operators need', () => {
    for (const [group, resource] of [['', 'pods'], ['', 'pods/log'], ['', 'events'], ['', 'services'], ['apps', 'deployments'],
      ['apps', 'replicasets'], ['networking.k8s.io', 'ingresses'], ['networking.k8s.io', 'networkpolicies'], ['policy', 'poddisruptionbudgets']]) {
      for (const verb of ['get', 'list', 'watch']) {
        expect(grants(group, resource, verb)).toBe(true);
      }
      for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
        expect(grants(group, resource, verb)).toBe(false);
      }
    }
  });

  test('scaling only this Deployment, by resourceNames', () => {
    expect(rules.filter((r) => r.resources.includes('deployments/scale'))).toEqual([
      { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['gateway'], verbs: ['get', 'update', 'patch'] },
    ]);
  });

  test('nothing on Secrets, exec, attach, port-forward, ephemeral containers, or RBAC', () => {
    const forbidden = ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'roles', 'rolebindings', 'serviceaccounts/token'];
    for (const rule of rules) {
      for (const resource of forbidden) {
        expect(rule.resources).not.toContain(resource);
      }
      expect(rule.apiGroups).not.toContain('rbac.authorization.k8s.io');
    }
  });

  test('no wildcard, no bind/escalate/impersonate, every rule explicit', () => {
    for (const rule of rules) {
      expect(rule.apiGroups.length).toBeGreaterThan(0);
      expect(rule.resources.length).toBeGreaterThan(0);
      expect(rule.verbs.length).toBeGreaterThan(0);
      for (const value of [...rule.apiGroups, ...rule.resources, ...rule.verbs]) {
        expect(value).not.toContain('*');
      }
      for (const verb of ['bind', 'escalate', 'impersonate']) {
        expect(rule.verbs).not.toContain(verb);
      }
    }
  });
});

describe('operator RoleBinding', () => {
  test('absent when no subjects are given; the Role is still emitted', () => {
    const { manifest, api } = synth();
    expect(manifest.filter((o) => o.kind === 'RoleBinding')).toEqual([]);
    expect(api.operatorRoleBinding).toBeUndefined();
    expect(only(manifest, 'Role').metadata.name).toBe('gateway-operator');
  });

  test('binds the given users and groups to the operator Role', () => {
    const { manifest } = synth({ operatorUsers: ['trading-lead@example.com'], operatorGroups: ['trading-oncall'] });
    expect(only(manifest, 'RoleBinding')).toMatchObject({
      metadata: { name: 'gateway-operator', namespace: 'trading' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gateway-operator' },
      subjects: [
        { kind: 'User', name: 'trading-lead@example.com', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'Group', name: 'trading-oncall', apiGroup: 'rbac.authorization.k8s.io' },
      ],
    });
  });
});

describe('operator Role: read on the custom resources the service emits', () => {
  // Builtin groups; everything else is a custom resource.
  const BUILTIN = new Set(['', 'apps', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'audit.k8s.io']);
  const groupOf = (o: any) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
  // Pluralized here independently of the library's table, as the CRDs spell their plurals.
  const plural = (kind: string) => {
    const lower = kind.toLowerCase();
    return lower.endsWith('s') ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  };
  const customRules = (role: any) => role.rules.filter((r: any) => !r.apiGroups.every((g: string) => BUILTIN.has(g) || g === 'events.k8s.io'));

  test('a service that emits none gets no custom-resource rule', () => {
    const { manifest } = synth();
    expect(customRules(only(manifest, 'Role', 'gateway-operator'))).toEqual([]);
  });

  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: read-only on exactly the namespaced custom resources each service emits', (_name, scenario) => {
    const app = new App();
    scenario.build(app);
    const objects = app.charts.flatMap((c) => c.toJson());
    for (const role of objects.filter((o) => o.kind === 'Role' && o.metadata.name.endsWith('-operator'))) {
      const instance = role.metadata.labels['app.kubernetes.io/instance'];
      const emitted = objects.filter((o) => !BUILTIN.has(groupOf(o)) && o.metadata?.namespace === role.metadata.namespace
        && o.metadata?.labels?.['app.kubernetes.io/instance'] === instance);
      const want = new Set(emitted.map((o) => `${groupOf(o)}/${plural(o.kind)}`));
      const granted = new Set<string>();
      for (const rule of customRules(role)) {
        expect(rule.verbs).toEqual(['get', 'list', 'watch']);
        expect(rule.resourceNames).toBeUndefined();
        for (const group of rule.apiGroups) for (const resource of rule.resources) granted.add(`${group}/${resource}`);
      }
      expect([...granted].sort()).toEqual([...want].sort());
    }
  });
});
