import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ImageSignature, SecureTradingApi, ServiceExposure } from '../src';
import { baseProps, DIGEST, errorOf, IMAGE, only, synth } from './util';
import { imageSignaturePolicyName, pemPublicKeyProblem } from '../src/config/image-signature';
import { evaluate } from '../src/guard/evaluate';
import { canonicalRepository, kyvernoImageName, repositoryImageReferences, wildcardMatches } from '../src/image';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'https://github.com/acme/gateway/.github/workflows/release.yaml@refs/heads/main';
const KEYLESS = ImageSignature.keyless({ issuer: ISSUER, subject: SUBJECT });
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SIDECAR_IMAGE = `ghcr.io/acme/log-shipper:3.1@sha256:${'c'.repeat(64)}`;
const INIT_IMAGE = `busybox:1.36@sha256:${'d'.repeat(64)}`;

describe('imageSignature off (the default)', () => {
  test('no ClusterPolicy and no annotation', () => {
    const { api, manifest } = synth();
    expect(api.imageSignaturePolicy).toBeUndefined();
    expect(manifest.filter((o) => o.kind === 'ClusterPolicy')).toEqual([]);
    expect(only(manifest, 'Deployment').metadata.annotations?.['secure-trading-api.io/image-signature-policy']).toBeUndefined();
  });
});

describe('keyless signatures', () => {
  const { api, manifest } = synth({
    imageSignature: KEYLESS,
    sidecars: [{ name: 'log-shipper', image: SIDECAR_IMAGE, port: 9400 }],
    initContainers: [{ name: 'wait', image: INIT_IMAGE }],
  });
  const policy = only(manifest, 'ClusterPolicy');

  test('a cluster-scoped kyverno.io/v1 ClusterPolicy named after namespace and service, exposed as imageSignaturePolicy', () => {
    expect(api.imageSignaturePolicy).toBeDefined();
    expect(policy.apiVersion).toBe('kyverno.io/v1');
    expect(policy.metadata.name).toBe('trading.gateway.signed-images');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(only(manifest, 'Deployment').metadata.annotations['secure-trading-api.io/image-signature-policy']).toBe('trading.gateway.signed-images');
  });

  test('enforces, fails closed, and matches only the service\'s Pods in its namespace', () => {
    // Kyverno reads the policy-wide action case-insensitively; the CRD's enum lists it in lower case first.
    expect(policy.spec.validationFailureAction).toBe('enforce');
    expect(policy.spec.rules[1].validate.failureAction).toBe('Enforce');
    expect(policy.spec.webhookConfiguration).toEqual({ failurePolicy: 'Fail' });
    const selector = only(manifest, 'Deployment').spec.selector.matchLabels;
    for (const r of policy.spec.rules) {
      expect(r.match).toEqual({ any: [{ resources: { kinds: ['Pod'], namespaces: ['trading'], selector: { matchLabels: selector }, operations: ['CREATE', 'UPDATE'] } }] });
    }
  });

  test('verifyImages: required, digest verified and not rewritten, the keyless identity with Rekor', () => {
    const verify = policy.spec.rules[0].verifyImages[0];
    expect(verify).toMatchObject({ failureAction: 'Enforce', required: true, verifyDigest: true, mutateDigest: false });
    expect(verify.attestors).toEqual([{ count: 1, entries: [{ keyless: { issuer: ISSUER, subject: SUBJECT, rekor: { url: 'https://rekor.sigstore.dev' } } }] }]);
  });

  test('imageReferences cover the repository of every image the library puts in the pod, Docker Hub names written out', () => {
    expect(policy.spec.rules[0].verifyImages[0].imageReferences).toEqual([
      'registry.example.com/trading/gateway:*', 'registry.example.com/trading/gateway@*',
      'ghcr.io/acme/log-shipper:*', 'ghcr.io/acme/log-shipper@*',
      'docker.io/library/busybox:*', 'docker.io/library/busybox@*',
    ]);
  });

  test('a second rule refuses images of any other repository, in every container list', () => {
    const r = policy.spec.rules[1];
    expect(r.name).toBe('only-signed-repositories');
    const pattern = r.validate.pattern.spec;
    expect(Object.keys(pattern).sort()).toEqual(['=(ephemeralContainers)', '=(initContainers)', 'containers']);
    expect(pattern.containers[0].image).toContain('busybox:* | busybox@* | docker.io/library/busybox:*');
  });

  test('the guard passes the library\'s output', () => {
    const failed = evaluate(manifest, true).filter((o) => o.status === 'fail');
    expect(failed).toEqual([]);
  });
});

