/**
 * The hardening controls, for the tests: the guard's own rules (src/guard), run over a synthesized
 * manifest, so the tests and the synth-time check share one statement of what "hardened" means.
 * Each violation comes back as a readable line.
 */
import { describeObject, evaluate } from '../src/guard/evaluate';

/** The explicit opt-outs a configuration used; each acknowledges exactly one rule. */
export interface OptOuts {
  readonly allowUnpinnedImage?: boolean;
  readonly allowUnrestrictedEgress?: boolean;
}

/** Every violation of the controls in `manifest` (the objects of SecureTradingApis in one namespace's chart). */
export function controlViolations(manifest: any[], namespace: string, options: OptOuts = {}): string[] {
  const acknowledged = new Set<string>([
    ...(options.allowUnpinnedImage ? ['POD-IMAGE-PINNED'] : []),
    ...(options.allowUnrestrictedEgress ? ['NET-EGRESS-REACH'] : []),
  ]);
  const out: string[] = [];
  for (const object of manifest) {
    if (object.metadata?.namespace !== namespace) {
      out.push(`${describeObject(object)}: not in namespace ${namespace}`);
    }
  }
  for (const outcome of evaluate(manifest, true, (_i, ruleId) => (acknowledged.has(ruleId) ? 'opt-out' : undefined))) {
    for (const finding of outcome.status === 'fail' ? outcome.findings : []) {
      out.push(`${outcome.ruleId} ${outcome.object} ${finding.field}: ${finding.message}`);
    }
  }
  return out;
}
