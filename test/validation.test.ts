import { Chart, Testing } from 'cdk8s';
import { ExchangeCredentials, IngressController, SecureTradingApi, SecureTradingApiProps, ServiceExposure, TlsCertificate } from '../src';
import { baseProps, DIGEST, errorOf } from './util';

const REASON = 'gRPC backend, accepted by the platform security review (SEC-123)';

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
  ['an empty credentials list', { credentials: [] }, 'credentials', ['empty list', 'ExchangeCredentials.fromSecret', 'leave credentials out']],
  ['a relative credentialsPath', { credentialsPath: 'secrets/trading' }, 'credentialsPath', ['"secrets/trading"', 'absolute']],
  ['credentialsPath under /tmp', { credentialsPath: '/tmp/keys' }, 'credentialsPath', ['is inside /tmp']],
  ['credentialsPath over the token directory', { credentialsPath: '/var/run/secrets/kubernetes.io' }, 'credentialsPath', ['is /var/run/secrets/kubernetes.io']],
  ['credentialsPath with ..', { credentialsPath: '/var/run/../etc' }, 'credentialsPath', ['normalized']],
  ['credentialsPath /', { credentialsPath: '/' }, 'credentialsPath', ['root directory']],
  ['no host for a public service', { host: undefined }, 'host', ['required with ServiceExposure.PUBLIC', 'ServiceExposure.INTERNAL']],
  ['no tls for a public service', { tls: undefined }, 'tls', ['required with ServiceExposure.PUBLIC']],
  ['an internal host published', { host: 'risk.trading.svc.cluster.local' }, 'host', ['*.cluster.local', 'never publish', 'ServiceExposure.INTERNAL']],
  ['a .internal host published', { host: 'api.corp.internal' }, 'host', ['*.internal']],
  ['a host on an internal service', { exposure: ServiceExposure.INTERNAL }, 'host', ['ServiceExposure.INTERNAL does not have', 'remove host']],
  ['edge protection on a worker', { exposure: ServiceExposure.NONE, host: undefined, tls: undefined, edgeProtection: { requestsPerSecond: 5 } }, 'edgeProtection', ['ServiceExposure.NONE']],
  ['an unknown exposure', { exposure: 'public' as any }, 'exposure', ['"public"', 'ServiceExposure.PUBLIC']],
  ['singleton not a boolean', { singleton: 'true' as any }, 'singleton', ['true or false']],
  ['a singleton with two replicas', { singleton: true, replicas: 2 }, 'replicas', ['contradicts singleton', 'leave replicas out']],
  ['metrics without a port', { metrics: {} as any }, 'metrics.port', ['required']],
  ['metrics on the API port', { metrics: { port: 8080 } }, 'metrics.port', ['is the API port']],
  ['metrics on a privileged port', { metrics: { port: 80 } }, 'metrics.port', ['(got 80)', '1025']],
  ['metrics with a relative path', { metrics: { port: 9090, path: 'metrics' } }, 'metrics.path', ['"metrics"']],
  ['metrics scraper selecting every pod', { metrics: { port: 9090, scraperPodLabels: {} } }, 'metrics.scraperPodLabels', ['every pod']],
  ['a misspelt metrics option', { metrics: { port: 9090, scraperNamspace: 'x' } as any }, 'metrics.scraperNamspace', ['not a known prop']],
  ['a dependency without labels', { clusterDependencies: [{ podLabels: {}, ports: [5432] }] }, 'clusterDependencies[0].podLabels', ['every pod']],
  ['a dependency without ports', { clusterDependencies: [{ podLabels: { app: 'db' }, ports: [] }] }, 'clusterDependencies[0].ports', ['every port']],
  ['a dependency port out of range', { clusterDependencies: [{ podLabels: { app: 'db' }, ports: [70000] }] }, 'clusterDependencies[0].ports[0]', ['70000']],
  ['a dependency in kube-system', { clusterDependencies: [{ namespace: 'kube-system', podLabels: { app: 'x' }, ports: [443] }] }, 'clusterDependencies[0].namespace', ['system namespace']],
  ['a dependency listed twice', { clusterDependencies: [{ podLabels: { app: 'db' }, ports: [5432] }, { podLabels: { app: 'db' }, ports: [5433] }] }, 'clusterDependencies[1]', ['same pods as clusterDependencies[0]']],
  ['dependencies as one object', { clusterDependencies: { podLabels: { app: 'db' }, ports: [5432] } as any }, 'clusterDependencies', ['must be a list']],
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
  ['an invalid controller namespace', { ingressController: IngressController.ingressNginx({ namespace: 'Ingress' }) }, 'ingressController.namespace', ['"Ingress"']],
  ['an invalid ingress class', { ingressController: IngressController.ingressNginx({ className: 'Nginx' }) }, 'ingressController.className', ['"Nginx"']],
  ['an empty ingress pod selector', { ingressController: IngressController.traefik({ podLabels: {} }) }, 'ingressController.podLabels', ['every pod of the namespace']],
  ['an invalid ingress pod label', { ingressController: IngressController.ingressNginx({ podLabels: { app: 'a b' } }) }, 'ingressController.podLabels', ['label value']],
  ['another controller without its namespace', { ingressController: IngressController.other({ className: 'haproxy' } as any) }, 'ingressController.namespace', ['must be a string']],
  ['a controller that is a plain object', { ingressController: { className: 'nginx' } as any }, 'ingressController', ['IngressController.ingressNginx()']],
  // edge protections
  ['a rate limit of 0', { edgeProtection: { requestsPerSecond: 0 } }, 'edgeProtection.requestsPerSecond', ['(got 0)']],
  ['a fractional rate limit', { edgeProtection: { requestsPerSecond: 2.5 } }, 'edgeProtection.requestsPerSecond', ['whole number']],
  ['a huge burst multiplier', { edgeProtection: { burstMultiplier: 50 } }, 'edgeProtection.burstMultiplier', ['(got 50)', 'defeats the limit']],
  ['a burst multiplier of 0', { edgeProtection: { burstMultiplier: 0 } }, 'edgeProtection.burstMultiplier', ['(got 0)']],
  ['an invalid allow-list block', { edgeProtection: { clientIpAllowList: ['198.51.100.300/24'] } }, 'edgeProtection.clientIpAllowList[0]', ['not a valid IPv4']],
  ['an allow-list block with host bits', { edgeProtection: { clientIpAllowList: ['198.51.100.7/24'] } }, 'edgeProtection.clientIpAllowList[0]', ['did you mean 198.51.100.0/24']],
  ['an address without prefix in the allow-list', { edgeProtection: { clientIpAllowList: ['198.51.100.7'] } }, 'edgeProtection.clientIpAllowList[0]', ['prefix length']],
  ['an allow-list of everyone', { edgeProtection: { clientIpAllowList: ['0.0.0.0/0'] } }, 'edgeProtection.clientIpAllowList[0]', ['every client']],
  ['an allow-list of every IPv6 client', { edgeProtection: { clientIpAllowList: ['::/0'] } }, 'edgeProtection.clientIpAllowList[0]', ['every client']],
  ['an allow-list that injects a list separator', { edgeProtection: { clientIpAllowList: ['198.51.100.0/24,0.0.0.0/0'] } }, 'edgeProtection.clientIpAllowList[0]', ['prefix length']],
  ['an empty allow-list', { edgeProtection: { clientIpAllowList: [] } }, 'edgeProtection.clientIpAllowList', ['is empty']],
  ['a repeated allow-list block', { edgeProtection: { clientIpAllowList: ['2001:db8::/48', '2001:DB8:0::/48'] } }, 'edgeProtection.clientIpAllowList[1]', ['repeats']],
  ['a string as allow-list', { edgeProtection: { clientIpAllowList: '198.51.100.0/24' as any } }, 'edgeProtection.clientIpAllowList', ['must be a list']],
  ['a body size of 0 (unlimited to nginx)', { edgeProtection: { maxRequestBodySize: '0' } }, 'edgeProtection.maxRequestBodySize', ['"0"', 'no limit']],
  ['a body size above 1Gi', { edgeProtection: { maxRequestBodySize: '2Gi' } }, 'edgeProtection.maxRequestBodySize', ['"2Gi"', 'larger than 1Gi']],
  ['a body size in nginx syntax', { edgeProtection: { maxRequestBodySize: '1m; return 200' } }, 'edgeProtection.maxRequestBodySize', ['not a Kubernetes quantity']],
  ['a fractional body size', { edgeProtection: { maxRequestBodySize: '1.5' } }, 'edgeProtection.maxRequestBodySize', ['whole number of bytes']],
  ['a body size as a number', { edgeProtection: { maxRequestBodySize: 1024 as any } }, 'edgeProtection.maxRequestBodySize', ['must be a string']],
  ['a read timeout of 0', { edgeProtection: { readTimeoutSeconds: 0 } }, 'edgeProtection.readTimeoutSeconds', ['(got 0)']],
  ['a send timeout of two hours', { edgeProtection: { sendTimeoutSeconds: 7200 } }, 'edgeProtection.sendTimeoutSeconds', ['(got 7200)', '3600']],
  ['a connect timeout past nginx\'s ceiling', { edgeProtection: { connectTimeoutSeconds: 76 } }, 'edgeProtection.connectTimeoutSeconds', ['(got 76)', '75']],
  ['a misspelt edge protection', { edgeProtection: { requestPerSecond: 5 } as any }, 'edgeProtection.requestPerSecond', ['not a known prop']],
  ['a rate limit with Traefik', { ingressController: IngressController.traefik(), edgeProtection: { requestsPerSecond: 10 } }, 'edgeProtection.requestsPerSecond',
    ['cannot be enforced with Traefik', 'Middleware', 'router.middlewares']],
  ['an allow-list with another controller', {
    ingressController: IngressController.other({ className: 'haproxy', namespace: 'haproxy', podLabels: { app: 'haproxy' } }),
    edgeProtection: { clientIpAllowList: ['198.51.100.0/24'] },
  }, 'edgeProtection.clientIpAllowList', ['cannot be enforced with IngressController.other()', 'configure it in the controller']],
  // cert-manager certificate lifetime
  ['a duration in days', { tls: TlsCertificate.fromCertManagerIssuer('ca', { duration: '90d' }) }, 'tls.duration', ['"90d"', 'Go duration', '2160h']],
  ['a duration below an hour', { tls: TlsCertificate.fromCertManagerIssuer('ca', { duration: '30m' }) }, 'tls.duration', ['minimum of 1h']],
  ['a renew-before without duration', { tls: TlsCertificate.fromCertManagerClusterIssuer('le', { renewBefore: '720h' }) }, 'tls.renewBefore', ['set duration too']],
  ['a renew-before not below the duration', { tls: TlsCertificate.fromCertManagerClusterIssuer('le', { duration: '720h', renewBefore: '720h' }) }, 'tls.renewBefore',
    ['not shorter than duration "720h"']],
  ['a renew-before below five minutes', { tls: TlsCertificate.fromCertManagerIssuer('ca', { duration: '24h', renewBefore: '1m' }) }, 'tls.renewBefore', ['minimum of 5m']],
  ['a renew-before that injects', { tls: TlsCertificate.fromCertManagerIssuer('ca', { duration: '24h', renewBefore: '1h\nx' }) }, 'tls.renewBefore', ['Go duration']],
  // ingressAnnotations: metadata only
  ['a snippet annotation', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "x: y";' } },
    'ingressAnnotations["nginx.ingress.kubernetes.io/configuration-snippet"]', ['snippet', 'CVE-2025-1974']],
  ['a server-snippets annotation', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/server-snippets': 'x' } }, 'ingressAnnotations["nginx.ingress.kubernetes.io/server-snippets"]', ['snippet']],
  ['a snippet under any prefix', { ingressAnnotations: { 'example.com/auth-snippet': 'x' } }, 'ingressAnnotations["example.com/auth-snippet"]', ['snippet']],
  ['a cert-manager annotation', { ingressAnnotations: { 'cert-manager.io/cluster-issuer': 'other' } }, 'ingressAnnotations["cert-manager.io/cluster-issuer"]',
    ['"cert-manager.io"', 'tls prop']],
  ['a raw rate limit', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/limit-rps': '1000' } }, 'ingressAnnotations["nginx.ingress.kubernetes.io/limit-rps"]',
    ['configure an ingress controller', 'edgeProtection.requestsPerSecond']],
  ['a raw allow-list', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/whitelist-source-range': '0.0.0.0/0' } },
    'ingressAnnotations["nginx.ingress.kubernetes.io/whitelist-source-range"]', ['edgeProtection.clientIpAllowList']],
  ['a raw body size', { ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '1m' } }, 'ingressAnnotations["nginx.ingress.kubernetes.io/proxy-body-size"]',
    ['edgeProtection.maxRequestBodySize']],
  ['a generic controller key', { ingressAnnotations: { 'ingress.kubernetes.io/ssl-redirect': 'true' } }, 'ingressAnnotations["ingress.kubernetes.io/ssl-redirect"]',
    ['"ingress.kubernetes.io"']],
  ['a Traefik key', { ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'web' } }, 'ingressAnnotations["traefik.ingress.kubernetes.io/router.entrypoints"]',
    ['unsafeIngressAnnotations']],
  ['a Kong key', { ingressAnnotations: { 'konghq.com/plugins': 'x' } }, 'ingressAnnotations["konghq.com/plugins"]', ['"konghq.com"']],
  ['an HAProxy key', { ingressAnnotations: { 'haproxy.org/whitelist': '0.0.0.0/0' } }, 'ingressAnnotations["haproxy.org/whitelist"]', ['"haproxy.org"']],
  ['an AWS load balancer key', { ingressAnnotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }, 'ingressAnnotations["alb.ingress.kubernetes.io/scheme"]',
    ['"alb.ingress.kubernetes.io"']],
  ['an upper-case controller prefix', { ingressAnnotations: { 'NGINX.ingress.kubernetes.io/limit-rps': '1' } }, 'ingressAnnotations["NGINX.ingress.kubernetes.io/limit-rps"]',
    ['configure an ingress controller']],
  ['the library\'s own prefix', { ingressAnnotations: { 'secure-trading-api.io/unsafe-annotations-reason': 'none' } },
    'ingressAnnotations["secure-trading-api.io/unsafe-annotations-reason"]', ['"secure-trading-api.io"']],
  ['an ingress.class that contradicts the controller', { ingressAnnotations: { 'kubernetes.io/ingress.class': 'public' } }, 'ingressAnnotations["kubernetes.io/ingress.class"]',
    ['"public"', 'contradicts the IngressClass "nginx"', 'ingressController']],
  ['an ingress.class that repeats the controller', { ingressAnnotations: { 'kubernetes.io/ingress.class': 'nginx' } }, 'ingressAnnotations["kubernetes.io/ingress.class"]',
    ['repeats the IngressClass']],
  ['an invalid annotation key', { ingressAnnotations: { 'bad key': 'x' } }, 'ingressAnnotations["bad key"]', ['annotation key']],
  ['a metadata value with a newline', { ingressAnnotations: { 'example.com/owner': 'trading\nlocation / { }' } }, 'ingressAnnotations["example.com/owner"]', ['"\\n"', 'U+000A']],
  ['a metadata value with a brace', { ingressAnnotations: { 'example.com/owner': 'a}' } }, 'ingressAnnotations["example.com/owner"]', ['"}"']],
  ['a metadata value that is not a string', { ingressAnnotations: { 'example.com/replicas': 3 as any } }, 'ingressAnnotations["example.com/replicas"]', ['must be a string']],
  ['annotations beyond 256 KiB', { ingressAnnotations: { 'example.com/blob': 'a'.repeat(300 * 1024) } }, 'ingressAnnotations and unsafeIngressAnnotations',
    ['more than the API server\'s limit of 262144 bytes']],
  // unsafeIngressAnnotations: never these, even with a reason
  ...([
    ['a rate-limit exemption', 'nginx.ingress.kubernetes.io/limit-whitelist', '0.0.0.0/0', ['exempts clients from the rate limit']],
    ['a rate-limit exemption (new name)', 'nginx.ingress.kubernetes.io/limit-allowlist', '10.0.0.0/8', ['exempts clients from the rate limit']],
    ['a global rate-limit exemption', 'nginx.ingress.kubernetes.io/global-rate-limit-ignored-cidrs', '10.0.0.0/8', ['exempts clients']],
    ['TLS passthrough', 'nginx.ingress.kubernetes.io/ssl-passthrough', 'true', ['passes TLS through']],
    ['the redirect switched off', 'nginx.ingress.kubernetes.io/ssl-redirect', 'false', ['HTTPS redirect off']],
    ['the forced redirect switched off', 'nginx.ingress.kubernetes.io/force-ssl-redirect', 'false', ['HTTPS redirect off']],
    ['a wildcard server alias', 'nginx.ingress.kubernetes.io/server-alias', '*.example.com', ['adds host names']],
    ['a regex server alias', 'nginx.ingress.kubernetes.io/server-alias', '~^.*$', ['adds host names']],
    ['regex matching', 'nginx.ingress.kubernetes.io/use-regex', 'true', ['regular expressions']],
    ['a configuration snippet', 'nginx.ingress.kubernetes.io/configuration-snippet', 'return 200', ['snippet', 'CVE-2025-1974']],
    ['raw HAProxy configuration', 'haproxy-ingress.github.io/config-backend', 'http-request deny', ['raw controller configuration']],
    ['a plain-HTTP Traefik router', 'traefik.ingress.kubernetes.io/router.tls', 'false', ['plain HTTP']],
    ['an auth-url that injects a directive', 'nginx.ingress.kubernetes.io/auth-url', 'http://a/;}location /x {', ['";"', 'CVE-2025-1974']],
    ['a mirror target with a variable', 'nginx.ingress.kubernetes.io/mirror-target', 'http://evil.example.com$request_uri', ['"$"']],
    ['an auth-tls-match-cn with a newline', 'nginx.ingress.kubernetes.io/auth-tls-match-cn', 'CN=a\nload_module x', ['"\\n"']],
    ['a value with a backtick', 'nginx.ingress.kubernetes.io/auth-realm', 'a`b', ['"`"']],
    ['a value with a quote', 'nginx.ingress.kubernetes.io/auth-realm', 'a"b', ['"\\""']],
    ['a value with a non-ASCII line separator', 'nginx.ingress.kubernetes.io/auth-realm', 'a\u2028b', ['U+2028']],
    ['a rate limit a typed prop renders', 'nginx.ingress.kubernetes.io/limit-rps', '1000', ['rendered by the library', 'edgeProtection.requestsPerSecond']],
    ['a burst a typed prop renders', 'nginx.ingress.kubernetes.io/limit-burst-multiplier', '100', ['edgeProtection.burstMultiplier']],
    ['a timeout a typed prop renders', 'nginx.ingress.kubernetes.io/proxy-read-timeout', '9999', ['edgeProtection.readTimeoutSeconds']],
    ['the issuer', 'cert-manager.io/cluster-issuer', 'other', ['tls prop']],
    ['the issuer kind', 'cert-manager.io/issuer-kind', 'ClusterIssuer', ['tls prop']],
    ['the library\'s reason annotation', 'secure-trading-api.io/unsafe-annotations-reason', 'forged', ['own prefix']],
    ['a contradicting ingress.class', 'kubernetes.io/ingress.class', 'public', ['contradicts the IngressClass "nginx"']],
  ] as Array<[string, string, string, string[]]>).map(([title, key, value, words]): [string, Partial<SecureTradingApiProps>, string, string[]] =>
    [`unsafe: ${title}`, { unsafeIngressAnnotations: { reason: REASON, annotations: { [key]: value } } }, `unsafeIngressAnnotations.annotations["${key}"]`, words]),
  ['unsafe: no reason', { unsafeIngressAnnotations: { annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' } } as any }, 'unsafeIngressAnnotations.reason',
    ['is required', 'who accepted the risk']],
  ['unsafe: a reason too short to say why', { unsafeIngressAnnotations: { reason: 'needed', annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' } } },
    'unsafeIngressAnnotations.reason', ['"needed"', 'at least 20 characters']],
  ['unsafe: a reason that injects', { unsafeIngressAnnotations: { reason: `${REASON}\nmore_set_headers x`, annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' } } },
    'unsafeIngressAnnotations.reason', ['U+000A']],
  ['unsafe: no annotations', { unsafeIngressAnnotations: { reason: REASON, annotations: {} } }, 'unsafeIngressAnnotations.annotations', ['is empty']],
  ['unsafe: a misspelt field', { unsafeIngressAnnotations: { reason: REASON, annotation: {} } as any }, 'unsafeIngressAnnotations.annotation', ['not a known prop']],
  ['unsafe: a key given twice', {
    ingressAnnotations: { 'example.com/owner': 'a' },
    unsafeIngressAnnotations: { reason: REASON, annotations: { 'example.com/owner': 'b' } },
  }, 'unsafeIngressAnnotations.annotations["example.com/owner"]', ['also given in ingressAnnotations']],
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
