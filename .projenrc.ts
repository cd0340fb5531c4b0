import { cdk8s, DependencyType, javascript } from 'projen';

// The lowest versions the peer ranges promise. cdk8s-plus-27 2.9.5 itself needs cdk8s >= 2.68.11
// and constructs >= 10.3.0; 2.68.12 is the oldest cdk8s at or above that floor the registry serves.
const CDK8S_MIN = '2.68.12';
const CONSTRUCTS_MIN = '10.3.0';
const CDK8S_PLUS_MIN = '2.9.5';

// The version users install. There is no release workflow here to bump it from git tags, so it is set
// once, here, and CHANGELOG.md has an entry for it (the consumer test checks that the two agree).
const VERSION = '0.1.0';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-secure-trading-api',
  description:
    'A cdk8s construct that turns a few typed props into a hardened, least-privilege Kubernetes deployment for APIs that hold exchange keys.',
  author: 'cdk8s-secure-trading-api contributors',
  authorAddress: 'https://github.com/cdk8s-secure-trading-api/cdk8s-secure-trading-api',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk8s-secure-trading-api/cdk8s-secure-trading-api.git',
  homepage: 'https://github.com/cdk8s-secure-trading-api/cdk8s-secure-trading-api#readme',
  bugsUrl: 'https://github.com/cdk8s-secure-trading-api/cdk8s-secure-trading-api/issues',
  license: 'Apache-2.0',
  // 0.x: the API may still change between minor versions; the Python wheel says so too.
  stability: 'experimental',
  keywords: ['cdk8s', 'kubernetes', 'security', 'trading', 'networkpolicy', 'rbac', 'audit', 'hardening', 'exchange', 'api-keys'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdk8sVersion: CDK8S_MIN,
  constructsVersion: CONSTRUCTS_MIN,
  peerDeps: [`cdk8s-plus-27@^${CDK8S_PLUS_MIN}`],

  // The Python binding (jsii-pacmak): `pip install cdk8s-secure-trading-api`, `import cdk8s_secure_trading_api`.
  publishToPypi: {
    distName: 'cdk8s-secure-trading-api',
    module: 'cdk8s_secure_trading_api',
  },

  // jsii 5.9 with TypeScript 5.9: an unpinned typescript resolves to 7.x, which breaks jsii and ts-node.
  jsiiVersion: '~5.9',
  // Classifies address ranges (IPv4-mapped, NAT64, link-local, private, ...) for the egress policy.
  // Bundled: jsii packages ship their runtime dependencies inside the tarball, and the Python wheel
  // carries that tarball.
  bundledDeps: ['ipaddr.js@^2.2.0'],
  devDeps: [
    'typescript@~5.9',
    'cdk8s-cli@^2.207.60',
    'fast-check@^4.3.0',
    // Runs the examples' TypeScript for `cdk8s synth` in ~0.1 s instead of ts-node's ~5 s type check (bench/).
    'sucrase@~3.35.1',
    'ts-node@^10.9.2',
    'yaml@^2.6.0',
    // Mutation testing (`npx projen mutation`). 9.6.x, not 10.x: StrykerJS 10 refuses to start on Node
    // below 22, and this project builds and tests on Node 20. The jest runner must match core exactly.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
  ],

  // Nothing here can run GitHub workflows or publish: keep the repository honest about that.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  jestOptions: {
    // The default runs `jest --updateSnapshot`, which makes snapshot tests rewrite themselves and never fail.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // A mutation run's sandbox copies the package there; jest must not see a second one meanwhile.
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
      moduleNameMapper: {
        // The examples import the package by name, the way users do; in tests that name is the source.
        '^cdk8s-secure-trading-api$': '<rootDir>/src/index.ts',
      },
    },
  },
  tsconfigDev: {
    include: ['examples/**/*.ts', 'scripts/**/*.ts'],
    exclude: ['examples/**/dist/**', 'examples/**/node_modules/**'],
    compilerOptions: {},
  },
});

// jsii adds `typescript` unpinned, which resolves to 7.x: pin it to what jsii 5.9 compiles with.
project.deps.removeDependency('typescript');
project.deps.addDependency('typescript@~5.9', DependencyType.BUILD);

project.package.addVersion(VERSION);

project.gitignore.exclude('examples/node_modules/', '/.tmp/');
project.npmignore?.exclude('/examples/', '/scripts/', '/tools/', '/.ci/', 'conformance-exceptions.yaml', '/.tmp/');
// The tarball holds what a user's code loads or reads, and nothing else: an allow-list, so a new folder
// in the repository never ships by accident (.npmignore above only covers what it names). npm adds
// package.json, README.md and LICENSE itself; the changelog lives in the repository.
// scripts/consumer-npm.sh checks the packed result.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);

const examplesSynth = project.addTask('examples:synth', {
  description: 'Synthesize every example with the real cdk8s CLI into its dist/ (needs a compiled lib/)',
  exec: 'bash scripts/synth-examples.sh',
});

// The reviewed snapshots are the examples' committed dist/ folders (jest has no snapshot files), so
// updating them on purpose means compiling and re-running the real cdk8s CLI, then reviewing the diff.
project.tasks.removeTask('test:update');
project.addTask('test:update', {
  description: 'Update the reviewed snapshots on purpose: compile, then re-synthesize every example into its dist/',
  steps: [{ spawn: 'compile' }, { spawn: examplesSynth.name }],
});

const scenarios = project.addTask('scenarios:synth', {
  description: 'Synthesize the scenario matrix (test/scenarios.ts) into .tmp/scenarios/<scenario>/',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/synth-scenarios.ts',
});

project.addTask('conformance', {
  description: 'Run the pinned external checkers (kube-score, Checkov, PSS restricted, strict schemas, audit policy) over the examples and every scenario; needs Go and Python',
  steps: [
    { spawn: scenarios.name },
    // projen runs `exec` through its own shell, which does not expand globs: bash does.
    { exec: 'bash -c "bash scripts/conformance.sh examples/*/dist .tmp/scenarios/*"' },
  ],
});

project.addTask('test:apiserver', {
  description: 'Against a real etcd + kube-apiserver: the self-test (each check fails on a bad input), then the examples and every scenario (admission, RBAC request by request, audit log, CRD schemas); needs Go',
  steps: [
    { spawn: scenarios.name },
    // One server run: first prove each check can fail, then run them, so a finding in the library's output comes last.
    { exec: 'bash -c "bash scripts/apiserver-test.sh --selftest examples/*/dist .tmp/scenarios/*"' },
  ],
});

// Mutation testing over the security-relevant sources (stryker.config.mjs says which). Stryker's
// incremental file and reports live under .tmp/ (ignored above); its sandboxes under .stryker-tmp/.
project.gitignore.exclude('/.stryker-tmp/');
project.npmignore?.exclude('/stryker.config.mjs', '/.stryker-tmp/');
project.addTask('mutation', {
  description: 'Mutation testing (StrykerJS, jest runner, incremental) of the security-relevant sources; fails under 90% (README: Tests)',
  exec: 'stryker run stryker.config.mjs',
  receiveArgs: true,
});

project.npmignore?.exclude('/bench/');
project.addTask('bench', {
  description: 'Measure synthesis cost against the cdk8s floor (about 10 min; `npx projen bench --quick` for a short run): a table, and bench/results/latest.json',
  steps: [
    { spawn: 'compile' },
    { exec: 'node bench/bench.js', receiveArgs: true },
  ],
});

project.synth();
