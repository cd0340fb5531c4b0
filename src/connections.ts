/**
 * Connections between services, in the aws-cdk `connections` spirit: one call opens both sides. When
 * one SecureTradingApi may call another, the caller's allow policy gets the egress rule and the
 * callee's the ingress rule, on the callee's port. A cdk8s-plus workload or pod selector can be either
 * side too; the library then writes the rule of its own service only (the other side's policies are
 * the user's).
 */
import { k8s } from 'cdk8s-plus-27';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ownProps } from './config/common';
import { AllowRules, podsPeer } from './network';
import { ConnectionOptions } from './network-props';
import { ServiceExposure } from './service-exposure';
import { integerProblem, Problems } from './validate';

/** What a connection needs to know about a SecureTradingApi. */
export interface ServiceEnd {
  /** How errors name it: `SecureTradingApi '<path>'`. */
  readonly subject: string;
  readonly namespace: string;
  readonly selector: { [key: string]: string };
  readonly exposure: ServiceExposure;
  /** The API port first, then the metrics port if any. */
  readonly ports: number[];
  readonly rules: AllowRules;
}

const services = new WeakMap<IConstruct, ServiceEnd>();

/** Makes a SecureTradingApi known as a connection end. */
export function registerServiceEnd(service: IConstruct, end: ServiceEnd): void {
  services.set(service, end);
}

/** The ends of a connection: a SecureTradingApi, or pods a cdk8s-plus peer selects. */
type End = { service: ServiceEnd } | { pods: k8s.NetworkPolicyPeer[] };

/**
 * Opens `source` -> `target` on one TCP port of the target: the target's ingress rule and the source's
 * egress rule, for whichever of them is a SecureTradingApi. Throws a clear error, and changes nothing,
 * when the connection cannot be made.
 *
 * @param self the SecureTradingApi whose method was called
 * @param method `allowFrom` or `allowTo`
 * @param peer the other end, as the user passed it
 */
export function connect(self: IConstruct, method: 'allowFrom' | 'allowTo', peer: unknown, options: unknown): void {
  const own = services.get(self)!;
  const problems = new Problems();
  const other = endOf(peer, `${method}(peer)`, problems);
  const given = options === undefined ? {} : ownProps<ConnectionOptions>(problems, `${method}(options)`, options, ['port'], '{ port: 8080 }') ?? {};
  const [source, target] = method === 'allowFrom' ? [other, { service: own } as End] : [{ service: own } as End, other];
  let port = given.port as number | undefined;
  if (target && 'service' in target) {
    const callee = target.service;
    if (callee.exposure === ServiceExposure.NONE) {
      problems.add(`${method}(peer)`, callee.subject, 'has exposure ServiceExposure.NONE: nothing may call it',
        'set exposure: ServiceExposure.INTERNAL on the service to be called');
    }
    port = port ?? callee.ports[0];
    if (callee.ports.every((p) => p !== port) && !integerProblem(port, 1, 65535)) {
      problems.add(`${method}(options).port`, port, `is not a port of ${callee.subject} (its ports: ${callee.ports.join(', ')})`,
        'leave port out to use its API port, or give its metrics port');
    }
  } else if (port === undefined) {
    problems.add(`${method}(options).port`, port, 'is required when the called peer is not a SecureTradingApi', 'give the TCP port the peer listens on, such as { port: 5432 }');
  }
  const portProblem = port === undefined ? undefined : integerProblem(port, 1, 65535);
  if (portProblem) {
    problems.add(`${method}(options).port`, port, portProblem, 'use a TCP port from 1 to 65535');
  }
  problems.throwIfAny(`${own.subject}.${method}`);
  const peersOf = (end: End) => 'service' in end ? [podsPeer(end.service.namespace, end.service.selector)] : end.pods;
  if ('service' in target!) {
    target.service.rules.allowIngress(peersOf(source!), port!);
  }
  if ('service' in source!) {
    source.service.rules.allowEgress(peersOf(target!), [port!]);
  }
}

/** The end `peer` stands for, or undefined with a problem recorded. */
function endOf(peer: unknown, prop: string, problems: Problems): End | undefined {
  const service = typeof peer === 'object' && peer !== null ? services.get(peer as IConstruct) : undefined;
  if (service) {
    return { service };
  }
  if (typeof (peer as kplus.INetworkPolicyPeer | undefined)?.toNetworkPolicyPeerConfig !== 'function') {
    problems.add(prop, peer, 'is neither a SecureTradingApi nor a cdk8s-plus network policy peer',
      'pass another SecureTradingApi, or a cdk8s-plus workload or Pods.select(...)');
    return undefined;
  }
  const config = (peer as kplus.INetworkPolicyPeer).toNetworkPolicyPeerConfig();
  const path = (peer as IConstruct).node?.path ?? String(peer);
  if (config.ipBlock || !config.podSelector) {
    problems.add(prop, path, 'is an address block, not pods',
      'connect services and pods by selector; egress to addresses is exchangeEndpoints, and public ingress is exposure: ServiceExposure.PUBLIC');
    return undefined;
  }
  const podSelector = (config.podSelector.labelSelector as any)._toKube() as k8s.LabelSelector;
  if (isEmpty(podSelector)) {
    problems.add(prop, path, 'selects every pod of its namespace', 'select the pods by labels, such as Pods.select(scope, id, { labels: { app: "x" } })');
    return undefined;
  }
  const namespaces = config.podSelector.namespaces;
  if (namespaces?.names && namespaces.names.length > 0) {
    return { pods: namespaces.names.map((name) => ({ ...podsPeer(name, {}), podSelector })) };
  }
  if (namespaces?.labelSelector) {
    const namespaceSelector = (namespaces.labelSelector as any)._toKube() as k8s.LabelSelector;
    if (isEmpty(namespaceSelector)) {
      problems.add(prop, path, 'selects pods in every namespace', 'name the namespaces of the pods');
      return undefined;
    }
    return { pods: [{ namespaceSelector, podSelector }] };
  }
  // No namespace: the pods of the policy's own namespace, as NetworkPolicy reads a bare podSelector.
  return { pods: [{ podSelector }] };
}

function isEmpty(selector: k8s.LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}
