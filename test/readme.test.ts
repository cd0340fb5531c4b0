import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The first fenced `ts` block after the "## Usage" heading of the README. */
export function readmeUsageSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const usage = readme.slice(readme.indexOf('\n## Usage'));
  const match = /```ts\n([\s\S]*?)```/.exec(usage);
  if (!match) {
    throw new Error('README.md has no ```ts block under "## Usage"');
  }
  return match[1];
}

describe('README', () => {
  test('the usage snippet is the example app, verbatim', () => {
    const example = fs.readFileSync(path.join(ROOT, 'examples', 'trading-gateway', 'main.ts'), 'utf8');
    expect(readmeUsageSnippet()).toBe(example);
  });
});

describe('README platform example', () => {
  test('the platform block is examples/trading-platform/main.ts, verbatim', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The whole platform'));
    const match = /```ts\n([\s\S]*?)```/.exec(section);
    expect(match?.[1]).toBe(fs.readFileSync(path.join(ROOT, 'examples', 'trading-platform', 'main.ts'), 'utf8'));
  });
});

describe('README rules table', () => {
  test('lists every guard rule, in order, with its title', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RULES } = require('../src/guard/rules');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z0-9-]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(RULES.map((r: any) => [r.id, r.title]));
  });
});

describe('API.md', () => {
  test('documents every exported type, prop and parameter (jsii-docgen writes "No description" otherwise)', () => {
    const api = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
    expect(api.split('\n').filter((line) => line.includes('*No description.*'))).toEqual([]);
    for (const name of ['SecureTradingApi', 'SecureTradingApiProps', 'ExchangeCredentials', 'TlsCertificate', 'AuditPolicy', 'ExchangeEndpoint', 'ResourceRequirements']) {
      expect(api).toContain(`### ${name} `);
    }
  });
});

describe('README credential sources', () => {
  /** The `ts` blocks of "## Where the keys come from" that set credentials: each is a props fragment. */
  function credentialSnippets(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Where the keys come from');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((s) => s.startsWith('credentials:'));
  }

  test('there is an example for each source', () => {
    const all = credentialSnippets().join('\n');
    for (const factory of ['fromSecret(', 'fromExternalSecret(', 'fromSecretsStoreCsi(', 'fromVaultAgent(']) {
      expect(all).toContain(`ExchangeCredentials.${factory}`);
    }
  });

  test.each(credentialSnippets().map((s) => [s.split('\n')[0], s]))('%s parses, runs and builds a service that passes the guard', (_first, snippet) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('../src');
    const source = `const props = {\n${snippet}};`;
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 };
    const output = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions });
    expect(output.diagnostics).toEqual([]);
    const props = new Function(...Object.keys(lib), `${output.outputText}\nreturn props;`)(...Object.values(lib));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synth } = require('./util');
    const { manifest } = synth(props);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { evaluate } = require('../src/guard/evaluate');
    expect(evaluate(manifest, true).filter((o: any) => o.status === 'fail')).toEqual([]);
  });
});
