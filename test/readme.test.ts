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
