/**
 * Run by test/app/loaded-modules.test.ts in a child process (`node --import tsx`): imports the app, opens the store
 * at argv[2] and prints which optional packages ended up loaded, as JSON; then
 * parses a time and says whether chrono-node was loaded before and after.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
await import('../../src/app.js');
const { openStore } = await import('../../src/store/index.js');
const store = await openStore(process.argv[2] as string);
const has = (name: string) =>
  Object.keys(require.cache).some((path) => path.includes(`/node_modules/${name}/`));
const atStart = { pg: has('pg'), betterSqlite3: has('better-sqlite3'), promClient: has('prom-client') };
const chronoAtStart = has('chrono-node');
// chrono-node comes with the first time read from a `/meet` (src/time/plain-english.ts).
const { parseMeetingText } = await import('../../src/time/plain-english.js');
parseMeetingText('Standup tomorrow at 10am', { now: new Date(), timeZone: 'UTC' });
process.stdout.write(JSON.stringify({ ...atStart, chronoAtStart, chronoAfterParse: has('chrono-node') }));
await store.close();
