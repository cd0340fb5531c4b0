/**
 * Secrets Store CSI driver: one SecretProviderClass per credential declared with
 * `ExchangeCredentials.fromSecretsStoreCsi`, in the service's namespace and with its labels. It never
 * has `secretObjects`: the keys go from the store into the pod's files and are never synced into a
 * Kubernetes Secret (so never into etcd). The class holds references only: the provider's address,
 * role or identity, and the names of the secrets.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedConfig } from './config';
import { ResolvedSecretsStoreCsi, ResolvedStoreFile } from './config/credential-sources';
import { SecretProviderClass } from './imports/secrets-store.csi.x-k8s.io';
import { SecretsStoreProviderKind } from './secrets-store-provider';

/** The SecretProviderClasses of the service, in the order of its credentials; empty when none is declared. */
export function createSecretProviderClasses(scope: Construct, config: ResolvedConfig): ApiObject[] {
  return config.credentials.filter((c) => c.secretsStoreCsi !== undefined).map((credential) => new SecretProviderClass(scope,
    `secret-provider-class-${credential.secretName}`, {
      metadata: { name: credential.secretName, namespace: config.namespace, labels: { ...config.labels } },
      spec: { provider: credential.secretsStoreCsi!.provider, parameters: providerParameters(credential.secretsStoreCsi!) },
    }));
}

/**
 * A YAML string: JSON's double-quoted form is valid YAML. The values were checked against strict
 * character sets, so this only keeps "yes" or "1234" from reading as other types.
 */
const q = (value: string) => JSON.stringify(value);

/** The provider's `parameters`: its connection and identity, and `objects` naming what to fetch into which file. */
export function providerParameters(csi: ResolvedSecretsStoreCsi): { [key: string]: string } {
  const o = csi.options;
  switch (csi.provider) {
    case SecretsStoreProviderKind.VAULT:
      return {
        vaultAddress: o.address as string,
        roleName: o.roleName as string,
        vaultKubernetesMountPath: o.authMountPath as string,
        audience: o.audience as string,
        objects: csi.files.map((f) => `- objectName: ${q(f.file)}\n  secretPath: ${q(f.name)}\n  secretKey: ${q(f.key!)}\n`).join(''),
      };
    case SecretsStoreProviderKind.AWS:
      return {
        region: o.region as string,
        ...(o.usePodIdentity ? { usePodIdentity: 'true' } : {}),
        objects: awsObjects(csi.files),
      };
    case SecretsStoreProviderKind.AZURE:
      return {
        usePodIdentity: 'false',
        clientID: o.clientId as string,
        keyvaultName: o.keyVaultName as string,
        tenantId: o.tenantId as string,
        objects: 'array:\n' + csi.files.map((f) => `  - |\n    objectName: ${q(f.name)}\n    objectType: secret\n    objectAlias: ${q(f.file)}\n`
          + (f.version ? `    objectVersion: ${q(f.version)}\n` : '')).join(''),
      };
    case SecretsStoreProviderKind.GCP:
      return {
        secrets: csi.files.map((f) => `- resourceName: ${q(`projects/${o.project}/secrets/${f.name}/versions/${f.version ?? 'latest'}`)}\n  path: ${q(f.file)}\n`).join(''),
      };
    default: {
      const never: never = csi.provider;
      throw new Error(`unknown provider ${never}`);
    }
  }
}

/**
 * AWS objects: one per secret, its fields as JMESPath aliases. The provider also writes each secret
 * whole, under its `objectAlias`: a hidden name (`.aws-<n>`), so the app's directory lists only its files.
 */
function awsObjects(files: ResolvedStoreFile[]): string {
  const bySecret = new Map<string, ResolvedStoreFile[]>();
  for (const f of files) {
    bySecret.set(f.name, [...(bySecret.get(f.name) ?? []), f]);
  }
  return [...bySecret.entries()].map(([name, fs], i) => {
    const whole = fs.find((f) => f.key === undefined);
    const fields = fs.filter((f) => f.key !== undefined);
    return `- objectName: ${q(name)}\n  objectType: "secretsmanager"\n  objectAlias: ${q(whole ? whole.file : `.aws-${i}`)}\n`
      + (fields.length > 0 ? '  jmesPath:\n' + fields.map((f) => `    - path: ${q(f.key!)}\n      objectAlias: ${q(f.file)}\n`).join('') : '');
  }).join('');
}
