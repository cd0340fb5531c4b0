/**
 * The guard's RBAC rules on hand-written objects, one property each: what a Role may never grant and
 * whom a binding may never name. Pure evaluation, no constructs: a rule that stops catching an
 * escalation fails here by name.
 */
import { evaluate } from '../src/guard/evaluate';

type Findings = Array<[string, string, string]>;

/** [ruleId, field, message] of every failed finding over `objects`. */
function findings(...objects: any[]): Findings {
  return evaluate(objects, false)
    .filter((o) => o.status === 'fail')
    .flatMap((o) => o.findings.map((f) => [f.ruleId, f.field, f.message] as [string, string, string]));
}

const role = (...rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'trading' }, rules });
const clusterRole = (...rules: any[]) => ({ ...role(...rules), kind: 'ClusterRole', metadata: { name: 'cr' } });
const binding = (...subjects: any[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'b', namespace: 'trading' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
  subjects,
});
const rbac = (f: Findings) => f.filter(([id]) => id.startsWith('RBAC-'));

describe('RBAC-EXPLICIT: no wildcard, no non-resource URLs', () => {
  test('a read-only Role with named groups, resources and verbs passes', () => {
    expect(rbac(findings(role({ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] })))).toEqual([]);
  });

  test.each(['apiGroups', 'resources', 'verbs', 'resourceNames'])('a wildcard in %s is refused, in a Role and a ClusterRole', (key) => {
    const r: any = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['settings'] };
    r[key] = key === 'resourceNames' ? ['settings-*'] : ['*'];
    for (const object of [role(r), clusterRole(r)]) {
      expect(rbac(findings(object))).toContainEqual(['RBAC-EXPLICIT', `rules[0].${key}`, `${JSON.stringify(r[key])} has a wildcard`]);
    }
  });

  test('non-resource URLs are refused; the rule index is named', () => {
    const f = rbac(findings(role({ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] })));
    expect(f).toContainEqual(['RBAC-EXPLICIT', 'rules[1].nonResourceURLs', 'grants non-resource URLs']);
  });
});

