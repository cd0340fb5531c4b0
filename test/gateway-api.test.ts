import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  ClientCertificateAuthority,
  EdgeAuthentication,
  GatewayApi,
  SecureTradingApi,
  GatewayImplementation,
  IngressController,
  ServiceExposure,
  TlsCertificate,
} from '../src';
import { controlViolations } from './controls';
import { baseProps, errorOf, only, synth } from './util';

const EXISTING = GatewayApi.existing({ gatewayName: 'edge', gatewayNamespace: 'gateways', sectionName: 'https' });
const OWN = GatewayApi.own({ gatewayClassName: 'eg' });

describe('Gateway API exposure: an existing Gateway', () => {
  test('an HTTPRoute attached to the named listener of the named Gateway, and no Ingress', () => {
    const { manifest, api } = synth({ gatewayApi: EXISTING, tls: undefined });
    expect(manifest.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(manifest.filter((o) => o.kind === 'Gateway')).toEqual([]);
    const route = only(manifest, 'HTTPRoute');
    const service = only(manifest, 'Service');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toMatchObject({ name: 'gateway', namespace: 'trading' });
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['api.trading.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: service.metadata.name, port: service.spec.ports[0].port }],
      }],
    });
    expect(api.httpRoute).toBeDefined();
    expect(api.ingress).toBeUndefined();
    expect(api.gateway).toBeUndefined();
  });

  test('a Gateway in the service\'s namespace: the parent reference names no namespace', () => {
    const { manifest } = synth({ gatewayApi: GatewayApi.existing({ gatewayName: 'edge', sectionName: 'https' }), tls: undefined });
    expect(only(manifest, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'https' }]);
  });

  test('the NetworkPolicy admits only the Gateway\'s Envoy proxy pods (Envoy Gateway\'s labels) to the API port', () => {
    const { manifest } = synth({ gatewayApi: EXISTING, tls: undefined });
    const allow = only(manifest, 'NetworkPolicy', 'gateway-allow');
    expect(allow.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'envoy',
          'app.kubernetes.io/component': 'proxy',
          'gateway.envoyproxy.io/owning-gateway-name': 'edge',
          'gateway.envoyproxy.io/owning-gateway-namespace': 'gateways',
        },
      },
    }]);
  });

  test('another implementation: its proxy pods, no policy objects', () => {
    const { manifest } = synth({
      tls: undefined,
      gatewayApi: GatewayApi.existing({
        gatewayName: 'edge',
        sectionName: 'https',
        implementation: GatewayImplementation.other({ proxyNamespace: 'istio-ingress', proxyPodLabels: { istio: 'ingressgateway' } }),
      }),
    });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } },
      podSelector: { matchLabels: { istio: 'ingressgateway' } },
    });
    expect(manifest.filter((o) => o.apiVersion.startsWith('gateway.envoyproxy.io'))).toEqual([]);
  });

  test('meets every hardening control', () => {
    expect(controlViolations(synth({ gatewayApi: EXISTING, tls: undefined }).manifest, 'trading')).toEqual([]);
  });
});

describe('Gateway API exposure: the service\'s own Gateway', () => {
  test('one HTTPS listener for the host, the TLS Secret, routes from the namespace only; no HTTP listener', () => {
    const { manifest, api } = synth({ gatewayApi: OWN });
    const gateway = only(manifest, 'Gateway');
    expect(gateway.metadata).toMatchObject({ name: 'gateway', namespace: 'trading' });
    expect(gateway.metadata.annotations).toBeUndefined();
    expect(gateway.spec).toEqual({
      gatewayClassName: 'eg',
      listeners: [{
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        hostname: 'api.trading.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'gateway-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
      }],
    });
    expect(only(manifest, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway', sectionName: 'https' }]);
    expect(api.gateway).toBeDefined();
  });

  test('cert-manager: the gateway-shim annotations on the Gateway, the Secret named after the service', () => {
    const { manifest } = synth({
      gatewayApi: OWN,
      tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt', { duration: '2160h', renewBefore: '720h' }),
    });
    const gateway = only(manifest, 'Gateway');
    expect(gateway.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt', 'cert-manager.io/duration': '2160h', 'cert-manager.io/renew-before': '720h',
    });
    expect(gateway.spec.listeners[0].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'gateway-tls' }]);
  });

  test('the NetworkPolicy admits the proxy pods of the service\'s own Gateway', () => {
    const { manifest } = synth({ gatewayApi: OWN });
    expect(only(manifest, 'NetworkPolicy', 'gateway-allow').spec.ingress[0].from[0].podSelector.matchLabels).toMatchObject({
      'gateway.envoyproxy.io/owning-gateway-name': 'gateway',
      'gateway.envoyproxy.io/owning-gateway-namespace': 'trading',
    });
  });

  test('meets every hardening control', () => {
    expect(controlViolations(synth({ gatewayApi: OWN }).manifest, 'trading')).toEqual([]);
  });
});

