/**
 * What the running mode does not use is not loaded: a SQLite deployment never loads pg, a Postgres one never
 * loads better-sqlite3, without METRICS=true nothing loads prom-client, and chrono-node waits for the first time
 * to read. A fresh process each time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '../store/helpers.js';

const run = promisify(execFile);

async function loadedWith(databaseUrl: string): Promise<Record<string, boolean>> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/support/print-loaded-modules.ts', databaseUrl],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout) as Record<string, boolean>;
}

test('SQLite: better-sqlite3 only; no pg, no prom-client, chrono-node at the first parse', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-loaded-'));
  try {
    expect(await loadedWith(`sqlite:${join(dir, 'app.sqlite')}`)).toEqual({
      pg: false,
      betterSqlite3: true,
      promClient: false,
      chronoAtStart: false,
      chronoAfterParse: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 40_000);

test('Postgres: pg only; no better-sqlite3, no prom-client, chrono-node at the first parse', async () => {
  const db = await createTestDatabase('postgres');
  try {
    expect(await loadedWith(db.url)).toEqual({
      pg: true,
      betterSqlite3: false,
      promClient: false,
      chronoAtStart: false,
      chronoAfterParse: true,
    });
  } finally {
    await db.drop();
  }
}, 40_000);