describe('RBAC-NO-ESCALATION', () => {
  test.each(['bind', 'escalate', 'impersonate'])('the verb %s is refused', (verb) => {
    expect(rbac(findings(role({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', verb] }))))
      .toContainEqual(['RBAC-NO-ESCALATION', 'rules[0].verbs', `grants ${verb}`]);
  });

  test.each(['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'nodes/proxy', 'pods/proxy', 'services/proxy'])(
    '%s, even read-only, is refused', (resource) => {
      expect(rbac(findings(role({ apiGroups: [''], resources: ['pods', resource], verbs: ['get'] }))))
        .toContainEqual(['RBAC-NO-ESCALATION', 'rules[0].resources', `grants ${resource}`]);
    });

  test.each([
    ['pods', 'create'], ['deployments', 'patch'], ['statefulsets', 'update'], ['daemonsets', 'create'], ['replicasets', 'create'],
    ['jobs', 'create'], ['cronjobs', 'create'], ['replicationcontrollers', 'create'], ['roles', 'update'], ['rolebindings', 'create'],
    ['clusterroles', 'patch'], ['clusterrolebindings', 'create'], ['serviceaccounts', 'update'], ['serviceaccounts/token', 'create'],
    ['mutatingwebhookconfigurations', 'create'], ['validatingwebhookconfigurations', 'delete'], ['secrets', 'deletecollection'],
  ])('%s: %s is refused (it can mount Secrets or change who may)', (resource, verb) => {
    expect(rbac(findings(role({ apiGroups: [''], resources: [resource], verbs: ['get', verb], resourceNames: ['x'] }))))
      .toContainEqual(['RBAC-NO-ESCALATION', 'rules[0].verbs', `grants ${verb} on ${resource}`]);
  });

  test('reads of sensitive resources and writes of harmless ones are no escalation', () => {
    const f = rbac(findings(role(
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['create', 'update', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'] },
    )));
    expect(f).toEqual([]);
  });
});

describe('RBAC-SECRETS: by name, get only', () => {
  test('get on named Secrets passes', () => {
    expect(rbac(findings(role({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['exchange-keys'] })))).toEqual([]);
  });

  test('unnamed Secrets are refused, and list or watch even with names', () => {
    expect(rbac(findings(role({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }))))
      .toEqual([['RBAC-SECRETS', 'rules[0].resourceNames', 'grants secrets without naming them']]);
    expect(rbac(findings(role({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'], resourceNames: ['k'] }))))
      .toEqual([['RBAC-SECRETS', 'rules[0].verbs', 'grants list, watch on secrets']]);
  });
});

describe('RBAC-SUBJECTS: no system-wide subject, no default ServiceAccount', () => {
  test.each([
    ['Group', 'system:authenticated'], ['Group', 'system:unauthenticated'], ['User', 'system:anonymous'], ['Group', 'system:serviceaccounts'],
    ['Group', 'system:serviceaccounts:trading'], ['Group', 'system:masters'], ['Group', 'system:nodes'], ['User', 'system:'],
  ])('%s %s is refused', (kind, name) => {
    expect(rbac(findings(binding({ kind: 'Group', name: 'trading-oncall', apiGroup: 'rbac.authorization.k8s.io' }, { kind, name, apiGroup: 'rbac.authorization.k8s.io' }))))
      .toEqual([['RBAC-SUBJECTS', 'subjects[1].name', `binds ${kind} ${name}`]]);
  });

  test('the shared default ServiceAccount is refused; a named one, people and groups pass', () => {
    expect(rbac(findings(binding({ kind: 'ServiceAccount', name: 'default', namespace: 'trading' }))))
      .toEqual([['RBAC-SUBJECTS', 'subjects[0].name', 'binds the namespace\'s shared default ServiceAccount']]);
    expect(rbac(findings(binding(
      { kind: 'ServiceAccount', name: 'gateway', namespace: 'trading' },
      { kind: 'User', name: 'alice@example.com', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'system-operators', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'system:authenticated', namespace: 'trading' },
    )))).toEqual([]);
  });

  test('a ClusterRoleBinding is checked too', () => {
    const b = { ...binding({ kind: 'Group', name: 'system:authenticated' }), kind: 'ClusterRoleBinding' };
    expect(rbac(findings(b))).toEqual([['RBAC-SUBJECTS', 'subjects[0].name', 'binds Group system:authenticated']]);
  });
});

const gw = (f: Findings) => f.filter(([id]) => id.startsWith('GW-'));
const gatewayObject = (...listeners: any[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'trading' }, spec: { gatewayClassName: 'eg', listeners },
});
const httpsListener = {
  name: 'https',
  protocol: 'HTTPS',
  port: 443,
  hostname: 'api.example.com',
  tls: { mode: 'Terminate', certificateRefs: [{ name: 'api-tls' }] },
  allowedRoutes: { namespaces: { from: 'Same' } },
};
const route = (spec: any) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'trading' }, spec });

describe('GW-HTTPS-ONLY: the declared Gateway listens for HTTPS only, for one host, routes from its namespace', () => {
  test('an HTTPS listener with a certificate, a host and Same passes', () => {
    expect(gw(findings(gatewayObject(httpsListener)))).toEqual([]);
  });

  test.each([
    ['a plain-HTTP listener', { ...httpsListener, protocol: 'HTTP', tls: undefined }, ['spec.listeners[0].protocol', 'spec.listeners[0].tls']],
    ['TLS passthrough', { ...httpsListener, tls: { mode: 'Passthrough' } }, ['spec.listeners[0].tls']],
    ['no hostname', { ...httpsListener, hostname: undefined }, ['spec.listeners[0].hostname']],
    ['a wildcard hostname', { ...httpsListener, hostname: '*.example.com' }, ['spec.listeners[0].hostname']],
    ['routes from every namespace', { ...httpsListener, allowedRoutes: { namespaces: { from: 'All' } } }, ['spec.listeners[0].allowedRoutes.namespaces.from']],
  ])('%s is refused', (_what, listener, fields) => {
    expect(gw(findings(gatewayObject(listener))).map(([, field]) => field)).toEqual(fields);
  });

  test('a Gateway without listeners is refused', () => {
    expect(gw(findings(gatewayObject()))).toEqual([['GW-HTTPS-ONLY', 'spec.listeners', 'the Gateway has no listener']]);
  });
});

describe('GW-ROUTE-PARENT: one named listener of one Gateway, public hosts only', () => {
  const parent = { name: 'edge', sectionName: 'https' };
  test('one parent with a section and an exact public host passes', () => {
    expect(gw(findings(route({ parentRefs: [parent], hostnames: ['api.example.com'] })))).toEqual([]);
  });

  test.each([
    ['no sectionName', { parentRefs: [{ name: 'edge' }], hostnames: ['api.example.com'] }, ['spec.parentRefs[0].sectionName']],
    ['two parents', { parentRefs: [parent, { name: 'other', sectionName: 'https' }], hostnames: ['api.example.com'] }, ['spec.parentRefs']],
    ['a parent that is not a Gateway', { parentRefs: [{ ...parent, kind: 'Service', group: '' }], hostnames: ['api.example.com'] }, ['spec.parentRefs[0]']],
    ['no hostnames', { parentRefs: [parent] }, ['spec.hostnames']],
    ['an internal hostname', { parentRefs: [parent], hostnames: ['risk.trading.svc.cluster.local'] }, ['spec.hostnames[0]']],
  ])('%s is refused', (_what, spec, fields) => {
    expect(gw(findings(route(spec))).map(([, field]) => field)).toEqual(fields);
  });

  test('a section that the declared Gateway does not have is refused', () => {
    expect(gw(findings(gatewayObject(httpsListener), route({ parentRefs: [{ name: 'edge', sectionName: 'http' }], hostnames: ['api.example.com'] }))))
      .toEqual([['GW-ROUTE-PARENT', 'spec.parentRefs[0].sectionName', '"http" is not a listener of the Gateway trading/edge']]);
  });
});

describe('GW-RATE-LIMITED and GW-ROUTE-BACKEND', () => {
  const envoyRoute = (backend: any) => ({
    ...route({ parentRefs: [{ name: 'edge', sectionName: 'https' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [backend] }] }),
    metadata: { name: 'api', namespace: 'trading', annotations: { 'secure-trading-api.io/gateway-implementation': 'envoy-gateway' } },
  });
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'trading' }, spec: { ports: [{ name: 'http', port: 80 }] } };
  const policy = (type: string) => ({
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
    metadata: { name: 'api', namespace: 'trading' },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'api' }],
      rateLimit: { local: { rules: [{ clientSelectors: [{ sourceCIDR: { type, value: '0.0.0.0/0' } }], limit: { requests: 20, unit: 'Second' } }] } },
    },
  });
  const serviceFindings = (...objects: any[]) => evaluate(objects, true).filter((o) => o.status === 'fail')
    .flatMap((o) => o.findings.map((f) => [f.ruleId, f.field] as [string, string])).filter(([id]) => id.startsWith('GW-'));

  test('a route with its per-client policy and its own Service passes', () => {
    expect(serviceFindings(envoyRoute({ name: 'api', port: 80 }), service, policy('Distinct'))).toEqual([]);
  });

  test('a limit shared by every client (Exact) is not per client', () => {
    expect(serviceFindings(envoyRoute({ name: 'api', port: 80 }), service, policy('Exact'))).toEqual([['GW-RATE-LIMITED', 'metadata.name']]);
  });

  test('a backend in another namespace, or on a port the Service lacks, is refused', () => {
    expect(serviceFindings(envoyRoute({ name: 'api', namespace: 'other', port: 80 }), service, policy('Distinct')))
      .toEqual([['GW-ROUTE-BACKEND', 'spec.rules[0].backendRefs[0]']]);
    expect(serviceFindings(envoyRoute({ name: 'api', port: 9100 }), service, policy('Distinct')))
      .toEqual([['GW-ROUTE-BACKEND', 'spec.rules[0].backendRefs[0]']]);
  });
});

describe('POD-NO-TOKEN: only the Vault Agent\'s projected token, audience-bound and short-lived', () => {
  const deployment = (annotations: { [key: string]: string }, token: any) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'trading' },
    spec: {
      template: {
        metadata: { annotations },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'api', image: 'x' }],
          volumes: [{ name: 'vault-token', projected: { sources: [{ serviceAccountToken: token }] } }],
        },
      },
    },
  });
  const agent = { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/agent-service-account-token-volume-name': 'vault-token' };
  const noToken = (f: Findings) => f.filter(([id]) => id === 'POD-NO-TOKEN').map(([, field, message]) => [field, message]);

  test('the agent\'s token (audience, 600 seconds, named by the annotation) passes', () => {
    expect(noToken(findings(deployment(agent, { audience: 'vault', expirationSeconds: 600, path: 'token' })))).toEqual([]);
  });

  test.each([
    ['no audience (the API server\'s)', { expirationSeconds: 600, path: 'token' }, 'audience'],
    ['the API server\'s audience written out', { audience: 'https://kubernetes.default.svc', expirationSeconds: 600, path: 'token' }, 'audience'],
    ['no expiration (an hour by default)', { audience: 'vault', path: 'token' }, 'expirationSeconds'],
    ['a day', { audience: 'vault', expirationSeconds: 86400, path: 'token' }, 'expirationSeconds'],
  ])('%s is refused', (_name, token, field) => {
    expect(noToken(findings(deployment(agent, token))).map(([f]) => f)).toContain(`spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.${field}`);
  });

  test('a token no Vault Agent annotation names is refused, even audience-bound', () => {
    expect(noToken(findings(deployment({}, { audience: 'vault', expirationSeconds: 600, path: 'token' }))))
      .toEqual([['spec.template.spec.volumes[0]', expect.stringContaining('no Vault Agent annotation')]]);
  });
});

