import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import {
  ExchangeCredentials, GatewayApi, Guard, ImageSignature, SecretsStoreProvider, SecureTradingApi, SecureTradingApiProps, TradingNamespace,
  VaultEndpoint, VaultSecret,
} from '../src';
import { baseProps, errorOf, only, synth } from './util';
import { evaluate } from '../src/guard/evaluate';
import { findRule, RULES } from '../src/guard/rules';

type Mutation = (objects: any[]) => void;
const deployment = (o: any[]) => only(o, 'Deployment');
const pod = (o: any[]) => deployment(o).spec.template.spec;
const container = (o: any[]) => pod(o).containers[0];
const allow = (o: any[]) => o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name.endsWith('-allow'));
const namespaceLabels = (o: any[]) => only(o, 'Namespace').metadata.labels;

/** For every rule: one change to the library's own output that the rule must catch. */
const NON_COMPLIANT: { [ruleId: string]: Mutation } = {
  'POD-NON-ROOT': (o) => { pod(o).securityContext.runAsUser = 0; },
  'POD-NO-PRIVILEGE-ESCALATION': (o) => { container(o).securityContext.allowPrivilegeEscalation = true; },
  'POD-NOT-PRIVILEGED': (o) => { container(o).securityContext.privileged = true; },
  'POD-READ-ONLY-ROOT': (o) => { container(o).securityContext.readOnlyRootFilesystem = false; },
  'POD-CAPABILITIES': (o) => { container(o).securityContext.capabilities.add = ['NET_ADMIN']; },
  'POD-SECCOMP': (o) => { pod(o).securityContext.seccompProfile = { type: 'Unconfined' }; },
  'POD-HOST-ISOLATION': (o) => { pod(o).hostNetwork = true; },
  'POD-NO-TOKEN': (o) => { pod(o).automountServiceAccountToken = true; },
  'POD-DEDICATED-SERVICE-ACCOUNT': (o) => { pod(o).serviceAccountName = 'default'; },
  'POD-RESOURCES': (o) => { container(o).resources.limits.cpu = null; },
  'POD-PROBES': (o) => { delete container(o).livenessProbe; },
  'POD-IMAGE-PINNED': (o) => { container(o).image = 'registry.example.com/gateway:2.0.1'; },
  'POD-SECRETS-AS-FILES': (o) => { container(o).env = [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'exchange-keys', key: 'api-key' } } }]; },
  'POD-APPARMOR': (o) => { delete pod(o).securityContext.appArmorProfile; },
  'WL-SELECTORS': (o) => { only(o, 'Service').spec.selector = { 'app.kubernetes.io/name': 'other' }; },
  'WL-DISRUPTION': (o) => { only(o, 'PodDisruptionBudget').spec = { ...only(o, 'PodDisruptionBudget').spec, maxUnavailable: 0 }; },
  'WL-SPREAD': (o) => { delete pod(o).topologySpreadConstraints; },
  'WL-SERVICE': (o) => { only(o, 'Service').spec.type = 'LoadBalancer'; },
  'WL-NAMESPACE': (o) => { only(o, 'Service').metadata.namespace = 'default'; },
  'NET-DEFAULT-DENY': (o) => { o.splice(o.findIndex((x) => x.metadata.name.endsWith('-default-deny')), 1); },
  'NET-EXPLICIT-RULES': (o) => { allow(o).spec.egress[0].ports = [{ protocol: 'UDP' }]; },
  'NET-EGRESS-REACH': (o) => { allow(o).spec.egress.push({ to: [{ ipBlock: { cidr: '128.0.0.0/1' } }, { ipBlock: { cidr: '64:ff9b::/95' } }], ports: [{ protocol: 'TCP', port: 443 }] }); },
  'NET-EGRESS-NEVER': (o) => { allow(o).spec.egress.push({ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }); },
  'NET-EGRESS-PRIVATE': (o) => { allow(o).spec.egress.push({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 443 }] }); },
  'NS-POD-SECURITY': (o) => { namespaceLabels(o)['pod-security.kubernetes.io/enforce'] = 'privileged'; },
  'NS-DEFAULT-DENY': (o) => { only(o, 'NetworkPolicy', 'default-deny').spec.egress = [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }]; },
  'NS-QUOTA-EXPOSURE': (o) => { only(o, 'ResourceQuota').spec.hard['services.loadbalancers'] = '1'; },
  'ING-TLS': (o) => { only(o, 'Ingress').spec.tls = []; },
  'ING-NO-CONFIG-INJECTION': (o) => { only(o, 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/configuration-snippet'] = 'return 200;'; },
  'ING-TYPED-ANNOTATIONS': (o) => { only(o, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/scheme'] = 'internet-facing'; },
  'ING-CLASS': (o) => { only(o, 'Ingress').metadata.annotations['kubernetes.io/ingress.class'] = 'public'; },
  'ING-BACKEND': (o) => { only(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.name = 'other'; },
  'RBAC-EXPLICIT': (o) => { only(o, 'Role').rules[0].verbs = ['*']; },
  'RBAC-NO-ESCALATION': (o) => { only(o, 'Role').rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }); },
  'RBAC-SECRETS': (o) => { only(o, 'Role').rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }); },
  'RBAC-SUBJECTS': (o) => { only(o, 'RoleBinding').subjects[0].name = 'system:authenticated'; },
  'YAML-STRINGS': (o) => { only(o, 'Deployment').metadata.labels['app.kubernetes.io/version'] = '0X1F'; },
  'SA-NO-TOKEN': (o) => { only(o, 'ServiceAccount').automountServiceAccountToken = true; },
  'NO-KEY-MATERIAL': (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'trading' }, stringData: { 'api-key': 'x' } }); },
  'WL-SINGLETON': (o) => { only(o, 'StatefulSet').spec.replicas = 2; },
  'ING-PUBLIC-HOST': (o) => { only(o, 'Ingress').spec.rules[0].host = 'risk.trading.svc.cluster.local'; },
  'NET-FQDN-NARROW': (o) => { only(o, 'CiliumNetworkPolicy').spec.egress.push({ toFQDNs: [{ matchPattern: '*.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }); },
  'NET-FQDN-DNS-VISIBILITY': (o) => { only(o, 'CiliumNetworkPolicy').spec.egress.shift(); },
  'NET-CILIUM-SELECTS-SERVICE': (o) => { only(o, 'CiliumNetworkPolicy').spec.endpointSelector = { matchLabels: { 'app.kubernetes.io/managed-by': 'cdk8s' } }; },
  'WL-RELOAD-SCOPED': (o) => { deployment(o).metadata.annotations = { 'reloader.stakater.com/auto': 'true' }; },
  'ADM-POLICY-ENFORCED': (o) => { o.filter((x) => x.kind === 'ValidatingAdmissionPolicyBinding')[0].spec.validationActions = ['Warn']; },
  'CRED-CSI-NO-SECRET-SYNC': (o) => { only(o, 'SecretProviderClass').spec.secretObjects = [{ secretName: 'copy', type: 'Opaque', data: [{ key: 'api-key', objectName: 'api-key' }] }]; },
  'CRED-VAULT-AGENT-HARDENED': (o) => { deployment(o).spec.template.metadata.annotations['vault.hashicorp.com/agent-inject-token'] = 'true'; },
  'GW-HTTPS-ONLY': (o) => { only(o, 'Gateway').spec.listeners.push({ name: 'http', protocol: 'HTTP', port: 80, hostname: 'api.trading.example.com' }); },
  'GW-ROUTE-PARENT': (o) => { delete only(o, 'HTTPRoute').spec.parentRefs[0].sectionName; },
  'GW-ROUTE-BACKEND': (o) => { only(o, 'HTTPRoute').spec.rules[0].backendRefs[0].name = 'other'; },
  'GW-RATE-LIMITED': (o) => { o.splice(o.findIndex((x) => x.kind === 'BackendTrafficPolicy'), 1); },
  'GW-EDGE-SECURED': (o) => { only(o, 'SecurityPolicy').spec.authorization.defaultAction = 'Allow'; },
  'SUP-IMAGES-SIGNED': (o) => { container(o).image = `registry.example.com/other/tool:1.0@sha256:${'b'.repeat(64)}`; },
  'NET-EGRESS-GATEWAY-SELECTS-SERVICE': (o) => { only(o, 'CiliumEgressGatewayPolicy').spec.selectors[0].podSelector = {}; },
  'MON-ALERTS-WIRED': (o) => { only(o, 'PrometheusRule').spec.groups[0].rules = only(o, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.alert !== 'TradingApiExchangeKeyRejected'); },
};

/** Rules about a shape other than the default service, and the props that produce that shape. */
const SHAPE: { [ruleId: string]: Partial<SecureTradingApiProps> } = {
  'WL-SINGLETON': { singleton: true },
  'NET-FQDN-NARROW': { fqdnEgress: [{ host: 'fapi.binance.com' }, { host: '*.bybit.com', ports: [443, 8443] }] },
  'NET-FQDN-DNS-VISIBILITY': { fqdnEgress: [{ host: 'fapi.binance.com' }] },
  'NET-CILIUM-SELECTS-SERVICE': { fqdnEgress: [{ host: 'fapi.binance.com' }] },
  'ADM-POLICY-ENFORCED': { admissionPolicy: true },
  'CRED-CSI-NO-SECRET-SYNC': {
    credentials: [ExchangeCredentials.fromSecretsStoreCsi('binance-keys', {
      provider: SecretsStoreProvider.vault({ address: 'https://vault.vault.svc:8200', roleName: 'trading-gateway' }),
      files: { 'api-key': { name: 'secret/data/trading/binance', key: 'apiKey' } },
    })],
  },
  'CRED-VAULT-AGENT-HARDENED': {
    credentials: [ExchangeCredentials.fromVaultAgent('binance-keys', {
      vault: VaultEndpoint.inCluster({ namespace: 'vault' }), role: 'trading-gateway', files: { 'api-key': VaultSecret.kv2('secret/data/trading/binance', 'apiKey') },
    })],
  },
  'GW-HTTPS-ONLY': { gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }) },
  'GW-ROUTE-PARENT': { gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }) },
  'GW-ROUTE-BACKEND': { gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }) },
  'GW-RATE-LIMITED': { gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }) },
  'GW-EDGE-SECURED': { gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }), edgeProtection: { clientIpAllowList: ['198.51.100.0/24'] } },
  'SUP-IMAGES-SIGNED': { imageSignature: ImageSignature.keyless({ issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/gateway/.github/workflows/release.yaml@refs/heads/main' }) },
  'MON-ALERTS-WIRED': { metrics: { port: 9100 }, monitoring: {} },
  'NET-EGRESS-GATEWAY-SELECTS-SERVICE': { egressGateway: { nodeLabels: { 'example.com/egress-gateway': 'trading' }, egressIp: '10.0.0.10' } },
};

/** The objects of the TradingNamespace in `compliant()`: a unit of their own, evaluated apart from the service's. */
let namespaceUnit = new WeakSet<object>();

/**
 * The library's default output, with a RoleBinding and a benign ConfigMap so every rule has something
 * to pass, followed by the objects of a TradingNamespace `trading`.
 */
function compliant(ruleId?: string): any[] {
  const { manifest } = synth({ operatorGroups: ['trading-oncall'], exchangeEndpoints: [{ cidr: '203.0.113.0/24' }], ...SHAPE[ruleId ?? ''] });
  const ns = new TradingNamespace(new Chart(Testing.app(), 'platform'), 'trading');
  const namespaceObjects = Testing.synth(Chart.of(ns));
  namespaceUnit = new WeakSet(namespaceObjects);
  return [...manifest, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'trading' }, data: { 'log-level': 'info' } },
    ...namespaceObjects];
}

