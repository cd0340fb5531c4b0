/**
 * The public exposure's props: the host, its TLS certificate, the ingress controller (and so the
 * source the NetworkPolicy admits), the edge protections, and the Ingress annotations: those the
 * library renders, ownership metadata, and the visibly named opt-in for controller annotations.
 */
import {
  annotationKeyProblem,
  annotationsSizeProblem,
  annotationValueProblem,
  controllerDomainOf,
  forbiddenKeyProblem,
  INGRESS_CLASS_ANNOTATION,
  LIBRARY_ANNOTATION_PREFIX,
  NGINX_PREFIX,
} from '../annotations';
import { parseGoDuration } from '../duration';
import { UnsafeIngressAnnotations } from '../edge-props';
import { IngressController, IngressControllerKind } from '../ingress-controller';
import { SecureTradingApiProps } from '../props';
import { TlsCertificate, TlsCertificateSource } from '../tls-certificate';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  hostNameProblem,
  internalHostProblem,
  Problems,
} from '../validate';
import { check, ownProps, podSelectorLabels, stringMap, stringProblem } from './common';
import { NGINX_TYPED_PROPS, resolveEdgeProtection, ResolvedEdgeProtection } from './edge';

export type { ResolvedEdgeProtection } from './edge';

/** The Ingress annotation that carries the reason of `unsafeIngressAnnotations`. */
export const UNSAFE_REASON_ANNOTATION = `${LIBRARY_ANNOTATION_PREFIX}unsafe-annotations-reason`;

const UNSAFE_KEYS = ['reason', 'annotations'];
const MIN_REASON_LENGTH = 20;
const MAX_REASON_LENGTH = 1024;
const MIN_CERT_DURATION_SECONDS = 3600;
const MIN_RENEW_BEFORE_SECONDS = 300;

/** cert-manager keys that choose the issuer or the lifetime: only the `tls` prop sets those. */
/** cert-manager annotation names the library renders from the tls prop. */
export const CERT_MANAGER_TYPED = ['issuer', 'cluster-issuer', 'issuer-kind', 'issuer-group', 'duration', 'renew-before'];

/** The TLS part of the Ingress: which Secret holds the pair, and what annotation produces it. */
export interface ResolvedTls {
  readonly secretName: string;
  readonly annotations: { [key: string]: string };
}

/** What the Ingress (and the network part's ingress rule) needs, for a PUBLIC service. */
export interface ResolvedIngress {
  readonly host: string;
  readonly tls: ResolvedTls;
  /** Which controller serves the Ingress: decides the annotations rendered. */
  readonly ingressControllerKind: IngressControllerKind;
  readonly ingressClassName: string;
  /** Every annotation of the Ingress: rendered by the library, ownership metadata, and the opt-in's. */
  readonly ingressAnnotations: { [key: string]: string };
  /** What the edge enforces in front of the API. */
  readonly edge: ResolvedEdgeProtection;
  /** The keys passed through by `unsafeIngressAnnotations`, sorted; empty without the opt-in. */
  readonly unsafeAnnotationKeys: string[];
  /** The written reason of `unsafeIngressAnnotations`; undefined without the opt-in. */
  readonly unsafeAnnotationsReason?: string;
  readonly ingressSourceNamespace: string;
  readonly ingressSourcePodLabels: { [key: string]: string };
}

/** Resolves a PUBLIC service's props; `name` is the service's base name (the default TLS Secret is `<name>-tls`). */
export function resolveIngress(props: SecureTradingApiProps, name: string, namespace: string | undefined, problems: Problems): ResolvedIngress {
  const host = resolveHost(props, problems);
  const tls = resolveTls(props.tls, name, problems);
  const controller = resolveController(props.ingressController, problems);
  const { edge, annotations: edgeAnnotations } = resolveEdgeProtection(props, controller.kind, namespace ?? 'invalid', problems);
  const rendered: { [key: string]: string } = { ...edgeAnnotations, ...tls.annotations };

  const owned = resolveOwnedAnnotations(props.ingressAnnotations, controller.className, problems);
  const unsafe = resolveUnsafeAnnotations(props.unsafeIngressAnnotations, controller, rendered, problems);
  for (const key of Object.keys(unsafe.annotations)) {
    if (has(owned, key)) {
      problems.add(`unsafeIngressAnnotations.annotations["${key}"]`, key, 'is also given in ingressAnnotations', 'give each annotation once');
    }
  }
  const ingressAnnotations = {
    ...owned,
    ...unsafe.annotations,
    ...rendered,
    ...(unsafe.reason === undefined ? {} : { [UNSAFE_REASON_ANNOTATION]: unsafe.reason }),
  };
  check(problems, 'ingressAnnotations and unsafeIngressAnnotations', '(all annotations of the Ingress)', annotationsSizeProblem(ingressAnnotations),
    'shorten or remove annotations');

  return {
    host,
    tls,
    ingressControllerKind: controller.kind,
    ingressClassName: controller.className,
    ingressAnnotations,
    edge,
    unsafeAnnotationKeys: Object.keys(unsafe.annotations).sort(),
    unsafeAnnotationsReason: unsafe.reason,
    ingressSourceNamespace: controller.namespace,
    ingressSourcePodLabels: controller.podLabels,
  };
}