describe('POD-SECRETS-AS-FILES: a csi credential volume only read-only, only through the secrets-store driver', () => {
  const deployment = (csi: any, readOnly = true) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'trading' },
    spec: {
      template: {
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'api', image: 'x', volumeMounts: [{ name: 'keys', mountPath: '/var/run/secrets/trading/keys', readOnly }] }],
          volumes: [{ name: 'keys', csi }],
        },
      },
    },
  });
  const files = (f: Findings) => f.filter(([id]) => id === 'POD-SECRETS-AS-FILES').map(([, field]) => field);
  const ok = { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'keys' } };

  test('read-only, secrets-store driver, a SecretProviderClass: passes', () => {
    expect(files(findings(deployment(ok)))).toEqual([]);
  });

  test('a csi volume of another driver without a SecretProviderClass is no credential volume', () => {
    expect(files(findings(deployment({ driver: 'ebs.csi.aws.com', volumeAttributes: { size: '1Gi' } }, false)))).toEqual([]);
  });

  test.each([
    ['a writable volume', { ...ok, readOnly: false }, true, 'spec.template.spec.volumes[0].csi.readOnly'],
    ['readOnly left out', { driver: ok.driver, volumeAttributes: ok.volumeAttributes }, true, 'spec.template.spec.volumes[0].csi.readOnly'],
    ['another driver reading the class', { ...ok, driver: 'evil.csi.example.com' }, true, 'spec.template.spec.volumes[0].csi.driver'],
    ['no class named', { driver: ok.driver, readOnly: true }, true, 'spec.template.spec.volumes[0].csi.volumeAttributes.secretProviderClass'],
    ['a writable mount', ok, false, 'spec.template.spec.containers[0].volumeMounts[0].readOnly'],
  ])('%s is refused', (_name, csi, readOnly, field) => {
    expect(files(findings(deployment(csi, readOnly)))).toContain(field);
  });
});

describe('CRED-CSI-NO-SECRET-SYNC', () => {
  const spc = (spec: any) => ({ apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'k', namespace: 'trading' }, spec });
  const sync = (f: Findings) => f.filter(([id]) => id === 'CRED-CSI-NO-SECRET-SYNC');

  test('a class without secretObjects passes', () => {
    expect(sync(findings(spc({ provider: 'vault', parameters: {} })))).toEqual([]);
  });

  test('secretObjects is refused', () => {
    expect(sync(findings(spc({ provider: 'vault', secretObjects: [{ secretName: 'copy', type: 'Opaque' }] }))))
      .toEqual([['CRED-CSI-NO-SECRET-SYNC', 'spec.secretObjects', 'syncs the keys into a Kubernetes Secret']]);
  });
});
