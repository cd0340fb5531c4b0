/**
 * Property-based tests: invariants that hold for every valid input (the controls, no secret values,
 * namespaces, selectors, determinism) and for every invalid input (a clear error naming the prop).
 * Runs: RUNS valid configurations and RUNS invalid ones per property (override with FC_NUM_RUNS).
 */
import { Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { ExchangeCredentials, ExchangeEndpoint, IngressController, SecureTradingApi, SecureTradingApiProps, ServiceExposure, TaintEffect, TlsCertificate, TolerationOperator } from '../src';
import { controlViolations, NEVER_REACHABLE, PRIVATE, reaches } from './controls';
import { compareBlocks, contains, formatBlock, parseCidr, unionSize } from '../src/cidr';
import { resolveNetwork } from '../src/config/network';
import { envCredentialProblem } from '../src/env-vars';
import { Problems, readsAsNonString } from '../src/validate';

const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

// ---------------------------------------------------------------------------------------------
// Arbitraries for valid props
// ---------------------------------------------------------------------------------------------

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

/** An RFC 1035 label of 1..max characters. */
function label1035(max: number): fc.Arbitrary<string> {
  return fc.tuple(lower, fc.array(fc.oneof(alnum, fc.constant('-')), { maxLength: max - 2 }), alnum)
    .map(([a, mid, z]) => (max === 1 ? a : a + mid.join('') + z))
    .filter((s) => s.length <= max);
}

// A namespace such as "no" or "on" is refused (kubectl would read it as a boolean): not a valid input.
const namespaceArb = label1035(20).filter((n) => !['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(n) && !readsAsNonString(n));
const nameArb = label1035(30);
const hex = fc.constantFrom(...'0123456789abcdef'.split(''));
const digestArb = fc.array(hex, { minLength: 64, maxLength: 64 }).map((a) => a.join(''));
const tagArb = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }))
  .map(([a, b, c]) => `${a}.${b}.${c}`);
const imageArb = fc.tuple(
  fc.constantFrom('ghcr.io/acme', 'registry.example.com:5000/trading', 'docker.io/library', 'example'),
  label1035(12), fc.option(tagArb, { nil: undefined }), digestArb,
).map(([registry, repo, tag, digest]) => `${registry}/${repo}${tag ? `:${tag}` : ''}@sha256:${digest}`);

const hostArb = fc.tuple(fc.array(label1035(10), { minLength: 1, maxLength: 3 }), fc.constantFrom('example.com', 'trading.example.org'))
  .map(([labels, domain]) => `${labels.join('.')}.${domain}`);
const secretNameArb = fc.tuple(label1035(15), fc.option(label1035(6), { nil: undefined })).map(([a, b]) => (b ? `${a}.${b}` : a));
const keyArb = fc.constantFrom('api-key', 'api-secret', 'passphrase', 'key.pem', 'API_KEY', 'secret_1');
const credentialsArb = fc.uniqueArray(secretNameArb, { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.option(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 3 }), { nil: undefined })
    .map((keys) => ExchangeCredentials.fromSecret(name, keys ? { keys } : {})))));

