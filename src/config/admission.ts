/**
 * The admission prop: whether the service also emits the cluster-side ValidatingAdmissionPolicies
 * that make the API server itself refuse pods, workloads and Ingresses that would weaken it.
 */
import { SecureTradingApiProps } from '../props';
import { Problems } from '../validate';
import { booleanProblem, check } from './common';

/** What the admission part needs. */
export interface ResolvedAdmission {
  /** Emit the ValidatingAdmissionPolicies and their bindings. */
  readonly admissionPolicy: boolean;
}

/** Resolves `admissionPolicy`. */
export function resolveAdmission(props: SecureTradingApiProps, problems: Problems): ResolvedAdmission {
  const value = props.admissionPolicy ?? false;
  check(problems, 'admissionPolicy', value, booleanProblem(value),
    'set admissionPolicy: true to emit the cluster-side policies (Kubernetes 1.30 or later, applied by a cluster administrator), or leave it out');
  return { admissionPolicy: value === true };
}
