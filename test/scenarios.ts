/**
 * The scenario matrix: configurations that together exercise every prop and every option of
 * SecureTradingApi. The unit tests assert the controls over each; `scripts/synth-scenarios.ts`
 * synthesizes each into its own folder for the external checkers (`npx projen conformance`).
 */
import { App, Chart } from 'cdk8s';
import {
  ClientCertificateAuthority, ClusterDns, CredentialRotation, EdgeAuthentication, ExchangeCredentials, ExchangeHosts,
  ExternalSecretDeletionPolicy, ExternalSecretStore, GatewayApi, GatewayImplementation, ImageSignature, IngressController,
  SecretsStoreProvider, SecureTradingApi, SecureTradingApiProps, ServiceExposure, TaintEffect, TlsCertificate, TolerationOperator, TradingNamespace,
  VaultAgentMode, VaultEndpoint, VaultSecret,
} from '../src';

const DIGEST = 'sha256:9b2a4f0d7c3e1a5b8f6d4c2e0a9b7d5f3e1c9a7b5d3f1e0c8a6b4d2f0e9c7a5b';
const IMAGE = `registry.example.com/trading/gateway:3.1.0@${DIGEST}`;

const base: SecureTradingApiProps = {
  image: IMAGE,
  host: 'api.trading.example.com',
  tls: TlsCertificate.fromSecret('api-tls'),
  credentials: [ExchangeCredentials.fromSecret('exchange-api-key')],
  exchangeEndpoints: [{ cidr: '203.0.113.0/24' }],
};

/** One configuration: a name (its output folder) and how to build it into an app. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly build: (app: App) => void;
}

/** A scenario with one SecureTradingApi in a Chart of namespace `trading`. */
function single(name: string, description: string, props: Partial<SecureTradingApiProps>, id = 'gateway'): Scenario {
  return {
    name,
    description,
    build: (app) => {
      const chart = new Chart(app, name, { namespace: 'trading' });
      new SecureTradingApi(chart, id, { ...base, ...props });
    },
  };
}

