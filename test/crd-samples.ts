/**
 * One minimal, valid object of each custom resource kind the library's features emit, built with the
 * typed classes generated into src/imports/ (`npx projen import:crds`). test/imports.test.ts checks the
 * apiVersion and kind each class emits; scripts/synth-crd-samples.ts writes them to a folder for
 * `scripts/apiserver-test.sh --checks crds`, where the real API server validates them against the
 * pinned CRDs. The expected apiVersion and kind are written out here, not read from the classes, so
 * that a regenerated class that changed either is caught.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageSignature, SecureTradingApi, SecureTradingApiProps, ServiceExposure, TlsCertificate } from '../src';
import {
  CiliumEgressGatewayPolicy,
  CiliumNetworkPolicy,
  CiliumNetworkPolicySpecEgressToPortsPortsProtocol,
} from '../src/imports/cilium.io';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../src/imports/external-secrets.io';
import {
  BackendTrafficPolicy,
  BackendTrafficPolicySpecRateLimitLocalRulesClientSelectorsSourceCidrType,
  BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit,
  BackendTrafficPolicySpecRequestBufferLimit,
  ClientTrafficPolicy,
  ClientTrafficPolicySpecTlsMinVersion,
  SecurityPolicy,
  SecurityPolicySpecAuthorizationDefaultAction,
  SecurityPolicySpecAuthorizationRulesAction,
} from '../src/imports/gateway.envoyproxy.io';
import { Gateway, GatewaySpecListenersTlsMode, HttpRoute } from '../src/imports/gateway.networking.k8s.io';
import { ClusterPolicy, ClusterPolicySpecValidationFailureAction } from '../src/imports/kyverno.io';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor } from '../src/imports/monitoring.coreos.com';
import { SecretProviderClass } from '../src/imports/secrets-store.csi.x-k8s.io';

/** The namespace of the namespaced samples. */
export const SAMPLE_NAMESPACE = 'crd-samples';

export interface CrdSample {
  readonly apiVersion: string;
  readonly kind: string;
  /** Adds the sample to `scope` under `id`. */
  readonly create: (scope: Construct, id: string) => ApiObject;
}

// An ECDSA P-256 public key (PEM, as cosign writes one) whose private half was thrown away: a
// well-formed value for the schema, trusted by nothing.
const PUBLIC_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgy0vXmlAXj5aGuYDVXw8a/7hukuS',
  'h9ZKGuAvHMSGNnpRmCl/F7vCsTewyHwAGZgfQa7pzd2IWzi2ZUZnKFnIZg==',
  '-----END PUBLIC KEY-----',
].join('\n');

const DIGEST = 'a'.repeat(64);

/**
 * One object exactly as the library emits it for `props` (built in an App of its own, so the samples
 * folder gets that object alone), so the API server validates the library's output, not a look-alike.
 */
function libraryObject(
  scope: Construct, id: string, props: Partial<SecureTradingApiProps>, pick: (api: SecureTradingApi) => ApiObject | undefined,
): ApiObject {
  const chart = new Chart(Testing.app(), 'library', { namespace: SAMPLE_NAMESPACE });
  const api = new SecureTradingApi(chart, 'trading-gateway', {
    image: `registry.example.com/trading/gateway:2.0.1@sha256:${DIGEST}`,
    host: 'api.example.com',
    tls: TlsCertificate.fromSecret('api-tls'),
    ...props,
  });
  const object = pick(api);
  if (!object) {
    throw new Error(`the library emitted no such object for ${JSON.stringify(Object.keys(props))}`);
  }
  return new ApiObject(scope, id, object.toJson());
}

const metadata = (name: string) => ({ name, namespace: SAMPLE_NAMESPACE });
const labels = { 'app.kubernetes.io/name': 'trading-gateway' };

