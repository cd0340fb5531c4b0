/**
 * The struct of FQDN egress: a DNS name (or a one-label pattern) the service may call, enforced by
 * Cilium's DNS-aware policy (`toFQDNs`). Presets for the major exchanges are in `ExchangeHosts`.
 */

/**
 * A host the service may call by name, on TCP ports. Rendered into a `CiliumNetworkPolicy`
 * `toFQDNs` rule: Cilium learns the addresses from the pods' own DNS answers, so the rule follows the
 * exchange's CDN without anyone listing address ranges.
 */
export interface FqdnEndpoint {
  /**
   * A DNS name such as `fapi.binance.com` (Cilium `matchName`), or a pattern whose only wildcard is
   * one leading label, such as `*.binance.com` (Cilium `matchPattern`: one label, never the name
   * itself). A pattern needs at least two labels after the `*.`: `*`, `*.com`, `**.binance.com`,
   * `api*.binance.com` are refused (they reach any host of a whole top-level domain, or more).
   * Written in lower case, without a trailing dot.
   */
  readonly host: string;
  /**
   * The TCP ports the host may be called on (1-65535).
   *
   * @default [443]
   */
  readonly ports?: number[];
}
