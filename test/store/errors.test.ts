/** The store's error helpers (pure): the one-line description of a driver error and the unique-violation test. */
import { describeError, isUniqueViolation, StoreOpenError, TeamScopeError } from '../../src/store/errors.js';

test('StoreOpenError and TeamScopeError carry their code, name and cause', () => {
  const cause = new Error('ECONNREFUSED');
  const open = new StoreOpenError('store: cannot reach postgres://db/mm', { cause });
  expect([open.code, open.name, open.message, open.cause]).toEqual([
    'store_open_failed',
    'StoreOpenError',
    'store: cannot reach postgres://db/mm',
    cause,
  ]);
  const scope = new TeamScopeError('T1', 'T2', 'save a meeting');
  expect([scope.code, scope.name, scope.message]).toEqual([
    'team_scope',
    'TeamScopeError',
    'store: the view of team T1 refused to save a meeting for team T2',
  ]);
  expect(new TeamScopeError('T1', null, 'save a link').message).toBe(
    'store: the view of team T1 refused to save a link for team (none)',
  );
});

test.each([
  ['a string', 'connect ECONNREFUSED', 'connect ECONNREFUSED'],
  ['a number', 42, '42'],
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  [
    'an error, whitespace folded to single spaces',
    new Error(' too many\n\tclients  already '),
    'too many clients already',
  ],
  ['no message: its code', Object.assign(new Error(''), { code: 'ECONNRESET' }), 'ECONNRESET'],
  ['no message nor code: its name', { name: 'TimeoutError' }, 'TimeoutError'],
  ['a code that is not a string: its name', { message: '', code: 7, name: 'PgError' }, 'PgError'],
  ['nothing to go by', {}, '[object Object]'],
  [
    "an AggregateError without a message: its attempts' descriptions, each once",
    {
      message: '',
      errors: [
        { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
        { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5432' },
        { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      ],
    },
    'connect ECONNREFUSED 127.0.0.1:5432; connect ECONNREFUSED ::1:5432',
  ],
  [
    'an AggregateError with a message: the message',
    { message: 'all failed', errors: [{ code: 'X' }] },
    'all failed',
  ],
  ['an empty attempts list: the code', { errors: [], code: 'ENOTFOUND' }, 'ENOTFOUND'],
])('describeError: %s', (_what, err, expected) => {
  expect(describeError(err)).toBe(expected);
});

test.each([
  ['Postgres unique_violation', { code: '23505' }, true],
  ['SQLite unique', { code: 'SQLITE_CONSTRAINT_UNIQUE' }, true],
  ['SQLite primary key', { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, true],
  ['Postgres foreign_key_violation', { code: '23503' }, false],
  ['SQLite not null', { code: 'SQLITE_CONSTRAINT_NOTNULL' }, false],
  ['no code', new Error('duplicate'), false],
  ['null', null, false],
  ['undefined', undefined, false],
  ['the code alone, as a string', '23505', false],
])('isUniqueViolation: %s', (_what, err, expected) => {
  expect(isUniqueViolation(err)).toBe(expected);
});
