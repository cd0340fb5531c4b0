import { BlockList } from 'net';

/**
 * The hardening controls, for the tests: the guard's own rules (src/guard), run over a synthesized
 * manifest, so the tests and the synth-time check share one statement of what "hardened" means.
 * Each violation comes back as a readable line. Egress is also probed independently of the
 * library's address parser, with Node's own net.BlockList.
 */
import { describeObject, evaluate } from '../src/guard/evaluate';

/**
 * Addresses no egress rule may reach: cloud metadata, link-local, loopback, unspecified, directly
 * and through NAT64. Checked with Node's own net.BlockList, independently of the library's parser.
 */
export const NEVER_REACHABLE = ['169.254.169.254', '169.254.0.1', '127.0.0.1', '0.0.0.0', 'fd00:ec2::254', 'fe80::1', '::1', '::',
  '64:ff9b::a9fe:a9fe', '64:ff9b::7f00:1'];
/** Addresses in private ranges (where the cluster's pods, Services and API server are): reachable only with the opt-in. */
export const PRIVATE = ['10.0.0.1', '10.96.0.1', '172.16.0.1', '192.168.0.1', '100.64.0.1', 'fd00::1', 'fc00::1', '64:ff9b::a00:1', '64:ff9b:1::1'];

/** Whether an ipBlock (cidr minus except) contains `address`. */
export function reaches(ipBlock: { cidr: string; except?: string[] }, address: string): boolean {
  const type = address.includes(':') ? 'ipv6' : 'ipv4';
  const inside = (cidr: string) => {
    const [net, prefix] = cidr.split('/');
    if ((net.includes(':') ? 'ipv6' : 'ipv4') !== type) {
      return false;
    }
    const list = new BlockList();
    list.addSubnet(net, Number(prefix), type);
    return list.check(address, type);
  };
  return inside(ipBlock.cidr) && !(ipBlock.except ?? []).some(inside);
}

/** The explicit opt-outs a configuration used; each acknowledges exactly one rule. */
export interface OptOuts {
  readonly allowUnpinnedImage?: boolean;
  readonly allowUnrestrictedEgress?: boolean;
  readonly allowPrivateRangeEgress?: boolean;
  readonly unsafeIngressAnnotations?: boolean;
  /** Objects the services read without owning them: the objects of the TradingNamespace they are in. */
  readonly shared?: any[];
}

/** Every violation of the controls in `manifest` (the objects of SecureTradingApis in one namespace's chart). */
export function controlViolations(manifest: any[], namespace: string, options: OptOuts = {}): string[] {
  const acknowledged = new Set<string>([
    ...(options.allowUnpinnedImage ? ['POD-IMAGE-PINNED'] : []),
    ...(options.allowUnrestrictedEgress ? ['NET-EGRESS-REACH'] : []),
    ...(options.allowPrivateRangeEgress ? ['NET-EGRESS-PRIVATE'] : []),
    ...(options.unsafeIngressAnnotations ? ['ING-TYPED-ANNOTATIONS'] : []),
  ]);
  const out: string[] = [];
  for (const object of manifest) {
    // Cluster-scoped objects: the egress gateway policy and the Kyverno image policy (their names
    // carry the namespace), and the admission policies and their bindings (no namespace at all is right for them).
    const gateway = ['CiliumEgressGatewayPolicy', 'ClusterPolicy'].includes(object.kind) && object.metadata?.namespace === undefined
      && object.metadata?.name?.startsWith(`${namespace}.`);
    const admission = object.apiVersion === 'admissionregistration.k8s.io/v1';
    if (gateway || admission ? object.metadata?.namespace !== undefined : object.metadata?.namespace !== namespace) {
      out.push(`${describeObject(object)}: not in namespace ${namespace}`);
    }
  }
  for (const outcome of evaluate(manifest, true, (_i, ruleId) => (acknowledged.has(ruleId) ? 'opt-out' : undefined), options.shared ?? [])) {
    for (const finding of outcome.status === 'fail' ? outcome.findings : []) {
      out.push(`${outcome.ruleId} ${outcome.object} ${finding.field}: ${finding.message}`);
    }
  }
  for (const policy of manifest.filter((o) => o.kind === 'NetworkPolicy')) {
    for (const ipBlock of (policy.spec.egress ?? []).flatMap((rule: any) => rule.to ?? []).map((peer: any) => peer.ipBlock).filter(Boolean)) {
      const forbidden = [...NEVER_REACHABLE, ...(options.allowPrivateRangeEgress ? [] : PRIVATE)];
      for (const address of forbidden.filter((a) => reaches(ipBlock, a))) {
        out.push(`${describeObject(policy)}: egress reaches ${address} through ${ipBlock.cidr}`);
      }
    }
  }
  return out;
}
