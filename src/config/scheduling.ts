/**
 * Where the pods may run: a node selector and tolerations. A pod holding exchange keys must never be
 * placed on a control-plane node (which holds the cluster's own secrets), and must not keep
 * "running" on a node that is lost.
 */
import { annotationDomain } from '../annotations';
import { TaintEffect, TolerationOperator } from '../pod-props';
import { Problems, integerProblem, labelKeyProblem, labelValueProblem, yamlTypeProblem } from '../validate';
import { check, listOf, ownProps, stringMap, stringProblem } from './common';

/** The node-condition taints a pod may tolerate for a bounded time, to fail over sooner or later. */
const CONDITION_TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];
/** The longest time a pod may stay on an unreachable or not-ready node: the DefaultTolerationSeconds admission plugin's value. */
export const MAX_CONDITION_TOLERATION_SECONDS = 300;
const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
const OPERATORS: string[] = Object.values(TolerationOperator);
const EFFECTS: string[] = Object.values(TaintEffect);

/** One toleration, as Kubernetes writes it. */
export interface ResolvedToleration {
  readonly key?: string;
  readonly operator: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** What the pod's scheduling needs. */
export interface ResolvedScheduling {
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations: ResolvedToleration[];
}

/** Resolves `nodeSelector` and `tolerations`. */
export function resolveScheduling(props: { nodeSelector?: unknown; tolerations?: unknown }, problems: Problems): ResolvedScheduling {
  return { nodeSelector: resolveNodeSelector(problems, props.nodeSelector), tolerations: resolveTolerations(problems, props.tolerations) };
}

function isKubernetesDomain(key: string): boolean {
  const domain = annotationDomain(key);
  return domain !== undefined && ['kubernetes.io', 'k8s.io'].some((d) => domain === d || domain.endsWith(`.${d}`));
}

function resolveNodeSelector(problems: Problems, value: unknown): { [key: string]: string } | undefined {
  if (value === undefined) {
    return undefined;
  }
  const selector = stringMap(problems, 'nodeSelector', value, '{ "example.com/pool": "trading" }');
  if (!selector) {
    return undefined;
  }
  if (Object.keys(selector).length === 0) {
    problems.add('nodeSelector', selector, 'is empty', 'give node labels, or leave nodeSelector out');
  }
  for (const [key, text] of Object.entries(selector)) {
    const prop = `nodeSelector["${key}"]`;
    const keyProblem = labelKeyProblem(key) ?? yamlTypeProblem(key);
    if (keyProblem) {
      problems.add(prop, key, keyProblem, 'use a node label key such as "example.com/pool"');
    } else if (key.toLowerCase().startsWith('node-role.kubernetes.io/')) {
      problems.add(prop, key, 'selects nodes by role; control-plane nodes hold the cluster\'s own secrets and must never run a pod holding keys',
        'label the worker nodes meant for trading with a key of your own, such as "example.com/pool": "trading"');
    }
    check(problems, prop, text, labelValueProblem(text) ?? yamlTypeProblem(text), 'use a label value that does not read as a number or boolean');
  }
  return selector;
}

function resolveTolerations(problems: Problems, value: unknown): ResolvedToleration[] {
  if (value === undefined) {
    return [];
  }
  const items = listOf(problems, 'tolerations', value, '[{ key: "example.com/trading", operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }]') ?? [];
  const out: ResolvedToleration[] = [];
  items.forEach((item, index) => {
    const prop = `tolerations[${index}]`;
    const t = ownProps<{ [key: string]: any }>(problems, prop, item, ['key', 'operator', 'value', 'effect', 'tolerationSeconds'],
      '{ key: "example.com/trading", operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }');
    if (t) {
      out.push(resolveToleration(problems, prop, t));
    }
  });
  return out;
}

function resolveToleration(problems: Problems, prop: string, t: { [key: string]: any }): ResolvedToleration {
  const { key, value, effect, tolerationSeconds } = t;
  const operator = t.operator ?? TolerationOperator.EQUAL;
  check(problems, `${prop}.operator`, operator, OPERATORS.includes(operator) ? undefined : `must be one of ${OPERATORS.join(', ')}`,
    'use TolerationOperator.EQUAL or TolerationOperator.EXISTS');
  check(problems, `${prop}.effect`, effect, effect === undefined || EFFECTS.includes(effect) ? undefined : `must be one of ${EFFECTS.join(', ')}`,
    'use TaintEffect.NO_SCHEDULE, TaintEffect.PREFER_NO_SCHEDULE or TaintEffect.NO_EXECUTE');
  if (key === undefined || key === '') {
    problems.add(`${prop}.key`, key, operator === TolerationOperator.EXISTS
      ? 'is empty with operator Exists, which tolerates every taint: control-plane nodes and lost nodes included'
      : 'is required (Kubernetes accepts an empty key only with operator Exists, which tolerates every taint)',
    'name the taint to tolerate, such as "example.com/trading"');
  } else {
    const keyProblem = stringProblem(key) ?? labelKeyProblem(key) ?? yamlTypeProblem(key);
    check(problems, `${prop}.key`, key, keyProblem, 'use a taint key such as "example.com/trading"');
    if (!keyProblem) {
      checkReservedTaint(problems, prop, key, effect, tolerationSeconds);
    }
  }
  if (operator === TolerationOperator.EXISTS && value !== undefined && value !== '') {
    problems.add(`${prop}.value`, value, 'is set with operator Exists, which matches any value (Kubernetes refuses it)', 'leave value out, or use TolerationOperator.EQUAL');
  } else if (value !== undefined) {
    check(problems, `${prop}.value`, value, stringProblem(value) ?? labelValueProblem(value) ?? yamlTypeProblem(value), 'use the taint\'s value, a label value');
  }
  if (tolerationSeconds !== undefined) {
    const secondsProblem = integerProblem(tolerationSeconds, 0, 3600);
    if (secondsProblem) {
      problems.add(`${prop}.tolerationSeconds`, tolerationSeconds, secondsProblem, 'give whole seconds from 0 to 3600');
    } else if (effect !== TaintEffect.NO_EXECUTE) {
      problems.add(`${prop}.tolerationSeconds`, tolerationSeconds, 'is set without effect NoExecute (Kubernetes refuses it: only NoExecute evicts after a time)',
        'set effect: TaintEffect.NO_EXECUTE, or leave tolerationSeconds out');
    }
  }
  return { key, operator, value, effect, tolerationSeconds };
}

/** Taints of Kubernetes' own domains: control-plane roles and node conditions. */
function checkReservedTaint(problems: Problems, prop: string, key: string, effect: unknown, seconds: unknown): void {
  if (CONTROL_PLANE_TAINTS.includes(key)) {
    problems.add(`${prop}.key`, key, 'tolerates the control-plane taint: a pod holding exchange keys would run beside etcd and the API server, which hold the cluster\'s secrets',
      'remove this toleration; run the service on worker nodes (taint dedicated trading nodes with a key of your own)');
  } else if (CONDITION_TAINTS.includes(key)) {
    if (effect !== TaintEffect.NO_EXECUTE || seconds === undefined) {
      problems.add(`${prop}.tolerationSeconds`, seconds, `must be set, with effect NoExecute: tolerating ${key} forever keeps a pod "running" on a lost node, and a singleton never fails over`,
        `set effect: TaintEffect.NO_EXECUTE and tolerationSeconds of at most ${MAX_CONDITION_TOLERATION_SECONDS} (the cluster's default is 300)`);
    } else if (typeof seconds === 'number' && seconds > MAX_CONDITION_TOLERATION_SECONDS) {
      problems.add(`${prop}.tolerationSeconds`, seconds, `keeps the pod bound to a lost node for more than ${MAX_CONDITION_TOLERATION_SECONDS} seconds (the cluster's default)`,
        `use at most ${MAX_CONDITION_TOLERATION_SECONDS} seconds; fewer makes failover faster`);
    }
  } else if (isKubernetesDomain(key)) {
    problems.add(`${prop}.key`, key, 'is a taint Kubernetes sets on nodes that are cordoned, under pressure, uninitialized or reserved: tolerating it places pods where they should not run',
      `tolerate only taints of your own domain; of Kubernetes' taints only ${CONDITION_TAINTS.join(' and ')} (NoExecute, at most ${MAX_CONDITION_TOLERATION_SECONDS} seconds)`);
  }
}
