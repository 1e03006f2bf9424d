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
  if (err instanceof AggregateError && err.errors.length > 0) {
    return [...new Set(err.errors.map(describeError))].join('; ');
  }
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    const text = err.message || (typeof code === 'string' ? code : err.name);
    return text.replace(/\s+/g, ' ').trim();
  }
  return String(err);
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
