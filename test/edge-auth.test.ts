import {
  ClientCertificateAuthority,
  EdgeAuthentication,
  GatewayApi,
  IngressController,
  TlsCertificate,
} from '../src';
import { controlViolations } from './controls';
import { errorOf, only, synth } from './util';

const NGINX = 'nginx.ingress.kubernetes.io';
const OWN = GatewayApi.own({ gatewayClassName: 'eg' });
const EXISTING = GatewayApi.existing({ gatewayName: 'edge', gatewayNamespace: 'gateways', sectionName: 'https' });
const JWT = EdgeAuthentication.jwt({ issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['trading-api'] });
const OIDC = EdgeAuthentication.oidc({ issuer: 'https://auth.example.com/', clientId: 'trading', clientSecretName: 'trading-oidc' });
const OAUTH2_PROXY = EdgeAuthentication.externalService({
  url: 'http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth',
  signinUrl: 'https://auth.trading.example.com/oauth2/start',
  responseHeaders: ['X-Auth-Request-User', 'X-Auth-Request-Email'],
});

describe('mutual TLS with a client CA', () => {
  test('ingress-nginx: auth-tls-secret as namespace/name, client certificates required', () => {
    const { manifest } = synth({ edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromSecret('trading-client-ca') } });
    const annotations = only(manifest, 'Ingress').metadata.annotations;
    expect(annotations[`${NGINX}/auth-tls-secret`]).toBe('trading/trading-client-ca');
    expect(annotations[`${NGINX}/auth-tls-verify-client`]).toBe('on');
    expect(controlViolations(manifest, 'trading')).toEqual([]);
  });

  test('ingress-nginx refuses a ConfigMap CA', () => {
    expect(errorOf(() => synth({ edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromConfigMap('ca') } })))
      .toContain('ingress-nginx reads the client CA from a Secret only');
  });

  test.each([
    ['Secret', ClientCertificateAuthority.fromSecret('trading-client-ca')],
    ['ConfigMap', ClientCertificateAuthority.fromConfigMap('trading-client-ca')],
  ])('Envoy Gateway, own Gateway: a ClientTrafficPolicy on the Gateway with the CA %s', (kind, clientCertificateAuthority) => {
    const { manifest, api } = synth({ gatewayApi: OWN, edgeProtection: { clientCertificateAuthority } });
    const policy = only(manifest, 'ClientTrafficPolicy');
    expect(policy.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway' }],
      tls: { clientValidation: { caCertificateRefs: [{ group: '', kind, name: 'trading-client-ca' }] } },
    });
    expect(api.gatewayClientPolicy).toBeDefined();
  });

  test('Envoy Gateway, existing Gateway: refused, the Gateway belongs to its owner', () => {
    expect(errorOf(() => synth({
      gatewayApi: EXISTING, tls: undefined, edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromSecret('ca') },
    }))).toContain('cannot be enforced on an existing Gateway');
  });

  test('Traefik refuses it', () => {
    expect(errorOf(() => synth({
      ingressController: IngressController.traefik(), edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromSecret('ca') },
    }))).toContain('edgeProtection.clientCertificateAuthority');
  });

  test('a bad name', () => {
    expect(errorOf(() => synth({ edgeProtection: { clientCertificateAuthority: ClientCertificateAuthority.fromSecret('Bad_Name') } })))
      .toMatch(/ {2}- edgeProtection\.clientCertificateAuthority: .*"Bad_Name"/);
  });
});

