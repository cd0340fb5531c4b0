import { Chart, Testing } from 'cdk8s';
import { IngressController, SecureTradingApi, TlsCertificate } from '../src';
import { controlViolations } from './controls';
import { baseProps, only, synth } from './util';
import { resolveConfig } from '../src/config';

const NGINX = 'nginx.ingress.kubernetes.io';
const REASON = 'the API serves gRPC, accepted by the platform security review (ticket SEC-123)';

describe('TLS Ingress', () => {
  test('serves the host over TLS from the given Secret, backed by the Service by port name', () => {
    const { manifest } = synth();
    const ingress = only(manifest, 'Ingress');
    const service = only(manifest, 'Service');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['api.trading.example.com'], secretName: 'gateway-tls' }],
      rules: [{
        host: 'api.trading.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: 'http' } } } }] },
      }],
    });
    expect(service.spec.ports.map((p: any) => p.name)).toContain('http');
  });

  test('cert-manager ClusterIssuer: annotation, and the certificate Secret named after the service', () => {
    const { manifest } = synth({ tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt') });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.metadata.annotations['cert-manager.io/issuer']).toBeUndefined();
    expect(ingress.metadata.annotations['cert-manager.io/duration']).toBeUndefined();
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.trading.example.com'], secretName: 'gateway-tls' }]);
  });

  test('cert-manager Issuer', () => {
    const { manifest } = synth({ tls: TlsCertificate.fromCertManagerIssuer('trading-ca') });
    expect(only(manifest, 'Ingress').metadata.annotations['cert-manager.io/issuer']).toBe('trading-ca');
  });

  test.each([
    ['Issuer', TlsCertificate.fromCertManagerIssuer('trading-ca', { duration: '720h', renewBefore: '240h30m' })],
    ['ClusterIssuer', TlsCertificate.fromCertManagerClusterIssuer('letsencrypt', { duration: '720h', renewBefore: '240h30m' })],
  ])('cert-manager %s: the certificate duration and renewal time as ingress-shim annotations', (_kind, tls) => {
    const annotations = only(synth({ tls }).manifest, 'Ingress').metadata.annotations;
    expect(annotations['cert-manager.io/duration']).toBe('720h');
    expect(annotations['cert-manager.io/renew-before']).toBe('240h30m');
  });

  test('cert-manager duration alone', () => {
    const annotations = only(synth({ tls: TlsCertificate.fromCertManagerIssuer('ca', { duration: '1h' }) }).manifest, 'Ingress').metadata.annotations;
    expect(annotations['cert-manager.io/duration']).toBe('1h');
    expect(annotations['cert-manager.io/renew-before']).toBeUndefined();
  });
});

describe('ingress-nginx', () => {
  test('by default: HTTPS forced and 20 requests per second per client, nothing else', () => {
    const { manifest } = synth();
    expect(only(manifest, 'Ingress').metadata.annotations).toEqual({
      [`${NGINX}/force-ssl-redirect`]: 'true',
      [`${NGINX}/limit-rps`]: '20',
    });
  });

  test('every edge protection, rendered as its annotation', () => {
    const { manifest } = synth({
      edgeProtection: {
        requestsPerSecond: 5,
        burstMultiplier: 2,
        clientIpAllowList: ['198.51.100.0/24', '2001:DB8::/48'],
        maxRequestBodySize: '256Ki',
        readTimeoutSeconds: 30,
        sendTimeoutSeconds: 20,
        connectTimeoutSeconds: 3,
      },
    });
    expect(only(manifest, 'Ingress').metadata.annotations).toEqual({
      [`${NGINX}/force-ssl-redirect`]: 'true',
      [`${NGINX}/limit-rps`]: '5',
      [`${NGINX}/limit-burst-multiplier`]: '2',
      // the key current ingress-nginx reads; IPv6 written canonically
      [`${NGINX}/allowlist-source-range`]: '198.51.100.0/24,2001:db8::/48',
      [`${NGINX}/proxy-body-size`]: '256k',
      [`${NGINX}/proxy-read-timeout`]: '30',
      [`${NGINX}/proxy-send-timeout`]: '20',
      [`${NGINX}/proxy-connect-timeout`]: '3',
    });
  });

  test.each([
    ['1Mi', '1m'],
    ['64Ki', '64k'],
    ['1M', '1000000'],
    ['1Gi', '1024m'],
    ['1k', '1000'],
    ['2048', '2k'],
  ])('body size %s is rendered exactly as %s', (quantity, rendered) => {
    const { manifest } = synth({ edgeProtection: { maxRequestBodySize: quantity } });
    expect(only(manifest, 'Ingress').metadata.annotations[`${NGINX}/proxy-body-size`]).toBe(rendered);
  });

  test('another IngressClass (nginx-internal) keeps HTTPS forcing and the rate limit: the kind is named, not guessed', () => {
    const { manifest } = synth({
      ingressController: IngressController.ingressNginx({ className: 'nginx-internal' }),
      edgeProtection: { requestsPerSecond: 7 },
    });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx-internal');
    expect(ingress.metadata.annotations).toEqual({
      [`${NGINX}/force-ssl-redirect`]: 'true',
      [`${NGINX}/limit-rps`]: '7',
    });
  });

  test('ownership metadata is kept beside the rendered annotations', () => {
    const { manifest } = synth({ ingressAnnotations: { 'example.com/owner': 'trading-desk', 'team': 'Spot and futures (EU)' } });
    expect(only(manifest, 'Ingress').metadata.annotations).toMatchObject({
      'example.com/owner': 'trading-desk',
      'team': 'Spot and futures (EU)',
      [`${NGINX}/limit-rps`]: '20',
    });
  });
});

