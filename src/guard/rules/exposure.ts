/**
 * Exposure rules: HTTPS for every host, no annotation that injects controller configuration or turns a
 * protection off, and a backend that exists.
 */
import {
  annotationName,
  annotationsSizeProblem,
  annotationValueProblem,
  controllerDomainOf,
  forbiddenKeyProblem,
  INGRESS_CLASS_ANNOTATION,
  NGINX_PREFIX,
  TRAEFIK_PREFIX,
} from '../../annotations';
import { NGINX_TYPED_PROPS } from '../../config/edge';
import { CERT_MANAGER_TYPED, UNSAFE_REASON_ANNOTATION } from '../../config/exposure';
import { internalHostProblem } from '../../validate';
import { Manifest, Rule, rule } from '../rule';

const ingresses = (object: Manifest) => object.kind === 'Ingress';

/** Whether the library renders this annotation key from a typed prop. */
function typedKey(key: string): boolean {
  const lower = key.toLowerCase();
  const name = annotationName(key);
  return (lower.startsWith(NGINX_PREFIX) && NGINX_TYPED_PROPS[name] !== undefined)
    || lower === `${TRAEFIK_PREFIX}router.tls`
    || (lower.startsWith('cert-manager.io/') && CERT_MANAGER_TYPED.includes(name))
    || lower === UNSAFE_REASON_ANNOTATION;
}

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
      const annotations: { [key: string]: string } = {};
      for (const [key, raw] of Object.entries(object.metadata?.annotations ?? {})) {
        const value = String(raw);
        annotations[key] = value;
        const field = `metadata.annotations["${key}"]`;
        const forbidden = forbiddenKeyProblem(key, value);
        if (forbidden) {
          report(field, forbidden);
        }
        const injection = annotationValueProblem(value);
        if (injection) {
          report(field, `value ${JSON.stringify(value)} ${injection}`);
        }
      }
      const size = annotationsSizeProblem(annotations);
      if (size) {
        report('metadata.annotations', size);
      }
      if (Object.keys(annotations).some((k) => k.startsWith(NGINX_PREFIX)) && (annotations[`${NGINX_PREFIX}force-ssl-redirect`] !== 'true'
        || !/^[1-9][0-9]*$/.test(annotations[`${NGINX_PREFIX}limit-rps`] ?? ''))) {
        report('metadata.annotations', 'an ingress-nginx Ingress without forced HTTPS (force-ssl-redirect: "true") and a per-client rate limit (limit-rps)');
      }
    },
  }),
  rule({
    id: 'ING-TYPED-ANNOTATIONS',
    title: 'Every controller or cert-manager annotation is one the library renders from a typed prop',
    threat: 'A raw controller annotation can switch a protection off or change routing in ways no review of the props shows.',
    fix: 'Use ingressController, edgeProtection and tls; for anything else, unsafeIngressAnnotations with a written reason (recorded as an acknowledgement).',
    appliesTo: ingresses,
    check: (object, _context, report) => {
      for (const key of Object.keys(object.metadata?.annotations ?? {})) {
        if (controllerDomainOf(key) !== undefined && !typedKey(key)) {
          report(`metadata.annotations["${key}"]`, 'is not rendered from a typed prop');
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
      const annotation = object.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
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
  rule({
    id: 'ING-PUBLIC-HOST',
    title: 'No Ingress publishes a cluster- or network-internal host name',
    threat: 'An Ingress for an internal name (*.svc.cluster.local, *.internal) routes outside traffic to a service meant for the inside, and tells the world its internal name.',
    fix: 'Publish only public DNS names; give an internal service exposure: ServiceExposure.INTERNAL and connect callers with allowFrom/allowTo.',
    appliesTo: ingresses,
    check: (object, _context, report) => {
      (Array.isArray(object.spec?.rules) ? object.spec.rules : []).forEach((r: Manifest, i: number) => {
        const problem = typeof r?.host === 'string' ? internalHostProblem(r.host) : undefined;
        if (problem) {
          report(`spec.rules[${i}].host`, `"${r.host}" ${problem}`);
        }
      });
      (Array.isArray(object.spec?.tls) ? object.spec.tls : []).forEach((t: Manifest, i: number) => {
        (Array.isArray(t?.hosts) ? t.hosts : []).forEach((host: unknown, j: number) => {
          const problem = typeof host === 'string' ? internalHostProblem(host) : undefined;
          if (problem) {
            report(`spec.tls[${i}].hosts[${j}]`, `"${host}" ${problem}`);
          }
        });
      });
    },
  }),
];
