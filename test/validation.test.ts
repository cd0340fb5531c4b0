import { Chart, Testing } from 'cdk8s';
import { ExchangeCredentials, SecureTradingApi, SecureTradingApiProps, TlsCertificate } from '../src';
import { baseProps, DIGEST, errorOf } from './util';

/** GIVEN a fresh chart in namespace `trading`, WHEN the construct is built with these props: the error, and the chart. */
function attempt(overrides: Partial<SecureTradingApiProps>, namespace: string | null = 'trading') {
  const chart = new Chart(Testing.app(), 'test', namespace === null ? {} : { namespace });
  const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps(overrides)));
  return { message, chart };
}

/** A bad input, the prop the message must name, and words the message must contain (value or fix). */
const cases: Array<[string, Partial<SecureTradingApiProps>, string, string[]]> = [
  ['a tag-only image', { image: 'ghcr.io/example/gateway:1.2.3' }, 'image', ['"ghcr.io/example/gateway:1.2.3"', 'tag only', '@sha256:', 'allowUnpinnedImage']],
  ['a :latest image', { image: 'ghcr.io/example/gateway:latest' }, 'image', ['":latest"', '@sha256:']],
  ['an image with neither tag nor digest', { image: 'nginx' }, 'image', ['"nginx"', 'means ":latest"']],
  [':latest even with the opt-out', { image: 'nginx:latest', allowUnpinnedImage: true }, 'image', ['":latest"', 'never ":latest"']],
  ['a short digest', { image: `gateway@sha256:${'a'.repeat(63)}` }, 'image', ['malformed digest', '64']],
  ['an upper-case digest', { image: `gateway@sha256:${'A'.repeat(64)}` }, 'image', ['malformed digest']],
  ['a digest of another algorithm', { image: `gateway@sha512:${'a'.repeat(128)}` }, 'image', ['malformed digest', 'sha256:']],
  ['an image with spaces', { image: 'my image:1' }, 'image', ['not a valid image reference']],
  ['port 80', { port: 80 }, 'port', ['(got 80)', '1025']],
  ['port 1024', { port: 1024 }, 'port', ['(got 1024)']],
  ['port 70000', { port: 70000 }, 'port', ['(got 70000)', '65535']],
  ['a fractional port', { port: 8080.5 }, 'port', ['whole number']],
  ['0 replicas', { replicas: 0 }, 'replicas', ['(got 0)', 'from 1']],
  ['negative replicas', { replicas: -2 }, 'replicas', ['(got -2)']],
  ['a host with upper case', { host: 'API.Example.com' }, 'host', ['"API.Example.com"', 'lower-case']],
  ['a single-label host', { host: 'localhost' }, 'host', ['"localhost"', 'two labels']],
  ['a wildcard host', { host: '*.example.com' }, 'host', ['wildcard']],
  ['an IP host', { host: '203.0.113.7' }, 'host', ['not an IP']],
  ['a host with an underscore', { host: 'api_1.example.com' }, 'host', ['"api_1.example.com"']],
  ['an invalid CIDR', { exchangeEndpoints: [{ cidr: '203.0.113.300/24' }] }, 'exchangeEndpoints[0].cidr', ['"203.0.113.300/24"', 'not a valid IPv4']],
  ['a CIDR without prefix', { exchangeEndpoints: [{ cidr: '203.0.113.7' }] }, 'exchangeEndpoints[0].cidr', ['prefix length']],
  ['a CIDR with host bits', { exchangeEndpoints: [{ cidr: '203.0.113.7/24' }] }, 'exchangeEndpoints[0].cidr', ['did you mean 203.0.113.0/24']],
  ['a prefix past 32', { exchangeEndpoints: [{ cidr: '203.0.113.0/33' }] }, 'exchangeEndpoints[0].cidr', ['0 to 32']],
  ['0.0.0.0/0 without opt-in', { exchangeEndpoints: [{ cidr: '0.0.0.0/0' }] }, 'exchangeEndpoints[0].cidr', ['every address', 'allowUnrestrictedEgress']],
  ['::/0 without opt-in', { exchangeEndpoints: [{ cidr: '::/0' }] }, 'exchangeEndpoints[0].cidr', ['every address', 'allowUnrestrictedEgress']],
  ['a /1 half of the internet', { exchangeEndpoints: [{ cidr: '128.0.0.0/1' }] }, 'exchangeEndpoints[0].cidr', ['/1 block']],
  ['an egress port of 0', { exchangeEndpoints: [{ cidr: '203.0.113.0/24', port: 0 }] }, 'exchangeEndpoints[0].port', ['(got 0)']],
  ['two halves of the internet', { exchangeEndpoints: [{ cidr: '0.0.0.0/1' }, { cidr: '128.0.0.0/1' }] }, 'exchangeEndpoints',
    ['4294967296 IPv4 addresses', 'exchangeEndpoints[0] 0.0.0.0/1: 2147483648', 'exchangeEndpoints[1] 128.0.0.0/1: 2147483648', 'allowUnrestrictedEgress']],
  ['two /8s', { exchangeEndpoints: [{ cidr: '8.0.0.0/8' }, { cidr: '203.0.113.0/24' }, { cidr: '9.0.0.0/8' }] }, 'exchangeEndpoints',
    ['33554688 IPv4 addresses', 'more than one /8 (16777216)', 'exchangeEndpoints[0] 8.0.0.0/8', 'exchangeEndpoints[1] 203.0.113.0/24: 256', 'exchangeEndpoints[2] 9.0.0.0/8']],
  ['two /16s of IPv6', { exchangeEndpoints: [{ cidr: '2001::/16' }, { cidr: '2a00::/16' }] }, 'exchangeEndpoints', ['2^113 IPv6 addresses', 'one /16']],
  ['a narrow IPv6 block around NAT64', { exchangeEndpoints: [{ cidr: '64:ff9b::/64' }] }, 'exchangeEndpoints[0].cidr', ['every IPv4 address through the NAT64 prefix']],
  ['NAT64 with IPv4 ranges', { exchangeEndpoints: [{ cidr: '64:ff9b::800:0/104' }, { cidr: '9.0.0.0/8' }] }, 'exchangeEndpoints',
    ['exchangeEndpoints[0] 64:ff9b::800:0/104 (the IPv4 block 8.0.0.0/8 through NAT64)']],
  ['an IPv4-mapped block', { exchangeEndpoints: [{ cidr: '::ffff:0:0/96' }], allowUnrestrictedEgress: true }, 'exchangeEndpoints[0].cidr', ['IPv4 block 0.0.0.0/0', 'write the IPv4 block "0.0.0.0/0"']],
  ['cloud metadata with every opt-in', { exchangeEndpoints: [{ cidr: '169.254.169.254/32' }], allowUnrestrictedEgress: true, allowPrivateRangeEgress: true },
    'exchangeEndpoints[0].cidr', ['"169.254.169.254/32"', 'cloud metadata', 'never']],
  ['the cluster network', { exchangeEndpoints: [{ cidr: '10.96.0.0/12' }] }, 'exchangeEndpoints[0].cidr', ['"10.96.0.0/12"', 'pods, Services and API server', 'allowPrivateRangeEgress']],
  ['a repeated private block, reported once', { exchangeEndpoints: [{ cidr: '10.1.0.0/16' }, { cidr: '10.1.0.0/16', port: 8443 }] }, 'exchangeEndpoints[0].cidr', ['1 invalid prop problem']],
  ['allowPrivateRangeEgress not a boolean', { allowPrivateRangeEgress: 'false' as any }, 'allowPrivateRangeEgress', ['"false"', 'true or false']],
  ['exchangeEndpoints a string', { exchangeEndpoints: '203.0.113.0/24' as any }, 'exchangeEndpoints', ['must be a list']],
  ['a number as cidr', { exchangeEndpoints: [{ cidr: 203 as any }] }, 'exchangeEndpoints[0].cidr', ['(got 203)', 'CIDR block']],
  // eslint-disable-next-line no-sparse-arrays
  ['a sparse endpoint list', { exchangeEndpoints: [{ cidr: '203.0.113.0/24' }, , { cidr: '198.51.100.0/24' }] as any }, 'exchangeEndpoints[1]', ['sparse']],
  ['no credentials', { credentials: [] }, 'credentials', ['at least one Secret', 'ExchangeCredentials.fromSecret']],
  ['an empty secret name', { credentials: [ExchangeCredentials.fromSecret('')] }, 'credentials[0].secretName', ['must not be empty']],
  ['an invalid secret name', { credentials: [ExchangeCredentials.fromSecret('Keys_1')] }, 'credentials[0].secretName', ['"Keys_1"']],
  ['a duplicate secret', { credentials: [ExchangeCredentials.fromSecret('keys'), ExchangeCredentials.fromSecret('keys')] }, 'credentials[1].secretName', ['listed twice']],
  ['an empty key list', { credentials: [ExchangeCredentials.fromSecret('keys', { keys: [] })] }, 'credentials[0].keys', ['mount nothing']],
  ['an invalid key', { credentials: [ExchangeCredentials.fromSecret('keys', { keys: ['../etc'] })] }, 'credentials[0].keys', ['"../etc"']],
  ['a duplicate key', { credentials: [ExchangeCredentials.fromSecret('keys', { keys: ['a', 'a'] })] }, 'credentials[0].keys', ['listed twice']],
  ['a plain object as credentials', { credentials: [{ secretName: 'keys' } as any] }, 'credentials[0]', ['ExchangeCredentials.fromSecret']],
  ['an invalid name', { name: 'Gateway_1' }, 'name', ['"Gateway_1"', 'RFC 1035']],
  ['a name starting with a digit', { name: '1gateway' }, 'name', ['start with a letter']],
  ['a name too long for derived names', { name: 'g'.repeat(51) }, 'name', ['at most 50']],
  ['an invalid namespace prop', { namespace: 'Trading' }, 'namespace', ['"Trading"']],
  ['namespace default', { namespace: 'default' }, 'namespace', ['"default"', 'system namespace']],
  ['namespace kube-system', { namespace: 'kube-system' }, 'namespace', ['"kube-system"']],
  ['namespace kube-public', { namespace: 'kube-public' }, 'namespace', ['"kube-public"']],
  ['namespace kube-node-lease', { namespace: 'kube-node-lease' }, 'namespace', ['"kube-node-lease"']],
  ['a cpu request over the limit', { resources: { cpuRequest: '2', cpuLimit: '500m' } }, 'resources.cpuRequest', ['"2"', 'exceeds resources.cpuLimit']],
  ['a memory request over the limit', { resources: { memoryRequest: '1Gi' } }, 'resources.memoryRequest', ['exceeds resources.memoryLimit (256Mi)']],
  ['a storage request over the limit', { resources: { ephemeralStorageRequest: '1G', ephemeralStorageLimit: '512Mi' } }, 'resources.ephemeralStorageRequest', ['exceeds']],
  ['a malformed quantity', { resources: { memoryLimit: '256MB' } }, 'resources.memoryLimit', ['"256MB"', 'quantity']],
  ['a zero quantity', { resources: { cpuLimit: '0' } }, 'resources.cpuLimit', ['positive']],
  ['a tmp limit over the storage limit', { tmpSizeLimit: '1Gi' }, 'tmpSizeLimit', ['exceeds the ephemeral-storage limit']],
  ['identical probe paths', { readinessPath: '/health', livenessPath: '/health' }, 'livenessPath', ['asks the same request as readinessPath']],
  ['a relative probe path', { readinessPath: 'ready' }, 'readinessPath', ['"ready"', 'start with "/"']],
  ['a startup timeout of 1s', { startupTimeoutSeconds: 1 }, 'startupTimeoutSeconds', ['(got 1)']],
  ['a root uid', { runAsUser: 0 }, 'runAsUser', ['(got 0)', '10000']],
  ['a low uid', { runAsUser: 1000 }, 'runAsUser', ['(got 1000)']],
  ['a missing tls', { tls: undefined as any }, 'tls', ['is required', 'TlsCertificate.fromSecret']],
  ['an invalid tls secret', { tls: TlsCertificate.fromSecret('TLS!') }, 'tls (secret name)', ['"TLS!"']],
  ['an invalid issuer', { tls: TlsCertificate.fromCertManagerClusterIssuer('') }, 'tls (cluster issuer name)', ['must not be empty']],
  ['a snippet annotation', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "x: y";' } }, 'ingressAnnotations', ['snippet', 'CVE-2025-1974']],
  ['a server-snippet annotation', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/server-snippets': 'x' } }, 'ingressAnnotations', ['snippet']],
  ['an annotation the library owns', { ingressAnnotations: { 'cert-manager.io/cluster-issuer': 'other' } }, 'ingressAnnotations', ['set by the library', 'tls prop']],
  ['an invalid annotation key', { ingressAnnotations: { 'bad key': 'x' } }, 'ingressAnnotations', ['annotation key']],
  ['a rate limit of 0', { requestsPerSecond: 0 }, 'requestsPerSecond', ['(got 0)']],
  ['a rate limit on a class that ignores it', { ingressClassName: 'traefik', requestsPerSecond: 10 }, 'requestsPerSecond', ['no effect', '"traefik"']],
  ['an invalid ingress class', { ingressClassName: 'Nginx' }, 'ingressClassName', ['"Nginx"']],
  ['an empty ingress pod selector', { ingressControllerPodLabels: {} }, 'ingressControllerPodLabels', ['every pod of the namespace']],
  ['an invalid ingress pod label', { ingressControllerPodLabels: { app: 'a b' } }, 'ingressControllerPodLabels', ['label value']],
  ['an invalid controller namespace', { ingressControllerNamespace: 'Ingress' }, 'ingressControllerNamespace', ['"Ingress"']],
  ['an empty operator user', { operatorUsers: [''] }, 'operatorUsers[0]', ['non-empty']],
  ['a system group as operator', { operatorGroups: ['system:authenticated'] }, 'operatorGroups[0]', ['system identity']],
  ['a duplicate operator', { operatorUsers: ['trading-lead@example.com', 'trading-lead@example.com'] }, 'operatorUsers[1]', ['listed twice']],
];

describe('bad input is refused at construction, naming the prop, the value and the fix', () => {
  test.each(cases)('%s', (_title, overrides, prop, words) => {
    const { message, chart } = attempt(overrides);
    expect(message).toContain('SecureTradingApi \'test/gateway\'');
    expect(message).toContain(`  - ${prop}: `);
    expect(message).toContain('Fix: ');
    for (const word of words) {
      expect(message).toContain(word);
    }
    // THEN nothing was emitted: the construct never joined the tree.
    expect(chart.node.children).toHaveLength(0);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('namespace', () => {
  test('missing from both the prop and the chart is refused', () => {
    const { message } = attempt({}, null);
    expect(message).toContain('  - namespace: is not set and the construct is not inside a Chart with a namespace');
    expect(message).toContain('Fix: set the namespace prop');
  });

  test('a system namespace from the chart is refused too', () => {
    const { message } = attempt({}, 'default');
    expect(message).toContain('  - namespace: is a shared system namespace ("default" or "kube-*") (got "default")');
  });

  test('the prop overrides the chart namespace', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'elsewhere' });
    new SecureTradingApi(chart, 'gateway', baseProps({ namespace: 'trading' }));
    const namespaces = new Set(Testing.synth(chart).map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual(['trading']);
  });
});

describe('several problems are reported together', () => {
  test('every problem is listed in one error', () => {
    const { message } = attempt({ image: 'nginx', port: 22, replicas: 0, host: 'x' });
    expect(message).toContain('4 invalid prop problems');
    for (const prop of ['image', 'port', 'replicas', 'host']) {
      expect(message).toContain(`  - ${prop}: `);
    }
  });
});

describe('the visible opt-outs', () => {
  test('allowUnpinnedImage accepts a fixed tag and pulls Always', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({ image: 'ghcr.io/example/gateway:1.2.3', allowUnpinnedImage: true }));
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: 'ghcr.io/example/gateway:1.2.3', imagePullPolicy: 'Always' });
  });

  test('allowUnrestrictedEgress accepts 0.0.0.0/0 and ::/0', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({
      exchangeEndpoints: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }],
      allowUnrestrictedEgress: true,
    }));
    const allow = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'gateway-allow');
    expect(allow.spec.egress.map((r: any) => r.to[0].ipBlock?.cidr).filter(Boolean)).toEqual(['0.0.0.0/0', '::/0']);
    // "The internet" never includes the cluster network, link-local or metadata addresses.
    expect(allow.spec.egress[1].to[0].ipBlock.except).toEqual(['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']);
    expect(allow.spec.egress[2].to[0].ipBlock.except).toContain('fc00::/7');
  });

  test('allowPrivateRangeEgress accepts a private block, still never link-local inside it', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({
      exchangeEndpoints: [{ cidr: '10.200.0.0/16' }, { cidr: 'fd00::/16' }],
      allowPrivateRangeEgress: true,
    }));
    const allow = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'gateway-allow');
    expect(allow.spec.egress.slice(1).map((r: any) => r.to[0].ipBlock)).toEqual([
      { cidr: '10.200.0.0/16' },
      { cidr: 'fd00::/16', except: ['fd00:ec2::254/128'] },
    ]);
  });
});