describe('authentication at the edge', () => {
  test('ingress-nginx with an external service (oauth2-proxy): auth-url, auth-signin, auth-response-headers, no snippet', () => {
    const { manifest } = synth({ edgeProtection: { authentication: OAUTH2_PROXY } });
    const annotations = only(manifest, 'Ingress').metadata.annotations;
    expect(annotations[`${NGINX}/auth-url`]).toBe('http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth');
    expect(annotations[`${NGINX}/auth-signin`]).toBe('https://auth.trading.example.com/oauth2/start');
    expect(annotations[`${NGINX}/auth-response-headers`]).toBe('X-Auth-Request-User,X-Auth-Request-Email');
    expect(Object.keys(annotations).filter((k) => k.includes('snippet'))).toEqual([]);
    expect(controlViolations(manifest, 'trading')).toEqual([]);
  });

  test.each([['jwt', JWT], ['oidc', OIDC]])('ingress-nginx refuses EdgeAuthentication.%s: it validates no token itself', (_name, authentication) => {
    expect(errorOf(() => synth({ edgeProtection: { authentication } }))).toContain('cannot be enforced with ingress-nginx');
  });

  test('Envoy Gateway: a JWT validated on the route, with the client allow-list in the same SecurityPolicy', () => {
    const { manifest } = synth({ gatewayApi: EXISTING, tls: undefined, edgeProtection: { authentication: JWT, clientIpAllowList: ['198.51.100.0/24'] } });
    const spec = only(manifest, 'SecurityPolicy').spec;
    expect(spec.jwt).toEqual({
      providers: [{
        name: 'edge', issuer: 'https://auth.example.com/', remoteJWKS: { uri: 'https://auth.example.com/.well-known/jwks.json' }, audiences: ['trading-api'],
      }],
    });
    expect(spec.authorization.rules[0].principal).toEqual({ clientCIDRs: ['198.51.100.0/24'] });
  });

  test('Envoy Gateway: an OIDC login with the client secret by reference', () => {
    const { manifest } = synth({ gatewayApi: OWN, tls: TlsCertificate.fromSecret('api-tls'), edgeProtection: { authentication: OIDC } });
    expect(only(manifest, 'SecurityPolicy').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'gateway' }],
      oidc: { provider: { issuer: 'https://auth.example.com/' }, clientID: 'trading', clientSecret: { group: '', kind: 'Secret', name: 'trading-oidc' } },
    });
  });

  test('Envoy Gateway refuses an external service URL', () => {
    expect(errorOf(() => synth({ gatewayApi: OWN, edgeProtection: { authentication: OAUTH2_PROXY } })))
      .toContain('cannot be enforced with Envoy Gateway as given');
  });

  test.each([
    ['edgeProtection.authentication.issuer', EdgeAuthentication.jwt({ issuer: 'http://auth.example.com/', jwksUri: 'https://auth.example.com/jwks' })],
    ['edgeProtection.authentication.jwksUri', EdgeAuthentication.jwt({ issuer: 'https://auth.example.com/', jwksUri: 'not a url' })],
    ['edgeProtection.authentication.audiences', EdgeAuthentication.jwt({ issuer: 'https://a.example.com/', jwksUri: 'https://a.example.com/k', audiences: [] })],
    ['edgeProtection.authentication.clientSecretName', EdgeAuthentication.oidc({ issuer: 'https://a.example.com/', clientId: 'x', clientSecretName: '' })],
    ['edgeProtection.authentication.url', EdgeAuthentication.externalService({ url: 'http://auth.example.com/$request_uri' })],
    ['edgeProtection.authentication.signinUrl', EdgeAuthentication.externalService({ url: 'http://auth.example.com/', signinUrl: 'http://auth.example.com/start' })],
    ['edgeProtection.authentication.responseHeaders[0]', EdgeAuthentication.externalService({ url: 'http://auth.example.com/', responseHeaders: ['X User'] })],
  ])('a bad %s is refused by name', (prop, authentication) => {
    const gatewayApi = authentication.kind === 'EXTERNAL' ? undefined : OWN;
    expect(errorOf(() => synth({ gatewayApi, edgeProtection: { authentication } }))).toContain(prop);
  });

  test('a plain object instead of an EdgeAuthentication', () => {
    expect(errorOf(() => synth({ edgeProtection: { authentication: { kind: 'JWT' } as unknown as EdgeAuthentication } })))
      .toContain('must be an EdgeAuthentication');
  });
});