describe('Edge protections with Envoy Gateway', () => {
  test('by default: a BackendTrafficPolicy of 20 requests per second per client address, no SecurityPolicy', () => {
    const { manifest } = synth({ gatewayApi: OWN });
    const policy = only(manifest, 'BackendTrafficPolicy');
    expect(policy.apiVersion).toBe('gateway.envoyproxy.io/v1alpha1');
    expect(policy.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'gateway' }],
      rateLimit: {
        local: {
          rules: [
            { clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: '0.0.0.0/0' } }], limit: { requests: 20, unit: 'Second' } },
            { clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: '::/0' } }], limit: { requests: 20, unit: 'Second' } },
          ],
        },
      },
    });
    expect(manifest.filter((o) => o.kind === 'SecurityPolicy')).toEqual([]);
  });

  test('allow-list, rate, body limit and connect timeout rendered', () => {
    const { manifest, api } = synth({
      gatewayApi: EXISTING,
      tls: undefined,
      edgeProtection: { requestsPerSecond: 5, clientIpAllowList: ['198.51.100.0/24', '2001:db8::/48'], maxRequestBodySize: '64Ki', connectTimeoutSeconds: 3 },
    });
    const security = only(manifest, 'SecurityPolicy');
    expect(security.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'gateway' }],
      authorization: {
        defaultAction: 'Deny',
        rules: [{ name: 'client-ip-allow-list', action: 'Allow', principal: { clientCIDRs: ['198.51.100.0/24', '2001:db8::/48'] } }],
      },
    });
    const traffic = only(manifest, 'BackendTrafficPolicy').spec;
    expect(traffic.rateLimit.local.rules[0].limit).toEqual({ requests: 5, unit: 'Second' });
    expect(traffic.requestBuffer).toEqual({ limit: '65536' });
    expect(traffic.timeout).toEqual({ tcp: { connectTimeout: '3s' } });
    expect(api.gatewaySecurityPolicy).toBeDefined();
    expect(api.gatewayTrafficPolicy).toBeDefined();
  });

  test.each([
    ['burstMultiplier', { burstMultiplier: 2 }],
    ['readTimeoutSeconds', { readTimeoutSeconds: 30 }],
    ['sendTimeoutSeconds', { sendTimeoutSeconds: 30 }],
  ])('%s cannot be enforced by Envoy Gateway: refused, never dropped', (field, edgeProtection) => {
    const message = errorOf(() => synth({ gatewayApi: OWN, edgeProtection }));
    expect(message).toContain(`edgeProtection.${field}`);
    expect(message).toContain('cannot be enforced with Envoy Gateway');
  });

  test('another implementation refuses every protection', () => {
    const message = errorOf(() => synth({
      gatewayApi: GatewayApi.own({ gatewayClassName: 'other', implementation: GatewayImplementation.other({ proxyNamespace: 'edge', proxyPodLabels: { app: 'proxy' } }) }),
      edgeProtection: { requestsPerSecond: 5 },
    }));
    expect(message).toContain('edgeProtection.requestsPerSecond');
    expect(message).toContain('GatewayImplementation.other()');
  });
});

