/**
 * The edge protections: validated once, kept implementation-neutral (what is enforced, not how), and
 * rendered as annotations for the one controller that can enforce them, ingress-nginx. With any other
 * controller a protection the user asks for is refused, never dropped.
 */
import { NGINX_PREFIX, TRAEFIK_PREFIX } from '../annotations';
import { parseCidr } from '../cidr';
import { ClientCertificateAuthoritySource, EdgeAuthenticationKind, EdgeProtection } from '../edge-props';
import { GatewayImplementationKind } from '../gateway-api';
import { IngressControllerKind } from '../ingress-controller';
import { SecureTradingApiProps } from '../props';
import { isWhole, parseQuantity } from '../quantity';
import { integerProblem, Problems } from '../validate';
import { check, listOf, ownProps, stringProblem } from './common';
import { ResolvedAuthentication, resolveAuthentication, ResolvedClientCa, resolveClientCa } from './edge-auth';

export type { ResolvedAuthentication, ResolvedClientCa } from './edge-auth';

const EDGE_KEYS = ['requestsPerSecond', 'burstMultiplier', 'clientIpAllowList', 'maxRequestBodySize',
  'readTimeoutSeconds', 'sendTimeoutSeconds', 'connectTimeoutSeconds', 'trustedProxyHops', 'clientCertificateAuthority', 'authentication'];
const DEFAULT_REQUESTS_PER_SECOND = 20;
const MAX_ALLOW_LIST = 64;
const MAX_BODY_BYTES = 1024n ** 3n;
const NANOS_PER_UNIT = 1000000000n;

/** What the edge enforces, whatever renders it (an Ingress controller's annotations, or Gateway API policies). */
export interface ResolvedEdgeProtection {
  /** Whether plain HTTP is kept away from the API (redirected, or not served at all). */
  readonly httpsForced: boolean;
  readonly requestsPerSecond?: number;
  readonly burstMultiplier?: number;
  /** Canonical CIDR blocks; empty when every client address is admitted. */
  readonly clientIpAllowList: string[];
  readonly maxRequestBodyBytes?: number;
  readonly readTimeoutSeconds?: number;
  readonly sendTimeoutSeconds?: number;
  readonly connectTimeoutSeconds?: number;
  /** Proxies in front of the edge that append to X-Forwarded-For: the client address is that many entries from the right. */
  readonly trustedProxyHops?: number;
  /** Mutual TLS: the CA client certificates must chain to. */
  readonly clientCa?: ResolvedClientCa;
  /** Authentication in front of the API. */
  readonly authentication?: ResolvedAuthentication;
}

/** The edge protections and the controller annotations that enforce them. */
export interface EdgeResolution {
  readonly edge: ResolvedEdgeProtection;
  readonly annotations: { [key: string]: string };
}

/** `edgeProtection` as given (an empty object when unset), and its fields validated, before any controller default. */
function parseEdgeProtection(props: SecureTradingApiProps, problems: Problems)
  : { given: Partial<EdgeProtection>; requested: ResolvedEdgeProtection } {
  const given = props.edgeProtection === undefined ? {}
    : ownProps<EdgeProtection>(problems, 'edgeProtection', props.edgeProtection, EDGE_KEYS, '{ requestsPerSecond: 10 }') ?? {};

  const whole = (field: keyof EdgeProtection, min: number, max: number, unit: string): number | undefined => {
    const value = given[field];
    if (value === undefined) {
      return undefined;
    }
    check(problems, `edgeProtection.${field}`, value, integerProblem(value as number, min, max), `use a whole number of ${unit} from ${min} to ${max}`);
    return value as number;
  };

  const requested: ResolvedEdgeProtection = {
    httpsForced: true,
    requestsPerSecond: whole('requestsPerSecond', 1, 100000, 'requests per second per client'),
    burstMultiplier: whole('burstMultiplier', 1, 10, 'times the rate (a larger burst defeats the limit)'),
    clientIpAllowList: resolveAllowList(given.clientIpAllowList, problems),
    maxRequestBodyBytes: resolveBodySize(given.maxRequestBodySize, problems),
    readTimeoutSeconds: whole('readTimeoutSeconds', 1, 3600, 'seconds'),
    sendTimeoutSeconds: whole('sendTimeoutSeconds', 1, 3600, 'seconds'),
    connectTimeoutSeconds: whole('connectTimeoutSeconds', 1, 75, 'seconds'),
    trustedProxyHops: whole('trustedProxyHops', 1, 5, 'proxies in front of the edge, exactly as many as append to X-Forwarded-For'),
    clientCa: resolveClientCa(given.clientCertificateAuthority, problems),
    authentication: resolveAuthentication(given.authentication, problems),
  };
  return { given, requested };
}

