import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { SlackGateway } from '../slack/gateway.js';
import type {
  AdminMessageRef,
  AdminRequest,
  AdminRequestKind,
  NewAdminRequest,
  Store,
} from '../store/types.js';
import {
  buildDecided,
  buildExpired,
  type DecidedRequest,
  decidedSentence,
  type RequestSubject,
} from '../views/admin-requests.js';
import { isAdminLogin } from './app-login.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import { newHolderId } from './intents.js';

/**
 * Questions put to a workspace's MegaMeeting admins in a DM, answered by the first admin to act (the
 * admin_requests table): who is asked, the DMs, and the decision protocol shared by login requests
 * (access-requests.ts) and offboarding (offboarding.ts).
 *
 * Who is asked: the Slack users linked to active admin or owner logins; when none is linked, the Slack workspace's
 * admins and owners (users.list). Deciding: every press re-checks admin rights (payloads can be crafted), then
 * claims the request in the store (one conditional UPDATE: of admins pressing at once, on any replica, exactly one
 * wins), acts, records the decision, and updates every admin's DM to say who did what. A failed action gives the
 * claim back, so another admin (or the same one) can try again.
 */

/** How long an admin's claim on a request lasts while acting (MegaMeeting calls time out after 10 s). */
const DECIDE_CLAIM_MS = 2 * 60_000;
/** At most this many admins are asked (a large workspace's fallback to every Slack admin stays a handful of DMs). */
export const MAX_RECIPIENTS = 25;

export const NOT_ADMIN_REFUSAL =
  'Only MegaMeeting admins (and Slack workspace admins) can answer this. Nothing was changed.';

export interface AdminDeskDeps {
  store: Pick<
    Store,
    | 'openAdminRequest'
    | 'getAdminRequest'
    | 'setAdminRequestMessages'
    | 'claimAdminRequest'
    | 'finishAdminRequest'
    | 'releaseAdminRequest'
    | 'findUserLinksByLoginId'
  >;
  identity: Pick<IdentityService, 'isAdmin' | 'logins' | 'findLogin'>;
  slack: Pick<SlackGateway, 'dm' | 'updateMessage' | 'listUsers'>;
  logger: AppLogger;
  clock: Clock;
}

export interface DeskActor {
  teamId: string;
  userId: string;
}

/** What an action decided: the outcome word, and the login it concerned (shown in the admins' DMs). */
export interface Decision {
  outcome: string;
  login: DecidedRequest['login'];
}

export type MessageContent = Parameters<SlackGateway['dm']>[1];

export function subjectOf(req: AdminRequest): RequestSubject {
  return { userId: req.subjectUserId, name: req.subjectName, email: req.subjectEmail };
}

export class AdminDesk {
  private readonly log: AppLogger;

  constructor(private readonly deps: AdminDeskDeps) {
    this.log = deps.logger.child({ component: 'admin-requests' });
  }

  /** Throws `not_allowed` unless the user is a MegaMeeting admin (today's check: IdentityService.isAdmin). */
  async requireAdmin(actor: DeskActor, opts: { maxWaitMs?: number } = {}): Promise<void> {
    if (!(await this.deps.identity.isAdmin(actor.teamId, actor.userId, opts))) {
      this.log.warn({ teamId: actor.teamId, userId: actor.userId }, 'admin request: refused, not an admin');
      throw new AppError('not_allowed', NOT_ADMIN_REFUSAL);
    }
  }

  /** The Slack users to ask, without `except` (the person the request is about). */
  async recipients(teamId: string, except: string): Promise<string[]> {
    const admins = (await this.deps.identity.logins(0)).filter((l) => l.active && isAdminLogin(l));
    const linked = await Promise.all(
      admins.map((l) => this.deps.store.findUserLinksByLoginId(teamId, l.loginId)),
    );
    let ids = [...new Set(linked.flat().map((l) => l.slackUserId))].filter((id) => id !== except);
    if (ids.length === 0) {
      const users = await this.deps.slack.listUsers();
      ids = users
        .filter((u) => (u.isAdmin || u.isOwner) && !u.isBot && !u.deleted && u.id !== except)
        .map((u) => u.id);
      this.log.info(
        { teamId, count: ids.length },
        'no Slack user is linked to an admin login: asking Slack admins',
      );
    }
    if (ids.length > MAX_RECIPIENTS) {
      this.log.warn({ teamId, count: ids.length }, `asking only the first ${MAX_RECIPIENTS} admins`);
    }
    return ids.slice(0, MAX_RECIPIENTS);
  }

  open(req: NewAdminRequest): Promise<{ request: AdminRequest; created: boolean }> {
    return this.deps.store.openAdminRequest(req, this.deps.clock.now());
  }

  /** DMs each admin (one failing does not stop the others) and remembers the DMs; returns them. */
  async notify(
    request: AdminRequest,
    recipients: readonly string[],
    content: MessageContent,
  ): Promise<AdminMessageRef[]> {
    const refs: AdminMessageRef[] = [];
    for (const userId of recipients) {
      try {
        const posted = await this.deps.slack.dm(userId, content);
        refs.push({ userId, channel: posted.channel, ts: posted.ts });
      } catch (err) {
        this.log.warn({ err, requestId: request.id, userId }, 'admin request: could not DM an admin');
      }
    }
    await this.deps.store.setAdminRequestMessages(request.id, refs);
    this.log.info(
      { requestId: request.id, kind: request.kind, asked: refs.length, of: recipients.length },
      'admin request: admins asked',
    );
    return refs;
  }

