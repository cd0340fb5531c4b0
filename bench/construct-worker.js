'use strict';
/**
 * One fresh process per (variant, N, run), started by bench.js with --expose-gc. Prints one JSON line.
 *
 *   prepare  synthesize N services through the library into `outdir`, write the floor's input to `input`
 *   verify   synthesize the floor from `input` into `outdir` (bench.js compares it with the library's)
 *   library  time and memory of N services through the library
 *   floor    time and memory of the same output from plain ApiObjects
 *
 * Time: `warm` build+synth rounds are discarded, then the median of `reps` rounds is reported.
 * Memory: the process' peak resident set size (getrusage maxRSS) above its resident size once the
 * modules and the input are loaded (and garbage collected): the extra memory that building and
 * synthesizing needed.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const fixture = require('./fixture');

const args = JSON.parse(process.argv[2]);
// Profile one case by hand: node --expose-gc --cpu-prof bench/construct-worker.js '{"mode":"library","n":1000,"lib":".","warm":0,"reps":1}'
args.lib = path.resolve(args.lib ?? '.');
const gc = global.gc ?? (() => {});
const cdk8s = require('cdk8s');

if (args.mode === 'prepare') {
  const lib = require(args.lib);
  const input = fixture.captureFloorInput(cdk8s, lib, args.n, args.outdir, args.layout);
  fs.writeFileSync(args.input, JSON.stringify(input));
  console.log(JSON.stringify({ ok: true }));
  process.exit(0);
}

const input = args.mode === 'library' ? undefined : JSON.parse(fs.readFileSync(args.input, 'utf8'));
// Both variants load the same modules, the floor without using them: loading cdk8s-plus-27 alone sizes
// V8's young generation up (16 to 32 MiB), which would otherwise count as construct memory. Import
// cost is measured on its own (bench.js, part 3).
const lib = require(args.lib);

function round(outdir) {
  const t0 = performance.now();
  const app = args.mode === 'library' ? fixture.buildLibrary(cdk8s, lib, args.n, outdir, args.layout) : fixture.buildFloor(cdk8s, input, outdir);
  const t1 = performance.now();
  if (args.mode === 'library') {
    fixture.synthLibrary(app);
  } else {
    fixture.synthFloor(cdk8s, app, input);
  }
  const t2 = performance.now();
  return { buildMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0 };
}

if (args.mode === 'verify') {
  round(args.outdir);
  console.log(JSON.stringify({ ok: true }));
  process.exit(0);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

gc();
gc();
const rssBefore = process.memoryUsage().rss;
const maxRssBefore = process.resourceUsage().maxRSS * 1024;
const heapBefore = process.memoryUsage().heapUsed;
const rounds = [];
for (let i = 0; i < args.warm + args.reps; i++) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sta-bench-'));
  try {
    const r = round(outdir);
    if (i >= args.warm) {
      rounds.push(r);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  gc();
}
const maxRss = process.resourceUsage().maxRSS * 1024;

console.log(JSON.stringify({
  totalMs: median(rounds.map((r) => r.totalMs)),
  buildMs: median(rounds.map((r) => r.buildMs)),
  synthMs: median(rounds.map((r) => r.synthMs)),
  rounds: rounds.length,
  peakRssDeltaBytes: Math.max(0, maxRss - rssBefore),
  // false when the rounds never exceeded the peak of loading the modules: then the delta is an upper bound.
  peakReachedInRounds: maxRss > maxRssBefore,
  maxRssBytes: maxRss,
  baselineRssBytes: rssBefore,
  heapAfterGcDeltaBytes: process.memoryUsage().heapUsed - heapBefore,
}));