/**
 * The `edgeProtection` fields Envoy Gateway cannot enforce as the library defines them, with the reason:
 * refused, never approximated.
 */
const ENVOY_GATEWAY_UNSUPPORTED: { readonly [field: string]: string } = {
  burstMultiplier: 'its local rate limit is a token bucket of exactly requestsPerSecond tokens, with no separate burst',
  readTimeoutSeconds: 'it has no timeout between two reads of the response (only a whole-request timeout)',
  sendTimeoutSeconds: 'it has no timeout between two writes of the request (only a whole-request timeout)',
};

/**
 * Resolves `edgeProtection` for a Gateway API implementation: with Envoy Gateway, the per-client rate
 * limit (20 requests per second by default), the client address allow-list, the body limit and the
 * connect timeout; every other field, and every field with another implementation, is refused.
 */
export function resolveGatewayEdgeProtection(
  props: SecureTradingApiProps, kind: GatewayImplementationKind, ownGateway: boolean, problems: Problems): ResolvedEdgeProtection {
  const { given, requested } = parseEdgeProtection(props, problems);
  switch (kind) {
    case GatewayImplementationKind.ENVOY_GATEWAY: {
      for (const [field, why] of Object.entries(ENVOY_GATEWAY_UNSUPPORTED)) {
        const value = (given as { [key: string]: unknown })[field];
        if (value !== undefined) {
          problems.add(`edgeProtection.${field}`, value, `cannot be enforced with Envoy Gateway: ${why}`,
            'remove it from edgeProtection (connectTimeoutSeconds, maxRequestBodySize, requestsPerSecond and clientIpAllowList are rendered), or expose the service through IngressController.ingressNginx()');
        }
      }
      if (requested.authentication?.kind === EdgeAuthenticationKind.EXTERNAL) {
        problems.add('edgeProtection.authentication', 'EdgeAuthentication.externalService(...)',
          'cannot be enforced with Envoy Gateway as given: its external authorization calls a backend Service by reference, not a URL',
          'use EdgeAuthentication.jwt({ issuer, jwksUri }) or EdgeAuthentication.oidc({ issuer, clientId, clientSecretName }), which Envoy Gateway validates itself');
      }
      if (requested.trustedProxyHops !== undefined && !ownGateway) {
        problems.add('edgeProtection.trustedProxyHops', requested.trustedProxyHops,
          'cannot be set on an existing Gateway: Envoy Gateway reads the client address with a ClientTrafficPolicy on the Gateway, which belongs to its owner',
          'have the Gateway\'s owner set clientIPDetection on its ClientTrafficPolicy, or use GatewayApi.own({ gatewayClassName }) for a Gateway of the service\'s own');
      }
      if (requested.clientCa && !ownGateway) {
        problems.add('edgeProtection.clientCertificateAuthority', requested.clientCa.name,
          'cannot be enforced on an existing Gateway: Envoy Gateway validates client certificates with a ClientTrafficPolicy on the Gateway, which belongs to its owner',
          'have the Gateway\'s owner require client certificates on its listener, or use GatewayApi.own({ gatewayClassName }) for a Gateway of the service\'s own');
      }
      return {
        httpsForced: true,
        requestsPerSecond: requested.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND,
        clientIpAllowList: requested.clientIpAllowList,
        maxRequestBodyBytes: requested.maxRequestBodyBytes,
        connectTimeoutSeconds: requested.connectTimeoutSeconds,
        trustedProxyHops: ownGateway ? requested.trustedProxyHops : undefined,
        clientCa: ownGateway ? requested.clientCa : undefined,
        authentication: requested.authentication?.kind === EdgeAuthenticationKind.EXTERNAL ? undefined : requested.authentication,
      };
    }
    case GatewayImplementationKind.OTHER:
      refuseAll(given, 'GatewayImplementation.other()', 'the library renders no policy for this implementation',
        'remove it from edgeProtection and configure it in the implementation itself, or use GatewayImplementation.envoyGateway()', problems);
      // The Gateway API route carries no protection of its own; HTTPS only is the listener's (checked by the guard).
      return { httpsForced: true, clientIpAllowList: [] };
    default: {
      const unknown: never = kind;
      throw new Error(`unknown Gateway implementation kind ${String(unknown)}`);
    }
  }
}

