import { App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { ExchangeCredentials, SecureTradingApi, TlsCertificate } from '../src';
import { baseProps, errorOf } from './util';

describe('services in one App must not collide', () => {
  test('two services on one host are refused, across namespaces too, and nothing is left behind', () => {
    const app = Testing.app();
    new SecureTradingApi(new Chart(app, 'spot', { namespace: 'spot' }), 'gateway', baseProps());
    const futures = new Chart(app, 'futures', { namespace: 'futures' });
    const message = errorOf(() => new SecureTradingApi(futures, 'gateway', baseProps()));
    expect(message).toContain('SecureTradingApi \'futures/gateway\'');
    expect(message).toContain('  - host: conflicts with spot/gateway (got "api.trading.example.com")');
    expect(message).toContain('give each service its own host');
    expect(futures.node.children).toHaveLength(0);
    // A retry with the same id works.
    expect(() => new SecureTradingApi(futures, 'gateway', baseProps({ host: 'futures.trading.example.com' }))).not.toThrow();
  });

  test('a TLS Secret that is the same service\'s credential Secret is refused', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const message = errorOf(() => new SecureTradingApi(chart, 'gateway', baseProps({ tls: TlsCertificate.fromSecret('exchange-keys') })));
    expect(message).toContain('  - tls: is also one of this service\'s credential Secrets (got "exchange-keys")');
    expect(message).toContain('cert-manager would overwrite the exchange keys');
  });

  test('a cert-manager TLS Secret named like another service\'s credentials is refused, in either order', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps({ credentials: [ExchangeCredentials.fromSecret('router-tls')] }));
    const message = errorOf(() => new SecureTradingApi(chart, 'router', baseProps({
      host: 'router.trading.example.com', tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt'),
    })));
    expect(message).toContain('  - tls: conflicts with test/gateway (got "router-tls")');

    const other = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    new SecureTradingApi(other, 'router', baseProps({ host: 'router.trading.example.com', tls: TlsCertificate.fromCertManagerIssuer('ca') }));
    expect(errorOf(() => new SecureTradingApi(other, 'gateway', baseProps({ credentials: [ExchangeCredentials.fromSecret('router-tls')] }))))
      .toContain('  - credentials: conflicts with test/router (got "router-tls")');
  });

  test('one certificate Secret for two hosts, shared keys, and the same Secret name in two namespaces are fine', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'trading' });
    new SecureTradingApi(chart, 'gateway', baseProps());
    expect(() => new SecureTradingApi(chart, 'router', baseProps({ host: 'router.trading.example.com' }))).not.toThrow();
    new SecureTradingApi(new Chart(app, 'other', { namespace: 'other' }), 'gateway', baseProps({
      host: 'other.trading.example.com', tls: TlsCertificate.fromSecret('other-tls'), credentials: [ExchangeCredentials.fromSecret('gateway-tls')],
    }));
  });

  test('one file per resource: the same name in two namespaces would overwrite a file, and is refused', () => {
    const app = new App({ outdir: Testing.app().outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    new SecureTradingApi(new Chart(app, 'a', { namespace: 'a' }), 'gateway', baseProps());
    const message = errorOf(() => new SecureTradingApi(new Chart(app, 'b', { namespace: 'b' }), 'gateway', baseProps({ host: 'b.trading.example.com' })));
    expect(message).toContain('makes cdk8s write Deployment gateway to Deployment.gateway.k8s.yaml, which a/gateway also writes to');
    expect(message).toContain('FILE_PER_CHART');
  });

  test('one folder per chart: a Chart named like the audit or report folder is refused; separate charts are fine', () => {
    for (const id of ['audit', 'compliance']) {
      const app = new App({ outdir: Testing.app().outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
      const message = errorOf(() => new SecureTradingApi(new Chart(app, id, { namespace: 'trading' }), 'gateway', baseProps()));
      expect(message).toContain(`  - scope: is a Chart whose folder ${id}/ is where the library writes its audit policy or report (got "${id}")`);
    }
    const app = new App({ outdir: Testing.app().outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    new SecureTradingApi(new Chart(app, 'a', { namespace: 'a' }), 'gateway', baseProps());
    expect(() => new SecureTradingApi(new Chart(app, 'b', { namespace: 'b' }), 'gateway', baseProps({ host: 'b.trading.example.com' }))).not.toThrow();
    const chart = new Chart(app, 'c', { namespace: 'c' });
    new SecureTradingApi(chart, 'gateway', baseProps({ host: 'c.trading.example.com' }));
    expect(errorOf(() => new SecureTradingApi(chart, 'gateway2', baseProps({ name: 'gateway', namespace: 'c2', host: 'c2.trading.example.com' }))))
      .toContain('which c/gateway also writes to');
  });

  test('a service outside any Chart says where to create it', () => {
    const app = Testing.app();
    const group = new Construct(app, 'group');
    const message = errorOf(() => new SecureTradingApi(group, 'gateway', baseProps({ namespace: 'trading' })));
    expect(message).toContain('  - scope: is not inside a Chart');
    expect(message).toContain('create the SecureTradingApi inside a Chart');
    expect(group.node.children).toHaveLength(0);
  });
});
