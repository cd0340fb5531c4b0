/**
 * Every guard rule, in the order the report lists them. Each family lives in its own file.
 */
import { Rule } from '../rule';
import { ADMISSION_RULES } from './admission';
import { CILIUM_RULES } from './cilium';
import { CONFIG_RULES } from './config';
import { CREDENTIAL_RULES } from './credentials';
import { EXPOSURE_RULES } from './exposure';
import { GATEWAY_RULES } from './gateway';
import { MONITORING_RULES } from './monitoring';
import { NAMESPACE_RULES } from './namespace';
import { NETWORK_RULES } from './network';
import { POD_RULES } from './pod';
import { RBAC_RULES } from './rbac';
import { ROTATION_RULES } from './rotation';
import { SUPPLY_CHAIN_RULES } from './supply-chain';
import { WORKLOAD_RULES } from './workload';

/** All rules, by family. */
export const RULES: readonly Rule[] = [
  ...POD_RULES, ...WORKLOAD_RULES, ...NETWORK_RULES, ...NAMESPACE_RULES, ...EXPOSURE_RULES, ...GATEWAY_RULES, ...RBAC_RULES, ...CONFIG_RULES,
  ...CILIUM_RULES,
  ...ROTATION_RULES,
  ...CREDENTIAL_RULES,
  ...ADMISSION_RULES,
  ...SUPPLY_CHAIN_RULES,
  ...MONITORING_RULES,
];

/** The rule with this id, if any. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** The shortest written reason an acknowledgement accepts. */
export const MIN_REASON_LENGTH = 10;

/**
 * What is wrong with an acknowledgement (an unknown rule id, or no real written reason), with the fix;
 * undefined when it is acceptable. Guard.acknowledge and the CLI plugin share it.
 */
export function acknowledgementProblem(ruleId: unknown, reason: unknown): string | undefined {
  if (typeof ruleId !== 'string' || !findRule(ruleId)) {
    return `unknown rule id ${JSON.stringify(ruleId)}. Fix: use one of ${RULES.map((r) => r.id).join(', ')}.`;
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    return `the reason for ${ruleId} is ${JSON.stringify(reason)}. Fix: write why the finding is safe here, in at least ${MIN_REASON_LENGTH} characters; `
      + 'the reason goes into the compliance report.';
  }
  return undefined;
}
