/**
 * Throw-away Postgres databases for tests (any engineer's tests may use these).
 *
 *   const pgdb = await createTestPostgresDatabase();
 *   const store = await openStore(pgdb.url);
 *   …
 *   await store.close();
 *   await pgdb.drop();
 *
 * The server comes from TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, trust auth): we
 * connect to its maintenance database, CREATE DATABASE mm_test_<random>, and DROP … WITH (FORCE) it after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPostgresDatabase {
  /** postgres:// URL of the new, empty database: a DATABASE_URL for openStore. */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open to it. Idempotent. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    const why = err instanceof Error ? err.message || (err as Error & { code?: string }).code : String(err);
    throw new Error(
      `Postgres for tests is not reachable at ${TEST_PG_URL.replace(/\/\/.*@/, '//***@')}: ${why}`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlFor(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database named `<prefix>_<random>` (prefix: lower-case letters, digits, underscores). */
export async function createTestPostgresDatabase(prefix = 'mm_test'): Promise<TestPostgresDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`bad database name prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    // Concurrent CREATE DATABASE from parallel test workers can trip over the template being in use: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
        // Test data need not survive a server crash: commits without waiting for the disk are much faster.
        await client.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt >= 10 || code !== '55006') throw err; // 55006: object_in_use
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
  let dropped = false;
  return {
    url: urlFor(name),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
