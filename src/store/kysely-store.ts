// Over 300 lines on purpose: the one implementation of the Store interface for both dialects, checked by one
// contract suite on SQLite and Postgres.
/**
 * The one Store implementation: Kysely over better-sqlite3 (sqlite:<path>) or a pg Pool (postgres://…).
 * Every operation is a single SQL statement, so both engines give the same atomicity without transactions
 * at run time; the exactly-once guarantees rest on conditional UPDATEs and ON CONFLICT clauses (README.md).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Sqlite from 'better-sqlite3';
import {
  type Expression,
  type Insertable,
  Kysely,
  PostgresDialect,
  type Selectable,
  type SqlBool,
  sql,
  type UpdateObject,
} from 'kysely';
import type pg from 'pg';
import type { SecretBox } from '../secrets/index.js';
import { AdminRequestTable } from './admin-requests.js';
import { checkTtl, claimOpen } from './claims.js';
import { ConnectionTable } from './connections.js';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';
import {
  describeError,
  isUniqueViolation,
  type StoreLogger,
  StoreOpenError,
  TeamScopeError,
} from './errors.js';
import { InstallationTable } from './installations.js';
import { IntentTable } from './intents.js';
import { type MigrateOptions, type MigrationResult, type MigrationTarget, migrate } from './migrations.js';
import type { Database, GuestsTable, MeetingsTable, RecordingsTable, UserLinksTable } from './schema.js';
import { startCheckpointerLater } from './sqlite-checkpointer.js';
import {
  configureSqlite,
  QueuedSqliteDialect,
  SQLITE_BUSY_TIMEOUT_MS,
  withStatementCache,
} from './sqlite-connection.js';
import { inTeam } from './team-scope.js';
import {
  type AdminMessageRef,
  type AdminRequest,
  type AdminRequestDecision,
  type CardDelivery,
  type ConnectionRepository,
  type GuestRecord,
  type GuestRole,
  type InstallationRepository,
  type IntentPatch,
  type IntentProgress,
  type Lease,
  type LinkSource,
  type MeetingCallState,
  type MeetingIntent,
  type MeetingKind,
  type MeetingPatch,
  type MeetingRecord,
  type MeetingStatus,
  type NewAdminRequest,
  type NewMeeting,
  type NewMeetingIntent,
  type NewRecording,
  type RecordingPatch,
  type RecordingRecord,
  type RecordingState,
  type ScheduledReminder,
  type Store,
  StoreConflictError,
  type UninstalledWorkspace,
  type UserLink,
  type WorkspacePurgeCounts,
} from './types.js';
import { WorkspaceRetentionTable } from './workspace-retention.js';

export interface OpenStoreOptions {
  logger?: StoreLogger;
  /** Postgres pool size (default 10). */
  poolSize?: number;
}

export { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connection.js';

/** States from which a recording is finished with: never claimed again, not listed as open. */
const FINISHED_STATES: RecordingState[] = ['notified', 'skipped', 'deleted'];

// ---------------------------------------------------------------------------------------------------------
// Opening

interface Connection {
  target: MigrationTarget;
  /** Human-readable, credential-free name of the database, for messages. */
  where: string;
  destroy(): Promise<void>;
}

/** pg returns BIGINT (int8, OID 20) as a string; our BIGINTs are epoch ms and counts, exact as numbers. */
const PG_INT8_OID = 20;
function pgTypesOf(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === PG_INT8_OID && format !== 'binary'
        ? (value: string) => Number(value)
        : types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** Each driver is loaded only for its own dialect: a SQLite deployment never loads pg, and the reverse. */
async function connect(databaseUrl: string, opts: OpenStoreOptions): Promise<Connection> {
  const parsed = parseDatabaseUrl(databaseUrl);
  if (parsed.dialect === 'sqlite') {
    const { default: Sqlite } = await import('better-sqlite3');
    const file = parsed.path === ':memory:' ? ':memory:' : resolve(parsed.path);
    let raw: Sqlite.Database;
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      raw = new Sqlite(file);
    } catch (err) {
      throw new StoreOpenError(`cannot open the SQLite database ${file}: ${describeError(err)}`, {
        cause: err,
      });
    }
    try {
      configureSqlite(raw);
    } catch (err) {
      raw.close();
      throw new StoreOpenError(`cannot open the SQLite database ${file}: ${describeError(err)}`, {
        cause: err,
      });
    }
    // Checkpoints (and their fsyncs) off the event loop; an in-memory database has no WAL.
    const checkpointer =
      file === ':memory:'
        ? null
        : startCheckpointerLater(file, raw, {
            busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
            onProblem: (message) => opts.logger?.warn({}, `store: ${message}`),
          });
    const db = new Kysely<Database>({
      dialect: new QueuedSqliteDialect({ database: withStatementCache(raw) }),
    });
    return {
      target: { dialect: 'sqlite', db, raw },
      where: `sqlite:${file}`,
      destroy: async () => {
        await checkpointer?.stop();
        await db.destroy();
        // Kysely only closes what its driver initialised (lazily, at the first query).
        if (raw.open) raw.close();
      },
    };
  }

  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: parsed.connectionString,
    types: pgTypesOf(pg.types),
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // A stalled server must not hold pool connections (and every Slack handler behind them) forever.
    statement_timeout: 15_000,
  });
  // Without a listener, an idle client's error (e.g. the server restarted) would crash the process.
  pool.on('error', (err) => {
    opts.logger?.warn({ err: describeError(err) }, 'store: an idle Postgres connection failed');
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    target: { dialect: 'postgres', db },
    where: redactDatabaseUrl(parsed.connectionString),
    destroy: async () => {
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

async function connectAndMigrate(
  databaseUrl: string,
  opts: OpenStoreOptions & Pick<MigrateOptions, 'targetVersion'>,
): Promise<{ conn: Connection; migration: MigrationResult }> {
  const conn = await connect(databaseUrl, opts);
  try {
    const migration = await migrate(conn.target, { logger: opts.logger, targetVersion: opts.targetVersion });
    return { conn, migration };
  } catch (err) {
    await conn.destroy().catch(() => {});
    if (err instanceof StoreOpenError) throw err;
    throw new StoreOpenError(`cannot open the store at ${conn.where}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * Opens the store named by a DATABASE_URL, bringing its schema to the latest version first.
 * Throws DatabaseUrlError for a malformed URL and StoreOpenError when the database cannot be used; both carry
 * one credential-free line.
 */
export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const { conn, migration } = await connectAndMigrate(databaseUrl, opts);
  opts.logger?.debug(
    { dialect: conn.target.dialect, database: conn.where, schemaVersion: migration.to },
    'store: opened',
  );
  return new KyselyStore(conn, opts.logger);
}

/**
 * Migrates the database named by a DATABASE_URL (to `targetVersion`, default latest) and closes it again.
 * For tools and for tests of upgrades; the app itself just calls openStore.
 */
export async function migrateDatabase(
  databaseUrl: string,
  opts: { targetVersion?: number; logger?: StoreLogger } = {},
): Promise<MigrationResult> {
  const { conn, migration } = await connectAndMigrate(databaseUrl, opts);
  await conn.destroy();
  return migration;
}

// ---------------------------------------------------------------------------------------------------------
// Conversions between rows and records

function toMs(d: Date): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new TypeError('store: invalid Date');
  return t;
}
const toMsOrNull = (d: Date | null | undefined): number | null => (d == null ? null : toMs(d));
/** Number() as well: a BIGINT may arrive as a string or bigint from a driver configured differently. */
const toDate = (v: number | string | bigint): Date => new Date(Number(v));
const toDateOrNull = (v: number | string | bigint | null): Date | null => (v == null ? null : toDate(v));

function remindersToJson(reminders: ScheduledReminder[]): string {
  return JSON.stringify(
    reminders.map((r) => ({
      channelId: r.channelId,
      scheduledMessageId: r.scheduledMessageId,
      postAt: new Date(toMs(r.postAt)).toISOString(),
    })),
  );
}

function remindersFromJson(text: string): ScheduledReminder[] {
  const list = JSON.parse(text) as { channelId: string; scheduledMessageId: string; postAt: string }[];
  return list.map((r) => ({
    channelId: r.channelId,
    scheduledMessageId: r.scheduledMessageId,
    postAt: new Date(r.postAt),
  }));
}

function rowToUserLink(r: Selectable<UserLinksTable>): UserLink {
  return {
    teamId: r.team_id,
    slackUserId: r.slack_user_id,
    loginId: r.login_id,
    email: r.email,
    source: r.source as LinkSource,
    linkedBy: r.linked_by,
    linkedAt: toDate(r.linked_at),
  };
}

function rowToMeeting(r: Selectable<MeetingsTable>): MeetingRecord {
  return {
    teamId: r.team_id,
    meetId: r.meet_id,
    channelId: r.channel_id,
    messageTs: r.message_ts,
    cardDelivery: r.card_delivery as CardDelivery,
    hostSlackUserId: r.host_slack_user_id,
    hostLoginId: r.host_login_id,
    title: r.title,
    kind: r.kind as MeetingKind,
    startAt: toDate(r.start_at),
    endAt: toDateOrNull(r.end_at),
    timeZone: r.time_zone,
    status: r.status as MeetingStatus,
    reminders: remindersFromJson(r.reminders),
    options: JSON.parse(r.options) as Record<string, boolean>,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    endedAt: toDateOrNull(r.ended_at),
    absentSince: toDateOrNull(r.absent_since),
    callId: r.call_id,
    callState: r.call_state as MeetingCallState | null,
  };
}

function rowToGuest(r: Selectable<GuestsTable>): GuestRecord {
  return {
    teamId: r.team_id,
    meetId: r.meet_id,
    slackUserId: r.slack_user_id,
    email: r.email,
    name: r.name,
    permissions: JSON.parse(r.permissions) as string[],
    role: r.role as GuestRole,
    guestKey: r.guest_key,
    addedBy: r.added_by,
    addedAt: toDate(r.added_at),
  };
}

/** The row of a recording first stored (seen by the poller, or deleted from Slack before it was). */
function newRecordingRow(
  scope: string,
  rec: NewRecording,
  state: RecordingState,
  nowMs: number,
): Insertable<RecordingsTable> {
  return {
    scope,
    rec_id: rec.recId,
    meet_id: rec.meetId,
    acc_id: rec.accId,
    al_id: rec.alId,
    team_id: rec.teamId ?? null,
    host_slack_user_id: rec.hostSlackUserId ?? null,
    state,
    attempts: 0,
    created_at: nowMs,
    updated_at: nowMs,
  };
}

function rowToRecording(r: Selectable<RecordingsTable>): RecordingRecord {
  return {
    recId: r.rec_id,
    meetId: r.meet_id,
    accId: r.acc_id,
    alId: r.al_id,
    teamId: r.team_id,
    hostSlackUserId: r.host_slack_user_id,
    state: r.state as RecordingState,
    attempts: Number(r.attempts),
    nextAttemptAt: toDateOrNull(r.next_attempt_at),
    claimedBy: r.claimed_by,
    claimExpiresAt: toDateOrNull(r.claim_expires_at),
    notifiedChannel: r.notified_channel,
    notifiedTs: r.notified_ts,
    notifiedAt: toDateOrNull(r.notified_at),
    lastError: r.last_error,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The store

/**
 * The unscoped store (`team` null: every team, recordings of scope '') or one team's view of it (Store.forTeam):
 * the same class on the same connection. A view narrows the "any team" queries with `inTeam` (team-scope.ts),
 * answers reads for another team with nothing (`sees`) and refuses writes for one (`mustOwn`).
 */
class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  private readonly db: Kysely<Database>;
  private closing: Promise<void> | null = null;
  private readonly intents: IntentTable;
  private readonly adminRequests: AdminRequestTable;
  private readonly retention: WorkspaceRetentionTable;
  /** The recordings this store sees: its team's, or '' (single-workspace mode's, and every row before v11). */
  private readonly recScope: string;

  constructor(
    private readonly conn: Connection,
    private readonly logger?: StoreLogger,
    private readonly team: string | null = null,
  ) {
    this.dialect = conn.target.dialect;
    this.db = conn.target.db;
    this.intents = new IntentTable(this.db, team);
    this.adminRequests = new AdminRequestTable(this.db, team);
    this.retention = new WorkspaceRetentionTable(conn.target);
    this.recScope = team ?? '';
  }

  forTeam(teamId: string): Store {
    if (this.team !== null) {
      if (teamId === this.team) return this;
      throw new TeamScopeError(this.team, teamId, 'open a view');
    }
    // '' is the unscoped store's own recordings scope: a view with it would share them.
    if (teamId === '') throw new RangeError('store: forTeam needs a team ID');
    return new KyselyStore(this.conn, this.logger, teamId);
  }

  /** Whether this store may read `teamId`'s rows: always unscoped; a view only its own team's. */
  private sees(teamId: string): boolean {
    return this.team === null || teamId === this.team;
  }

  /** Throws TeamScopeError (before any SQL) when a view is asked to write another team's rows. */
  private mustOwn(teamId: string | null | undefined, what: string): void {
    if (this.team !== null && teamId != null && teamId !== this.team) {
      throw new TeamScopeError(this.team, teamId, what);
    }
  }

  // --- User links -----------------------------------------------------------------------------------------

  async getUserLink(teamId: string, slackUserId: string): Promise<UserLink | null> {
    if (!this.sees(teamId)) return null;
    const row = await this.db
      .selectFrom('user_links')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('slack_user_id', '=', slackUserId)
      .executeTakeFirst();
    return row ? rowToUserLink(row) : null;
  }

  async findUserLinksByLoginId(teamId: string | null, loginId: string): Promise<UserLink[]> {
    if (teamId !== null && !this.sees(teamId)) return [];
    // null: every team, or the view's own.
    let q = inTeam(this.db.selectFrom('user_links').selectAll().where('login_id', '=', loginId), this.team);
    if (teamId !== null) q = q.where('team_id', '=', teamId);
    const rows = await q.orderBy('team_id').orderBy('linked_at').orderBy('slack_user_id').execute();
    return rows.map(rowToUserLink);
  }

  async upsertUserLink(link: UserLink): Promise<UserLink> {
    this.mustOwn(link.teamId, 'write a user link');
    const row = await this.db
      .insertInto('user_links')
      .values({
        team_id: link.teamId,
        slack_user_id: link.slackUserId,
        login_id: link.loginId,
        email: link.email?.toLowerCase() ?? null,
        source: link.source,
        linked_by: link.linkedBy,
        linked_at: toMs(link.linkedAt),
      })
      .onConflict((oc) =>
        oc.columns(['team_id', 'slack_user_id']).doUpdateSet((eb) => ({
          login_id: eb.ref('excluded.login_id'),
          email: eb.ref('excluded.email'),
          source: eb.ref('excluded.source'),
          linked_by: eb.ref('excluded.linked_by'),
          linked_at: eb.ref('excluded.linked_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToUserLink(row);
  }

  async deleteUserLink(teamId: string, slackUserId: string): Promise<boolean> {
    this.mustOwn(teamId, 'delete a user link');
    const res = await this.db
      .deleteFrom('user_links')
      .where('team_id', '=', teamId)
      .where('slack_user_id', '=', slackUserId)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  // --- Meetings -------------------------------------------------------------------------------------------

  async insertMeeting(meeting: NewMeeting): Promise<MeetingRecord> {
    this.mustOwn(meeting.teamId, 'insert a meeting');
    const createdAt = toMs(meeting.createdAt ?? new Date());
    try {
      const row = await this.db
        .insertInto('meetings')
        .values({
          team_id: meeting.teamId,
          meet_id: meeting.meetId,
          channel_id: meeting.channelId,
          message_ts: meeting.messageTs,
          card_delivery: meeting.cardDelivery,
          host_slack_user_id: meeting.hostSlackUserId,
          host_login_id: meeting.hostLoginId,
          title: meeting.title,
          kind: meeting.kind,
          start_at: toMs(meeting.startAt),
          end_at: toMsOrNull(meeting.endAt),
          time_zone: meeting.timeZone,
          status: meeting.status,
          reminders: remindersToJson(meeting.reminders),
          options: JSON.stringify(meeting.options),
          created_at: createdAt,
          updated_at: createdAt,
          ended_at: null,
          absent_since: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToMeeting(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new StoreConflictError(`meeting ${meeting.meetId} of team ${meeting.teamId} already exists`);
      }
      throw err;
    }
  }

  async getMeeting(teamId: string, meetId: string): Promise<MeetingRecord | null> {
    if (!this.sees(teamId)) return null;
    const row = await this.db
      .selectFrom('meetings')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .executeTakeFirst();
    return row ? rowToMeeting(row) : null;
  }

  async findMeetingByMeetId(meetId: string): Promise<MeetingRecord | null> {
    // A meetId belongs to one MegaMeeting account; should two teams share one, the newest record wins.
    const row = await inTeam(this.db.selectFrom('meetings').selectAll(), this.team)
      .where('meet_id', '=', meetId)
      .orderBy('created_at', 'desc')
      .orderBy('team_id')
      .limit(1)
      .executeTakeFirst();
    return row ? rowToMeeting(row) : null;
  }

  /**
   * Applies the fields present in `patch` (undefined = leave alone, null = clear) and stamps updatedAt.
   * Setting status 'ended' without an endedAt stamps endedAt = now unless it is already set.
   */
  async updateMeeting(
    teamId: string,
    meetId: string,
    patch: MeetingPatch,
    now: Date = new Date(),
  ): Promise<MeetingRecord | null> {
    this.mustOwn(teamId, 'update a meeting');
    const nowMs = toMs(now);
    const set: UpdateObject<Database, 'meetings'> = { updated_at: nowMs };
    if (patch.channelId !== undefined) set.channel_id = patch.channelId;
    if (patch.messageTs !== undefined) set.message_ts = patch.messageTs;
    if (patch.cardDelivery !== undefined) set.card_delivery = patch.cardDelivery;
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.startAt !== undefined) set.start_at = toMs(patch.startAt);
    if (patch.endAt !== undefined) set.end_at = toMsOrNull(patch.endAt);
    if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.reminders !== undefined) set.reminders = remindersToJson(patch.reminders);
    if (patch.options !== undefined) set.options = JSON.stringify(patch.options);
    if (patch.endedAt !== undefined) set.ended_at = toMsOrNull(patch.endedAt);
    else if (patch.status === 'ended') set.ended_at = sql<number>`coalesce(ended_at, ${nowMs})`;
    if (patch.absentSince !== undefined) set.absent_since = toMsOrNull(patch.absentSince);
    if (patch.callId !== undefined) set.call_id = patch.callId;
    if (patch.callState !== undefined) set.call_state = patch.callState;

    const row = await this.db
      .updateTable('meetings')
      .set(set)
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .returningAll()
      .executeTakeFirst();
    return row ? rowToMeeting(row) : null;
  }

  async listMeetingsByHost(
    teamId: string,
    hostSlackUserId: string,
    statuses: MeetingStatus[],
  ): Promise<MeetingRecord[]> {
    const q = this.meetingsIn(teamId, statuses);
    return q ? (await q.where('host_slack_user_id', '=', hostSlackUserId).execute()).map(rowToMeeting) : [];
  }

  /** A team's meetings in `statuses`, soonest first; null when there is nothing to ask (none, another team). */
  private meetingsIn(teamId: string, statuses: MeetingStatus[]) {
    if (!this.sees(teamId) || statuses.length === 0) return null;
    return this.db
      .selectFrom('meetings')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('status', 'in', statuses)
      .orderBy('start_at')
      .orderBy('meet_id');
  }

  /** Meetings starting after `from` and at or before `to`, soonest first, at most `limit` (callers narrow it). */
  private meetingsStartingBetween(from: Date, to: Date, limit: number) {
    return inTeam(this.db.selectFrom('meetings').selectAll(), this.team)
      .where('start_at', '>', toMs(from))
      .where('start_at', '<=', toMs(to))
      .orderBy('start_at')
      .orderBy('meet_id')
      .limit(limit);
  }

  async listMeetingsWithoutReminder(from: Date, to: Date, limit: number): Promise<MeetingRecord[]> {
    const rows = await this.meetingsStartingBetween(from, to, limit)
      .where('status', '=', 'scheduled')
      .where('reminders', '=', remindersToJson([]))
      .where('channel_id', 'is not', null)
      .where('card_delivery', '!=', 'response_url')
      .execute();
    return rows.map(rowToMeeting);
  }

  async moveMeetingCall(
    teamId: string,
    meetId: string,
    from: MeetingCallState | null,
    patch: { callState: MeetingCallState; callId?: string | null },
    now: Date,
  ): Promise<MeetingRecord | null> {
    this.mustOwn(teamId, 'move a meeting call');
    const set: UpdateObject<Database, 'meetings'> = { updated_at: toMs(now), call_state: patch.callState };
    if (patch.callId !== undefined) set.call_id = patch.callId;
    const row = await this.db
      .updateTable('meetings')
      .set(set)
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .where('call_state', from === null ? 'is' : '=', from)
      .returningAll()
      .executeTakeFirst();
    return row ? rowToMeeting(row) : null;
  }

  async listMeetingsDueForCall(from: Date, to: Date, limit: number): Promise<MeetingRecord[]> {
    const rows = await this.meetingsStartingBetween(from, to, limit)
      .where('kind', '=', 'scheduled')
      .where('status', '!=', 'ended')
      .where('call_state', 'is', null)
      .where('channel_id', 'is not', null)
      .where('card_delivery', '=', 'chat')
      .execute();
    return rows.map(rowToMeeting);
  }

  async listMeetingsWithCallToEnd(
    staleBefore: Date,
    overBefore: Date,
    limit: number,
  ): Promise<MeetingRecord[]> {
    const rows = await inTeam(this.db.selectFrom('meetings').selectAll(), this.team)
      .where((eb) => eb.or([eb('status', '=', 'ended'), eb('end_at', '<', toMs(overBefore))]))
      .where('call_id', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('call_state', '=', 'added'),
          eb.and([eb('call_state', '=', 'ending'), eb('updated_at', '<', toMs(staleBefore))]),
        ]),
      )
      .orderBy('updated_at')
      .orderBy('meet_id')
      .limit(limit)
      .execute();
    return rows.map(rowToMeeting);
  }

  async listMeetings(teamId: string, statuses: MeetingStatus[]): Promise<MeetingRecord[]> {
    const q = this.meetingsIn(teamId, statuses);
    return q ? (await q.execute()).map(rowToMeeting) : [];
  }

  // --- Guests ---------------------------------------------------------------------------------------------

  /**
   * Inserts, or replaces every field of the guest with the same (teamId, meetId, guestKey). Throws
   * StoreConflictError when another guest of the meeting already has this Slack user or email.
   */
  async upsertGuest(guest: GuestRecord): Promise<GuestRecord> {
    this.mustOwn(guest.teamId, 'write a guest');
    try {
      const row = await this.db
        .insertInto('guests')
        .values({
          team_id: guest.teamId,
          meet_id: guest.meetId,
          guest_key: guest.guestKey,
          slack_user_id: guest.slackUserId,
          email: guest.email?.toLowerCase() ?? null,
          name: guest.name,
          permissions: JSON.stringify(guest.permissions),
          role: guest.role,
          added_by: guest.addedBy,
          added_at: toMs(guest.addedAt),
        })
        .onConflict((oc) =>
          oc.columns(['team_id', 'meet_id', 'guest_key']).doUpdateSet((eb) => ({
            slack_user_id: eb.ref('excluded.slack_user_id'),
            email: eb.ref('excluded.email'),
            name: eb.ref('excluded.name'),
            permissions: eb.ref('excluded.permissions'),
            role: eb.ref('excluded.role'),
            added_by: eb.ref('excluded.added_by'),
            added_at: eb.ref('excluded.added_at'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToGuest(row);
    } catch (err) {
      // No cause attached: the driver's detail would quote the row, guest key included (a secret).
      if (isUniqueViolation(err)) {
        throw new StoreConflictError(
          `meeting ${guest.meetId} already has a guest with this ${guest.slackUserId ? 'Slack user or ' : ''}email`,
        );
      }
      throw err;
    }
  }

  async listGuests(teamId: string, meetId: string): Promise<GuestRecord[]> {
    if (!this.sees(teamId)) return [];
    const rows = await this.db
      .selectFrom('guests')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .orderBy('added_at')
      .orderBy('name')
      .orderBy('guest_key')
      .execute();
    return rows.map(rowToGuest);
  }

  findGuestBySlackUser(teamId: string, meetId: string, slackUserId: string): Promise<GuestRecord | null> {
    return this.findGuest(teamId, meetId, 'slack_user_id', slackUserId);
  }

  /** Emails are stored lower-cased; the lookup lower-cases its argument to match. */
  findGuestByEmail(teamId: string, meetId: string, email: string): Promise<GuestRecord | null> {
    return this.findGuest(teamId, meetId, 'email', email.toLowerCase());
  }

  getGuestByKey(teamId: string, meetId: string, guestKey: string): Promise<GuestRecord | null> {
    return this.findGuest(teamId, meetId, 'guest_key', guestKey);
  }

  /** A meeting's guest by one of its unique columns. */
  private async findGuest(
    teamId: string,
    meetId: string,
    by: 'slack_user_id' | 'email' | 'guest_key',
    value: string,
  ): Promise<GuestRecord | null> {
    if (!this.sees(teamId)) return null;
    const row = await this.db
      .selectFrom('guests')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .where(by, '=', value)
      .executeTakeFirst();
    return row ? rowToGuest(row) : null;
  }

  async deleteGuest(teamId: string, meetId: string, guestKey: string): Promise<boolean> {
    this.mustOwn(teamId, 'delete a guest');
    const res = await this.db
      .deleteFrom('guests')
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId)
      .where('guest_key', '=', guestKey)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  async countGuests(teamId: string, meetId: string, role?: GuestRole): Promise<number> {
    if (!this.sees(teamId)) return 0;
    let q = this.db
      .selectFrom('guests')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('team_id', '=', teamId)
      .where('meet_id', '=', meetId);
    if (role !== undefined) q = q.where('role', '=', role);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // --- Recordings -----------------------------------------------------------------------------------------

  async upsertSeenRecording(
    rec: NewRecording,
    now: Date,
  ): Promise<{ record: RecordingRecord; created: boolean }> {
    this.mustOwn(rec.teamId, 'store a recording');
    const nowMs = toMs(now);
    const inserted = await this.db
      .insertInto('recordings')
      .values(newRecordingRow(this.recScope, rec, rec.state ?? 'seen', nowMs))
      .onConflict((oc) => oc.columns(['scope', 'rec_id']).doNothing())
      .returning('rec_id')
      .executeTakeFirst();
    const record = await this.getRecording(rec.recId);
    // Recordings are never deleted, so the row exists whether we inserted it or someone else did.
    if (!record) throw new Error(`store: recording ${rec.recId} vanished right after its upsert`);
    return { record, created: inserted !== undefined };
  }

  async getRecording(recId: string): Promise<RecordingRecord | null> {
    const row = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .executeTakeFirst();
    return row ? rowToRecording(row) : null;
  }

  async getRecordingStates(): Promise<Map<string, RecordingState>> {
    const rows = await this.db
      .selectFrom('recordings')
      .select(['rec_id', 'state'])
      .where('scope', '=', this.recScope)
      .execute();
    return new Map(rows.map((r) => [r.rec_id, r.state as RecordingState]));
  }

  async listOpenRecordings(): Promise<RecordingRecord[]> {
    const rows = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('scope', '=', this.recScope)
      .where('state', 'not in', FINISHED_STATES)
      .orderBy('created_at')
      .orderBy('rec_id')
      .execute();
    return rows.map(rowToRecording);
  }

  /** Newest first. */
  async listRecordingsByHost(
    teamId: string,
    hostSlackUserId: string,
    limit: number,
  ): Promise<RecordingRecord[]> {
    if (!this.sees(teamId)) return [];
    const rows = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('scope', '=', this.recScope)
      .where('team_id', '=', teamId)
      .where('host_slack_user_id', '=', hostSlackUserId)
      .orderBy('created_at', 'desc')
      .orderBy('rec_id', 'desc')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map(rowToRecording);
  }

  /** Applies the fields present in `patch` (undefined = leave alone, null = clear) and stamps updatedAt. */
  async updateRecording(recId: string, patch: RecordingPatch, now: Date): Promise<RecordingRecord | null> {
    this.mustOwn(patch.teamId, 'move a recording');
    const set: UpdateObject<Database, 'recordings'> = { updated_at: toMs(now) };
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.nextAttemptAt !== undefined) set.next_attempt_at = toMsOrNull(patch.nextAttemptAt);
    if (patch.teamId !== undefined) set.team_id = patch.teamId;
    if (patch.hostSlackUserId !== undefined) set.host_slack_user_id = patch.hostSlackUserId;
    if (patch.lastError !== undefined) set.last_error = patch.lastError;
    if (patch.claimedBy !== undefined) set.claimed_by = patch.claimedBy;
    if (patch.claimExpiresAt !== undefined) set.claim_expires_at = toMsOrNull(patch.claimExpiresAt);
    if (patch.notifiedChannel !== undefined) set.notified_channel = patch.notifiedChannel;
    if (patch.notifiedTs !== undefined) set.notified_ts = patch.notifiedTs;
    if (patch.notifiedAt !== undefined) set.notified_at = toMsOrNull(patch.notifiedAt);
    const row = await this.db
      .updateTable('recordings')
      .set(set)
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .returningAll()
      .executeTakeFirst();
    return row ? rowToRecording(row) : null;
  }

  async markRecordingDeleted(rec: NewRecording, now: Date): Promise<RecordingRecord> {
    this.mustOwn(rec.teamId, 'store a recording');
    const nowMs = toMs(now);
    const row = await this.db
      .insertInto('recordings')
      .values(newRecordingRow(this.recScope, rec, 'deleted', nowMs))
      .onConflict((oc) =>
        oc.columns(['scope', 'rec_id']).doUpdateSet({
          state: 'deleted',
          claimed_by: null,
          claim_expires_at: null,
          next_attempt_at: null,
          updated_at: nowMs,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToRecording(row);
  }

  /**
   * One conditional UPDATE: succeeds when the recording is not finished (notified/skipped/deleted) and is unclaimed,
   * its claim has expired (claimExpiresAt <= now), or `holder` already holds it (a re-claim extends the
   * claim). Both engines serialise concurrent updates of the row and re-check the WHERE clause, so among
   * different holders exactly one wins.
   */
  async claimRecording(recId: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const nowMs = toMs(now);
    const res = await this.db
      .updateTable('recordings')
      .set({ claimed_by: holder, claim_expires_at: nowMs + checkTtl(ttlMs), updated_at: nowMs })
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .where('state', 'not in', FINISHED_STATES)
      .where(claimOpen(nowMs, holder))
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  /**
   * state → notified, delivery recorded, claim cleared; only while `holder` still holds the claim (even if
   * it has expired, as long as nobody took it over: the DM did go out).
   */
  async markRecordingNotified(
    recId: string,
    holder: string,
    delivery: { channel: string; ts: string },
    now: Date,
  ): Promise<boolean> {
    const nowMs = toMs(now);
    const res = await this.db
      .updateTable('recordings')
      .set({
        state: 'notified',
        notified_channel: delivery.channel,
        notified_ts: delivery.ts,
        notified_at: nowMs,
        claimed_by: null,
        claim_expires_at: null,
        updated_at: nowMs,
      })
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .where('claimed_by', '=', holder)
      .where('state', 'not in', FINISHED_STATES)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  async releaseRecordingClaim(recId: string, holder: string, now: Date): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({ claimed_by: null, claim_expires_at: null, updated_at: toMs(now) })
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .where('claimed_by', '=', holder)
      .execute();
  }

  /** Compare-and-set on (state, attempts): see Store.claimRemuxRequest. */
  async claimRemuxRequest(
    recId: string,
    seen: { state: RecordingState; attempts: number },
    now: Date,
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('recordings')
      .set({
        state: 'remux_requested',
        attempts: seen.attempts + 1,
        next_attempt_at: null,
        last_error: null,
        updated_at: toMs(now),
      })
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .where('state', '=', seen.state)
      .where('state', 'not in', FINISHED_STATES)
      .where('attempts', '=', seen.attempts)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  async releaseRemuxRequest(
    recId: string,
    claimedAttempts: number,
    back: { state: RecordingState; lastError: string; nextAttemptAt: Date | null },
    now: Date,
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('recordings')
      .set({
        state: back.state,
        last_error: back.lastError,
        next_attempt_at: toMsOrNull(back.nextAttemptAt),
        updated_at: toMs(now),
      })
      .where('scope', '=', this.recScope)
      .where('rec_id', '=', recId)
      .where('state', '=', 'remux_requested')
      .where('attempts', '=', claimedAttempts)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  // --- Leases ---------------------------------------------------------------------------------------------

  /**
   * One statement: INSERT … ON CONFLICT (name) DO UPDATE … WHERE the lease has expired or is ours,
   * RETURNING name. A row comes back only when we inserted or took/renewed the lease; concurrent callers
   * are serialised on the row and the WHERE is re-checked, so exactly one of several holders wins.
   */
  async markHomeOpened(teamId: string, userId: string, now: Date): Promise<void> {
    this.mustOwn(teamId, 'mark the Home tab opened');
    const openedAt = toMs(now);
    await this.db
      .insertInto('home_viewers')
      .values({ team_id: teamId, user_id: userId, opened_at: openedAt })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'user_id'])
          .doUpdateSet({ opened_at: openedAt })
          // A replica with a slower clock never moves it back.
          .where('home_viewers.opened_at', '<', openedAt),
      )
      .execute();
  }

  async homeViewersSince(teamId: string, userIds: string[], since: Date): Promise<string[]> {
    if (!this.sees(teamId)) return [];
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('home_viewers')
      .select('user_id')
      .where('team_id', '=', teamId)
      .where('user_id', 'in', userIds)
      .where('opened_at', '>=', toMs(since))
      .execute();
    return rows.map((r) => r.user_id);
  }

  async acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const nowMs = toMs(now);
    const expiresAt = nowMs + checkTtl(ttlMs);
    const won = await this.db
      .insertInto('leases')
      .values({ name, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where(
            (eb): Expression<SqlBool> =>
              eb.or([eb('leases.expires_at', '<=', nowMs), eb('leases.holder', '=', holder)]),
          ),
      )
      .returning('name')
      .executeTakeFirst();
    return won !== undefined;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  async getLease(name: string): Promise<Lease | null> {
    const row = await this.db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { name: row.name, holder: row.holder, expiresAt: toDate(row.expires_at) } : null;
  }

  // --- Handled Slack events ------------------------------------------------------------------------------

  /**
   * The lease statement (see acquireLease) on slack_events: one winner among concurrent claims. A deliberate
   * copy: Kysely types each table's columns, and a helper generic over both tables would give that up.
   */
  // jscpd:ignore-start
  async claimSlackEvent(eventId: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const nowMs = toMs(now);
    const won = await this.db
      .insertInto('slack_events')
      .values({ event_id: eventId, holder, expires_at: nowMs + checkTtl(ttlMs) })
      .onConflict((oc) =>
        oc
          .column('event_id')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where(
            (eb): Expression<SqlBool> =>
              eb.or([eb('slack_events.expires_at', '<=', nowMs), eb('slack_events.holder', '=', holder)]),
          ),
      )
      .returning('event_id')
      .executeTakeFirst();
    return won !== undefined;
  }
  // jscpd:ignore-end

  async completeSlackEvent(eventId: string, holder: string, ttlMs: number, now: Date): Promise<void> {
    await this.db
      .updateTable('slack_events')
      .set({ expires_at: toMs(now) + checkTtl(ttlMs) })
      .where('event_id', '=', eventId)
      .where('holder', '=', holder)
      .execute();
  }

  async releaseSlackEvent(eventId: string, holder: string): Promise<void> {
    await this.db
      .deleteFrom('slack_events')
      .where('event_id', '=', eventId)
      .where('holder', '=', holder)
      .execute();
  }

  async pruneSlackEvents(now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('slack_events')
      .where('expires_at', '<=', toMs(now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // --- Meeting intents (intents.ts) -----------------------------------------------------------------------

  async insertIntent(
    intent: NewMeetingIntent,
    holder: string,
    ttlMs: number,
    now: Date,
  ): Promise<MeetingIntent> {
    this.mustOwn(intent.teamId, 'record a meeting intent');
    return this.intents.insert(intent, holder, ttlMs, now);
  }

  getIntent(id: string): Promise<MeetingIntent | null> {
    return this.intents.get(id);
  }

  updateIntent(id: string, holder: string, patch: IntentPatch, now: Date): Promise<IntentProgress | null> {
    return this.intents.update(id, holder, patch, now);
  }

  claimIntent(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.intents.claim(id, holder, ttlMs, now);
  }

  renewIntentClaims(ids: readonly string[], holder: string, ttlMs: number, now: Date): Promise<string[]> {
    return this.intents.renewClaims(ids, holder, ttlMs, now);
  }

  releaseIntent(id: string, holder: string, now: Date): Promise<void> {
    return this.intents.release(id, holder, now);
  }

  listRecoverableIntents(now: Date, limit: number): Promise<MeetingIntent[]> {
    return this.intents.listRecoverable(now, limit);
  }

  /**
   * Global even in a team's view: housekeeping of finished intents (kept only so that late retries find them),
   * the same rule for every team, run once per tick under the job lease rather than once per workspace; it
   * reads nothing out.
   */
  pruneIntents(before: Date): Promise<number> {
    return this.intents.prune(before);
  }

  // --- Admin requests (admin-requests.ts) ----------------------------------------------------------------

  async openAdminRequest(
    req: NewAdminRequest,
    now: Date,
  ): Promise<{ request: AdminRequest; created: boolean }> {
    this.mustOwn(req.teamId, 'open an admin request');
    return this.adminRequests.open(req, now);
  }

  getAdminRequest(id: string): Promise<AdminRequest | null> {
    return this.adminRequests.get(id);
  }

  setAdminRequestMessages(id: string, messages: AdminMessageRef[]): Promise<void> {
    return this.adminRequests.setMessages(id, messages);
  }

  claimAdminRequest(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.adminRequests.claim(id, holder, ttlMs, now);
  }

  finishAdminRequest(
    id: string,
    holder: string,
    decision: AdminRequestDecision,
    now: Date,
  ): Promise<AdminRequest | null> {
    return this.adminRequests.finish(id, holder, decision, now);
  }

  releaseAdminRequest(id: string, holder: string): Promise<void> {
    return this.adminRequests.release(id, holder);
  }

  // --- Uninstalled workspaces (workspace-retention.ts) -------------------------------------------------------

  markWorkspaceUninstalled(teamId: string, now: Date): Promise<void> {
    return this.retention.markUninstalled(teamId, now);
  }

  getUninstalledWorkspace(teamId: string): Promise<UninstalledWorkspace | null> {
    return this.retention.get(teamId);
  }

  listWorkspacesUninstalledBefore(before: Date, limit: number): Promise<UninstalledWorkspace[]> {
    return this.retention.listBefore(before, limit);
  }

  purgeWorkspace(teamId: string, uninstalledBefore: Date): Promise<WorkspacePurgeCounts | null> {
    return this.retention.purge(teamId, uninstalledBefore);
  }

  pruneExpiredLeases(now: Date): Promise<number> {
    return this.retention.pruneExpiredLeases(now);
  }

  // --- Slack installations ---------------------------------------------------------------------------------

  installations(box: SecretBox): InstallationRepository {
    return new InstallationTable(this.db, box, this.retention);
  }

  // --- MegaMeeting connections (connections.ts) -----------------------------------------------------------

  megameetingConnections(box: SecretBox): ConnectionRepository {
    return new ConnectionTable(this.db, box, this.logger);
  }

  /**
   * Idempotent. A team's view does nothing (rather than throw): the unscoped store owns the connection that
   * every view shares, and a workspace's services being shut down must not close it under the others.
   */
  close(): Promise<void> {
    if (this.team !== null) return Promise.resolve();
    this.closing ??= this.conn.destroy();
    return this.closing;
  }
}