/** The public host of a PUBLIC service, whether an Ingress or a Gateway API route serves it. */
export function resolveHost(props: SecureTradingApiProps, problems: Problems): string {
  const host = props.host as string;
  if (host === undefined) {
    problems.add('host', host, 'is required with ServiceExposure.PUBLIC (the default exposure)',
      'give the public DNS name of the API, such as "api.trading.example.com", or set exposure: ServiceExposure.INTERNAL (only allowed services reach it) or ServiceExposure.NONE (a worker)');
  } else {
    check(problems, 'host', host, stringProblem(host) ?? hostNameProblem(host) ?? internalHostProblem(host),
      'give the public DNS name of the API, such as "api.trading.example.com"; for a service only the cluster calls, set exposure: ServiceExposure.INTERNAL');
  }
  return host;
}

interface ResolvedController {
  readonly kind: IngressControllerKind;
  readonly className: string;
  readonly namespace: string;
  readonly podLabels: { [key: string]: string };
}

function resolveController(value: IngressController | undefined, problems: Problems): ResolvedController {
  const controller = value ?? IngressController.ingressNginx();
  if (!(controller instanceof IngressController)) {
    problems.add('ingressController', value, 'must be an IngressController',
      'pass IngressController.ingressNginx(), IngressController.traefik() or IngressController.other({ className, namespace, podLabels })');
    return { kind: IngressControllerKind.OTHER, className: 'invalid', namespace: 'invalid', podLabels: {} };
  }
  const { kind, className, namespace } = controller;
  check(problems, 'ingressController.className', className, stringProblem(className) ?? dns1123SubdomainProblem(className),
    'name an IngressClass of the cluster, such as "nginx"');
  check(problems, 'ingressController.namespace', namespace, stringProblem(namespace) ?? dns1123LabelProblem(namespace),
    'name the namespace the ingress controller runs in');
  const podLabels = podSelectorLabels(problems, 'ingressController.podLabels', controller.podLabels,
    '{ "app.kubernetes.io/name": "ingress-nginx" }', 'the ingress controller\'s pods');
  return { kind, className, namespace, podLabels };
}

/** `ingressAnnotations`: metadata no controller reads. Every controller and cert-manager key is refused. */
function resolveOwnedAnnotations(value: unknown, className: string, problems: Problems): { [key: string]: string } {
  if (value === undefined) {
    return {};
  }
  const given = stringMap(problems, 'ingressAnnotations', value, '{ "example.com/owner": "trading" }') ?? {};
  for (const [key, annotationValue] of Object.entries(given)) {
    const prop = `ingressAnnotations["${key}"]`;
    const keyProblem = annotationKeyProblem(key);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use a valid annotation key such as "example.com/owner"');
      continue;
    }
    const forbidden = forbiddenKeyProblem(key, annotationValue);
    const domain = controllerDomainOf(key);
    if (forbidden) {
      problems.add(prop, key, forbidden, 'remove it; no option of the library passes it through');
    } else if (key.toLowerCase() === INGRESS_CLASS_ANNOTATION) {
      problems.add(prop, annotationValue, annotationValue === className
        ? 'repeats the IngressClass, which the library already sets as spec.ingressClassName'
        : `contradicts the IngressClass "${className}" (the API server refuses the Ingress)`,
      'remove it; choose the class with ingressController, such as IngressController.ingressNginx({ className: "nginx-internal" })');
    } else if (domain !== undefined) {
      const prefix = key.slice(0, key.lastIndexOf('/')).toLowerCase();
      problems.add(prop, key, `has the prefix "${prefix}"${prefix === domain ? '' : ` (under "${domain}")`}, whose annotations configure an ingress controller, a load balancer or cert-manager`,
        ownedKeyFix(key));
    }
    check(problems, prop, annotationValue, annotationValueProblem(annotationValue), 'remove the character from the value');
  }
  return given;
}

