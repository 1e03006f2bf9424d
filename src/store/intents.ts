/**
 * The meeting_intents table: meeting creations recorded before createMeeting, for crash recovery (README.md,
 * "Reliability"). Each operation is one SQL statement; claims follow the recordings' conditional UPDATE, so
 * among concurrent claimers on either engine exactly one wins.
 */
import type { Kysely, Selectable, UpdateObject } from 'kysely';
import { checkTtl, claimOpen } from './claims.js';
import type { Database, MeetingIntentsTable } from './schema.js';
import { inTeam } from './team-scope.js';
import {
  FINISHED_INTENT_STATES,
  type IntentPatch,
  type IntentProgress,
  type IntentRequest,
  type IntentState,
  type MeetingIntent,
  type NewMeetingIntent,
} from './types.js';

const FINISHED = [...FINISHED_INTENT_STATES];

/** The columns an update can change (IntentTable.update reads back only these). */
const PROGRESS_COLUMNS = [
  'state',
  'meet_id',
  'message_channel',
  'message_ts',
  'claimed_by',
  'claim_expires_at',
  'attempts',
  'outcome',
  'updated_at',
] as const;

type ProgressRow = Pick<Selectable<MeetingIntentsTable>, (typeof PROGRESS_COLUMNS)[number]>;

function rowToProgress(r: ProgressRow): IntentProgress {
  return {
    state: r.state as IntentState,
    meetId: r.meet_id,
    messageChannel: r.message_channel,
    messageTs: r.message_ts,
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at == null ? null : new Date(Number(r.claim_expires_at)),
    attempts: Number(r.attempts),
    outcome: r.outcome,
    updatedAt: new Date(Number(r.updated_at)),
  };
}

function rowToIntent(r: Selectable<MeetingIntentsTable>): MeetingIntent {
  return {
    id: r.id,
    teamId: r.team_id,
    channelId: r.channel_id,
    userId: r.user_id,
    meetingName: r.meeting_name,
    request: JSON.parse(r.request) as IntentRequest,
    responseUrl: r.response_url,
    beforeIds: r.before_ids === null ? null : (JSON.parse(r.before_ids) as string[]),
    createdAt: new Date(Number(r.created_at)),
    ...rowToProgress(r),
  };
}

/** Ids per renewal statement. */
const RENEW_CHUNK = 100;

