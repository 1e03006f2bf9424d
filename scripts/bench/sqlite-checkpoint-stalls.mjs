/**
 * What SQLite's automatic WAL checkpoints cost the event loop: 6,000 commits of a ~3 KB row (an intent with its
 * list of meeting IDs) under WAL and synchronous NORMAL, timed one by one, with automatic checkpoints (SQLite's
 * default, every 1,000 WAL pages, run inside the commit that crosses it, fsyncs included) and without them (what
 * the store does while its checkpoint worker runs: src/store/sqlite-checkpointer.ts).
 * `node scripts/bench/sqlite-checkpoint-stalls.mjs`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

for (const autocheckpoint of [1000, 0]) {
  const dir = mkdtempSync(join(tmpdir(), 'mm-sqlite-ckpt-'));
  const db = new Sqlite(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  db.exec('create table t (id text primary key, v text)');
  const insert = db.prepare('insert into t values (?, ?)');
  const ids = JSON.stringify(Array.from({ length: 200 }, (_, i) => String(1_000_000 + i)));
  const times = [];
  for (let i = 0; i < 6000; i++) {
    const start = process.hrtime.bigint();
    insert.run([String(i), ids]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q) => Number(times[Math.floor(q * (times.length - 1))].toFixed(3));
  console.log(
    JSON.stringify({
      wal_autocheckpoint: autocheckpoint,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      p999Ms: at(0.999),
      maxMs: Number(times.at(-1).toFixed(1)),
      commitsOver5Ms: times.filter((t) => t > 5).length,
    }),
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
