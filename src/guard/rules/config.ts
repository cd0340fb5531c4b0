/**
 * Configuration rules: ServiceAccounts without tokens, no key material in any manifest.
 */
import { Manifest, Rule, rule } from '../rule';

/** Key names that hold credentials. */
const CREDENTIAL_KEY = /(secret|passw(or)?d|passphrase|api[-_.]?key|access[-_.]?key|private[-_.]?key|token|credential|auth)/i;
/** Values that are key material whatever their key is called. */
const CREDENTIAL_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|^[A-Za-z0-9+/=_-]{40,}$/;

export const CONFIG_RULES: Rule[] = [
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
    title: 'No manifest carries key material: no Secret with data, no ConfigMap key or value that looks like a credential',
    threat: 'Keys in manifests end up in git, CI logs and every copy of the YAML; a ConfigMap is readable by anyone who can read the namespace\'s configuration.',
    fix: 'Keep keys in a secrets manager or a Secret created outside the manifests; reference it with ExchangeCredentials.',
    appliesTo: (object) => object.kind === 'Secret' || object.kind === 'ConfigMap',
    check: (object, _context, report) => {
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
          if (CREDENTIAL_KEY.test(key) || CREDENTIAL_VALUE.test(String(value))) {
            report(`${field}["${key}"]`, 'looks like a credential');
          }
        }
      }
    },
  }),
];