// Valid egress: public blocks of /12 or narrower (five together stay within one /8), outside every
// special range (0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16 excluded by first octet).
const ipv4Cidr = fc.tuple(fc.integer({ min: 1, max: 223 }).filter((a) => ![10, 100, 127, 169, 172, 192].includes(a)),
  fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 12, max: 32 }))
  .map(([a, b, c, d, prefix]) => {
    const value = (((a << 24) >>> 0) + (b << 16) + (c << 8) + d) >>> 0; // eslint-disable-line no-bitwise
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0; // eslint-disable-line no-bitwise
    const net = (value & mask) >>> 0; // eslint-disable-line no-bitwise
    return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${prefix}`; // eslint-disable-line no-bitwise
  });
const ipv6Cidr = fc.tuple(fc.integer({ min: 0x2001, max: 0x2fff }), fc.integer({ min: 1, max: 0xffff }))
  .map(([a, b]) => `${a.toString(16)}:${b.toString(16)}::/32`);
const endpointsArb = fc.uniqueArray(
  fc.record({ cidr: fc.oneof(ipv4Cidr, ipv6Cidr), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }),
  { maxLength: 5 },
) as fc.Arbitrary<ExchangeEndpoint[]>;

const quantityPair = (unit: string, max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 0, max }))
  .map(([request, extra]) => [`${request}${unit}`, `${request + extra}${unit}`]);
const resourcesArb = fc.tuple(quantityPair('m', 4000), quantityPair('Mi', 4096), quantityPair('Mi', 2048))
  .map(([[cpuRequest, cpuLimit], [memoryRequest, memoryLimit], [ephemeralStorageRequest, ephemeralStorageLimit]]) =>
    ({ cpuRequest, cpuLimit, memoryRequest, memoryLimit, ephemeralStorageRequest, ephemeralStorageLimit }));

const tlsArb = fc.tuple(fc.constantFrom(0, 1, 2), label1035(20)).map(([kind, name]) =>
  [TlsCertificate.fromSecret, TlsCertificate.fromCertManagerIssuer, TlsCertificate.fromCertManagerClusterIssuer][kind](name));
const pathArb = fc.array(label1035(8), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
const subjectsArb = fc.option(fc.uniqueArray(fc.emailAddress().filter((e) => !e.startsWith('system:')), { minLength: 1, maxLength: 3 }), { nil: undefined });

const podLabelsArb = fc.dictionary(fc.constantFrom('app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance'), label1035(12), { minKeys: 1 });
const controllerOptionsArb = fc.record({
  className: fc.option(label1035(15), { nil: undefined }),
  namespace: fc.option(namespaceArb, { nil: undefined }),
  podLabels: fc.option(podLabelsArb, { nil: undefined }),
});
/** A controller and edge protections it can enforce: only ingress-nginx renders them, the others take none. */
const ingressControllerArb = fc.oneof(
  controllerOptionsArb.map((o) => IngressController.ingressNginx(o)),
  controllerOptionsArb.map((o) => IngressController.traefik(o)),
  fc.record({ className: label1035(15), namespace: namespaceArb, podLabels: podLabelsArb }).map((o) => IngressController.other(o)),
);
const edgeProtectionArb = fc.record({
  requestsPerSecond: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
  burstMultiplier: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  clientIpAllowList: fc.option(fc.uniqueArray(fc.oneof(ipv4Cidr, ipv6Cidr), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  maxRequestBodySize: fc.option(fc.tuple(fc.integer({ min: 1, max: 1024 }), fc.constantFrom('Ki', 'Mi', 'k', 'M', '')).map(([n, u]) => `${n}${u}`), { nil: undefined }),
  readTimeoutSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
  sendTimeoutSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
  connectTimeoutSeconds: fc.option(fc.integer({ min: 1, max: 75 }), { nil: undefined }),
});
const ingressControllerWithEdgeArb = fc.oneof(
  fc.tuple(controllerOptionsArb.map((o) => IngressController.ingressNginx(o)), fc.option(edgeProtectionArb, { nil: undefined })),
  ingressControllerArb.map((c) => [c, undefined] as [IngressController, undefined]),
);

/** How the service is reached, whether it is a singleton, and whom it talks to inside the cluster. */
const shapeArb = fc.record({
  exposure: fc.constantFrom(ServiceExposure.PUBLIC, ServiceExposure.INTERNAL, ServiceExposure.NONE, undefined),
  singleton: fc.option(fc.boolean(), { nil: undefined }),
  keyless: fc.boolean(),
  metrics: fc.option(fc.record({
    port: fc.integer({ min: 1025, max: 65535 }),
    path: fc.option(pathArb, { nil: undefined }),
    scraperNamespace: fc.option(namespaceArb, { nil: undefined }),
    scraperPodLabels: fc.option(podLabelsArb, { nil: undefined }),
  }), { nil: undefined }),
  clusterDependencies: fc.option(fc.uniqueArray(fc.record({
    namespace: fc.option(namespaceArb.filter((n) => !n.startsWith('kube-')), { nil: undefined }),
    podLabels: podLabelsArb,
    ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
  }), { maxLength: 3, selector: (d) => JSON.stringify([d.namespace, Object.entries(d.podLabels).sort()]) }), { nil: undefined }),
  credentialsPath: fc.option(fc.array(label1035(8), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`)
    .filter((p) => !['/tmp', '/proc', '/sys', '/dev'].some((r) => p === r || p.startsWith(`${r}/`))), { nil: undefined }),
});

