/** Errors of opening a store, besides DatabaseUrlError (database-url.ts) and StoreConflictError (types.ts). */

/**
 * The store could not be opened: the database is unreachable, refused us, or has a schema newer than this
 * app. The message is one line that names the database without credentials.
 */
export class StoreOpenError extends Error {
  readonly code = 'store_open_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** A short, one-line description of a driver error (pg's connection errors may be AggregateErrors without a message). */
export function describeError(err: unknown): string {
  // Duck-typed rather than instanceof: errors may come from another realm (e.g. jest's module sandbox).
  if (typeof err !== 'object' || err === null) return String(err);
  const { message, code, name, errors } = err as {
    message?: unknown;
    code?: unknown;
    name?: unknown;
    errors?: unknown;
  };
  if (Array.isArray(errors) && errors.length > 0 && !message) {
    return [...new Set(errors.map(describeError))].join('; ');
  }
  const text =
    typeof message === 'string' && message !== ''
      ? message
      : typeof code === 'string'
        ? code
        : typeof name === 'string'
          ? name
          : String(err);
  return text.replace(/\s+/g, ' ').trim();
}

/** True for a unique or primary-key violation on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The logging the store does: a subset of pino's Logger, so a pino logger (or a child of one) fits. */
export interface StoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * A workspace's view of the store (Store.forTeam) was asked to write another workspace's data: a programming
 * error (the caller passed the wrong team), never something a user can cause. Nothing was written.
 */
export class TeamScopeError extends Error {
  readonly code = 'team_scope';
  constructor(scopeTeamId: string, teamId: string | null, what: string) {
    super(`store: the view of team ${scopeTeamId} refused to ${what} for team ${teamId ?? '(none)'}`);
    this.name = 'TeamScopeError';
  }
}
