/**
 * The API and WebSocket host names of the major derivatives exchanges, production and test
 * environments, as `FqdnEndpoint` lists for `fqdnEgress`. One place to review and extend: each
 * method returns a fresh list (callers may change it freely), and each names its source.
 *
 * Exchanges move hosts: check the source before a release, and prefer naming the hosts your service
 * really calls over a preset. A preset lists exact names only (no patterns), so it reaches nothing
 * the exchange did not publish.
 *
 * Sources, as of 2026:
 * - Binance: developers.binance.com, "Derivatives Trading USDⓈ-M Futures" and "COIN-M Futures"
 *   General Info (REST base, WebSocket market streams, WebSocket API, testnet).
 * - Bybit: bybit-exchange.github.io/docs/v5/intro (REST base, WebSocket connect: mainnet, testnet).
 * - OKX: www.okx.com/docs-v5/en, "Production Trading Services" and "Demo Trading Services".
 * - Deribit: docs.deribit.com, "Environments" (www.deribit.com and test.deribit.com, JSON-RPC over
 *   HTTP and WebSocket on 443).
 * - Coinbase: docs.cdp.coinbase.com, Advanced Trade API (REST, WebSocket market and user feeds,
 *   sandbox) and International Exchange (INTX) REST and WebSocket feed.
 * - Kraken: docs.kraken.com, Futures (Derivatives) introduction (REST, WebSocket, demo environment).
 */
import { FqdnEndpoint } from './fqdn-props';

const https = (...hosts: string[]): FqdnEndpoint[] => hosts.map((host) => ({ host, ports: [443] }));

/**
 * Preset host lists of the major derivatives exchanges, for `fqdnEgress`:
 * `fqdnEgress: [...ExchangeHosts.binanceUsdmFutures(), ...ExchangeHosts.deribit()]`.
 */
export class ExchangeHosts {
  /** Binance USDⓈ-M futures: REST `fapi`, market streams `fstream`, WebSocket API `ws-fapi`. */
  public static binanceUsdmFutures(): FqdnEndpoint[] {
    return https('fapi.binance.com', 'fstream.binance.com', 'ws-fapi.binance.com');
  }

  /** Binance USDⓈ-M futures testnet: REST and WebSocket API `testnet.binancefuture.com`, streams `fstream.binancefuture.com`. */
  public static binanceUsdmFuturesTestnet(): FqdnEndpoint[] {
    return https('testnet.binancefuture.com', 'fstream.binancefuture.com');
  }

  /** Binance COIN-M futures: REST `dapi`, market streams `dstream`, WebSocket API `ws-dapi`. */
  public static binanceCoinmFutures(): FqdnEndpoint[] {
    return https('dapi.binance.com', 'dstream.binance.com', 'ws-dapi.binance.com');
  }

  /** Binance COIN-M futures testnet: REST `testnet.binancefuture.com`, streams `dstream.binancefuture.com`. */
  public static binanceCoinmFuturesTestnet(): FqdnEndpoint[] {
    return https('testnet.binancefuture.com', 'dstream.binancefuture.com');
  }

  /** Bybit V5 (derivatives and spot): REST `api.bybit.com` (and its alternative `api.bytick.com`), WebSocket `stream.bybit.com`. */
  public static bybit(): FqdnEndpoint[] {
    return https('api.bybit.com', 'api.bytick.com', 'stream.bybit.com');
  }

  /** Bybit V5 testnet: REST `api-testnet.bybit.com`, WebSocket `stream-testnet.bybit.com`. */
  public static bybitTestnet(): FqdnEndpoint[] {
    return https('api-testnet.bybit.com', 'stream-testnet.bybit.com');
  }

  /** OKX V5: REST `www.okx.com` on 443; WebSocket `ws.okx.com` on 8443 (and 443). */
  public static okx(): FqdnEndpoint[] {
    return [...https('www.okx.com'), { host: 'ws.okx.com', ports: [443, 8443] }];
  }

  /**
   * OKX demo trading: REST on the production host `www.okx.com` (with the `x-simulated-trading`
   * header); WebSocket `wspap.okx.com` on 8443 (and 443).
   */
  public static okxDemo(): FqdnEndpoint[] {
    return [...https('www.okx.com'), { host: 'wspap.okx.com', ports: [443, 8443] }];
  }

  /** Deribit: JSON-RPC over HTTP and WebSocket, `www.deribit.com` on 443. */
  public static deribit(): FqdnEndpoint[] {
    return https('www.deribit.com');
  }

  /** Deribit test environment: `test.deribit.com` on 443. */
  public static deribitTestnet(): FqdnEndpoint[] {
    return https('test.deribit.com');
  }

  /**
   * Coinbase Advanced Trade (spot, and US derivatives through the same API): REST `api.coinbase.com`,
   * WebSocket market feed `advanced-trade-ws.coinbase.com`, user feed `advanced-trade-ws-user.coinbase.com`.
   */
  public static coinbaseAdvancedTrade(): FqdnEndpoint[] {
    return https('api.coinbase.com', 'advanced-trade-ws.coinbase.com', 'advanced-trade-ws-user.coinbase.com');
  }

  /** Coinbase Advanced Trade sandbox: REST `api-sandbox.coinbase.com`, WebSocket `advanced-trade-ws-sandbox.coinbase.com` and `advanced-trade-ws-user-sandbox.coinbase.com`. */
  public static coinbaseAdvancedTradeSandbox(): FqdnEndpoint[] {
    return https('api-sandbox.coinbase.com', 'advanced-trade-ws-sandbox.coinbase.com', 'advanced-trade-ws-user-sandbox.coinbase.com');
  }

  /** Coinbase International Exchange (perpetual futures): REST `api.international.coinbase.com`, WebSocket `ws-md.international.coinbase.com`. */
  public static coinbaseInternational(): FqdnEndpoint[] {
    return https('api.international.coinbase.com', 'ws-md.international.coinbase.com');
  }

  /** Kraken Futures: REST and WebSocket `futures.kraken.com` on 443. */
  public static krakenFutures(): FqdnEndpoint[] {
    return https('futures.kraken.com');
  }

  /** Kraken Futures demo environment: `demo-futures.kraken.com` on 443. */
  public static krakenFuturesDemo(): FqdnEndpoint[] {
    return https('demo-futures.kraken.com');
  }

  /** Kraken spot: REST `api.kraken.com`, WebSocket `ws.kraken.com` (public) and `ws-auth.kraken.com` (private). */
  public static krakenSpot(): FqdnEndpoint[] {
    return https('api.kraken.com', 'ws.kraken.com', 'ws-auth.kraken.com');
  }

  /** Binance spot: REST `api.binance.com`, streams `stream.binance.com` (443 and 9443), WebSocket API `ws-api.binance.com` (443 and 9443). */
  public static binanceSpot(): FqdnEndpoint[] {
    return [...https('api.binance.com'), { host: 'stream.binance.com', ports: [443, 9443] }, { host: 'ws-api.binance.com', ports: [443, 9443] }];
  }

  private constructor() {}
}