/** Valid props, and the namespace they will land in. */
const validArb = fc.record({
  namespace: namespaceArb,
  props: fc.record({
    image: imageArb,
    name: fc.option(nameArb, { nil: undefined }),
    host: hostArb,
    tls: tlsArb,
    credentials: credentialsArb,
    exchangeEndpoints: fc.option(endpointsArb, { nil: undefined }),
    port: fc.option(fc.integer({ min: 1025, max: 65535 }), { nil: undefined }),
    paths: fc.option(fc.uniqueArray(pathArb, { minLength: 2, maxLength: 2 }), { nil: undefined }),
    startupTimeoutSeconds: fc.option(fc.integer({ min: 5, max: 3600 }), { nil: undefined }),
    resources: fc.option(resourcesArb, { nil: undefined }),
    replicas: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    runAsUser: fc.option(fc.integer({ min: 10000, max: 2147483647 }), { nil: undefined }),
    edge: fc.option(ingressControllerWithEdgeArb, { nil: undefined }),
    operatorUsers: subjectsArb,
    operatorGroups: subjectsArb,
    shape: shapeArb,
  }).filter(({ tls, credentials, port, shape }) =>
    // A TLS Secret must never be a credential Secret (refused, and tested in conflicts.test.ts).
    !credentials.some((c) => c.secretName === tls.name || c.secretName.endsWith('-tls'))
    // The metrics port is a port of its own.
    && shape.metrics?.port !== (port ?? 8080)).map(({ paths, edge, shape, host, tls, credentials, ...rest }) => {
    const [ingressController, edgeProtection] = edge ?? [undefined, undefined];
    const { keyless, ...shapeProps } = shape;
    const isPublic = shape.exposure === undefined || shape.exposure === ServiceExposure.PUBLIC;
    const props: SecureTradingApiProps = {
      ...rest,
      ...shapeProps,
      ...(isPublic ? { host, tls, ingressController, edgeProtection } : {}),
      credentials: keyless ? undefined : credentials,
      readinessPath: paths?.[0],
      livenessPath: paths?.[1],
      replicas: shape.singleton ? undefined : rest.replicas,
    };
    // tmpSizeLimit must fit in the ephemeral-storage limit (default 256Mi).
    return rest.resources ? { ...props, tmpSizeLimit: rest.resources.ephemeralStorageLimit } : props;
  }),
  instances: fc.integer({ min: 1, max: 3 }),
});

function build(namespace: string, props: SecureTradingApiProps, instances: number) {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const apis = [];
  for (let i = 0; i < instances; i++) {
    // Each instance has a host of its own: two services on one host and path are refused.
    apis.push(new SecureTradingApi(chart, `api${i}`, {
      ...props,
      name: i === 0 ? props.name : `${props.name ?? 'api0'}-${i}`,
      host: i === 0 || props.host === undefined ? props.host : `api${i}-${props.host}`,
    }));
  }
  return { chart, apis };
}

// ---------------------------------------------------------------------------------------------
// Valid input: invariants
// ---------------------------------------------------------------------------------------------

