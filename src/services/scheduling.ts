// Over 300 lines on purpose: opening the scheduling and edit modals, creating what a form describes and
// applying an edit share the user's zone, the modal inputs and the private replies; the form's validation is
// already in src/views/schedule-form.ts.
import type { ModalView } from '@slack/types';
import type { GuestSpec } from '../domain/guest-spec.js';
import { MAX_TITLE_LENGTH, PRESET_TYPES, SCHEDULE_TYPES, type SchedulePreset } from '../domain/meeting.js';
import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { CreateMeetingInput, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { MeetingRecord, Store } from '../store/types.js';
import { instantToZonedParts, isValidTimeZone, toMegaMeetingSchedule } from '../time/megameeting-time.js';
import { slackDateToken } from '../time/slack-date.js';
import { canonicalTimeZone } from '../time/tz.js';
import { timeZoneLabel } from '../time/zones.js';
import { TIMED_OUT, withTimeout } from '../util/async.js';
import { truncate } from '../util/text.js';
import {
  type EditForm,
  editMetadataSchema,
  nextHalfHour,
  readMetadata,
  readScheduleState,
  type ScheduleForm,
  scheduleMetadataSchema,
} from '../views/schedule-form.js';
import { buildEditModal, buildScheduleModal, DEFAULT_DURATION_MINUTES } from '../views/schedule-modal.js';
import { escapeMrkdwn, userText } from '../views/text.js';
import type { CallsService } from './calls.js';
import type { ChangeFeed } from './changes.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import type { MeetingsService } from './meetings.js';
import type { RemindersService } from './reminders.js';
import { userMessageFor } from './user-messages.js';

export interface OpenModalRequest {
  triggerId: string;
  teamId: string;
  userId: string;
  channelId: string;
  preset: SchedulePreset;
  title: string;
  /** Prefill (e.g. from a plain-English time that needs confirming). */
  start?: Date;
  /** A line shown at the top of the form (why it opened). */
  notice?: string;
}

export interface SchedulingDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  meetings: MeetingsService;
  reminders: RemindersService;
  logger: AppLogger;
  clock: Clock;
  defaultTimeZone: string;
  /** Adds a secure meeting's verified guests (the guests service). */
  guests: GuestInviter;
  /** Renames the meeting's Slack call (absent: no calls). */
  calls?: Pick<CallsService, 'rename'>;
  /** Told when a meeting is edited (App Home republishes). */
  changes?: Pick<ChangeFeed, 'notify'>;
}

/** The guests service's method that adds verified guests (src/services/guests.ts). */
export interface GuestInviter {
  inviteGuests(
    record: MeetingRecord,
    guests: GuestSpec[],
    actorUserId: string,
  ): Promise<{ added: GuestSpec[]; failed: Array<{ guest: GuestSpec; reason: string }> }>;
}

/** The longest wait for users.info before a modal opens (the trigger_id dies 3 s after the click). */
const USER_TZ_WAIT_MS = 1500;

/** Scheduling: opening the modal, creating what it describes, and editing a scheduled meeting. */
export class SchedulingService {
  constructor(private readonly deps: SchedulingDeps) {}

  /**
   * The user's Slack zone, else the default. Never throws and never waits past USER_TZ_WAIT_MS: the modal must
   * open within Slack's 3-second trigger window even when users.info is slow.
   */
  async userTimeZone(userId: string): Promise<string> {
    try {
      const user = await withTimeout(this.deps.slack.userInfo(userId), USER_TZ_WAIT_MS);
      if (user === TIMED_OUT) {
        this.deps.logger.warn({ userId }, 'users.info is slow; opening the form in the default time zone');
        return this.deps.defaultTimeZone;
      }
      const tz = user.tz;
      return tz && isValidTimeZone(tz) ? (canonicalTimeZone(tz) ?? tz) : this.deps.defaultTimeZone;
    } catch (err) {
      this.deps.logger.warn({ err, userId }, 'could not read the user time zone; using the default');
      return this.deps.defaultTimeZone;
    }
  }

  /** Open the scheduling modal. Only Slack is called (users.info, views.open): no MegaMeeting call before it. */
  async openModal(req: OpenModalRequest): Promise<void> {
    await this.deps.slack.openView(req.triggerId, await this.scheduleModal(req));
  }

  /**
   * Turn an open modal into the scheduling form (views.update), e.g. the start-now form when "Later" is chosen.
   * Only Slack is called, as for openModal.
   */
  async replaceWithModal(
    view: { viewId: string; hash?: string },
    req: Omit<OpenModalRequest, 'triggerId'>,
  ): Promise<void> {
    await this.deps.slack.updateView(view.viewId, await this.scheduleModal(req), view.hash);
  }

