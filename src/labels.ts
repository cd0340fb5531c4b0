/**
 * The recommended `app.kubernetes.io/*` labels, and the subset of them that selects the pods.
 */
import { labelValueProblem, readsAsNonString } from './validate';

/** Label keys that select this service's pods; never change them on a running service. */
const SELECTOR_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];

/**
 * The labels every emitted object carries.
 *
 * @param name the service's base name (unique in its namespace)
 * @param version the image tag, used as `app.kubernetes.io/version` when it is a valid label value
 *   that reads back as text
 */
export function recommendedLabels(name: string, version?: string): { [key: string]: string } {
  const labels: { [key: string]: string } = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': 'api',
    'app.kubernetes.io/part-of': 'secure-trading-api',
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
  // A tag such as `1e3` or `0X1F` would be read back as a number: leave the label out rather than emit it.
  if (version !== undefined && labelValueProblem(version) === undefined && !readsAsNonString(version)) {
    labels['app.kubernetes.io/version'] = version;
  }
  return labels;
}

/** The labels that select exactly one service's pods: a subset of {@link recommendedLabels}. */
export function selectorLabels(labels: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(SELECTOR_KEYS.map((key) => [key, labels[key]]));
}