describe('Traefik', () => {
  test('its class, a TLS-only router, no nginx annotations', () => {
    const { manifest } = synth({ ingressController: IngressController.traefik() });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.metadata.annotations).toEqual({ 'traefik.ingress.kubernetes.io/router.tls': 'true' });
  });
});

describe('another controller', () => {
  test('its class and no controller annotations', () => {
    const { manifest } = synth({
      ingressController: IngressController.other({ className: 'haproxy', namespace: 'haproxy', podLabels: { app: 'haproxy' } }),
      tls: TlsCertificate.fromCertManagerIssuer('ca'),
    });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('haproxy');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'ca' });
  });
});

describe('unsafeIngressAnnotations: the visible opt-in', () => {
  test('passes controller keys through, with the reason as an annotation and in the resolved configuration', () => {
    const props = baseProps({
      unsafeIngressAnnotations: { reason: REASON, annotations: { [`${NGINX}/backend-protocol`]: 'GRPC', 'kubernetes.io/ingress.class': 'nginx' } },
    });
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', props);
    const annotations = only(Testing.synth(chart), 'Ingress').metadata.annotations;
    expect(annotations[`${NGINX}/backend-protocol`]).toBe('GRPC');
    expect(annotations['kubernetes.io/ingress.class']).toBe('nginx');
    expect(annotations['secure-trading-api.io/unsafe-annotations-reason']).toBe(REASON);
    expect(annotations[`${NGINX}/force-ssl-redirect`]).toBe('true');

    const config = resolveConfig(props, 'test', 'gateway', 'trading');
    expect(config.ingress!.unsafeAnnotationsReason).toBe(REASON);
    expect(config.ingress!.unsafeAnnotationKeys).toEqual(['kubernetes.io/ingress.class', `${NGINX}/backend-protocol`]);
    expect(config.ingress!.edge).toEqual({ httpsForced: true, requestsPerSecond: 20, clientIpAllowList: [] });
  });

  test('without the opt-in the resolved configuration says so', () => {
    const config = resolveConfig(baseProps(), 'test', 'gateway', 'trading');
    expect(config.ingress!.unsafeAnnotationsReason).toBeUndefined();
    expect(config.ingress!.unsafeAnnotationKeys).toEqual([]);
  });

  test('with another controller, its annotations are the way to configure it', () => {
    const { manifest } = synth({
      ingressController: IngressController.traefik(),
      unsafeIngressAnnotations: { reason: REASON, annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'trading-ratelimit@kubernetescrd' } },
    });
    expect(only(manifest, 'Ingress').metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/router.tls': 'true',
      'traefik.ingress.kubernetes.io/router.middlewares': 'trading-ratelimit@kubernetescrd',
    });
  });
});

test('never a snippet annotation', () => {
  const { manifest } = synth({ tls: TlsCertificate.fromCertManagerIssuer('ca') });
  const keys = Object.keys(only(manifest, 'Ingress').metadata.annotations);
  expect(keys.filter((k) => /snippet/.test(k))).toEqual([]);
});

describe('the Ingress controls catch what the library refuses', () => {
  const violationsWith = (edit: (ingress: any) => void): string[] => {
    const { manifest } = synth();
    edit(only(manifest, 'Ingress'));
    return controlViolations(manifest, 'trading');
  };

  test('the library\'s own output has none', () => {
    expect(violationsWith(() => undefined)).toEqual([]);
  });

  test.each<[string, (ingress: any) => void, string]>([
    ['TLS passthrough', (i) => { i.metadata.annotations[`${NGINX}/ssl-passthrough`] = 'true'; }, 'ssl-passthrough"]: passes TLS through to the pod'],
    ['a rate-limit exemption', (i) => { i.metadata.annotations[`${NGINX}/limit-whitelist`] = '10.0.0.0/8'; }, 'limit-whitelist"]: exempts clients from the rate limit'],
    ['the redirect off', (i) => { i.metadata.annotations[`${NGINX}/ssl-redirect`] = 'false'; }, 'ssl-redirect"]: switches the HTTPS redirect off'],
    ['an injected value', (i) => { i.metadata.annotations[`${NGINX}/auth-url`] = 'http://a/;}'; }, 'ING-NO-CONFIG-INJECTION Ingress trading/gateway metadata.annotations["nginx.ingress.kubernetes.io/auth-url"]: value "http://a/;}" contains \";\", which controller configuration can interpret'],
    ['no rate limit', (i) => { delete i.metadata.annotations[`${NGINX}/limit-rps`]; }, 'an ingress-nginx Ingress without forced HTTPS (force-ssl-redirect: "true") and a per-client rate limit (limit-rps)'],
    ['a contradicting class', (i) => { i.metadata.annotations['kubernetes.io/ingress.class'] = 'public'; }, 'contradicts spec.ingressClassName'],
    ['oversized annotations', (i) => { i.metadata.annotations['example.com/blob'] = 'a'.repeat(257 * 1024); }, 'more than the API server\'s limit of 262144 bytes'],
  ])('%s', (_title, edit, words) => {
    expect(violationsWith(edit).join('\n')).toContain(words);
  });
});
