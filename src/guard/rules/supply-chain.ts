/**
 * Supply-chain rules: a service that declares signed images (its workload names the Kyverno policy)
 * has that policy in its output, enforcing, verifying digests, scoped to its own pods, covering every
 * image its pods run (init and ephemeral containers included), and refusing other repositories.
 */
import { IMAGE_SIGNATURE_ANNOTATION } from '../../annotations';
import { kyvernoImageName, wildcardMatches } from '../../image';
import { containersOf, isPodBearing, Manifest, podSpecOf, rule, Rule, selects } from '../rule';

const isClusterPolicy = (o: Manifest) => o?.apiVersion === 'kyverno.io/v1' && o?.kind === 'ClusterPolicy';

const enforces = (action: unknown) => typeof action === 'string' && action.toLowerCase() === 'enforce';

/** Whether a rule's match is only Pods of `namespace` carrying the selector labels, with nothing that widens it. */
function matchProblem(match: Manifest | undefined, namespace: string | undefined, selector: { [key: string]: string }): string | undefined {
  const any = Array.isArray(match?.any) ? match!.any : undefined;
  if (!any || any.length === 0 || match!.all !== undefined || match!.resources !== undefined) {
    return 'must be match.any with the service\'s Pods only';
  }
  for (const entry of any) {
    const r = entry?.resources ?? {};
    const kinds = Array.isArray(r.kinds) ? r.kinds : [];
    const namespaces = Array.isArray(r.namespaces) ? r.namespaces : [];
    const extra = Object.keys(entry ?? {}).filter((k) => k !== 'resources');
    if (extra.length > 0 || kinds.length !== 1 || kinds[0] !== 'Pod'
      || namespaces.length !== 1 || namespaces[0] !== namespace
      || r.selector?.matchExpressions !== undefined || !selects(selector, r.selector?.matchLabels)
      || r.namespaceSelector !== undefined || r.names !== undefined || r.name !== undefined) {
      return `${JSON.stringify(entry)} is not exactly the service's Pods (kind Pod, namespace ${JSON.stringify(namespace)}, labels ${JSON.stringify(selector)})`;
    }
  }
  return undefined;
}

export const SUPPLY_CHAIN_RULES: Rule[] = [
  rule({
    id: 'SUP-IMAGES-SIGNED',
    title: 'A service that declares signed images has its Kyverno policy in the output, enforcing signature and digest checks on exactly its pods, covering every image they run',
    threat: 'A registry account, a CI runner or a deployer that pushes or patches in an image nobody signed runs attacker code next to the exchange keys; '
      + 'a policy that only audits, was removed, skips digests or misses one image (a patched-in sidecar) lets it start while the output claims signatures are checked.',
    fix: 'Keep the ClusterPolicy of imageSignature as emitted (validationFailureAction and failureAction Enforce, required, verifyDigest, match on the service\'s Pods, '
      + 'and the rule that refuses other repositories); '
      + 'add images only through the props (sidecars, initContainers) so the policy covers them.',
    appliesTo: (object, context) => context.isService && isPodBearing(object)
      && object.metadata?.annotations?.[IMAGE_SIGNATURE_ANNOTATION] !== undefined,
    check: (object, context, report) => {
      const name = object.metadata.annotations[IMAGE_SIGNATURE_ANNOTATION];
      const policy = context.objects.find((o) => isClusterPolicy(o) && o.metadata?.name === name);
      if (!policy) {
        report(`metadata.annotations["${IMAGE_SIGNATURE_ANNOTATION}"]`, `names ClusterPolicy ${JSON.stringify(name)}, which is not in the output: nothing verifies the images`);
        return;
      }
      const spec: Manifest = policy.spec ?? {};
      const at = `ClusterPolicy ${name}`;
      if (!enforces(spec.validationFailureAction)) {
        report(at, `spec.validationFailureAction is ${JSON.stringify(spec.validationFailureAction)}, not Enforce: an unsigned image is only reported`);
      }
      if (spec.webhookConfiguration?.failurePolicy !== undefined && spec.webhookConfiguration.failurePolicy !== 'Fail') {
        report(at, `spec.webhookConfiguration.failurePolicy is ${JSON.stringify(spec.webhookConfiguration.failurePolicy)}: pods are admitted unchecked whenever Kyverno is down`);
      }
      const selector: { [key: string]: string } = object.spec?.selector?.matchLabels ?? {};
      const namespace = object.metadata?.namespace;
      const rules: Manifest[] = Array.isArray(spec.rules) ? spec.rules : [];
      const verify = rules.flatMap((r) => (Array.isArray(r?.verifyImages) ? r.verifyImages.map((v: Manifest) => ({ rule: r, v: v ?? {} })) : []));
      if (verify.length === 0) {
        report(at, 'has no verifyImages rule');
      }
      const references: string[] = [];
      for (const { rule: r, v } of verify) {
        const problem = matchProblem(r.match, namespace, selector);
        if (problem) {
          report(`${at} rule ${r.name}`, `match ${problem}`);
        }
        if (r.exclude !== undefined || r.preconditions !== undefined) {
          report(`${at} rule ${r.name}`, 'has exclude or preconditions, which let pods skip the check');
        }
        if (v.failureAction !== undefined && !enforces(v.failureAction)) {
          report(`${at} rule ${r.name}`, `verifyImages failureAction is ${JSON.stringify(v.failureAction)}, not Enforce`);
        }
        if (v.required !== true || v.verifyDigest !== true) {
          report(`${at} rule ${r.name}`, 'verifyImages must have required: true and verifyDigest: true, or an image can run unverified or by a tag re-pointed later');
        }
        const entries = (Array.isArray(v.attestors) ? v.attestors : []).flatMap((a: Manifest) => (Array.isArray(a?.entries) ? a.entries : []));
        if (entries.length === 0) {
          report(`${at} rule ${r.name}`, 'verifyImages has no attestor: no signer is required');
        }
        const skip = Array.isArray(v.skipImageReferences) ? v.skipImageReferences : [];
        if (skip.length > 0) {
          report(`${at} rule ${r.name}`, `skipImageReferences ${JSON.stringify(skip)} exempt images from the check`);
        }
        references.push(...(Array.isArray(v.imageReferences) ? v.imageReferences.filter((x: unknown) => typeof x === 'string') : []));
      }
      // verifyImages checks only the images its references match: without a rule that refuses every
      // other repository, an image from anywhere else starts unverified.
      const repositoryRules = rules.filter((r) => r?.validate?.pattern?.spec?.containers !== undefined);
      if (repositoryRules.length === 0) {
        report(at, 'has no validate rule on the pods\' container images: an image of another repository would run unverified');
      }
      for (const r of repositoryRules) {
        const problem = matchProblem(r.match, namespace, selector);
        if (problem || (r.validate.failureAction !== undefined && !enforces(r.validate.failureAction))) {
          report(`${at} rule ${r.name}`, problem ? `match ${problem}` : `validate failureAction is ${JSON.stringify(r.validate.failureAction)}, not Enforce`);
        }
      }
      const pod = podSpecOf(object);
      for (const { container, path } of containersOf(pod?.spec ?? {}, pod?.path ?? 'spec')) {
        const image = typeof container.image === 'string' ? kyvernoImageName(container.image) : undefined;
        if (image === undefined || !references.some((ref) => wildcardMatches(ref, image))) {
          report(`${path}.image`, `${JSON.stringify(container.image)} is not covered by the imageReferences of ClusterPolicy ${name} (${JSON.stringify(references)}): it would run unverified`);
        }
      }
    },
  }),
];
