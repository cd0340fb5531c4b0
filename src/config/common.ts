/**
 * Helpers every resolver shares: recording a problem, checking a value's JavaScript type, and reading
 * a props object the way a typed caller would have written it (own, known keys only).
 */
import { labelKeyProblem, labelValueProblem, Problems } from '../validate';

/** Records `problem` for `prop` when there is one. */
export function check(problems: Problems, prop: string, value: unknown, problem: string | undefined, fix: string): void {
  if (problem) {
    problems.add(prop, value, problem, fix);
  }
}

/** A problem when `value` is not a string: plain-JavaScript and Python callers can pass anything. */
export function stringProblem(value: unknown): string | undefined {
  return typeof value === 'string' ? undefined : 'must be a string';
}

/** A problem when `value` is not a boolean (a string "false" is truthy in JavaScript). */
export function booleanProblem(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : 'must be true or false';
}

/**
 * A plain copy of a props object: only its own enumerable string keys, on an object without a
 * prototype. An inherited or prototype-polluted property (`Object.prototype.allowUnrestrictedEgress =
 * true`) therefore never counts, and keys the type does not declare are reported as problems: a
 * misspelt opt-in (`allowUnpinedImage`) must fail, not be ignored.
 *
 * @returns the copy, or undefined (with a problem recorded) when `value` is not an object
 */
export function ownProps<T>(
  problems: Problems,
  prop: string,
  value: unknown,
  known: readonly string[],
  example: string,
): Partial<T> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(prop, value, 'must be an object', `pass ${example}`);
    return undefined;
  }
  const copy: { [key: string]: unknown } = Object.create(null);
  for (const key of Object.keys(value)) {
    const entry = (value as { [key: string]: unknown })[key];
    if (!known.includes(key)) {
      problems.add(`${prop}.${key}`, entry, 'is not a known prop', `remove it, or use one of: ${known.join(', ')}`);
    } else if (entry !== undefined && entry !== null) {
      copy[key] = entry;
    }
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    problems.add(prop, value, 'has symbol keys', 'use plain string keys');
  }
  return copy as Partial<T>;
}

/**
 * A dense array's items, or undefined (with a problem recorded) when `value` is not an array. A string
 * is not a list of its characters (`keys: "api-key"` would otherwise mount files `a`, `p`, `i`, ...),
 * and a hole in a sparse array is a problem, not a skipped item.
 */
export function listOf(problems: Problems, prop: string, value: unknown, example: string): unknown[] | undefined {
  if (!Array.isArray(value)) {
    problems.add(prop, value, 'must be a list', `pass ${prop}: ${example}`);
    return undefined;
  }
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) {
      problems.add(`${prop}[${i}]`, undefined, 'is a hole in a sparse list', 'remove the empty slot');
    }
    items.push(value[i]);
  }
  return items;
}

/**
 * A map of strings to strings (labels, annotations) as a plain copy, or undefined (with a problem
 * recorded) when `value` is not one.
 */
export function stringMap(problems: Problems, prop: string, value: unknown, example: string): { [key: string]: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(prop, value, 'must be a map of strings to strings', `pass ${prop}: ${example}`);
    return undefined;
  }
  const copy: { [key: string]: string } = {};
  for (const key of Object.keys(value)) {
    const entry = (value as { [key: string]: unknown })[key];
    if (typeof entry !== 'string') {
      problems.add(`${prop}["${key}"]`, entry, 'must be a string', 'quote the value');
    } else {
      copy[key] = entry;
    }
  }
  return copy;
}

/**
 * The labels of a pod selector: a non-empty map of valid label keys and values, as a plain copy. An
 * empty selector would select every pod of its namespace.
 *
 * @param what the pods the labels must select, for the fix ("the ingress controller's pods")
 */
export function podSelectorLabels(problems: Problems, prop: string, value: unknown, example: string, what: string): { [key: string]: string } {
  const labels = stringMap(problems, prop, value, example);
  if (!labels) {
    return {};
  }
  if (Object.keys(labels).length === 0) {
    problems.add(prop, labels, 'is empty, which would select every pod of the namespace', `give labels that select only ${what}, such as ${example}`);
  }
  for (const [key, labelValue] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(labelValue);
    if (problem) {
      problems.add(prop, { [key]: labelValue }, problem, 'use valid Kubernetes label keys and values');
    }
  }
  return labels;
}