describe('for arbitrary valid props', () => {
  test('every object meets the controls, in the chart namespace, selecting exactly its own pods', () => {
    fc.assert(fc.property(validArb, ({ namespace, props, instances }) => {
      const { chart } = build(namespace, props, instances);
      expect(controlViolations(Testing.synth(chart), namespace)).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('no secret value and no secret-fed environment variable appears anywhere in the output', () => {
    const SENTINEL = 'sk_live_DO_NOT_LEAK_0123456789';
    fc.assert(fc.property(validArb, ({ namespace, props }) => {
      const { chart, apis } = build(namespace, props, 1);
      const yaml = Yaml.stringify(...Testing.synth(chart)) + apis[0].auditPolicy.toYaml();
      // The library is never given a value, so none can appear; and nothing may route a Secret into env.
      expect(yaml).not.toContain(SENTINEL);
      expect(yaml).not.toMatch(/secretKeyRef|secretRef|valueFrom|envFrom/);
      expect(yaml).not.toMatch(/^kind: Secret$/m);
      expect(yaml).not.toMatch(/\bdata:|stringData:/);
    }), { numRuns: RUNS });
  });

  test('synthesizing the same props twice gives byte-identical YAML', () => {
    fc.assert(fc.property(validArb, ({ namespace, props, instances }) => {
      const first = build(namespace, props, instances);
      const second = build(namespace, props, instances);
      expect(Yaml.stringify(...Testing.synth(second.chart))).toBe(Yaml.stringify(...Testing.synth(first.chart)));
      expect(second.apis[0].auditPolicy.toYaml()).toBe(first.apis[0].auditPolicy.toYaml());
    }), { numRuns: Math.ceil(RUNS / 2) });
  });
});

describe('for arbitrary connections between services', () => {
  const graphArb = fc.record({
    exposures: fc.array(fc.constantFrom(ServiceExposure.PUBLIC, ServiceExposure.INTERNAL, ServiceExposure.NONE), { minLength: 2, maxLength: 5 }),
    ports: fc.array(fc.integer({ min: 1025, max: 65535 }), { minLength: 5, maxLength: 5 }),
    calls: fc.array(fc.tuple(fc.nat(4), fc.nat(4), fc.boolean()), { maxLength: 12 }),
  });

  test('both sides hold exactly the connections made, on the callee\'s port, and the controls hold', () => {
    fc.assert(fc.property(graphArb, ({ exposures, ports, calls }) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
      const services = exposures.map((exposure, i) => new SecureTradingApi(chart, `svc${i}`, {
        image: `registry.example.com/svc:1.0.0@sha256:${'a'.repeat(64)}`,
        exposure,
        port: ports[i],
        ...(exposure === ServiceExposure.PUBLIC ? { host: `svc${i}.example.com`, tls: TlsCertificate.fromSecret(`svc${i}-tls`) } : {}),
      }));
      const expected = new Set<string>();
      for (const [from, to, viaAllowFrom] of calls) {
        const [a, b] = [services[from % services.length], services[to % services.length]];
        if (b.exposure === ServiceExposure.NONE) {
          expect(() => (viaAllowFrom ? b.allowFrom(a) : a.allowTo(b))).toThrow(/nothing may call it/);
          continue;
        }
        viaAllowFrom ? b.allowFrom(a) : a.allowTo(b);
        expected.add(`${a.name}->${b.name}:${b.port}`);
      }
      const manifest = Testing.synth(chart);
      const nameOf = (peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/instance'];
      const egress = new Set<string>();
      const ingress = new Set<string>();
      for (const svc of services) {
        const spec = manifest.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `${svc.name}-allow`).spec;
        for (const r of spec.egress) {
          for (const peer of r.to.filter((x: any) => nameOf(x) !== undefined)) {
            egress.add(`${svc.name}->${nameOf(peer)}:${r.ports[0].port}`);
          }
        }
        for (const r of spec.ingress) {
          for (const peer of r.from.filter((x: any) => x.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'trading')) {
            ingress.add(`${nameOf(peer)}->${svc.name}:${r.ports[0].port}`);
          }
        }
      }
      expect([...egress].sort()).toEqual([...expected].sort());
      expect([...ingress].sort()).toEqual([...expected].sort());
      expect(controlViolations(manifest, 'trading')).toEqual([]);
    }), { numRuns: Math.ceil(RUNS / 2) });
  });
});

// ---------------------------------------------------------------------------------------------
// Invalid input: a clear error naming the prop
// ---------------------------------------------------------------------------------------------

/** One way to break valid props: the prop the error must name, and the broken props. */
type Breaker = fc.Arbitrary<[string, (p: SecureTradingApiProps) => SecureTradingApiProps]>;

const junk = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object(), fc.boolean(), fc.array(fc.string()));
const junkString = fc.oneof(junk, fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', 'UPPER', 'a_b', '-a', 'a-', '../x', 'a'.repeat(300)));

const breakers: Breaker[] = [
  fc.oneof(junkString, tagArb.map((t) => `nginx:${t}`), fc.constant('nginx:latest'), digestArb.map((d) => `nginx@sha256:${d.slice(1)}`))
    .filter((v) => typeof v !== 'string' || !/@sha256:[a-f0-9]{64}$/.test(v))
    .map((v) => ['image', (p) => ({ ...p, image: v as any })]),
  // (null and undefined mean "not set" for optional props, as jsii passes them: they take the default)
  fc.oneof(fc.integer({ max: 1024 }), fc.integer({ min: 65536 }), fc.double({ noInteger: true }), junk.filter((v) => v != null && typeof v !== 'number'))
    .map((v) => ['port', (p) => ({ ...p, port: v as any })]),
  fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 }), fc.double({ noInteger: true }), junk.filter((v) => v != null && typeof v !== 'number'))
    .map((v) => ['replicas', (p) => ({ ...p, replicas: v as any })]),
  junkString.filter((v) => v !== undefined && !(typeof v === 'string' && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v)))
    .map((v) => ['host', (p) => ({ ...p, host: v as any })]),
  fc.oneof(junkString, fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.1/8', '1.2.3.4', '300.1.1.1/32', '1.2.3.0/33', '::1/129', '0.0.0.0/7'))
    .filter((v) => v !== undefined)
    .map((v) => ['exchangeEndpoints[0].cidr', (p) => ({ ...p, exchangeEndpoints: [{ cidr: v as any }] })]),
  fc.oneof(junkString.filter((v) => typeof v === 'string'), fc.constantFrom('', 'Upper', 'a_b', 'x'.repeat(300)))
    .filter((v) => typeof v !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v) || v.length > 253)
    .map((v) => ['credentials[0].secretName', (p) => ({ ...p, credentials: [ExchangeCredentials.fromSecret(v as any)] })]),
  fc.constant(['credentials', (p) => ({ ...p, credentials: [] })]),
  // Ingress props on a service that has no Ingress.
  fc.tuple(fc.constantFrom(ServiceExposure.INTERNAL, ServiceExposure.NONE), fc.constantFrom('host', 'tls', 'ingressAnnotations'))
    .map(([exposure, prop]) => [prop, (p) => ({
      ...p,
      exposure,
      host: undefined,
      tls: undefined,
      ingressController: undefined,
      edgeProtection: undefined,
      [prop]: { host: 'api.example.com', tls: TlsCertificate.fromSecret('x'), ingressAnnotations: { 'example.com/a': 'b' } }[prop],
    })]),
  fc.tuple(label1035(10), fc.constantFrom('svc.cluster.local', 'svc', 'local', 'internal', 'localhost'))
    .map(([h, suffix]) => ['host', (p) => ({ ...p, exposure: undefined, host: `${h}.${suffix}`, tls: TlsCertificate.fromSecret('tls') })]),
  fc.integer({ min: 2, max: 100 }).map((replicas) => ['replicas', (p) => ({ ...p, singleton: true, replicas })]),
  fc.oneof(fc.integer({ max: 1024 }), fc.integer({ min: 65536 }), fc.double({ noInteger: true }), fc.constant('9090'))
    .map((port) => ['metrics.port', (p) => ({ ...p, metrics: { port: port as any } })]),
  fc.constantFrom('relative', '/', '/tmp/x', '/proc', '/a//b', '/a/../b', '/a/', '/a b', '/a:b', '/var/run/secrets/kubernetes.io/x')
    .map((v) => ['credentialsPath', (p) => ({ ...p, credentialsPath: v })]),
  fc.oneof(fc.constant({}), fc.constant([] as any), junk.filter((v) => v != null && (typeof v !== 'object' || Array.isArray(v))))
    .map((v) => ['clusterDependencies[0].podLabels', (p) => ({ ...p, clusterDependencies: [{ podLabels: v as any, ports: [5432] }] })]),
  fc.oneof(fc.constant([] as number[]), fc.constant([0] as number[]), fc.constant([70000] as number[]))
    .map((v) => ['clusterDependencies[0].ports', (p) => ({ ...p, clusterDependencies: [{ podLabels: { app: 'db' }, ports: v }] })]),
  fc.constant(['credentials[1].secretName', (p) => ({ ...p, credentials: [ExchangeCredentials.fromSecret('dup'), ExchangeCredentials.fromSecret('dup')] })]),
  junk.filter((v) => !(v instanceof TlsCertificate)).map((v) => ['tls', (p) => ({ ...p, tls: v as any })]),
  fc.constantFrom('default', 'kube-system', 'kube-public', 'kube-node-lease', 'Trading', '', 'a.b', 'x'.repeat(64))
    .map((v) => ['namespace', (p) => ({ ...p, namespace: v })]),
  fc.constantFrom('Gateway', '1abc', 'a_b', '', 'x'.repeat(51), 'a.b')
    .map((v) => ['name', (p) => ({ ...p, name: v })]),
  fc.tuple(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1, max: 1 })).map(([request]) =>
    ['resources.cpuRequest', (p) => ({ ...p, resources: { cpuRequest: `${request}`, cpuLimit: '1' } })]),
  fc.constantFrom('256MB', '-1Mi', '1.2.3', 'lots', '')
    .map((v) => ['resources.memoryLimit', (p) => ({ ...p, resources: { memoryLimit: v } })]),
  pathArb.map((path) => ['livenessPath', (p) => ({ ...p, readinessPath: path, livenessPath: path })]),
  fc.integer({ max: 9999 }).map((v) => ['runAsUser', (p) => ({ ...p, runAsUser: v })]),
  fc.constantFrom('nginx.ingress.kubernetes.io/configuration-snippet', 'nginx.ingress.kubernetes.io/server-snippet', 'x.io/auth-snippet')
    .map((k) => ['ingressAnnotations', (p) => ({ ...p, ingressAnnotations: { [k]: 'return 200;' } })]),
  fc.constantFrom('system:authenticated', '', ' ops').map((v) => ['operatorGroups[0]', (p) => ({ ...p, operatorGroups: [v] })]),
  // Controller keys in ingressAnnotations, under any casing of a known prefix.
  fc.tuple(fc.constantFrom('nginx.ingress.kubernetes.io', 'Nginx.Ingress.Kubernetes.IO', 'traefik.ingress.kubernetes.io', 'cert-manager.io', 'konghq.com',
    'haproxy.org', 'kubernetes.io'), fc.constantFrom('limit-rps', 'ingress.class', 'router.tls', 'issuer', 'plugins'))
    .map(([prefix, name]) => [`ingressAnnotations["${prefix}/${name}"]`, (p) => ({ ...p, ingressAnnotations: { [`${prefix}/${name}`]: 'x' } })]),
  // A value carrying any configuration character, wherever it is put among printable text.
  fc.tuple(fc.string({ unit: fc.constantFrom(...'abc-/.:'.split('')) }), fc.constantFrom(...';{}$`"\'\\#\n\r\t\u0000\u2028'.split('')), fc.string({ unit: fc.constantFrom(...'xyz:/'.split('')) }))
    .map(([before, bad, after]) => `${before}${bad}${after}`)
    .map((v) => ['unsafeIngressAnnotations.annotations["nginx.ingress.kubernetes.io/auth-url"]', (p) => ({
      ...p,
      ingressController: IngressController.ingressNginx(),
      edgeProtection: undefined,
      unsafeIngressAnnotations: { reason: 'external authentication, reviewed (SEC-1)', annotations: { 'nginx.ingress.kubernetes.io/auth-url': v } },
    })]),
  fc.constantFrom('requestsPerSecond', 'burstMultiplier', 'readTimeoutSeconds', 'sendTimeoutSeconds', 'connectTimeoutSeconds')
    .chain((field) => fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 100001 }), fc.double({ noInteger: true }))
      .map((v) => [`edgeProtection.${field}`, (p) => ({ ...p, ingressController: undefined, edgeProtection: { [field]: v } })])),
  fc.constantFrom(IngressController.traefik(), IngressController.other({ className: 'x', namespace: 'x', podLabels: { app: 'x' } }))
    .map((c) => ['edgeProtection.requestsPerSecond', (p) => ({ ...p, ingressController: c, edgeProtection: { requestsPerSecond: 10 } })]),
  // Pod extras: credentials in the environment, control-plane placement, mounts over reserved directories, unprobed sidecars.
  fc.tuple(fc.constantFrom('API_KEY', 'SECRET', 'DB_PASSWORD', 'ACCESS_TOKEN', 'PRIVATE_KEY', 'LD_PRELOAD', 'KUBERNETES_SERVICE_HOST'), fc.string({ minLength: 1 }))
    .map(([name, value]) => [`env["${name}"]`, (p) => ({ ...p, env: { [name]: value } })]),
  fc.constantFrom('node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master', 'node.kubernetes.io/unschedulable', 'node.kubernetes.io/unreachable')
    .map((key) => ['tolerations[0]', (p) => ({ ...p, tolerations: [{ key, operator: TolerationOperator.EXISTS }] })]),
  fc.constantFrom('/', '/tmp', '/tmp/x', '/var/run/secrets/trading', '/var/run/secrets', '/run/secrets/trading/x', '/var/run/secrets/kubernetes.io', '/etc', '/proc/1', 'etc/x', '/etc/../x')
    .map((mountPath) => ['configMapVolumes[0].mountPath', (p) => ({ ...p, credentialsPath: undefined, configMapVolumes: [{ configMapName: 'settings', mountPath }] })]),
  fc.constant(['sidecars[0].port', (p) => ({ ...p, sidecars: [{ name: 'helper', image: p.image } as any] })]),
];

