/**
 * Exposure rules: HTTPS for every host, no annotation that injects controller configuration or turns a
 * protection off, and a backend that exists.
 */
import { Manifest, Rule, rule } from '../rule';

/** Characters that nginx configuration interprets: a value holding one can inject directives. */
const INJECTION = /[\n\r;{}$`\\'"]/;
/** Annotation keys (after the controller prefix) that switch TLS forcing, rate limits or host matching off. */
const DISABLING: { [key: string]: (value: string) => boolean } = {
  'ssl-passthrough': () => true,
  'ssl-redirect': (v) => v !== 'true',
  'force-ssl-redirect': (v) => v !== 'true',
  'limit-whitelist': () => true,
  'limit-allowlist': () => true,
  'server-alias': (v) => /[*~^$()[\]\\|]/.test(v),
  'use-regex': (v) => v === 'true',
  'backend-protocol': (v) => !/^(HTTP|HTTPS|GRPC|GRPCS)$/.test(v),
};
const CONTROLLER_PREFIX = /^(nginx\.)?ingress\.kubernetes\.io\//;

const ingresses = (object: Manifest) => object.kind === 'Ingress';

export const EXPOSURE_RULES: Rule[] = [
  rule({
    id: 'ING-TLS',
    title: 'Every Ingress host is served over TLS, and no rule lacks a host',
    threat: 'A host without TLS sends API keys and orders in clear text; a rule without a host answers for any name pointed at the controller.',
    fix: 'List every rule host in spec.tls with a secretName.',
    appliesTo: ingresses,
    check: (object, _context, report) => {
      const tls: Manifest[] = Array.isArray(object.spec?.tls) ? object.spec.tls : [];
      const covered = new Set(tls.filter((t) => t?.secretName).flatMap((t) => (Array.isArray(t.hosts) ? t.hosts : [])));
      (Array.isArray(object.spec?.rules) ? object.spec.rules : []).forEach((r: Manifest, i: number) => {
        if (typeof r?.host !== 'string' || r.host === '') {
          report(`spec.rules[${i}].host`, 'the rule has no host, so it matches every name');
        } else if (!covered.has(r.host)) {
          report('spec.tls', `host ${r.host} has no TLS certificate`);
        }
      });
      if (object.spec?.defaultBackend) {
        report('spec.defaultBackend', 'a default backend answers every host and path');
      }
    },
  }),
  rule({
    id: 'ING-NO-CONFIG-INJECTION',
    title: 'No snippet annotation, no controller annotation value that can carry configuration, nothing that switches TLS forcing, rate limits or host matching off',
    threat: 'Snippet annotations and values with newlines, semicolons or braces inject nginx configuration (the CVE-2025-1974 family): reading every Secret the controller can read.',
    fix: 'Remove the annotation; use the library\'s typed props for rate limits, allow-lists and TLS.',
    appliesTo: ingresses,
    check: (object, _context, report) => {
      for (const [key, raw] of Object.entries(object.metadata?.annotations ?? {})) {
        const value = String(raw);
        const field = `metadata.annotations["${key}"]`;
        if (/snippets?$/.test(key)) {
          report(field, 'is a snippet annotation');
          continue;
        }
        if (CONTROLLER_PREFIX.test(key) && INJECTION.test(value)) {
          report(field, `value ${JSON.stringify(value)} holds characters that nginx configuration interprets`);
        }
        const name = key.replace(CONTROLLER_PREFIX, '');
        if (CONTROLLER_PREFIX.test(key) && DISABLING[name]?.(value)) {
          report(field, `${JSON.stringify(value)} switches a protection off`);
        }
      }
    },
  }),
  rule({
    id: 'ING-CLASS',
    title: 'The Ingress names its class once, in spec.ingressClassName',
    threat: 'A kubernetes.io/ingress.class annotation that differs from ingressClassName hands the Ingress to another controller, without the protections configured for the first.',
    fix: 'Remove the kubernetes.io/ingress.class annotation; set spec.ingressClassName.',
    appliesTo: ingresses,
    check: (object, _context, report) => {
      const annotation = object.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (typeof object.spec?.ingressClassName !== 'string' || object.spec.ingressClassName === '') {
        report('spec.ingressClassName', 'is not set, so the cluster\'s default controller (or none) serves the Ingress');
      }
      if (annotation !== undefined && annotation !== object.spec?.ingressClassName) {
        report('metadata.annotations["kubernetes.io/ingress.class"]', `"${annotation}" contradicts spec.ingressClassName "${object.spec?.ingressClassName}"`);
      }
    },
  }),
  rule({
    id: 'ING-BACKEND',
    title: 'Every Ingress backend is a Service port of the same service, by name',
    threat: 'A backend that points elsewhere exposes another workload (or nothing) under the service\'s TLS host.',
    fix: 'Point every path at the service\'s own Service and its named port.',
    appliesTo: (object, context) => ingresses(object) && context.isService,
    check: (object, context, report) => {
      (Array.isArray(object.spec?.rules) ? object.spec.rules : []).forEach((r: Manifest, i: number) => {
        (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: Manifest, j: number) => {
          const backend = p?.backend?.service;
          const service = context.objects.find((o) => o.kind === 'Service' && o.metadata?.name === backend?.name
            && o.metadata?.namespace === object.metadata?.namespace);
          if (!service || !(service.spec?.ports ?? []).some((sp: Manifest) => sp?.name === backend?.port?.name)) {
            report(`spec.rules[${i}].http.paths[${j}].backend.service`, `${JSON.stringify(backend)} is not a named port of the service's Service`);
          }
        });
      });
    },
  }),
];
