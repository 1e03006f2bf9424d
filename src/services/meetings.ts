// Over 300 lines on purpose: create and end share the MegaMeeting call with its recovery of lost answers, the
// card and the reminders; /meet list is in meeting-list.ts.
import type { KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH, validateTitle } from '../domain/meeting.js';
import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import { MegaMeetingError } from '../megameeting/errors.js';
import type { CreateMeetingInput, MegaMeetingApi } from '../megameeting/types.js';
import { SlackCallError, type SlackGateway } from '../slack/gateway.js';
import { cardMessageKey, MEETING_CARD_EVENT } from '../slack/message-keys.js';
import { type MeetingKind, type MeetingRecord, type Store, StoreConflictError } from '../store/types.js';
import { toMegaMeetingSchedule } from '../time/megameeting-time.js';
import { buildInvitation } from '../views/invitation.js';
import { buildMeetingCard, cardFallbackText, type MeetingCardData } from '../views/meeting-card.js';
import { userText } from '../views/text.js';
import type { CallsService } from './calls.js';
import type { ChangeFeed } from './changes.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import { type IntentHandle, type IntentJournal, newIntentId } from './intents.js';
import { meetingCardData, meetingJoinUrl } from './meeting-card-data.js';
import { MeetingSnapshots } from './meeting-snapshot.js';
import type { RemindersService } from './reminders.js';

export const INSTANT_DURATION_MINUTES = 60;
/** A meeting whose planned end is older than this no longer shows as upcoming or live. */
const FINISHED_GRACE_MS = 2 * 60 * 60_000;
/** How long a pre-modal admin check may wait on MegaMeeting (a trigger_id lives 3 seconds). */
const ADMIN_CHECK_BEFORE_MODAL_MS = 1200;

/** createMeeting failures after which the meeting may exist all the same. */
const AMBIGUOUS_CODES = new Set(['timeout', 'unexpected_response']);

/** How many recent channel messages recovery reads to find a card posted before a crash. */
const CARD_SEARCH_DEPTH = 100;

/** Slack errors that mean "the bot cannot post in this conversation": fall back to the response_url. */
const CANNOT_POST = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'cannot_dm_bot',
]);

export interface MeetingsDeps {
  store: Store;
  intents: IntentJournal;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  reminders: RemindersService;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
  defaultTimeZone: string;
  /** Slack calls on cards (absent: cards without calls). */
  calls?: Pick<CallsService, 'attachToNewCard' | 'end'>;
  /** Told when a meeting is created or ended (App Home republishes). */
  changes?: Pick<ChangeFeed, 'notify'>;
}

export interface CreateMeetingRequest {
  teamId: string;
  channelId: string;
  hostUserId: string;
  title: string;
  kind: MeetingKind;
  /** Instant meetings start now; scheduled ones give start and end. */
  start?: Date;
  end?: Date;
  timeZone?: string;
  /** Users who get a DM invitation with the Join button. */
  invitees?: string[];
  responseUrl?: string;
  /** Post the card as a reply in this thread of the channel (a message shortcut). */
  threadTs?: string;
  /** Extra documented createMeeting options (webinar switches, requireVerification). */
  options?: Partial<Omit<CreateMeetingInput, 'meetingName' | 'loginId'>>;
}

function booleanOptions(options: CreateMeetingRequest['options']): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(options ?? {}).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
  );
}

export class MeetingsService {
  /** The lists of meeting IDs taken before creates, shared by concurrent creates (meeting-snapshot.ts). */
  readonly snapshots = new MeetingSnapshots(() => this.meetingIdsNow());

  constructor(private readonly deps: MeetingsDeps) {}

  joinUrl(record: Pick<MeetingRecord, 'meetId' | 'kind'>): string | null {
    return meetingJoinUrl(this.deps.megameetingUrl, record);
  }

