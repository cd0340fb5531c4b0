/**
 * Credential-source rules: the Secrets Store CSI driver never copies keys into a Kubernetes Secret,
 * and an injected Vault Agent runs hardened, renders only single fields into files, and never hands
 * its Vault token to the app.
 */
import { VAULT_ANNOTATION_PREFIX } from '../../credential-constants';
import { parseImage } from '../../image';
import { isPodBearing, Manifest, podMetadataOf, Rule, rule } from '../rule';

const MIN_ID = 10000;
const a = (key: string) => `${VAULT_ANNOTATION_PREFIX}${key}`;
/** The only template shape the library writes: one field of one secret, nothing else. */
const SINGLE_FIELD_TEMPLATE = /^\{\{- with secret "[A-Za-z0-9_./-]+" -\}\}\{\{ index \.Data(\.data)? "[A-Za-z0-9_.-]+" \}\}\{\{- end -\}\}$/;
/** Agent resource annotations: without them the injected containers run unbounded. */
const RESOURCES = ['requests-cpu', 'limits-cpu', 'requests-mem', 'limits-mem', 'requests-ephemeral', 'limits-ephemeral'];
/** Annotations that hand the agent's power to the app, or let the agent run outside what the library checks. */
const REFUSED: Array<[key: string, why: string]> = [
  ['agent-inject-token', 'writes the agent\'s Vault token into the app\'s files'],
  ['tls-skip-verify', 'turns off verification of Vault\'s certificate'],
  ['agent-configmap', 'replaces the agent\'s configuration with one the library never sees'],
  ['agent-extra-secret', 'mounts another Secret into the agent'],
  ['agent-copy-volume-mounts', 'gives the agent every volume of a container'],
  ['agent-share-process-namespace', 'lets the containers see each other\'s processes'],
  ['agent-run-as-same-user', 'overrides the agent\'s user'],
];

const isSecretProviderClass = (o: Manifest) => typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('secrets-store.csi.x-k8s.io/')
  && o.kind === 'SecretProviderClass';

export const CREDENTIAL_RULES: Rule[] = [
  rule({
    id: 'CRED-CSI-NO-SECRET-SYNC',
    title: 'A SecretProviderClass never syncs the keys into a Kubernetes Secret (no secretObjects)',
    threat: 'secretObjects copies the keys from the external store into a Secret: into etcd, its backups, and the reach of everyone who can read Secrets in the namespace, '
      + 'which the CSI driver exists to avoid.',
    fix: 'Remove spec.secretObjects; the app reads the files of the csi volume.',
    appliesTo: isSecretProviderClass,
    check: (object, _context, report) => {
      const objects = object.spec?.secretObjects;
      if (objects !== undefined && objects !== null && !(Array.isArray(objects) && objects.length === 0)) {
        report('spec.secretObjects', 'syncs the keys into a Kubernetes Secret');
      }
    },
  }),
  rule({
    id: 'CRED-VAULT-AGENT-HARDENED',
    title: 'An injected Vault Agent runs as a non-root id with the injector\'s hardened security context and bounded resources, only for named containers, '
      + 'renders single fields, and keeps its token and configuration to itself',
    threat: 'The injector adds containers the pod spec does not show: run as root, unbounded, with the Vault token written beside the keys, TLS unchecked, '
      + 'or templates that render other secrets, the agent becomes the weakest container of the pod.',
    fix: 'Declare the keys with ExchangeCredentials.fromVaultAgent(...), which writes these annotations; do not patch vault.hashicorp.com/* annotations.',
    appliesTo: (object) => isPodBearing(object) && String(podMetadataOf(object).annotations?.[a('agent-inject')]).toLowerCase() === 'true',
    check: (object, _context, report) => {
      const metadataPath = object.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations';
      const annotations: { [key: string]: unknown } = podMetadataOf(object).annotations ?? {};
      const at = (key: string) => `${metadataPath}["${key}"]`;
      for (const field of ['agent-run-as-user', 'agent-run-as-group']) {
        const id = Number(annotations[a(field)]);
        if (!Number.isInteger(id) || id < MIN_ID) {
          report(at(a(field)), `is ${JSON.stringify(annotations[a(field)])}, not an id >= ${MIN_ID}`);
        }
      }
      if (annotations[a('agent-set-security-context')] !== 'true') {
        report(at(a('agent-set-security-context')), 'is not "true": the agent containers get no read-only root, no dropped capabilities');
      }
      if (typeof annotations[a('agent-inject-containers')] !== 'string' || annotations[a('agent-inject-containers')] === '') {
        report(at(a('agent-inject-containers')), 'is not set: every container, sidecars included, gets the keys');
      }
      const agentImage = annotations[a('agent-image')];
      if (agentImage !== undefined && !(typeof agentImage === 'string' && parseImage(agentImage).reference?.digest)) {
        report(at(a('agent-image')), `is ${JSON.stringify(agentImage)}, not pinned by digest: the agent that reads the keys could change under the same name`);
      }
      if (!String(annotations[a('service')] ?? '').startsWith('https://')) {
        report(at(a('service')), `is ${JSON.stringify(annotations[a('service')])}, not an https address`);
      }
      for (const suffix of RESOURCES) {
        if (typeof annotations[a(`agent-${suffix}`)] !== 'string') {
          report(at(a(`agent-${suffix}`)), 'is not set: the injected containers run without it');
        }
      }
      for (const [key, why] of REFUSED) {
        const value = annotations[a(key)];
        if (value !== undefined && String(value).toLowerCase() !== 'false') {
          report(at(a(key)), `is set: it ${why}`);
        }
      }
      for (const [key, value] of Object.entries(annotations)) {
        if (key.startsWith(a('agent-inject-command-'))) {
          report(at(key), 'runs a command in the agent after each render');
        } else if (key.startsWith(a('agent-inject-template-')) && !SINGLE_FIELD_TEMPLATE.test(String(value))) {
          report(at(key), 'is not a template of one field of one secret, as the library writes them');
        } else if (key.startsWith(a('agent-inject-secret-')) && annotations[key.replace('agent-inject-secret-', 'agent-inject-template-')] === undefined) {
          report(at(key), 'has no template: the injector\'s default writes the whole secret, every field of it');
        }
      }
    },
  }),
];
