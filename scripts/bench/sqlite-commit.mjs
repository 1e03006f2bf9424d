/**
 * What one SQLite commit costs the event loop under WAL with synchronous FULL (SQLite's default) and NORMAL
 * (what the store uses, src/store/sqlite-connection.ts): 1,000 × (an insert of a 200-ID list and two updates),
 * on a file in the temporary folder. better-sqlite3 is synchronous, so the wall time is time the event loop
 * stands still. `node scripts/bench/sqlite-commit.mjs`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

for (const mode of ['FULL', 'NORMAL']) {
  const dir = mkdtempSync(join(tmpdir(), 'mm-sqlite-commit-'));
  const db = new Sqlite(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${mode}`);
  db.exec('create table t (id text primary key, v text)');
  const insert = db.prepare('insert into t values (?, ?)');
  const update = db.prepare('update t set v = ? where id = ?');
  const ids = JSON.stringify(Array.from({ length: 200 }, (_, i) => String(1_000_000 + i)));
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < 1000; i++) {
    insert.run([String(i), ids]);
    update.run(['a', String(i)]);
    update.run(['b', String(i)]);
  }
  const used = process.cpuUsage(cpu);
  const commits = 3000;
  console.log(
    JSON.stringify({
      synchronous: mode,
      wallMsPerCommit: Number(process.hrtime.bigint() - wall) / 1e6 / commits,
      cpuMsPerCommit: (used.user + used.system) / 1000 / commits,
    }),
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