/** Every rule over both units of `compliant()`: the service's objects, and the namespace's. */
function evaluateUnits(objects: any[]): ReturnType<typeof evaluate> {
  return [...evaluate(objects.filter((o) => !namespaceUnit.has(o)), true), ...evaluate(objects.filter((o) => namespaceUnit.has(o)), false)];
}

describe('every guard rule has a compliant and a non-compliant case', () => {
  test('the table covers every rule, and ids are unique', () => {
    expect(Object.keys(NON_COMPLIANT).sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test.each(RULES.map((r) => r.id))('%s passes on the library\'s output and applies to some object', (id) => {
    const outcomes = evaluateUnits(compliant(id)).filter((o) => o.ruleId === id);
    expect(outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(outcomes.some((o) => o.status === 'pass')).toBe(true);
  });

  test.each(RULES.map((r) => r.id))('%s catches its violation', (id) => {
    const objects = compliant(id);
    NON_COMPLIANT[id](objects);
    const failed = evaluateUnits(objects).filter((o) => o.status === 'fail').map((o) => o.ruleId);
    expect(failed).toContain(id);
  });
});

/** GIVEN the default service, WHEN `change` is applied after construction, THEN synth fails naming the rule. */
function synthError(change: (api: SecureTradingApi) => void): string {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
  const api = new SecureTradingApi(chart, 'gateway', baseProps({ exchangeEndpoints: [{ cidr: '203.0.113.0/24' }] }));
  change(api);
  return errorOf(() => Testing.synth(chart));
}

describe('the guard fails synth for changes made after construction', () => {
  const cases: Array<[string, (api: SecureTradingApi) => void, string, string]> = [
    ['hostNetwork patched on', (api) => api.deployment!.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true)),
      'POD-HOST-ISOLATION', 'spec.template.spec.hostNetwork'],
    ['a privileged container patched in', (api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true)),
      'POD-NOT-PRIVILEGED', 'containers[0].securityContext.privileged'],
    ['a snippet annotation added to the Ingress', (api) => api.ingress!.metadata.addAnnotation('nginx.ingress.kubernetes.io/configuration-snippet', 'more_set_headers "x: y";'),
      'ING-NO-CONFIG-INJECTION', 'configuration-snippet'],
    ['the allow policy\'s CIDR patched to 0.0.0.0/0', (api) => api.allowPolicy.addJsonPatch(JsonPatch.replace('/spec/egress/1/to/0/ipBlock/cidr', '0.0.0.0/0')),
      'NET-EGRESS-REACH', 'spec.egress'],
    ['a policy port patched as a plain number (the typed object drops it: every port opens)',
      (api) => api.allowPolicy.addJsonPatch(JsonPatch.replace('/spec/egress/1/ports/0/port', 8443)), 'NET-EXPLICIT-RULES', 'spec.egress[1].ports[0].port'],
    ['a CPU limit patched as a plain number (the typed object renders null)',
      (api) => api.deployment!.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/limits/cpu', 2)), 'POD-RESOURCES', 'limits.cpu'],
    ['the default-deny policy removed', (api) => api.node.tryRemoveChild('DefaultDenyPolicy'), 'NET-DEFAULT-DENY', 'no default-deny'],
    ['the PodDisruptionBudget removed', (api) => api.node.tryRemoveChild('PodDisruptionBudget'), 'WL-DISRUPTION', 'no PodDisruptionBudget'],
    ['the ServiceAccount removed', (api) => api.node.tryRemoveChild('ServiceAccount'), 'POD-DEDICATED-SERVICE-ACCOUNT', 'not emitted alongside'],
    ['a Secret env var patched in', (api) => api.deployment!.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env',
      [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'exchange-keys', key: 'api-key' } } }])), 'POD-SECRETS-AS-FILES', 'env[0]'],
    ['a literal key patched into the environment', (api) => api.deployment!.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env',
      [{ name: 'BINANCE_API_SECRET', value: 'x' }])), 'NO-KEY-MATERIAL', 'containers[0].env[0]'],
    ['a wildcard added to the operator Role', (api) => api.operatorRole.addJsonPatch(JsonPatch.add('/rules/0/verbs/-', '*')), 'RBAC-EXPLICIT', 'rules[0].verbs'],
    ['an object added under the service', (api) => new k8s.KubeServiceAccount(api, 'Extra', { metadata: { name: 'extra', namespace: 'trading' } }),
      'SA-NO-TOKEN', 'ServiceAccount trading/extra'],
  ];

  test.each(cases)('%s', (_title, change, ruleId, detail) => {
    const message = synthError(change);
    expect(message).toContain('SecureTradingApi \'test/gateway\'');
    expect(message).toContain(ruleId);
    expect(message).toContain(detail);
    expect(message).toContain('Fix: ');
    expect(message).toContain('Guard.acknowledge(');
  });

  test('the README\'s patch form for numbers (IntOrString) passes', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ exchangeEndpoints: [{ cidr: '203.0.113.0/24' }] }));
    api.allowPolicy.addJsonPatch(JsonPatch.replace('/spec/egress/1/ports/0/port', k8s.IntOrString.fromNumber(8443)));
    const policy = Testing.synth(chart).find((o) => o.metadata.name === 'gateway-allow');
    expect(policy.spec.egress[1].ports[0]).toEqual({ protocol: 'TCP', port: 8443 });
  });

  test('every object is rendered once per synth: the guard reuses cdk8s\' own rendering', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps());
    const spy = jest.spyOn(k8s.KubeDeployment.prototype, 'toJson');
    Testing.synth(chart);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(api.guard).toBe(Guard.of(chart));
  });
});