  /** Closes a request nobody could be asked about (so that the next try starts afresh). */
  async abandon(request: AdminRequest, outcome: string): Promise<void> {
    const holder = newHolderId('admin-request');
    const now = this.deps.clock.now();
    if (await this.deps.store.claimAdminRequest(request.id, holder, DECIDE_CLAIM_MS, now)) {
      await this.deps.store.finishAdminRequest(request.id, holder, { outcome, decidedBy: 'app' }, now);
    }
  }

  /**
   * An admin's answer: check rights, claim (first wins), `run` the action, record the decision and update every
   * admin's DM. Throws `not_allowed`, `not_found` (no such request), `already_ended` (decided, expired, or another
   * admin acting right now: the message says which), or what `run` threw (the claim is then given back).
   */
  async decide<D extends Decision>(
    actor: DeskActor,
    requestId: string,
    kind: AdminRequestKind,
    run: (req: AdminRequest) => Promise<D>,
  ): Promise<{ request: AdminRequest; decision: D }> {
    await this.requireAdmin(actor);
    const req = await this.deps.store.getAdminRequest(requestId);
    if (!req || req.kind !== kind || req.teamId !== actor.teamId) {
      throw new AppError('not_found', 'This request is no longer open (a newer one replaced it).');
    }
    const log = this.log.child({ requestId, kind, by: actor.userId });
    const holder = newHolderId('admin-request');
    if (
      !(await this.deps.store.claimAdminRequest(requestId, holder, DECIDE_CLAIM_MS, this.deps.clock.now()))
    ) {
      throw await this.whyNotOpen(requestId);
    }
    let decision: D;
    try {
      decision = await run(req);
    } catch (err) {
      await this.deps.store
        .releaseAdminRequest(requestId, holder)
        .catch((e: unknown) => log.warn({ err: e }, 'admin request: could not give the claim back'));
      throw err;
    }
    const done = await this.deps.store.finishAdminRequest(
      requestId,
      holder,
      { outcome: decision.outcome, decidedBy: actor.userId, loginId: decision.login?.loginId ?? req.loginId },
      this.deps.clock.now(),
    );
    // Only a claim that lapsed and was taken over loses here; what was done is done, and said.
    if (!done) log.warn({ outcome: decision.outcome }, 'admin request: decided after the claim lapsed');
    log.info({ outcome: decision.outcome, loginId: decision.login?.loginId }, 'admin request: decided');
    const decided = done ?? { ...req, outcome: decision.outcome, decidedBy: actor.userId };
    await this.updateAll(
      decided,
      buildDecided({
        kind,
        subject: subjectOf(req),
        outcome: decision.outcome,
        decidedBy: actor.userId,
        login: decision.login,
      }),
    );
    return { request: decided, decision };
  }

  /** Why a claim was refused, as an AppError for the admin who pressed (an expired request's DMs say so too). */
  private async whyNotOpen(requestId: string): Promise<AppError> {
    const req = await this.deps.store.getAdminRequest(requestId);
    if (!req) return new AppError('not_found', 'This request is no longer open (a newer one replaced it).');
    if (req.state === 'done' && req.decidedBy) {
      if (req.decidedBy === 'app') {
        return new AppError('already_ended', 'This request was closed: no admin could be reached.');
      }
      return new AppError(
        'already_ended',
        `Already answered: ${decidedSentence({
          kind: req.kind,
          subject: subjectOf(req),
          outcome: req.outcome ?? '',
          decidedBy: req.decidedBy,
          login: await this.loginShown(req.loginId),
        })}`,
      );
    }
    if (req.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      await this.updateAll(req, buildExpired(subjectOf(req), req.kind));
      return new AppError(
        'already_ended',
        req.kind === 'access'
          ? 'This request expired unanswered. They can ask again with the button under their message.'
          : 'This question expired unanswered. Manage the login with `/meet admin`.',
      );
    }
    return new AppError(
      'already_ended',
      'Another admin is answering this request right now: their answer will show in this message.',
    );
  }

  /** A login as the DMs show it (its ID alone when MegaMeeting no longer knows it, e.g. deleted). */
  async loginShown(loginId: string | null): Promise<DecidedRequest['login']> {
    if (!loginId) return null;
    const login = await this.deps.identity.findLogin(loginId).catch(() => null);
    return { loginId, name: login?.fullName || login?.userName || loginId, email: login?.email ?? null };
  }

  /** Replaces every admin's DM about `req` (best effort: one failing does not stop the others). */
  async updateAll(req: AdminRequest, content: MessageContent): Promise<void> {
    for (const ref of req.messages) {
      await this.deps.slack
        .updateMessage(ref.channel, ref.ts, content)
        .catch((err: unknown) =>
          this.log.warn(
            { err, requestId: req.id, userId: ref.userId },
            'admin request: could not update a DM',
          ),
        );
    }
  }
}
