/**
 * Who may reach the API through the edge: the client-certificate CA of mutual TLS, and authentication
 * (a JWT, an OIDC login, or an external authentication service). Validated here, implementation-
 * neutral; edge.ts renders them for the implementation or refuses them.
 */
import { annotationValueProblem } from '../annotations';
import { ClientCertificateAuthority, ClientCertificateAuthoritySource, EdgeAuthentication, EdgeAuthenticationKind } from '../edge-props';
import { dns1123SubdomainProblem, Problems } from '../validate';
import { check, listOf, stringProblem } from './common';

/** The CA client certificates must chain to. */
export interface ResolvedClientCa {
  readonly source: ClientCertificateAuthoritySource;
  readonly name: string;
}

/** Authentication at the edge, validated. */
export interface ResolvedAuthentication {
  readonly kind: EdgeAuthenticationKind;
  readonly issuer?: string;
  readonly jwksUri?: string;
  /** Empty: any audience. */
  readonly audiences: string[];
  readonly clientId?: string;
  readonly clientSecretName?: string;
  readonly redirectUrl?: string;
  readonly url?: string;
  readonly signinUrl?: string;
  /** Empty: none passed on. */
  readonly responseHeaders: string[];
}

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const MAX_AUDIENCES = 16;
const MAX_HEADERS = 16;

/**
 * What is wrong with a URL the edge calls or redirects to; undefined when it is an absolute URL with a
 * host, of one of `schemes`, made of characters no controller configuration interprets.
 */
export function urlProblem(value: unknown, schemes: readonly string[]): string | undefined {
  const typeProblem = stringProblem(value);
  if (typeProblem) {
    return typeProblem;
  }
  const text = value as string;
  const injection = annotationValueProblem(text);
  if (injection) {
    return injection;
  }
  if (/\s/.test(text)) {
    return 'contains white space';
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not an absolute URL';
  }
  if (!schemes.includes(url.protocol.replace(/:$/, ''))) {
    return `is not an ${schemes.join(' or ')} URL`;
  }
  if (url.hostname === '') {
    return 'has no host';
  }
  if (url.username !== '' || url.password !== '') {
    return 'carries credentials in the URL';
  }
  return undefined;
}

/** Resolves `edgeProtection.clientCertificateAuthority`. */
export function resolveClientCa(value: unknown, problems: Problems): ResolvedClientCa | undefined {
  if (value === undefined) {
    return undefined;
  }
  const prop = 'edgeProtection.clientCertificateAuthority';
  if (!(value instanceof ClientCertificateAuthority)) {
    problems.add(prop, value, 'must be a ClientCertificateAuthority',
      'pass ClientCertificateAuthority.fromSecret("<secret with ca.crt>") or ClientCertificateAuthority.fromConfigMap("<configmap with ca.crt>")');
    return undefined;
  }
  const problem = stringProblem(value.name) ?? dns1123SubdomainProblem(value.name);
  if (problem) {
    // Nothing is rendered from a name that failed: the problem list is the whole answer.
    problems.add(prop, value.name, problem, 'name the Secret or ConfigMap in the service\'s namespace that holds the CA bundle under ca.crt');
    return undefined;
  }
  return { source: value.source, name: value.name };
}

