/**
 * Gateway API rules: a Gateway the output declares listens for HTTPS only, for a named public host,
 * and takes routes from its own namespace only; an HTTPRoute attaches to one named listener of one
 * Gateway, for public host names only, and sends traffic only to the service's own Service.
 */
import {
  EDGE_SECURITY_ALLOW_LIST, EDGE_SECURITY_ANNOTATION, EDGE_SECURITY_JWT, EDGE_SECURITY_OIDC,
  ENVOY_GATEWAY_IMPLEMENTATION, GATEWAY_IMPLEMENTATION_ANNOTATION,
} from '../../annotations';
import { internalHostProblem } from '../../validate';
import { Manifest, Rule, rule } from '../rule';

const GATEWAY_API = 'gateway.networking.k8s.io/';
const gateways = (object: Manifest) => object.kind === 'Gateway' && String(object.apiVersion ?? '').startsWith(GATEWAY_API);
const httpRoutes = (object: Manifest) => object.kind === 'HTTPRoute' && String(object.apiVersion ?? '').startsWith(GATEWAY_API);
const list = (value: unknown): Manifest[] => (Array.isArray(value) ? value : []);
/** The Envoy Gateway policies of `kind` in the route's namespace that target the route by name. */
const policiesOf = (kind: string, route: Manifest, objects: readonly Manifest[]): Manifest[] => objects.filter((o) => o.kind === kind
  && String(o.apiVersion ?? '').startsWith('gateway.envoyproxy.io/')
  && o.metadata?.namespace === route.metadata?.namespace
  && list(o.spec?.targetRefs).some((t) => t?.kind === 'HTTPRoute' && t?.name === route.metadata?.name));

/** What is wrong with a route or listener host name; undefined for a public, exact name. */
function hostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string' || host === '') {
    return 'is not set, so it matches every name pointed at the Gateway';
  }
  if (host.includes('*')) {
    return `"${host}" is a wildcard, which answers for names nobody reviewed`;
  }
  const internal = internalHostProblem(host);
  return internal ? `"${host}" ${internal}` : undefined;
}