describe('acknowledgements', () => {
  test('an acknowledged finding passes synth and is reported with its reason', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps());
    api.deployment!.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/startupProbe'));
    Guard.acknowledge(api.deployment!, 'POD-PROBES', 'the process is ready within a second; no startup probe');
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    const deploymentRow = report.units[0].objects.find((o: any) => o.object === 'Deployment trading/gateway');
    expect(deploymentRow.acknowledged).toEqual([{
      rule: 'POD-PROBES',
      reason: 'the process is ready within a second; no startup probe',
      findings: [{ field: 'spec.template.spec.containers[0].startupProbe', message: 'container "api" has no startupProbe' }],
    }]);
    expect(deploymentRow.passed).not.toContain('POD-PROBES');
    expect(report.units[0].summary.acknowledged).toBe(1);
    expect(fs.readFileSync(path.join(app.outdir, Guard.REPORT_MARKDOWN_PATH), 'utf8')).toContain('ACKNOWLEDGED: the process is ready within a second; no startup probe');
  });

  test('an acknowledgement on one object does not cover another', () => {
    const message = synthError((api) => {
      Guard.acknowledge(api.ingress!, 'POD-HOST-ISOLATION', 'not the Deployment, so this must not count');
      api.deployment!.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    });
    expect(message).toContain('POD-HOST-ISOLATION');
  });

  test('the props\' opt-outs are acknowledgements, visible in the report', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({ image: 'registry.example.com/gateway:2.0.1', allowUnpinnedImage: true }));
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    const deploymentRow = report.units[0].objects.find((o: any) => o.object === 'Deployment trading/gateway');
    expect(deploymentRow.acknowledged.find((a: any) => a.rule === 'POD-IMAGE-PINNED').reason).toContain('allowUnpinnedImage: true');
  });

  test.each([
    ['an unknown rule id', 'POD-NOPE', 'a perfectly good reason here', 'unknown rule id "POD-NOPE"'],
    ['an empty reason', 'POD-APPARMOR', '', 'at least 10 characters'],
    ['a token reason', 'POD-APPARMOR', 'ok', 'at least 10 characters'],
    ['a reason that is not a string', 'POD-APPARMOR', 42 as any, 'at least 10 characters'],
  ])('%s is refused', (_title, ruleId, reason, words) => {
    const { api } = synth();
    expect(errorOf(() => Guard.acknowledge(api, ruleId, reason))).toContain(words);
  });
});

