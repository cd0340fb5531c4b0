/**
 * Every guard rule, in the order the report lists them. Each family lives in its own file.
 */
import { Rule } from '../rule';
import { CONFIG_RULES } from './config';
import { EXPOSURE_RULES } from './exposure';
import { NETWORK_RULES } from './network';
import { POD_RULES } from './pod';
import { RBAC_RULES } from './rbac';
import { WORKLOAD_RULES } from './workload';

/** All rules, by family. */
export const RULES: readonly Rule[] = [...POD_RULES, ...WORKLOAD_RULES, ...NETWORK_RULES, ...EXPOSURE_RULES, ...RBAC_RULES, ...CONFIG_RULES];

/** The rule with this id, if any. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
