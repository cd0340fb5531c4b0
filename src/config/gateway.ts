/**
 * The Gateway API exposure's props: which Gateway the service's HTTPRoute attaches to (an existing
 * one's HTTPS listener, or a Gateway of the service's own), the implementation that serves it (and so
 * the proxy pods the NetworkPolicy admits), and the edge protections rendered for that implementation.
 */
import { GatewayApi, GatewayApiMode, GatewayImplementation, GatewayImplementationKind } from '../gateway-api';
import { SecureTradingApiProps } from '../props';
import { dns1123LabelProblem, dns1123SubdomainProblem, Problems } from '../validate';
import { check, podSelectorLabels, stringProblem } from './common';
import { ResolvedEdgeProtection, resolveGatewayEdgeProtection } from './edge';
import { resolveHost, ResolvedTls, resolveTls } from './ingress';

/** The one listener of the service's own Gateway. */
export const OWN_LISTENER_NAME = 'https';
/** Envoy Gateway's controller namespace, where it runs every Gateway's proxy pods by default. */
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';
/** The labels Envoy Gateway puts on the proxy pods of the Gateway `name` in `namespace`. */
export function envoyGatewayProxyLabels(name: string, namespace: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': 'envoy',
    'app.kubernetes.io/component': 'proxy',
    'gateway.envoyproxy.io/owning-gateway-name': name,
    'gateway.envoyproxy.io/owning-gateway-namespace': namespace,
  };
}

/** The props an Ingress reads and a Gateway API route does not: refused with `gatewayApi`. */
const INGRESS_ONLY_PROPS = ['ingressController', 'ingressAnnotations', 'unsafeIngressAnnotations'] as const;

/** The Gateway the library emits for the service. */
export interface ResolvedOwnGateway {
  readonly gatewayClassName: string;
  readonly tls: ResolvedTls;
}

/** What the exposure part needs to emit the HTTPRoute (and the Gateway and policies). */
export interface ResolvedGatewayRoute {
  readonly mode: GatewayApiMode;
  readonly implementationKind: GatewayImplementationKind;
  readonly host: string;
  /** The parent Gateway: the existing one, or the service's own (named like the service). */
  readonly gatewayName: string;
  readonly gatewayNamespace: string;
  /** The listener the route attaches to. */
  readonly sectionName: string;
  /** Set for OWN_GATEWAY only. */
  readonly ownGateway?: ResolvedOwnGateway;
  readonly edge: ResolvedEdgeProtection;
  readonly proxyNamespace: string;
  readonly proxyPodLabels: { [key: string]: string };
}

