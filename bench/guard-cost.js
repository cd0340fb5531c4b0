'use strict';
/**
 * What the guard costs: N services built and synthesized with the guard, against the same N with the
 * guard's registration switched off, in one process, rounds interleaved, medians compared.
 *
 *   npx projen compile && node --expose-gc bench/guard-cost.js [N=100] [rounds=15]
 *
 * Prints one JSON line: the median milliseconds of each variant and their ratio (guarded / unguarded).
 * Switching the guard off here is a measurement device only; the library offers no such switch.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const cdk8s = require('cdk8s');
const lib = require(path.resolve(__dirname, '..'));
const fixture = require('./fixture');

const n = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 15);
const guardService = lib.Guard.prototype._guardService;
const gc = global.gc ?? (() => {});

function once(guarded) {
  lib.Guard.prototype._guardService = guarded ? guardService : function unguarded() {};
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sta-guard-cost-'));
  try {
    gc();
    const t0 = performance.now();
    fixture.synthLibrary(fixture.buildLibrary(cdk8s, lib, n, outdir));
    const ms = performance.now() - t0;
    const report = fs.existsSync(path.join(outdir, lib.Guard.REPORT_JSON_PATH));
    if (report !== guarded) {
      throw new Error(`the ${guarded ? 'guarded' : 'unguarded'} run ${report ? 'wrote' : 'did not write'} a report`);
    }
    return ms;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2;
};

once(true);
once(false);
const guarded = [];
const unguarded = [];
for (let i = 0; i < rounds; i++) {
  guarded.push(once(true));
  unguarded.push(once(false));
}
lib.Guard.prototype._guardService = guardService;
const result = { n, rounds, guardedMs: median(guarded), unguardedMs: median(unguarded), ratio: median(guarded) / median(unguarded) };
console.log(JSON.stringify(result));