  cardData(record: MeetingRecord, extra: Partial<MeetingCardData> = {}): MeetingCardData {
    return meetingCardData(this.deps.megameetingUrl, record, extra);
  }

  /**
   * Create a meeting on MegaMeeting on behalf of the host, remember it, and post its channel card.
   * Nothing is half-made: when MegaMeeting refuses, nothing is stored or posted.
   */
  async create(req: CreateMeetingRequest): Promise<MeetingRecord> {
    const { deps } = this;
    const title = req.title.trim();
    const titleProblem = validateTitle(title);
    if (titleProblem) throw new AppError('invalid_input', titleProblem);

    const host = await deps.identity.resolveHost(req.teamId, req.hostUserId);
    const timeZone = req.timeZone ?? host.slackUser.tz ?? deps.defaultTimeZone;
    const start = req.start ?? deps.clock.now();
    const end = req.end ?? new Date(start.getTime() + INSTANT_DURATION_MINUTES * 60_000);
    const meetingName = title || `${host.slackUser.realName}'s meeting`;

    const input: CreateMeetingInput = {
      meetingName,
      loginId: host.loginId,
      ...toMegaMeetingSchedule(start, end, timeZone),
      ...req.options,
    };
    const before = await this.snapshots.beforeCreate();
    // Written before createMeeting: a crash from here on leaves what recovery needs (intent-recovery.ts).
    const intent = await deps.intents.begin({
      id: newIntentId(),
      teamId: req.teamId,
      channelId: req.channelId,
      userId: req.hostUserId,
      meetingName,
      request: {
        kind: req.kind,
        hostLoginId: host.loginId,
        startAt: start.toISOString(),
        endAt: end.toISOString(),
        timeZone,
        options: booleanOptions(req.options),
        invitees: req.invitees ?? [],
        ...(req.threadTs ? { threadTs: req.threadTs } : {}),
      },
      responseUrl: req.responseUrl ?? null,
      beforeIds: before ? [...before] : null,
    });
    try {
      let meetId: string;
      try {
        meetId = await this.createOnMegaMeeting(input, before);
      } catch (err) {
        // The caller tells the user; nothing is left to recover.
        await intent.finish('failed', 'create_failed');
        throw err;
      }
      deps.logger.info(
        { meetId, teamId: req.teamId, host: req.hostUserId, kind: req.kind },
        'meeting created',
      );
      await intent.step({ state: 'created', meetId });
      const record = await this.storeCreatedMeeting(intent, meetId);
      return await this.completeCreation(record, intent, { responseUrl: req.responseUrl });
    } finally {
      intent.close();
    }
  }

  /**
   * Stores the meeting an intent created. When that fails, the meeting is taken back on MegaMeeting rather than
   * left as an orphan nobody can manage from Slack. Already stored (recovery after a crash): the stored one.
   */
  async storeCreatedMeeting(intent: IntentHandle, meetId: string): Promise<MeetingRecord> {
    const { deps } = this;
    const { teamId, channelId, userId, meetingName, request } = intent.intent;
    try {
      return await deps.store.insertMeeting({
        teamId,
        meetId,
        channelId,
        messageTs: null,
        cardDelivery: 'none',
        hostSlackUserId: userId,
        hostLoginId: request.hostLoginId,
        title: meetingName,
        kind: request.kind,
        startAt: new Date(request.startAt),
        endAt: request.endAt ? new Date(request.endAt) : null,
        timeZone: request.timeZone,
        status: request.kind === 'instant' ? 'live' : 'scheduled',
        reminders: [],
        options: request.options,
      });
    } catch (err) {
      if (err instanceof StoreConflictError) {
        const stored = await deps.store.getMeeting(teamId, meetId);
        if (stored) return stored;
      }
      // Not remembered means unmanageable from Slack: take it back on MegaMeeting rather than leave an orphan.
      deps.logger.error({ err, meetId }, 'could not store the new meeting; ending it on MegaMeeting');
      await deps.megameeting
        .endMeeting(meetId)
        .catch((e) => deps.logger.error({ err: e, meetId }, 'could not end the unstored meeting'));
      await intent.finish('failed', 'store_failed');
      throw err;
    }
  }

