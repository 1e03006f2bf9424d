// node --expose-gc scripts/bench/rss-import.mjs <specifier or absolute path>: what importing one module adds
// to a fresh process (RSS and JS heap after a full GC). Used for "RSS at start" in docs/benchmarks.md.
const spec = process.argv[2];
globalThis.gc();
const before = process.memoryUsage();
await import(spec);
globalThis.gc();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    spec,
    rssMB: +((after.rss - before.rss) / 1048576).toFixed(1),
    heapMB: +((after.heapUsed - before.heapUsed) / 1048576).toFixed(1),
  }),
);
