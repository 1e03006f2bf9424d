/**
 * Stores for tests (any engineer's tests may use these).
 *
 *   const t = await openTestStore('sqlite');   // or 'postgres'
 *   await t.store.upsertUserLink(…);
 *   await t.cleanup();                          // closes the store, deletes the file / drops the database
 *
 * Between tests of one file, `await resetTestStore(t)` empties every table (cheaper than a new database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { createTestPostgresDatabase } from './pg-helpers.js';

export { createTestPostgresDatabase, TEST_PG_URL, type TestPostgresDatabase } from './pg-helpers.js';

export type TestDialect = 'sqlite' | 'postgres';

const ALL_DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

/**
 * The engines a `STORE_TEST_DIALECTS` value names: `sqlite`, `postgres`, or both comma-separated; unset or blank
 * means both. Anything else throws, so a typo never quietly runs fewer tests. Mutation runs set it (one engine
 * halves the time per mutant; stryker.config.mjs, `store-sqlite`).
 */
export function parseTestDialects(value: string | undefined): TestDialect[] {
  if (value === undefined || value.trim() === '') return [...ALL_DIALECTS];
  const named = value.split(',').map((v) => v.trim());
  const unknown = named.filter((v) => !(ALL_DIALECTS as readonly string[]).includes(v));
  if (unknown.length > 0) {
    throw new Error(
      `STORE_TEST_DIALECTS must name sqlite, postgres or both (comma-separated), not ${JSON.stringify(value)}`,
    );
  }
  return ALL_DIALECTS.filter((d) => named.includes(d));
}

/** The engines every `describe.each` of test/store runs on (STORE_TEST_DIALECTS; both by default). */
export function testDialects(): TestDialect[] {
  return parseTestDialects(process.env.STORE_TEST_DIALECTS);
}

export interface TestDatabase {
  dialect: TestDialect;
  /** DATABASE_URL of the database: open more stores on it with openStore(url). */
  url: string;
  /** Deletes the SQLite folder / drops the Postgres database. Close stores first. Idempotent. */
  drop(): Promise<void>;
}

export interface TestStore extends TestDatabase {
  store: Store;
  /** Closes the store and drops the database. */
  cleanup(): Promise<void>;
}

/** A fresh SQLite file in its own folder under os.tmpdir(). */
export function createTestSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'mm-store-'));
  return {
    dialect: 'sqlite',
    url: `sqlite:${join(dir, 'test.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') return createTestSqliteDatabase();
  const db = await createTestPostgresDatabase();
  return {
    dialect,
    url: db.url,
    drop: async () => {
      await endPool(db.url);
      await db.drop();
    },
  };
}

export async function openTestStore(dialect: TestDialect = 'sqlite'): Promise<TestStore> {
  const db = await createTestDatabase(dialect);
  let store: Store;
  try {
    store = await openStore(db.url);
  } catch (err) {
    await db.drop();
    throw err;
  }
  return {
    ...db,
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
}

const DATA_TABLES = [
  'user_links',
  'meetings',
  'guests',
  'recordings',
  'leases',
  'slack_events',
  'meeting_intents',
  'admin_requests',
  'slack_installations',
  'key_checks',
  'home_viewers',
  'megameeting_connections',
  'uninstalled_workspaces',
] as const;

/** Empties every data table (keeps the schema and schema_migrations). */
export async function resetTestStore(db: Pick<TestDatabase, 'url'>): Promise<void> {
  // DELETE rather than TRUNCATE: on tiny tables it is several times faster on Postgres.
  // One transaction: a single commit.
  await execSql(db.url, ['BEGIN', ...DATA_TABLES.map((t) => `DELETE FROM ${t}`), 'COMMIT']);
}

/**
 * Runs raw SQL on a test database through its own connection, outside any store; returns the rows of the
 * last statement. For tests that must look under the store (schema checks, crafted old-version data).
 */
export async function execSql(url: string, statements: string[]): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  if (url.startsWith('sqlite:')) {
    const raw = new Sqlite(url.slice('sqlite:'.length));
    try {
      raw.pragma('busy_timeout = 5000');
      for (const s of statements) {
        const stmt = raw.prepare(s);
        if (stmt.reader) rows = stmt.all() as Record<string, unknown>[];
        else {
          stmt.run();
          rows = [];
        }
      }
    } finally {
      raw.close();
    }
    return rows;
  }
  const client = await pgPool(url).connect();
  try {
    for (const s of statements) rows = (await client.query(s)).rows as Record<string, unknown>[];
  } catch (err) {
    client.release(true);
    throw err;
  }
  client.release();
  return rows;
}

/** One small pool per test database for execSql/resetTestStore (connecting costs more than the SQL). */
const pools = new Map<string, pg.Pool>();

function pgPool(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
    pool.on('error', () => {}); // the database may be dropped under an idle connection
    pools.set(url, pool);
  }
  return pool;
}

async function endPool(url: string): Promise<void> {
  const pool = pools.get(url);
  pools.delete(url);
  if (pool && !pool.ended) await pool.end();
}

/** Two stores on one fresh database: `other` is a second replica (its own connection or pool). */
export interface StorePair {
  db: TestDatabase;
  store: Store;
  other: Store;
}

/**
 * For a describe block: opens a StorePair once, empties its tables before each test, closes and drops it after.
 * `onOpen` receives the pair once open (assign it to the block's variables).
 *
 *   let store: Store;
 *   let other: Store;
 *   useStorePair(dialect, (pair) => ({ store, other } = pair));
 */
export function useStorePair(dialect: TestDialect, onOpen: (pair: StorePair) => void): void {
  let pair: Partial<StorePair> = {};
  beforeAll(async () => {
    const db = await createTestDatabase(dialect);
    pair = { db, store: await openStore(db.url), other: await openStore(db.url) };
    onOpen(pair as StorePair);
  });
  afterAll(async () => {
    await pair.store?.close();
    await pair.other?.close();
    await pair.db?.drop();
  });
  beforeEach(async () => {
    if (pair.db) await resetTestStore(pair.db);
  });
}
