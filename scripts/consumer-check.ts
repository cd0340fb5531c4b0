/**
 * Checks for the consumer tests (scripts/consumer-npm.sh, scripts/consumer-python.sh), which try the
 * packaged library as a new user would. Each command prints what it found and exits non-zero on a
 * problem.
 *
 *   snippet <heading> <lang>        print the first ```<lang> block under "## <heading>" of README.md
 *   tarball <file.tgz>              the npm tarball holds what a user needs and nothing else; its metadata
 *   output <outdir>                 a synthesized app has every object the README's table promises
 *   compare <expectedDir> <actualDir>   the YAML files are equal object by object; says if byte-identical
 *
 * Run from the repository: ts-node --transpile-only --project test/tsconfig.json scripts/consumer-check.ts ...
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as zlib from 'zlib';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const problems: string[] = [];
function problem(message: string): void {
  problems.push(message);
}

/** The README from `## <heading>` up to the next `## ` heading. */
function readmeSection(heading: string): string {
  // "## Install" must not match "## Install the audit policy"; "## What it emits" matches "## What it emits, and ...".
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = README.search(new RegExp(`\n## ${escaped}(?=[,\n])`));
  if (start < 0) {
    throw new Error(`README.md has no "## ${heading}" section`);
  }
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The first fenced block of a language under a heading: the same extraction as test/readme.test.ts. */
export function readmeSnippet(heading: string, lang: string): string {
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readmeSection(heading));
  if (!match) {
    throw new Error(`README.md has no \`\`\`${lang} block under "## ${heading}"`);
  }
  return match[1];
}

// ---------------------------------------------------------------------------------------------- tarball

interface TarEntry {
  readonly name: string;
  readonly size: number;
}

/** The regular files of a gzipped tar (ustar headers; what `npm pack` writes). */
function readTgz(file: string): TarEntry[] {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) {
      break;
    }
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') {
      entries.push({ name, size });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** What the package may contain: what a user's code loads (js, .d.ts, .jsii) and reads (README, API.md, LICENSE). */
