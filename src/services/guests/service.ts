/**
 * Verified guests: inviting them (one at a time per meeting, the new key told apart by key-diff.ts under
 * lock.ts), the guest manager modal, access requests to secure meetings and webinar registration. Over 300
 * lines: the four flows share the invite path and its personal-link DMs; splitting them further is left for
 * the next change to one of them.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { GuestSpec } from '../../domain/guest-spec.js';
import { DEFAULT_GUEST_PERMISSIONS, MAX_TITLE_LENGTH } from '../../domain/meeting.js';
import { AppError, isAppError } from '../../errors.js';
import type { AppLogger } from '../../logger.js';
import { MegaMeetingError } from '../../megameeting/errors.js';
import type { GuestPermission, MegaMeetingApi, VerifiedGuest } from '../../megameeting/types.js';
import { joinUrlForGuestKey } from '../../megameeting/urls.js';
import type { SlackGateway } from '../../slack/gateway.js';
import type { GuestRecord, GuestRole, MeetingRecord, Store } from '../../store/types.js';
import { sleep } from '../../util/async.js';
import {
  buildAccessDecided,
  buildAccessDenied,
  buildAccessRequest,
  buildGuestManagerModal,
  buildGuestRemoved,
  buildInviteReport,
  buildPersonalLink,
  type GuestListItem,
  type PersonalLinkReason,
} from '../../views/guests.js';
import { userText } from '../../views/text.js';
import type { Clock } from '../clock.js';
import type { IdentityService } from '../identity.js';
import type { MeetingsService } from '../meetings.js';
import { shortReasonFor, userMessageFor } from '../user-messages.js';
import {
  DECIDED_TTL_MS,
  decisionLease,
  definitelyNotSent,
  guestRef,
  LEGACY_DECIDED_TTL_MS,
  LEGACY_PENDING_HOLDER,
  NO_EMAIL,
  PENDING_REQUEST_TTL_MS,
  pendingRequestLease,
  reportGuest,
  retrySchema,
  SEND_CLAIM_TTL_MS,
  STOP_CODES,
  specOf,
  toPermissions,
} from './helpers.js';
import { pickNewGuest } from './key-diff.js';
import { GuestChangeLock } from './lock.js';

export interface GuestsDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  meetings: MeetingsService;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
}

export interface InviteResult {
  added: GuestSpec[];
  failed: Array<{ guest: GuestSpec; reason: string }>;
  /** Already guests of the meeting: left as they were (retries never duplicate). */
  existing: GuestSpec[];
}

export interface InviteOptions {
  /** DM the inviter a report (who was added, who was not, external links). Default true. */
  notifyActor?: boolean;
  role?: GuestRole;
}

/** Verified guests, access requests and webinar registration. */
export class GuestsService {
  /** One guest change at a time per meeting, so a new key is told apart from others (before/after diff). */
  private readonly changes: GuestChangeLock;

  constructor(private readonly deps: GuestsDeps) {
    this.changes = new GuestChangeLock(deps);
  }

  personalLink(key: string): string {
    return joinUrlForGuestKey(this.deps.megameetingUrl, key);
  }

  private async findExisting(record: MeetingRecord, spec: GuestSpec): Promise<GuestRecord | null> {
    const { store } = this.deps;
    if (spec.slackUserId) {
      const bySlack = await store.findGuestBySlackUser(record.teamId, record.meetId, spec.slackUserId);
      if (bySlack) return bySlack;
    }
    if (spec.email) return store.findGuestByEmail(record.teamId, record.meetId, spec.email.toLowerCase());
    return null;
  }

