/**
 * The exposure's props: the public host, its TLS certificate, the IngressClass, the Ingress
 * annotations, and which ingress controller pods may reach the API port.
 */
import { SecureTradingApiProps } from '../props';
import { TlsCertificate, TlsCertificateSource } from '../tls-certificate';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  hostNameProblem,
  integerProblem,
  labelKeyProblem,
  labelValueProblem,
  Problems,
} from '../validate';
import { check, stringMap, stringProblem } from './common';

/** The TLS part of the Ingress: which Secret holds the pair, and what annotation produces it. */
export interface ResolvedTls {
  readonly secretName: string;
  readonly annotations: { [key: string]: string };
}

/** What the exposure part (and the network part's ingress rule) needs. */
export interface ResolvedExposure {
  readonly host: string;
  readonly tls: ResolvedTls;
  readonly ingressClassName: string;
  readonly ingressAnnotations: { [key: string]: string };
  readonly ingressSourceNamespace: string;
  readonly ingressSourcePodLabels: { [key: string]: string };
}

/** Resolves the exposure's props; `name` is the service's base name (the default TLS Secret is `<name>-tls`). */
export function resolveExposure(props: SecureTradingApiProps, name: string, problems: Problems): ResolvedExposure {
  const host = props.host;
  check(problems, 'host', host, stringProblem(host) ?? hostNameProblem(host), 'give the public DNS name of the API, such as "api.trading.example.com"');

  const tls = resolveTls(props.tls, name, problems);
  const ingressClassName = props.ingressClassName ?? 'nginx';
  check(problems, 'ingressClassName', ingressClassName, stringProblem(ingressClassName) ?? dns1123SubdomainProblem(ingressClassName),
    'name an IngressClass of the cluster, such as "nginx"');
  const ingressAnnotations = resolveIngressAnnotations(props, ingressClassName, tls, problems);

  const ingressSourceNamespace = props.ingressControllerNamespace ?? 'ingress-nginx';
  check(problems, 'ingressControllerNamespace', ingressSourceNamespace,
    stringProblem(ingressSourceNamespace) ?? dns1123LabelProblem(ingressSourceNamespace), 'name the namespace the ingress controller runs in');
  const ingressSourcePodLabels = checkLabels(problems, 'ingressControllerPodLabels',
    props.ingressControllerPodLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx' });

  return { host, tls, ingressClassName, ingressAnnotations, ingressSourceNamespace, ingressSourcePodLabels };
}

function resolveTls(tls: TlsCertificate | undefined, name: string, problems: Problems): ResolvedTls {
  if (!(tls instanceof TlsCertificate)) {
    problems.add('tls', tls, 'is required: the Ingress serves HTTPS only',
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
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/issuer': tls.name } };
    case TlsCertificateSource.CERT_MANAGER_CLUSTER_ISSUER:
      check(problems, 'tls (cluster issuer name)', tls.name, nameProblem, 'name a cert-manager ClusterIssuer');
      return { secretName: `${name}-tls`, annotations: { 'cert-manager.io/cluster-issuer': tls.name } };
    default: {
      const unknown: never = source;
      throw new Error(`unknown TLS certificate source ${String(unknown)}`);
    }
  }
}

function resolveIngressAnnotations(
  props: SecureTradingApiProps,
  ingressClassName: string,
  tls: ResolvedTls,
  problems: Problems,
): { [key: string]: string } {
  const rps = props.requestsPerSecond ?? 20;
  check(problems, 'requestsPerSecond', rps, integerProblem(rps, 1, 100000), 'use a whole number of requests per second per client, from 1');
  if (props.requestsPerSecond !== undefined && ingressClassName !== 'nginx') {
    problems.add('requestsPerSecond', props.requestsPerSecond, `has no effect with ingressClassName "${ingressClassName}"`,
      'rate-limit in your ingress controller\'s own way, and leave requestsPerSecond unset');
  }
  const controller: { [key: string]: string } = ingressClassName === 'nginx'
    ? {
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/limit-rps': String(rps),
    }
    : {};
  const extra = props.ingressAnnotations === undefined ? {}
    : stringMap(problems, 'ingressAnnotations', props.ingressAnnotations, '{ "example.com/owner": "trading" }') ?? {};
  for (const key of Object.keys(extra)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      problems.add('ingressAnnotations', key, keyProblem.replace('label key', 'annotation key'), 'use a valid annotation key such as "example.com/owner"');
    }
    if (/-snippets?$/.test(key)) {
      problems.add('ingressAnnotations', key, 'is a snippet annotation: it injects raw controller configuration (CVE-2025-1974 family)',
        'remove it; express the need with a supported, non-snippet annotation');
    }
    if (key.startsWith('cert-manager.io/') || key in controller) {
      problems.add('ingressAnnotations', key, 'is set by the library from other props and would be overridden',
        key.startsWith('cert-manager') ? 'choose the issuer with the tls prop' : 'use the corresponding prop (requestsPerSecond)');
    }
  }
  return { ...extra, ...controller, ...tls.annotations };
}

/** A pod selector: a non-empty map of valid label keys and values; returns a plain copy. */
function checkLabels(problems: Problems, prop: string, value: unknown): { [key: string]: string } {
  const labels = stringMap(problems, prop, value, '{ "app.kubernetes.io/name": "ingress-nginx" }');
  if (!labels) {
    return {};
  }
  if (Object.keys(labels).length === 0) {
    problems.add(prop, labels, 'is empty, which would admit every pod of the namespace', 'give labels that select only the ingress controller\'s pods');
  }
  for (const [key, labelValue] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(labelValue);
    if (problem) {
      problems.add(prop, { [key]: labelValue }, problem, 'use valid Kubernetes label keys and values');
    }
  }
  return labels;
}
