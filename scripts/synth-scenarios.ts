/**
 * Synthesizes every scenario of test/scenarios.ts into its own folder, for the external checkers:
 *   <outdir>/<scenario>/*.k8s.yaml         the manifests (what `kubectl apply -f` reads)
 *   <outdir>/<scenario>/audit/*.yaml       the kube-apiserver audit policy
 * Usage: ts-node scripts/synth-scenarios.ts [outdir]   (default .tmp/scenarios)
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { SCENARIOS } from '../test/scenarios';

const outRoot = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '.tmp', 'scenarios'));
fs.rmSync(outRoot, { recursive: true, force: true });
for (const scenario of SCENARIOS) {
  const outdir = path.join(outRoot, scenario.name);
  const app = new App({ outdir });
  scenario.build(app);
  app.synth();
  console.log(`${scenario.name}: ${scenario.description}`);
}
console.log(`${SCENARIOS.length} scenarios synthesized into ${path.relative(process.cwd(), outRoot) || '.'}`);
