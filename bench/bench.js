'use strict';
/**
 * Synthesis cost of cdk8s-secure-trading-api, each figure against a baseline measured in the same run.
 *
 *   npx projen bench              compile, then the full benchmark (about 10 minutes on 2 cores)
 *   npx projen bench --quick      fewer runs and rounds (about 3 minutes)
 *   node bench/bench.js [...]     the same without compiling first
 *
 * Options: --quick, --out <file.json> (default bench/results/latest.json; .tmp/bench/quick.json with
 * --quick; a .md with the table is written beside it), --lib <dir> (another compiled copy of the
 * package to measure, e.g. an older lib/ copied under .tmp/), --skip-ts-node (leave out the slow
 * context row of the CLI's default runner), and for work on one part --sizes 1,100 and
 * --only overhead,import,cli.
 *
 * 1. Construct overhead: N SecureTradingApi, each in a Chart and namespace of its own, vs the floor:
 *    plain ApiObjects built from the library's own JSON, precomputed and parsed while building; both
 *    through App.synth() into a directory, after checking that the floor's files are byte-identical
 *    to the library's. Time: build + synth, median of in-process rounds after warm-up rounds. Memory:
 *    peak RSS above the process' RSS once modules and input are loaded; both variants load the same
 *    modules, so that loading cdk8s-plus-27 (which grows V8's young generation) counts in 3, not here.
 * 2. Scaling: time(N=1000)/time(N=100), and the same for peak memory. 2b, context: the same services
 *    in one Chart (namespace per service), which isolates cdk8s' per-Chart cost: Chart.toJson()
 *    resolves and validates the whole app, so App.synth() is O(charts x constructs).
 * 3. Import cost: require() of the package vs require() of cdk8s + cdk8s-plus-27, in fresh processes.
 * 4. The user's loop: wall time of `cdk8s synth` on examples/trading-gateway vs a one-ConfigMap app
 *    with the same cdk8s.yaml (and, as context, one on cdk8s-plus-27, and the example run by the CLI's
 *    default `npx ts-node main.ts`). The example's output is checked against its committed dist/.
 *
 * Every sample comes from a fresh child process; the variants are interleaved run by run so that
 * load from other processes hits both sides alike; one warm-up run of each kind is discarded.
 * Reported: the median with [min–max]; a ratio is the median of the per-run ratios with their range.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'trading-gateway');
const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const QUICK = argv.includes('--quick');
const SKIP_TS_NODE = argv.includes('--skip-ts-node');
const LIB = path.resolve(option('--lib') ?? ROOT);
const OUT = path.resolve(option('--out') ?? (QUICK ? path.join(ROOT, '.tmp', 'bench', 'quick.json') : path.join(__dirname, 'results', 'latest.json')));
const WORK = path.join(ROOT, '.tmp', 'bench');
/** For working on one part: --sizes 100 and --only overhead,import,cli (the targets then say what is missing). */
const SIZES = (option('--sizes') ?? '1,10,100,1000').split(',').map(Number);
const ONLY = (option('--only') ?? 'overhead,import,cli').split(',');

/** Child processes per variant, and build+synth rounds inside each (warm-up rounds discarded). */
const PLAN = QUICK ? {
  overhead: {
    1: { runs: 3, warm: 5, reps: 10 },
    10: { runs: 3, warm: 2, reps: 5 },
    100: { runs: 3, warm: 1, reps: 1 },
    1000: { runs: 1, warm: 0, reps: 1 },
  },
  oneChart: {
    100: { runs: 1, warm: 1, reps: 1 },
    1000: { runs: 1, warm: 0, reps: 1 },
  },
  importRuns: 5,
  cliRuns: 3,
  tsNodeRuns: 1,
} : {
  overhead: {
    1: { runs: 7, warm: 10, reps: 20 },
    10: { runs: 7, warm: 2, reps: 5 },
    100: { runs: 5, warm: 1, reps: 3 },
    1000: { runs: 5, warm: 0, reps: 1 },
  },
  oneChart: {
    100: { runs: 3, warm: 1, reps: 3 },
    1000: { runs: 3, warm: 0, reps: 1 },
  },
  importRuns: 11,
  cliRuns: 7,
  tsNodeRuns: 3,
};

const TARGETS = { overheadTime: 1.5, overheadMemory: 1.5, scalingTime: 11, scalingMemory: 11, cli: 1.5 };

function log(message) {
  process.stderr.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------- statistics

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values };
}