  /** Slack guests: name and email from their profile when the spec lacks them. */
  private async complete(record: MeetingRecord, spec: GuestSpec): Promise<GuestSpec> {
    if (!spec.slackUserId) return { ...spec, email: spec.email?.toLowerCase() ?? null };
    if (spec.slackUserId === record.hostSlackUserId) {
      throw new AppError('invalid_input', 'is the meeting’s host');
    }
    if (spec.email && spec.name) return { ...spec, email: spec.email.toLowerCase() };
    const user = await this.deps.slack.userInfo(spec.slackUserId);
    if (user.isBot) throw new AppError('invalid_input', 'is a bot');
    if (user.deleted) throw new AppError('invalid_input', 'is deactivated');
    return {
      ...spec,
      name: spec.name || user.realName,
      email: (spec.email ?? user.email)?.toLowerCase() ?? null,
    };
  }

  /**
   * Add one guest on MegaMeeting and in the store, unless already a guest (by Slack user or email). The new key
   * is the one getVerifiedGuest lists after addVerifiedGuest and not before (names need not be unique).
   */
  private async addOne(
    record: MeetingRecord,
    spec: GuestSpec,
    role: GuestRole,
    actorUserId: string | null,
  ): Promise<{ guest: GuestRecord; created: boolean }> {
    const { megameeting, store, logger } = this.deps;
    return this.changes.run(`${record.teamId}:${record.meetId}`, async () => {
      const existing = await this.findExisting(record, spec);
      if (existing) return { guest: existing, created: false };
      if (!spec.email) throw new AppError('invalid_input', NO_EMAIL);
      const before = new Set((await megameeting.getVerifiedGuests(record.meetId)).map((g) => g.key));
      let addError: unknown = null;
      try {
        await megameeting.addVerifiedGuest({
          meetId: record.meetId,
          guestName: spec.name,
          email: spec.email,
          permissions: spec.permissions,
        });
      } catch (err) {
        // A refusal is final; after a lost answer the guest may exist all the same: look before deciding.
        if (
          !(err instanceof MegaMeetingError) ||
          !['unavailable', 'timeout', 'unexpected_response'].includes(err.code)
        ) {
          throw err;
        }
        addError = err;
      }
      let after: VerifiedGuest[];
      try {
        after = await this.readGuestsAfterAdd(record.meetId);
      } catch (err) {
        throw addError ?? err;
      }
      const { chosen, fresh } = pickNewGuest(before, after, spec.name);
      if (!chosen) {
        if (addError) throw addError;
        logger.warn({ meetId: record.meetId, newKeys: fresh }, 'could not tell the new guest key apart');
        throw new AppError('megameeting_rejected', "MegaMeeting didn't return a personal link for them");
      }
      const guest = await store.upsertGuest({
        teamId: record.teamId,
        meetId: record.meetId,
        slackUserId: spec.slackUserId,
        email: spec.email,
        name: spec.name,
        permissions: [...spec.permissions],
        role,
        guestKey: chosen.key,
        addedBy: actorUserId,
        addedAt: this.deps.clock.now(),
      });
      logger.info(
        {
          meetId: record.meetId,
          teamId: record.teamId,
          guest: guestRef(guest),
          slackUser: spec.slackUserId,
          role,
        },
        'verified guest added',
      );
      return { guest, created: true };
    });
  }

