/**
 * WAL checkpoints in a worker thread (src/store/sqlite-checkpointer.ts): the app's connection stops checkpointing
 * on the event loop while the worker runs, the worker's checkpoints copy the WAL into the database, and the app's
 * connection gets its automatic checkpoints back when the worker stops or cannot start.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { SqliteCheckpointer, startCheckpointerLater } from '../../src/store/sqlite-checkpointer.js';
import { configureSqlite, SQLITE_BUSY_TIMEOUT_MS } from '../../src/store/sqlite-connection.js';

// Only checkpointNow() runs in these tests: the worker's own timer would be wall-clock luck.
const NEVER_MS = 60 * 60_000;
const PAGE_BYTES = 4096;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mm-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openDb(file: string): Sqlite.Database {
  const db = new Sqlite(file);
  configureSqlite(db);
  db.exec('create table t (id integer primary key, v text)');
  return db;
}

/** Enough rows that SQLite's automatic checkpoint (at 1,000 WAL pages) would have run several times. */
function writeMany(db: Sqlite.Database): void {
  const insert = db.prepare('insert into t (v) values (?)');
  const value = 'x'.repeat(3000);
  for (let i = 0; i < 3000; i++) insert.run(value);
}

test('while the worker runs, commits never checkpoint on the event loop; the worker checkpoints the WAL', async () => {
  const file = join(dir, 'db.sqlite');
  const db = openDb(file);
  const problems: string[] = [];
  const checkpointer = await SqliteCheckpointer.start(file, db, {
    intervalMs: NEVER_MS,
    busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
    onProblem: (m) => problems.push(m),
  });
  try {
    expect(checkpointer).not.toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMany(db);
    // Nothing was copied back by the app's connection: the WAL holds every page written (far past 1,000).
    const walPages = statSync(`${file}-wal`).size / PAGE_BYTES;
    expect(walPages).toBeGreaterThan(2000);
    const result = await checkpointer?.checkpointNow();
    expect(result?.busy).toBe(0);
    expect(result?.log).toBeGreaterThan(2000);
    expect(result?.checkpointed).toBe(result?.log);
    // The rows are in the database file itself now.
    expect(statSync(file).size / PAGE_BYTES).toBeGreaterThan(2000);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 3000 });
  } finally {
    await checkpointer?.stop();
    db.close();
  }
  expect(problems).toEqual([]);
});

test('once stopped, the connection checkpoints by itself again (the WAL never grows without bound)', async () => {
  const file = join(dir, 'db.sqlite');
  const db = openDb(file);
  const checkpointer = await SqliteCheckpointer.start(file, db, {
    intervalMs: NEVER_MS,
    busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
  });
  await checkpointer?.stop();
  try {
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(checkpointer?.checkpointNow()).rejects.toThrow(/stopped/);
    writeMany(db);
    // SQLite's own checkpoints ran and the WAL was reused from its start: it stays near 1,000 pages.
    expect(statSync(`${file}-wal`).size / PAGE_BYTES).toBeLessThan(1100);
  } finally {
    db.close();
  }
});

test('a worker that cannot open the database leaves the connection checkpointing by itself, and says so', async () => {
  const file = join(dir, 'db.sqlite');
  const db = openDb(file);
  const problems: string[] = [];
  try {
    const checkpointer = await SqliteCheckpointer.start(join(dir, 'missing', 'db.sqlite'), db, {
      intervalMs: NEVER_MS,
      busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      onProblem: (m) => problems.push(m),
    });
    expect(checkpointer).toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(problems).toEqual([
      'the SQLite checkpoint worker did not start; SQLite checkpoints on the event loop',
    ]);
  } finally {
    db.close();
  }
});

describe('started later (what the store does: a short-lived store never pays for the worker)', () => {
  test('after its delay it takes over the checkpoints; stopping hands them back', async () => {
    const file = join(dir, 'db.sqlite');
    const db = openDb(file);
    try {
      const later = startCheckpointerLater(file, db, {
        delayMs: 0,
        intervalMs: NEVER_MS,
        busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      });
      const checkpointer = await later.started();
      expect(checkpointer).toBeInstanceOf(SqliteCheckpointer);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await later.stop();
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      await expect(checkpointer?.checkpointNow()).rejects.toThrow(/stopped/);
    } finally {
      db.close();
    }
  });

  test('stopped before its delay: no worker ever starts, SQLite keeps checkpointing by itself', async () => {
    const file = join(dir, 'db.sqlite');
    const db = openDb(file);
    try {
      const later = startCheckpointerLater(file, db, {
        delayMs: NEVER_MS,
        busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      });
      await later.stop();
      expect(await later.started()).toBeNull();
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      db.close();
    }
  });
});