  /** The scheduling form for this user (in their Slack zone), prefilled from the request. */
  async scheduleModal(req: Omit<OpenModalRequest, 'triggerId'>): Promise<ModalView> {
    const tz = await this.userTimeZone(req.userId);
    const now = this.deps.clock.now();
    const start = req.start ? instantToZonedParts(req.start, tz) : nextHalfHour(now, tz);
    return buildScheduleModal({
      type: PRESET_TYPES[req.preset],
      title: req.title,
      date: start.date,
      time: start.time,
      timeZone: tz,
      userTimeZone: tz,
      durationMinutes: DEFAULT_DURATION_MINUTES,
      channelId: req.channelId,
      ...(req.notice ? { notice: req.notice } : {}),
      now,
    });
  }

  /**
   * The type radio changed: the same form re-rendered for the new type. What the user typed is carried over (Slack
   * keeps input values across views.update too; this also covers the fields that are rebuilt).
   */
  async switchType(input: {
    viewId: string;
    hash?: string;
    privateMetadata: string | undefined;
    values: unknown;
    type: string | undefined;
  }): Promise<void> {
    const meta = readMetadata(scheduleMetadataSchema, input.privateMetadata);
    const state = readScheduleState(input.values);
    const type = SCHEDULE_TYPES.find((t) => t === input.type);
    if (!meta || !state || !type) return;
    const now = this.deps.clock.now();
    const tz = state.timeZone && isValidTimeZone(state.timeZone) ? state.timeZone : meta.tz;
    const fallback = nextHalfHour(now, tz);
    const view = buildScheduleModal({
      type,
      title: state.title,
      date: state.date ?? fallback.date,
      time: state.time ?? fallback.time,
      timeZone: tz,
      userTimeZone: meta.tz,
      durationMinutes: state.durationMinutes ?? DEFAULT_DURATION_MINUTES,
      endTime: state.endTime,
      channelId: state.channelId ?? meta.channelId,
      ...(state.webinarOptionsShown ? { webinarOptions: state.webinarOptions } : {}),
      guestUserIds: state.guestUserIds,
      guestExternalText: state.guestExternalText,
      ...(state.guestPermissionsShown ? { guestPermissions: state.guestPermissions } : {}),
      now,
    });
    await this.deps.slack.updateView(input.viewId, view, input.hash);
  }

  /** The preferred zone for the zone search of a view (the user's own), from its private_metadata. */
  preferredZone(privateMetadata: string | undefined): string | undefined {
    return (
      readMetadata(scheduleMetadataSchema, privateMetadata)?.tz ??
      readMetadata(editMetadataSchema, privateMetadata)?.tz
    );
  }

  /** The documented createMeeting options of a form's type. */
  static optionsFor(form: Pick<ScheduleForm, 'type' | 'webinarOptions'>): Partial<CreateMeetingInput> {
    if (form.type === 'secure') return { requireVerification: true };
    if (form.type === 'webinar') {
      const options: Partial<CreateMeetingInput> = { enableRegistration: true };
      for (const key of form.webinarOptions) options[key] = true;
      return options;
    }
    return {};
  }

  /**
   * Create what a validated form describes (after the modal closed). Every failure is told to the user privately:
   * nothing is lost silently.
   */
  async createFromForm(
    form: ScheduleForm,
    ctx: {
      teamId: string;
      userId: string;
      metaChannelId: string | null;
      responseUrl?: string;
    },
  ): Promise<MeetingRecord | null> {
    const { deps } = this;
    const log = deps.logger.child({
      flow: 'schedule',
      teamId: ctx.teamId,
      userId: ctx.userId,
      type: form.type,
    });
    let record: MeetingRecord;
    try {
      record = await deps.meetings.create({
        teamId: ctx.teamId,
        channelId: form.channelId,
        hostUserId: ctx.userId,
        title: form.title,
        kind: form.type,
        start: form.start,
        end: form.end,
        timeZone: form.timeZone,
        ...(ctx.responseUrl ? { responseUrl: ctx.responseUrl } : {}),
        options: SchedulingService.optionsFor(form),
      });
    } catch (err) {
      log.warn({ err }, 'scheduling from the form failed');
      await this.tell(
        form.channelId ?? ctx.metaChannelId,
        ctx.userId,
        userMessageFor(err, `schedule "${userText(form.title, 80)}"`),
      );
      return null;
    }
    if (form.type === 'secure') await this.addGuests(record, form, ctx.userId);
    return record;
  }

  private async tell(channelId: string | null, userId: string, text: string): Promise<void> {
    await this.deps.slack
      .tellPrivately(channelId, userId, { text })
      .catch((err) => this.deps.logger.error({ err, userId }, 'could not tell the user privately'));
  }