  /** The read-back after an add matters (it holds the new key): give it a few tries. */
  private async readGuestsAfterAdd(meetId: string): Promise<VerifiedGuest[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.megameeting.getVerifiedGuests(meetId);
      } catch (err) {
        if (attempt >= 3 || !(err instanceof MegaMeetingError) || !STOP_CODES.has(err.code)) throw err;
        await sleep(150 * attempt);
      }
    }
  }

  private linkMessage(record: MeetingRecord, guest: GuestRecord, reason: PersonalLinkReason) {
    return buildPersonalLink({
      meetId: record.meetId,
      title: record.title,
      hostSlackUserId: record.hostSlackUserId,
      start: record.startAt,
      kind: record.kind,
      link: this.personalLink(guest.guestKey),
      reason,
    });
  }

  /**
   * Add verified guests to a secure meeting (or webinar). Guests already stored are skipped, so a retry adds
   * only the missing ones. Slack guests get their personal Join button by DM; the inviter gets a DM saying
   * exactly who was added and who was not, with the external guests' links to forward.
   */
  async inviteGuests(
    record: MeetingRecord,
    guests: GuestSpec[],
    actorUserId: string,
    opts: InviteOptions = {},
  ): Promise<InviteResult> {
    const { slack, logger } = this.deps;
    const role = opts.role ?? 'guest';
    const result: InviteResult = { added: [], failed: [], existing: [] };
    const addedRecords: GuestRecord[] = [];
    const notDelivered: GuestSpec[] = [];
    let stopped: string | null = null;

    for (const requested of guests) {
      if (stopped) {
        result.failed.push({ guest: requested, reason: `not tried: ${stopped}` });
        continue;
      }
      let spec = requested;
      try {
        spec = await this.complete(record, requested);
        const { guest, created } = await this.addOne(record, spec, role, actorUserId);
        if (!created) {
          result.existing.push(spec);
          continue;
        }
        result.added.push(spec);
        addedRecords.push(guest);
        if (guest.slackUserId) {
          try {
            await slack.dm(guest.slackUserId, this.linkMessage(record, guest, 'invited'));
          } catch (err) {
            notDelivered.push(spec);
            logger.warn(
              { err, meetId: record.meetId, user: guest.slackUserId },
              'could not DM a guest their link',
            );
          }
        }
      } catch (err) {
        const reason = shortReasonFor(err);
        result.failed.push({ guest: spec, reason });
        logger.warn(
          { err, meetId: record.meetId, slackUser: spec.slackUserId },
          'could not add a verified guest',
        );
        if (err instanceof MegaMeetingError && STOP_CODES.has(err.code)) stopped = reason;
      }
    }

    logger.info(
      {
        meetId: record.meetId,
        added: result.added.length,
        existing: result.existing.length,
        failed: result.failed.length,
      },
      'verified guests invited',
    );
    // The secure card says whether anyone can join yet.
    if (record.kind === 'secure' && addedRecords.length > 0) await this.deps.meetings.refreshCard(record);
    const somethingToSay = result.added.length + result.failed.length + result.existing.length > 0;
    if ((opts.notifyActor ?? true) && somethingToSay) {
      const report = buildInviteReport({
        meetId: record.meetId,
        title: record.title,
        added: addedRecords.map((g) => ({
          ...reportGuest(specOf(g)),
          link: g.slackUserId ? null : this.personalLink(g.guestKey),
        })),
        existing: result.existing.map(reportGuest),
        failed: result.failed.map((f) => ({ ...reportGuest(f.guest), reason: f.reason })),
        notDelivered: notDelivered.map(reportGuest),
        retryValue: this.retryValue(
          record.meetId,
          result.failed.map((f) => f.guest),
        ),
      });
      try {
        await slack.dm(actorUserId, report);
      } catch (err) {
        logger.error({ err, meetId: record.meetId }, 'could not DM the inviter the guest report');
      }
    }
    return result;
  }

  private retryValue(meetId: string, failed: GuestSpec[]): string | null {
    if (failed.length === 0) return null;
    const value = JSON.stringify({
      m: meetId,
      g: failed.map((g) => ({ s: g.slackUserId, n: g.name, e: g.email, p: g.permissions })),
    });
    return value.length <= 2000 ? value : null;
  }

  /** The Retry button of the inviter's report: adds the guests that were not added (others are skipped). */
  async retryInvites(req: { teamId: string; userId: string; value: string }): Promise<InviteResult> {
    let parsed: z.infer<typeof retrySchema>;
    try {
      parsed = retrySchema.parse(JSON.parse(req.value));
    } catch {
      throw new AppError(
        'invalid_input',
        'That button is out of date. Use `/meet guests <meeting ID>` instead.',
      );
    }
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      parsed.m,
      req.userId,
      'add its guests',
    );
    this.assertOpen(record);
    const specs: GuestSpec[] = parsed.g.map((g) => ({
      slackUserId: g.s,
      name: g.n,
      email: g.e,
      permissions: g.p,
    }));
    return this.inviteGuests(record, specs, req.userId);
  }

  private assertOpen(record: MeetingRecord): void {
    if (record.status === 'ended') {
      throw new AppError(
        'already_ended',
        `"${userText(record.title, MAX_TITLE_LENGTH)}" (${record.meetId}) has ended.`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Guest manager modal

  async listItems(record: MeetingRecord): Promise<GuestListItem[]> {
    const guests = await this.deps.store.listGuests(record.teamId, record.meetId);
    return guests.map((g) => ({
      ref: guestRef(g),
      name: g.name,
      slackUserId: g.slackUserId,
      email: g.email,
      permissions: toPermissions(g.permissions),
      role: g.role,
    }));
  }

  async managerView(record: MeetingRecord, extra: { notice?: string | null; busy?: boolean } = {}) {
    return buildGuestManagerModal({
      meetId: record.meetId,
      title: record.title,
      kind: record.kind,
      hostSlackUserId: record.hostSlackUserId,
      guests: await this.listItems(record),
      ...extra,
    });
  }

  /** `/meet guests <meetId>` and the card's Manage guests button: host or admin only; opens from the store. */
  async openManageModal(req: {
    triggerId: string;
    teamId: string;
    userId: string;
    meetId: string;
  }): Promise<void> {
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'manage its guests',
      { beforeModal: true },
    );
    if (record.kind !== 'secure' && record.kind !== 'webinar') {
      throw new AppError(
        'invalid_input',
        `"${userText(record.title, MAX_TITLE_LENGTH)}" (${record.meetId}) is an open meeting: it has no verified guests. Schedule a secure meeting with \`/meet secure\`.`,
      );
    }
    await this.deps.slack.openView(req.triggerId, await this.managerView(record));
  }

  /** Guest manager submission, after the modal was switched to "working": add, then show the result. */
  async addFromModal(req: {
    teamId: string;
    userId: string;
    meetId: string;
    viewId: string;
    specs: GuestSpec[];
  }): Promise<InviteResult | null> {
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'add its guests',
    );
    this.assertOpen(record);
    const result = await this.inviteGuests(record, req.specs, req.userId);
    const parts: string[] = [];
    if (result.added.length > 0)
      parts.push(`:white_check_mark: Added ${result.added.map((g) => userText(g.name, 200)).join(', ')}.`);
    if (result.existing.length > 0)
      parts.push(`Already guests: ${result.existing.map((g) => userText(g.name, 200)).join(', ')}.`);
    if (result.failed.length > 0) {
      parts.push(
        `:warning: Not added: ${result.failed.map((f) => `${userText(f.guest.name, 200)} (${userText(f.reason, 300)})`).join('; ')}. Details are in your DMs.`,
      );
    }
    await this.updateManager(req.viewId, record, parts.join(' ') || null);
    return result;
  }

  /**
   * The guest manager in its "working" state, answered as the ack of a submission: only for the host or an admin
   * (checked first, bounded like a pre-modal check because the ack is due within 3 s). A submission naming someone
   * else's meeting gets the AppError and never sees its guests.
   */
  async busyManagerView(req: { teamId: string; userId: string; meetId: string; notice: string }) {
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'add its guests',
      { beforeModal: true },
    );
    return this.managerView(record, { busy: true, notice: req.notice });
  }

  /**
   * After a failed add, leave the modal usable again (not stuck in its busy state) with the reason shown; only for
   * someone who may manage the meeting (the failure may have been the refusal itself).
   */
  async showManagerProblem(req: {
    teamId: string;
    userId: string;
    meetId: string;
    viewId: string;
    notice: string;
  }): Promise<void> {
    const record = await this.deps.meetings
      .loadManageable(req.teamId, req.meetId, req.userId, 'manage its guests')
      .catch(() => null);
    if (record) await this.updateManager(req.viewId, record, req.notice);
  }

  private async updateManager(viewId: string, record: MeetingRecord, notice: string | null): Promise<void> {
    try {
      await this.deps.slack.updateView(viewId, await this.managerView(record, { notice }));
    } catch (err) {
      // The host may have closed the modal meanwhile: the DM report still tells them what happened.
      this.deps.logger.info({ err, meetId: record.meetId }, 'could not refresh the guest manager');
    }
  }

  private async guestByRef(record: MeetingRecord, ref: string): Promise<GuestRecord | null> {
    const guests = await this.deps.store.listGuests(record.teamId, record.meetId);
    return guests.find((g) => guestRef(g) === ref) ?? null;
  }

  /** Remove a guest: removeVerifiedGuest invalidates their key; a Slack guest is told privately. */
  async removeGuest(req: {
    teamId: string;
    userId: string;
    meetId: string;
    ref: string;
    viewId: string | null;
  }) {
    const { megameeting, store, slack, logger } = this.deps;
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'remove its guests',
    );
    const notice = await this.changes.run(`${record.teamId}:${record.meetId}`, async () => {
      const guest = await this.guestByRef(record, req.ref);
      if (!guest) return 'That guest was already removed.';
      try {
        await megameeting.removeVerifiedGuest({ meetId: record.meetId, key: guest.guestKey });
      } catch (err) {
        // Already gone on MegaMeeting: the key no longer works either way.
        if (!(err instanceof MegaMeetingError && err.code === 'not_found')) throw err;
      }
      await store.deleteGuest(record.teamId, record.meetId, guest.guestKey);
      logger.info({ meetId: record.meetId, guest: req.ref, by: req.userId }, 'verified guest removed');
      if (guest.slackUserId) {
        await slack
          .dm(guest.slackUserId, buildGuestRemoved(record))
          .catch((err) => logger.warn({ err, meetId: record.meetId }, 'could not tell a removed guest'));
      }
      return `:wastebasket: Removed ${userText(guest.name, 200)}: their personal link no longer works.`;
    });
    await this.deps.meetings.refreshCard(record);
    if (req.viewId) await this.updateManager(req.viewId, record, notice);
  }

  /** Change a guest's permissions (updateVerifiedGuest). */
  async changePermissions(req: {
    teamId: string;
    userId: string;
    meetId: string;
    ref: string;
    permissions: GuestPermission[];
    viewId: string | null;
  }): Promise<void> {
    const { megameeting, store, logger } = this.deps;
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'change guest permissions',
    );
    let notice: string;
    try {
      notice = await this.changes.run(`${record.teamId}:${record.meetId}`, async () => {
        const guest = await this.guestByRef(record, req.ref);
        if (!guest) return 'That guest is no longer on the list.';
        await megameeting.updateVerifiedGuest({
          meetId: record.meetId,
          key: guest.guestKey,
          permissions: req.permissions,
        });
        await store.upsertGuest({ ...guest, permissions: [...req.permissions] });
        logger.info(
          { meetId: record.meetId, guest: req.ref, by: req.userId },
          'verified guest permissions changed',
        );
        const list = req.permissions.length > 0 ? req.permissions.join(', ') : 'none';
        return `Permissions of ${userText(guest.name, 200)} are now: ${list}.`;
      });
    } catch (err) {
      logger.warn({ err, meetId: record.meetId }, 'could not change guest permissions');
      notice = `:warning: ${userMessageFor(err, 'change those permissions')}`;
    }
    if (req.viewId) await this.updateManager(req.viewId, record, notice);
  }

  // -------------------------------------------------------------------------------------------------------
  // Access requests

  /** Request access on a secure meeting's card: the host gets Approve/Deny; a guest gets their link again. */
  async requestAccess(req: { teamId: string; userId: string; meetId: string; channelId: string | null }) {
    const { store, slack } = this.deps;
    const record = await store.getMeeting(req.teamId, req.meetId);
    if (record?.kind !== 'secure') {
      throw new AppError(
        'not_found',
        `I don't know a secure meeting with ID ${req.meetId} in this workspace.`,
      );
    }
    this.assertOpen(record);
    if (record.hostSlackUserId === req.userId) {
      throw new AppError(
        'invalid_input',
        "You're the host of this meeting. Use Manage guests to add people.",
      );
    }
    const existing = await store.findGuestBySlackUser(req.teamId, req.meetId, req.userId);
    if (existing) {
      await slack.tellPrivately(req.channelId, req.userId, this.linkMessage(record, existing, 'again'));
      return;
    }
    // A pending request is a lease in the store (shared by replicas, kept across restarts) with a holder unique
    // to this request: taking it is the claim, so of two presses (one replica or two) exactly one DMs the host.
    // It is held briefly while the DM goes out, then for PENDING_REQUEST_TTL_MS, after which a request the host
    // never answered can be sent again.
    const pending = pendingRequestLease(req.teamId, req.meetId, req.userId);
    const requestId = randomUUID();
    if (!(await store.acquireLease(pending, requestId, SEND_CLAIM_TTL_MS, this.deps.clock.now()))) {
      await slack.tellPrivately(req.channelId, req.userId, {
        text: `Your request to join "${userText(record.title, 200)}" is already with <@${record.hostSlackUserId}>.`,
      });
      return;
    }
    try {
      await slack.dm(
        record.hostSlackUserId,
        buildAccessRequest({
          meetId: record.meetId,
          title: record.title,
          requesterId: req.userId,
          requestId,
        }),
      );
    } catch (err) {
      // Not sent for sure: give the claim back so that pressing again sends it. Maybe sent: keep the short
      // claim (a second DM would be a duplicate); it lapses after SEND_CLAIM_TTL_MS.
      if (definitelyNotSent(err)) await store.releaseLease(pending, requestId).catch(() => {});
      throw err;
    }
    await store
      .acquireLease(pending, requestId, PENDING_REQUEST_TTL_MS, this.deps.clock.now())
      .catch((err) =>
        this.deps.logger.warn({ err, meetId: record.meetId }, 'could not keep the pending request'),
      );
    this.deps.logger.info({ meetId: record.meetId, requester: req.userId }, 'access requested');
    await slack.tellPrivately(req.channelId, req.userId, {
      text: `Request sent: I asked <@${record.hostSlackUserId}> to let you into "${userText(record.title, 200)}". You'll get a DM with your personal link if they approve.`,
    });
  }

  /**
   * Approve or Deny on the host's access request DM. Returns the message that replaces the request, or null when
   * this request is already being answered or was answered (a double click, a press on another replica): one
   * decision per request, so the requester gets one DM. The claim is taken after the permission check, held
   * while deciding, kept once decided, and given back when deciding failed (so the host can press again).
   */
  async decideAccess(req: {
    teamId: string;
    actorUserId: string;
    meetId: string;
    requesterId: string;
    /** The request's ID from the button (null on buttons sent before requests had one). */
    requestId: string | null;
    approve: boolean;
  }): Promise<{ text: string; blocks: ReturnType<typeof buildAccessDecided>['blocks'] } | null> {
    const { logger, store, clock } = this.deps;
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.actorUserId,
      'answer access requests',
    );
    const decision = decisionLease(req.teamId, req.meetId, req.requesterId, req.requestId);
    const holder = randomUUID();
    if (!(await store.acquireLease(decision, holder, SEND_CLAIM_TTL_MS, clock.now()))) {
      logger.info(
        { meetId: record.meetId, requester: req.requesterId, by: req.actorUserId },
        'access request already answered (or being answered); nothing sent',
      );
      return null;
    }
    let approved: boolean;
    try {
      approved = await this.decide(record, req);
    } catch (err) {
      await store.releaseLease(decision, holder).catch(() => {});
      throw err;
    }
    await store
      .acquireLease(decision, holder, req.requestId ? DECIDED_TTL_MS : LEGACY_DECIDED_TTL_MS, clock.now())
      .catch((err) => logger.warn({ err, meetId: record.meetId }, 'could not keep the access decision'));
    // Answered: the requester may ask again (after a denial) or is a guest now (after an approval).
    await store
      .releaseLease(
        pendingRequestLease(req.teamId, req.meetId, req.requesterId),
        req.requestId ?? LEGACY_PENDING_HOLDER,
      )
      .catch((err) => logger.warn({ err, meetId: record.meetId }, 'could not clear the pending request'));
    return buildAccessDecided({
      meetId: record.meetId,
      title: record.title,
      requesterId: req.requesterId,
      decidedBy: req.actorUserId,
      approved,
    });
  }

  /** Deny (tell the requester) or approve (add them, DM their link); returns whether they were approved. */
  private async decide(
    record: MeetingRecord,
    req: { actorUserId: string; requesterId: string; approve: boolean },
  ): Promise<boolean> {
    const { slack, logger } = this.deps;
    if (!req.approve) {
      await slack
        .dm(req.requesterId, buildAccessDenied(record))
        .catch((err) =>
          logger.warn({ err, meetId: record.meetId }, 'could not tell a requester about the denial'),
        );
      logger.info(
        { meetId: record.meetId, requester: req.requesterId, by: req.actorUserId },
        'access denied',
      );
      return false;
    }
    this.assertOpen(record);
    const spec: GuestSpec = {
      slackUserId: req.requesterId,
      name: '',
      email: null,
      permissions: DEFAULT_GUEST_PERMISSIONS,
    };
    const completed = await this.complete(record, spec).catch((err: unknown) => {
      throw isAppError(err) ? new AppError(err.code, `<@${req.requesterId}> ${err.userMessage}`) : err;
    });
    // Told to the host who pressed Approve, so it names the requester (addOne's own refusal does not).
    if (!completed.email) throw new AppError('invalid_input', `<@${req.requesterId}> ${NO_EMAIL}`);
    const { guest, created } = await this.addOne(record, completed, 'guest', req.actorUserId);
    await slack.dm(req.requesterId, this.linkMessage(record, guest, created ? 'approved' : 'again'));
    logger.info(
      { meetId: record.meetId, requester: req.requesterId, by: req.actorUserId },
      'access approved',
    );
    return true;
  }

  // -------------------------------------------------------------------------------------------------------
  // Webinar registration

  /**
   * Register on a webinar's card: the presser becomes a verified guest (role registrant, name and email from
   * their Slack profile) and gets their personal link privately. Pressing again returns the same link.
   */
  async register(req: {
    teamId: string;
    userId: string;
    meetId: string;
    channelId: string | null;
  }): Promise<void> {
    const { store, slack, logger } = this.deps;
    const record = await store.getMeeting(req.teamId, req.meetId);
    if (record?.kind !== 'webinar') {
      throw new AppError('not_found', `I don't know a webinar with ID ${req.meetId} in this workspace.`);
    }
    this.assertOpen(record);
    const user = await slack.userInfo(req.userId);
    if (!user.email) {
      throw new AppError(
        'invalid_input',
        'MegaMeeting needs an email address to register you, and your Slack profile shows none. Ask your Slack admin to let the app read emails (users:read.email).',
      );
    }
    const spec: GuestSpec = {
      slackUserId: req.userId,
      name: user.realName,
      email: user.email,
      permissions: DEFAULT_GUEST_PERMISSIONS,
    };
    const { guest, created } = await this.addOne(record, spec, 'registrant', req.userId);
    await slack.tellPrivately(
      req.channelId,
      req.userId,
      this.linkMessage(record, guest, created ? 'registered' : 'again'),
    );
    if (created) {
      logger.info({ meetId: record.meetId, user: req.userId }, 'registered for a webinar');
      await this.deps.meetings.refreshCard(record);
    }
  }
}
