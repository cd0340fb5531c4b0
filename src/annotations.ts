/**
 * Ingress annotation keys and values: what the API server accepts, which keys configure a controller
 * or cert-manager, which keys switch a protection off, and which values configuration could interpret.
 * Small and pure: each function takes a key or value and answers with a problem or nothing.
 */
import { labelKeyProblem } from './validate';

/** The API server's limit on the total size of an object's annotations (keys plus values, in bytes). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** The library's own annotation prefix: nobody else may write under it. */
export const LIBRARY_ANNOTATION_PREFIX = 'secure-trading-api.io/';

/** On the workload of a service with `imageSignature`: the Kyverno ClusterPolicy its images must pass (SUP-IMAGES-SIGNED). */
export const IMAGE_SIGNATURE_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}image-signature-policy`;

/** On a singleton's workload: the guard holds it to at-most-one-pod semantics (WL-SINGLETON). */
export const SINGLETON_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}singleton`;
/**
 * On an HTTPRoute: the Gateway API implementation that serves it (`envoy-gateway`), a promise the
 * guard holds the final output to (the route's rate limit policy must be there).
 */
export const GATEWAY_IMPLEMENTATION_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}gateway-implementation`;
/** The value of {@link GATEWAY_IMPLEMENTATION_ANNOTATION} for Envoy Gateway. */
export const ENVOY_GATEWAY_IMPLEMENTATION = 'envoy-gateway';
/**
 * On an HTTPRoute served by Envoy Gateway: what its SecurityPolicy must enforce, a comma-separated
 * list of {@link EDGE_SECURITY_JWT}, {@link EDGE_SECURITY_OIDC} and {@link EDGE_SECURITY_ALLOW_LIST};
 * a promise the guard holds the final output to (GW-EDGE-SECURED).
 */
export const EDGE_SECURITY_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}edge-security`;
/** Tokens validated against the issuer's keys. */
export const EDGE_SECURITY_JWT = 'jwt';
/** An OIDC login before any request reaches the API. */
export const EDGE_SECURITY_OIDC = 'oidc';
/** Only the listed client address ranges admitted, everything else denied. */
export const EDGE_SECURITY_ALLOW_LIST = 'client-ip-allow-list';

/**
 * Domains whose annotations configure an ingress controller, a cloud load balancer or cert-manager,
 * matched as the key's prefix or a subdomain of it. `kubernetes.io` and `k8s.io` are reserved for
 * Kubernetes components and cover `nginx.ingress.kubernetes.io`, `ingress.kubernetes.io`,
 * `traefik.ingress.kubernetes.io`, `alb.ingress.kubernetes.io`, `kubernetes.io/ingress.class`, ...
 */
export const CONTROLLER_DOMAINS: readonly string[] = [
  'kubernetes.io', 'k8s.io', 'cert-manager.io', 'nginx.org', 'nginx.com', 'traefik.io', 'traefik.containo.us',
  'haproxy.org', 'haproxy-ingress.github.io', 'openshift.io', 'konghq.com', 'projectcontour.io', 'heptio.com',
  'apisix.apache.org', 'getambassador.io', 'zalando.org', 'citrix.com', 'gke.io', 'cloud.google.com', 'azure.com',
  'amazonaws.com', 'envoyproxy.io', 'istio.io', 'secure-trading-api.io',
];

/** The ingress-nginx annotation prefix (its default `--annotations-prefix`). */
export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';
/** The Traefik Kubernetes Ingress provider's annotation prefix. */
export const TRAEFIK_PREFIX = 'traefik.ingress.kubernetes.io/';
/** The legacy IngressClass annotation; the API server refuses it when it contradicts `ingressClassName`. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Characters nginx (and other controllers' configuration languages) can interpret in a value. */
const CONFIGURATION_CHARACTERS = ';{}$`"\'\\#';

/** The domain (prefix) of an annotation key, lower-cased, or undefined when it has none. */
export function annotationDomain(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? undefined : key.slice(0, slash).toLowerCase();
}

/** The name part of an annotation key (after the prefix), lower-cased. */
export function annotationName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).toLowerCase();
}

/** The controller or cert-manager domain the key belongs to, or undefined. */
export function controllerDomainOf(key: string): string | undefined {
  const domain = annotationDomain(key);
  if (domain === undefined) {
    return undefined;
  }
  return CONTROLLER_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * A key the API server refuses: annotation keys are qualified names (an optional DNS subdomain prefix
 * and "/", then a name of 1-63 characters), checked lower-cased.
 */
export function annotationKeyProblem(key: string): string | undefined {
  return labelKeyProblem(key.toLowerCase())?.replace(/label key/g, 'annotation key');
}

/**
 * A value no controller may receive: anything but printable ASCII (a newline ends an nginx directive),
 * and the characters configuration languages interpret (`;`, braces, `$`, backtick, quotes, backslash,
 * `#`). This is how the CVE-2025-1974 family of injections reaches nginx.conf.
 */
export function annotationValueProblem(value: string): string | undefined {
  for (const character of value) {
    const code = character.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e) {
      return `contains ${JSON.stringify(character)} (U+${code.toString(16).toUpperCase().padStart(4, '0')}): only printable ASCII is accepted, a newline or control character can end a configuration directive`;
    }
    if (CONFIGURATION_CHARACTERS.includes(character)) {
      return `contains ${JSON.stringify(character)}, which controller configuration can interpret (configuration injection, the CVE-2025-1974 family)`;
    }
  }
  return undefined;
}

/**
 * Why a key may never be emitted, whatever the opt-in: it injects raw configuration, or it switches
 * off TLS forcing, rate limiting or exact host matching. Checked on the name part under every prefix,
 * since a controller's prefix is configurable.
 */
export function forbiddenKeyProblem(key: string, value: string): string | undefined {
  const name = annotationName(key);
  if (/-snippets?$/.test(name) || name === 'snippet' || name === 'snippets') {
    return 'is a snippet annotation: it injects raw controller configuration (CVE-2025-1974 family)';
  }
  if (/^config-/.test(name)) {
    return 'injects raw controller configuration';
  }
  if (name === 'ssl-passthrough') {
    return 'passes TLS through to the pod: the controller then neither terminates TLS nor enforces HTTPS, rate limits or allow-lists';
  }
  if ((name === 'ssl-redirect' || name === 'force-ssl-redirect') && value !== 'true') {
    return 'switches the HTTPS redirect off: plain HTTP would reach the API';
  }
  if (key.toLowerCase().startsWith(TRAEFIK_PREFIX) && name === 'router.tls' && value !== 'true') {
    return 'lets the Traefik router serve plain HTTP';
  }
  if (/limit/.test(name) && /(whitelist|allowlist|ignored|exempt)/.test(name)) {
    return 'exempts clients from the rate limit';
  }
  if (name === 'server-alias') {
    return 'adds host names to the server: requests for other hosts (wildcards and regular expressions included) would reach the API';
  }
  if (name === 'use-regex') {
    return 'turns path and host matching into regular expressions, which can match far more than the host given';
  }
  return undefined;
}

/** The total size of annotations as the API server counts it (bytes of keys and values); a problem above its limit. */
export function annotationsSizeProblem(annotations: { [key: string]: string }): string | undefined {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    return `add up to ${total} bytes, more than the API server's limit of ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes (256 KiB) for all annotations of an object`;
  }
  return undefined;
}