describe('names', () => {
  test('two instances with the same name in one namespace are refused', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'a', baseProps({ name: 'gateway' }));
    const message = errorOf(() => new SecureTradingApi(chart, 'b', baseProps({ name: 'gateway', host: 'b.trading.example.com' })));
    expect(message).toContain('  - name: conflicts with test/a (got "gateway")');
    expect(message).toContain('another SecureTradingApi in namespace "trading" has this name');
  });

  test('the same name in two namespaces is fine', () => {
    const app = Testing.app();
    new SecureTradingApi(new Chart(app, 'a', { namespace: 'trading-a' }), 'gateway', baseProps());
    expect(() => new SecureTradingApi(new Chart(app, 'b', { namespace: 'trading-b' }), 'gateway', baseProps({ host: 'b.trading.example.com' }))).not.toThrow();
  });

  test('a construct id that is not a valid name asks for the name prop', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'OrderGateway', baseProps()));
    expect(message).toContain('  - name (defaulted from the construct id): ');
    expect(message).toContain('Fix: set name to');
  });

  test('a digest-only image is accepted', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    expect(() => new SecureTradingApi(chart, 'gateway', baseProps({ image: `gateway@sha256:${DIGEST}` }))).not.toThrow();
  });

  test('a registry with a port and nested path is accepted', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    expect(() => new SecureTradingApi(chart, 'gateway', baseProps({ image: `localhost:5000/a/b-c/d_e:v1.0@sha256:${DIGEST}` }))).not.toThrow();
  });
});

describe('props that are not even objects', () => {
  test('missing props produce a clear error, not a TypeError', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', undefined as any));
    expect(message).toContain('  - props: must be an object (got nothing)');
  });
});
