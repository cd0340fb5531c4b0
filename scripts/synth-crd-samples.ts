/**
 * Synthesizes one minimal object of each custom resource kind (test/crd-samples.ts, built with the
 * generated classes of src/imports/) into one folder, for the real API server's crds check:
 *   bash scripts/apiserver-test.sh --checks crds <outdir>
 * Usage: ts-node scripts/synth-crd-samples.ts [outdir]   (default .tmp/crd-samples)
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { CRD_SAMPLES } from '../test/crd-samples';

const outdir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '.tmp', 'crd-samples'));
fs.rmSync(outdir, { recursive: true, force: true });
const app = new App({ outdir });
const chart = new Chart(app, 'crd-samples');
CRD_SAMPLES.forEach((sample, i) => sample.create(chart, `sample-${i}`));
app.synth();
console.log(`${CRD_SAMPLES.length} custom resources synthesized into ${path.relative(process.cwd(), outdir) || '.'}`);
