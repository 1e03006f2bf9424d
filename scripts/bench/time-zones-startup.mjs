/**
 * Start-up cost of the time module in one build: `node scripts/bench/time-zones-startup.mjs <build dir> [warm]`.
 * Imports `<dir>/dist/src/time/zones.js` (run `npm run build` there first), optionally builds the whole zone
 * search index as start-up once did, and prints the RSS it added, the heap (ICU formatters live outside it) and
 * the longest event-loop block seen by perf_hooks.monitorEventLoopDelay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [dir = '.', mode = 'none'] = process.argv.slice(2);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const rss0 = process.memoryUsage().rss;
const zones = await import(pathToFileURL(`${dir}/dist/src/time/zones.js`).href);
const started = performance.now();
if (mode === 'warm') zones.warmTimeZoneSearch(new Date());
const warmMs = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 50));
delay.disable();
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    dir,
    warm: mode === 'warm',
    warmMs: Math.round(warmMs),
    rssDeltaMB: Math.round((mem.rss - rss0) / 1e6),
    heapUsedMB: Math.round(mem.heapUsed / 1e6),
    eventLoopMaxMs: Math.round(delay.max / 1e6),
  }),
);
