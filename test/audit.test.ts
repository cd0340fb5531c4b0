import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { AuditPolicy, SecureTradingApi } from '../src';
import { baseProps } from './util';

function appWith(namespaces: string[], props: { yamlOutputType?: YamlOutputType } = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
  const app = new App({ outdir, ...props });
  for (const namespace of namespaces) {
    new SecureTradingApi(new Chart(app, namespace, { namespace }), 'gateway', baseProps({ host: `${namespace}.trading.example.com` }));
  }
  return { app, outdir };
}

describe('audit policy', () => {
  // Built in beforeAll, not at describe level, so per-test coverage (mutation testing) sees which tests reach it.
  let policy: any;
  let rules: any[];
  beforeAll(() => {
    const { app } = appWith(['trading']);
    policy = AuditPolicy.of(app).toJson();
    rules = policy.rules;
  });
  /**
   * The level of the first matching rule, read as kube-apiserver reads rules (the Go audit-check runs
   * the API server's own evaluator over the README's full promise table): a rule that lists namespaces
   * never matches a request without one, and groups and subresources must match exactly.
   */
  const levelOf = (verb: string, resource: string, namespace: string, group = '') => rules.find((r) =>
    (r.namespaces === undefined || (namespace !== '' && r.namespaces.includes(namespace))) &&
    (r.verbs === undefined || r.verbs.includes(verb)) &&
    (r.resources === undefined || r.resources.some((g: any) => g.group === group && g.resources.includes(resource))))?.level ?? 'None';

  test('is an audit.k8s.io/v1 Policy that omits RequestReceived', () => {
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', metadata: { name: 'secure-trading-api' }, omitStages: ['RequestReceived'] });
  });

  test.each(['secrets', 'pods/exec', 'nodes/proxy', 'pods/ephemeralcontainers', 'serviceaccounts/token', 'roles', 'mutatingwebhookconfigurations',
    'externalsecrets', 'clustersecretstores', 'secretproviderclasses', 'ingresses', 'httproutes', 'gateways', 'securitypolicies',
    'envoyextensionpolicies', 'ciliumegressgatewaypolicies', 'ciliumclusterwidenetworkpolicies', 'clusterpolicies'])(
    'the rule for %s holds in every namespace, not only the registered ones', (resource) => {
      const rule = rules.find((r) => r.resources?.some((g: any) => g.resources.includes(resource)));
      expect(rule).toBeDefined();
      expect(rule.namespaces).toBeUndefined();
    });

  test.each([
    // Secrets: Metadata everywhere, cluster-wide list and watch included, never a body.
    ['get', 'secrets', 'trading', '', 'Metadata'],
    ['list', 'secrets', '', '', 'Metadata'],
    ['watch', 'secrets', '', '', 'Metadata'],
    ['get', 'secrets', 'other', '', 'Metadata'],
    ['create', 'secrets', 'other', '', 'Metadata'],
    ['update', 'secrets', 'trading', '', 'Metadata'],
    // Into a running pod, through the API server or the kubelet.
    ['create', 'pods/exec', 'other', '', 'Metadata'],
    ['get', 'pods/exec', 'trading', '', 'Metadata'],
    ['create', 'pods/attach', 'trading', '', 'Metadata'],
    ['create', 'pods/portforward', 'other', '', 'Metadata'],
    ['get', 'nodes/proxy', '', '', 'Metadata'],
    ['patch', 'pods/ephemeralcontainers', 'other', '', 'Request'],
    ['create', 'serviceaccounts/token', 'other', '', 'Request'],
    // Who may do what, anywhere.
    ['create', 'clusterrolebindings', '', 'rbac.authorization.k8s.io', 'RequestResponse'],
    ['patch', 'roles', 'other', 'rbac.authorization.k8s.io', 'RequestResponse'],
    ['get', 'roles', 'other', 'rbac.authorization.k8s.io', 'None'],
    ['delete', 'secrets', 'trading', '', 'Metadata'], // a write in the service's namespace: still never the body
    ['deletecollection', 'secrets', 'trading', '', 'Metadata'],
    ['list', 'secrets', 'trading', '', 'Metadata'],
    ['create', 'pods/exec', 'trading', '', 'Metadata'], // not the namespace's write rule (Request)
    ['create', 'pods/portforward', 'trading', '', 'Metadata'],
    ['get', 'pods/log', 'other', '', 'None'],
    ['create', 'pods/ephemeralcontainers', 'trading', '', 'Request'],
    ['get', 'serviceaccounts/token', 'other', '', 'None'],
    ['create', 'secrets', 'other', 'rbac.authorization.k8s.io', 'None'], // groups match exactly
    ['update', 'rolebindings', 'trading', 'rbac.authorization.k8s.io', 'RequestResponse'], // not the namespace's write rule (Request)
    ['delete', 'clusterroles', '', 'rbac.authorization.k8s.io', 'RequestResponse'],
    ['deletecollection', 'roles', 'other', 'rbac.authorization.k8s.io', 'RequestResponse'],
    ['patch', 'validatingwebhookconfigurations', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    ['update', 'mutatingadmissionpolicies', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    ['create', 'validatingadmissionpolicybindings', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    ['create', 'mutatingadmissionpolicybindings', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    ['get', 'mutatingwebhookconfigurations', '', 'admissionregistration.k8s.io', 'None'],
    ['create', 'mutatingwebhookconfigurations', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    ['delete', 'validatingadmissionpolicies', '', 'admissionregistration.k8s.io', 'RequestResponse'],
    // Where the keys come from: references only, so the whole object, in every namespace.
    ['create', 'externalsecrets', 'trading', 'external-secrets.io', 'RequestResponse'], // not the namespace's write rule (Request)
    ['patch', 'secretstores', 'other', 'external-secrets.io', 'RequestResponse'],
    ['update', 'clustersecretstores', '', 'external-secrets.io', 'RequestResponse'],
    ['delete', 'secretproviderclasses', 'other', 'secrets-store.csi.x-k8s.io', 'RequestResponse'],
    ['get', 'externalsecrets', 'other', 'external-secrets.io', 'None'],
    ['get', 'secretstores', 'trading', 'external-secrets.io', 'Metadata'],
    // Traffic and policy around the services: the whole object, in every namespace and cluster-wide.
    ['create', 'ingresses', 'other', 'networking.k8s.io', 'RequestResponse'], // another namespace claiming the public host
    ['patch', 'ingresses', 'trading', 'networking.k8s.io', 'RequestResponse'], // not the namespace's write rule (Request)
    ['get', 'ingresses', 'other', 'networking.k8s.io', 'None'],
    ['create', 'httproutes', 'other', 'gateway.networking.k8s.io', 'RequestResponse'],
    ['patch', 'gateways', 'edge', 'gateway.networking.k8s.io', 'RequestResponse'],
    ['create', 'referencegrants', 'other', 'gateway.networking.k8s.io', 'RequestResponse'],
    ['delete', 'securitypolicies', 'trading', 'gateway.envoyproxy.io', 'RequestResponse'],
    ['create', 'envoyextensionpolicies', 'other', 'gateway.envoyproxy.io', 'RequestResponse'],
    ['create', 'envoypatchpolicies', 'other', 'gateway.envoyproxy.io', 'RequestResponse'],
    ['update', 'ciliumegressgatewaypolicies', '', 'cilium.io', 'RequestResponse'],
    ['create', 'ciliumclusterwidenetworkpolicies', '', 'cilium.io', 'RequestResponse'],
    ['patch', 'ciliumnetworkpolicies', 'trading', 'cilium.io', 'RequestResponse'],
    ['patch', 'clusterpolicies', '', 'kyverno.io', 'RequestResponse'],
    ['create', 'policies', 'other', 'kyverno.io', 'RequestResponse'],
    ['list', 'clusterpolicies', '', 'kyverno.io', 'None'],
    ['get', 'httproutes', 'other', 'gateway.networking.k8s.io', 'None'],
    // The service's namespace.
    ['get', 'configmaps', 'trading', '', 'Metadata'],
    ['delete', 'configmaps', 'trading', '', 'Metadata'], // ConfigMaps can hold settings: never their bodies either
    ['get', 'configmaps', 'other', '', 'None'],
    ['update', 'configmaps', 'trading', '', 'Metadata'],
    ['patch', 'deployments', 'trading', 'apps', 'Request'],
    ['delete', 'pods', 'trading', '', 'Request'],
    ['get', 'pods', 'trading', '', 'Metadata'],
    // Nothing else.
    ['get', 'pods', 'other', '', 'None'],
    ['list', 'namespaces', '', '', 'None'],
  ])('%s %s in namespace "%s" (group "%s") is logged at %s', (verb, resource, namespace, group, level) => {
    expect(levelOf(verb, resource, namespace, group)).toBe(level);
  });

  test('no rule logs a Secret or token response, and the Secret rule comes first', () => {
    expect(rules[0]).toEqual({ level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] });
    for (const rule of rules.filter((r) => r.level === 'RequestResponse')) {
      const resources = rule.resources.flatMap((g: any) => g.resources);
      expect(resources).not.toContain('secrets');
      expect(resources).not.toContain('serviceaccounts/token');
      expect(resources).not.toContain('nodes/proxy');
      expect(rule.verbs).toEqual(['create', 'update', 'patch', 'delete', 'deletecollection']);
    }
  });
});

describe('one policy per app, in its own file', () => {
  test('several instances in several namespaces yield one policy covering all of them', () => {
    const { app, outdir } = appWith(['trading-b', 'trading-a']);
    new SecureTradingApi(app.node.findChild('trading-a') as Chart, 'router', baseProps({ host: 'router.trading.example.com' }));
    app.synth();
    const files = fs.readdirSync(path.join(outdir, 'audit'));
    expect(files).toEqual(['audit-policy.yaml']);
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, AuditPolicy.FILE_PATH), 'utf8')).map((d) => d.toJSON());
    expect(docs).toHaveLength(1);
    for (const rule of docs[0].rules.filter((r: any) => r.namespaces)) {
      expect(rule.namespaces).toEqual(['trading-a', 'trading-b']);
    }
  });

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_RESOURCE,
    YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE])('never inside the applied manifests (output type %s)', (yamlOutputType) => {
    const { app, outdir } = appWith(['trading'], { yamlOutputType });
    app.synth();
    const manifests = walk(outdir).filter((f) => !f.startsWith(path.join(outdir, 'audit')) && !f.startsWith(path.join(outdir, 'compliance')));
    expect(manifests.length).toBeGreaterThan(0);
    for (const file of manifests) {
      expect(fs.readFileSync(file, 'utf8')).not.toContain('audit.k8s.io');
    }
    expect(fs.existsSync(path.join(outdir, AuditPolicy.FILE_PATH))).toBe(true);
  });

  test('the YAML has no anchors or aliases (some readers reject them)', () => {
    const { app } = appWith(['a', 'b']);
    const text = AuditPolicy.of(app).toYaml();
    expect(text).not.toMatch(/[&*]a\d/);
  });

  test('an app without SecureTradingApi writes no policy', () => {
    const app = Testing.app();
    new Chart(app, 'empty');
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, 'audit'))).toBe(false);
  });

  test('is written once per synth (cdk8s validates once per chart), and again when its content or file changes', () => {
    // cdk8s runs every validation once per Chart during App.synth(): rewriting each time made synth O(charts^2).
    const { app, outdir } = appWith(['a', 'b', 'c', 'd']);
    const file = path.join(outdir, AuditPolicy.FILE_PATH);
    const namespacesInFile = () => parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJSON().rules.at(-1).namespaces;
    const renders = jest.spyOn(AuditPolicy.prototype, 'toYaml');
    app.synth();
    expect(renders).toHaveBeenCalledTimes(1);
    renders.mockRestore();
    expect(namespacesInFile()).toEqual(['a', 'b', 'c', 'd']);

    // Something else overwrote the file: the next synth restores it.
    fs.writeFileSync(file, 'marker');
    app.synth();
    expect(namespacesInFile()).toEqual(['a', 'b', 'c', 'd']);

    // ... also when the overwrite kept the size, or put the modification time back.
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace(/Metadata/g, 'Metadat_'));
    app.synth();
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, 'marker');
    fs.utimesSync(file, atime, mtime);
    app.synth();
    expect(fs.readFileSync(file, 'utf8')).toBe(original);

    fs.rmSync(outdir, { recursive: true });
    app.synth();
    expect(namespacesInFile()).toEqual(['a', 'b', 'c', 'd']);

    new SecureTradingApi(new Chart(app, 'e', { namespace: 'e' }), 'gateway', baseProps({ host: 'e.trading.example.com' }));
    app.synth();
    expect(namespacesInFile()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('the construct exposes the app policy', () => {
    const app = Testing.app();
    const api = new SecureTradingApi(new Chart(app, 'c', { namespace: 'trading' }), 'gateway', baseProps());
    expect(api.auditPolicy).toBe(AuditPolicy.of(app));
    expect(api.auditPolicy.namespaces).toEqual(['trading']);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}
