/**
 * The network's props: where the pods may connect besides cluster DNS.
 */
import { parseCidr } from '../cidr';
import { SecureTradingApiProps } from '../props';
import { integerProblem, Problems } from '../validate';
import { booleanProblem, check, listOf, ownProps } from './common';

const MIN_UNRESTRICTED_PREFIX = { 4: 8, 6: 16 } as const;
const ENDPOINT_KEYS = ['cidr', 'port'];

/** One allowed egress destination. */
export interface ResolvedEndpoint {
  readonly cidr: string;
  readonly port: number;
}

/** What the network part needs besides the exposure's ingress source. */
export interface ResolvedNetwork {
  readonly egress: ResolvedEndpoint[];
  /** The visible opt-out of the egress reach limit was set. */
  readonly allowUnrestrictedEgress: boolean;
}

/** Resolves the egress props. */
export function resolveNetwork(props: SecureTradingApiProps, problems: Problems): ResolvedNetwork {
  const optIn = props.allowUnrestrictedEgress ?? false;
  check(problems, 'allowUnrestrictedEgress', optIn, booleanProblem(optIn), 'pass true or false');
  const endpoints = props.exchangeEndpoints === undefined ? []
    : listOf(problems, 'exchangeEndpoints', props.exchangeEndpoints, '[{ cidr: "203.0.113.0/24", port: 443 }]') ?? [];
  const egress: ResolvedEndpoint[] = [];
  const seen = new Set<string>();
  endpoints.forEach((item, index) => {
    const prop = `exchangeEndpoints[${index}]`;
    const endpoint = ownProps<{ cidr: string; port: number }>(problems, prop, item, ENDPOINT_KEYS, '{ cidr: "203.0.113.0/24", port: 443 }');
    if (!endpoint) {
      return;
    }
    const parsed = parseCidr(endpoint.cidr as string);
    const port = endpoint.port ?? 443;
    check(problems, `${prop}.port`, port, integerProblem(port, 1, 65535), 'use a TCP port from 1 to 65535, usually 443');
    if (!parsed.cidr) {
      problems.add(`${prop}.cidr`, endpoint.cidr, parsed.problem!, 'write a CIDR block such as "203.0.113.0/24" or "2001:db8::/48"');
      return;
    }
    const { family, prefixLength, canonical } = parsed.cidr;
    if (prefixLength < MIN_UNRESTRICTED_PREFIX[family] && optIn !== true) {
      problems.add(`${prop}.cidr`, endpoint.cidr,
        `allows egress to ${prefixLength === 0 ? 'every address' : `a /${prefixLength} block`}; a pod holding keys could send them anywhere`,
        `list the exchange's published ranges (narrower than /${MIN_UNRESTRICTED_PREFIX[family]}), or set allowUnrestrictedEgress: true if an egress firewall outside the cluster restricts it`);
    }
    const key = `${canonical}:${port}`;
    if (seen.has(key)) {
      problems.add(prop, item, 'repeats an earlier endpoint', 'list each cidr and port once');
      return;
    }
    seen.add(key);
    egress.push({ cidr: canonical, port });
  });
  return { egress, allowUnrestrictedEgress: optIn === true };
}