describe('Guard.check: the same rules for a user\'s own objects', () => {
  test('an insecure Deployment of the user fails synth', () => {
    const chart = new Chart(Testing.app(), 'mine', { namespace: 'tools' });
    new k8s.KubeDeployment(chart, 'Debug', {
      metadata: { name: 'debug', namespace: 'tools' },
      spec: {
        selector: { matchLabels: { app: 'debug' } },
        template: { metadata: { labels: { app: 'debug' } }, spec: { containers: [{ name: 'shell', image: 'busybox' }] } },
      },
    });
    Guard.check(chart);
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('Guard.check(\'mine\')');
    for (const id of ['POD-NON-ROOT', 'POD-IMAGE-PINNED', 'POD-NO-TOKEN', 'POD-RESOURCES']) {
      expect(message).toContain(id);
    }
  });

  test('objects of a SecureTradingApi stay in its own unit; the user\'s compliant objects pass', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps());
    new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { 'log-level': 'info' } } as any);
    Guard.check(chart);
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    expect(report.units.map((u: any) => [u.kind, u.path])).toEqual([['SecureTradingApi', 'test/gateway'], ['Guard.check', 'test']]);
    expect(report.units[1].objects.map((o: any) => o.object)).toEqual(['ConfigMap trading/settings']);
  });

  test('a ConfigMap carrying a key is refused', () => {
    const chart = new Chart(Testing.app(), 'mine', { namespace: 'tools' });
    new ApiObject(chart, 'Cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { BINANCE_API_SECRET: 'x' } } as any);
    Guard.check(chart);
    expect(errorOf(() => Testing.synth(chart))).toContain('NO-KEY-MATERIAL');
  });
});