/** The same props as a public service (the default exposure, with a host and a TLS certificate). */
function asPublic(props: SecureTradingApiProps): SecureTradingApiProps {
  return { ...props, exposure: undefined, host: props.host ?? 'api.example.com', tls: props.tls ?? TlsCertificate.fromSecret('api-tls') };
}

describe('for arbitrary invalid props', () => {
  test('construction throws an Error that names the offending prop, and emits nothing', () => {
    fc.assert(fc.property(validArb, fc.oneof(...breakers), ({ namespace, props }, [prop, breakProps]) => {
      const chart = new Chart(Testing.app(), 'test', { namespace });
      let error: unknown;
      try {
        // The Ingress props break only a public service; the generator makes every shape.
        const base = /^(host|tls|ingress|unsafeIngress|edgeProtection)/.test(prop) ? asPublic(props) : props;
        new SecureTradingApi(chart, 'api', breakProps(base));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).not.toBeInstanceOf(RangeError);
      const message = (error as Error).message;
      expect(message).toContain(`  - ${prop}`);
      expect(message).toContain('Fix: ');
      expect(chart.node.children).toHaveLength(0);
    }), { numRuns: RUNS });
  });
});

// ---------------------------------------------------------------------------------------------
// The egress policy: what a set of blocks reaches, for blocks anywhere (special ranges included)
// ---------------------------------------------------------------------------------------------

