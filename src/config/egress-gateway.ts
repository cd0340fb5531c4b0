/**
 * Resolves `egressGateway`: gateway node labels, one source address or one interface (never both),
 * and the destination blocks steered through the gateway (every IPv4 address by default).
 */
import { contains, parseCidr } from '../cidr';
import { EgressGatewayOptions } from '../egress-gateway-props';
import { specialRangesFor } from '../egress-ranges';
import { SecureTradingApiProps } from '../props';
import { Problems } from '../validate';
import { check, listOf, ownProps, podSelectorLabels, stringProblem } from './common';

const KEYS = ['nodeLabels', 'egressIp', 'interface', 'destinationCidrs'];
const EXAMPLE = '{ nodeLabels: { "example.com/egress-gateway": "trading" }, egressIp: "198.51.100.7" }';
/** A Linux interface name: at most 15 characters, no "/" or whitespace. */
const INTERFACE = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** What the egress gateway part needs. */
export interface ResolvedEgressGateway {
  readonly egressGateway?: {
    readonly nodeLabels: { [key: string]: string };
    readonly egressIp?: string;
    readonly interface?: string;
    /** Canonical, distinct, in the order given. */
    readonly destinationCidrs: string[];
  };
}

/** Resolves the `egressGateway` prop. */
export function resolveEgressGateway(props: SecureTradingApiProps, problems: Problems): ResolvedEgressGateway {
  if (props.egressGateway === undefined) {
    return {};
  }
  const options = ownProps<EgressGatewayOptions>(problems, 'egressGateway', props.egressGateway, KEYS, EXAMPLE);
  if (!options) {
    return {};
  }
  const nodeLabels = options.nodeLabels === undefined
    ? (problems.add('egressGateway.nodeLabels', undefined, 'is missing', 'give the labels of the gateway node(s)'), {})
    : podSelectorLabels(problems, 'egressGateway.nodeLabels', options.nodeLabels, '{ "example.com/egress-gateway": "trading" }', 'the gateway nodes');

  const { egressIp, interface: iface } = options;
  if (egressIp !== undefined && iface !== undefined) {
    problems.add('egressGateway', { egressIp, interface: iface }, 'sets both egressIp and interface',
      'give the source address (egressIp) or the interface whose address to use (interface), not both');
  }
  if (egressIp !== undefined) {
    check(problems, 'egressGateway.egressIp', egressIp, stringProblem(egressIp) ?? addressProblem(egressIp as string),
      'give an address assigned to the gateway node, such as "198.51.100.7"');
  }
  if (iface !== undefined) {
    const problem = stringProblem(iface) ?? (INTERFACE.test(iface as string) ? undefined : 'must be a network interface name of 1 to 15 characters');
    check(problems, 'egressGateway.interface', iface, problem, 'give the gateway node\'s interface, such as "eth1"');
  }

  const list = options.destinationCidrs === undefined ? ['0.0.0.0/0']
    : listOf(problems, 'egressGateway.destinationCidrs', options.destinationCidrs, '["0.0.0.0/0"]') ?? [];
  if (options.destinationCidrs !== undefined && list.length === 0) {
    problems.add('egressGateway.destinationCidrs', [], 'is empty', 'leave it out to steer every connection to the outside, or list the exchanges\' blocks');
  }
  const destinationCidrs: string[] = [];
  list.forEach((text, i) => {
    const parsed = parseCidr(text as string);
    if (!parsed.cidr) {
      problems.add(`egressGateway.destinationCidrs[${i}]`, text, parsed.problem!, 'write a CIDR block such as "0.0.0.0/0" or "203.0.113.0/24"');
    } else if (!destinationCidrs.includes(parsed.cidr.canonical)) {
      destinationCidrs.push(parsed.cidr.canonical);
    }
  });
  return {
    egressGateway: {
      nodeLabels,
      ...(typeof egressIp === 'string' ? { egressIp } : {}),
      ...(typeof iface === 'string' ? { interface: iface } : {}),
      destinationCidrs,
    },
  };
}

function addressProblem(address: string): string | undefined {
  const parsed = parseCidr(`${address}/${address.includes(':') ? 128 : 32}`);
  if (!parsed.cidr || address.includes('/')) {
    return 'must be one IPv4 or IPv6 address';
  }
  const never = specialRangesFor(parsed.cidr).find((r) => r.kind === 'never' && contains(r.block, parsed.cidr!));
  return never ? `lies inside ${never.block.canonical}, ${never.description}: not an address the outside can see` : undefined;
}