const ALLOWED: RegExp[] = [
  /^package\.json$/,
  /^\.jsii$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  /^lib\/[\w./-]+\.(js|d\.ts)$/,
];
const REQUIRED = ['package.json', '.jsii', 'README.md', 'LICENSE', 'API.md', 'lib/index.js', 'lib/index.d.ts'];

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`;
}

function checkTarball(file: string): void {
  const entries = readTgz(file);
  const files = entries.map((e) => e.name.replace(/^package\//, ''));
  // jsii ships runtime dependencies inside the package (bundledDependencies): those are expected, as
  // they are published, under node_modules/<name>/, and each must be there.
  const bundled: string[] = JSON.parse(tgzFile(file, 'package/package.json')).bundledDependencies ?? [];
  const bundledFile = (f: string) => bundled.some((name) => f.startsWith(`node_modules/${name}/`));
  for (const f of files.filter((name) => !bundledFile(name))) {
    if (!ALLOWED.some((re) => re.test(f))) {
      problem(`tarball: unexpected file ${f} (not code, types, .jsii, README, LICENSE or API.md)`);
    }
    if (/(^|\/)(test|tests|__tests__|examples|node_modules|src)\//.test(f) || /\.(test|spec)\.|\.map$|\.ts$(?<!\.d\.ts)/.test(f)) {
      problem(`tarball: ${f} is a test, example, source or source map`);
    }
  }
  for (const f of [...REQUIRED, ...bundled.map((name) => `node_modules/${name}/package.json`)]) {
    if (!files.includes(f)) {
      problem(`tarball: ${f} is missing`);
    }
  }
  const js = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
  for (const f of js) {
    const dts = f.replace(/\.js$/, '.d.ts');
    if (!files.includes(dts)) {
      problem(`tarball: ${f} has no ${dts}`);
    }
  }

  const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
  const groups = new Map<string, { count: number; bytes: number }>();
  for (const e of entries) {
    const f = e.name.replace(/^package\//, '');
    const group = f.startsWith('lib/') ? (f.endsWith('.d.ts') ? 'lib/*.d.ts' : 'lib/*.js') : bundledFile(f) ? f.split('/').slice(0, 2).join('/') : f;
    const g = groups.get(group) ?? { count: 0, bytes: 0 };
    groups.set(group, { count: g.count + 1, bytes: g.bytes + e.size });
  }
  console.log(`tarball ${path.basename(file)}: ${entries.length} files, packed ${kib(fs.statSync(file).size)}, unpacked ${kib(unpacked)}`);
  for (const [group, g] of [...groups].sort()) {
    console.log(`  ${group.padEnd(14)} ${String(g.count).padStart(3)} file(s) ${kib(g.bytes)}`);
  }

  checkPackageJson(JSON.parse(tgzFile(file, 'package/package.json')));
  checkPropsTable(JSON.parse(tgzFile(file, 'package/.jsii')));
}

/** The README's "Props at a glance" lists every prop of the published API, and marks the required ones. */
function checkPropsTable(assembly: any): void {
  const props = assembly.types?.['cdk8s-secure-trading-api.SecureTradingApiProps']?.properties ?? [];
  if (props.length === 0) {
    problem('.jsii: SecureTradingApiProps has no properties');
  }
  const rows = new Map(readmeSection('Props at a glance').split('\n')
    // A cell may hold an escaped pipe (`\|`, as GitHub Markdown writes one inside a table).
    .map((l) => /^\| `(\w+)` \| ((?:[^|\\]|\\.)*) \|/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]));
  for (const prop of props) {
    const type = rows.get(prop.name);
    if (type === undefined) {
      problem(`README "Props at a glance" lacks the prop ${prop.name}`);
    } else if (!prop.optional !== type.includes('required')) {
      problem(`README "Props at a glance": ${prop.name} is ${prop.optional ? 'optional' : 'required'} in the API`);
    }
  }
  for (const name of rows.keys()) {
    if (!props.some((p: any) => p.name === name)) {
      problem(`README "Props at a glance" lists ${name}, which is not a prop`);
    }
  }
  console.log(`README props table: ${rows.size} rows for ${props.length} props`);
}

function tgzFile(file: string, name: string): string {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (entryName === name) {
      return tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${file} has no ${name}`);
}

