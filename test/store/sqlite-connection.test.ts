/**
 * The SQLite connection: its settings, statements prepared once and reused in a cache that evicts at its bound, and
 * queries queued first come, first served with one waiter resumed per release.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import {
  configureSqlite,
  FifoLock,
  QueuedSqliteDialect,
  SQLITE_STATEMENT_CACHE_SIZE,
  withStatementCache,
} from '../../src/store/sqlite-connection.js';

test('a connection runs WAL with synchronous NORMAL (a commit does not wait for an fsync), foreign keys on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-sqlite-'));
  const db = new Sqlite(join(dir, 'db.sqlite'));
  try {
    configureSqlite(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL, 2 = FULL (the default)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function counting() {
  const db = new Sqlite(':memory:');
  const prepared: string[] = [];
  return {
    db,
    prepared,
    raw: {
      prepare: (sql: string) => {
        prepared.push(sql);
        return db.prepare(sql);
      },
      close: () => db.close(),
    },
  };
}

test('the same SQL is prepared once and its statement reused, with new parameters each time', () => {
  const { raw, prepared } = counting();
  const cached = withStatementCache(raw);
  cached.prepare('create table t (n integer)').run([]);
  for (let n = 0; n < 5; n++) cached.prepare('insert into t (n) values (?)').run([n]);
  expect(cached.prepare('select sum(n) as s from t where n >= ?').all([3])).toEqual([{ s: 7 }]);
  expect(cached.prepare('select sum(n) as s from t where n >= ?').all([0])).toEqual([{ s: 10 }]);
  expect(prepared).toEqual([
    'create table t (n integer)',
    'insert into t (n) values (?)',
    'select sum(n) as s from t where n >= ?',
  ]);
  cached.close();
});

test('it holds at most its bound: the least recently used statement is dropped and prepared again', () => {
  const { raw, prepared } = counting();
  const cached = withStatementCache(raw, 2);
  cached.prepare('select 1');
  cached.prepare('select 2');
  cached.prepare('select 1'); // 1 is now the most recent
  cached.prepare('select 3'); // evicts 2
  expect(cached.cachedStatements).toBe(2);
  cached.prepare('select 1');
  cached.prepare('select 2'); // prepared again
  expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
  expect(cached.cachedStatements).toBe(2);
  cached.close();
});

test('many distinct SQL texts (in-lists of every length) never grow it past the default bound', () => {
  const { raw } = counting();
  const cached = withStatementCache(raw);
  for (let n = 1; n <= SQLITE_STATEMENT_CACHE_SIZE + 100; n++) {
    cached.prepare(`select 1 where 1 in (${Array.from({ length: n }, () => '?').join(', ')})`);
  }
  expect(cached.cachedStatements).toBe(SQLITE_STATEMENT_CACHE_SIZE);
  cached.close();
});

test('the FIFO lock resumes only the longest waiter at each release', async () => {
  const lock = new FifoLock();
  await lock.lock();
  const resumed: number[] = [];
  const waiters = [1, 2, 3].map((n) => lock.lock().then(() => void resumed.push(n)));
  expect(lock.waiting).toBe(3);
  lock.unlock();
  await waiters[0];
  await new Promise((r) => setImmediate(r));
  expect(resumed).toEqual([1]);
  expect(lock.waiting).toBe(2);
  lock.unlock();
  lock.unlock();
  await Promise.all(waiters);
  expect(resumed).toEqual([1, 2, 3]);
  lock.unlock();
  // Free again: the next lock is taken at once.
  await lock.lock();
  expect(lock.waiting).toBe(0);
});

test('queued queries on the one connection run in the order issued, and a transaction keeps them out', async () => {
  const db = new Kysely<{ t: { n: number } }>({
    dialect: new QueuedSqliteDialect({ database: withStatementCache(new Sqlite(':memory:')) }),
  });
  try {
    await sql`create table t (n integer)`.execute(db);
    let inTransaction = false;
    const seenDuring: number[] = [];
    const tx = db.transaction().execute(async (trx) => {
      inTransaction = true;
      await trx.insertInto('t').values({ n: 0 }).execute();
      await new Promise((r) => setTimeout(r, 20));
      inTransaction = false;
    });
    const inserts = Array.from({ length: 200 }, (_, i) =>
      db
        .insertInto('t')
        .values({ n: i + 1 })
        .execute()
        .then(() => {
          if (inTransaction) seenDuring.push(i + 1);
        }),
    );
    await Promise.all([tx, ...inserts]);
    expect(seenDuring).toEqual([]);
    const rows = await sql<{ n: number }>`select n from t order by rowid`.execute(db);
    expect(rows.rows.map((r) => r.n)).toEqual(Array.from({ length: 201 }, (_, i) => i));
  } finally {
    await db.destroy();
  }
});