/** Per-run ratios of two interleaved series. */
function ratio(a, b) {
  return summary(a.map((v, i) => v / b[i]));
}

/** A ratio of two summaries, with the widest range the runs allow. */
function ratioOfSummaries(a, b) {
  return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min };
}

// ----------------------------------------------------------------------------------------- processes

function runNode(args, options = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function construct(args) {
  return runNode(['--expose-gc', path.join(__dirname, 'construct-worker.js'), JSON.stringify(args)]);
}

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]).sort();
}

/** Throws unless both directories hold the same files with the same bytes. */
function assertSameFiles(actualDir, expectedDir, what) {
  const actual = files(actualDir);
  const expected = files(expectedDir);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: files differ: ${actual.join(', ')} vs ${expected.join(', ')}`);
  }
  for (const f of actual) {
    if (!fs.readFileSync(path.join(actualDir, f)).equals(fs.readFileSync(path.join(expectedDir, f)))) {
      throw new Error(`${what}: ${f} is not byte-identical`);
    }
  }
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ------------------------------------------------------------------------------ 1 and 2: constructs

function measureOverhead(layout, sizes, plans) {
  const tag = layout === 'one-chart' ? '[2b]' : '[1]';
  const results = [];
  const inputs = {};
  for (const n of sizes) {
    const libraryOut = tempDir('sta-bench-library-');
    const floorOut = tempDir('sta-bench-floor-');
    inputs[n] = path.join(WORK, `floor-input-${layout}-${n}.json`);
    try {
      construct({ mode: 'prepare', layout, n, lib: LIB, outdir: libraryOut, input: inputs[n] });
      construct({ mode: 'verify', layout, n, lib: LIB, input: inputs[n], outdir: floorOut });
      assertSameFiles(floorOut, libraryOut, `floor N=${n} (${layout})`);
    } finally {
      fs.rmSync(libraryOut, { recursive: true, force: true });
      fs.rmSync(floorOut, { recursive: true, force: true });
    }
    log(`${tag} N=${n}: the floor's output is byte-identical to the library's`);
  }

  // One discarded run of each variant: file-system caches, lazily compiled code on disk.
  const first = Math.min(...sizes);
  construct({ mode: 'library', layout, n: first, lib: LIB, warm: 0, reps: 1 });
  construct({ mode: 'floor', layout, n: first, lib: LIB, input: inputs[first], warm: 0, reps: 1 });

  for (const n of sizes) {
    const plan = plans[n];
    const samples = { library: [], floor: [] };
    for (let run = 0; run < plan.runs; run++) {
      const order = run % 2 === 0 ? ['library', 'floor'] : ['floor', 'library'];
      for (const variant of order) {
        const r = construct({ mode: variant, layout, n, lib: LIB, input: inputs[n], warm: plan.warm, reps: plan.reps });
        samples[variant][run] = r;
        log(`${tag} N=${n} run ${run + 1}/${plan.runs} ${variant}: ${r.totalMs.toFixed(1)} ms, peak +${mib(r.peakRssDeltaBytes)} MiB`);
      }
    }
    const side = (variant) => ({
      timeMs: summary(samples[variant].map((r) => r.totalMs)),
      buildMs: summary(samples[variant].map((r) => r.buildMs)),
      synthMs: summary(samples[variant].map((r) => r.synthMs)),
      peakRssDeltaMiB: summary(samples[variant].map((r) => r.peakRssDeltaBytes / 2 ** 20)),
      maxRssMiB: summary(samples[variant].map((r) => r.maxRssBytes / 2 ** 20)),
      peakReachedInRounds: samples[variant].every((r) => r.peakReachedInRounds),
    });
    const library = side('library');
    const floor = side('floor');
    results.push({
      n,
      plan,
      library,
      floor,
      ratio: {
        time: ratio(library.timeMs.runs, floor.timeMs.runs),
        memory: ratio(library.peakRssDeltaMiB.runs, floor.peakRssDeltaMiB.runs),
      },
    });
  }
  return results;
}

function scaling(overhead) {
  const at = (n) => overhead.find((o) => o.n === n);
  if (!at(100) || !at(1000)) {
    return undefined;
  }
  const side = (variant) => ({
    time: ratioOfSummaries(at(1000)[variant].timeMs, at(100)[variant].timeMs),
    memory: ratioOfSummaries(at(1000)[variant].peakRssDeltaMiB, at(100)[variant].peakRssDeltaMiB),
  });
  return { library: side('library'), floor: side('floor') };
}

// -------------------------------------------------------------------------------------- 3: import

function measureImport() {
  const targets = { library: [LIB], foundation: ['cdk8s', 'cdk8s-plus-27'], cdk8s: ['cdk8s'] };
  const samples = { library: [], foundation: [], cdk8s: [] };
  const rss = { library: [], foundation: [], cdk8s: [] };
  const worker = path.join(__dirname, 'import-worker.js');
  for (let run = -1; run < PLAN.importRuns; run++) {
    const names = Object.keys(targets);
    const order = run % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const r = runNode([worker, JSON.stringify(targets[name])]);
      if (run >= 0) {
        samples[name].push(r.ms);
        rss[name].push(r.rssBytes / 2 ** 20);
      }
    }
  }
  log(`[3] require: library ${median(samples.library).toFixed(0)} ms, cdk8s + cdk8s-plus-27 ${median(samples.foundation).toFixed(0)} ms`);
  return {
    libraryMs: summary(samples.library),
    foundationMs: summary(samples.foundation),
    cdk8sMs: summary(samples.cdk8s),
    // Resident set size of the process right after the require()s.
    rssMiB: { library: summary(rss.library), foundation: summary(rss.foundation), cdk8s: summary(rss.cdk8s) },
    ratio: ratio(samples.library, samples.foundation),
  };
}

// ----------------------------------------------------------------------------------- 4: cdk8s synth

function exampleAppCommand() {
  const m = /^app:\s*(.+)$/m.exec(fs.readFileSync(path.join(EXAMPLE, 'cdk8s.yaml'), 'utf8'));
  return m[1].trim();
}

/** A minimal app under .tmp/ (so it resolves the repository's node_modules) with the example's cdk8s.yaml. */
function minimalApp(name) {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, name, 'main.ts'), path.join(dir, 'main.ts'));
  fs.copyFileSync(path.join(EXAMPLE, 'cdk8s.yaml'), path.join(dir, 'cdk8s.yaml'));
  return dir;
}

function cdk8sSynth(cwd, extraArgs = []) {
  const outdir = tempDir('sta-bench-cli-');
  const env = { ...process.env };
  delete env.CDK8S_OUTDIR;
  const start = process.hrtime.bigint();
  // --no-check-upgrade: the CLI otherwise asks the registry for a newer version at most every 30 min.
  const r = spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade', '--output', outdir, ...extraArgs], { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw new Error(`cdk8s synth in ${path.relative(ROOT, cwd)} failed:\n${r.stderr}${r.stdout}`);
  }
  return { ms, outdir };
}

function measureCli() {
  // The examples import the package by name; this link resolves it to this repository (as examples:synth does).
  fs.mkdirSync(path.join(ROOT, 'examples', 'node_modules'), { recursive: true });
  const link = path.join(ROOT, 'examples', 'node_modules', 'cdk8s-secure-trading-api');
  if (!fs.existsSync(link)) {
    fs.symlinkSync('../..', link);
  }
  const apps = {
    example: { cwd: EXAMPLE },
    minimal: { cwd: minimalApp('minimal-app') },
    minimalPlus: { cwd: minimalApp('minimal-app-plus') },
  };
  const samples = { example: [], minimal: [], minimalPlus: [] };
  for (let run = -1; run < PLAN.cliRuns; run++) {
    const names = Object.keys(apps);
    const order = run % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const { ms, outdir } = cdk8sSynth(apps[name].cwd);
      try {
        if (name === 'example') {
          assertSameFiles(outdir, path.join(EXAMPLE, 'dist'), 'cdk8s synth of the example');
        } else if (!files(outdir).some((f) => f.endsWith('.k8s.yaml'))) {
          throw new Error(`cdk8s synth of ${name} wrote no manifest`);
        }
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      if (run >= 0) {
        samples[name].push(ms);
      }
      log(`[4] ${run < 0 ? 'warm-up' : `run ${run + 1}/${PLAN.cliRuns}`} ${name}: ${ms.toFixed(0)} ms`);
    }
  }
  const result = {
    app: exampleAppCommand(),
    exampleMs: summary(samples.example),
    minimalMs: summary(samples.minimal),
    minimalPlusMs: summary(samples.minimalPlus),
    ratio: ratio(samples.example, samples.minimal),
    ratioToMinimalPlus: ratio(samples.example, samples.minimalPlus),
  };
  if (!SKIP_TS_NODE) {
    // Context: the same example run by the CLI's default runner (what `cdk8s init` writes).
    const tsNode = [];
    for (let run = 0; run < PLAN.tsNodeRuns; run++) {
      const { ms, outdir } = cdk8sSynth(EXAMPLE, ['--app', 'npx ts-node main.ts']);
      try {
        assertSameFiles(outdir, path.join(EXAMPLE, 'dist'), 'cdk8s synth of the example with ts-node');
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      tsNode.push(ms);
      log(`[4] run ${run + 1}/${PLAN.tsNodeRuns} example with npx ts-node: ${ms.toFixed(0)} ms`);
    }
    result.exampleTsNodeMs = summary(tsNode);
  }
  return result;
}

// ---------------------------------------------------------------------------------------- reporting

function mib(bytes) {
  return (bytes / 2 ** 20).toFixed(1);
}

function fmtMs(s) {
  const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  return `${f(s.median)} ms [${f(s.min)}–${f(s.max)}]`;
}

function fmtMiB(s) {
  return `${s.median.toFixed(1)} MiB [${s.min.toFixed(1)}–${s.max.toFixed(1)}]`;
}

function fmtRatio(r) {
  return `${r.median.toFixed(2)}x [${r.min.toFixed(2)}–${r.max.toFixed(2)}]`;
}

function verdict(value, limit) {
  return `≤ ${limit}: ${value <= limit ? 'met' : 'missed'}`;
}

function table(r) {
  const rows = [
    ['Measurement', 'Library', 'Baseline', 'Ratio', 'Target'],
    ['---', '---', '---', '---', '---'],
  ];
  for (const o of r.overhead ?? []) {
    const t = o.n === 100;
    rows.push([`1. build + synth, N=${o.n}: time`, fmtMs(o.library.timeMs), fmtMs(o.floor.timeMs), fmtRatio(o.ratio.time),
      t ? verdict(o.ratio.time.median, TARGETS.overheadTime) : '']);
    rows.push([`1. build + synth, N=${o.n}: peak memory`, fmtMiB(o.library.peakRssDeltaMiB), fmtMiB(o.floor.peakRssDeltaMiB), fmtRatio(o.ratio.memory),
      t ? verdict(o.ratio.memory.median, TARGETS.overheadMemory) : '']);
  }
  const s = r.scaling;
  if (s) {
    rows.push(['2. scaling: time(1000) / time(100)', `${s.library.time.median.toFixed(1)}`, `${s.floor.time.median.toFixed(1)} (floor)`,
      `${(s.library.time.median / s.floor.time.median).toFixed(2)}x the floor's`, verdict(s.library.time.median, TARGETS.scalingTime)]);
    rows.push(['2. scaling: memory(1000) / memory(100)', `${s.library.memory.median.toFixed(1)}`, `${s.floor.memory.median.toFixed(1)} (floor)`,
      `${(s.library.memory.median / s.floor.memory.median).toFixed(2)}x the floor's`, verdict(s.library.memory.median, TARGETS.scalingMemory)]);
  }
  const one = r.oneChart;
  if (one?.scaling) {
    const at1000 = one.overhead.find((o) => o.n === 1000);
    rows.push(['2b. same services in one Chart: time(1000) / time(100)', `${one.scaling.library.time.median.toFixed(1)}`,
      `${one.scaling.floor.time.median.toFixed(1)} (floor)`, `${(one.scaling.library.time.median / one.scaling.floor.time.median).toFixed(2)}x the floor's`, '']);
    rows.push(['2b. same services in one Chart: build + synth, N=1000', fmtMs(at1000.library.timeMs), fmtMs(at1000.floor.timeMs), fmtRatio(at1000.ratio.time), '']);
  }
  if (r.import) {
    rows.push(['3. require()', fmtMs(r.import.libraryMs), `${fmtMs(r.import.foundationMs)} (cdk8s + cdk8s-plus-27)`, fmtRatio(r.import.ratio), '']);
  }
  if (!r.cli) {
    return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
  }
  rows.push([`4. \`cdk8s synth\` (app: \`${r.cli.app}\`)`, fmtMs(r.cli.exampleMs), `${fmtMs(r.cli.minimalMs)} (one ConfigMap, cdk8s only)`,
    fmtRatio(r.cli.ratio), verdict(r.cli.ratio.median, TARGETS.cli)]);
  rows.push(['4. same, baseline on cdk8s-plus-27', fmtMs(r.cli.exampleMs), `${fmtMs(r.cli.minimalPlusMs)} (one cdk8s-plus-27 ConfigMap)`,
    fmtRatio(r.cli.ratioToMinimalPlus), '']);
  if (r.cli.exampleTsNodeMs) {
    rows.push(['4. the example with the CLI default `npx ts-node main.ts`', fmtMs(r.cli.exampleTsNodeMs), fmtMs(r.cli.exampleMs) + ' (as committed)',
      `${(r.cli.exampleTsNodeMs.median / r.cli.exampleMs.median).toFixed(2)}x`, '']);
  }
  return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