  /**
   * The steps after the meeting is stored: the card (posted once, its ts stored), reminders, invitations; each
   * recorded on the intent, which ends `done`. With `findCard` (recovery of a post that may have happened) the
   * card is first looked for by its metadata, and never posted when it cannot be looked for.
   */
  async completeCreation(
    record: MeetingRecord,
    intent: IntentHandle,
    opts: { responseUrl?: string | undefined; findCard?: boolean },
  ): Promise<MeetingRecord> {
    const { deps } = this;
    const from = intent.intent.state;
    const threadTs = intent.intent.request.threadTs;
    let current = record;
    if (current.cardDelivery === 'none' && from !== 'posted') {
      const found = opts.findCard ? await this.findCard(current, threadTs) : null;
      if (found === 'unsearchable') {
        await this.tellHostCardUnknown(current);
      } else if (found) {
        current =
          (await deps.store.updateMeeting(current.teamId, current.meetId, {
            messageTs: found.ts,
            channelId: found.channel,
            cardDelivery: 'chat',
          })) ?? current;
      } else {
        await intent.step({ state: 'posting' });
        current = await this.postCardOrTellHost(current, opts.responseUrl, threadTs);
      }
    }
    const needsReminders = current.kind !== 'instant' && current.reminders.length === 0;
    // Invitations go out after the card; an intent that got past 'posted' may have sent some already.
    const invitees = from === 'posted' ? [] : intent.intent.request.invitees;
    const where = { messageChannel: current.channelId, messageTs: current.messageTs };
    // 'posted' marks where a recovery resumes when reminders or invitations come after the card; with nothing
    // after it (an instant meeting, nobody invited) the card's place goes straight into 'done': one write less.
    const stepPosted = from !== 'posted' && (needsReminders || invitees.length > 0);
    if (stepPosted) await intent.step({ state: 'posted', ...where });
    const withReminders = needsReminders ? await deps.reminders.schedule(current) : current;
    if (invitees.length) await this.inviteByDm(withReminders, invitees);
    await intent.finish(
      'done',
      current.cardDelivery === 'none' ? 'no_card' : 'posted',
      from === 'posted' || stepPosted ? {} : where,
    );
    deps.changes?.notify({
      teamId: current.teamId,
      slackUserIds: [current.hostSlackUserId],
      what: 'meeting_created',
    });
    return withReminders;
  }

  /**
   * The meeting's card, found by its idempotency key (cardMessageKey, in its metadata) among the channel's recent
   * messages; null when it is not there, 'unsearchable' when the channel cannot be read (then posting again could
   * duplicate it).
   */
  async findCard(
    record: MeetingRecord,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string } | null | 'unsearchable'> {
    if (!record.channelId) return null;
    try {
      return await this.deps.slack.findPostedMessage(
        record.channelId,
        cardMessageKey(record.teamId, record.meetId),
        CARD_SEARCH_DEPTH,
        threadTs,
      );
    } catch (err) {
      this.deps.logger.warn(
        { err, meetId: record.meetId },
        'could not look for the card of a recovered meeting',
      );
      return 'unsearchable';
    }
  }

  private async tellHostCardUnknown(record: MeetingRecord): Promise<void> {
    const joinUrl = this.joinUrl(record);
    const where = joinUrl ? ` Join: ${joinUrl}` : ' Manage it with `/meet list`.';
    await this.deps.slack
      .tellPrivately(record.channelId, record.hostSlackUserId, {
        text: `I created "${userText(record.title, 150)}" (meeting ID ${record.meetId}), but I was restarted while posting its card and can't check whether it appeared.${where}`,
      })
      .catch((err) => this.deps.logger.error({ err, meetId: record.meetId }, 'could not tell the host'));
  }

