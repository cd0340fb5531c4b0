/**
 * Gateway API exposure: for a PUBLIC service with `gatewayApi`, the HTTPRoute for the public host
 * (attached to one named listener of one Gateway), the service's own Gateway when it has one (a single
 * HTTPS listener, routes from its namespace only), and with Envoy Gateway the policies that enforce the
 * edge protections on the route.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EDGE_SECURITY_ALLOW_LIST, EDGE_SECURITY_ANNOTATION, EDGE_SECURITY_JWT, EDGE_SECURITY_OIDC,
  ENVOY_GATEWAY_IMPLEMENTATION, GATEWAY_IMPLEMENTATION_ANNOTATION,
} from './annotations';
import { ResolvedConfig } from './config';
import { ResolvedGatewayRoute } from './config/exposure';
import { ClientCertificateAuthoritySource, EdgeAuthenticationKind } from './edge-props';
import { GatewayImplementationKind } from './gateway-api';
import {
  BackendTrafficPolicy,
  ClientTrafficPolicy,
  BackendTrafficPolicySpecRateLimitLocalRules,
  BackendTrafficPolicySpecRateLimitLocalRulesClientSelectorsSourceCidrType as SourceCidrType,
  BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit as LimitUnit,
  BackendTrafficPolicySpecRequestBufferLimit,
  SecurityPolicy,
  SecurityPolicySpecAuthorizationDefaultAction,
  SecurityPolicySpecAuthorizationRulesAction,
} from './imports/gateway.envoyproxy.io';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesMatchesPathType,
} from './imports/gateway.networking.k8s.io';

/** The Gateway API group, as parent and policy target references name it. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** What the route needs from the workload part, passed in by the pattern. */
export interface GatewayRouteInputs {
  /** The service's Service; undefined when it has none (then there is no route either). */
  readonly serviceName?: string;
}

/** The objects of a Gateway API exposure. */
export interface GatewayRouteObjects {
  readonly gateway?: ApiObject;
  readonly httpRoute?: ApiObject;
  readonly securityPolicy?: ApiObject;
  readonly backendTrafficPolicy?: ApiObject;
  readonly clientTrafficPolicy?: ApiObject;
}

/** Emits the HTTPRoute (and the own Gateway and Envoy Gateway policies) of a service with `gatewayApi`. */
export function createGatewayRoute(scope: Construct, config: ResolvedConfig, inputs: GatewayRouteInputs): GatewayRouteObjects {
  const route = config.gatewayRoute;
  if (!route || inputs.serviceName === undefined) {
    return {};
  }
  const metadata = (annotations?: { [key: string]: string }) => ({
    name: config.name,
    namespace: config.namespace,
    labels: { ...config.labels },
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  });

  const gateway = !route.ownGateway ? undefined : new Gateway(scope, 'Gateway', {
    // With cert-manager, its gateway-shim reads the issuer annotations and fills the listener's Secret.
    metadata: metadata(route.ownGateway.tls.annotations),
    spec: {
      gatewayClassName: route.ownGateway.gatewayClassName,
      listeners: [{
        name: route.sectionName,
        protocol: 'HTTPS',
        port: 443,
        hostname: route.host,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: route.ownGateway.tls.secretName }] },
        allowedRoutes: {
          namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME },
          kinds: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute' }],
        },
      }],
    },
  });

  const envoy = route.implementationKind === GatewayImplementationKind.ENVOY_GATEWAY;
  // What the SecurityPolicy enforces, declared on the route so a policy removed or weakened later fails synth.
  const security = !envoy ? [] : [
    ...(route.edge.authentication?.kind === EdgeAuthenticationKind.JWT ? [EDGE_SECURITY_JWT] : []),
    ...(route.edge.authentication?.kind === EdgeAuthenticationKind.OIDC ? [EDGE_SECURITY_OIDC] : []),
    ...(route.edge.clientIpAllowList.length > 0 ? [EDGE_SECURITY_ALLOW_LIST] : []),
  ];
  const httpRoute = new HttpRoute(scope, 'HttpRoute', {
    // Declares the implementation and the edge security, so the guard holds the final output to its
    // policies (GW-RATE-LIMITED, GW-EDGE-SECURED).
    metadata: metadata(envoy ? {
      [GATEWAY_IMPLEMENTATION_ANNOTATION]: ENVOY_GATEWAY_IMPLEMENTATION,
      ...(security.length > 0 ? { [EDGE_SECURITY_ANNOTATION]: security.join(',') } : {}),
    } : undefined),
    spec: {
      parentRefs: [{
        group: GATEWAY_API_GROUP,
        kind: 'Gateway',
        name: route.gatewayName,
        ...(route.gatewayNamespace === config.namespace ? {} : { namespace: route.gatewayNamespace }),
        sectionName: route.sectionName,
      }],
      hostnames: [route.host],
      rules: [{
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: inputs.serviceName, port: config.servicePort }],
      }],
    },
  });

  if (!envoy) {
    return { gateway, httpRoute };
  }
  // Client certificates are checked at the TLS handshake, so on the Gateway: only the service's own.
  // So is the client address behind proxies (X-Forwarded-For): a setting of the Gateway's listeners.
  const ca = route.edge.clientCa;
  const hops = route.edge.trustedProxyHops;
  const clientTrafficPolicy = !gateway || (!ca && hops === undefined) ? undefined : new ClientTrafficPolicy(scope, 'ClientTrafficPolicy', {
    metadata: metadata(),
    spec: {
      targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: gateway.name }],
      ...(hops === undefined ? {} : { clientIpDetection: { xForwardedFor: { numTrustedHops: hops } } }),
      ...(!ca ? {} : {
        tls: {
          clientValidation: {
            caCertificateRefs: [{ group: '', kind: ca.source === ClientCertificateAuthoritySource.SECRET ? 'Secret' : 'ConfigMap', name: ca.name }],
          },
        },
      }),
    },
  });
  return { gateway, httpRoute, clientTrafficPolicy, ...envoyGatewayPolicies(scope, route, metadata()) };
}

