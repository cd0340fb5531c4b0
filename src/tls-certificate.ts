/**
 * Where the Ingress's TLS certificate comes from: a Secret that already exists, or cert-manager.
 */

/** How the TLS certificate of the Ingress is provided. */
export enum TlsCertificateSource {
  /** An existing `kubernetes.io/tls` Secret in the service's namespace. */
  EXISTING_SECRET = 'EXISTING_SECRET',
  /** cert-manager, through a namespaced `Issuer` (annotation `cert-manager.io/issuer`). */
  CERT_MANAGER_ISSUER = 'CERT_MANAGER_ISSUER',
  /** cert-manager, through a `ClusterIssuer` (annotation `cert-manager.io/cluster-issuer`). */
  CERT_MANAGER_CLUSTER_ISSUER = 'CERT_MANAGER_CLUSTER_ISSUER',
}

/**
 * Options of the cert-manager sources: the lifetime of the certificate cert-manager issues, rendered
 * as the ingress-shim annotations `cert-manager.io/duration` and `cert-manager.io/renew-before`.
 * Both are Go durations in whole hours, minutes and seconds, such as `2160h` or `720h30m`.
 */
export interface CertManagerCertificateOptions {
  /**
   * How long the certificate is valid; at least `1h` (cert-manager's minimum). Some issuers (ACME)
   * ignore a requested duration and issue their own.
   *
   * @default - the issuer's default (cert-manager: 90 days)
   */
  readonly duration?: string;
  /**
   * How long before expiry cert-manager renews the certificate: at least `5m`, and shorter than
   * `duration`, which must then be set too (the library checks the one against the other).
   *
   * @default - cert-manager's default: a third of the duration before expiry
   */
  readonly renewBefore?: string;
}

/**
 * The TLS certificate for the service's public host name.
 *
 * With cert-manager, the library annotates the Ingress and cert-manager's ingress-shim creates the
 * Certificate and writes the key pair to the Secret `<name>-tls`.
 */
export class TlsCertificate {
  /**
   * Use an existing TLS Secret (type `kubernetes.io/tls`) in the service's namespace.
   *
   * @param secretName the name of the TLS Secret
   */
  public static fromSecret(secretName: string): TlsCertificate {
    return new TlsCertificate(TlsCertificateSource.EXISTING_SECRET, secretName);
  }

  /**
   * Have cert-manager issue the certificate from a namespaced `Issuer`.
   *
   * @param issuerName the name of the Issuer in the service's namespace
   * @param options the certificate's duration and renewal time
   */
  public static fromCertManagerIssuer(issuerName: string, options: CertManagerCertificateOptions = {}): TlsCertificate {
    return new TlsCertificate(TlsCertificateSource.CERT_MANAGER_ISSUER, issuerName, options?.duration, options?.renewBefore);
  }

  /**
   * Have cert-manager issue the certificate from a `ClusterIssuer`.
   *
   * @param clusterIssuerName the name of the ClusterIssuer
   * @param options the certificate's duration and renewal time
   */
  public static fromCertManagerClusterIssuer(clusterIssuerName: string, options: CertManagerCertificateOptions = {}): TlsCertificate {
    return new TlsCertificate(TlsCertificateSource.CERT_MANAGER_CLUSTER_ISSUER, clusterIssuerName, options?.duration, options?.renewBefore);
  }

  /**
   * @param source where the certificate comes from
   * @param name the Secret name or the issuer name, depending on `source`
   * @param duration the requested certificate duration (cert-manager sources only)
   * @param renewBefore the requested renewal time before expiry (cert-manager sources only)
   */
  private constructor(
    /** Where the certificate comes from. */
    public readonly source: TlsCertificateSource,
    /** The TLS Secret's name for `EXISTING_SECRET`, the issuer's name for cert-manager sources. */
    public readonly name: string,
    /**
     * The requested certificate duration (a Go duration), cert-manager sources only.
     *
     * @default - the issuer's default
     */
    public readonly duration?: string,
    /**
     * How long before expiry cert-manager renews (a Go duration), cert-manager sources only.
     *
     * @default - cert-manager's default
     */
    public readonly renewBefore?: string,
  ) {}
}
