/**
 * The identity's props: the humans and groups bound to the operator Role.
 */
import { SecureTradingApiProps } from '../props';
import { Problems, yamlTypeProblem } from '../validate';
import { listOf } from './common';

/** What the identity part needs. */
export interface ResolvedIdentity {
  readonly operatorUsers: string[];
  readonly operatorGroups: string[];
}

/** Resolves the operator subjects. */
export function resolveIdentity(props: SecureTradingApiProps, problems: Problems): ResolvedIdentity {
  return {
    operatorUsers: resolveSubjects(problems, 'operatorUsers', props.operatorUsers),
    operatorGroups: resolveSubjects(problems, 'operatorGroups', props.operatorGroups),
  };
}

function resolveSubjects(problems: Problems, prop: string, value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  const subjects = listOf(problems, prop, value, '["oncall@example.com"]');
  if (!subjects) {
    return [];
  }
  const seen = new Set<string>();
  subjects.forEach((subject, index) => {
    if (typeof subject !== 'string' || subject.trim() === '' || subject !== subject.trim()) {
      problems.add(`${prop}[${index}]`, subject, 'must be a non-empty name without surrounding spaces', 'use the name your authenticator reports');
    } else if (subject.startsWith('system:')) {
      problems.add(`${prop}[${index}]`, subject, 'is a system identity; binding it would grant the operator Role to Kubernetes components or every authenticated user',
        'bind named humans or their groups');
    } else if (yamlTypeProblem(subject)) {
      problems.add(`${prop}[${index}]`, subject, yamlTypeProblem(subject)!, 'use the name exactly as your authenticator reports it; a name like this one must be quoted, which cdk8s does not do');
    } else if (seen.has(subject)) {
      problems.add(`${prop}[${index}]`, subject, 'is listed twice', 'list each subject once');
    }
    seen.add(subject as string);
  });
  return subjects as string[];
}