describe('trustedProxyHops: the client address behind proxies, on the service\'s own Gateway only', () => {
  test('a ClientTrafficPolicy on the own Gateway reads X-Forwarded-For that many hops from the right', () => {
    const { manifest } = synth({ gatewayApi: OWN, edgeProtection: { trustedProxyHops: 2 } });
    expect(only(manifest, 'ClientTrafficPolicy').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: only(manifest, 'Gateway').metadata.name }],
      clientIPDetection: { xForwardedFor: { numTrustedHops: 2 } },
    });
  });

  test('with a client CA too, one policy holds both', () => {
    const { manifest } = synth({ gatewayApi: OWN, edgeProtection: { trustedProxyHops: 1, clientCertificateAuthority: ClientCertificateAuthority.fromSecret('client-ca') } });
    const spec = only(manifest, 'ClientTrafficPolicy').spec;
    expect(spec.clientIPDetection).toEqual({ xForwardedFor: { numTrustedHops: 1 } });
    expect(spec.tls.clientValidation.caCertificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'client-ca' }]);
  });

  test('without it, no ClientTrafficPolicy: the connection\'s address is the client\'s', () => {
    const { manifest } = synth({ gatewayApi: OWN });
    expect(manifest.filter((o) => o.kind === 'ClientTrafficPolicy')).toEqual([]);
  });

  test.each([
    ['an existing Gateway', { gatewayApi: EXISTING, tls: undefined, edgeProtection: { trustedProxyHops: 1 } }, /edgeProtection\.trustedProxyHops.*existing Gateway/s],
    ['ingress-nginx', { edgeProtection: { trustedProxyHops: 1 } }, /edgeProtection\.trustedProxyHops.*ingress-nginx trusts X-Forwarded-For.*use-forwarded-headers/s],
    ['zero', { gatewayApi: OWN, edgeProtection: { trustedProxyHops: 0 } }, /edgeProtection\.trustedProxyHops.*\(got 0\)/s],
    ['six', { gatewayApi: OWN, edgeProtection: { trustedProxyHops: 6 } }, /edgeProtection\.trustedProxyHops.*\(got 6\)/s],
    ['a string', { gatewayApi: OWN, edgeProtection: { trustedProxyHops: '1' as any } }, /edgeProtection\.trustedProxyHops.*\(got "1"\)/s],
  ])('refused with %s, by name', (_name, props, message) => {
    expect(errorOf(() => synth(props as any))).toMatch(message);
  });
});

describe('Gateway API exposure: refused props', () => {
  test.each([
    ['ingressController', { ingressController: IngressController.ingressNginx() }],
    ['ingressAnnotations', { ingressAnnotations: { 'example.com/owner': 'trading' } }],
  ])('%s configures an Ingress, which the service does not have', (prop, overrides) => {
    const message = errorOf(() => synth({ gatewayApi: OWN, ...overrides }));
    expect(message).toContain(`${prop}`);
    expect(message).toContain('exposed with gatewayApi');
  });

  test('tls with an existing Gateway: the listener holds the certificate', () => {
    expect(errorOf(() => synth({ gatewayApi: EXISTING }))).toContain('has no effect with GatewayApi.existing()');
  });

  test('tls is required for the service\'s own Gateway', () => {
    expect(errorOf(() => synth({ gatewayApi: OWN, tls: undefined }))).toContain('tls');
  });

  test('gatewayApi on an INTERNAL service', () => {
    const message = errorOf(() => synth({ gatewayApi: OWN, exposure: ServiceExposure.INTERNAL, host: undefined, tls: undefined }));
    expect(message).toContain('gatewayApi');
    expect(message).toContain('ServiceExposure.INTERNAL');
  });

  test.each([
    ['gatewayApi.sectionName', GatewayApi.existing({ gatewayName: 'edge', sectionName: '' })],
    ['gatewayApi.gatewayName', GatewayApi.existing({ gatewayName: 'Edge!', sectionName: 'https' })],
    ['gatewayApi.gatewayClassName', GatewayApi.own({ gatewayClassName: undefined as unknown as string })],
    ['gatewayApi.implementation.proxyPodLabels', GatewayApi.own({
      gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway({ proxyPodLabels: {} }),
    })],
  ])('a bad %s names the prop', (prop, gatewayApi) => {
    const tls = gatewayApi.gatewayClassName === undefined && gatewayApi.gatewayName !== undefined ? undefined : TlsCertificate.fromSecret('gateway-tls');
    expect(errorOf(() => synth({ gatewayApi, tls }))).toContain(prop);
  });

  test('a plain object instead of a GatewayApi', () => {
    expect(errorOf(() => synth({ gatewayApi: { mode: 'OWN_GATEWAY' } as unknown as GatewayApi }))).toContain('must be a GatewayApi');
  });
});

