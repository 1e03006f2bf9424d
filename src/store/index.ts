/** The store's public surface: import from here (or from types.ts for the types alone). */
export {
  DatabaseUrlError,
  DEFAULT_DATABASE_URL,
  type ParsedDatabaseUrl,
  parseDatabaseUrl,
  redactDatabaseUrl,
} from './database-url.js';
export { type StoreLogger, StoreOpenError, TeamScopeError } from './errors.js';
export { migrateDatabase, type OpenStoreOptions, openStore } from './kysely-store.js';
export { LATEST_SCHEMA_VERSION, type MigrationResult } from './migrations.js';
export * from './types.js';