export class IntentTable {
  /** `team`: a team's view (Store.forTeam) sees only that team's rows by id and in lists; null: every team. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly team: string | null,
  ) {}

  async insert(intent: NewMeetingIntent, holder: string, ttlMs: number, now: Date): Promise<MeetingIntent> {
    const nowMs = now.getTime();
    const claimExpiresAt = nowMs + checkTtl(ttlMs);
    await this.db
      .insertInto('meeting_intents')
      .values({
        id: intent.id,
        team_id: intent.teamId,
        channel_id: intent.channelId,
        user_id: intent.userId,
        meeting_name: intent.meetingName,
        request: JSON.stringify(intent.request),
        response_url: intent.responseUrl,
        before_ids: intent.beforeIds === null ? null : JSON.stringify(intent.beforeIds),
        state: 'creating',
        meet_id: null,
        message_channel: null,
        message_ts: null,
        claimed_by: holder,
        claim_expires_at: claimExpiresAt,
        attempts: 0,
        outcome: null,
        created_at: nowMs,
        updated_at: nowMs,
      })
      .executeTakeFirstOrThrow();
    // What was written, without reading back and parsing the list taken before the create (hundreds of IDs).
    return {
      ...intent,
      state: 'creating',
      meetId: null,
      messageChannel: null,
      messageTs: null,
      claimedBy: holder,
      claimExpiresAt: new Date(claimExpiresAt),
      attempts: 0,
      outcome: null,
      createdAt: new Date(nowMs),
      updatedAt: new Date(nowMs),
    };
  }

  async get(id: string): Promise<MeetingIntent | null> {
    const row = await inTeam(this.db.selectFrom('meeting_intents').selectAll(), this.team)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? rowToIntent(row) : null;
  }

  async update(id: string, holder: string, patch: IntentPatch, now: Date): Promise<IntentProgress | null> {
    const set: UpdateObject<Database, 'meeting_intents'> = { updated_at: now.getTime() };
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.meetId !== undefined) set.meet_id = patch.meetId;
    if (patch.messageChannel !== undefined) set.message_channel = patch.messageChannel;
    if (patch.messageTs !== undefined) set.message_ts = patch.messageTs;
    if (patch.outcome !== undefined) set.outcome = patch.outcome;
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.state !== undefined && FINISHED.includes(patch.state)) {
      set.claimed_by = null;
      set.claim_expires_at = null;
    }
    const row = await inTeam(this.db.updateTable('meeting_intents'), this.team)
      .set(set)
      .where('id', '=', id)
      .where('claimed_by', '=', holder)
      .where('state', 'not in', FINISHED)
      // Not before_ids and request: they never change, and before_ids can be hundreds of IDs at every step.
      .returning(PROGRESS_COLUMNS)
      .executeTakeFirst();
    return row ? rowToProgress(row) : null;
  }

  /** The claim rule of claims.ts, as for recordings. */
  async claim(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const nowMs = now.getTime();
    const res = await inTeam(this.db.updateTable('meeting_intents'), this.team)
      .set({ claimed_by: holder, claim_expires_at: nowMs + checkTtl(ttlMs), updated_at: nowMs })
      .where('id', '=', id)
      .where('state', 'not in', FINISHED)
      .where(claimOpen(nowMs, holder))
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  /**
   * claim() for many intents in one statement per RENEW_CHUNK ids (the journal renews every claim it holds
   * at once); the ids claimed. A short chunk is padded with its last id so that every statement has the same
   * SQL text and the SQLite statement cache keeps one entry for it.
   */
  async renewClaims(ids: readonly string[], holder: string, ttlMs: number, now: Date): Promise<string[]> {
    const nowMs = now.getTime();
    const expires = nowMs + checkTtl(ttlMs);
    const renewed: string[] = [];
    for (let i = 0; i < ids.length; i += RENEW_CHUNK) {
      const chunk = ids.slice(i, i + RENEW_CHUNK);
      const last = chunk[chunk.length - 1] as string;
      while (chunk.length < RENEW_CHUNK) chunk.push(last);
      const rows = await inTeam(this.db.updateTable('meeting_intents'), this.team)
        .set({ claimed_by: holder, claim_expires_at: expires, updated_at: nowMs })
        .where('id', 'in', chunk)
        .where('state', 'not in', FINISHED)
        .where(claimOpen(nowMs, holder))
        .returning('id')
        .execute();
      for (const row of rows) renewed.push(row.id);
    }
    return renewed;
  }

  async release(id: string, holder: string, now: Date): Promise<void> {
    await inTeam(this.db.updateTable('meeting_intents'), this.team)
      .set({ claimed_by: null, claim_expires_at: null, updated_at: now.getTime() })
      .where('id', '=', id)
      .where('claimed_by', '=', holder)
      .execute();
  }

  async listRecoverable(now: Date, limit: number): Promise<MeetingIntent[]> {
    const nowMs = now.getTime();
    const rows = await inTeam(this.db.selectFrom('meeting_intents').selectAll(), this.team)
      .where('state', 'not in', FINISHED)
      .where(claimOpen(nowMs))
      .orderBy('created_at')
      .orderBy('id')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map(rowToIntent);
  }

  /** Every team's, even in a team's view (see KyselyStore.pruneIntents). */
  async prune(before: Date): Promise<number> {
    const res = await this.db
      .deleteFrom('meeting_intents')
      .where('state', 'in', FINISHED)
      .where('updated_at', '<', before.getTime())
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
