/**
 * Resolves `clusterDns`: the DNS pods by namespace and labels, and the NodeLocal DNSCache address,
 * which must be one link-local IPv4 address outside the cloud metadata blocks.
 */
import { ClusterDns } from '../cluster-dns';
import { nodeLocalDnsAddressProblem } from '../egress-ranges';
import { SecureTradingApiProps } from '../props';
import { dns1123LabelProblem, Problems } from '../validate';
import { check, podSelectorLabels, stringProblem } from './common';

/** Where the DNS egress rules point. */
export interface ResolvedDns {
  readonly dns: {
    readonly namespace: string;
    readonly podLabels: { [key: string]: string };
    /** The NodeLocal DNSCache address (an IPv4 address), when there is one. */
    readonly nodeLocalAddress?: string;
  };
}

/** Resolves the `clusterDns` prop. */
export function resolveDns(props: SecureTradingApiProps, problems: Problems): ResolvedDns {
  const choice = props.clusterDns ?? ClusterDns.kubeDns();
  if (!(choice instanceof ClusterDns)) {
    problems.add('clusterDns', choice, 'is not a ClusterDns', 'use ClusterDns.kubeDns(), ClusterDns.fromPods({...}) or ClusterDns.nodeLocalDnsCache()');
    return ClusterDnsDefault();
  }
  const namespace = choice.namespace;
  check(problems, 'clusterDns.namespace', namespace, stringProblem(namespace) ?? dns1123LabelProblem(namespace), 'use the DNS pods\' namespace, such as "kube-system"');
  const podLabels = podSelectorLabels(problems, 'clusterDns.podLabels', choice.podLabels, '{ "k8s-app": "kube-dns" }', 'the cluster DNS pods');
  const address = choice.nodeLocalAddress;
  if (choice._nestedNodeLocal) {
    problems.add('clusterDns.upstream', 'ClusterDns.nodeLocalDnsCache(...)', 'is itself a NodeLocal DNSCache', 'give the DNS pods the cache forwards to: ClusterDns.kubeDns() or ClusterDns.fromPods({...})');
  }
  if (address !== undefined) {
    check(problems, 'clusterDns.address', address, stringProblem(address) ?? nodeLocalDnsAddressProblem(address),
      'use the link-local address NodeLocal DNSCache listens on, usually "169.254.20.10"');
  }
  return { dns: { namespace, podLabels, ...(address !== undefined ? { nodeLocalAddress: address } : {}) } };
}

function ClusterDnsDefault(): ResolvedDns {
  const d = ClusterDns.kubeDns();
  return { dns: { namespace: d.namespace, podLabels: { ...d.podLabels } } };
}
