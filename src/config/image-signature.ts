/**
 * The imageSignature prop: who must have signed the service's images. A keyless identity (issuer
 * plus an exact subject or an anchored pattern) or a cosign public key (one PEM `PUBLIC KEY` block
 * that parses as a key; a private key is refused without ever being echoed).
 */
import { createHash, createPublicKey } from 'crypto';
import { ImageSignature, KeylessSignatureOptions, PublicKeySignatureOptions } from '../image-signature';
import { SecureTradingApiProps } from '../props';
import { Problems } from '../validate';
import { check, ownProps, stringProblem } from './common';

/** The public Rekor instance, Kyverno's and cosign's default. */
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev';

/** Kyverno refuses a policy whose name is longer than this. */
const MAX_POLICY_NAME = 63;

/** What the image signature part needs. */
export interface ResolvedImageSignature {
  readonly imageSignature?: {
    /** The cluster-scoped ClusterPolicy's name, unique per namespace and service. */
    readonly policyName: string;
    readonly keyless?: { readonly issuer: string; readonly subject?: string; readonly subjectRegExp?: string };
    readonly publicKey?: string;
    readonly rekorUrl: string;
  };
}

const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)\r?\n?-----END PUBLIC KEY-----$/;

/**
 * A problem when `pem` is not exactly one PEM `PUBLIC KEY` block holding a public key (EC, RSA or
 * Ed25519). Never includes the text: a caller who pasted the wrong file must not see it in a log.
 */
export function pemPublicKeyProblem(pem: unknown): string | undefined {
  if (typeof pem !== 'string') {
    return 'must be a string';
  }
  if (/PRIVATE KEY/.test(pem)) {
    return 'is a PEM PRIVATE KEY block: a private key must never be put into a manifest';
  }
  const match = PEM_PUBLIC_KEY.exec(pem.trim());
  if (!match) {
    return 'is not one PEM block "-----BEGIN PUBLIC KEY-----" ... "-----END PUBLIC KEY-----"';
  }
  try {
    const key = createPublicKey({ key: pem.trim(), format: 'pem' });
    if (!['ec', 'rsa', 'ed25519'].includes(key.asymmetricKeyType ?? '')) {
      return `holds a ${key.asymmetricKeyType} key, which cosign does not sign with`;
    }
  } catch {
    return 'is a PUBLIC KEY block whose content does not parse as a public key';
  }
  return undefined;
}

/** A problem when `url` is not an absolute `https://` URL without credentials. */
export function httpsUrlProblem(url: unknown): string | undefined {
  const problem = stringProblem(url);
  if (problem) {
    return problem;
  }
  let parsed: URL;
  try {
    parsed = new URL(url as string);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' || /\s/.test(url as string)) {
    return 'is not an https:// URL';
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'carries credentials';
  }
  return undefined;
}

/** A problem when `pattern` is not an anchored regular expression. */
function subjectPatternProblem(pattern: unknown): string | undefined {
  const problem = stringProblem(pattern);
  if (problem) {
    return problem;
  }
  const text = pattern as string;
  try {
    new RegExp(text);
  } catch {
    return 'is not a regular expression';
  }
  if (!text.startsWith('^') || !text.endsWith('$')) {
    return 'is not anchored with ^ and $, so an identity that merely contains it would match';
  }
  return undefined;
}

/**
 * The ClusterPolicy's name: `<namespace>.<name>.signed-images`, or, when that is longer than Kyverno
 * allows, its first characters and a hash of namespace and name (still unique per service).
 */
