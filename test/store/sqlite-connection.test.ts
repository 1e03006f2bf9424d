/** The SQLite connection: its settings, and statements prepared once and reused in a cache that evicts at its bound. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import {
  configureSqlite,
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
