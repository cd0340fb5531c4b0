import { App, Chart } from 'cdk8s';
import { ExchangeCredentials, SecureTradingApi, TlsCertificate } from 'cdk8s-secure-trading-api';

const app = new App();
const chart = new Chart(app, 'trading', { namespace: 'trading' });

new SecureTradingApi(chart, 'order-gateway', {
  image: 'ghcr.io/example/order-gateway:1.4.2@sha256:3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f',
  host: 'api.trading.example.com',
  tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
  credentials: [
    ExchangeCredentials.fromSecret('binance-futures-api', { keys: ['api-key', 'api-secret'] }),
  ],
  exchangeEndpoints: [
    { cidr: '203.0.113.0/24', port: 443 }, // the exchange's published API range (documentation addresses here)
  ],
  operatorGroups: ['trading-oncall'],
});

app.synth();
