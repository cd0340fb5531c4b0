/**
 * Who must have signed the service's images: a keyless (Sigstore Fulcio) identity, or a cosign public
 * key. The choice of {@link SecureTradingApiProps.imageSignature}; the Kyverno ClusterPolicy that
 * enforces it is built by the image signature part.
 */

/** Options of {@link ImageSignature.keyless}. */
export interface KeylessSignatureOptions {
  /**
   * The OIDC issuer of the signing identity, as it appears in the Fulcio certificate, such as
   * `https://token.actions.githubusercontent.com` for GitHub Actions. An `https://` URL.
   */
  readonly issuer: string;
  /**
   * The exact signing identity (the certificate's subject alternative name), such as
   * `https://github.com/acme/trading-gateway/.github/workflows/release.yaml@refs/heads/main`.
   * Give this or `subjectRegExp`, not both.
   *
   * @default - `subjectRegExp` must be given
   */
  readonly subject?: string;
  /**
   * A regular expression (RE2) the signing identity must match, anchored with `^` and `$`, such as
   * `^https://github\.com/acme/trading-gateway/\.github/workflows/release\.yaml@refs/tags/v.*$`.
   * Give this or `subject`, not both.
   *
   * @default - `subject` must be given
   */
  readonly subjectRegExp?: string;
  /**
   * The Rekor transparency log the signature must be recorded in (an `https://` URL).
   *
   * @default "https://rekor.sigstore.dev"
   */
  readonly rekorUrl?: string;
}

/** Options of {@link ImageSignature.publicKey}. */
export interface PublicKeySignatureOptions {
  /**
   * The cosign public key, PEM-encoded (`-----BEGIN PUBLIC KEY-----` ... `-----END PUBLIC KEY-----`),
   * as `cosign generate-key-pair` writes `cosign.pub`. A PEM block of a private key is refused: the
   * policy is a cluster-wide object anyone with read access sees.
   */
  readonly pem: string;
  /**
   * The Rekor transparency log the signature must be recorded in (an `https://` URL).
   *
   * @default "https://rekor.sigstore.dev"
   */
  readonly rekorUrl?: string;
}

/** How the service's images must be signed, for the Kyverno `verifyImages` policy. */
export class ImageSignature {
  /**
   * Keyless signing (Sigstore): each image carries a signature made with a short-lived Fulcio
   * certificate issued to the given identity, recorded in Rekor. The usual choice for images
   * built in CI (GitHub Actions, GitLab CI).
   * @param options the issuer and the identity (exact or a pattern)
   */
  public static keyless(options: KeylessSignatureOptions): ImageSignature {
    return new ImageSignature('keyless', options?.issuer, options?.subject, options?.subjectRegExp, undefined, options?.rekorUrl, options);
  }

  /**
   * A cosign key pair: each image carries a signature made with the private key whose public half
   * is given here.
   * @param options the PEM public key
   */
  public static publicKey(options: PublicKeySignatureOptions): ImageSignature {
    return new ImageSignature('publicKey', undefined, undefined, undefined, options?.pem, options?.rekorUrl, options);
  }

  /** `keyless` or `publicKey`. */
  public readonly kind: string;
  /**
   * The keyless issuer.
   *
   * @default - undefined for a public key
   */
  public readonly issuer?: string;
  /**
   * The keyless exact identity.
   *
   * @default - undefined unless given
   */
  public readonly subject?: string;
  /**
   * The keyless identity pattern.
   *
   * @default - undefined unless given
   */
  public readonly subjectRegExp?: string;
  /**
   * The PEM public key.
   *
   * @default - undefined for keyless
   */
  public readonly pem?: string;
  /**
   * The Rekor URL.
   *
   * @default - undefined unless given (the public Rekor instance)
   */
  public readonly rekorUrl?: string;
  /** @internal the options as given, for the resolver's unknown-key check */
  public readonly _options: unknown;

  private constructor(kind: string, issuer: string | undefined, subject: string | undefined, subjectRegExp: string | undefined,
    pem: string | undefined, rekorUrl: string | undefined, options: unknown) {
    this.kind = kind;
    this.issuer = issuer;
    this.subject = subject;
    this.subjectRegExp = subjectRegExp;
    this.pem = pem;
    this.rekorUrl = rekorUrl;
    this._options = options;
  }
}
