/**
 * The guard: the hardening rules, run at `cdk8s synth` over the final rendered output of every
 * SecureTradingApi and TradingNamespace (and of whatever a user hands to {@link Guard.check}), after every patch,
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
import { ApiObject, App, Chart } from 'cdk8s';
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

/**
 * What a unit is. An object belongs to one unit: the higher rank claims it (a service inside a
 * TradingNamespace owns its objects; the namespace owns the rest of what is under it; a
 * `Guard.check` scope gets whatever no other unit owns).
 */
type UnitKind = 'SecureTradingApi' | 'TradingNamespace' | 'Guard.check';
const RANK: { [kind in UnitKind]: number } = { 'SecureTradingApi': 3, 'TradingNamespace': 2, 'Guard.check': 1 };

/** A set of objects checked together. */
interface Unit {
  readonly scope: IConstruct;
  readonly kind: UnitKind;
  members: ApiObject[];
  /** The objects of other units this unit reads (as given), and those of them still in the tree. */
  readonly reads: ApiObject[];
  shared: ApiObject[];
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
    Guard.of(scope).addUnit(scope, 'Guard.check');
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
  /** The units that read an object they do not own. */
  private readonly readers = new WeakMap<ApiObject, Set<Unit>>();
  private pending = new Set<Unit>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.refresh() });
  }

  /**
   * Guards a SecureTradingApi: its objects are checked together, cross-object rules included.
   *
   * `shared` are objects of another unit that the service's rules read without owning or checking
   * them (the namespace-wide default deny of the TradingNamespace the service is in). The service is
   * checked once its own objects and every shared object still in the construct tree have rendered;
   * each is rendered once, whatever number of services reads it. A shared object the user removed
   * no longer counts. Shared objects must be in the service's Chart (synth fails otherwise), so that
   * synthesizing that Chart renders them. Calling it again for the same service adds to what it reads.
   *
   * @internal
   */
  public _guardService(service: IConstruct, shared: ApiObject[] = []): void {
    this.addUnit(service, 'SecureTradingApi', shared);
  }

  /**
   * Guards a TradingNamespace: the objects under it that no service inside it owns (the Namespace,
   * its default deny, quota and limit range, and whatever the user adds there).
   *
   * @internal
   */
  public _guardNamespace(namespace: IConstruct): void {
    this.addUnit(namespace, 'TradingNamespace');
  }

  private addUnit(scope: IConstruct, kind: UnitKind, reads: readonly ApiObject[] = []): void {
    const existing = this.units.find((u) => u.scope === scope);
    if (existing) {
      existing.reads.push(...reads.filter((o) => !existing.reads.includes(o)));
      this.refreshUnit(existing);
      return;
    }
    const unit: Unit = { scope, kind, members: [], reads: [...reads], shared: [], rendered: new Map() };
    this.units.push(unit);
    this.refreshUnit(unit);
  }

  /** Before rendering: the current objects of every unit, each one watched. */
  private refresh(): string[] {
    const errors: string[] = [];
    if (this.pending.size === 0) {
      this.pending = new Set(this.units);
    }
    // Higher ranks first, so that each claims its objects before a lower rank looks.
    for (const unit of [...this.units].sort((a, b) => RANK[b.kind] - RANK[a.kind])) {
      this.refreshUnit(unit);
      if (unit.kind !== 'Guard.check' && unit.members.length === 0) {
        errors.push(`every Kubernetes object of ${unit.scope.node.path} was removed; remove the ${unit.kind} instead`);
        this.pending.delete(unit);
      }
      for (const object of unit.shared) {
        if (Chart.of(object) !== Chart.of(unit.scope)) {
          errors.push(`${unit.scope.node.path} reads ${object.node.path}, which is in another Chart; keep a service in the Chart of its TradingNamespace`);
          this.pending.delete(unit);
        }
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
      if (claimedBy && claimedBy !== unit && RANK[claimedBy.kind] >= RANK[unit.kind]) {
        continue;
      }
      this.owner.set(child, unit);
      members.push(child);
      this.watch(child);
    }
    unit.members = members;
    for (const object of unit.shared) {
      this.readers.get(object)?.delete(unit);
    }
    unit.shared = unit.reads.filter((o) => !members.includes(o) && inTree(o));
    for (const object of unit.shared) {
      const readers = this.readers.get(object) ?? new Set<Unit>();
      readers.add(unit);
      this.readers.set(object, readers);
      this.watch(object);
    }
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

  /** One render of `object`: handed to its owner and to every unit that reads it. */
  private rendered(object: ApiObject, json: Manifest): void {
    const owner = this.owner.get(object);
    const units = [...(owner && owner.members.includes(object) ? [owner] : []), ...(this.readers.get(object) ?? [])];
    for (const unit of units) {
      unit.rendered.set(object, json);
    }
    for (const unit of units) {
      if (unit.rendered.size > 0 && [...unit.members, ...unit.shared].every((m) => unit.rendered.has(m))) {
        this.checkUnit(unit);
      }
    }
  }

  private checkUnit(unit: Unit): void {
    const objects = unit.members.map((m) => unit.rendered.get(m)!);
    const shared = unit.shared.map((m) => unit.rendered.get(m)!);
    unit.rendered.clear();
    const isService = unit.kind === 'SecureTradingApi';
    const outcomes = evaluate(objects, isService, (index, ruleId) => acknowledgedFor(unit.members[index], ruleId), shared);
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
      .map((u) => ({ path: u.scope.node.path, kind: u.kind, outcomes: u.outcomes! }));
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

/** Whether the object is still in the construct tree (not removed with `node.tryRemoveChild`). */
function inTree(object: IConstruct): boolean {
  const scopes = object.node.scopes;
  return scopes.every((c, i) => i === 0 || scopes[i - 1].node.tryFindChild(c.node.id) === c);
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
  const what = unit.kind === 'Guard.check' ? `Guard.check('${unit.scope.node.path}')` : `${unit.kind} '${unit.scope.node.path}'`;
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