export const SCENARIOS: Scenario[] = [
  single('defaults', 'only the required props and one egress range', {}),
  single('no-egress', 'no exchange endpoints: DNS only', { exchangeEndpoints: undefined }),
  single('cert-manager-cluster-issuer', 'TLS from a cert-manager ClusterIssuer, operator groups bound', {
    tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
    operatorGroups: ['trading-oncall', 'sre'],
  }),
  single('cert-manager-issuer', 'TLS from a namespaced cert-manager Issuer, operator users bound', {
    tls: TlsCertificate.fromCertManagerIssuer('trading-ca'),
    operatorUsers: ['oncall-primary@example.com', 'oncall-secondary@example.com'],
  }),
  single('operators-users-and-groups', 'both users and groups bound to the operator Role', {
    operatorUsers: ['oncall@example.com'],
    operatorGroups: ['trading-admins'],
  }),
  single('several-credentials', 'three credential Secrets, two with chosen keys', {
    credentials: [
      ExchangeCredentials.fromSecret('binance-futures', { keys: ['api-key', 'api-secret'] }),
      ExchangeCredentials.fromSecret('bybit-derivatives', { keys: ['key'] }),
      ExchangeCredentials.fromSecret('okx.api.keys'),
    ],
  }),
  single('several-endpoints', 'IPv4 and IPv6 egress ranges on several ports', {
    exchangeEndpoints: [
      { cidr: '203.0.113.0/24', port: 443 },
      { cidr: '198.51.100.16/28', port: 8443 },
      { cidr: '192.0.2.10/32', port: 9443 },
      { cidr: '2001:db8:1234::/48', port: 443 },
    ],
  }),
  single('custom-workload', 'custom port, probes, startup time, resources, /tmp, replicas, uid and priority class', {
    port: 9090,
    readinessPath: '/health/ready',
    livenessPath: '/health/live',
    startupTimeoutSeconds: 180,
    resources: {
      cpuRequest: '250m',
      cpuLimit: '2',
      memoryRequest: '512Mi',
      memoryLimit: '1Gi',
      ephemeralStorageRequest: '128Mi',
      ephemeralStorageLimit: '1Gi',
    },
    tmpSizeLimit: '256Mi',
    replicas: 4,
    runAsUser: 65532,
    priorityClassName: 'trading-critical',
  }),
  single('single-replica', 'one replica of a Deployment (not a singleton: rollouts surge a second pod): the PDB still allows eviction', {
    name: 'single-replica-bot',
    replicas: 1,
  }),
  single('traefik', 'Traefik in its own namespace: TLS-only router, NetworkPolicy admits the Traefik pods, ownership metadata', {
    ingressController: IngressController.traefik({
      namespace: 'traefik',
      podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-traefik' },
    }),
    ingressAnnotations: { 'example.com/owner': 'trading-platform' },
  }),
  single('nginx-edge-protection', 'ingress-nginx with every edge protection: rate, burst, client allow-list, body size, timeouts', {
    edgeProtection: {
      requestsPerSecond: 5,
      burstMultiplier: 2,
      clientIpAllowList: ['198.51.100.0/24', '2001:db8:42::/48'],
      maxRequestBodySize: '256Ki',
      readTimeoutSeconds: 30,
      sendTimeoutSeconds: 30,
      connectTimeoutSeconds: 3,
    },
  }),
  single('nginx-internal-class', 'ingress-nginx serving the class nginx-internal: HTTPS forcing and rate limit kept', {
    ingressController: IngressController.ingressNginx({
      className: 'nginx-internal',
      namespace: 'ingress-internal',
      podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'internal' },
    }),
    edgeProtection: { requestsPerSecond: 50 },
  }),
  single('other-controller', 'a controller the library renders nothing for (HAProxy), configured through the reasoned opt-in', {
    ingressController: IngressController.other({
      className: 'haproxy',
      namespace: 'haproxy-controller',
      podLabels: { 'app.kubernetes.io/name': 'kubernetes-ingress' },
    }),
    unsafeIngressAnnotations: {
      reason: 'HAProxy rate limit and HTTPS redirect, reviewed by platform security (SEC-123)',
      annotations: {
        'haproxy.org/ssl-redirect': 'true',
        'haproxy.org/rate-limit-requests': '100',
      },
    },
  }),
  single('nginx-unsafe-annotations', 'ingress-nginx with a reasoned controller annotation the library has no prop for', {
    unsafeIngressAnnotations: {
      reason: 'the gateway speaks gRPC to the controller, reviewed by platform security (SEC-124)',
      annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' },
    },
  }),
  single('cert-manager-lifetime', 'a cert-manager ClusterIssuer with a 30-day certificate renewed 10 days before expiry', {
    tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod', { duration: '720h', renewBefore: '240h' }),
  }),
  single('named-digest-only', 'name differs from the id; image pinned by digest alone', {
    name: 'order-router',
    image: `registry.example.com/trading/order-router@${DIGEST}`,
    host: 'orders.trading.example.com',
  }, 'OrderRouter'),
  single('unpinned-image', 'the visible opt-out: a fixed tag without digest', {
    name: 'unpinned-gateway',
    image: 'registry.example.com/trading/gateway:3.1.0',
    allowUnpinnedImage: true,
  }),
  single('unrestricted-egress', 'the visible opt-out: egress to any public address on 443; private, link-local and metadata ranges excepted', {
    exchangeEndpoints: [{ cidr: '0.0.0.0/0', port: 443 }, { cidr: '::/0', port: 443 }],
    allowUnrestrictedEgress: true,
  }),
  single('private-range-egress', 'the visible opt-in: an exchange over a private link, and one range shared by two exchanges behind a CDN', {
    exchangeEndpoints: [
      { cidr: '10.200.16.0/24', port: 443 },
      { cidr: '198.51.100.0/24', port: 443 },
      { cidr: '198.51.100.0/24', port: 8443 },
      { cidr: '2001:db8:cd::/48', port: 443 },
    ],
    allowPrivateRangeEgress: true,
  }),
  single('internal-keyless', 'an INTERNAL service that holds no key (market data), with a metrics port scraped by Prometheus', {
    exposure: ServiceExposure.INTERNAL,
    host: undefined,
    tls: undefined,
    credentials: undefined,
    metrics: { port: 9100, path: '/internal/metrics', scraperNamespace: 'observability', scraperPodLabels: { 'app.kubernetes.io/name': 'prometheus' } },
  }, 'market-data'),
  single('singleton-worker', 'a singleton worker (exposure NONE): a StatefulSet of one, keys under a custom path, Postgres and Redis by labels', {
    exposure: ServiceExposure.NONE,
    host: undefined,
    tls: undefined,
    singleton: true,
    credentialsPath: '/etc/exchange-keys',
    clusterDependencies: [
      { namespace: 'databases', podLabels: { 'app.kubernetes.io/name': 'postgresql' }, ports: [5432] },
      { podLabels: { 'app.kubernetes.io/name': 'redis' }, ports: [6379] },
    ],
  }, 'order-bot'),
  {
    name: 'connected-services',
    description: 'a public gateway calling an internal singleton risk engine, both scraped; one call opens both sides',
    build: (app) => {
      const chart = new Chart(app, 'connected-services', { namespace: 'trading' });
      const gateway = new SecureTradingApi(chart, 'gateway', { ...base, metrics: { port: 9100 } });
      const risk = new SecureTradingApi(chart, 'risk-engine', {
        image: IMAGE,
        exposure: ServiceExposure.INTERNAL,
        singleton: true,
        port: 9000,
        metrics: { port: 9100 },
      });
      gateway.allowTo(risk);
    },
  },
  single('pod-extras', 'what real services need: environment, ConfigMaps, command line, pull Secrets, placement, pod metadata, a sidecar and an init container', {
    name: 'pod-extras',
    env: { LOG_LEVEL: 'info', EXCHANGE_REGION: 'eu-west', API_KEY_FILE: '/var/run/secrets/trading/exchange-api-key/api-key' },
    envFromConfigMaps: ['gateway-settings'],
    configMapVolumes: [
      { configMapName: 'gateway-config', mountPath: '/etc/gateway', keys: ['config.yaml'] },
      { configMapName: 'gateway-limits', mountPath: '/etc/gateway-limits' },
    ],
    command: ['/app/gateway'],
    args: ['--config', '/etc/gateway/config.yaml', '--log-format=json'],
    imagePullSecrets: ['registry-pull'],
    nodeSelector: { 'example.com/pool': 'trading' },
    tolerations: [
      { key: 'example.com/trading', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE },
      { key: 'example.com/tier', operator: TolerationOperator.EQUAL, value: 'gold', effect: TaintEffect.PREFER_NO_SCHEDULE },
      { key: 'node.kubernetes.io/unreachable', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 },
    ],
    podLabels: { 'example.com/team': 'trading' },
    podAnnotations: { 'example.com/owner': 'trading-platform', 'kubectl.kubernetes.io/default-container': 'api' },
    sidecars: [{
      name: 'metrics-exporter',
      image: `registry.example.com/trading/exporter:1.2.0@${DIGEST}`,
      port: 9102,
      readinessPath: '/ready',
      livenessPath: '/healthz',
      startupTimeoutSeconds: 30,
      command: ['/exporter'],
      args: ['--listen=:9102'],
      env: { EXPORTER_MODE: 'pull' },
      resources: { cpuRequest: '20m', cpuLimit: '100m', memoryRequest: '32Mi', memoryLimit: '64Mi', ephemeralStorageRequest: '16Mi', ephemeralStorageLimit: '64Mi' },
      tmpSizeLimit: '16Mi',
    }],
    initContainers: [{
      name: 'check-keys',
      image: `registry.example.com/trading/gateway:3.1.0@${DIGEST}`,
      command: ['/app/gateway'],
      args: ['check-keys', '--dir', '/var/run/secrets/trading'],
      mountCredentials: true,
    }],
  }),
  {
    name: 'namespace-prop',
    description: 'a Chart without namespace; the namespace comes from the prop',
    build: (app) => {
      const chart = new Chart(app, 'namespace-prop');
      new SecureTradingApi(chart, 'gateway', { ...base, namespace: 'trading-prop' });
    },
  },
  {
    name: 'several-in-one-namespace',
    description: 'three services in one namespace: distinct objects, policies that do not overlap',
    build: (app) => {
      const chart = new Chart(app, 'several-in-one-namespace', { namespace: 'trading' });
      new SecureTradingApi(chart, 'gateway', base);
      new SecureTradingApi(chart, 'order-router', { ...base, host: 'orders.trading.example.com', operatorGroups: ['trading-oncall'] });
      new SecureTradingApi(chart, 'market-data', {
        ...base,
        host: 'md.trading.example.com',
        tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
        credentials: [ExchangeCredentials.fromSecret('market-data-key')],
      });
    },
  },
  {
    name: 'trading-namespace',
    description: 'a TradingNamespace (restricted Pod Security, namespace-wide deny, quota, limit range) with a service inside it',
    build: (app) => {
      // A Chart namespace the Namespace must not inherit; the service's namespace is set from the TradingNamespace.
      const ns = new TradingNamespace(new Chart(app, 'trading-namespace', { namespace: 'unused' }), 'trading-platform', {
        resourceQuota: { limitsCpu: '8', pods: 20 },
        labels: { 'example.com/team': 'trading' },
      });
      new SecureTradingApi(ns, 'gateway', base);
    },
  },
  {
    name: 'several-namespaces',
    description: 'two charts in two namespaces: one audit policy covering both',
    build: (app) => {
      new SecureTradingApi(new Chart(app, 'spot', { namespace: 'trading-spot' }), 'gateway', base);
      new SecureTradingApi(new Chart(app, 'futures', { namespace: 'trading-futures' }), 'gateway', {
        ...base,
        host: 'futures.trading.example.com',
      });
    },
  },
  single('fqdn-egress', 'egress to exchanges by DNS name (Cilium): Binance and Deribit presets, OKX WebSocket on 8443, one one-label pattern', {
    fqdnEgress: [
      ...ExchangeHosts.binanceUsdmFutures(),
      ...ExchangeHosts.deribit(),
      ...ExchangeHosts.okx(),
      { host: '*.bybit.com', ports: [443] },
    ],
  }),
  single('cluster-dns-pods', 'cluster DNS under other labels: a CoreDNS chart in its own namespace', {
    clusterDns: ClusterDns.fromPods({ namespace: 'coredns', podLabels: { 'app.kubernetes.io/name': 'coredns' } }),
  }),
  single('node-local-dns', 'NodeLocal DNSCache at 169.254.20.10 (port 53 only) in front of kube-dns, with FQDN egress to Kraken futures', {
    clusterDns: ClusterDns.nodeLocalDnsCache(),
    fqdnEgress: ExchangeHosts.krakenFutures(),
  }),
  single('egress-gateway', 'a fixed egress IP (Cilium egress gateway) for the exchange key allow-list, with FQDN egress to Bybit', {
    egressGateway: { nodeLabels: { 'example.com/egress-gateway': 'trading' }, egressIp: '198.51.100.7' },
    fqdnEgress: ExchangeHosts.bybit(),
  }),
  single('external-secrets', 'keys from External Secrets: a namespaced SecretStore (Reloader restarts on change) and a ClusterSecretStore (15m, Delete), beside a plain Secret', {
    credentials: [
      ExchangeCredentials.fromExternalSecret('binance-futures', {
        store: ExternalSecretStore.secretStore('vault-trading'),
        remoteKey: 'trading/binance-futures',
        files: { 'api-key': 'apiKey', 'api-secret': 'apiSecret' },
        rotation: CredentialRotation.RESTART_ON_CHANGE,
      }),
      ExchangeCredentials.fromExternalSecret('okx-spot', {
        store: ExternalSecretStore.clusterSecretStore('aws-secrets-manager'),
        remoteKey: 'prod/trading/okx-spot',
        files: { 'api-key': 'key', 'api-secret': 'secret', 'passphrase': 'passphrase' },
        refreshInterval: '15m',
        deletionPolicy: ExternalSecretDeletionPolicy.DELETE,
      }),
      ExchangeCredentials.fromSecret('bybit-derivatives', { keys: ['key'] }),
    ],
  }),
  single('secrets-store-csi', 'keys written straight into the pod by the Secrets Store CSI driver: Vault and AWS Secrets Manager providers, no Secret in etcd', {
    credentials: [
      ExchangeCredentials.fromSecretsStoreCsi('binance-futures', {
        provider: SecretsStoreProvider.vault({ address: 'https://vault.vault.svc:8200', roleName: 'trading-gateway' }),
        files: {
          'api-key': { name: 'secret/data/trading/binance-futures', key: 'apiKey' },
          'api-secret': { name: 'secret/data/trading/binance-futures', key: 'apiSecret' },
        },
      }),
      ExchangeCredentials.fromSecretsStoreCsi('okx-spot', {
        provider: SecretsStoreProvider.aws({ region: 'eu-west-1' }),
        files: { 'api-key': { name: 'prod/trading/okx-spot', key: 'key' }, 'api-secret': { name: 'prod/trading/okx-spot', key: 'secret' } },
        rotation: CredentialRotation.RELOAD_FILES,
      }),
    ],
  }),
  {
    name: 'vault-agent',
    description: 'keys rendered by the Vault Agent injector: a gateway with a sidecar agent and in-cluster Vault, a bot with a pre-populating agent and an external Vault',
    build: (app) => {
      const chart = new Chart(app, 'vault-agent', { namespace: 'trading' });
      new SecureTradingApi(chart, 'gateway', {
        ...base,
        credentials: [ExchangeCredentials.fromVaultAgent('binance-futures', {
          vault: VaultEndpoint.inCluster({ namespace: 'vault' }),
          role: 'trading-gateway',
          files: {
            'api-key': VaultSecret.kv2('secret/data/trading/binance-futures', 'apiKey'),
            'api-secret': VaultSecret.kv2('secret/data/trading/binance-futures', 'apiSecret'),
          },
        })],
      });
      new SecureTradingApi(chart, 'order-bot', {
        image: IMAGE,
        exposure: ServiceExposure.NONE,
        credentials: [ExchangeCredentials.fromVaultAgent('kraken-spot', {
          vault: VaultEndpoint.external({ address: 'https://vault.example.com:8200', cidr: '198.51.100.20/32' }),
          role: 'order-bot',
          mode: VaultAgentMode.PRE_POPULATE_ONLY,
          tokenExpirationSeconds: 900,
          files: { 'api-key': VaultSecret.kv1('kv/trading/kraken-spot', 'apiKey') },
        })],
        exchangeEndpoints: [{ cidr: '203.0.113.0/24' }],
      });
    },
  },
  {
    name: 'admission-policy',
    description: 'cluster-side enforcement: a public gateway with a sidecar and an init container that mounts the keys, and a singleton bot beside it, each with its ValidatingAdmissionPolicies',
    build: (app) => {
      const chart = new Chart(app, 'admission-policy', { namespace: 'trading' });
      new SecureTradingApi(chart, 'gateway', {
        ...base,
        admissionPolicy: true,
        sidecars: [{ name: 'exporter', image: `registry.example.com/trading/exporter:1.2.0@${DIGEST}`, port: 9102 }],
        initContainers: [{ name: 'check-keys', image: IMAGE, args: ['check-keys'], mountCredentials: true }],
      });
      new SecureTradingApi(chart, 'order-bot', {
        image: IMAGE,
        exposure: ServiceExposure.NONE,
        singleton: true,
        credentials: [ExchangeCredentials.fromSecret('bot-api-key')],
        admissionPolicy: true,
      });
    },
  },
  single('gateway-api-existing', 'Gateway API: an HTTPRoute on the HTTPS listener of a Gateway in another namespace, Envoy Gateway protections', {
    tls: undefined,
    gatewayApi: GatewayApi.existing({ gatewayName: 'edge', gatewayNamespace: 'gateways', sectionName: 'https' }),
    edgeProtection: {
      requestsPerSecond: 10,
      clientIpAllowList: ['198.51.100.0/24', '2001:db8:42::/48'],
      maxRequestBodySize: '256Ki',
      connectTimeoutSeconds: 3,
    },
  }),
  single('gateway-api-own', 'Gateway API: a Gateway of its own (one HTTPS listener, cert-manager), the default Envoy Gateway rate limit', {
    tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
    gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }),
  }),
  single('gateway-api-authenticated', 'Gateway API, own Gateway: client certificates against a CA and the client address behind one load balancer (ClientTrafficPolicy), a JWT validated at the edge', {
    gatewayApi: GatewayApi.own({ gatewayClassName: 'eg' }),
    edgeProtection: {
      trustedProxyHops: 1,
      clientCertificateAuthority: ClientCertificateAuthority.fromConfigMap('trading-client-ca'),
      authentication: EdgeAuthentication.jwt({
        issuer: 'https://auth.example.com/',
        jwksUri: 'https://auth.example.com/.well-known/jwks.json',
        audiences: ['trading-api'],
      }),
    },
  }),
  single('gateway-api-oidc', 'Gateway API on an existing Gateway: an OIDC login at the edge, the client secret by reference', {
    tls: undefined,
    gatewayApi: GatewayApi.existing({ gatewayName: 'edge', sectionName: 'https' }),
    edgeProtection: {
      authentication: EdgeAuthentication.oidc({
        issuer: 'https://auth.example.com/',
        clientId: 'trading-api',
        clientSecretName: 'trading-oidc',
        redirectUrl: 'https://api.trading.example.com/oauth2/callback',
      }),
    },
  }),
  single('nginx-authenticated', 'ingress-nginx: client certificates against a CA Secret, and oauth2-proxy asked for every request (no snippet)', {
    edgeProtection: {
      clientCertificateAuthority: ClientCertificateAuthority.fromSecret('trading-client-ca'),
      authentication: EdgeAuthentication.externalService({
        url: 'http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth',
        signinUrl: 'https://auth.trading.example.com/oauth2/start',
        responseHeaders: ['X-Auth-Request-User'],
      }),
    },
  }),
  single('gateway-api-other', 'Gateway API served by another implementation: its proxy pods admitted, no policy rendered', {
    gatewayApi: GatewayApi.own({
      gatewayClassName: 'istio',
      implementation: GatewayImplementation.other({ proxyNamespace: 'istio-ingress', proxyPodLabels: { istio: 'ingressgateway' } }),
    }),
  }),
  single('monitoring', 'a ServiceMonitor on the metrics port and a PrometheusRule of alerts, with the app\'s own metric names', {
    metrics: { port: 9100 },
    monitoring: {
      metricNames: { ordersPlacedTotal: 'gateway_orders_placed_total', exchangeResponsesTotal: 'gateway_exchange_responses_total' },
      maxErrorRatio: 0.02,
      maxLatencySeconds: 0.5,
      maxOrderRateFactor: 4,
      labels: { release: 'prometheus' },
    },
  }),
  single('monitoring-worker', 'a worker without a Service (exposure NONE) scraped through a PodMonitor, with its alerts (no latency alert: nobody calls it)', {
    exposure: ServiceExposure.NONE,
    host: undefined,
    tls: undefined,
    metrics: { port: 9100 },
    monitoring: { labels: { release: 'prometheus' } },
  }, 'order-bot'),
  single('signed-images-keyless', 'a Kyverno verifyImages policy for the gateway, its sidecar and init container: keyless signatures from a release workflow, Rekor', {
    imageSignature: ImageSignature.keyless({
      issuer: 'https://token.actions.githubusercontent.com',
      subjectRegExp: '^https://github\\.com/acme/gateway/\\.github/workflows/release\\.yaml@refs/tags/v.*$',
    }),
    sidecars: [{ name: 'exporter', image: `ghcr.io/acme/exporter:1.2.0@${DIGEST}`, port: 9102 }],
    initContainers: [{ name: 'wait', image: `busybox:1.36.1@${DIGEST}` }],
  }),
  single('signed-images-key', 'a Kyverno verifyImages policy with a cosign public key and a private Rekor', {
    imageSignature: ImageSignature.publicKey({
      pem: [
        '-----BEGIN PUBLIC KEY-----',
        'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgy0vXmlAXj5aGuYDVXw8a/7hukuS',
        'h9ZKGuAvHMSGNnpRmCl/F7vCsTewyHwAGZgfQa7pzd2IWzi2ZUZnKFnIZg==',
        '-----END PUBLIC KEY-----',
      ].join('\n'),
      rekorUrl: 'https://rekor.internal.example.com',
    }),
  }),
  single('signed-images-vault-agent', 'signed images and keys from the Vault Agent injector: the policy admits exactly the pinned agent image the injector adds', {
    imageSignature: ImageSignature.keyless({
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'https://github.com/acme/gateway/.github/workflows/release.yaml@refs/heads/main',
    }),
    credentials: [ExchangeCredentials.fromVaultAgent('deribit-keys', {
      vault: VaultEndpoint.inCluster({ namespace: 'vault' }),
      role: 'trading-gateway',
      agentImage: `hashicorp/vault:1.21.1@${DIGEST}`,
      files: { 'api-key': VaultSecret.kv2('secret/data/trading/deribit', 'clientId'), 'api-secret': VaultSecret.kv2('secret/data/trading/deribit', 'clientSecret') },
    })],
  }),
];