  /**
   * Slack-user guests get their name and email from their Slack profile; then the guests service adds everyone
   * and reports to the host (who was added, who was not and why, the external links to forward) in one DM.
   * A guest whose profile cannot be used (no email shared, a bot, unreadable) is still handed over, so that the
   * report names them with the reason instead of dropping them silently.
   */
  private async addGuests(record: MeetingRecord, form: ScheduleForm, userId: string): Promise<void> {
    const specs: GuestSpec[] = [];
    for (const slackUserId of form.guestUserIds) {
      if (slackUserId === userId) continue; // the host joins as the host
      try {
        const user = await this.deps.slack.userInfo(slackUserId);
        const usable = !user.isBot && !user.deleted;
        specs.push({
          slackUserId,
          name: usable ? user.realName : '',
          email: usable ? user.email : null,
          permissions: form.guestPermissions,
        });
      } catch (err) {
        this.deps.logger.warn({ err, slackUserId }, 'could not read a guest profile');
        specs.push({ slackUserId, name: '', email: null, permissions: form.guestPermissions });
      }
    }
    specs.push(...form.externalGuests);
    const title = `"${escapeMrkdwn(truncate(record.title, 80))}" (${record.meetId})`;
    if (specs.length === 0) {
      await this.tell(
        record.channelId,
        userId,
        `:lock: ${title} is a secure meeting with no guests yet: nobody can join until you add them with *Manage guests* on the card (or \`/meet guests ${record.meetId}\`).`,
      );
      return;
    }
    const who = specs
      .map((s) => (s.slackUserId ? `<@${s.slackUserId}>` : escapeMrkdwn(s.email ?? s.name)))
      .join(', ');
    try {
      await this.deps.guests.inviteGuests(record, specs, userId);
    } catch (err) {
      this.deps.logger.warn({ err, meetId: record.meetId }, 'adding guests after scheduling failed');
      await this.tell(
        record.channelId,
        userId,
        `${title} is scheduled, but ${userMessageFor(err, 'add its guests').replace(/^./, (c) => c.toLowerCase())} Add them with *Manage guests* on the card: ${who}.`,
      );
    }
  }

  /** Open the edit modal for the host or an admin; anyone else gets the AppError (told privately by the caller). */
  async openEditModal(req: {
    triggerId: string;
    teamId: string;
    userId: string;
    meetId: string;
    channelId: string | null;
  }): Promise<void> {
    const record = await this.deps.meetings.loadManageable(
      req.teamId,
      req.meetId,
      req.userId,
      'edit this meeting',
      { beforeModal: true },
    );
    assertEditable(record);
    const tz = await this.userTimeZone(req.userId);
    const zone = isValidTimeZone(record.timeZone) ? record.timeZone : tz;
    const start = instantToZonedParts(record.startAt, zone);
    const minutes = record.endAt
      ? Math.max(1, Math.round((record.endAt.getTime() - record.startAt.getTime()) / 60_000))
      : DEFAULT_DURATION_MINUTES;
    await this.deps.slack.openView(
      req.triggerId,
      buildEditModal({
        meetId: record.meetId,
        title: record.title,
        date: start.date,
        time: start.time,
        timeZone: zone,
        durationMinutes: minutes,
        channelId: req.channelId,
        userTimeZone: tz,
        now: this.deps.clock.now(),
      }),
    );
  }

  /** Apply an edit: updateMeeting, the store, reminders moved, the card refreshed in place. */
  async applyEdit(form: EditForm, ctx: { teamId: string; userId: string }): Promise<MeetingRecord | null> {
    const { deps } = this;
    try {
      // Checked again at submission: the form may have been open a while.
      const record = await deps.meetings.loadManageable(
        ctx.teamId,
        form.meetId,
        ctx.userId,
        'edit this meeting',
      );
      assertEditable(record);
      await deps.megameeting.updateMeeting({
        meetId: record.meetId,
        meetName: form.title,
        ...toMegaMeetingSchedule(form.start, form.end, form.timeZone),
      });
      const updated = (await deps.store.updateMeeting(ctx.teamId, record.meetId, {
        title: form.title,
        startAt: form.start,
        endAt: form.end,
        timeZone: form.timeZone,
      })) ?? { ...record, title: form.title, startAt: form.start, endAt: form.end, timeZone: form.timeZone };
      deps.logger.info({ meetId: record.meetId, by: ctx.userId }, 'meeting edited');
      await deps.calls?.rename(updated);
      const withReminders = await deps.reminders.reschedule(updated);
      await deps.meetings.refreshCard(withReminders);
      deps.changes?.notify({
        teamId: ctx.teamId,
        slackUserIds: [record.hostSlackUserId],
        what: 'meeting_edited',
      });
      await this.tell(
        form.channelId ?? record.channelId,
        ctx.userId,
        `Updated "${escapeMrkdwn(truncate(form.title, 120))}" (${record.meetId}): now ${slackDateToken(form.start)} (host's zone: ${timeZoneLabel(form.timeZone, form.start)}).`,
      );
      return withReminders;
    } catch (err) {
      deps.logger.warn({ err, meetId: form.meetId }, 'editing a meeting failed');
      await this.tell(form.channelId, ctx.userId, userMessageFor(err, 'update the meeting'));
      return null;
    }
  }
}

function assertEditable(record: MeetingRecord): void {
  if (record.status === 'ended') {
    throw new AppError(
      'already_ended',
      `"${userText(record.title, MAX_TITLE_LENGTH)}" (${record.meetId}) has already ended.`,
    );
  }
  if (record.status !== 'scheduled' || record.kind === 'instant') {
    throw new AppError(
      'invalid_input',
      `"${userText(record.title, MAX_TITLE_LENGTH)}" (${record.meetId}) has started; only scheduled meetings can be edited.`,
    );
  }
}
