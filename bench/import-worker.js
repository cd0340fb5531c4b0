'use strict';
/**
 * One fresh process per run, started by bench.js: how long `require` of the given modules takes,
 * from a process that has loaded nothing else. Prints one JSON line.
 */
const { performance } = require('perf_hooks');

const modules = JSON.parse(process.argv[2]);
const t0 = performance.now();
for (const m of modules) {
  require(m);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rssBytes: process.memoryUsage().rss }));