describe('public key signatures', () => {
  test('the PEM public key is the attestor', () => {
    const policy = only(synth({ imageSignature: ImageSignature.publicKey({ pem: PUBLIC_PEM, rekorUrl: 'https://rekor.example.com' }) }).manifest, 'ClusterPolicy');
    expect(policy.spec.rules[0].verifyImages[0].attestors[0].entries).toEqual([{ keys: { publicKeys: PUBLIC_PEM.trim(), rekor: { url: 'https://rekor.example.com' } } }]);
  });

  test('a private key is refused loudly, and never echoed', () => {
    const error = errorOf(() => synth({ imageSignature: ImageSignature.publicKey({ pem: PRIVATE_PEM }) }));
    expect(error).toContain('imageSignature.pem: is a PEM PRIVATE KEY block');
    expect(error).toContain('rotate it');
    const body = PRIVATE_PEM.split('\n')[1];
    expect(error).not.toContain(body.slice(0, 20));
  });

  test('a private key under an unknown key is not echoed either', () => {
    const error = errorOf(() => synth({ imageSignature: ImageSignature.publicKey({ pem: PUBLIC_PEM, privateKey: PRIVATE_PEM } as any) }));
    expect(error).toContain('imageSignature.privateKey: is not a known prop');
    expect(error).not.toContain(PRIVATE_PEM.split('\n')[1].slice(0, 20));
  });

  test.each([
    ['', 'is not one PEM block'],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', 'is not one PEM block'],
    ['-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----', 'does not parse as a public key'],
    [`${PUBLIC_PEM}${PUBLIC_PEM}`, 'is not one PEM block'],
    ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'is not one PEM block'],
    ['-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----', 'PRIVATE KEY'],
    [42, 'must be a string'],
  ])('pem %p is refused (%s)', (pem, message) => {
    expect(pemPublicKeyProblem(pem)).toContain(message);
  });

  test('an RSA and an Ed25519 public key are accepted', () => {
    for (const type of ['rsa', 'ed25519'] as const) {
      const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      expect(pemPublicKeyProblem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toBeUndefined();
    }
  });
});

describe('invalid imageSignature props', () => {
  test.each([
    [{ imageSignature: 'cosign.pub' }, 'imageSignature: is not an ImageSignature'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER } as any) }, 'imageSignature.subject: and subjectRegExp are both missing'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER, subject: SUBJECT, subjectRegExp: '^a$' }) }, 'are both given'],
    [{ imageSignature: ImageSignature.keyless({ issuer: 'http://issuer.example.com', subject: SUBJECT }) }, 'imageSignature.issuer: is not an https:// URL'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER, subjectRegExp: 'acme/gateway' }) }, 'imageSignature.subjectRegExp: is not anchored'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER, subjectRegExp: '^(a$' }) }, 'is not a regular expression'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER, subject: '*' }) }, 'imageSignature.subject: is empty, has white space or a wildcard'],
    [{ imageSignature: ImageSignature.keyless({ issuer: ISSUER, subject: SUBJECT, rekorUrl: 'https://user:pw@rekor.example.com' }) }, 'imageSignature.rekorUrl: carries credentials'],
    [{ imageSignature: ImageSignature.publicKey({} as any) }, 'imageSignature.pem: is required'],
    [{ imageSignature: KEYLESS, allowUnpinnedImage: true, image: 'registry.example.com/trading/gateway:2.0.1' }, 'allowUnpinnedImage lets an image run by tag alone'],
  ])('%# refused: %s', (props, message) => {
    expect(errorOf(() => synth(props as any))).toContain(message);
  });
});