/** Resolves `edgeProtection.authentication`. */
export function resolveAuthentication(value: unknown, problems: Problems): ResolvedAuthentication | undefined {
  if (value === undefined) {
    return undefined;
  }
  const prop = 'edgeProtection.authentication';
  if (!(value instanceof EdgeAuthentication)) {
    problems.add(prop, value, 'must be an EdgeAuthentication',
      'pass EdgeAuthentication.jwt({ issuer, jwksUri }), EdgeAuthentication.oidc({ issuer, clientId, clientSecretName }) or EdgeAuthentication.externalService({ url })');
    return undefined;
  }
  const https = (field: string, url: unknown, example: string, optional = false) => {
    if (optional && url === undefined) {
      return;
    }
    check(problems, `${prop}.${field}`, url, urlProblem(url, ['https']), `give an https URL such as "${example}"`);
  };
  const kind = value.kind;
  switch (kind) {
    case EdgeAuthenticationKind.JWT:
      https('issuer', value.issuer, 'https://auth.example.com/');
      https('jwksUri', value.jwksUri, 'https://auth.example.com/.well-known/jwks.json');
      return { kind, issuer: value.issuer, jwksUri: value.jwksUri, audiences: resolveAudiences(value.audiences, problems), responseHeaders: [] };
    case EdgeAuthenticationKind.OIDC:
      https('issuer', value.issuer, 'https://auth.example.com/');
      https('redirectUrl', value.redirectUrl, 'https://api.trading.example.com/oauth2/callback', true);
      check(problems, `${prop}.clientId`, value.clientId, stringProblem(value.clientId) ?? (value.clientId!.trim() === '' ? 'is empty' : annotationValueProblem(value.clientId!)),
        'give the client id registered with the OpenID provider');
      check(problems, `${prop}.clientSecretName`, value.clientSecretName,
        stringProblem(value.clientSecretName) ?? dns1123SubdomainProblem(value.clientSecretName!),
        'name the Secret in the service\'s namespace that holds the client secret under the key client-secret');
      return {
        kind,
        issuer: value.issuer,
        clientId: value.clientId,
        clientSecretName: value.clientSecretName,
        redirectUrl: value.redirectUrl,
        audiences: [],
        responseHeaders: [],
      };
    case EdgeAuthenticationKind.EXTERNAL:
      check(problems, `${prop}.url`, value.url, urlProblem(value.url, ['http', 'https']),
        'give the URL of the authentication service, such as "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth"');
      https('signinUrl', value.signinUrl, 'https://auth.trading.example.com/oauth2/start', true);
      return {
        kind, url: value.url, signinUrl: value.signinUrl, audiences: [], responseHeaders: resolveHeaders(value.responseHeaders, problems),
      };
    default: {
      problems.add(prop, value, 'is not an EdgeAuthentication built by its factories', 'use EdgeAuthentication.jwt, .oidc or .externalService');
      return undefined;
    }
  }
}

function resolveAudiences(value: unknown, problems: Problems): string[] {
  if (value === undefined) {
    return [];
  }
  const prop = 'edgeProtection.authentication.audiences';
  const items = listOf(problems, prop, value, '["trading-api"]');
  if (!items) {
    return [];
  }
  if (items.length === 0 || items.length > MAX_AUDIENCES) {
    problems.add(prop, value, `must list from 1 to ${MAX_AUDIENCES} audiences`, 'list the audiences accepted, or leave audiences unset to accept any');
  }
  items.forEach((item, index) => {
    check(problems, `${prop}[${index}]`, item, stringProblem(item) ?? ((item as string).trim() === '' ? 'is empty' : annotationValueProblem(item as string)),
      'give an audience such as "trading-api"');
  });
  return items as string[];
}

function resolveHeaders(value: unknown, problems: Problems): string[] {
  if (value === undefined) {
    return [];
  }
  const prop = 'edgeProtection.authentication.responseHeaders';
  const items = listOf(problems, prop, value, '["X-Auth-Request-User"]');
  if (!items) {
    return [];
  }
  if (items.length === 0 || items.length > MAX_HEADERS) {
    problems.add(prop, value, `must list from 1 to ${MAX_HEADERS} headers`, 'list the headers to pass on, or leave responseHeaders unset');
  }
  items.forEach((item, index) => {
    check(problems, `${prop}[${index}]`, item, stringProblem(item) ?? (HEADER_NAME.test(item as string) ? undefined : 'is not an HTTP header name'),
      'give a header name of letters, digits and dashes, such as "X-Auth-Request-User"');
  });
  return items as string[];
}
