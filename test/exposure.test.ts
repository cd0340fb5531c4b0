import { TlsCertificate } from '../src';
import { only, synth } from './util';

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

  test('with ingress-nginx: HTTPS forced and a per-client rate limit', () => {
    const { manifest } = synth({ requestsPerSecond: 5 });
    expect(only(manifest, 'Ingress').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/limit-rps': '5',
    });
  });

  test('cert-manager ClusterIssuer: annotation, and the certificate Secret named after the service', () => {
    const { manifest } = synth({ tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt') });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.metadata.annotations['cert-manager.io/issuer']).toBeUndefined();
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.trading.example.com'], secretName: 'gateway-tls' }]);
  });

  test('cert-manager Issuer', () => {
    const { manifest } = synth({ tls: TlsCertificate.fromCertManagerIssuer('trading-ca') });
    expect(only(manifest, 'Ingress').metadata.annotations['cert-manager.io/issuer']).toBe('trading-ca');
  });

  test('another ingress class: its name, no nginx annotations, user annotations kept', () => {
    const { manifest } = synth({ ingressClassName: 'traefik', ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.tls': 'true' } });
    const ingress = only(manifest, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.metadata.annotations).toEqual({ 'traefik.ingress.kubernetes.io/router.tls': 'true' });
  });

  test('never a snippet annotation', () => {
    const { manifest } = synth({ tls: TlsCertificate.fromCertManagerIssuer('ca') });
    const keys = Object.keys(only(manifest, 'Ingress').metadata.annotations);
    expect(keys.filter((k) => /snippet/.test(k))).toEqual([]);
  });
});