function targets(r) {
  const at100 = r.overhead?.find((o) => o.n === 100);
  return [
    { name: 'construct time at N=100 / floor', value: at100?.ratio.time.median, limit: TARGETS.overheadTime },
    { name: 'construct peak memory at N=100 / floor', value: at100?.ratio.memory.median, limit: TARGETS.overheadMemory },
    { name: 'time(1000) / time(100)', value: r.scaling?.library.time.median, limit: TARGETS.scalingTime },
    { name: 'memory(1000) / memory(100)', value: r.scaling?.library.memory.median, limit: TARGETS.scalingMemory },
    { name: 'cdk8s synth example / minimal app', value: r.cli?.ratio.median, limit: TARGETS.cli },
  ].map((t) => ({ ...t, met: t.value === undefined ? null : t.value <= t.limit }));
}

function git(args) {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function version(pkg) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function main() {
  if (!fs.existsSync(path.join(LIB, 'package.json')) && !fs.existsSync(path.join(LIB, 'index.js'))) {
    throw new Error(`no compiled package at ${LIB}`);
  }
  if (LIB === ROOT && !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: run `npx projen compile` first (`npx projen bench` does)');
  }
  fs.mkdirSync(WORK, { recursive: true });
  const started = Date.now();
  const loadStart = os.loadavg();
  log(`cdk8s-secure-trading-api benchmark${QUICK ? ' (quick)' : ''}: ${os.cpus().length} cpus, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);

  const overhead = ONLY.includes('overhead') ? measureOverhead('chart-per-service', SIZES, PLAN.overhead) : undefined;
  const oneChartSizes = [100, 1000].filter((n) => SIZES.includes(n));
  const oneChart = ONLY.includes('overhead') && oneChartSizes.length > 0
    ? measureOverhead('one-chart', oneChartSizes, PLAN.oneChart) : undefined;
  const result = {
    schema: 1,
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--', 'src', 'bench', 'examples']) ?? '') !== '',
    quick: QUICK,
    lib: path.relative(ROOT, LIB) || '.',
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadavgStart: loadStart,
    },
    versions: {
      'cdk8s': version('cdk8s'),
      'cdk8s-plus-27': version('cdk8s-plus-27'),
      'cdk8s-cli': version('cdk8s-cli'),
      'constructs': version('constructs'),
    },
    overhead,
    scaling: overhead && scaling(overhead),
    // Context for the scaling: the same services in one Chart, where cdk8s synthesizes one chart.
    oneChart: oneChart && { overhead: oneChart, scaling: scaling(oneChart) },
    import: ONLY.includes('import') ? measureImport() : undefined,
    cli: ONLY.includes('cli') ? measureCli() : undefined,
  };
  result.machine.loadavgEnd = os.loadavg();
  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  result.targets = targets(result);
  result.table = table(result);

  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  const command = ['npx projen bench', ...argv].join(' ');
  const markdown = `${result.table}\n\n${result.machine.cpus} × ${result.machine.cpuModel}, Node ${process.version}, `
    + `cdk8s ${result.versions.cdk8s}, cdk8s-plus-27 ${result.versions['cdk8s-plus-27']}, cdk8s-cli ${result.versions['cdk8s-cli']}; `
    + `\`${command}\`, ${result.durationSeconds} s, ${result.date.slice(0, 10)}.\n`;
  fs.writeFileSync(OUT.replace(/\.json$/, '.md'), markdown);

  console.log(`\n${markdown}`);
  for (const t of result.targets) {
    const status = t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED';
    console.log(`${status.padEnd(12)} ${t.name}: ${t.value?.toFixed(2) ?? '-'} (≤ ${t.limit})`);
  }
  console.log(`\nwritten: ${path.relative(ROOT, OUT)} and ${path.relative(ROOT, OUT.replace(/\.json$/, '.md'))}`);
}

main();