export const GATEWAY_RULES: Rule[] = [
  rule({
    id: 'GW-HTTPS-ONLY',
    title: 'Every listener of a declared Gateway serves HTTPS with a certificate, for one public host, and admits routes from its own namespace only',
    threat: 'A plain-HTTP listener sends API keys and orders in clear text; a listener without a host answers for any name; a listener open to other namespaces lets any team publish a route under the service\'s TLS host.',
    fix: 'Give each listener protocol HTTPS, tls.mode Terminate with certificateRefs, a hostname, and allowedRoutes.namespaces.from Same; redirect HTTP outside the declared Gateway if at all.',
    appliesTo: gateways,
    check: (object, _context, report) => {
      const listeners = list(object.spec?.listeners);
      if (listeners.length === 0) {
        report('spec.listeners', 'the Gateway has no listener');
      }
      listeners.forEach((listener, i) => {
        const at = `spec.listeners[${i}]`;
        if (listener?.protocol !== 'HTTPS') {
          report(`${at}.protocol`, `"${listener?.protocol}" is not HTTPS`);
        }
        const mode = listener?.tls?.mode ?? 'Terminate';
        if (mode !== 'Terminate' || list(listener?.tls?.certificateRefs).length === 0) {
          report(`${at}.tls`, 'does not terminate TLS with a certificate (certificateRefs)');
        }
        const problem = hostProblem(listener?.hostname);
        if (problem) {
          report(`${at}.hostname`, problem);
        }
        const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
        if (from !== 'Same') {
          report(`${at}.allowedRoutes.namespaces.from`, `"${from}" admits routes from other namespaces`);
        }
      });
    },
  }),
  rule({
    id: 'GW-ROUTE-PARENT',
    title: 'An HTTPRoute attaches to one named listener of one Gateway, for public host names only',
    threat: 'A route without a sectionName attaches to every listener of the Gateway, a plain-HTTP one included; a route without hostnames, or with a wildcard, answers for names nobody reviewed.',
    fix: 'Give the route exactly one parentRef (kind Gateway, with a sectionName naming an HTTPS listener) and the exact public host names it serves.',
    appliesTo: httpRoutes,
    check: (object, context, report) => {
      const parents = list(object.spec?.parentRefs);
      if (parents.length !== 1) {
        report('spec.parentRefs', `has ${parents.length} parents; the route must attach to exactly one Gateway listener`);
      }
      parents.forEach((parent, i) => {
        const at = `spec.parentRefs[${i}]`;
        if ((parent?.kind ?? 'Gateway') !== 'Gateway' || (parent?.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') {
          report(at, 'is not a Gateway');
        }
        if (typeof parent?.sectionName !== 'string' || parent.sectionName === '') {
          report(`${at}.sectionName`, 'is not set, so the route attaches to every listener of the Gateway');
          return;
        }
        // A parent Gateway in the same output: the listener must exist there.
        const namespace = parent.namespace ?? object.metadata?.namespace;
        const declared = context.objects.find((o) => gateways(o) && o.metadata?.name === parent.name && o.metadata?.namespace === namespace);
        if (declared && !list(declared.spec?.listeners).some((l) => l?.name === parent.sectionName)) {
          report(`${at}.sectionName`, `"${parent.sectionName}" is not a listener of the Gateway ${namespace}/${parent.name}`);
        }
      });
      const hostnames = list(object.spec?.hostnames);
      if (hostnames.length === 0) {
        report('spec.hostnames', 'is empty, so the route answers for every host of the listener');
      }
      hostnames.forEach((host, i) => {
        const problem = hostProblem(host);
        if (problem) {
          report(`spec.hostnames[${i}]`, problem);
        }
      });
    },
  }),
  rule({
    id: 'GW-RATE-LIMITED',
    title: 'An HTTPRoute served by Envoy Gateway has a BackendTrafficPolicy with a rate limit per client address',
    threat: 'Without its policy (removed or retargeted after construction) the route takes unlimited requests from every client: brute force against the API and the exchange keys behind it.',
    fix: 'Keep the BackendTrafficPolicy the library emits (targetRefs the HTTPRoute, rateLimit.local rules with sourceCIDR type Distinct); set edgeProtection.requestsPerSecond to change the rate.',
    appliesTo: (object, context) => httpRoutes(object) && context.isService
      && object.metadata?.annotations?.[GATEWAY_IMPLEMENTATION_ANNOTATION] === ENVOY_GATEWAY_IMPLEMENTATION,
    check: (object, context, report) => {
      const limited = policiesOf('BackendTrafficPolicy', object, context.objects).some((o) => list(o.spec?.rateLimit?.local?.rules).length > 0
        && list(o.spec.rateLimit.local.rules).every((r) => Number.isInteger(r?.limit?.requests) && r.limit.requests > 0
          && list(r?.clientSelectors).some((s) => s?.sourceCIDR?.type === 'Distinct')));
      if (!limited) {
        report('metadata.name', 'no BackendTrafficPolicy in the namespace limits this route per client address');
      }
    },
  }),
  rule({
    id: 'GW-EDGE-SECURED',
    title: 'An HTTPRoute whose edge declares authentication or a client allow-list has a SecurityPolicy that enforces exactly that',
    threat: 'The SecurityPolicy is what keeps unauthenticated callers and unknown addresses away from the API; removed, retargeted or weakened '
      + 'after construction (an allow-list admitting every address, an Allow default, a JWT provider gone), the route serves everyone while the code still reads as protected.',
    fix: 'Keep the SecurityPolicy the library emits (targetRefs the HTTPRoute); change edgeProtection.authentication or edgeProtection.clientIpAllowList instead.',
    appliesTo: (object, context) => httpRoutes(object) && context.isService
      && object.metadata?.annotations?.[GATEWAY_IMPLEMENTATION_ANNOTATION] === ENVOY_GATEWAY_IMPLEMENTATION
      && typeof object.metadata?.annotations?.[EDGE_SECURITY_ANNOTATION] === 'string',
    check: (object, context, report) => {
      const declared = String(object.metadata.annotations[EDGE_SECURITY_ANNOTATION]).split(',');
      const policies = policiesOf('SecurityPolicy', object, context.objects);
      if (policies.length !== 1) {
        report('metadata.name', policies.length === 0 ? 'no SecurityPolicy in the namespace targets this route'
          : `${policies.length} SecurityPolicies target this route: Envoy Gateway applies one, and which is not up to this output`);
        return;
      }
      const spec = policies[0].spec ?? {};
      for (const item of declared) {
        if (item === EDGE_SECURITY_JWT) {
          const providers = list(spec.jwt?.providers);
          if (providers.length === 0 || !providers.every((p) => typeof p?.issuer === 'string' && typeof p?.remoteJWKS?.uri === 'string')) {
            report('metadata.name', 'its SecurityPolicy validates no JWT (spec.jwt.providers with issuer and remoteJWKS)');
          }
        } else if (item === EDGE_SECURITY_OIDC) {
          if (typeof spec.oidc?.provider?.issuer !== 'string' || typeof spec.oidc?.clientID !== 'string') {
            report('metadata.name', 'its SecurityPolicy runs no OIDC login (spec.oidc with provider.issuer and clientID)');
          }
        } else if (item === EDGE_SECURITY_ALLOW_LIST) {
          const rules = list(spec.authorization?.rules);
          const everyone = rules.some((r) => list(r?.principal?.clientCIDRs).some((c: unknown) => c === '0.0.0.0/0' || c === '::/0'));
          if (spec.authorization?.defaultAction !== 'Deny' || rules.length === 0 || everyone
            || !rules.every((r) => r?.action === 'Allow' && list(r?.principal?.clientCIDRs).length > 0)) {
            report('metadata.name', 'its SecurityPolicy does not deny every address outside the allow-list (authorization.defaultAction Deny, Allow rules by clientCIDRs, none for every address)');
          }
        } else {
          report(`metadata.annotations["${EDGE_SECURITY_ANNOTATION}"]`, `declares "${item}", which the library never writes`);
        }
      }
    },
  }),
  rule({
    id: 'GW-ROUTE-BACKEND',
    title: 'Every HTTPRoute backend is a port of the service\'s own Service',
    threat: 'A backend that points elsewhere (another namespace, another Service) exposes another workload under the service\'s TLS host.',
    fix: 'Point every backendRef at the service\'s own Service, in its namespace, on the API port.',
    appliesTo: (object, context) => httpRoutes(object) && context.isService,
    check: (object, context, report) => {
      list(object.spec?.rules).forEach((r, i) => {
        list(r?.backendRefs).forEach((backend, j) => {
          const at = `spec.rules[${i}].backendRefs[${j}]`;
          const isService = (backend?.kind ?? 'Service') === 'Service' && (backend?.group ?? '') === '';
          const namespace = backend?.namespace ?? object.metadata?.namespace;
          const service = context.objects.find((o) => o.kind === 'Service' && o.metadata?.name === backend?.name
            && o.metadata?.namespace === namespace && namespace === object.metadata?.namespace);
          if (!isService || !service || !list(service.spec?.ports).some((p) => p?.port === backend?.port)) {
            report(at, `${JSON.stringify(backend)} is not a port of the service's Service`);
          }
        });
      });
    },
  }),
];
