/**
 * DATABASE_URL: which engine and where. Two forms are accepted:
 *
 * - `sqlite:<path>`: an SQLite file, relative to the working directory or absolute
 *   (`sqlite:./data/megameeting-slack.sqlite`, `sqlite:/var/lib/mm/db.sqlite`). The URL form
 *   `sqlite:///var/lib/mm/db.sqlite` (three slashes: an absolute path) and `sqlite::memory:` (a private
 *   in-memory database, gone at close) are accepted too.
 * - `postgres://…` or `postgresql://…`: a libpq-style connection URL handed to a `pg` pool.
 *
 * Anything else throws a {@link DatabaseUrlError} whose message is one line that never contains a password.
 */

export const DEFAULT_DATABASE_URL = 'sqlite:./data/megameeting-slack.sqlite';

export type ParsedDatabaseUrl =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string };

/** A malformed DATABASE_URL. The message is a single line, safe to print: credentials are redacted. */
export class DatabaseUrlError extends Error {
  readonly code = 'bad_database_url';
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

const EXPECTED = 'DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname';
const MAX_ECHO = 120;

/**
 * The URL with every credential replaced by `***`: the userinfo part (`user:password@`) and any
 * `password=` / `sslpassword=` / `sslkey=` query parameter. Safe for logs and error messages.
 */
export function redactDatabaseUrl(url: string): string {
  // Everything up to the last `@` after the scheme is userinfo (`user:password@`, or a token); redacting
  // greedily also covers passwords with unescaped `@` or `/` that a URL parser would misread.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const withoutUserinfo = at >= 0 ? `${scheme}***${rest.slice(at)}` : url;
  // key=value credentials in a query string or a libpq keyword string
  return withoutUserinfo.replace(
    /((?:^|[?&;\s])(?:password|sslpassword|sslkey|passfile)=)[^&;\s]*/gi,
    '$1***',
  );
}

/** What to show of a bad value: redacted, on one line, and not too long. */
function echo(url: string): string {
  const oneLine = redactDatabaseUrl(url).replace(/[\r\n\t]+/g, ' ');
  return JSON.stringify(oneLine.length > MAX_ECHO ? `${oneLine.slice(0, MAX_ECHO)}…` : oneLine);
}

export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const value = url.trim();
  if (value === '') throw new DatabaseUrlError(`${EXPECTED}; got an empty value`);

  if (/^sqlite:/i.test(value)) {
    let path = value.slice('sqlite:'.length);
    if (path.startsWith('//')) {
      // URL form: sqlite:///abs/path. Anything after `//` other than an absolute path would name a host.
      path = path.slice(2);
      if (!path.startsWith('/')) {
        throw new DatabaseUrlError(
          `DATABASE_URL: write sqlite:<path> or sqlite:///absolute/path (an SQLite file has no host); got ${echo(value)}`,
        );
      }
    }
    if (path === '')
      throw new DatabaseUrlError(`DATABASE_URL: sqlite: needs a file path, e.g. ${DEFAULT_DATABASE_URL}`);
    if (path.includes('\0'))
      throw new DatabaseUrlError(`DATABASE_URL: the sqlite path contains a NUL character`);
    return { dialect: 'sqlite', path };
  }

  if (/^postgres(?:ql)?:\/\//i.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL is not a valid postgres:// URL; got ${echo(value)}`);
    }
    // `postgres:///db?host=/run/postgresql` (a Unix socket) has no hostname but names the host in the query.
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new DatabaseUrlError(`DATABASE_URL: the postgres:// URL names no host; got ${echo(value)}`);
    }
    return { dialect: 'postgres', connectionString: value };
  }

  throw new DatabaseUrlError(`${EXPECTED}; got ${echo(value)}`);
}
