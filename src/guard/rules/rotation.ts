/**
 * Rotation rules: a service's pods restart only for the Secrets named for it, never for any change
 * Stakater Reloader can see.
 */
import { RELOADER_SECRET_ANNOTATION } from '../../credential-rotation';
import { isPodBearing, Manifest, podSpecOf, Rule, rule } from '../rule';

/** Reloader annotations that restart the pods on a change to any referenced or matching object. */
const UNSCOPED = ['reloader.stakater.com/auto', 'secret.reloader.stakater.com/auto', 'configmap.reloader.stakater.com/auto', 'reloader.stakater.com/search'];

/** The Secrets a pod spec mounts as volumes (directly or projected). */
function mountedSecrets(spec: Manifest): Set<string> {
  const volumes: Manifest[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  return new Set(volumes.flatMap((v) => [
    v?.secret?.secretName,
    ...(Array.isArray(v?.projected?.sources) ? v.projected.sources.map((s: Manifest) => s?.secret?.name) : []),
  ]).filter((name): name is string => typeof name === 'string'));
}

export const ROTATION_RULES: Rule[] = [
  rule({
    id: 'WL-RELOAD-SCOPED',
    title: 'Pods restart on a key rotation only for the Secrets they mount, named one by one: no Reloader auto or search annotations',
    threat: 'Reloader\'s auto and search modes restart the pods on any change to any referenced Secret or ConfigMap, or to any Secret someone labels as matching: '
      + 'whoever can edit one of them can restart the trading service at will, mid-order, and a singleton goes down each time.',
    fix: 'Declare rotation: CredentialRotation.RESTART_ON_CHANGE on the credentials that need it (it writes secret.reloader.stakater.com/reload with their names), '
      + 'and remove reloader.stakater.com/auto and reloader.stakater.com/search.',
    appliesTo: (object, context) => context.isService && isPodBearing(object),
    check: (object, _context, report) => {
      const annotations: { [key: string]: unknown } = object.metadata?.annotations ?? {};
      for (const key of UNSCOPED) {
        if (key in annotations && String(annotations[key]).toLowerCase() !== 'false') {
          report(`metadata.annotations["${key}"]`, `${key}: ${JSON.stringify(annotations[key])} restarts the pods on changes nobody named`);
        }
      }
      const named = annotations[RELOADER_SECRET_ANNOTATION];
      if (named !== undefined) {
        const mounted = mountedSecrets(podSpecOf(object)?.spec ?? {});
        const names = String(named).split(',').map((n) => n.trim());
        for (const name of names.filter((n) => !mounted.has(n))) {
          report(`metadata.annotations["${RELOADER_SECRET_ANNOTATION}"]`, `names "${name}", a Secret the pods do not mount`);
        }
      }
    },
  }),
];
