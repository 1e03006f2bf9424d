/**
 * The SQLite connection's settings, and better-sqlite3 as Kysely's SQLite dialect sees it.
 *
 * Settings: WAL with `synchronous = NORMAL`. better-sqlite3 is synchronous, so every commit runs on the event
 * loop; with SQLite's default (FULL) each commit also waits for an fsync of the WAL, 5 ms on this project's
 * test machine, and a `/meet` commits six to eight times: the event loop stood still for 30–40 ms per command
 * and every ack waited behind it (docs/benchmarks.md). With NORMAL a commit is written to the WAL (the OS has
 * it) before it returns and the WAL is synced at checkpoints: a process that dies (kill -9, out of memory)
 * loses nothing, and the database is never corrupted; only an operating-system crash or a power cut may roll
 * back the commits of the last moments. Deployments for which that matters run Postgres (README, "Storage").
 *
 * Statements are kept: Kysely's driver calls
 * `prepare` for every query it runs, and compiling the SQL again each time was about a sixth of the store's time
 * per `/meet` (docs/benchmarks.md). The statements are kept in an LRU of `max` SQL texts, so the variable
 * `in (?, ?, …)` lists some queries build cannot grow it without bound. Reusing a statement is safe here:
 * better-sqlite3 runs each to completion synchronously, and the app never streams (`iterate`) a query.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LruCache } from '../util/lru.js';

export const SQLITE_STATEMENT_CACHE_SIZE = 256;
/** How long a statement waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** The settings of every connection the store opens (per connection in SQLite, so set at each open). */
export function configureSqlite(raw: { pragma(source: string): unknown }): void {
  // busy_timeout first: switching to WAL itself may wait for another process.
  raw.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
}

export function withStatementCache(
  raw: { prepare(sql: string): SqliteStatement; close(): void },
  max = SQLITE_STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cachedStatements: number } {
  const statements = new LruCache<string, SqliteStatement>(max);
  return {
    get cachedStatements() {
      return statements.size;
    },
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = raw.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