/** The metadata npm shows and resolves with, as a user expects it. */
function checkPackageJson(pkg: any): void {
  const need = (ok: unknown, what: string) => ok || problem(`package.json: ${what}`);
  need(typeof pkg.description === 'string' && pkg.description.length > 20, 'has no description');
  for (const k of ['cdk8s', 'kubernetes', 'security', 'trading']) {
    need((pkg.keywords ?? []).includes(k), `keywords lack "${k}"`);
  }
  need(pkg.repository?.url, 'has no repository');
  need(pkg.license === 'Apache-2.0', 'license is not Apache-2.0');
  need(pkg.engines?.node, 'has no engines.node');
  need(pkg.main === 'lib/index.js' && pkg.types === 'lib/index.d.ts', 'main/types do not point at lib/index');
  for (const peer of ['cdk8s', 'constructs', 'cdk8s-plus-27']) {
    need(/^\^\d+\.\d+\.\d+$/.test(pkg.peerDependencies?.[peer] ?? ''), `peerDependencies.${peer} is not a caret range`);
  }
  // Runtime dependencies are only those bundled in the tarball (jsii's way): nothing else is installed for the user.
  const unbundled = Object.keys(pkg.dependencies ?? {}).filter((name) => !(pkg.bundledDependencies ?? []).includes(name));
  need(unbundled.length === 0, `has runtime dependencies that are not bundled: ${unbundled.join(', ')} (everything else comes from the peers)`);
  need(pkg.jsii?.targets?.python?.module === 'cdk8s_secure_trading_api', 'jsii has no python target');

  const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  const top = /^## \[(\d+\.\d+\.\d+)\]/m.exec(changelog)?.[1];
  need(top === pkg.version, `version ${pkg.version} is not the newest CHANGELOG.md entry (${top})`);

  // The README's install command must name exactly the package and its peers.
  // Until it is published, the README installs the built tarball: its path stands for the package.
  const tarball = new RegExp(`(^|/)${pkg.name}@${pkg.version.replace(/\./g, '\\.')}\\.jsii\\.tgz$`);
  const install = (/npm (?:install|i) ([^\n`]+)/.exec(readmeSection('Install'))?.[1].trim().split(/\s+/) ?? [])
    .map((word) => (tarball.test(word) ? pkg.name : word));
  const expected = [pkg.name, ...Object.keys(pkg.peerDependencies ?? {})].sort();
  need(isDeepStrictEqual([...install].sort(), expected),
    `README "## Install" npm command installs [${install.join(' ')}], expected the package and its peers [${expected.join(' ')}]`);

  console.log(`package.json: ${pkg.name}@${pkg.version}, engines ${JSON.stringify(pkg.engines)}, peers ${JSON.stringify(pkg.peerDependencies)}`);
}

// ----------------------------------------------------------------------------------------------- output

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: any;
}

function readYamlDocs(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0) {
      throw new Error(`${file}: ${d.errors[0].message}`);
    }
    return d.toJSON();
  }).filter((d) => d !== null);
}

/** The rows of the README table "What it emits": [object, name] cells. */
function promisedObjects(): Array<{ object: string; name: string }> {
  // The section's first table only (later tables explain egress, not objects).
  const lines = readmeSection('What it emits').split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  const rows = lines.slice(start, end < 0 ? undefined : end);
  return rows.slice(2).map((row) => {
    const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    return { object: cells[0], name: /`([^`]+)`/.exec(cells[1])?.[1] ?? '' };
  });
}

/**
 * Every object the README's table promises is in `<outdir>/*.yaml`, nothing else is there, every object
 * is in the app's namespace with the recommended labels, and the audit policy is in its own file.
 */
function checkOutput(outdir: string): void {
  const usage = readmeSnippet('Usage', 'ts');
  const instance = /new SecureTradingApi\(\w+, '([^']+)'/.exec(usage)?.[1];
  const namespace = /namespace: '([^']+)'/.exec(usage)?.[1];
  if (!instance || !namespace) {
    throw new Error('cannot find the SecureTradingApi id and the namespace in the README usage snippet');
  }
  const manifests = fs.readdirSync(outdir).filter((f) => /\.ya?ml$/.test(f));
  const objects: K8sObject[] = manifests.flatMap((f) => readYamlDocs(path.join(outdir, f)));
  const nameOf = (pattern: string) => pattern.replace(/<name>/g, instance);
  const accounted = new Set<K8sObject>();
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

  for (const { object, name } of promisedObjects()) {
    const audit = /^Audit Policy \(`([^`]+)`\)/.exec(object);
    if (object === 'Compliance report') {
      // `compliance/compliance-report.{json,md}`: both files, outside the manifests.
      const [, stem, extensions] = /^(.*)\{([^}]+)\}$/.exec(name) ?? [undefined, name, ''];
      for (const extension of extensions ? extensions.split(',') : ['']) {
        const file = path.join(outdir, `${stem}${extension}`);
        if (!fs.existsSync(file)) {
          problem(`output: ${stem}${extension} does not exist`);
        }
      }
      console.log(`  Compliance report        ${name}`);
      continue;
    }
    const volumes = /^(\w+) volumes \(in the (\w+)\)/.exec(object);
    if (audit) {
      const file = path.join(outdir, name);
      if (!fs.existsSync(file)) {
        problem(`output: ${name} does not exist`);
        continue;
      }
      const [policy] = readYamlDocs(file);
      if (policy?.apiVersion !== audit[1] || policy?.kind !== 'Policy') {
        problem(`output: ${name} is not an ${audit[1]} Policy`);
      }
      if (!(policy?.rules ?? []).some((r: any) => (r.namespaces ?? []).includes(namespace))) {
        problem(`output: ${name} has no rule for namespace ${namespace}`);
      }
      console.log(`  ${audit[1]} Policy             ${name} (its own file)`);
    } else if (volumes) {
      const [, source, ownerKind] = volumes;
      const owner = find(ownerKind, instance);
      const pattern = new RegExp(`^${nameOf(name).replace('<i>', '\\d+')}$`);
      const found = (owner?.spec?.template?.spec?.volumes ?? []).filter((v: any) => pattern.test(v.name) && v[source.toLowerCase()]);
      if (found.length === 0) {
        problem(`output: no ${source.toLowerCase()} volume named ${name} in ${ownerKind} ${instance}`);
      }
      console.log(`  ${`${source} volume`.padEnd(24)} ${found.map((v: any) => v.name).join(', ')} (in ${ownerKind} ${instance})`);
    } else {
      const kinds = [/^([A-Z]\w+)/.exec(object)?.[1], ...[...object.matchAll(/\+ ([A-Z]\w+)/g)].map((m) => m[1])];
      for (const kind of kinds) {
        const obj = kind ? find(kind, nameOf(name)) : undefined;
        if (!obj) {
          problem(`output: the README promises ${kind} ${nameOf(name)}, which is not in ${manifests.join(', ')}`);
          continue;
        }
        accounted.add(obj);
        console.log(`  ${kind!.padEnd(24)} ${nameOf(name)}`);
      }
    }
  }

  for (const o of objects) {
    if (!accounted.has(o)) {
      problem(`output: ${o.kind} ${o.metadata?.name} is emitted but not in the README's table`);
    }
    if (o.kind === 'Policy' || String(o.apiVersion).startsWith('audit.k8s.io')) {
      problem('output: the audit Policy is among the manifests that kubectl apply reads');
    }
    if (o.metadata?.namespace !== namespace) {
      problem(`output: ${o.kind} ${o.metadata?.name} is in namespace ${o.metadata?.namespace}, not ${namespace}`);
    }
    if (o.metadata?.labels?.['app.kubernetes.io/name'] !== instance) {
      problem(`output: ${o.kind} ${o.metadata?.name} lacks the label app.kubernetes.io/name=${instance}`);
    }
  }
  console.log(`output ${outdir}: ${objects.length} objects in ${manifests.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------- compare

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]).sort();
}

/** Same files, and in each the same objects in the same order with the same fields and values. */
function compare(expectedDir: string, actualDir: string): void {
  const expected = filesUnder(expectedDir).filter((f) => /\.ya?ml$/.test(f));
  const actual = filesUnder(actualDir).filter((f) => /\.ya?ml$/.test(f));
  if (!isDeepStrictEqual(expected, actual)) {
    problem(`compare: files differ: expected [${expected.join(', ')}], got [${actual.join(', ')}]`);
  }
  let objects = 0;
  let identical = true;
  for (const file of expected.filter((f) => actual.includes(f))) {
    const a = readYamlDocs(path.join(expectedDir, file));
    const b = readYamlDocs(path.join(actualDir, file));
    if (a.length !== b.length) {
      problem(`compare: ${file} has ${b.length} objects, expected ${a.length}`);
    }
    a.forEach((doc, i) => {
      if (!isDeepStrictEqual(doc, b[i])) {
        problem(`compare: ${file} object ${i} (${doc?.kind} ${doc?.metadata?.name}) differs from ${b[i]?.kind} ${b[i]?.metadata?.name}`);
      }
    });
    objects += a.length;
    if (!fs.readFileSync(path.join(expectedDir, file)).equals(fs.readFileSync(path.join(actualDir, file)))) {
      identical = false;
      console.log(`  ${file}: equal objects, but not byte-identical`);
    }
  }
  console.log(`compare: ${expected.length} file(s), ${objects} object(s) equal field by field; byte-identical: ${identical ? 'yes' : 'no'}`);
}

// ------------------------------------------------------------------------------------------------- main

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'snippet':
    process.stdout.write(readmeSnippet(args[0], args[1]));
    break;
  case 'tarball':
    checkTarball(path.resolve(args[0]));
    break;
  case 'output':
    checkOutput(path.resolve(args[0]));
    break;
  case 'compare':
    compare(path.resolve(args[0]), path.resolve(args[1]));
    break;
  default:
    throw new Error(`unknown command "${command}"; see the comment at the top of ${path.basename(__filename)}`);
}
if (problems.length > 0) {
  console.error(problems.map((p) => `PROBLEM ${p}`).join('\n'));
  process.exit(1);
}