describe('the policy name', () => {
  test('fits Kyverno\'s 63 characters and stays unique per service', () => {
    const long = 'n'.repeat(63);
    const a = imageSignaturePolicyName(long, 'gateway');
    const b = imageSignaturePolicyName(long, 'gateway2');
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});

describe('image primitives', () => {
  test.each([
    ['busybox', 'docker.io/library/busybox'],
    ['acme/app', 'docker.io/acme/app'],
    ['localhost/app', 'localhost/app'],
    ['registry:5000/app', 'registry:5000/app'],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app'],
  ])('canonicalRepository(%p) = %p', (repository, expected) => {
    expect(canonicalRepository(repository)).toBe(expected);
  });

  test('kyvernoImageName drops the tag of a pinned image and defaults the tag of an unpinned one', () => {
    expect(kyvernoImageName(IMAGE)).toBe(`registry.example.com/trading/gateway@sha256:${DIGEST}`);
    expect(kyvernoImageName('busybox')).toBe('docker.io/library/busybox:latest');
    expect(kyvernoImageName('Not An Image')).toBeUndefined();
  });

  test('a repository\'s references cover its tags and digests and no look-alike repository', () => {
    const refs = repositoryImageReferences([IMAGE, IMAGE]);
    expect(refs).toHaveLength(2);
    const covered = (image: string) => refs.some((r) => wildcardMatches(r, kyvernoImageName(image)!));
    expect(covered(IMAGE)).toBe(true);
    expect(covered('registry.example.com/trading/gateway:3.0')).toBe(true);
    expect(covered(`registry.example.com/trading/gateway-evil@sha256:${DIGEST}`)).toBe(false);
    expect(covered(`registry.example.com/trading@sha256:${DIGEST}`)).toBe(false);
  });

  test('wildcards: * any run, ? one character, everything else literal', () => {
    expect(wildcardMatches('a.b*', 'a.bcd')).toBe(true);
    expect(wildcardMatches('a.b*', 'axbcd')).toBe(false);
    expect(wildcardMatches('a?c', 'abc')).toBe(true);
    expect(wildcardMatches('a?c', 'ac')).toBe(false);
  });
});

describe('SUP-IMAGES-SIGNED at synth', () => {
  function synthError(change: (api: SecureTradingApi) => void): string {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'trading' });
    const api = new SecureTradingApi(chart, 'gateway', baseProps({ imageSignature: KEYLESS }));
    change(api);
    return errorOf(() => Testing.synth(chart));
  }

  test.each([
    ['an image of another repository patched in', (api: SecureTradingApi) => api.deployment!.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/image', `ghcr.io/evil/miner:1@sha256:${DIGEST}`)), 'is not covered by the imageReferences'],
    ['a container patched in', (api: SecureTradingApi) => api.deployment!.addJsonPatch(
      JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'x', image: `ghcr.io/evil/miner:1@sha256:${DIGEST}` }])), 'initContainers[0].image'],
    ['the policy removed', (api: SecureTradingApi) => api.node.tryRemoveChild('ImageSignaturePolicy'), 'which is not in the output'],
    ['the policy switched to Audit', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.replace('/spec/validationFailureAction', 'Audit')), 'not Enforce'],
    ['digest verification off', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.replace('/spec/rules/0/verifyImages/0/verifyDigest', false)), 'verifyDigest: true'],
    ['the match widened to every namespace', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.remove('/spec/rules/0/match/any/0/resources/namespaces')), 'is not exactly the service\'s Pods'],
    ['the repository rule removed', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.remove('/spec/rules/1')), 'an image of another repository would run unverified'],
    ['the repository rule audit-only', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.replace('/spec/rules/1/validate/failureAction', 'Audit')), 'not Enforce'],
    ['an image skipped', (api: SecureTradingApi) => api.imageSignaturePolicy!.addJsonPatch(JsonPatch.add('/spec/rules/0/verifyImages/0/skipImageReferences', ['*'])), 'skipImageReferences'],
  ])('%s fails synth', (_name, change, message) => {
    const error = synthError(change);
    expect(error).toContain('SUP-IMAGES-SIGNED');
    expect(error).toContain(message);
  });
});

describe('README "Signed images" snippet', () => {
  test('runs as written and emits a guarded, enforcing policy', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Signed images'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const chart = new Chart(Testing.app(), 'readme', { namespace: 'trading' });
    // The snippet is plain JavaScript as well: run it with the names it uses.
    new Function('chart', 'SecureTradingApi', 'ImageSignature', 'ServiceExposure', code)(chart, SecureTradingApi, ImageSignature, ServiceExposure);
    const policy = only(Testing.synth(chart), 'ClusterPolicy');
    expect(policy.metadata.name).toBe('trading.signed-gateway.signed-images');
    expect(policy.spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless.subjectRegExp).toMatch(/^\^https:\/\/github\\\.com\/acme\/gateway\//);
  });
});
