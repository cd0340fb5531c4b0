/**
 * Resolves `fqdnEgress`: hosts the pods may call by name, rendered as a CiliumNetworkPolicy. Each
 * host is an exact name or a one-label pattern (`*.binance.com`); the same host listed twice joins
 * its ports; hosts with the same ports share one rule. The output does not depend on list order.
 */
import { fqdnHostProblem, isFqdnPattern } from '../fqdn-names';
import { SecureTradingApiProps } from '../props';
import { integerProblem, Problems } from '../validate';
import { check, listOf, ownProps, stringProblem } from './common';

const ENDPOINT_KEYS = ['host', 'ports'];
const EXAMPLE = '{ host: "fapi.binance.com", ports: [443] }';
/** The most hosts one service may list: a longer list is a sign of a missing pattern or a proxy. */
export const MAX_FQDN_HOSTS = 100;

/** One egress rule of the FQDN policy: names and patterns that share the same TCP ports. */
export interface ResolvedFqdnRule {
  /** Exact names, sorted. */
  readonly names: string[];
  /** One-label patterns, sorted. */
  readonly patterns: string[];
  /** Distinct TCP ports, ascending. */
  readonly ports: number[];
}

/** What the FQDN egress part needs. */
export interface ResolvedFqdn {
  /** The rules, sorted by ports; empty without `fqdnEgress`. */
  readonly fqdnEgress: ResolvedFqdnRule[];
}

/** Resolves the `fqdnEgress` prop. */
export function resolveFqdn(props: SecureTradingApiProps, problems: Problems): ResolvedFqdn {
  if (props.fqdnEgress === undefined) {
    return { fqdnEgress: [] };
  }
  const items = listOf(problems, 'fqdnEgress', props.fqdnEgress, `[${EXAMPLE}] or ExchangeHosts.binanceUsdmFutures()`) ?? [];
  if (items.length === 0) {
    problems.add('fqdnEgress', [], 'is empty', 'leave fqdnEgress out for a service that calls no host by name');
  } else if (items.length > MAX_FQDN_HOSTS) {
    problems.add('fqdnEgress', `${items.length} entries`, `lists more than ${MAX_FQDN_HOSTS} hosts`,
      'use a one-label pattern such as "*.binance.com" for a family of hosts');
  }

  const portsOf = new Map<string, Set<number>>();
  items.forEach((item, index) => {
    const prop = `fqdnEgress[${index}]`;
    const endpoint = ownProps<{ host: string; ports: number[] }>(problems, prop, item, ENDPOINT_KEYS, EXAMPLE);
    if (!endpoint) {
      return;
    }
    const host = endpoint.host;
    const hostProblem = host === undefined ? 'is missing' : stringProblem(host) ?? fqdnHostProblem(host as string);
    check(problems, `${prop}.host`, host, hostProblem, 'write an exact host such as "fapi.binance.com", or one leading wildcard label such as "*.binance.com"');
    const ports = endpoint.ports === undefined ? [443] : listOf(problems, `${prop}.ports`, endpoint.ports, '[443]') ?? [];
    if (endpoint.ports !== undefined && ports.length === 0) {
      problems.add(`${prop}.ports`, [], 'is empty', 'leave ports out for 443, or list the TCP ports the host is called on');
    }
    const valid = new Set<number>();
    ports.forEach((port, j) => {
      const portProblem = integerProblem(port as number, 1, 65535);
      check(problems, `${prop}.ports[${j}]`, port, portProblem, 'use a TCP port from 1 to 65535, usually 443');
      if (!portProblem) {
        valid.add(port as number);
      }
    });
    if (!hostProblem) {
      const known = portsOf.get(host as string) ?? new Set<number>();
      valid.forEach((p) => known.add(p));
      portsOf.set(host as string, known);
    }
  });

  // Hosts with the same ports share one rule.
  const groups = new Map<string, { hosts: string[]; ports: number[] }>();
  for (const [host, set] of portsOf) {
    if (set.size === 0) {
      continue;
    }
    const ports = [...set].sort((a, b) => a - b);
    const key = ports.join(',');
    const group = groups.get(key) ?? { hosts: [], ports };
    group.hosts.push(host);
    groups.set(key, group);
  }
  const fqdnEgress = [...groups.values()]
    .sort((a, b) => compareNumbers(a.ports, b.ports))
    .map(({ hosts, ports }) => ({
      names: hosts.filter((h) => !isFqdnPattern(h)).sort(),
      patterns: hosts.filter(isFqdnPattern).sort(),
      ports,
    }));
  return { fqdnEgress };
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return a.length - b.length;
}