/** The SecurityPolicy (client allow-list, JWT or OIDC) and BackendTrafficPolicy (rate limit, body limit, connect timeout) on the route. */
function envoyGatewayPolicies(
  scope: Construct, route: ResolvedGatewayRoute, metadata: { name: string; namespace: string; labels: { [key: string]: string } })
  : { securityPolicy?: ApiObject; backendTrafficPolicy: ApiObject } {
  const targetRefs = [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name: metadata.name }];
  const edge = route.edge;

  const auth = edge.authentication;
  const jwt = auth?.kind !== EdgeAuthenticationKind.JWT ? undefined : {
    providers: [{
      name: 'edge',
      issuer: auth.issuer,
      remoteJwks: { uri: auth.jwksUri! },
      ...(auth.audiences.length > 0 ? { audiences: [...auth.audiences] } : {}),
    }],
  };
  const oidc = auth?.kind !== EdgeAuthenticationKind.OIDC ? undefined : {
    provider: { issuer: auth.issuer! },
    clientId: auth.clientId,
    clientSecret: { group: '', kind: 'Secret', name: auth.clientSecretName! },
    ...(auth.redirectUrl === undefined ? {} : { redirectUrl: auth.redirectUrl }),
  };
  const authorization = edge.clientIpAllowList.length === 0 ? undefined : {
    defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY,
    rules: [{
      name: 'client-ip-allow-list',
      action: SecurityPolicySpecAuthorizationRulesAction.ALLOW,
      principal: { clientCidRs: [...edge.clientIpAllowList] },
    }],
  };
  const securityPolicy = !authorization && !jwt && !oidc ? undefined : new SecurityPolicy(scope, 'SecurityPolicy', {
    metadata,
    spec: {
      targetRefs,
      ...(jwt ? { jwt } : {}),
      ...(oidc ? { oidc } : {}),
      ...(authorization ? { authorization } : {}),
    },
  });

  // One bucket per client address (Distinct), in each address family; each proxy replica counts alone.
  const perClient = (cidr: string): BackendTrafficPolicySpecRateLimitLocalRules => ({
    clientSelectors: [{ sourceCidr: { type: SourceCidrType.DISTINCT, value: cidr } }],
    limit: { requests: edge.requestsPerSecond!, unit: LimitUnit.SECOND },
  });
  const backendTrafficPolicy = new BackendTrafficPolicy(scope, 'BackendTrafficPolicy', {
    metadata,
    spec: {
      targetRefs,
      rateLimit: { local: { rules: [perClient('0.0.0.0/0'), perClient('::/0')] } },
      // Envoy buffers the body up to the limit and answers 413 beyond it.
      ...(edge.maxRequestBodyBytes === undefined ? {}
        : { requestBuffer: { limit: BackendTrafficPolicySpecRequestBufferLimit.fromString(String(edge.maxRequestBodyBytes)) } }),
      ...(edge.connectTimeoutSeconds === undefined ? {} : { timeout: { tcp: { connectTimeout: `${edge.connectTimeoutSeconds}s` } } }),
    },
  });
  return { securityPolicy, backendTrafficPolicy };
}
