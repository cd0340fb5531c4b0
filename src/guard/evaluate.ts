/**
 * Runs the rules over one unit's rendered objects: for each rule and object, pass, not applicable,
 * acknowledged (with the written reason), or failed (with the findings). Pure: no constructs.
 */
import { Finding, Manifest, RuleContext } from './rule';
import { RULES } from './rules';

/** The outcome of one rule on one object. */
export type Status = 'pass' | 'not-applicable' | 'acknowledged' | 'fail';

/** One row of the compliance report. */
export interface Outcome {
  readonly ruleId: string;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly status: Status;
  /** The acknowledgement's reason, for `acknowledged`. */
  readonly reason?: string;
  /** What the rule found, for `fail` and `acknowledged`. */
  readonly findings: Finding[];
}

/** Finds the written reason that acknowledges `ruleId` for the object at `index`, if any. */
export type Acknowledged = (index: number, ruleId: string) => string | undefined;

/** A short, stable name for an object: `Kind namespace/name`. */
export function describeObject(object: Manifest): string {
  const namespace = object?.metadata?.namespace;
  return `${object?.kind ?? '?'} ${namespace ? `${namespace}/` : ''}${object?.metadata?.name ?? '?'}`;
}

const NONE: Finding[] = [];

/**
 * Every rule over every object of the unit. `shared` objects (another unit's) are read by the rules
 * that look across objects, never checked themselves.
 */
export function evaluate(objects: Manifest[], isService: boolean, acknowledged: Acknowledged = () => undefined, shared: Manifest[] = []): Outcome[] {
  const context: RuleContext = { objects, isService, shared, memo: new WeakMap() };
  const names = objects.map(describeObject);
  const outcomes: Outcome[] = [];
  for (const r of RULES) {
    objects.forEach((object, index) => {
      if (!r.appliesTo(object, context)) {
        outcomes.push({ ruleId: r.id, object: names[index], status: 'not-applicable', findings: NONE });
        return;
      }
      const findings: Finding[] = [];
      r.check(object, context, (field, message) => findings.push({ ruleId: r.id, object: index, field, message }));
      const reason = findings.length > 0 ? acknowledged(index, r.id) : undefined;
      const status: Status = findings.length === 0 ? 'pass' : reason !== undefined ? 'acknowledged' : 'fail';
      outcomes.push({ ruleId: r.id, object: names[index], status, reason, findings });
    });
  }
  return outcomes;
}
