/**
 * Sampling allocation profile of the app under the bench, counting objects already collected (what each request
 * allocates, not only what it keeps): docs/benchmarks.md, "Fourth round". Preloaded into the app; SIGUSR2 writes
 * /tmp/alloc-<pid>.heapprofile, which scripts/bench/alloc-summary.mjs reads:
 *
 *   npx tsx scripts/bench/main.ts --skip-build --only app --stores sqlite --commands 1000 --repeat 1 --no-max-rate \
 *     --no-recordings --no-write --app-node-args="--import $PWD/scripts/bench/alloc-probe.mjs"
 *
 * The profile is written when the bench stops the app (SIGTERM, after the last card), or at SIGUSR2.
 */

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const s = new Session();
s.connect();
const post = (m, p = {}) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))));
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', {
  samplingInterval: 16384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
let written = false;
function write() {
  if (written) return;
  written = true;
  // The inspector answers synchronously on the main thread: the file is written before the app's own
  // SIGTERM handler goes on to stop.
  s.post('HeapProfiler.stopSampling', (err, res) => {
    if (!err) writeFileSync(`/tmp/alloc-${process.pid}.heapprofile`, JSON.stringify(res.profile));
  });
}
process.prependListener('SIGTERM', write);
process.on('SIGUSR2', write);