const INTERESTING_V4 = ['0.0.0.0', '10.0.0.0', '100.64.0.0', '127.0.0.1', '169.254.169.254', '172.16.0.0', '192.168.0.0', '203.0.113.0', '8.0.0.0']
  .map((a) => parseCidr(`${a}/32`).cidr!.network);
const INTERESTING_V6 = ['::', '::1', 'fe80::', 'fd00:ec2::254', 'fc00::', '64:ff9b::', '64:ff9b::a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b:1::',
  '::ffff:0:0', '::ffff:a9fe:a9fe', '2001:db8::', '2a00::'].map((a) => parseCidr(`${a}/128`).cidr!.network);

/** A block of `bits` bits around `base` (an interesting address or any), host bits cleared. */
function anyBlock(family: 4 | 6, bits: number, interesting: bigint[]): fc.Arbitrary<string> {
  const any = fc.bigInt(0n, 2n ** BigInt(bits) - 1n);
  return fc.tuple(fc.oneof(fc.constantFrom(...interesting), any), fc.integer({ min: 0, max: bits }), fc.boolean())
    .map(([base, prefixLength, upper]) => {
      const host = BigInt(bits - prefixLength);
      const text = formatBlock({ family, network: base - (base % 2n ** host), prefixLength });
      return upper ? text.toUpperCase() : text;
    });
}
const anyEndpoints = fc.array(fc.record({
  cidr: fc.oneof(anyBlock(4, 32, INTERESTING_V4), anyBlock(6, 128, INTERESTING_V6)),
  port: fc.constantFrom(443, 8443),
}), { minLength: 1, maxLength: 4 });
const optionsArb = fc.record({ allowUnrestrictedEgress: fc.boolean(), allowPrivateRangeEgress: fc.boolean() });

