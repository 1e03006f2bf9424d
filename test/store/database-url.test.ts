import { DatabaseUrlError, parseDatabaseUrl, redactDatabaseUrl } from '../../src/store/index.js';

describe('parseDatabaseUrl', () => {
  test.each([
    ['sqlite:./data/megameeting-slack.sqlite', './data/megameeting-slack.sqlite'],
    ['sqlite:data/x.db', 'data/x.db'],
    ['sqlite:/var/lib/mm/db.sqlite', '/var/lib/mm/db.sqlite'],
    ['sqlite:///var/lib/mm/db.sqlite', '/var/lib/mm/db.sqlite'],
    ['sqlite::memory:', ':memory:'],
    ['  sqlite:./padded.sqlite  ', './padded.sqlite'],
    ['SQLITE:./upper.sqlite', './upper.sqlite'],
  ])('%s is SQLite at %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  test.each([
    'postgres://user:pw@db.internal:5432/megameeting',
    'postgresql://db.internal/megameeting?sslmode=require',
    'postgres://postgres@127.0.0.1:5432/postgres',
    'postgres:///megameeting?host=/var/run/postgresql',
  ])('%s is Postgres', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
  });

  test.each([
    ['', /^DATABASE_URL must be sqlite:<path> or postgres:\/\/.+; got an empty value$/],
    [
      'mysql://root@db/app',
      /^DATABASE_URL must be sqlite:<path> or postgres:\/\/.+; got "mysql:\/\/\*\*\*@db\/app"$/,
    ],
    ['./data/db.sqlite', /; got "\.\/data\/db\.sqlite"$/],
    ['sqlite:', /^DATABASE_URL: sqlite: needs a file path/],
    ['sqlite://relative/db.sqlite', /^DATABASE_URL: write sqlite:<path> or sqlite:\/\/\/absolute\/path/],
    ['postgres://', /^DATABASE_URL: .*(not a valid|names no host)/],
    [
      'postgres://user:pw@host:notaport/db',
      /^DATABASE_URL is not a valid postgres:\/\/ URL; got "postgres:\/\/\*\*\*@host:notaport\/db"$/,
    ],
  ])('%j is refused with one clear line', (url, message) => {
    let err: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseUrlError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  test.each([
    'mysql://root:hunter2@db/app',
    'postgres://user:hunter2@host:notaport/db',
    'postgres://user:hun/ter2@host/db', // unescaped slash: not a parseable URL
    'root:hunter2@db/app',
    'redis://db/app?password=hunter2',
    'host=db user=mm password=hunter2',
    `mysql://root:hunter2@db/${'x'.repeat(300)}`,
    'mysql://root:hunter2@db/app\nsecond line',
  ])('the password never shows in the error for %j', (url) => {
    let message = '';
    try {
      parseDatabaseUrl(url);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('hun/ter2');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(260);
  });
});

describe('redactDatabaseUrl', () => {
  test.each([
    ['postgres://user:secret@db:5432/mm', 'postgres://***@db:5432/mm'],
    ['postgres://token@db/mm', 'postgres://***@db/mm'],
    ['postgres://db/mm', 'postgres://db/mm'],
    ['postgres://db/mm?sslmode=require&password=secret', 'postgres://db/mm?sslmode=require&password=***'],
    ['sqlite:./data/x.sqlite', 'sqlite:./data/x.sqlite'],
  ])('%s -> %s', (url, redacted) => {
    expect(redactDatabaseUrl(url)).toBe(redacted);
  });
});
