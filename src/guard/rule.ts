/**
 * What a guard rule is: a small pure function over rendered manifests (plain JSON, exactly what
 * `cdk8s synth` writes), with a stable id, the threat it answers and how to fix what it finds.
 */

/** A rendered Kubernetes object, as JSON. */
export type Manifest = { [key: string]: any };

/** What the rules know about the unit they check besides its objects. */
export interface RuleContext {
  /** Every object of the unit (a SecureTradingApi's children, or a checked Chart's objects). */
  readonly objects: Manifest[];
  /** True for a SecureTradingApi: cross-object rules (its own PDB, policies, Service) then apply. */
  readonly isService: boolean;
  /**
   * Objects of another unit that this unit reads but does not own: never checked here, only
   * consulted (a service inside a TradingNamespace reads the namespace-wide default deny).
   */
  readonly shared: Manifest[];
  /** What rules derive from an object and share, for this evaluation only (the objects may change later). */
  readonly memo: WeakMap<Manifest, unknown>;
}

/** One violation: which rule, which object, which field, and what is wrong. */
export interface Finding {
  readonly ruleId: string;
  /** The object's index in `RuleContext.objects`. */
  readonly object: number;
  /** A JSON path into the object, such as `spec.template.spec.hostNetwork`. */
  readonly field: string;
  readonly message: string;
}

/** A guard rule. */
export interface Rule {
  /** Stable id, part of the public contract (acknowledgements name it). */
  readonly id: string;
  /** One line: what the rule requires. */
  readonly title: string;
  /** The attack or failure the rule prevents. */
  readonly threat: string;
  /** How to comply. */
  readonly fix: string;
  /** Whether the rule has anything to say about this object (otherwise: not applicable). */
  readonly appliesTo: (object: Manifest, context: RuleContext) => boolean;
  /** The violations in one object: `report(field, message)` for each. */
  readonly check: (object: Manifest, context: RuleContext, report: (field: string, message: string) => void) => void;
}

/** Kinds whose objects carry a pod template, and where the pod spec sits in each. */
const POD_SPEC_PATHS: { [kind: string]: string[] } = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of a pod-bearing object and its path, or undefined. */
export function podSpecOf(object: Manifest): { spec: Manifest; path: string } | undefined {
  const path = POD_SPEC_PATHS[object?.kind];
  if (!path) {
    return undefined;
  }
  let value: any = object;
  for (const key of path) {
    value = value?.[key];
  }
  return { spec: value && typeof value === 'object' ? value : {}, path: path.join('.') };
}

/** The pod template's metadata (labels, annotations) of a pod-bearing object. */
export function podMetadataOf(object: Manifest): Manifest {
  if (object.kind === 'Pod') {
    return object.metadata ?? {};
  }
  const template = object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
  return template?.metadata ?? {};
}

/** Whether the object carries pods. */
export function isPodBearing(object: Manifest): boolean {
  return POD_SPEC_PATHS[object?.kind] !== undefined;
}

/** Every container of a pod spec (init and ephemeral ones included) with its field path. */
export function containersOf(spec: Manifest, path: string): Array<{ container: Manifest; path: string; init: boolean }> {
  const out: Array<{ container: Manifest; path: string; init: boolean }> = [];
  for (const [list, init] of [['initContainers', true], ['containers', false], ['ephemeralContainers', true]] as const) {
    const items = Array.isArray(spec[list]) ? spec[list] : [];
    items.forEach((container: Manifest, i: number) => out.push({ container: container ?? {}, path: `${path}.${list}[${i}]`, init }));
  }
  return out;
}

/** Whether every label of a non-empty selector is on the object. */
export function selects(selector: { [key: string]: string } | undefined, labels: { [key: string]: string } | undefined): boolean {
  if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) {
    return false;
  }
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Builds a rule (keeps the rule files declarative). */
export function rule(definition: Rule): Rule {
  return definition;
}