/** Resolves `gatewayApi` (and `host`, `tls`, `edgeProtection`) for a PUBLIC service. */
export function resolveGatewayRoute(
  props: SecureTradingApiProps, name: string, namespace: string | undefined, problems: Problems): ResolvedGatewayRoute {
  const value = props.gatewayApi;
  const host = resolveHost(props, problems);
  for (const prop of INGRESS_ONLY_PROPS) {
    if (props[prop] !== undefined) {
      problems.add(prop, props[prop], 'configures an Ingress, which a service exposed with gatewayApi does not have',
        `remove ${prop}; with the Gateway API the edge protections come from edgeProtection and the implementation (GatewayImplementation)`);
    }
  }
  const serviceNamespace = namespace ?? 'invalid';
  if (!(value instanceof GatewayApi)) {
    problems.add('gatewayApi', value, 'must be a GatewayApi',
      'pass GatewayApi.existing({ gatewayName, sectionName }) or GatewayApi.own({ gatewayClassName })');
    return invalid(host, serviceNamespace);
  }
  const implementation = value.implementation ?? GatewayImplementation.envoyGateway();
  if (!(implementation instanceof GatewayImplementation)) {
    problems.add('gatewayApi.implementation', implementation, 'must be a GatewayImplementation',
      'pass GatewayImplementation.envoyGateway() or GatewayImplementation.other({ proxyNamespace, proxyPodLabels })');
    return invalid(host, serviceNamespace);
  }
  const edge = resolveGatewayEdgeProtection(props, implementation.kind, value.mode === GatewayApiMode.OWN_GATEWAY, problems);

  let gatewayName: string;
  let gatewayNamespace: string;
  let sectionName: string;
  let ownGateway: ResolvedOwnGateway | undefined;
  const mode = value.mode;
  switch (mode) {
    case GatewayApiMode.EXISTING_GATEWAY: {
      gatewayName = value.gatewayName as string;
      check(problems, 'gatewayApi.gatewayName', gatewayName, stringProblem(gatewayName) ?? dns1123SubdomainProblem(gatewayName),
        'name the existing Gateway, such as "edge"');
      gatewayNamespace = value.gatewayNamespace ?? serviceNamespace;
      check(problems, 'gatewayApi.gatewayNamespace', gatewayNamespace, stringProblem(gatewayNamespace) ?? dns1123LabelProblem(gatewayNamespace),
        'name the namespace of the Gateway, or leave it unset for the service\'s namespace');
      sectionName = value.sectionName as string;
      check(problems, 'gatewayApi.sectionName', sectionName, stringProblem(sectionName) ?? dns1123SubdomainProblem(sectionName),
        'name the Gateway\'s HTTPS listener, such as "https": the route must never attach to a plain-HTTP listener');
      if (props.tls !== undefined) {
        problems.add('tls', props.tls, 'has no effect with GatewayApi.existing(): the existing Gateway\'s listener holds the certificate',
          'remove tls; the owner of the Gateway configures its HTTPS listener, or use GatewayApi.own({ gatewayClassName }) for a Gateway with this certificate');
      }
      break;
    }
    case GatewayApiMode.OWN_GATEWAY: {
      gatewayName = name;
      gatewayNamespace = serviceNamespace;
      sectionName = OWN_LISTENER_NAME;
      const gatewayClassName = value.gatewayClassName as string;
      check(problems, 'gatewayApi.gatewayClassName', gatewayClassName, stringProblem(gatewayClassName) ?? dns1123SubdomainProblem(gatewayClassName),
        'name a GatewayClass of the cluster, such as "eg"');
      ownGateway = { gatewayClassName, tls: resolveTls(props.tls, name, problems) };
      break;
    }
    default: {
      problems.add('gatewayApi', value, 'is not a GatewayApi built by its factories', 'use GatewayApi.existing(...) or GatewayApi.own(...)');
      return invalid(host, serviceNamespace);
    }
  }

  const { proxyNamespace, proxyPodLabels } = resolveProxyPods(implementation, gatewayName, gatewayNamespace, problems);
  return {
    mode,
    implementationKind: implementation.kind,
    host,
    gatewayName,
    gatewayNamespace,
    sectionName,
    ownGateway,
    edge,
    proxyNamespace,
    proxyPodLabels,
  };
}

function resolveProxyPods(implementation: GatewayImplementation, gatewayName: string, gatewayNamespace: string, problems: Problems)
  : { proxyNamespace: string; proxyPodLabels: { [key: string]: string } } {
  const envoy = implementation.kind === GatewayImplementationKind.ENVOY_GATEWAY;
  const proxyNamespace = implementation.proxyNamespace ?? (envoy ? ENVOY_GATEWAY_NAMESPACE : undefined);
  check(problems, 'gatewayApi.implementation.proxyNamespace', proxyNamespace, stringProblem(proxyNamespace) ?? dns1123LabelProblem(proxyNamespace as string),
    'name the namespace the Gateway\'s proxy pods run in, such as "envoy-gateway-system"');
  const labels = implementation.proxyPodLabels ?? (envoy ? envoyGatewayProxyLabels(gatewayName, gatewayNamespace) : undefined);
  const proxyPodLabels = podSelectorLabels(problems, 'gatewayApi.implementation.proxyPodLabels', labels,
    '{ "app.kubernetes.io/component": "proxy" }', 'the Gateway\'s proxy pods');
  return { proxyNamespace: proxyNamespace as string, proxyPodLabels };
}

function invalid(host: string, namespace: string): ResolvedGatewayRoute {
  return {
    mode: GatewayApiMode.EXISTING_GATEWAY,
    implementationKind: GatewayImplementationKind.OTHER,
    host,
    gatewayName: 'invalid',
    gatewayNamespace: namespace,
    sectionName: 'invalid',
    edge: { httpsForced: true, clientIpAllowList: [] },
    proxyNamespace: 'invalid',
    proxyPodLabels: {},
  };
}
