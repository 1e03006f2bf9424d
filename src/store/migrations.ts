// Over 300 lines on purpose: an append-only list of migrations, read in order.
/**
 * Versioned schema migrations, in code, run at open (see README.md).
 *
 * A migration is a list of statements built with Kysely's schema builder, so one definition serves both
 * engines. Applied versions are kept in `schema_migrations` (version, name, applied_at).
 *
 * Concurrency: two replicas may start at the same moment.
 * - Postgres: all pending migrations run in ONE transaction that first takes a transaction-scoped advisory
 *   lock (pg_advisory_xact_lock); DDL is transactional, so a second replica waits, then finds nothing left to
 *   do. A crash mid-way rolls everything back.
 * - SQLite: the migrations run synchronously inside `BEGIN IMMEDIATE` (the write lock) on the raw
 *   better-sqlite3 handle; other processes wait through busy_timeout, and other stores in this process cannot
 *   interleave because nothing awaits while the lock is held.
 *
 * Rules for new migrations: append with the next version number; never edit or reorder a released one; keep
 * each statement valid on both engines (branch on `dialect` when they must differ).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { type StoreLogger, StoreOpenError } from './errors.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, in order. `db` is only used to compile them. */
  statements(db: Kysely<Database>, dialect: StoreDialect): CompiledQuery[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: (db) => [
      db.schema
        .createTable('user_links')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('slack_user_id', 'text', (c) => c.notNull())
        .addColumn('login_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('linked_by', 'text')
        .addColumn('linked_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_links_pkey', ['team_id', 'slack_user_id'])
        .compile(),

      db.schema
        .createTable('meetings')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('meet_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('message_ts', 'text')
        .addColumn('card_delivery', 'text', (c) => c.notNull())
        .addColumn('host_slack_user_id', 'text', (c) => c.notNull())
        .addColumn('host_login_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint')
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reminders', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addPrimaryKeyConstraint('meetings_pkey', ['team_id', 'meet_id'])
        .compile(),

      db.schema
        .createTable('guests')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('meet_id', 'text', (c) => c.notNull())
        .addColumn('guest_key', 'text', (c) => c.notNull())
        .addColumn('slack_user_id', 'text')
        .addColumn('email', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text')
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('guests_pkey', ['team_id', 'meet_id', 'guest_key'])
        .compile(),
      // One guest entry per Slack user and per email in a meeting (partial: NULLs are not entries).
      db.schema
        .createIndex('guests_slack_user_uq')
        .on('guests')
        .columns(['team_id', 'meet_id', 'slack_user_id'])
        .unique()
        .where('slack_user_id', 'is not', null)
        .compile(),
      db.schema
        .createIndex('guests_email_uq')
        .on('guests')
        .columns(['team_id', 'meet_id', 'email'])
        .unique()
        .where('email', 'is not', null)
        .compile(),

      db.schema
        .createTable('recordings')
        .addColumn('rec_id', 'text', (c) => c.primaryKey())
        .addColumn('meet_id', 'text', (c) => c.notNull())
        .addColumn('acc_id', 'text', (c) => c.notNull())
        .addColumn('al_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text')
        .addColumn('host_slack_user_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('claimed_by', 'text')
        .addColumn('claim_expires_at', 'bigint')
        .addColumn('notified_channel', 'text')
        .addColumn('notified_ts', 'text')
        .addColumn('notified_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .compile(),

      db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .compile(),
    ],
  },
  {
    version: 2,
    name: 'lookup indexes',
    statements: (db) => [
      // findMeetingByMeetId (any team)
      db.schema.createIndex('meetings_meet_id_idx').on('meetings').column('meet_id').compile(),
      // listMeetingsByHost / listMeetings: soonest first
      db.schema
        .createIndex('meetings_host_start_idx')
        .on('meetings')
        .columns(['team_id', 'host_slack_user_id', 'start_at'])
        .compile(),
      db.schema
        .createIndex('meetings_team_start_idx')
        .on('meetings')
        .columns(['team_id', 'start_at'])
        .compile(),
      // findUserLinksByLoginId (with or without a team)
      db.schema.createIndex('user_links_login_id_idx').on('user_links').column('login_id').compile(),
      // listOpenRecordings, listRecordingsByHost
      db.schema
        .createIndex('recordings_state_idx')
        .on('recordings')
        .columns(['state', 'created_at'])
        .compile(),
      db.schema
        .createIndex('recordings_host_idx')
        .on('recordings')
        .columns(['team_id', 'host_slack_user_id', 'created_at'])
        .compile(),
    ],
  },
  {
    version: 3,
    name: 'meeting absence sightings, handled Slack events',
    statements: (db) => [
      // When MegaMeeting's `meetings` first left out a meeting we think open (null: listed, or never asked).
      db.schema.alterTable('meetings').addColumn('absent_since', 'bigint').compile(),
      // Events API deliveries claimed or handled, by event_id (Slack retries one event up to 3 times).
      db.schema
        .createTable('slack_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .compile(),
      db.schema.createIndex('slack_events_expires_idx').on('slack_events').column('expires_at').compile(),
    ],
  },
  {
    version: 4,
    name: 'meeting intents (crash recovery)',
    statements: (db) => [
      db.schema
        .createTable('meeting_intents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('meeting_name', 'text', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('response_url', 'text')
        .addColumn('before_ids', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('meet_id', 'text')
        .addColumn('message_channel', 'text')
        .addColumn('message_ts', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claim_expires_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .compile(),
      // The recovery sweep: unfinished intents whose claim has lapsed.
      db.schema
        .createIndex('meeting_intents_state_idx')
        .on('meeting_intents')
        .columns(['state', 'claim_expires_at'])
        .compile(),
    ],
  },
  {
    version: 5,
    name: 'admin requests (login requests, offboarding)',
    statements: (db) => [
      db.schema
        .createTable('admin_requests')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject_user_id', 'text', (c) => c.notNull())
        .addColumn('subject_name', 'text', (c) => c.notNull())
        .addColumn('subject_email', 'text')
        .addColumn('login_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'bigint')
        .addColumn('messages', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claim_expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        // One current request per person and kind: a new one replaces it only once decided or expired.
        .addPrimaryKeyConstraint('admin_requests_pkey', ['team_id', 'kind', 'subject_user_id'])
        .compile(),
    ],
  },
  {
    version: 6,
    name: 'slack calls of meetings',
    statements: (db) => [
      // The Slack call (calls.add) of a meeting's card: its R… id and where it stands (see MeetingCallState).
      db.schema.alterTable('meetings').addColumn('call_id', 'text').compile(),
      db.schema.alterTable('meetings').addColumn('call_state', 'text').compile(),
      // The calls sweep: calls still to end (state 'added' or a stale 'ending').
      db.schema
        .createIndex('meetings_call_state_idx')
        .on('meetings')
        .columns(['call_state', 'status'])
        .compile(),
    ],
  },
  {
    version: 7,
    name: 'slack installations and the encryption key check',
    statements: (db) => [
      // Multi-workspace mode: one row per workspace (T:…) or org-wide install (E:…); tokens encrypted.
      db.schema
        .createTable('slack_installations')
        .addColumn('install_key', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text')
        .addColumn('team_name', 'text')
        .addColumn('enterprise_id', 'text')
        .addColumn('enterprise_name', 'text')
        .addColumn('is_enterprise_install', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('app_id', 'text')
        .addColumn('bot_id', 'text')
        .addColumn('bot_user_id', 'text', (c) => c.notNull())
        .addColumn('bot_scopes', 'text', (c) => c.notNull())
        .addColumn('bot_token', 'text', (c) => c.notNull())
        .addColumn('bot_refresh_token', 'text')
        .addColumn('bot_expires_at', 'bigint')
        .addColumn('user_id', 'text')
        .addColumn('user_scopes', 'text')
        .addColumn('user_token', 'text')
        .addColumn('user_refresh_token', 'text')
        .addColumn('user_expires_at', 'bigint')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('installed_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .compile(),
      db.schema
        .createTable('key_checks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .compile(),
    ],
  },
  {
    version: 8,
    name: 'home tab viewers',
    statements: (db) => [
      // One row per user who opened Home: republishing for everyone a change touches cost MegaMeeting reads and
      // a views.publish per /meet even for people who never look at the tab.
      db.schema
        .createTable('home_viewers')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('home_viewers_pkey', ['team_id', 'user_id'])
        .compile(),
    ],
  },
  {
    version: 9,
    name: 'megameeting connections (multi-workspace mode)',
    statements: (db) => [
      // Each workspace's own MegaMeeting account; api_token holds SecretBox ciphertext only (connections.ts).
      db.schema
        .createTable('megameeting_connections')
        .addColumn('team_id', 'text', (c) => c.primaryKey())
        .addColumn('account_url', 'text', (c) => c.notNull())
        .addColumn('api_token', 'text', (c) => c.notNull())
        .addColumn('login_id', 'text', (c) => c.notNull())
        .addColumn('login_email', 'text', (c) => c.notNull())
        .addColumn('connected_by', 'text', (c) => c.notNull())
        .addColumn('connected_at', 'bigint', (c) => c.notNull())
        .compile(),
    ],
  },
  {
    version: 10,
    name: 'uninstalled workspaces',
    statements: (db) => [
      // Multi-workspace mode: when a workspace uninstalled (until a re-install, or the purge after retention).
      db.schema
        .createTable('uninstalled_workspaces')
        .addColumn('team_id', 'text', (c) => c.primaryKey())
        .addColumn('uninstalled_at', 'bigint', (c) => c.notNull())
        .compile(),
    ],
  },
  {
    version: 11,
    name: 'recordings per scope (workspace)',
    // recIds are per MegaMeeting account: two workspaces (two accounts, or one shared) each keep their own record
    // of a recId. Existing rows go to scope '' (the unscoped store of single-workspace mode).
    statements: (db, dialect) =>
      dialect === 'sqlite' ? sqliteRecordingsByScope(db) : postgresRecordingsByScope(db),
  },
];

/** The recordings indexes of migration 2, with the scope first (every recordings query names its scope). */
function recordingIndexesByScope(db: Kysely<Database>): CompiledQuery[] {
  return [
    db.schema
      .createIndex('recordings_state_idx')
      .on('recordings')
      .columns(['scope', 'state', 'created_at'])
      .compile(),
    db.schema
      .createIndex('recordings_host_idx')
      .on('recordings')
      .columns(['scope', 'team_id', 'host_slack_user_id', 'created_at'])
      .compile(),
  ];
}

function postgresRecordingsByScope(db: Kysely<Database>): CompiledQuery[] {
  return [
    db.schema
      .alterTable('recordings')
      .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
      .compile(),
    db.schema.alterTable('recordings').dropConstraint('recordings_pkey').compile(),
    db.schema
      .alterTable('recordings')
      .addPrimaryKeyConstraint('recordings_pkey', ['scope', 'rec_id'])
      .compile(),
    db.schema.dropIndex('recordings_state_idx').compile(),
    db.schema.dropIndex('recordings_host_idx').compile(),
    ...recordingIndexesByScope(db),
  ];
}

/** The columns of recordings before migration 11, copied as they are by the SQLite rebuild. */
const RECORDING_COLUMNS_V10 = [
  'rec_id',
  'meet_id',
  'acc_id',
  'al_id',
  'team_id',
  'host_slack_user_id',
  'state',
  'attempts',
  'next_attempt_at',
  'claimed_by',
  'claim_expires_at',
  'notified_channel',
  'notified_ts',
  'notified_at',
  'last_error',
  'created_at',
  'updated_at',
];

/**
 * SQLite cannot change a primary key: a new table with the composite key (same columns and types, scope last as
 * Postgres adds it), the rows copied, the old table (and its indexes) dropped, the new one renamed.
 */
function sqliteRecordingsByScope(db: Kysely<Database>): CompiledQuery[] {
  const cols = sql.join(RECORDING_COLUMNS_V10.map((c) => sql.ref(c)));
  return [
    sql`create table recordings_v11 (
      rec_id text not null, meet_id text not null, acc_id text not null, al_id text not null, team_id text,
      host_slack_user_id text, state text not null, attempts integer default 0 not null, next_attempt_at bigint,
      claimed_by text, claim_expires_at bigint, notified_channel text, notified_ts text, notified_at bigint,
      last_error text, created_at bigint not null, updated_at bigint not null, scope text default '' not null,
      constraint recordings_pkey primary key (scope, rec_id))`.compile(db),
    sql`insert into recordings_v11 (${cols}, scope) select ${cols}, '' from recordings`.compile(db),
    db.schema.dropTable('recordings').compile(),
    db.schema.alterTable('recordings_v11').renameTo('recordings').compile(),
    ...recordingIndexesByScope(db),
  ];
}

export const LATEST_SCHEMA_VERSION: number = Math.max(...MIGRATIONS.map((m) => m.version));

/** Arbitrary but fixed key of the Postgres advisory lock that serialises migrations (per database). */
const PG_MIGRATION_LOCK_KEY = 4_712_339_901;

export type MigrationTarget =
  | { dialect: 'sqlite'; db: Kysely<Database>; raw: BetterSqlite3.Database }
  | { dialect: 'postgres'; db: Kysely<Database> };

export interface MigrationResult {
  /** Highest version applied before this run (0: empty database). */
  from: number;
  /** Highest version applied after it. */
  to: number;
  /** Versions this run applied (empty when another replica, or an earlier start, already had). */
  applied: number[];
}

export interface MigrateOptions {
  /** Stop after this version (tests of upgrades, tools). Default: the latest. */
  targetVersion?: number;
  logger?: StoreLogger;
}

function createSchemaMigrations(db: Kysely<Database>): CompiledQuery {
  return db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .compile();
}

function plan(appliedVersions: number[], targetVersion: number): { from: number; pending: Migration[] } {
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = appliedVersions.filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new StoreOpenError(
      `the database has schema version ${Math.max(...unknown)}, newer than this app knows ` +
        `(${LATEST_SCHEMA_VERSION}); run a newer release of the app or point DATABASE_URL elsewhere`,
    );
  }
  const done = new Set(appliedVersions);
  return {
    from: Math.max(0, ...appliedVersions),
    pending: MIGRATIONS.filter((m) => !done.has(m.version) && m.version <= targetVersion).sort(
      (a, b) => a.version - b.version,
    ),
  };
}

function recordVersion(db: Kysely<Database>, m: Migration): CompiledQuery {
  return db
    .insertInto('schema_migrations')
    .values({ version: m.version, name: m.name, applied_at: Date.now() })
    .compile();
}

/** Brings the database to `targetVersion` (default: latest). Safe to call from several replicas at once. */
export async function migrate(target: MigrationTarget, opts: MigrateOptions = {}): Promise<MigrationResult> {
  const targetVersion = opts.targetVersion ?? LATEST_SCHEMA_VERSION;
  const { db } = target;
  let result: MigrationResult;

  if (target.dialect === 'sqlite') {
    const { raw } = target;
    const run = (q: CompiledQuery) => raw.prepare(q.sql).run(q.parameters as unknown[]);
    // Synchronous from BEGIN IMMEDIATE to COMMIT: nothing else in this process can run in between.
    const tx = raw.transaction((): MigrationResult => {
      run(createSchemaMigrations(db));
      const rows = raw.prepare('select version from schema_migrations').all() as { version: number }[];
      const { from, pending } = plan(
        rows.map((r) => Number(r.version)),
        targetVersion,
      );
      for (const m of pending) {
        for (const q of m.statements(db, 'sqlite')) run(q);
        run(recordVersion(db, m));
      }
      const applied = pending.map((m) => m.version);
      return { from, to: Math.max(from, ...applied), applied };
    });
    result = tx.immediate();
  } else {
    result = await db.transaction().execute(async (trx) => {
      // Wait at most this long for another replica's migration (or any lock) before failing start-up.
      await sql`set local lock_timeout = '120s'`.execute(trx);
      await sql`select pg_advisory_xact_lock(${sql.lit(PG_MIGRATION_LOCK_KEY)})`.execute(trx);
      await trx.executeQuery(createSchemaMigrations(db));
      const rows = await trx.selectFrom('schema_migrations').select('version').execute();
      const { from, pending } = plan(
        rows.map((r) => Number(r.version)),
        targetVersion,
      );
      for (const m of pending) {
        for (const q of m.statements(db, 'postgres')) await trx.executeQuery(q);
        await trx.executeQuery(recordVersion(db, m));
      }
      const applied = pending.map((m) => m.version);
      return { from, to: Math.max(from, ...applied), applied };
    });
  }

  if (result.applied.length > 0) {
    opts.logger?.info(
      { dialect: target.dialect, from: result.from, to: result.to, applied: result.applied },
      'store: schema migrated',
    );
  }
  return result;
}
