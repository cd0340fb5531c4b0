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
   */
  public static fromCertManagerIssuer(issuerName: string): TlsCertificate {
    return new TlsCertificate(TlsCertificateSource.CERT_MANAGER_ISSUER, issuerName);
  }

  /**
   * Have cert-manager issue the certificate from a `ClusterIssuer`.
   *
   * @param clusterIssuerName the name of the ClusterIssuer
   */
  public static fromCertManagerClusterIssuer(clusterIssuerName: string): TlsCertificate {
    return new TlsCertificate(TlsCertificateSource.CERT_MANAGER_CLUSTER_ISSUER, clusterIssuerName);
  }

  /**
   * @param source where the certificate comes from
   * @param name the Secret name or the issuer name, depending on `source`
   */
  private constructor(
    /** Where the certificate comes from. */
    public readonly source: TlsCertificateSource,
    /** The TLS Secret's name for `EXISTING_SECRET`, the issuer's name for cert-manager sources. */
    public readonly name: string,
  ) {}
}
