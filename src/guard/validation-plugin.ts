/**
 * The guard's rules as a cdk8s CLI validation plugin, for any cdk8s app: listed under `validations:`
 * in `cdk8s.yaml`, run by `cdk8s synth --validate` over every synthesized manifest, reported with
 * `--validation-reports-output-file`.
 */
import * as path from 'path';
import { evaluate } from './evaluate';
import { acknowledgementProblem, findRule } from './rules';

/** Properties of {@link GuardValidation}: the `properties` of its entry in `cdk8s.yaml`. */
export interface GuardValidationProperties {
  /**
   * Rule ids whose findings are accepted, each with the written reason (at least 10 characters).
   * They are reported as acknowledged in the plugin's report metadata, not as violations.
   *
   * @default - none: every finding is a violation
   */
  readonly acknowledge?: { [ruleId: string]: string };
}

/**
 * A cdk8s CLI validation plugin that runs the guard's rules over every object of the synthesized
 * manifests (objects the CLI hands it; the cross-object rules of a SecureTradingApi run in the
 * construct itself).
 *
 * In `cdk8s.yaml`:
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-secure-trading-api
 *     version: 0.1.0
 *     class: GuardValidation
 *     properties:
 *       acknowledge:
 *         POD-IMAGE-PINNED: "the debug image is rebuilt from a pinned base in CI"
 * ```
 */
export class GuardValidation {
  private readonly acknowledged: Map<string, string>;

  /**
   * @param properties the plugin's properties from `cdk8s.yaml`
   */
  constructor(properties: GuardValidationProperties = {}) {
    this.acknowledged = new Map();
    for (const [ruleId, reason] of Object.entries(properties?.acknowledge ?? {})) {
      const problem = acknowledgementProblem(ruleId, reason);
      if (problem) {
        throw new Error(`GuardValidation properties.acknowledge: ${problem}`);
      }
      this.acknowledged.set(ruleId, reason.trim());
    }
  }

  /**
   * Runs the rules over every manifest of the synthesized app and reports each violation.
   *
   * @param context the CLI's `ValidationContext` (manifests, report, logger)
   */
  public async validate(context: any): Promise<void> {
    let failed = 0;
    let acknowledged = 0;
    for (const manifestPath of context.manifests as string[]) {
      const objects: any[] = (context.parseManifest(manifestPath) as any[]).filter((o) => o && typeof o === 'object');
      const outcomes = evaluate(objects, false, (_index, ruleId) => this.acknowledged.get(ruleId));
      for (const outcome of outcomes) {
        if (outcome.status === 'acknowledged') {
          acknowledged++;
        }
        if (outcome.status !== 'fail') {
          continue;
        }
        failed++;
        const r = findRule(outcome.ruleId)!;
        const object = objects[outcome.findings[0].object];
        context.report.addViolation({
          ruleName: r.id,
          recommendation: `${r.title}. ${outcome.findings.map((f) => `${f.field}: ${f.message}`).join('; ')}. Threat: ${r.threat}`,
          fix: r.fix,
          violatingResources: [{
            resourceName: object?.metadata?.name ?? outcome.object,
            locations: outcome.findings.map((f) => f.field),
            manifestPath: path.relative(process.cwd(), manifestPath) || manifestPath,
          }],
        });
      }
    }
    const metadata: { [key: string]: string } = { acknowledged: String(acknowledged) };
    for (const [ruleId, reason] of this.acknowledged) {
      metadata[`acknowledged ${ruleId}`] = reason;
    }
    context.report.submit(failed === 0 ? 'success' : 'failure', metadata);
  }
}