/** Resolves `edgeProtection` for the controller `kind`; `namespace` is the Ingress's (the client CA Secret is read from it). */
export function resolveEdgeProtection(
  props: SecureTradingApiProps, kind: IngressControllerKind, namespace: string, problems: Problems): EdgeResolution {
  const { given, requested } = parseEdgeProtection(props, problems);

  switch (kind) {
    case IngressControllerKind.INGRESS_NGINX: {
      if (requested.clientCa?.source === ClientCertificateAuthoritySource.CONFIG_MAP) {
        problems.add('edgeProtection.clientCertificateAuthority', requested.clientCa.name, 'is a ConfigMap, and ingress-nginx reads the client CA from a Secret only',
          'put the CA bundle under ca.crt in a Secret and pass ClientCertificateAuthority.fromSecret("<name>")');
      }
      if (requested.trustedProxyHops !== undefined) {
        problems.add('edgeProtection.trustedProxyHops', requested.trustedProxyHops,
          'cannot be set on an Ingress: ingress-nginx trusts X-Forwarded-For for every Ingress at once, from its ConfigMap',
          'leave it out and set use-forwarded-headers: "true" and proxy-real-ip-cidr (the load balancer\'s range) in the controller\'s ConfigMap, or use PROXY protocol');
      }
      const auth = requested.authentication?.kind;
      if (auth === EdgeAuthenticationKind.JWT || auth === EdgeAuthenticationKind.OIDC) {
        problems.add('edgeProtection.authentication', `EdgeAuthentication.${auth === EdgeAuthenticationKind.JWT ? 'jwt' : 'oidc'}(...)`,
          'cannot be enforced with ingress-nginx: it validates no token and runs no login itself',
          'run an authentication service such as oauth2-proxy and pass EdgeAuthentication.externalService({ url, signinUrl }), or use GatewayApi with Envoy Gateway');
      }
      const edge = { ...requested, requestsPerSecond: requested.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND };
      return { edge, annotations: renderIngressNginx(edge, namespace) };
    }
    case IngressControllerKind.TRAEFIK:
      refuseAll(given, 'Traefik', 'Traefik enforces it with a Middleware object, which this library does not emit',
        'remove it from edgeProtection; create a Traefik Middleware and attach it with unsafeIngressAnnotations '
        + '(traefik.ingress.kubernetes.io/router.middlewares) and a reason, or use IngressController.ingressNginx()', problems);
      // A router with TLS serves HTTPS only: plain HTTP never matches it.
      return { edge: { httpsForced: true, clientIpAllowList: [] }, annotations: { [`${TRAEFIK_PREFIX}router.tls`]: 'true' } };
    case IngressControllerKind.OTHER:
      refuseAll(given, 'IngressController.other()', 'the library renders no annotations for this controller',
        'remove it from edgeProtection and configure it in the controller itself, or name a controller the library renders for', problems);
      return { edge: { httpsForced: false, clientIpAllowList: [] }, annotations: {} };
    default: {
      const unknown: never = kind;
      throw new Error(`unknown ingress controller kind ${String(unknown)}`);
    }
  }
}

function refuseAll(given: Partial<EdgeProtection>, controller: string, why: string, fix: string, problems: Problems): void {
  for (const field of EDGE_KEYS) {
    const value = (given as { [key: string]: unknown })[field];
    if (value !== undefined) {
      problems.add(`edgeProtection.${field}`, value, `cannot be enforced with ${controller}: ${why}`, fix);
    }
  }
}

function resolveAllowList(value: unknown, problems: Problems): string[] {
  if (value === undefined) {
    return [];
  }
  const prop = 'edgeProtection.clientIpAllowList';
  const items = listOf(problems, prop, value, '["198.51.100.0/24"]');
  if (!items) {
    return [];
  }
  if (items.length === 0) {
    problems.add(prop, value, 'is empty, which would admit no client at all (or, to some readers, every client)',
      'list the client ranges to admit, or leave clientIpAllowList unset to admit every client');
  }
  if (items.length > MAX_ALLOW_LIST) {
    problems.add(prop, items.length, `has more than ${MAX_ALLOW_LIST} blocks`, 'summarize the ranges into fewer, wider blocks');
  }
  const out: string[] = [];
  items.forEach((item, index) => {
    const parsed = parseCidr(item as string);
    if (!parsed.cidr) {
      problems.add(`${prop}[${index}]`, item, parsed.problem!, 'write a CIDR block such as "198.51.100.0/24" or "2001:db8::/48"');
      return;
    }
    if (parsed.cidr.prefixLength === 0) {
      problems.add(`${prop}[${index}]`, item, 'admits every client address, so it restricts nothing',
        'list the client ranges to admit, or leave clientIpAllowList unset');
      return;
    }
    if (out.includes(parsed.cidr.canonical)) {
      problems.add(`${prop}[${index}]`, item, 'repeats an earlier block', 'list each block once');
      return;
    }
    out.push(parsed.cidr.canonical);
  });
  return out;
}