describe('the guard holds the Gateway API output after construction', () => {
  function synthAfter(change: (api: SecureTradingApi) => void): string {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ gatewayApi: OWN }));
    change(api);
    return errorOf(() => Testing.synth(chart));
  }

  describe('GW-EDGE-SECURED: the SecurityPolicy keeps enforcing what the edge declares', () => {
    const SECURED = {
      gatewayApi: OWN,
      edgeProtection: {
        clientIpAllowList: ['198.51.100.0/24'],
        authentication: EdgeAuthentication.jwt({ issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }),
      },
    };
    function securedAfter(change: (api: SecureTradingApi) => void): string {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
      const api = new SecureTradingApi(chart, 'gateway', baseProps(SECURED));
      change(api);
      return errorOf(() => Testing.synth(chart));
    }

    test('the route declares what its SecurityPolicy must enforce', () => {
      expect(only(synth(SECURED).manifest, 'HTTPRoute').metadata.annotations['secure-trading-api.io/edge-security']).toBe('jwt,client-ip-allow-list');
    });

    test('the library\'s own output passes', () => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
      new SecureTradingApi(chart, 'gateway', baseProps(SECURED));
      expect(() => Testing.synth(chart)).not.toThrow();
    });

    test.each([
      ['the SecurityPolicy removed', (api: SecureTradingApi) => api.node.tryRemoveChild(api.gatewaySecurityPolicy!.node.id), 'no SecurityPolicy'],
      ['retargeted to another route', (api: SecureTradingApi) => api.gatewaySecurityPolicy!.addJsonPatch(JsonPatch.replace('/spec/targetRefs/0/name', 'other')), 'no SecurityPolicy'],
      ['the allow-list default switched to Allow', (api: SecureTradingApi) => api.gatewaySecurityPolicy!.addJsonPatch(JsonPatch.replace('/spec/authorization/defaultAction', 'Allow')), 'does not deny'],
      ['an allow rule for every address', (api: SecureTradingApi) => api.gatewaySecurityPolicy!.addJsonPatch(JsonPatch.add('/spec/authorization/rules/-', { name: 'everyone', action: 'Allow', principal: { clientCIDRs: ['0.0.0.0/0'] } })), 'does not deny'],
      ['the JWT providers removed', (api: SecureTradingApi) => api.gatewaySecurityPolicy!.addJsonPatch(JsonPatch.remove('/spec/jwt')), 'validates no JWT'],
    ])('%s fails synth', (_name, change, words) => {
      const message = securedAfter(change);
      expect(message).toContain('GW-EDGE-SECURED');
      expect(message).toContain(words);
    });
  });

  test('removing the BackendTrafficPolicy fails synth (GW-RATE-LIMITED)', () => {
    expect(synthAfter((api) => api.node.tryRemoveChild(api.gatewayTrafficPolicy!.node.id))).toContain('GW-RATE-LIMITED');
  });

  test('a plain-HTTP listener added to the own Gateway fails synth (GW-HTTPS-ONLY)', () => {
    const http = { name: 'http', protocol: 'HTTP', port: 80, hostname: 'api.trading.example.com' };
    expect(synthAfter((api) => api.gateway!.addJsonPatch(JsonPatch.add('/spec/listeners/-', http)))).toContain('GW-HTTPS-ONLY');
  });

  test('the route declares Envoy Gateway, which the rule reads', () => {
    expect(only(synth({ gatewayApi: OWN }).manifest, 'HTTPRoute').metadata.annotations).toEqual({ 'secure-trading-api.io/gateway-implementation': 'envoy-gateway' });
  });
});