describe('the egress policy, for blocks anywhere', () => {
  test('whatever is accepted never reaches metadata, link-local, loopback, or (without the opt-in) private ranges', () => {
    let accepted = 0;
    let excepted = 0;
    fc.assert(fc.property(anyEndpoints, optionsArb, (exchangeEndpoints, options) => {
      const problems = new Problems();
      const { egress } = resolveNetwork({ ...options, exchangeEndpoints } as SecureTradingApiProps, problems);
      if (problems.count > 0) {
        return;
      }
      accepted++;
      excepted += egress.some((e) => e.except.length > 0) ? 1 : 0;
      const forbidden = [...NEVER_REACHABLE, ...(options.allowPrivateRangeEgress ? [] : PRIVATE)];
      for (const endpoint of egress) {
        expect(forbidden.filter((address) => reaches(endpoint, address))).toEqual([]);
        const cidr = parseCidr(endpoint.cidr).cidr!;
        for (const except of endpoint.except.map((e) => parseCidr(e).cidr!)) {
          // What Kubernetes validates: the same family, strictly inside the cidr.
          expect(contains(cidr, except) && except.prefixLength > cidr.prefixLength).toBe(true);
        }
      }
      if (!options.allowUnrestrictedEgress) {
        const blocks = egress.map((e) => parseCidr(e.cidr).cidr!);
        expect(unionSize(blocks.filter((b) => b.family === 4))).toBeLessThanOrEqual(2n ** 24n);
        expect(unionSize(blocks.filter((b) => b.family === 6))).toBeLessThanOrEqual(2n ** 112n);
      }
    }), { numRuns: RUNS * 5 });
    // Not vacuous: many lists are accepted, and many of those needed except entries.
    expect(accepted).toBeGreaterThan(RUNS / 2);
    expect(excepted).toBeGreaterThan(RUNS / 10);
  });

  test('an accepted list means the same in any order and with repeats; the output is sorted', () => {
    fc.assert(fc.property(anyEndpoints, optionsArb, fc.nat(), (exchangeEndpoints, options, seed) => {
      const problems = new Problems();
      const first = resolveNetwork({ ...options, exchangeEndpoints } as SecureTradingApiProps, problems);
      if (problems.count > 0) {
        return;
      }
      const shuffled = [...exchangeEndpoints, exchangeEndpoints[seed % exchangeEndpoints.length]]
        .map((e, i) => ({ e, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map(({ e }) => e);
      const again = new Problems();
      expect(resolveNetwork({ ...options, exchangeEndpoints: shuffled } as SecureTradingApiProps, again)).toEqual(first);
      expect(again.count).toBe(0);
      const blocks = first.egress.map((e) => parseCidr(e.cidr).cidr!);
      blocks.slice(1).forEach((b, i) => expect(compareBlocks(blocks[i], b)).toBeLessThan(0));
    }), { numRuns: RUNS * 2 });
  });
});

// ---------------------------------------------------------------------------------------------
// Pod extras: whatever valid extras are given, every container keeps the API container's hardening
// ---------------------------------------------------------------------------------------------

const envNameArb = fc.tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'.split('')), fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'.split('')), { maxLength: 12 }))
  .map(([a, rest]) => a + rest.join(''))
  .filter((n) => envCredentialProblem(n, 'x') === undefined && !n.startsWith('KUBERNETES_') && !n.startsWith('LD_') && !n.startsWith('DYLD_'));
const envValueArb = fc.oneof(fc.constantFrom('info', 'true', 'yes', '8080', '0x1F', '', 'eu-west-1', 'a b c', '$(LOG_LEVEL)'), label1035(20));
/** A label value (or object name) kubectl reads back as text: "no" and "on" are booleans to it, and refused. */
const textLabelArb = (max: number) => label1035(max).filter((v) => !readsAsNonString(v));
const envArb = fc.dictionary(envNameArb, envValueArb, { maxKeys: 4 })
  .filter((env) => new Set(Object.keys(env).map((k) => k.toUpperCase())).size === Object.keys(env).length
    && !Object.keys(env).some((k) => ['NODE_OPTIONS', 'NODE_PATH', 'PYTHONPATH', 'ENV', 'CLASSPATH', 'GODEBUG', 'PERLLIB', 'RUBYLIB'].includes(k)));
