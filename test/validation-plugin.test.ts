import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { GuardValidation } from '../src';

// The CLI's own context and report classes, as `cdk8s synth --validate` builds them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins');

const ROOT = path.join(__dirname, '..');
const EXAMPLE_MANIFEST = path.join(ROOT, 'examples', 'trading-gateway', 'dist', 'trading.k8s.yaml');

const INSECURE = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'debug', namespace: 'tools' },
  spec: {
    selector: { matchLabels: { app: 'debug' } },
    template: { metadata: { labels: { app: 'debug' } }, spec: { hostNetwork: true, containers: [{ name: 'shell', image: 'busybox' }] } },
  },
};

function manifestFile(objects: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-plugin-'));
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, Yaml.stringify(...objects));
  return file;
}

async function run(manifests: string[], properties = {}) {
  const context = new ValidationContext(manifests, 'cdk8s-secure-trading-api', '0.1.0', {}, false);
  await new GuardValidation(properties).validate(context);
  return context.report.toJson();
}

describe('GuardValidation, the cdk8s CLI plugin', () => {
  test('the library\'s own example passes', async () => {
    const report = await run([EXAMPLE_MANIFEST]);
    expect(report.summary.status).toBe('success');
    expect(report.violations).toEqual([]);
  });

  test('an insecure Deployment of any app fails, rule by rule, with the field and the fix', async () => {
    const report = await run([manifestFile([INSECURE])]);
    expect(report.summary.status).toBe('failure');
    const rules = report.violations.map((v: any) => v.ruleName);
    for (const id of ['POD-NON-ROOT', 'POD-HOST-ISOLATION', 'POD-IMAGE-PINNED', 'POD-RESOURCES', 'POD-NO-TOKEN', 'POD-SECCOMP']) {
      expect(rules).toContain(id);
    }
    const host = report.violations.find((v: any) => v.ruleName === 'POD-HOST-ISOLATION');
    expect(host.violatingConstructs[0]).toMatchObject({ resourceName: 'debug', locations: ['spec.template.spec.hostNetwork'] });
    expect(host.fix).toContain('Remove hostNetwork');
  });

  test('acknowledged rules are reported with their reason, not as violations', async () => {
    const report = await run([manifestFile([INSECURE])], { acknowledge: { 'POD-IMAGE-PINNED': 'busybox is only a placeholder in this test' } });
    expect(report.violations.map((v: any) => v.ruleName)).not.toContain('POD-IMAGE-PINNED');
    expect(report.summary.metadata['acknowledged POD-IMAGE-PINNED']).toBe('busybox is only a placeholder in this test');
  });

  test.each([
    [{ acknowledge: { NOPE: 'a long enough reason' } }, 'unknown rule id "NOPE"'],
    [{ acknowledge: { 'POD-APPARMOR': 'short' } }, 'at least 10 characters'],
  ])('bad properties are refused: %j', (properties, words) => {
    expect(() => new GuardValidation(properties as any)).toThrow(words);
  });

  test('`cdk8s synth --validate` runs it from cdk8s.yaml and fails the synth, with a JSON report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-cli-'));
    // The plugin package: this repository's source, loaded the way the CLI loads a local plugin.
    fs.mkdirSync(path.join(dir, 'plugin'));
    fs.writeFileSync(path.join(dir, 'plugin', 'index.js'),
      `require(${JSON.stringify(require.resolve('sucrase/register/ts'))});\nmodule.exports = require(${JSON.stringify(path.join(ROOT, 'src', 'index.ts'))});\n`);
    fs.writeFileSync(path.join(dir, 'main.js'), [
      `const { App, Chart, ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
      'const app = new App();',
      'const chart = new Chart(app, \'tools\');',
      `new ApiObject(chart, 'debug', ${JSON.stringify(INSECURE)});`,
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), Yaml.stringify({
      language: 'typescript',
      app: 'node main.js',
      validations: [{ package: './plugin', version: '0.1.0', class: 'GuardValidation' }],
    }));
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--validate', '--validation-reports-output-file', 'report.json'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, timeout: 120_000,
    });
    expect(result.status).toBe(2);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).reports[0];
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map((v: any) => v.ruleName)).toContain('POD-HOST-ISOLATION');
    expect(report.violations[0].violatingConstructs[0].constructPath).toBe('tools/debug');
  }, 150_000);
});