function ownedKeyFix(key: string): string {
  const lower = key.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (lower.startsWith('cert-manager.io/')) {
    return 'choose the issuer and the certificate lifetime with the tls prop: TlsCertificate.fromCertManagerIssuer(name, { duration, renewBefore })';
  }
  if (lower.startsWith(NGINX_PREFIX) && has(NGINX_TYPED_PROPS, name)) {
    return `use ${NGINX_TYPED_PROPS[name]}`;
  }
  return 'use the typed props (ingressController, edgeProtection, tls); for another controller setting, unsafeIngressAnnotations with a reason';
}

/** `unsafeIngressAnnotations`: controller keys passed through with a reason, never the forbidden ones. */
function resolveUnsafeAnnotations(
  value: UnsafeIngressAnnotations | undefined,
  controller: ResolvedController,
  rendered: { [key: string]: string },
  problems: Problems,
): { annotations: { [key: string]: string }; reason?: string } {
  if (value === undefined) {
    return { annotations: {} };
  }
  const given = ownProps<UnsafeIngressAnnotations>(problems, 'unsafeIngressAnnotations', value, UNSAFE_KEYS,
    '{ reason: "<why, and who accepted it>", annotations: { ... } }');
  if (!given) {
    return { annotations: {} };
  }
  const reason = given.reason;
  const reasonFix = `write, in at least ${MIN_REASON_LENGTH} characters of one line of printable ASCII without ; { } $ \` quotes \\ or #, why the annotations are needed and who accepted the risk`;
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    problems.add('unsafeIngressAnnotations.reason', reason, 'is required: the opt-in must say why', reasonFix);
  } else if (reason.length > MAX_REASON_LENGTH) {
    problems.add('unsafeIngressAnnotations.reason', reason, `is longer than ${MAX_REASON_LENGTH} characters`, 'link to the decision record instead');
  } else {
    check(problems, 'unsafeIngressAnnotations.reason', reason, annotationValueProblem(reason), reasonFix);
  }
  const annotations = given.annotations === undefined ? undefined
    : stringMap(problems, 'unsafeIngressAnnotations.annotations', given.annotations, '{ "nginx.ingress.kubernetes.io/backend-protocol": "HTTP" }');
  if (!annotations || Object.keys(annotations).length === 0) {
    problems.add('unsafeIngressAnnotations.annotations', given.annotations, 'is empty or missing', 'list the annotations, or remove unsafeIngressAnnotations');
    return { annotations: {} };
  }
  const nginx = controller.kind === IngressControllerKind.INGRESS_NGINX;
  for (const [key, annotationValue] of Object.entries(annotations)) {
    const prop = `unsafeIngressAnnotations.annotations["${key}"]`;
    const lower = key.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const keyProblem = annotationKeyProblem(key);
    const forbidden = keyProblem ? undefined : forbiddenKeyProblem(key, annotationValue);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use a valid annotation key');
    } else if (forbidden) {
      problems.add(prop, key, forbidden, 'remove it; no option of the library passes it through');
    } else if (lower.startsWith(LIBRARY_ANNOTATION_PREFIX)) {
      problems.add(prop, key, `is under the library's own prefix "${LIBRARY_ANNOTATION_PREFIX}"`, 'remove it');
    } else if (lower === INGRESS_CLASS_ANNOTATION && annotationValue !== controller.className) {
      problems.add(prop, annotationValue, `contradicts the IngressClass "${controller.className}" (the API server refuses the Ingress)`,
        'remove it; choose the class with ingressController');
    } else if (has(rendered, key) || (nginx && lower.startsWith(NGINX_PREFIX) && has(NGINX_TYPED_PROPS, name))) {
      problems.add(prop, key, 'is rendered by the library from a typed prop', ownedKeyFix(key));
    } else if (lower.startsWith('cert-manager.io/') && CERT_MANAGER_TYPED.includes(name)) {
      problems.add(prop, key, 'chooses the issuer or the lifetime of the certificate, which the tls prop owns', ownedKeyFix(key));
    }
    check(problems, prop, annotationValue, annotationValueProblem(annotationValue), 'remove the character from the value');
  }
  return { annotations, reason: typeof reason === 'string' ? reason : undefined };
}

