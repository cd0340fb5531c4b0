from cdk8s import App, Chart
from cdk8s_secure_trading_api import ExchangeCredentials, ExchangeEndpoint, SecureTradingApi, TlsCertificate

app = App()
chart = Chart(app, "trading", namespace="trading")

SecureTradingApi(chart, "order-gateway",
    image="ghcr.io/example/order-gateway:1.4.2@sha256:3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f",
    host="api.trading.example.com",
    tls=TlsCertificate.from_cert_manager_cluster_issuer("letsencrypt-prod"),
    credentials=[
        ExchangeCredentials.from_secret("binance-futures-api", keys=["api-key", "api-secret"]),
    ],
    exchange_endpoints=[
        ExchangeEndpoint(cidr="203.0.113.0/24", port=443),  # the exchange's published API range (documentation addresses here)
    ],
    operator_groups=["trading-oncall"],
)

app.synth()
