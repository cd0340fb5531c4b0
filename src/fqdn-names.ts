/**
 * What a host of FQDN egress may be: an exact public DNS name, or a pattern whose only wildcard is
 * one leading label under a name of at least two labels. Pure: the resolver (src/config/fqdn.ts)
 * and the guard rule NET-FQDN-NARROW share it.
 */
import { hostNameProblem, internalHostProblem } from './validate';

/** A problem when `host` is not an exact name or a one-label pattern; undefined when it is one. */
export function fqdnHostProblem(host: string): string | undefined {
  if (host.includes('*')) {
    return fqdnPatternProblem(host);
  }
  return hostNameProblem(host) ?? internalHostProblem(host);
}

/** Whether `host` is written as a pattern (Cilium `matchPattern`). */
export function isFqdnPattern(host: string): boolean {
  return host.includes('*');
}

function fqdnPatternProblem(pattern: string): string | undefined {
  if (pattern === '*' || pattern === '**' || pattern === '*.') {
    return 'matches every DNS name: a pod holding keys could send them to any host';
  }
  if (!pattern.startsWith('*.') || pattern.startsWith('**.') || pattern.slice(2).includes('*')) {
    return 'may use "*" only as its whole first label, as in "*.binance.com" ("**." and partial labels such as "api*" match more than one label or an open set of names)';
  }
  const rest = pattern.slice(2);
  const problem = hostNameProblem(rest) ?? internalHostProblem(rest);
  if (problem) {
    return `must be "*." followed by a public DNS name with at least two labels: "${rest}" ${problem}`;
  }
  return undefined;
}