const argsArb = fc.array(fc.oneof(fc.constantFrom('--config', '/etc/gateway/config.yaml', '--log-format=json', '', '-v'), label1035(12)), { maxLength: 4 });
const extraContainerArb = fc.record({
  image: imageArb,
  command: fc.option(fc.constant<string[]>(['/app/helper']), { nil: undefined }),
  args: fc.option(argsArb, { nil: undefined }),
  env: fc.option(envArb, { nil: undefined }),
  resources: fc.option(resourcesArb, { nil: undefined }),
  mountCredentials: fc.option(fc.boolean(), { nil: undefined }),
});
const podExtrasArb = fc.record({
  env: fc.option(envArb, { nil: undefined }),
  envFromConfigMaps: fc.option(fc.uniqueArray(textLabelArb(12), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  configMapVolumes: fc.option(fc.uniqueArray(label1035(10), { minLength: 1, maxLength: 3 })
    .map((names) => names.map((n, i) => ({ configMapName: `${n}-${i}`, mountPath: `/etc/${n}` }))), { nil: undefined }),
  command: fc.option(fc.constant<string[]>(['/app/gateway']), { nil: undefined }),
  args: fc.option(argsArb, { nil: undefined }),
  imagePullSecrets: fc.option(fc.uniqueArray(label1035(12).map((n) => `pull-${n}`), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  nodeSelector: fc.option(fc.dictionary(fc.constantFrom('example.com/pool', 'topology.example.com/rack'), textLabelArb(10), { minKeys: 1 }), { nil: undefined }),
  tolerations: fc.option(fc.array(fc.oneof(
    fc.record({ key: fc.constantFrom('example.com/trading', 'dedicated'), operator: fc.constant(TolerationOperator.EXISTS), effect: fc.constantFrom(TaintEffect.NO_SCHEDULE, TaintEffect.PREFER_NO_SCHEDULE) }),
    fc.record({
      key: fc.constantFrom('node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'),
      operator: fc.constant(TolerationOperator.EXISTS),
      effect: fc.constant(TaintEffect.NO_EXECUTE),
      tolerationSeconds: fc.integer({ min: 0, max: 300 }),
    }),
  ), { maxLength: 3 }), { nil: undefined }),
  podLabels: fc.option(fc.dictionary(fc.constantFrom('example.com/team', 'example.com/tier'), textLabelArb(10), { minKeys: 1 }), { nil: undefined }),
  podAnnotations: fc.option(fc.dictionary(fc.constantFrom('example.com/owner', 'kubectl.kubernetes.io/default-container'), label1035(10), { minKeys: 1 }), { nil: undefined }),
  sidecars: fc.option(fc.uniqueArray(label1035(12).filter((n) => n !== 'api'), { minLength: 1, maxLength: 3 }).chain((names) =>
    fc.tuple(...names.map((name, i) => extraContainerArb.map((c) => ({ ...c, name: `s-${name}`, port: 9100 + i, tmpSizeLimit: c.resources?.ephemeralStorageLimit }))))), { nil: undefined }),
  initContainers: fc.option(fc.uniqueArray(label1035(12), { minLength: 1, maxLength: 2 }).chain((names) =>
    fc.tuple(...names.map((name) => extraContainerArb.map((c) => ({ ...c, name: `i-${name}`, tmpSizeLimit: c.resources?.ephemeralStorageLimit }))))), { nil: undefined }),
});

describe('for arbitrary valid pod extras', () => {
  test('every container keeps the API container\'s hardening, its own /tmp, and no secret-looking or secret-fed environment', () => {
    fc.assert(fc.property(validArb, podExtrasArb, ({ namespace, props }, extras) => {
      const { chart } = build(namespace, { ...props, ...extras, port: 8080 }, 1);
      const manifest = Testing.synth(chart);
      expect(controlViolations(manifest, namespace)).toEqual([]);
      const pod = manifest.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').spec.template.spec;
      const [api, ...rest] = [...pod.containers, ...(pod.initContainers ?? [])];
      expect(rest).toHaveLength((extras.sidecars?.length ?? 0) + (extras.initContainers?.length ?? 0));
      const tmpVolumes = new Set<string>();
      for (const c of [api, ...rest]) {
        expect(c.securityContext).toEqual(api.securityContext);
        expect(c.imagePullPolicy).toBe('Always');
        const tmp = c.volumeMounts.filter((m: any) => m.mountPath === '/tmp');
        expect(tmp).toHaveLength(1);
        expect(tmpVolumes.has(tmp[0].name)).toBe(false);
        tmpVolumes.add(tmp[0].name);
        expect(pod.volumes.find((v: any) => v.name === tmp[0].name).emptyDir.sizeLimit).toBeDefined();
        for (const e of c.env ?? []) {
          expect(Object.keys(e).sort()).toEqual(['name', 'value']);
          expect(envCredentialProblem(e.name, e.value)).toBeUndefined();
        }
        expect((c.envFrom ?? []).every((e: any) => e.configMapRef && !e.secretRef)).toBe(true);
        expect(c.volumeMounts.every((m: any) => m.subPath === undefined)).toBe(true);
      }
      expect(api.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }), { numRuns: RUNS });
  });
});
