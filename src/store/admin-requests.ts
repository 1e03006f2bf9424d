/**
 * The admin_requests table: questions put to a workspace's MegaMeeting admins that the first admin to act
 * answers (a person asking for a login, a deactivated member's login to offboard). One row per (team, kind,
 * person): a new request replaces one only when it is decided or expired, so a person has at most one open
 * request of each kind, shared by replicas. Deciding takes the claim rule of claims.ts (one conditional UPDATE),
 * so among admins pressing at once exactly one wins on either engine.
 */
import type { Expression, Kysely, Selectable, SqlBool } from 'kysely';
import { checkTtl, claimOpen } from './claims.js';
import type { AdminRequestsTable, Database } from './schema.js';
import { inTeam } from './team-scope.js';
import type {
  AdminMessageRef,
  AdminRequest,
  AdminRequestDecision,
  AdminRequestKind,
  NewAdminRequest,
} from './types.js';

function rowToRequest(r: Selectable<AdminRequestsTable>): AdminRequest {
  return {
    id: r.id,
    teamId: r.team_id,
    kind: r.kind as AdminRequestKind,
    subjectUserId: r.subject_user_id,
    subjectName: r.subject_name,
    subjectEmail: r.subject_email,
    loginId: r.login_id,
    state: r.state === 'done' ? 'done' : 'open',
    outcome: r.outcome,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at == null ? null : new Date(Number(r.decided_at)),
    messages: JSON.parse(r.messages) as AdminMessageRef[],
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at == null ? null : new Date(Number(r.claim_expires_at)),
    createdAt: new Date(Number(r.created_at)),
    expiresAt: new Date(Number(r.expires_at)),
  };
}

export class AdminRequestTable {
  /** `team`: a team's view (Store.forTeam) sees only that team's rows by id and in lists; null: every team. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly team: string | null,
  ) {}

  /**
   * Opens a request unless the person already has an open, unexpired one of this kind: one
   * `INSERT … ON CONFLICT DO UPDATE … WHERE (decided or expired)`, so of concurrent openers exactly one creates.
   */
  async open(req: NewAdminRequest, now: Date): Promise<{ request: AdminRequest; created: boolean }> {
    const nowMs = now.getTime();
    const values = {
      id: req.id,
      team_id: req.teamId,
      kind: req.kind,
      subject_user_id: req.subjectUserId,
      subject_name: req.subjectName,
      subject_email: req.subjectEmail,
      login_id: req.loginId,
      state: 'open',
      outcome: null,
      decided_by: null,
      decided_at: null,
      messages: '[]',
      claimed_by: null,
      claim_expires_at: null,
      created_at: nowMs,
      expires_at: nowMs + checkTtl(req.ttlMs),
    };
    const row = await this.db
      .insertInto('admin_requests')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'kind', 'subject_user_id'])
          .doUpdateSet(values)
          .where(
            (eb): Expression<SqlBool> =>
              eb.or([eb('admin_requests.state', '<>', 'open'), eb('admin_requests.expires_at', '<=', nowMs)]),
          ),
      )
      .returningAll()
      .executeTakeFirst();
    if (row) return { request: rowToRequest(row), created: true };
    const existing = await this.db
      .selectFrom('admin_requests')
      .selectAll()
      .where('team_id', '=', req.teamId)
      .where('kind', '=', req.kind)
      .where('subject_user_id', '=', req.subjectUserId)
      .executeTakeFirstOrThrow();
    return { request: rowToRequest(existing), created: false };
  }

  async get(id: string): Promise<AdminRequest | null> {
    const row = await inTeam(this.db.selectFrom('admin_requests').selectAll(), this.team)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? rowToRequest(row) : null;
  }

  /** Remembers the admins' DMs (to update them when someone decides). */
  async setMessages(id: string, messages: AdminMessageRef[]): Promise<void> {
    await inTeam(this.db.updateTable('admin_requests'), this.team)
      .set({ messages: JSON.stringify(messages) })
      .where('id', '=', id)
      .execute();
  }

  /** Claims an open, unexpired request for deciding: exactly one of concurrent claimers wins. */
  async claim(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const nowMs = now.getTime();
    const res = await inTeam(this.db.updateTable('admin_requests'), this.team)
      .set({ claimed_by: holder, claim_expires_at: nowMs + checkTtl(ttlMs) })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .where('expires_at', '>', nowMs)
      .where(claimOpen(nowMs))
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  /** Records the decision; only the holder of the claim may (even past its expiry, if nobody took it over). */
  async finish(
    id: string,
    holder: string,
    decision: AdminRequestDecision,
    now: Date,
  ): Promise<AdminRequest | null> {
    const row = await inTeam(this.db.updateTable('admin_requests'), this.team)
      .set({
        state: 'done',
        outcome: decision.outcome,
        decided_by: decision.decidedBy,
        decided_at: now.getTime(),
        ...(decision.loginId !== undefined ? { login_id: decision.loginId } : {}),
        claimed_by: null,
        claim_expires_at: null,
      })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .where('claimed_by', '=', holder)
      .returningAll()
      .executeTakeFirst();
    return row ? rowToRequest(row) : null;
  }

  /** Gives a claim back without deciding (the action failed): the request stays open for any admin. */
  async release(id: string, holder: string): Promise<void> {
    await inTeam(this.db.updateTable('admin_requests'), this.team)
      .set({ claimed_by: null, claim_expires_at: null })
      .where('id', '=', id)
      .where('claimed_by', '=', holder)
      .execute();
  }
}
