/**
 * The guard: the hardening rules, run at `cdk8s synth` over the final rendered output of every
 * SecureTradingApi (and of whatever a user hands to {@link Guard.check}), after every patch,
 * annotation or removed child. A violation fails synth unless it was acknowledged with a written
 * reason; every outcome goes into the compliance report.
 *
 * How it sees the final output at little cost: cdk8s renders each ApiObject once per synth
 * (`toJson()`, patches applied). The guard wraps that method on the objects it watches and keeps the
 * JSON it returns; when the last object of a unit has rendered, it checks the unit. Nothing is rendered
 * twice. A validation, which cdk8s runs before rendering, keeps the list of watched objects current
 * (children added or removed after construction).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appSingleton } from '../app-singleton';
import { describeObject, evaluate, Outcome } from './evaluate';
import { renderMarkdown, ReportUnit } from './report';
import { Manifest } from './rule';
import { acknowledgementProblem, findRule, RULES } from './rules';

const SINGLETON_ID = 'SecureTradingApiGuard';

/** What a rule is, for users and auditors. */
export interface GuardRuleInfo {
  /** The stable id, used to acknowledge findings. */
  readonly id: string;
  /** What the rule requires. */
  readonly title: string;
  /** The attack or failure it prevents. */
  readonly threat: string;
  /** How to comply. */
  readonly fix: string;
}

/** A set of objects checked together. */
interface Unit {
  readonly scope: IConstruct;
  readonly isService: boolean;
  members: ApiObject[];
  readonly rendered: Map<ApiObject, Manifest>;
  outcomes?: Outcome[];
}

const acknowledgements = new WeakMap<IConstruct, Map<string, string>>();

/**
 * The guard of one cdk8s App: the rules, the acknowledgements, and the compliance report written at
 * every synth to `compliance/` in the App's output directory.
 */
export class Guard extends Construct {
  /** The JSON report, relative to the App's output directory. */
  public static readonly REPORT_JSON_PATH = 'compliance/compliance-report.json';
  /** The Markdown report, relative to the App's output directory. */
  public static readonly REPORT_MARKDOWN_PATH = 'compliance/compliance-report.md';

  /**
   * Every rule the guard runs, with its threat and fix.
   */
  public static rules(): GuardRuleInfo[] {
    return RULES.map(({ id, title, threat, fix }) => ({ id, title, threat, fix }));
  }

  /**
   * Accepts the findings of one rule on a construct and everything below it (a SecureTradingApi, or
   * one of its objects), with a written reason. The reason appears in the compliance report.
   *
   * @param scope the construct whose findings are accepted (and its descendants)
   * @param ruleId the rule's id, such as `POD-IMAGE-PINNED`
   * @param reason why this is safe here, at least 10 characters
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (!scope || typeof (scope as any).node !== 'object') {
      throw new Error(`Guard.acknowledge: scope must be a construct (got ${String(scope)}). Fix: pass the SecureTradingApi or one of its objects.`);
    }
    const problem = acknowledgementProblem(ruleId, reason);
    if (problem) {
      throw new Error(`Guard.acknowledge on ${scope.node.path}: ${problem}`);
    }
    const map = acknowledgements.get(scope) ?? new Map<string, string>();
    map.set(ruleId, reason.trim());
    acknowledgements.set(scope, map);
  }

  /**
   * Runs the guard's rules at synth over every Kubernetes object under `scope` (a Chart, or the App)
   * that no SecureTradingApi already guards: pods, policies, RBAC, Ingresses and ConfigMaps of your
   * own get the same checks, and appear in the compliance report.
   *
   * @param scope the construct whose objects to check
   */
  public static check(scope: IConstruct): void {
    Guard.of(scope).addUnit(scope, false);
  }

  /**
   * The guard of the App that `scope` belongs to, created on first use.
   *
   * @param scope any construct of the app
   */
  public static of(scope: IConstruct): Guard {
    return appSingleton(scope, SINGLETON_ID, (c): c is Guard => c instanceof Guard, (root, id) => new Guard(root, id));
  }

