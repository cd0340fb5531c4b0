/**
 * Signed images: a Kyverno ClusterPolicy that, when a pod of the service is created or changed,
 * verifies that each of its images carries a signature by the declared identity or key (recorded in
 * Rekor), and refuses any image from another repository. Cluster-scoped (Kyverno's verifyImages is
 * a ClusterPolicy rule like any other), but matching only Pods in the service's namespace with the
 * service's selector labels, so it cannot block another workload.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { IMAGE_SIGNATURE_ANNOTATION } from './annotations';
import { ResolvedConfig } from './config';
import { canonicalRepository, parseImage, repositoryImageReferences } from './image';
import {
  ClusterPolicy,
  ClusterPolicySpecRulesMatchAnyResourcesOperations,
  ClusterPolicySpecRulesValidateFailureAction,
  ClusterPolicySpecRulesVerifyImagesAttestorsEntries,
  ClusterPolicySpecRulesVerifyImagesFailureAction,
  ClusterPolicySpecValidationFailureAction,
  ClusterPolicySpecWebhookConfigurationFailurePolicy,
} from './imports/kyverno.io';


/** The name of the verifyImages rule. */
export const VERIFY_RULE_NAME = 'verify-signatures';
/** The name of the rule that refuses images of other repositories. */
export const REPOSITORY_RULE_NAME = 'only-signed-repositories';

/** Every image the library puts into the service's pods: the API container, the sidecars, the init containers. */
export function serviceImages(config: ResolvedConfig): string[] {
  return [config.image, ...config.sidecars.map((s) => s.image), ...config.initContainers.map((c) => c.image)];
}

/** The Vault Agent images the injector adds to the pods, each exactly as pinned (admitted, not verified). */
export function injectedImages(config: ResolvedConfig): string[] {
  return [...new Set(config.credentials.flatMap((c) => (c.vaultAgent?.agentImage ? [c.vaultAgent.agentImage] : [])))];
}

/**
 * The pattern alternatives of the repository rule: each repository as written and canonical, any tag
 * or digest; and each injected image exactly.
 */
function repositoryPattern(images: string[], exact: string[]): string {
  const alternatives: string[] = [...exact];
  for (const image of images) {
    const repository = parseImage(image).reference?.repository;
    if (repository === undefined) {
      continue;
    }
    for (const r of new Set([repository, canonicalRepository(repository)])) {
      for (const alt of [`${r}:*`, `${r}@*`]) {
        if (!alternatives.includes(alt)) {
          alternatives.push(alt);
        }
      }
    }
  }
  return alternatives.join(' | ');
}

/** Emits the ClusterPolicy when `imageSignature` is set, and marks the workload with its name. */
export function createImageSignaturePolicy(scope: Construct, config: ResolvedConfig, inputs: { workload: ApiObject }): ApiObject | undefined {
  const signature = config.imageSignature;
  if (!signature) {
    return undefined;
  }
  const images = serviceImages(config);
  const attestor: ClusterPolicySpecRulesVerifyImagesAttestorsEntries = signature.keyless
    ? { keyless: { ...signature.keyless, rekor: { url: signature.rekorUrl } } }
    : { keys: { publicKeys: signature.publicKey!, rekor: { url: signature.rekorUrl } } };
  const match = {
    any: [{
      resources: {
        kinds: ['Pod'],
        namespaces: [config.namespace],
        selector: { matchLabels: { ...config.selector } },
        operations: [ClusterPolicySpecRulesMatchAnyResourcesOperations.CREATE, ClusterPolicySpecRulesMatchAnyResourcesOperations.UPDATE],
      },
    }],
  };
  const pattern = repositoryPattern(images, injectedImages(config));
  const policy = new ClusterPolicy(scope, 'ImageSignaturePolicy', {
    metadata: {
      name: signature.policyName,
      labels: { ...config.labels },
      annotations: {
        'policies.kyverno.io/title': `Signed images of ${config.namespace}/${config.name}`,
        'policies.kyverno.io/description': 'Pods of this service run only images of its own repositories, each signed by the declared identity or key and recorded in Rekor.',
      },
    },
    spec: {
      // Kyverno before 1.13 reads only the policy-wide action, and defaults it to Audit.
      validationFailureAction: ClusterPolicySpecValidationFailureAction.ENFORCE,
      background: false,
      webhookConfiguration: { failurePolicy: ClusterPolicySpecWebhookConfigurationFailurePolicy.FAIL },
      rules: [
        {
          name: VERIFY_RULE_NAME,
          match,
          verifyImages: [{
            imageReferences: repositoryImageReferences(images),
            failureAction: ClusterPolicySpecRulesVerifyImagesFailureAction.ENFORCE,
            required: true,
            verifyDigest: true,
            // The images are pinned by digest already: nothing to rewrite.
            mutateDigest: false,
            attestors: [{ count: 1, entries: [attestor] }],
          }],
        },
        {
          name: REPOSITORY_RULE_NAME,
          match,
          validate: {
            failureAction: ClusterPolicySpecRulesValidateFailureAction.ENFORCE,
            message: `Pods of ${config.namespace}/${config.name} run only images of the repositories whose signatures ${VERIFY_RULE_NAME} verifies.`,
            // `=(list)`: Kyverno's anchor for a list that may be absent.
            pattern: {
              spec: {
                'containers': [{ image: pattern }],
                '=(initContainers)': [{ image: pattern }],
                '=(ephemeralContainers)': [{ image: pattern }],
              },
            },
          },
        },
      ],
    },
  });
  // cdk8s gives every object the Chart's namespace; a ClusterPolicy is cluster-scoped and has none.
  if (Chart.of(scope).namespace !== undefined) {
    policy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  inputs.workload.metadata.addAnnotation(IMAGE_SIGNATURE_ANNOTATION, signature.policyName);
  return policy;
}
