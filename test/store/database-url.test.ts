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

describe('parseDatabaseUrl: the edges', () => {
  function refusal(url: string): DatabaseUrlError {
    try {
      parseDatabaseUrl(url);
    } catch (e) {
      if (e instanceof DatabaseUrlError) return e;
      throw e;
    }
    throw new Error(`${JSON.stringify(url)} was accepted`);
  }

  test('a refusal is a DatabaseUrlError with its own code and name', () => {
    const err = refusal('mysql://db/app');
    expect(err.code).toBe('bad_database_url');
    expect(err.name).toBe('DatabaseUrlError');
    expect(err).toBeInstanceOf(Error);
  });

  test.each([
    // only a value that starts with the scheme is that engine
    'file:sqlite:./x.sqlite',
    'mysql://db/postgres://x',
    'xpostgres://db/mm',
  ])('%j names no engine, so it is refused with the expected forms', (url) => {
    expect(refusal(url).message).toBe(
      `DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname; got ${JSON.stringify(url)}`,
    );
  });

  test('the scheme is read case-insensitively for Postgres too', () => {
    expect(parseDatabaseUrl('POSTGRESQL://db.internal/mm')).toEqual({
      dialect: 'postgres',
      connectionString: 'POSTGRESQL://db.internal/mm',
    });
  });

  test('an SQLite path with a NUL character is refused', () => {
    expect(refusal('sqlite:./a\0b.sqlite').message).toBe(
      'DATABASE_URL: the sqlite path contains a NUL character',
    );
  });

  test('sqlite: alone names the default as an example', () => {
    expect(refusal('sqlite:').message).toBe(
      'DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/megameeting-slack.sqlite',
    );
  });

  test('a postgres:// URL without a host and without ?host= is refused', () => {
    expect(refusal('postgres:///mm?sslmode=require').message).toBe(
      'DATABASE_URL: the postgres:// URL names no host; got "postgres:///mm?sslmode=require"',
    );
  });

  test('sqlite:// with a host is refused with the value echoed', () => {
    expect(refusal('sqlite://relative/db.sqlite').message).toBe(
      'DATABASE_URL: write sqlite:<path> or sqlite:///absolute/path (an SQLite file has no host); got "sqlite://relative/db.sqlite"',
    );
  });

  test('the echo keeps 120 characters and cuts a longer value with …', () => {
    const prefix = 'mysql://db/';
    const exactly120 = prefix + 'x'.repeat(120 - prefix.length);
    expect(refusal(exactly120).message).toBe(
      `DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname; got "${exactly120}"`,
    );
    const longer = `${exactly120}yz`;
    expect(refusal(longer).message).toBe(
      `DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname; got "${exactly120}…"`,
    );
  });

  test('line breaks and tabs in the value become one space each run', () => {
    expect(refusal('mysql://db/a\r\n\tb\nc').message).toBe(
      'DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname; got "mysql://db/a b c"',
    );
  });
});

describe('redactDatabaseUrl: the edges', () => {
  test.each([
    // an empty userinfo is still userinfo
    ['postgres://@db/mm', 'postgres://***@db/mm'],
    // the scheme is only a scheme at the start: without one, everything up to the last @ is userinfo
    ['root:hunter2@db/app?next=http://x', '***@db/app?next=http://x'],
    ['MYSQL://root:hunter2@db/app', 'MYSQL://***@db/app'],
    ['postgres://u:p@ss@db/mm', 'postgres://***@db/mm'],
    // key=value credentials at the start, after ?, &, ; or whitespace, any case, each of the four keys
    ['password=hunter2 host=db', 'password=*** host=db'],
    ['host=db PASSWORD=hunter2 user=mm', 'host=db PASSWORD=*** user=mm'],
    ['host=db;sslpassword=hunter2;user=mm', 'host=db;sslpassword=***;user=mm'],
    ['postgres://db/mm?sslkey=/k/key.pem&user=mm', 'postgres://db/mm?sslkey=***&user=mm'],
    ['postgres://db/mm?passfile=/home/mm/.pgpass', 'postgres://db/mm?passfile=***'],
    ['host=db\tpassword=a&b', 'host=db\tpassword=***&b'],
    ['postgres://db/mm?password=one&password=two', 'postgres://db/mm?password=***&password=***'],
    // a key that merely ends in password is not one of them
    ['postgres://db/mm?oldpassword=x', 'postgres://db/mm?oldpassword=x'],
  ])('%j -> %j', (url, redacted) => {
    expect(redactDatabaseUrl(url)).toBe(redacted);
  });
});
