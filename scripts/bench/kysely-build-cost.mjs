/**
 * What precompiling the `/meet` path's statements could save at most (docs/benchmarks.md, "Sixth round"): the
 * CPU and allocation of building and compiling three of its statement shapes with Kysely (the meetings insert,
 * an intent step's update, an intent claim), without running them, per statement; and the same insert run on
 * SQLite built each time against run from a query compiled once (`db.executeQuery` with fresh parameters).
 *
 *   npm run build && node scripts/bench/kysely-build-cost.mjs
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';

const N = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'kysely-cost-'));
const raw = new Sqlite(join(dir, 'db.sqlite'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.exec(`CREATE TABLE meetings (team_id TEXT, meet_id TEXT, channel_id TEXT, message_ts TEXT, card_delivery TEXT,
  host_slack_user_id TEXT, host_login_id TEXT, title TEXT, kind TEXT, start_at INTEGER, end_at INTEGER,
  time_zone TEXT, status TEXT, reminders TEXT, options TEXT, created_at INTEGER, updated_at INTEGER,
  ended_at INTEGER, absent_since INTEGER, PRIMARY KEY (team_id, meet_id))`);
const db = new Kysely({ dialect: new SqliteDialect({ database: raw }) });

const meeting = (i) => ({
  team_id: 'T1',
  meet_id: `m${i}`,
  channel_id: 'C1',
  message_ts: null,
  card_delivery: 'channel',
  host_slack_user_id: 'U1',
  host_login_id: 'L1',
  title: `Bench ${i}`,
  kind: 'instant',
  start_at: 1_800_000_000_000,
  end_at: null,
  time_zone: 'UTC',
  status: 'live',
  reminders: '[]',
  options: '{}',
  created_at: 1_800_000_000_000,
  updated_at: 1_800_000_000_000,
  ended_at: null,
  absent_since: null,
});
const insert = (i) => db.insertInto('meetings').values(meeting(i)).returningAll();
const step = (i) =>
  db
    .updateTable('meeting_intents')
    .set({ updated_at: i, state: 'created', meet_id: `m${i}` })
    .where('team_id', '=', 'T1')
    .where('id', '=', `i${i}`)
    .where('claimed_by', '=', 'h')
    .where('state', 'not in', ['done', 'failed', 'abandoned'])
    .returning([
      'id',
      'state',
      'meet_id',
      'message_channel',
      'message_ts',
      'outcome',
      'attempts',
      'updated_at',
    ]);
const claim = (i) =>
  db
    .updateTable('meeting_intents')
    .set({ claimed_by: 'h', claim_expires_at: i + 20_000, updated_at: i })
    .where('team_id', '=', 'T1')
    .where('id', '=', `i${i}`)
    .where('state', 'not in', ['done', 'failed', 'abandoned'])
    .where((eb) =>
      eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', 'h'), eb('claim_expires_at', '<=', i)]),
    );

function cost(name, fn) {
  for (let i = 0; i < 2000; i++) fn(i); // warm up
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) fn(i);
  const cpu = process.cpuUsage(cpu0);
  // Allocation: the heap's growth between samples, summed (a collection in between only hides some).
  let allocated = 0;
  let last = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) {
    fn(i);
    const h = process.memoryUsage().heapUsed;
    if (h > last) allocated += h - last;
    last = h;
  }
  return {
    name,
    cpuUsPer: +((cpu.user + cpu.system) / N).toFixed(1),
    allocKBPer: +(allocated / N / 1024).toFixed(1),
  };
}

const results = [
  cost('build+compile meetings insert', (i) => insert(i).compile()),
  cost('build+compile intent step update', (i) => step(i).compile()),
  cost('build+compile intent claim', (i) => claim(i).compile()),
];

// The insert run for real, built each time, then from one compiled query with fresh parameters.
let next = 0;
async function runBuilt() {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await insert(next++).execute();
  const t = process.cpuUsage(t0);
  return +((t.user + t.system) / N).toFixed(1);
}
const once = insert(0).compile();
async function runCompiled() {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const m = meeting(next++);
    await db.executeQuery(CompiledQuery.raw(once.sql, Object.values(m)));
  }
  const t = process.cpuUsage(t0);
  return +((t.user + t.system) / N).toFixed(1);
}
await runBuilt(); // warm up
await runCompiled();
results.push({ name: 'meetings insert run, built each time', cpuUsPer: await runBuilt() });
results.push({ name: 'meetings insert run, compiled once', cpuUsPer: await runCompiled() });
for (const r of results) console.log(JSON.stringify(r));
await db.destroy();
rmSync(dir, { recursive: true, force: true });
