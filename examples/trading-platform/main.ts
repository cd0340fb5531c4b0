import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ExchangeCredentials, ExchangeHosts, FqdnEndpoint, GatewayApi, SecureTradingApi, ServiceExposure, TlsCertificate, TradingNamespace,
} from 'cdk8s-secure-trading-api';

/** What differs between the environments; everything else is the same platform. */
interface Environment {
  readonly namespace: string;
  readonly host: string;
  readonly keySuffix: string; // testnet keys in staging, live keys in production
  readonly gatewayReplicas: number;
  // Staging is served by the platform's Envoy Gateway (Gateway API); production still by ingress-nginx.
  readonly gatewayApi?: GatewayApi;
  // Staging calls the exchanges' testnets by name (Cilium); production their published ranges.
  readonly exchangeHosts?: FqdnEndpoint[];
}

const IMAGES = {
  gateway: 'ghcr.io/example/order-gateway:1.4.2@sha256:3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f',
  marketData: 'ghcr.io/example/market-data:2.0.3@sha256:7c2d9e4f1a3b5c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d',
  riskEngine: 'ghcr.io/example/risk-engine:0.9.1@sha256:1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d',
};
// The exchanges' published API and websocket ranges (documentation addresses here).
const EXCHANGES = [{ cidr: '203.0.113.0/24', port: 443 }, { cidr: '198.51.100.0/24', port: 443 }];
// Postgres, run by the platform team in its own namespace.
const POSTGRES = { namespace: 'databases', podLabels: { 'app.kubernetes.io/name': 'postgresql' }, ports: [5432] };
const METRICS = { port: 9100 }; // scraped by Prometheus in "monitoring"

class TradingPlatform extends Chart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    const ns = new TradingNamespace(this, env.namespace);
    const egress = env.exchangeHosts ? { fqdnEgress: env.exchangeHosts } : { exchangeEndpoints: EXCHANGES };
    // On the platform's Gateway the listener holds the certificate; an Ingress needs its own.
    const edge = env.gatewayApi ? { gatewayApi: env.gatewayApi } : { tls: TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod') };

    // The order gateway: public over TLS, holds the Binance and Bybit keys.
    const gateway = new SecureTradingApi(ns, 'order-gateway', {
      image: IMAGES.gateway,
      host: env.host,
      ...edge,
      credentials: [
        ExchangeCredentials.fromSecret(`binance-futures-${env.keySuffix}`, { keys: ['api-key', 'api-secret'] }),
        ExchangeCredentials.fromSecret(`bybit-derivatives-${env.keySuffix}`, { keys: ['api-key', 'api-secret'] }),
      ],
      ...egress,
      clusterDependencies: [POSTGRES],
      metrics: METRICS,
      replicas: env.gatewayReplicas,
      operatorGroups: ['trading-oncall'],
    });

    // Market data: holds no key, only calls the exchanges' websockets; the gateway reads from it.
    const marketData = new SecureTradingApi(ns, 'market-data', {
      image: IMAGES.marketData,
      exposure: ServiceExposure.INTERNAL,
      ...egress,
      metrics: METRICS,
    });

    // The risk engine: internal only, and never two at once.
    const riskEngine = new SecureTradingApi(ns, 'risk-engine', {
      image: IMAGES.riskEngine,
      exposure: ServiceExposure.INTERNAL,
      singleton: true,
      clusterDependencies: [POSTGRES],
      metrics: METRICS,
    });

    gateway.allowTo(marketData);
    gateway.allowTo(riskEngine);
  }
}

const app = new App();
new TradingPlatform(app, 'staging', {
  namespace: 'trading-staging', host: 'api.staging.trading.example.com', keySuffix: 'testnet', gatewayReplicas: 2,
  gatewayApi: GatewayApi.existing({ gatewayName: 'edge', gatewayNamespace: 'gateways', sectionName: 'https-staging' }),
  exchangeHosts: [...ExchangeHosts.binanceUsdmFuturesTestnet(), ...ExchangeHosts.bybitTestnet()],
});
new TradingPlatform(app, 'production', {
  namespace: 'trading', host: 'api.trading.example.com', keySuffix: 'live', gatewayReplicas: 3,
});
app.synth();