export function imageSignaturePolicyName(namespace: string, name: string): string {
  const full = `${namespace}.${name}.signed-images`;
  if (full.length <= MAX_POLICY_NAME) {
    return full;
  }
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_POLICY_NAME - hash.length - 1).replace(/[^a-z0-9]+$/, '')}-${hash}`;
}

const HIDDEN_PRIVATE_KEY = '(a PEM PRIVATE KEY block, not shown)';

/** The options with every string that holds a private key replaced, so no error message can echo one. */
function hidePrivateKeys(options: unknown): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return options;
  }
  const copy: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(options)) {
    copy[key] = typeof value === 'string' && /PRIVATE KEY/.test(value) ? HIDDEN_PRIVATE_KEY : value;
  }
  return copy;
}

/** Resolves `imageSignature`. */
export function resolveImageSignature(
  props: SecureTradingApiProps, namespace: string | undefined, name: string, problems: Problems,
): ResolvedImageSignature {
  const choice = props.imageSignature;
  if (choice === undefined) {
    return {};
  }
  if (!(choice instanceof ImageSignature)) {
    problems.add('imageSignature', typeof choice === 'string' && /PRIVATE KEY/.test(choice) ? HIDDEN_PRIVATE_KEY : choice,
      'is not an ImageSignature', 'use ImageSignature.keyless({ issuer, subject }) or ImageSignature.publicKey({ pem })');
    return {};
  }
  if (props.allowUnpinnedImage === true) {
    problems.add('imageSignature', '(set)', 'verifies digests, and allowUnpinnedImage lets an image run by tag alone: Kyverno would refuse its pods',
      'pin every image by digest and drop allowUnpinnedImage, or leave imageSignature out');
  }
  const rekorUrl = (options: { rekorUrl?: unknown } | undefined, prop: string): string => {
    const value = options?.rekorUrl;
    if (value === undefined) {
      return DEFAULT_REKOR_URL;
    }
    check(problems, prop, value, httpsUrlProblem(value), `use the transparency log's https:// URL, such as "${DEFAULT_REKOR_URL}"`);
    return value as string;
  };
  const policyName = imageSignaturePolicyName(namespace ?? 'default', name);
  const given = hidePrivateKeys(choice._options);
  if (choice.kind === 'keyless') {
    const options = ownProps<KeylessSignatureOptions>(problems, 'imageSignature', given, ['issuer', 'subject', 'subjectRegExp', 'rekorUrl'],
      '{ issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/acme/app/.github/workflows/release.yaml@refs/heads/main" }');
    if (!options) {
      return {};
    }
    const issuer = options.issuer;
    if (issuer === undefined) {
      problems.add('imageSignature.issuer', undefined, 'is required', 'give the OIDC issuer of the signing identity, such as "https://token.actions.githubusercontent.com"');
    } else {
      check(problems, 'imageSignature.issuer', issuer, httpsUrlProblem(issuer), 'give the OIDC issuer\'s https:// URL, such as "https://token.actions.githubusercontent.com"');
    }
    const { subject, subjectRegExp } = options;
    if ((subject === undefined) === (subjectRegExp === undefined)) {
      problems.add('imageSignature.subject', { subject, subjectRegExp }, subject === undefined ? 'and subjectRegExp are both missing: any identity of the issuer would do' : 'and subjectRegExp are both given',
        'give exactly one: the exact identity in subject, or an anchored pattern in subjectRegExp');
    }
    if (subject !== undefined) {
      check(problems, 'imageSignature.subject', subject, stringProblem(subject) ?? ((subject as string).trim() === '' || /[\s*]/.test(subject as string) ? 'is empty, has white space or a wildcard' : undefined),
        'give the exact identity, or use subjectRegExp for a pattern');
    }
    if (subjectRegExp !== undefined) {
      check(problems, 'imageSignature.subjectRegExp', subjectRegExp, subjectPatternProblem(subjectRegExp),
        'write an anchored pattern, such as "^https://github\\\\.com/acme/app/\\\\.github/workflows/release\\\\.yaml@refs/tags/v.*$"');
    }
    return {
      imageSignature: {
        policyName,
        keyless: {
          issuer: issuer as string,
          ...(subject !== undefined ? { subject } : {}),
          ...(subjectRegExp !== undefined ? { subjectRegExp } : {}),
        },
        rekorUrl: rekorUrl(options, 'imageSignature.rekorUrl'),
      },
    };
  }
  const options = ownProps<PublicKeySignatureOptions>(problems, 'imageSignature', given, ['pem', 'rekorUrl'], '{ pem: "-----BEGIN PUBLIC KEY-----\\n..." }');
  if (!options) {
    return {};
  }
  const pem = options.pem;
  const problem = pem === undefined ? 'is required' : pemPublicKeyProblem(pem);
  if (problem) {
    const shown = typeof pem === 'string' ? (/PRIVATE KEY/.test(pem) ? HIDDEN_PRIVATE_KEY : `(${pem.length} characters, not shown)`) : pem;
    problems.add('imageSignature.pem', shown, problem,
      'give the public half only: the content of cosign.pub ("-----BEGIN PUBLIC KEY-----" ...); if a private key was pasted anywhere, rotate it');
  }
  return { imageSignature: { policyName, publicKey: typeof pem === 'string' ? pem.trim() : '', rekorUrl: rekorUrl(options, 'imageSignature.rekorUrl') } };
}