export const CRD_SAMPLES: readonly CrdSample[] = [
  {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    create: (scope, id) => new ExternalSecret(scope, id, {
      metadata: metadata('exchange-api-key'),
      spec: {
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: 'vault' },
        target: { name: 'exchange-api-key' },
        data: [{ secretKey: 'api-key', remoteRef: { key: 'trading/exchange', property: 'api-key' } }],
      },
    }),
  },
  {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    create: (scope, id) => new SecretProviderClass(scope, id, {
      metadata: metadata('exchange-api-key'),
      // The shape fromSecretsStoreCsi emits (provider parameters are free-form strings to the CRD).
      spec: {
        provider: 'vault',
        parameters: {
          vaultAddress: 'https://vault.vault.svc:8200',
          roleName: 'trading-gateway',
          vaultKubernetesMountPath: 'kubernetes',
          audience: 'vault',
          objects: '- objectName: "api-key"\n  secretPath: "secret/data/trading/exchange"\n  secretKey: "apiKey"\n',
        },
      },
    }),
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    create: (scope, id) => new Gateway(scope, id, {
      metadata: metadata('edge'),
      spec: {
        gatewayClassName: 'envoy',
        listeners: [{
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: 'api.example.com',
          tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ name: 'api-tls' }] },
        }],
      },
    }),
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    create: (scope, id) => new HttpRoute(scope, id, {
      metadata: metadata('trading-gateway'),
      spec: {
        parentRefs: [{ name: 'edge', sectionName: 'https' }],
        hostnames: ['api.example.com'],
        rules: [{ backendRefs: [{ name: 'trading-gateway', port: 8080 }] }],
      },
    }),
  },
  {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    create: (scope, id) => new CiliumNetworkPolicy(scope, id, {
      metadata: metadata('exchange-egress'),
      spec: {
        endpointSelector: { matchLabels: labels },
        egress: [{
          toFqdNs: [{ matchName: 'api.exchange.example' }],
          toPorts: [{ ports: [{ port: '443', protocol: CiliumNetworkPolicySpecEgressToPortsPortsProtocol.TCP }] }],
        }],
      },
    }),
  },
  {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumEgressGatewayPolicy',
    create: (scope, id) => new CiliumEgressGatewayPolicy(scope, id, {
      // Cluster-scoped: no namespace.
      metadata: { name: 'trading-egress' },
      spec: {
        selectors: [{
          podSelector: { matchLabels: { ...labels, 'io.kubernetes.pod.namespace': SAMPLE_NAMESPACE } },
        }],
        destinationCidRs: ['203.0.113.0/24'],
        egressGateway: { nodeSelector: { matchLabels: { 'egress-gateway': 'true' } }, egressIp: '198.51.100.10' },
      },
    }),
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    create: (scope, id) => new ServiceMonitor(scope, id, {
      metadata: metadata('trading-gateway'),
      spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'metrics' }] },
    }),
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    create: (scope, id) => new PrometheusRule(scope, id, {
      metadata: metadata('trading-gateway'),
      spec: {
        groups: [{
          name: 'trading-gateway',
          rules: [{ alert: 'TradingGatewayDown', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('up{job="trading-gateway"} == 0'), for: '5m' }],
        }],
      },
    }),
  },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'SecurityPolicy',
    create: (scope, id) => new SecurityPolicy(scope, id, {
      metadata: metadata('trading-gateway'),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'trading-gateway' }],
        // As the exposure part renders them: JWT from a remote key set, and a client allow-list.
        jwt: { providers: [{ name: 'edge', issuer: 'https://auth.example.com/', remoteJwks: { uri: 'https://auth.example.com/jwks.json' }, audiences: ['trading-api'] }] },
        authorization: {
          defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY,
          rules: [{ name: 'client-ip-allow-list', action: SecurityPolicySpecAuthorizationRulesAction.ALLOW, principal: { clientCidRs: ['198.51.100.0/24'] } }],
        },
      },
    }),
  },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
    create: (scope, id) => new BackendTrafficPolicy(scope, id, {
      metadata: metadata('trading-gateway'),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'trading-gateway' }],
        timeout: { http: { requestTimeout: '10s' }, tcp: { connectTimeout: '3s' } },
        // One bucket per client address, and a body limit, as the exposure part renders them.
        rateLimit: {
          local: {
            rules: [{
              clientSelectors: [{ sourceCidr: { type: BackendTrafficPolicySpecRateLimitLocalRulesClientSelectorsSourceCidrType.DISTINCT, value: '0.0.0.0/0' } }],
              limit: { requests: 20, unit: BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit.SECOND },
            }],
          },
        },
        requestBuffer: { limit: BackendTrafficPolicySpecRequestBufferLimit.fromString('65536') },
      },
    }),
  },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'ClientTrafficPolicy',
    create: (scope, id) => new ClientTrafficPolicy(scope, id, {
      metadata: metadata('edge'),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }],
        tls: {
          minVersion: ClientTrafficPolicySpecTlsMinVersion.VALUE_1_2,
          clientValidation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'trading-client-ca' }] },
        },
      },
    }),
  },
  {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    create: (scope, id) => new ClusterPolicy(scope, id, {
      metadata: { name: 'trading-images-signed' },
      spec: {
        validationFailureAction: ClusterPolicySpecValidationFailureAction.ENFORCE,
        rules: [{
          name: 'signed-by-release-key',
          match: { any: [{ resources: { kinds: ['Pod'], namespaces: [SAMPLE_NAMESPACE] } }] },
          verifyImages: [{
            imageReferences: ['registry.example.com/trading/*'],
            attestors: [{ entries: [{ keys: { publicKeys: PUBLIC_KEY } }] }],
          }],
        }],
      },
    }),
  },
  {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    // The library's imageSignature policy, keyless, with a sidecar and an init container.
    create: (scope, id) => libraryObject(scope, id, {
      imageSignature: ImageSignature.keyless({
        issuer: 'https://token.actions.githubusercontent.com',
        subjectRegExp: '^https://github\\.com/acme/gateway/\\.github/workflows/release\\.yaml@refs/tags/v.*$',
      }),
      sidecars: [{ name: 'log-shipper', image: `ghcr.io/acme/log-shipper:3.1@sha256:${DIGEST}`, port: 9400 }],
      initContainers: [{ name: 'wait', image: `busybox:1.36@sha256:${DIGEST}` }],
    }, (api) => api.imageSignaturePolicy),
  },
  {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    // The library's imageSignature policy with a cosign public key.
    create: (scope, id) => libraryObject(scope, id, { imageSignature: ImageSignature.publicKey({ pem: PUBLIC_KEY }) },
      (api) => api.imageSignaturePolicy),
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    // The library's PodMonitor of a worker without a Service.
    create: (scope, id) => libraryObject(scope, id,
      { exposure: ServiceExposure.NONE, host: undefined, tls: undefined, metrics: { port: 9100 }, monitoring: {} },
      (api) => api.podMonitor),
  },
];
