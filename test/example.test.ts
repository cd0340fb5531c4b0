import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The reviewed snapshot of each example is its committed `dist/`, written by the real `cdk8s synth`
 * (`npx projen test:update`: compile, then `cdk8s synth` of every example). Here each example runs in-process, from the
 * library's source, and must reproduce that output byte for byte. CI also re-runs the CLI and fails
 * on any difference (`git diff --exit-code`), so the snapshot can only change on purpose.
 */
const EXAMPLES = path.join(__dirname, '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter((e) => fs.existsSync(path.join(EXAMPLES, e, 'cdk8s.yaml')));

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]).sort();
}

describe.each(examples)('example %s', (example) => {
  test('synthesizes exactly its reviewed dist/', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${example}-`));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // The example is a program (it calls app.synth()), so running it means loading it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(path.join(EXAMPLES, example, 'main.ts')));
    } finally {
      if (previous === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = previous;
      }
    }
    const expectedDir = path.join(EXAMPLES, example, 'dist');
    const hint = 'If the change is intended: npx projen test:update, then review the diff.';
    expect({ files: files(outdir), hint }).toEqual({ files: files(expectedDir), hint });
    for (const file of files(outdir)) {
      expect({ file, yaml: fs.readFileSync(path.join(outdir, file), 'utf8'), hint })
        .toEqual({ file, yaml: fs.readFileSync(path.join(expectedDir, file), 'utf8'), hint });
    }
  });
});
