/**
 * What one SQLite commit costs the event loop under WAL with synchronous FULL (SQLite's default) and NORMAL
 * (what the store uses, src/store/sqlite-connection.ts): 1,000 × (an insert of a 200-ID list and two updates),
 * on a file in the temporary folder, each statement its own commit; and under NORMAL with 20 statements per
 * transaction, what grouping a burst's writes could save at most (docs/benchmarks.md, "Fifth round").
 * better-sqlite3 is synchronous, so the wall time is time the event loop stands still.
 * `node scripts/bench/sqlite-commit.mjs`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

for (const [mode, perTransaction] of [
  ['FULL', 1],
  ['NORMAL', 1],
  ['NORMAL', 20],
]) {
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
  const one = (i) => {
    insert.run([String(i), ids]);
    update.run(['a', String(i)]);
    update.run(['b', String(i)]);
  };
  const group = db.transaction((from, to) => {
    for (let i = from; i < to; i++) one(i);
  });
  // perTransaction counts statements; three per round.
  const rounds = Math.max(1, Math.round(perTransaction / 3));
  for (let i = 0; i < 1000; i += rounds) {
    if (perTransaction === 1) one(i);
    else group(i, Math.min(1000, i + rounds));
  }
  const used = process.cpuUsage(cpu);
  const statements = 3000;
  console.log(
    JSON.stringify({
      synchronous: mode,
      statementsPerTransaction: perTransaction === 1 ? 1 : rounds * 3,
      wallMsPerStatement: Number(process.hrtime.bigint() - wall) / 1e6 / statements,
      cpuMsPerStatement: (used.user + used.system) / 1000 / statements,
    }),
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
