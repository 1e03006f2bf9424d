/**
 * Sampling allocation profile of the app under the bench, counting objects already collected (what each request
 * allocates, not only what it keeps): docs/benchmarks.md, "Fourth round". Preloaded into the app; SIGUSR2 writes
 * /tmp/alloc-<pid>.heapprofile, which scripts/bench/alloc-summary.mjs reads:
 *
 *   npx tsx scripts/bench/main.ts --skip-build --only app --stores sqlite --commands 1000 --repeat 1 --no-max-rate \
 *     --no-recordings --no-write --app-node-args="--import $PWD/scripts/bench/alloc-probe.mjs"
 *   kill -USR2 <app pid>   # when the commands are done
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
process.on('SIGUSR2', async () => {
  const { profile } = await post('HeapProfiler.stopSampling');
  writeFileSync(`/tmp/alloc-${process.pid}.heapprofile`, JSON.stringify(profile));
});
