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
import {
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';
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

/** A lock whose unlock hands it to the longest waiter: one waiter resumes per release. */
export class FifoLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  /** How many are waiting (tests). */
  get waiting(): number {
    return this.#waiters.length;
  }

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}

/**
 * Kysely's SqliteDriver serialises queries on its single connection with a mutex whose waiters all wake at
 * every release, and all but one go back to waiting: with n queries waiting, each release resumes n of them,
 * n² over a burst. Bursts are what the app has (the creates that shared one `meetings` list are answered
 * together and each starts its writes at once: docs/benchmarks.md, "Fourth round"). Here queries queue in a
 * FifoLock before the driver's own mutex, which then never has a waiter; the order they run in is the same.
 */
export class QueuedSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new QueuedDriver(super.createDriver());
  }
}

class QueuedDriver implements Driver {
  readonly #lock = new FifoLock();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.lock();
    try {
      return await this.inner.acquireConnection();
    } catch (err) {
      this.#lock.unlock();
      throw err;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      this.#lock.unlock();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.inner.releaseSavepoint?.(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
