/**
 * Ingress annotations on their own: which keys configure a controller, which switch a protection off
 * whatever the opt-in, which values a controller's configuration language could interpret, and the
 * API server's limits on keys and total size.
 */
import {
  annotationDomain, annotationKeyProblem, annotationName, annotationsSizeProblem, annotationValueProblem, controllerDomainOf,
  forbiddenKeyProblem, TOTAL_ANNOTATION_SIZE_LIMIT,
} from '../src/annotations';

describe('key parts', () => {
  test('domain and name, lower-cased; no domain without a slash', () => {
    expect(annotationDomain('Nginx.Ingress.Kubernetes.io/Auth-URL')).toBe('nginx.ingress.kubernetes.io');
    expect(annotationName('Nginx.Ingress.Kubernetes.io/Auth-URL')).toBe('auth-url');
    expect(annotationDomain('description')).toBeUndefined();
    expect(annotationName('Description')).toBe('description');
    expect(annotationDomain('a/b/c')).toBe('a/b');
    expect(annotationName('a/b/c')).toBe('c');
  });

  test.each([
    ['nginx.ingress.kubernetes.io/rewrite-target', 'kubernetes.io'],
    ['kubernetes.io/ingress.class', 'kubernetes.io'],
    ['cert-manager.io/cluster-issuer', 'cert-manager.io'],
    ['ALB.Ingress.Kubernetes.io/scheme', 'kubernetes.io'],
    ['service.beta.kubernetes.io/aws-load-balancer-type', 'kubernetes.io'],
    ['secure-trading-api.io/reason', 'secure-trading-api.io'],
    ['projectcontour.io/websocket-routes', 'projectcontour.io'],
  ])('%s belongs to %s', (key, domain) => {
    expect(controllerDomainOf(key)).toBe(domain);
  });

  test.each(['example.com/owner', 'notkubernetes.io/x', 'kubernetes.io.example.com/x', 'owner'])('%s belongs to no controller', (key) => {
    expect(controllerDomainOf(key)).toBeUndefined();
  });
});

describe('keys the API server refuses', () => {
  test('named as annotation keys, checked lower-cased', () => {
    expect(annotationKeyProblem('Example.com/Owner')).toBeUndefined();
    expect(annotationKeyProblem('example.com/')).toBe('annotation key "example.com/" must end in a name of 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    expect(annotationKeyProblem('exa mple.com/x')).toBe('annotation key prefix "exa mple.com" must be a DNS subdomain');
  });
});

describe('values a controller could interpret', () => {
  test.each(['https://auth.example.com/verify', '100', 'true', '10.0.0.0/8', 'a b', ' ~!@%^&*()-_=+[]|:,.<>?/'])('%j is accepted', (value) => {
    expect(annotationValueProblem(value)).toBeUndefined();
  });

  test.each([';', '{', '}', '$', '`', '"', '\'', '\\', '#'])('%j is refused as configuration', (character) => {
    expect(annotationValueProblem(`a${character}b`)).toBe(
      `contains ${JSON.stringify(character)}, which controller configuration can interpret (configuration injection, the CVE-2025-1974 family)`);
  });

  test.each([['\n', '000A'], ['\u001f', '001F'], ['\u007f', '007F'], ['é', '00E9'], ['\u{1F600}', '1F600']])('%j is refused (U+%s)', (character, code) => {
    expect(annotationValueProblem(`ok${character}`)).toContain(`(U+${code}): only printable ASCII is accepted`);
  });

  test('space and tilde, the ends of printable ASCII, are accepted', () => {
    expect(annotationValueProblem(' ')).toBeUndefined();
    expect(annotationValueProblem('~')).toBeUndefined();
  });
});

describe('keys never emitted, whatever the opt-in', () => {
  test.each([
    ['nginx.ingress.kubernetes.io/configuration-snippet', 'x', 'snippet annotation'],
    ['nginx.ingress.kubernetes.io/server-snippets', 'x', 'snippet annotation'],
    ['example.org/snippet', 'x', 'snippet annotation'],
    ['example.org/snippets', 'x', 'snippet annotation'],
    ['nginx.org/Server-Snippets', 'x', 'snippet annotation'],
    ['haproxy.org/config-backend', 'x', 'injects raw controller configuration'],
    ['nginx.ingress.kubernetes.io/ssl-passthrough', 'true', 'passes TLS through'],
    ['nginx.ingress.kubernetes.io/ssl-redirect', 'false', 'switches the HTTPS redirect off'],
    ['nginx.ingress.kubernetes.io/force-ssl-redirect', 'False', 'switches the HTTPS redirect off'],
    ['traefik.ingress.kubernetes.io/router.tls', 'false', 'plain HTTP'],
    ['Traefik.Ingress.Kubernetes.io/router.tls', '', 'plain HTTP'],
    ['nginx.ingress.kubernetes.io/limit-whitelist', '10.0.0.0/8', 'exempts clients from the rate limit'],
    ['nginx.ingress.kubernetes.io/limit-allowlist', '10.0.0.0/8', 'exempts clients from the rate limit'],
    ['example.com/ratelimit-ignored', 'x', 'exempts clients from the rate limit'],
    ['example.com/limit-exempt', 'x', 'exempts clients from the rate limit'],
    ['nginx.ingress.kubernetes.io/server-alias', 'other.example.com', 'adds host names'],
    ['nginx.ingress.kubernetes.io/use-regex', 'true', 'regular expressions'],
  ])('%s: %j', (key, value, words) => {
    expect(forbiddenKeyProblem(key, value)).toContain(words);
  });

  test.each([
    ['nginx.ingress.kubernetes.io/ssl-redirect', 'true'],
    ['nginx.ingress.kubernetes.io/force-ssl-redirect', 'true'],
    ['traefik.ingress.kubernetes.io/router.tls', 'true'],
    ['example.com/router.tls', 'false'], // only Traefik's router.tls
    ['nginx.ingress.kubernetes.io/limit-rps', '10'],
    ['example.com/whitelist-source-range', '10.0.0.0/8'], // an allow-list narrows access; only a rate-limit exemption is refused
    ['nginx.ingress.kubernetes.io/snippet-allowed', 'x'],
    ['nginx.ingress.kubernetes.io/my-config-x', 'x'],
    ['nginx.ingress.kubernetes.io/auth-url', 'https://auth.example.com'],
  ])('%s: %j is allowed', (key, value) => {
    expect(forbiddenKeyProblem(key, value)).toBeUndefined();
  });
});

describe('total annotation size', () => {
  test('counts the bytes of keys and values, and allows exactly the limit', () => {
    expect(TOTAL_ANNOTATION_SIZE_LIMIT).toBe(262144);
    expect(annotationsSizeProblem({})).toBeUndefined();
    expect(annotationsSizeProblem({ k: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT - 1) })).toBeUndefined();
    expect(annotationsSizeProblem({ k: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT) })).toBe(
      'add up to 262145 bytes, more than the API server\'s limit of 262144 bytes (256 KiB) for all annotations of an object');
    // UTF-8 bytes, not characters: é is two bytes.
    expect(annotationsSizeProblem({ k: 'é'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT / 2) })).toContain('add up to 262145 bytes');
    expect(annotationsSizeProblem({ a: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT / 2), b: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT / 2) })).toContain('262146 bytes');
  });
});