describe('the compliance report', () => {
  test('lists every rule with its threat, and every rule x object of every service', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps());
    new SecureTradingApi(chart, 'router', baseProps({ host: 'router.trading.example.com' }));
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, Guard.REPORT_JSON_PATH), 'utf8'));
    expect(report.rules.map((r: any) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(report.rules.every((r: any) => r.threat.length > 20)).toBe(true);
    expect(report.units.map((u: any) => u.path)).toEqual(['test/gateway', 'test/router']);
    const objects = Testing.synth(chart).length / 2;
    for (const unit of report.units) {
      expect(unit.objects).toHaveLength(objects);
      for (const object of unit.objects) {
        // Every rule, once, for every object.
        const covered = [...object.passed, ...object.notApplicable, ...object.acknowledged.map((a: any) => a.rule)];
        expect(covered.sort()).toEqual(RULES.map((r) => r.id).sort());
      }
      expect(unit.summary.fail).toBe(0);
      expect(unit.summary.pass).toBeGreaterThan(30);
    }
    const markdown = fs.readFileSync(path.join(app.outdir, Guard.REPORT_MARKDOWN_PATH), 'utf8');
    expect(markdown).toContain('## SecureTradingApi `test/router`');
    expect(markdown).toContain('Threat: A privileged container');
  });

  test('lists admission policies, monitoring, image signatures and the egress gateway as controls, each with its threat and result', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({
      admissionPolicy: true,
      metrics: { port: 9100 },
      monitoring: {},
      imageSignature: SHAPE['SUP-IMAGES-SIGNED'].imageSignature,
      egressGateway: SHAPE['NET-EGRESS-GATEWAY-SELECTS-SERVICE'].egressGateway,
    }));
    app.synth();
    const markdown = fs.readFileSync(path.join(app.outdir, Guard.REPORT_MARKDOWN_PATH), 'utf8');
    const cases: Array<[string, string, string]> = [
      ['ADM-POLICY-ENFORCED', 'ValidatingAdmissionPolicy secure-trading-api.trading.gateway.pods', 'A policy without a binding'],
      ['MON-ALERTS-WIRED', 'ServiceMonitor trading/gateway', 'Monitoring that watches nothing'],
      ['SUP-IMAGES-SIGNED', 'Deployment trading/gateway', 'runs attacker code next to the exchange keys'],
      ['NET-EGRESS-GATEWAY-SELECTS-SERVICE', 'CiliumEgressGatewayPolicy trading.gateway-egress-gateway', 'lends that address'],
    ];
    for (const [id, object, threat] of cases) {
      const start = markdown.slice(markdown.indexOf(`### ${id}:`));
      const end = start.indexOf('\n### ', 4);
      const section = end < 0 ? start : start.slice(0, end);
      expect(findRule(id)!.threat).toContain(threat);
      expect(section).toContain(`Threat: ${findRule(id)!.threat}`);
      expect(section).toContain(`| ${object} | pass |`);
    }
  });

  test('is outside what `kubectl apply -f <outdir>` reads', () => {
    expect(path.dirname(Guard.REPORT_JSON_PATH)).not.toBe('.');
    expect(path.dirname(Guard.REPORT_MARKDOWN_PATH)).toBe(path.dirname(Guard.REPORT_JSON_PATH));
  });
});
