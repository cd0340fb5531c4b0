/**
 * External Secrets: one ExternalSecret per credential declared with
 * `ExchangeCredentials.fromExternalSecret`, in the service's namespace and with its labels. The
 * operator writes the Secret (and owns it); the credentials part mounts it like any other.
 * The ExternalSecret holds references only: the store's name, the remote key and property names.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';
import {
  ExternalSecret,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from './imports/external-secrets.io';

/** The ExternalSecrets of the service, in the order of its credentials; empty when none is declared. */
export function createExternalSecrets(scope: Construct, config: ResolvedConfig): ApiObject[] {
  return config.credentials.filter((c) => c.externalSecret !== undefined).map((credential) => {
    const es = credential.externalSecret!;
    return new ExternalSecret(scope, `external-secret-${credential.secretName}`, {
      metadata: { name: credential.secretName, namespace: config.namespace, labels: { ...config.labels } },
      spec: {
        secretStoreRef: { kind: es.storeKind as string as ExternalSecretSpecSecretStoreRefKind, name: es.storeName },
        refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
        refreshInterval: es.refreshInterval,
        target: {
          name: credential.secretName,
          // The operator owns the Secret: deleting the ExternalSecret deletes the keys with it, and
          // the operator refuses to take over a Secret that someone else created.
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: es.deletionPolicy as string as ExternalSecretSpecTargetDeletionPolicy,
        },
        data: es.data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: es.remoteKey, property: d.property } })),
      },
    });
  });
}