  /**
   * The IDs of every meeting on the account, read just before a createMeeting: what a lost answer's
   * candidates are compared against. Null when MegaMeeting cannot list them (then nothing can be adopted).
   */
  async meetingIdsNow(): Promise<ReadonlySet<string> | null> {
    try {
      return new Set((await this.deps.megameeting.meetings()).map((m) => m.meetId));
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not list meetings before creating one');
      return null;
    }
  }

  /**
   * createMeeting, never retried (see the client). When its answer is lost (timeout, garbage) the meeting may
   * exist anyway: it is adopted instead of leaving an orphan that a retry would duplicate, but only when it can
   * be nobody else's (see findCreatedMeeting). Otherwise the lost answer's error goes to the user as it is.
   */
  private async createOnMegaMeeting(
    input: CreateMeetingInput,
    before: ReadonlySet<string> | null,
  ): Promise<string> {
    try {
      return (await this.deps.megameeting.createMeeting(input)).meetId;
    } catch (err) {
      if (!(err instanceof MegaMeetingError) || !AMBIGUOUS_CODES.has(err.code)) throw err;
      const found = await this.findCreatedMeeting(input.meetingName, before);
      if (found.kind !== 'one') throw err;
      this.deps.logger.warn(
        { meetId: found.meetId, code: err.code },
        'createMeeting answer was lost; adopted the meeting',
      );
      return found.meetId;
    }
  }

  /**
   * Which meeting, if any, a createMeeting whose answer was lost made. `meetings` tells only IDs and names (not
   * hosts or times), so "made by this very request" is read as: named like it, absent from the list taken just
   * before the create (`before`), and stored by nobody here. Another host's older meeting of that name is in
   * `before`; two new ones of that name, or no `before`, cannot be told apart: 'unknown'.
   */
  async findCreatedMeeting(
    meetingName: string,
    before: ReadonlySet<string> | null,
  ): Promise<{ kind: 'one'; meetId: string } | { kind: 'none' } | { kind: 'unknown'; lookupFailed?: true }> {
    if (!before) return { kind: 'unknown' };
    const candidates: string[] = [];
    try {
      for (const m of await this.deps.megameeting.meetings()) {
        if (m.name !== meetingName || before.has(m.meetId)) continue;
        if (!(await this.deps.store.findMeetingByMeetId(m.meetId))) candidates.push(m.meetId);
      }
    } catch (lookupErr) {
      this.deps.logger.warn({ err: lookupErr }, 'could not look for a meeting created despite an error');
      return { kind: 'unknown', lookupFailed: true };
    }
    const [only] = candidates;
    if (candidates.length === 1 && only) return { kind: 'one', meetId: only };
    if (candidates.length > 1) {
      this.deps.logger.warn({ count: candidates.length }, 'several new meetings of that name; adopting none');
      return { kind: 'unknown' };
    }
    return { kind: 'none' };
  }

  /**
   * The meeting exists from here on: a card that cannot be posted must not read as "not created" (the user would
   * create it twice). The host is told privately where to find it instead.
   */
  private async postCardOrTellHost(
    record: MeetingRecord,
    responseUrl?: string,
    threadTs?: string,
  ): Promise<MeetingRecord> {
    try {
      return await this.postCard(record, responseUrl, threadTs);
    } catch (err) {
      this.deps.logger.warn(
        { err, meetId: record.meetId },
        'meeting created but its card could not be posted',
      );
      const joinUrl = this.joinUrl(record);
      const where = joinUrl ? ` Join: ${joinUrl}` : ' Manage it with `/meet list`.';
      await this.deps.slack
        .tellPrivately(record.channelId, record.hostSlackUserId, {
          text: `I created "${userText(record.title, MAX_TITLE_LENGTH)}" (meeting ID ${record.meetId}) but couldn't post its card in the channel.${where}`,
        })
        .catch((e) =>
          this.deps.logger.error({ err: e, meetId: record.meetId }, 'could not tell the host either'),
        );
      return record;
    }
  }

