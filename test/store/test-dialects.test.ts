/** STORE_TEST_DIALECTS: which engines the store's tests run on; a value that names anything else is refused. */
import { parseTestDialects } from './helpers.js';

test.each([
  [undefined, ['sqlite', 'postgres']],
  ['', ['sqlite', 'postgres']],
  ['  ', ['sqlite', 'postgres']],
  ['sqlite', ['sqlite']],
  ['postgres', ['postgres']],
  ['postgres,sqlite', ['sqlite', 'postgres']],
  [' sqlite , postgres ', ['sqlite', 'postgres']],
])('STORE_TEST_DIALECTS=%p runs on %p', (value, expected) => {
  expect(parseTestDialects(value)).toEqual(expected);
});

test.each(['sqlite3', 'SQLite', 'pg', 'sqlite,', 'sqlite;postgres', ','])(
  'STORE_TEST_DIALECTS=%p is refused',
  (value) => {
    expect(() => parseTestDialects(value)).toThrow(
      new Error(
        `STORE_TEST_DIALECTS must name sqlite, postgres or both (comma-separated), not ${JSON.stringify(value)}`,
      ),
    );
  },
);
