/**
 * RBAC rules: explicit grants only, nothing that escalates, reads keys or reaches into pods.
 */
import { Manifest, Rule, rule } from '../rule';

const ESCALATING_VERBS = ['bind', 'escalate', 'impersonate', '*'];
/** Subresources that read a running pod's memory or files, or run code in it. */
const POD_ACCESS = ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'nodes/proxy', 'pods/proxy', 'services/proxy'];
/** Resources whose write lets the writer mount Secrets into a pod (or change who may). */
const WRITE_SENSITIVE = ['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers',
  'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'serviceaccounts', 'serviceaccounts/token',
  'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'secrets', 'pods/ephemeralcontainers'];
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const SYSTEM_SUBJECT = /^system:(authenticated|unauthenticated|anonymous|serviceaccounts|masters|nodes)?($|:)/;

const roles = (object: Manifest) => object.kind === 'Role' || object.kind === 'ClusterRole';

function eachRule(object: Manifest, each: (r: Manifest, field: string) => void): void {
  (Array.isArray(object.rules) ? object.rules : []).forEach((r: Manifest, i: number) => each(r ?? {}, `rules[${i}]`));
}
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

export const RBAC_RULES: Rule[] = [
  rule({
    id: 'RBAC-EXPLICIT',
    title: 'Every RBAC rule lists its API groups, resources and verbs explicitly: no wildcard, no non-resource URLs in a Role',
    threat: 'A wildcard grants every resource and verb that exists now or is added later, Secrets and exec included.',
    fix: 'Name each apiGroup, resource and verb.',
    appliesTo: roles,
    check: (object, _context, report) => eachRule(object, (r, field) => {
      for (const key of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
        if (list(r[key]).some((v) => v.includes('*'))) {
          report(`${field}.${key}`, `${JSON.stringify(r[key])} has a wildcard`);
        }
      }
      if (r.nonResourceURLs !== undefined) {
        report(`${field}.nonResourceURLs`, 'grants non-resource URLs');
      }
    }),
  }),
  rule({
    id: 'RBAC-NO-ESCALATION',
    title: 'No RBAC rule can escalate: no bind, escalate or impersonate; no exec, attach, port-forward, ephemeral containers or proxies; no writes that mount Secrets or change RBAC',
    threat: 'Each of these turns a limited identity into one that can read the exchange keys: by running code in the pod, changing its template, or granting itself more.',
    fix: 'Grant reads and, at most, the scale subresource of the service\'s own Deployment.',
    appliesTo: roles,
    check: (object, _context, report) => eachRule(object, (r, field) => {
      const verbs = list(r.verbs);
      const resources = list(r.resources);
      const escalating = verbs.filter((v) => ESCALATING_VERBS.includes(v));
      if (escalating.length > 0) {
        report(`${field}.verbs`, `grants ${escalating.join(', ')}`);
      }
      const access = resources.filter((res) => POD_ACCESS.includes(res));
      if (access.length > 0) {
        report(`${field}.resources`, `grants ${access.join(', ')}`);
      }
      const writes = verbs.filter((v) => WRITES.includes(v));
      const sensitive = resources.filter((res) => WRITE_SENSITIVE.includes(res));
      if (writes.length > 0 && sensitive.length > 0) {
        report(`${field}.verbs`, `grants ${writes.join(', ')} on ${sensitive.join(', ')}`);
      }
    }),
  }),
  rule({
    id: 'RBAC-SECRETS',
    title: 'Secrets are readable only by name (get with resourceNames), never listed or watched',
    threat: 'list and watch on Secrets return every key of the namespace, whatever resourceNames say.',
    fix: 'Grant only get on secrets, with resourceNames naming each Secret.',
    appliesTo: roles,
    check: (object, _context, report) => eachRule(object, (r, field) => {
      if (!list(r.resources).includes('secrets')) {
        return;
      }
      if (list(r.resourceNames).length === 0) {
        report(`${field}.resourceNames`, 'grants secrets without naming them');
      }
      const other = list(r.verbs).filter((v) => v !== 'get');
      if (other.length > 0) {
        report(`${field}.verbs`, `grants ${other.join(', ')} on secrets`);
      }
    }),
  }),
  rule({
    id: 'RBAC-SUBJECTS',
    title: 'Bindings name people, groups or ServiceAccounts of their own: never a system-wide group or user',
    threat: 'Binding system:authenticated, system:serviceaccounts or an anonymous identity grants the role to every caller of the cluster.',
    fix: 'Bind named users, groups or the service\'s own ServiceAccount.',
    appliesTo: (object) => object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding',
    check: (object, _context, report) => {
      (Array.isArray(object.subjects) ? object.subjects : []).forEach((s: Manifest, i: number) => {
        if ((s?.kind === 'Group' || s?.kind === 'User') && SYSTEM_SUBJECT.test(String(s.name))) {
          report(`subjects[${i}].name`, `binds ${s.kind} ${s.name}`);
        }
        if (s?.kind === 'ServiceAccount' && s.name === 'default') {
          report(`subjects[${i}].name`, 'binds the namespace\'s shared default ServiceAccount');
        }
      });
    },
  }),
];
