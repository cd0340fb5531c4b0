/**
 * Configuration rules: ServiceAccounts without tokens, no key material in any manifest.
 */
import { looksLikeCredentialKey, looksLikeCredentialValue } from '../../credential-patterns';
import { envCredentialProblem } from '../../env-vars';
import { readsAsNonString } from '../../validate';
import { writtenAsNonString } from '../../yaml-strings';
import { containersOf, isPodBearing, Manifest, podSpecOf, Rule, rule } from '../rule';

/** Whether any string (keys included) of a JSON value would be misread: a fast walk, without paths. */
function anyMisread(value: unknown): boolean {
  if (typeof value === 'string') {
    return readsAsNonString(value);
  }
  if (Array.isArray(value)) {
    return value.some(anyMisread);
  }
  if (value && typeof value === 'object') {
    for (const key in value) {
      if (readsAsNonString(key) || anyMisread((value as { [key: string]: unknown })[key])) {
        return true;
      }
    }
  }
  return false;
}

/** Every string (keys included) of a JSON value that cdk8s would write unquoted but Go's YAML reader would read as another type. */
function misreadStrings(value: unknown, path: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') {
    if (writtenAsNonString(value)) {
      out.push([path, value]);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => misreadStrings(item, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      misreadStrings(key, `${child} (key)`, out);
      misreadStrings(item, child, out);
    }
  }
}

export const CONFIG_RULES: Rule[] = [
  rule({
    id: 'YAML-STRINGS',
    title: 'Every string in the written YAML reads back as the same string in kubectl\'s YAML 1.1 reader',
    threat: 'cdk8s writes some strings unquoted (0X1F, 0o17) that Go reads as numbers: the API server then refuses the object, or a value silently changes.',
    fix: 'Change the value (a label, key, name or annotation) so that it is not a number, boolean or null in YAML 1.1.',
    appliesTo: () => true,
    check: (object, _context, report) => {
      if (!anyMisread(object)) {
        return;
      }
      const found: Array<[string, string]> = [];
      misreadStrings(object, '', found);
      for (const [field, value] of found) {
        report(field, `${JSON.stringify(value)} is written unquoted and read back as another type`);
      }
    },
  }),
  rule({
    id: 'SA-NO-TOKEN',
    title: 'ServiceAccounts do not mount their token into pods by default',
    threat: 'A pod that forgets to opt out gets a token that can call the Kubernetes API as the ServiceAccount.',
    fix: 'Set automountServiceAccountToken: false on the ServiceAccount.',
    appliesTo: (object) => object.kind === 'ServiceAccount',
    check: (object, _context, report) => {
      if (object.automountServiceAccountToken !== false) {
        report('automountServiceAccountToken', `is ${JSON.stringify(object.automountServiceAccountToken)}, not false`);
      }
    },
  }),
  rule({
    id: 'NO-KEY-MATERIAL',
    title: 'No manifest carries key material: no Secret with data, no ConfigMap entry or literal environment variable that looks like a credential',
    threat: 'Keys in manifests end up in git, CI logs and every copy of the YAML; a ConfigMap or a pod spec is readable by anyone who can read the namespace\'s configuration, and an environment variable leaks through /proc and crash dumps.',
    fix: 'Keep keys in a secrets manager or a Secret created outside the manifests; reference it with ExchangeCredentials, and give the app the file\'s path (API_KEY_FILE=/var/run/secrets/...).',
    appliesTo: (object) => object.kind === 'Secret' || object.kind === 'ConfigMap' || isPodBearing(object),
    check: (object, _context, report) => {
      if (isPodBearing(object)) {
        const pod = podSpecOf(object)!;
        for (const { container, path } of containersOf(pod.spec, pod.path)) {
          (Array.isArray(container.env) ? container.env : []).forEach((e: Manifest, i: number) => {
            if (typeof e?.name === 'string' && typeof e?.value === 'string' && envCredentialProblem(e.name, e.value)) {
              report(`${path}.env[${i}]`, `container "${container.name}" sets ${e.name} literally, and it looks like a credential`);
            }
          });
        }
        return;
      }
      if (object.kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
          if (object[field] && Object.keys(object[field]).length > 0) {
            report(field, `the Secret carries ${Object.keys(object[field]).length} value(s) in the manifest`);
          }
        }
        return;
      }
      for (const field of ['data', 'binaryData']) {
        for (const [key, value] of Object.entries<Manifest>(object[field] ?? {})) {
          if (looksLikeCredentialKey(key) || looksLikeCredentialValue(String(value))) {
            report(`${field}["${key}"]`, 'looks like a credential');
          }
        }
      }
    },
  }),
];