  private readonly units: Unit[] = [];
  private readonly owner = new WeakMap<ApiObject, Unit>();
  private pending = new Set<Unit>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.refresh() });
  }

  /**
   * Guards a SecureTradingApi: its objects are checked together, cross-object rules included.
   *
   * @internal
   */
  public _guardService(service: IConstruct): void {
    this.addUnit(service, true);
  }

  private addUnit(scope: IConstruct, isService: boolean): void {
    if (this.units.some((u) => u.scope === scope)) {
      return;
    }
    const unit: Unit = { scope, isService, members: [], rendered: new Map() };
    this.units.push(unit);
    this.refreshUnit(unit);
  }

  /** Before rendering: the current objects of every unit, each one watched. */
  private refresh(): string[] {
    const errors: string[] = [];
    if (this.pending.size === 0) {
      this.pending = new Set(this.units);
    }
    for (const unit of [...this.units.filter((u) => u.isService), ...this.units.filter((u) => !u.isService)]) {
      this.refreshUnit(unit);
      if (unit.isService && unit.members.length === 0) {
        errors.push(`every Kubernetes object of ${unit.scope.node.path} was removed; remove the SecureTradingApi instead`);
        this.pending.delete(unit);
      }
    }
    return errors;
  }

  private refreshUnit(unit: Unit): void {
    const members: ApiObject[] = [];
    for (const child of unit.scope.node.findAll()) {
      if (!(child instanceof ApiObject)) {
        continue;
      }
      const claimedBy = this.owner.get(child);
      if (claimedBy && claimedBy !== unit && (claimedBy.isService || !unit.isService)) {
        continue;
      }
      this.owner.set(child, unit);
      members.push(child);
      this.watch(child);
    }
    unit.members = members;
  }

  private watch(object: ApiObject): void {
    if (Object.prototype.hasOwnProperty.call(object, 'toJson')) {
      return;
    }
    const render = object.toJson.bind(object);
    const guard = this;
    Object.defineProperty(object, 'toJson', {
      configurable: true,
      writable: true,
      value: function toJson(): any {
        const json = render();
        guard.rendered(object, json);
        return json;
      },
    });
  }

  private rendered(object: ApiObject, json: Manifest): void {
    const unit = this.owner.get(object);
    if (!unit || !unit.members.includes(object)) {
      return;
    }
    unit.rendered.set(object, json);
    if (unit.members.every((m) => unit.rendered.has(m))) {
      this.checkUnit(unit);
    }
  }

  private checkUnit(unit: Unit): void {
    const objects = unit.members.map((m) => unit.rendered.get(m)!);
    unit.rendered.clear();
    const outcomes = evaluate(objects, unit.isService, (index, ruleId) => acknowledgedFor(unit.members[index], ruleId));
    const failures = outcomes.filter((o) => o.status === 'fail');
    if (failures.length > 0) {
      throw new Error(failureMessage(unit, objects, failures));
    }
    unit.outcomes = outcomes;
    this.pending.delete(unit);
    if (this.pending.size === 0) {
      this.writeReport();
    }
  }

  /** The report of every unit checked so far, as JSON. */
  public report(): any {
    return reportJson(this.reportUnits());
  }

  private reportUnits(): ReportUnit[] {
    return this.units.filter((u) => u.outcomes !== undefined && u.members.length > 0)
      .map((u) => ({ path: u.scope.node.path, kind: u.isService ? 'SecureTradingApi' : 'Guard.check', outcomes: u.outcomes! }));
  }

  private writeReport(): void {
    // Duck-typed rather than `instanceof App`, so that an app loading its own copy of cdk8s still works.
    const outdir = (this.node.root as Partial<App>).outdir;
    if (typeof outdir !== 'string') {
      return;
    }
    const units = this.reportUnits();
    const json = path.join(outdir, Guard.REPORT_JSON_PATH);
    fs.mkdirSync(path.dirname(json), { recursive: true });
    fs.writeFileSync(json, `${JSON.stringify(reportJson(units), null, 2)}\n`);
    fs.writeFileSync(path.join(outdir, Guard.REPORT_MARKDOWN_PATH), renderMarkdown(units));
  }
}

/** The reason that acknowledges `ruleId` on the object or any construct above it, if any. */
function acknowledgedFor(object: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...object.node.scopes].reverse()) {
    const reason = acknowledgements.get(scope)?.get(ruleId);
    if (reason !== undefined) {
      return reason;
    }
  }
  return undefined;
}

function failureMessage(unit: Unit, objects: Manifest[], failures: Outcome[]): string {
  const lines: string[] = [];
  for (const failure of failures) {
    const r = findRule(failure.ruleId)!;
    for (const finding of failure.findings) {
      lines.push(`  - ${r.id} on ${describeObject(objects[finding.object])}, ${finding.field}: ${finding.message}.\n`
        + `    Threat: ${r.threat}\n    Fix: ${r.fix}`);
    }
  }
  const what = unit.isService ? `SecureTradingApi '${unit.scope.node.path}'` : `Guard.check('${unit.scope.node.path}')`;
  return `${what}: ${lines.length} guard finding${lines.length === 1 ? '' : 's'} in the synthesized output:\n${lines.join('\n')}\n`
    + 'If a finding is safe here, accept it visibly: Guard.acknowledge(<the object or the service>, \'<rule id>\', \'<why this is safe>\'); '
    + 'the reason is written to the compliance report.';
}

/**
 * The JSON report: the rules once, then per unit and per object the rules it passed, the rules that
 * do not concern it, and each acknowledgement with its reason and findings. (Per object rather than
 * per rule x object row: the same content, a tenth of the size.)
 */
function reportJson(units: ReportUnit[]): any {
  return {
    rules: Guard.rules(),
    units: units.map((u) => {
      const objects = new Map<string, { object: string; passed: string[]; notApplicable: string[]; acknowledged: any[] }>();
      for (const o of u.outcomes) {
        let entry = objects.get(o.object);
        if (!entry) {
          entry = { object: o.object, passed: [], notApplicable: [], acknowledged: [] };
          objects.set(o.object, entry);
        }
        if (o.status === 'pass') {
          entry.passed.push(o.ruleId);
        } else if (o.status === 'not-applicable') {
          entry.notApplicable.push(o.ruleId);
        } else {
          entry.acknowledged.push({ rule: o.ruleId, reason: o.reason, findings: o.findings.map((f) => ({ field: f.field, message: f.message })) });
        }
      }
      return { path: u.path, kind: u.kind, summary: summarize(u.outcomes), objects: [...objects.values()] };
    }),
  };
}

/** Counts of each status. */
function summarize(outcomes: Outcome[]): { [status: string]: number } {
  const counts: { [status: string]: number } = { 'pass': 0, 'acknowledged': 0, 'not-applicable': 0, 'fail': 0 };
  for (const o of outcomes) {
    counts[o.status]++;
  }
  return counts;
}