  /**
   * Post the card with chat.postMessage (so it can be updated), in the thread `threadTs` when given; where the bot
   * cannot post, use response_url.
   */
  async postCard(meeting: MeetingRecord, responseUrl?: string, threadTs?: string): Promise<MeetingRecord> {
    const { deps } = this;
    // An instant meeting's card carries its Slack call (none when Calls fails: see calls.ts).
    const record = deps.calls && meeting.channelId ? await deps.calls.attachToNewCard(meeting) : meeting;
    const content = { text: cardFallbackText(this.cardData(record)), blocks: await this.cardBlocks(record) };
    if (!record.channelId) return record;
    try {
      // One card per meeting: after a lost answer the card is looked up by this key, never posted blind.
      const { ts, channel } = await deps.slack.postMessage(
        record.channelId,
        {
          ...content,
          metadata: { event_type: MEETING_CARD_EVENT, event_payload: { meet_id: record.meetId } },
        },
        { idempotencyKey: cardMessageKey(record.teamId, record.meetId), ...(threadTs ? { threadTs } : {}) },
      );
      return (
        (await deps.store.updateMeeting(record.teamId, record.meetId, {
          messageTs: ts,
          channelId: channel,
          cardDelivery: 'chat',
        })) ?? record
      );
    } catch (err) {
      if (!(err instanceof SlackCallError) || !CANNOT_POST.has(err.code) || !responseUrl) throw err;
      deps.logger.info({ meetId: record.meetId, code: err.code }, 'cannot post the card; using response_url');
      await deps.slack.respond(responseUrl, { ...content, response_type: 'in_channel' });
      // Say what is lost and how to get it back, to the host only.
      await deps.slack
        .respond(responseUrl, {
          text:
            "I'm not a member of this conversation, so I posted the card as a reply to your command: I can't update " +
            'it when the meeting changes or ends, and I can’t post reminders here. Add me to the channel (mention ' +
            'me and choose "Add to channel") to get both.',
          response_type: 'ephemeral',
        })
        .catch((e) =>
          deps.logger.warn({ err: e, meetId: record.meetId }, 'could not explain the fallback card'),
        );
      return (
        (await deps.store.updateMeeting(record.teamId, record.meetId, { cardDelivery: 'response_url' })) ??
        record
      );
    }
  }

  async cardBlocks(record: MeetingRecord): Promise<KnownBlock[]> {
    const extra: Partial<MeetingCardData> = {};
    if (record.kind === 'webinar') {
      extra.registrantCount = await this.deps.store.countGuests(record.teamId, record.meetId, 'registrant');
    } else if (record.kind === 'secure') {
      extra.guestCount = await this.deps.store.countGuests(record.teamId, record.meetId, 'guest');
    }
    return buildMeetingCard(this.cardData(record, extra));
  }

  /** Refresh the channel card in place (after an edit, an end, a registration). */
  async refreshCard(record: MeetingRecord, endedBy?: string): Promise<void> {
    if (record.cardDelivery !== 'chat' || !record.channelId || !record.messageTs) return;
    const data = this.cardData(record, endedBy ? { endedBy } : {});
    const blocks = record.status === 'ended' ? buildMeetingCard(data) : await this.cardBlocks(record);
    try {
      await this.deps.slack.updateMessage(record.channelId, record.messageTs, {
        text: cardFallbackText(data),
        blocks,
      });
    } catch (err) {
      this.deps.logger.warn({ err, meetId: record.meetId }, 'could not update the channel card');
    }
  }