function resolveBodySize(value: unknown, problems: Problems): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const prop = 'edgeProtection.maxRequestBodySize';
  const fix = 'give a Kubernetes quantity of bytes from 1 to 1Gi, such as "64Ki" or "1Mi"';
  const typeProblem = stringProblem(value);
  if (typeProblem) {
    problems.add(prop, value, typeProblem, fix);
    return undefined;
  }
  const quantity = parseQuantity(value);
  if (!quantity) {
    problems.add(prop, value, 'is not a Kubernetes quantity', fix);
    return undefined;
  }
  if (!isWhole(quantity)) {
    problems.add(prop, value, 'is not a whole number of bytes', fix);
    return undefined;
  }
  const bytes = quantity.nanos / NANOS_PER_UNIT;
  if (bytes === 0n) {
    problems.add(prop, value, 'is zero, which ingress-nginx reads as "no limit"', fix);
    return undefined;
  }
  if (bytes > MAX_BODY_BYTES) {
    problems.add(prop, value, 'is larger than 1Gi; an API for orders needs far less, and large bodies exhaust the controller', fix);
    return undefined;
  }
  return Number(bytes);
}

/** nginx's size syntax: `k` and `m` are powers of 1024; exact, never rounded. */
function nginxSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) {
    return `${bytes / (1024 * 1024)}m`;
  }
  if (bytes % 1024 === 0) {
    return `${bytes / 1024}k`;
  }
  return String(bytes);
}

function renderIngressNginx(edge: ResolvedEdgeProtection, namespace: string): { [key: string]: string } {
  const ca = edge.clientCa?.source === ClientCertificateAuthoritySource.SECRET ? edge.clientCa : undefined;
  const external = edge.authentication?.kind === EdgeAuthenticationKind.EXTERNAL ? edge.authentication : undefined;
  const out: { [key: string]: string } = {
    [`${NGINX_PREFIX}force-ssl-redirect`]: 'true',
    [`${NGINX_PREFIX}limit-rps`]: String(edge.requestsPerSecond),
  };
  const optional: Array<[string, string | undefined]> = [
    // `allowlist-source-range` is the key current ingress-nginx reads; `whitelist-source-range` is
    // only its deprecated alias, read when the former is absent.
    ['allowlist-source-range', edge.clientIpAllowList.length > 0 ? edge.clientIpAllowList.join(',') : undefined],
    ['limit-burst-multiplier', edge.burstMultiplier === undefined ? undefined : String(edge.burstMultiplier)],
    ['proxy-body-size', edge.maxRequestBodyBytes === undefined ? undefined : nginxSize(edge.maxRequestBodyBytes)],
    ['proxy-connect-timeout', edge.connectTimeoutSeconds === undefined ? undefined : String(edge.connectTimeoutSeconds)],
    ['proxy-read-timeout', edge.readTimeoutSeconds === undefined ? undefined : String(edge.readTimeoutSeconds)],
    ['proxy-send-timeout', edge.sendTimeoutSeconds === undefined ? undefined : String(edge.sendTimeoutSeconds)],
    // Mutual TLS: the Secret as namespace/name, and a client without a valid certificate refused.
    ['auth-tls-secret', ca ? `${namespace}/${ca.name}` : undefined],
    ['auth-tls-verify-client', ca ? 'on' : undefined],
    // An external authentication service (oauth2-proxy): asked for every request; never a snippet.
    ['auth-url', external?.url],
    ['auth-signin', external?.signinUrl],
    ['auth-response-headers', external && external.responseHeaders.length > 0 ? external.responseHeaders.join(',') : undefined],
  ];
  for (const [name, value] of optional) {
    if (value !== undefined) {
      out[`${NGINX_PREFIX}${name}`] = value;
    }
  }
  return out;
}

/** The typed prop that renders an ingress-nginx annotation name, for the fix of a refused raw key. */
export const NGINX_TYPED_PROPS: { readonly [name: string]: string } = {
  'force-ssl-redirect': 'IngressController.ingressNginx(), which always forces HTTPS',
  'limit-rps': 'edgeProtection.requestsPerSecond',
  'limit-burst-multiplier': 'edgeProtection.burstMultiplier',
  'allowlist-source-range': 'edgeProtection.clientIpAllowList',
  'whitelist-source-range': 'edgeProtection.clientIpAllowList',
  'proxy-body-size': 'edgeProtection.maxRequestBodySize',
  'proxy-connect-timeout': 'edgeProtection.connectTimeoutSeconds',
  'proxy-read-timeout': 'edgeProtection.readTimeoutSeconds',
  'proxy-send-timeout': 'edgeProtection.sendTimeoutSeconds',
  'auth-tls-secret': 'edgeProtection.clientCertificateAuthority',
  'auth-tls-verify-client': 'edgeProtection.clientCertificateAuthority',
  'auth-url': 'edgeProtection.authentication (EdgeAuthentication.externalService)',
  'auth-signin': 'edgeProtection.authentication (EdgeAuthentication.externalService)',
  'auth-response-headers': 'edgeProtection.authentication (EdgeAuthentication.externalService)',
};
