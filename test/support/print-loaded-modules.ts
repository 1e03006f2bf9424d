/**
 * Run by test/app/loaded-modules.test.ts in a child process (`node --import tsx`): imports the app, opens the store
 * at argv[2] and prints which optional packages ended up loaded, as JSON.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
await import('../../src/app.js');
const { openStore } = await import('../../src/store/index.js');
const store = await openStore(process.argv[2] as string);
const loaded = Object.keys(require.cache);
const has = (name: string) => loaded.some((path) => path.includes(`/node_modules/${name}/`));
process.stdout.write(
  JSON.stringify({ pg: has('pg'), betterSqlite3: has('better-sqlite3'), promClient: has('prom-client') }),
);
await store.close();
