/**
 * Reads files from `test/fixtures/` (see `test/fixtures/SOURCES.md` for where each came from). Fixtures are read
 * with fs rather than JSON import assertions so they work the same under jest (SWC, native ESM) and tsx.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Absolute path of a file in `test/fixtures/`. */
export function fixturePath(name: string): string {
  return `${FIXTURES_DIR}${name}`;
}

/** A fixture as a UTF-8 string, byte for byte (no trimming: signing vectors depend on exact bytes). */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A JSON fixture, parsed. The type parameter is the caller's claim about its shape; it is not checked. */
export function readJsonFixture<T = unknown>(name: string): T {
  return JSON.parse(readFixture(name)) as T;
}