  async inviteByDm(record: MeetingRecord, invitees: string[]): Promise<string[]> {
    const failed: string[] = [];
    const joinUrl = this.joinUrl(record);
    for (const user of invitees) {
      if (user === record.hostSlackUserId) continue;
      try {
        await this.deps.slack.dm(user, buildInvitation(this.cardData(record), joinUrl));
      } catch (err) {
        failed.push(user);
        this.deps.logger.warn({ err, user, meetId: record.meetId }, 'could not DM an invitation');
      }
    }
    if (failed.length > 0) {
      await this.deps.slack
        .tellPrivately(record.channelId, record.hostSlackUserId, {
          text: `I couldn't send the invitation to ${failed.map((u) => `<@${u}>`).join(', ')}. Share the meeting link with them yourself.`,
        })
        .catch((err) => this.deps.logger.warn({ err }, 'could not tell the host about failed invitations'));
    }
    return failed;
  }

  /** Load a meeting the actor may manage: its host, or an admin. */
  async loadManageable(
    teamId: string,
    meetId: string,
    actorUserId: string,
    doing: string,
    /** Before opening a modal: the admin check may not wait on MegaMeeting past Slack's trigger window. */
    opts: { beforeModal?: boolean } = {},
  ): Promise<MeetingRecord> {
    const record = await this.deps.store.getMeeting(teamId, meetId);
    if (!record) {
      throw new AppError(
        'not_found',
        `I don't know a meeting with ID ${meetId} in this workspace. \`/meet list\` shows yours.`,
      );
    }
    if (
      record.hostSlackUserId !== actorUserId &&
      !(await this.deps.identity.isAdmin(
        teamId,
        actorUserId,
        opts.beforeModal ? { maxWaitMs: ADMIN_CHECK_BEFORE_MODAL_MS } : {},
      ))
    ) {
      throw new AppError(
        'not_allowed',
        `Only the host (<@${record.hostSlackUserId}>) or an admin can ${doing}.`,
      );
    }
    return record;
  }

  /** End a meeting: only its host or an admin. The card turns into "ended" with no Join button. */
  async end(teamId: string, meetId: string, actorUserId: string): Promise<MeetingRecord> {
    const { deps } = this;
    const record = await this.loadManageable(teamId, meetId, actorUserId, 'end this meeting');
    if (record.status === 'ended') {
      throw new AppError(
        'already_ended',
        `"${userText(record.title, MAX_TITLE_LENGTH)}" (${meetId}) has already ended.`,
      );
    }
    try {
      await deps.megameeting.endMeeting(meetId);
    } catch (err) {
      // Ended (or deleted) on MegaMeeting's side already: record it rather than fail.
      if (!(err instanceof MegaMeetingError && err.code === 'not_found')) throw err;
      deps.logger.info({ meetId }, 'meeting was already gone on MegaMeeting; marking it ended');
    }
    const now = deps.clock.now();
    const ended =
      (await deps.store.updateMeeting(teamId, meetId, { status: 'ended', endedAt: now })) ??
      ({ ...record, status: 'ended', endedAt: now } as MeetingRecord);
    deps.logger.info({ meetId, by: actorUserId }, 'meeting ended');
    const withoutReminders = await deps.reminders.cancel(ended);
    const callEnded = deps.calls ? await deps.calls.end(withoutReminders) : withoutReminders;
    await this.refreshCard(callEnded, actorUserId);
    deps.changes?.notify({
      teamId,
      slackUserIds: [record.hostSlackUserId, actorUserId],
      what: 'meeting_ended',
    });
    return callEnded;
  }

  /** A user's meetings that have not ended, soonest first. */
  async listOpen(teamId: string, userId: string): Promise<MeetingRecord[]> {
    // MegaMeeting keeps finished meetings listed until someone ends them, so a meeting whose planned end is
    // well past is no longer "upcoming or live": without this, old meetings would crowd out the real ones.
    const cutoff = this.deps.clock.now().getTime() - FINISHED_GRACE_MS;
    const open = await this.deps.store.listMeetingsByHost(teamId, userId, ['scheduled', 'live']);
    return open.filter((m) => (m.endAt ?? m.startAt).getTime() > cutoff);
  }
}