/**
 * The TLS Secret of the public host and the cert-manager annotations that fill it (read by
 * cert-manager's ingress-shim on an Ingress, and by its gateway-shim on a Gateway).
 */
export function resolveTls(tls: TlsCertificate | undefined, name: string, problems: Problems): ResolvedTls {
  if (!(tls instanceof TlsCertificate)) {
    problems.add('tls', tls, 'is required with ServiceExposure.PUBLIC: the Ingress (or the service\'s own Gateway) serves HTTPS only',
      'pass TlsCertificate.fromSecret("<tls secret>"), TlsCertificate.fromCertManagerIssuer("<issuer>") or TlsCertificate.fromCertManagerClusterIssuer("<issuer>")');
    return { secretName: `${name}-tls`, annotations: {} };
  }
  const nameProblem = stringProblem(tls.name) ?? dns1123SubdomainProblem(tls.name);
  const source: TlsCertificateSource = tls.source;
  switch (source) {
    case TlsCertificateSource.EXISTING_SECRET:
      check(problems, 'tls (secret name)', tls.name, nameProblem, 'name an existing kubernetes.io/tls Secret in the namespace');
      return { secretName: tls.name, annotations: {} };
    case TlsCertificateSource.CERT_MANAGER_ISSUER:
      check(problems, 'tls (issuer name)', tls.name, nameProblem, 'name a cert-manager Issuer in the namespace');
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/issuer': tls.name, ...certificateLifetime(tls, problems) } };
    case TlsCertificateSource.CERT_MANAGER_CLUSTER_ISSUER:
      check(problems, 'tls (cluster issuer name)', tls.name, nameProblem, 'name a cert-manager ClusterIssuer');
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/cluster-issuer': tls.name, ...certificateLifetime(tls, problems) } };
    default: {
      const unknown: never = source;
      throw new Error(`unknown TLS certificate source ${String(unknown)}`);
    }
  }
}

/** The ingress-shim annotations for the certificate's duration and renewal time, checked as cert-manager checks them. */
function certificateLifetime(tls: TlsCertificate, problems: Problems): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  const durationFix = 'write a Go duration in whole hours, minutes and seconds, such as "2160h" (90 days) or "720h30m"';
  let durationSeconds: number | undefined;
  if (tls.duration !== undefined && tls.duration !== null) {
    durationSeconds = parseGoDuration(tls.duration);
    if (durationSeconds === undefined) {
      problems.add('tls.duration', tls.duration, 'is not a Go duration', durationFix);
    } else if (durationSeconds < MIN_CERT_DURATION_SECONDS) {
      problems.add('tls.duration', tls.duration, 'is shorter than cert-manager\'s minimum of 1h', 'use at least "1h"');
    } else {
      out['cert-manager.io/duration'] = tls.duration;
    }
  }
  if (tls.renewBefore !== undefined && tls.renewBefore !== null) {
    const renewSeconds = parseGoDuration(tls.renewBefore);
    if (renewSeconds === undefined) {
      problems.add('tls.renewBefore', tls.renewBefore, 'is not a Go duration', durationFix);
    } else if (renewSeconds < MIN_RENEW_BEFORE_SECONDS) {
      problems.add('tls.renewBefore', tls.renewBefore, 'is shorter than cert-manager\'s minimum of 5m', 'use at least "5m"');
    } else if (tls.duration === undefined || tls.duration === null) {
      problems.add('tls.renewBefore', tls.renewBefore, 'cannot be checked against the certificate\'s duration, which is not set',
        'set duration too, such as { duration: "2160h", renewBefore: "720h" }');
    } else if (durationSeconds !== undefined && renewSeconds >= durationSeconds) {
      problems.add('tls.renewBefore', tls.renewBefore, `is not shorter than duration "${tls.duration}": cert-manager would renew continuously`,
        'renew well before expiry but after issuance, such as a third of the duration');
    } else {
      out['cert-manager.io/renew-before'] = tls.renewBefore;
    }
  }
  return out;
}

/** Whether `key` is an own key of `map` (never an inherited one such as "constructor"). */
function has(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}
