import type { KnownBlock } from '@slack/types';
import {
  DEFAULT_GUEST_PERMISSIONS,
  DEFAULT_WEBINAR_OPTIONS,
  MAX_TITLE_LENGTH,
  PRESET_TYPES,
  type SchedulePreset,
  type ScheduleType,
  type WebinarOption,
} from '../domain/meeting.js';
import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { CreateMeetingInput, GuestPermission, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { MeetingRecord, Store } from '../store/types.js';
import {
  instantToZonedParts,
  isValidTimeZone,
  toMegaMeetingSchedule,
  zonedWallTimeToInstant,
} from '../time/megameeting-time.js';
import { slackDateToken } from '../time/slack-date.js';
import { canonicalTimeZone } from '../time/tz.js';
import { timeZoneLabel } from '../time/zones.js';
import { TIMED_OUT, withTimeout } from '../util/async.js';
import { truncate } from '../util/text.js';
import { SCHEDULE_IDS } from '../views/ids.js';
import { buildMeetingList, type ListItem } from '../views/messages.js';
import {
  buildEditModal,
  buildScheduleModal,
  DEFAULT_DURATION_MINUTES,
  type EditMetadata,
  editMetadataSchema,
  readMetadata,
  readScheduleState,
  type ScheduleFormState,
  type ScheduleMetadata,
  scheduleMetadataSchema,
} from '../views/schedule-modal.js';
import { escapeMrkdwn, userText } from '../views/text.js';
import type { Clock } from './clock.js';
import { type GuestSpec, parseExternalGuests } from './guest-specs.js';
import type { IdentityService } from './identity.js';
import { type MeetingsService, validateTitle } from './meetings.js';
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
}

/** The guests service's method that adds verified guests (src/services/guests.ts). */
export interface GuestInviter {
  inviteGuests(
    record: MeetingRecord,
    guests: GuestSpec[],
    actorUserId: string,
  ): Promise<{ added: GuestSpec[]; failed: Array<{ guest: GuestSpec; reason: string }> }>;
}

/** `block_id → message` for `response_action: "errors"`. */
export type FormErrors = Record<string, string>;

/** A validated scheduling form, ready to create. */
export interface ScheduleForm {
  type: ScheduleType;
  title: string;
  start: Date;
  end: Date;
  timeZone: string;
  channelId: string;
  webinarOptions: WebinarOption[];
  guestUserIds: string[];
  externalGuests: GuestSpec[];
  guestPermissions: GuestPermission[];
}

/** A validated edit form. */
export interface EditForm {
  meetId: string;
  channelId: string | null;
  title: string;
  start: Date;
  end: Date;
  timeZone: string;
}

export type Validated<T> = { ok: true; form: T } | { ok: false; errors: FormErrors };

/** A start this far in the past still counts as "now" (the form may have sat open a few minutes). */
const PAST_GRACE_MS = 5 * 60_000;
/**
 * How long a meeting must stay missing from MegaMeeting's `meetings` (two answers at least this far apart)
 * before it counts as ended elsewhere.
 */
export const ABSENCE_CONFIRM_MS = 5 * 60_000;
const HALF_HOUR_MS = 30 * 60_000;
const MAX_FORM_ERROR_CHARS = 1000;
/** The longest wait for users.info before a modal opens (the trigger_id dies 3 s after the click). */
const USER_TZ_WAIT_MS = 1500;

/** The next whole or half hour strictly after `now`, as a wall time in `timeZone` (half hours of local time). */
export function nextHalfHour(now: Date, timeZone: string): { date: string; time: string } {
  const { date, time } = instantToZonedParts(now, timeZone);
  const wall = Date.parse(`${date}T${time}:00Z`);
  const next = new Date(Math.floor(wall / HALF_HOUR_MS) * HALF_HOUR_MS + HALF_HOUR_MS).toISOString();
  const candidate = { date: next.slice(0, 10), time: next.slice(11, 16) };
  // A wall time skipped by a DST jump (02:30 on a spring-forward night) would be refused by the form itself.
  const { instant, adjusted } = zonedWallTimeToInstant(candidate.date, candidate.time, timeZone);
  return adjusted === 'gap' ? instantToZonedParts(instant, timeZone) : candidate;
}

/** Scheduling: the modal, its submission, editing, and `/meet list`. */
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
    const tz = await this.userTimeZone(req.userId);
    const now = this.deps.clock.now();
    const start = req.start ? instantToZonedParts(req.start, tz) : nextHalfHour(now, tz);
    const view = buildScheduleModal({
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
    await this.deps.slack.openView(req.triggerId, view);
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
    const type = (['scheduled', 'webinar', 'secure'] as const).find((t) => t === input.type);
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

  /** Start, end and zone from the shared date/time/zone/duration/end fields, with inline errors. */
  private readWhen(
    state: ScheduleFormState,
    errors: FormErrors,
    withEndTime: boolean,
  ): { start: Date; end: Date; timeZone: string } | null {
    const now = this.deps.clock.now();
    const zone = state.timeZone ? canonicalTimeZone(state.timeZone) : undefined;
    if (!zone || !isValidTimeZone(zone)) {
      errors[SCHEDULE_IDS.zone.block] = 'Pick a time zone from the list.';
      return null;
    }
    if (!state.date || !/^\d{4}-\d{2}-\d{2}$/.test(state.date)) {
      errors[SCHEDULE_IDS.date.block] = 'Pick a start date.';
      return null;
    }
    if (!state.time || !/^\d{2}:\d{2}$/.test(state.time)) {
      errors[SCHEDULE_IDS.time.block] = 'Pick a start time.';
      return null;
    }
    let start: Date;
    try {
      const read = zonedWallTimeToInstant(state.date, state.time, zone);
      if (read.adjusted === 'gap') {
        errors[SCHEDULE_IDS.time.block] =
          `${state.time} does not exist on ${state.date} in ${zone}: the clocks jump forward then. Pick another time.`;
        return null;
      }
      start = read.instant;
    } catch {
      errors[SCHEDULE_IDS.date.block] = 'That date and time cannot be read. Pick them again.';
      return null;
    }
    if (start.getTime() < now.getTime() - PAST_GRACE_MS) {
      errors[SCHEDULE_IDS.date.block] =
        `That start is in the past (it is now ${instantToZonedParts(now, zone).date} ${instantToZonedParts(now, zone).time} in ${zone}). Pick a future time.`;
      return null;
    }
    let end: Date;
    if (withEndTime && state.endTime) {
      if (!/^\d{2}:\d{2}$/.test(state.endTime)) {
        errors[SCHEDULE_IDS.endTime.block] = 'Pick an end time, or clear it and choose a duration.';
        return null;
      }
      end = zonedWallTimeToInstant(state.date, state.endTime, zone).instant;
      if (end.getTime() <= start.getTime()) {
        errors[SCHEDULE_IDS.endTime.block] =
          'The end must be after the start (same day). For a meeting past midnight, clear this and pick a duration.';
        return null;
      }
    } else {
      if (!state.durationMinutes) {
        errors[SCHEDULE_IDS.duration.block] = 'Pick a duration.';
        return null;
      }
      end = new Date(start.getTime() + state.durationMinutes * 60_000);
    }
    return { start, end, timeZone: zone };
  }

  private readTitle(state: ScheduleFormState, errors: FormErrors): string | null {
    const title = state.title.trim();
    if (!title) {
      errors[SCHEDULE_IDS.title.block] = 'Give the meeting a title.';
      return null;
    }
    const problem = validateTitle(title);
    if (problem) {
      errors[SCHEDULE_IDS.title.block] = problem;
      return null;
    }
    return title;
  }

  /** Validate a submitted scheduling form. Pure apart from the clock: safe to run before the ack. */
  validateSchedule(values: unknown, privateMetadata: string | undefined): Validated<ScheduleForm> {
    const meta: ScheduleMetadata | null = readMetadata(scheduleMetadataSchema, privateMetadata);
    const state = readScheduleState(values);
    if (!meta || !state) {
      return {
        ok: false,
        errors: {
          [SCHEDULE_IDS.title.block]: 'This form is out of date. Close it and run `/meet schedule` again.',
        },
      };
    }
    const errors: FormErrors = {};
    const title = this.readTitle(state, errors);
    const when = this.readWhen(state, errors, true);
    const type = state.type ?? meta.type;
    const channelId = state.channelId ?? meta.channelId;
    if (!channelId) errors[SCHEDULE_IDS.channel.block] = 'Pick a conversation to post the meeting in.';

    const guestPermissions = state.guestPermissionsShown ? state.guestPermissions : DEFAULT_GUEST_PERMISSIONS;
    let externalGuests: GuestSpec[] = [];
    if (type === 'secure') {
      const parsed = parseExternalGuests(state.guestExternalText, guestPermissions);
      if (parsed.problems.length > 0) {
        errors[SCHEDULE_IDS.guestExternal.block] = truncate(parsed.problems.join('\n'), MAX_FORM_ERROR_CHARS);
      }
      externalGuests = parsed.guests;
    }
    if (Object.keys(errors).length > 0 || !title || !when) return { ok: false, errors };
    return {
      ok: true,
      form: {
        type,
        title,
        ...when,
        channelId,
        webinarOptions: state.webinarOptionsShown ? state.webinarOptions : DEFAULT_WEBINAR_OPTIONS,
        guestUserIds: type === 'secure' ? [...new Set(state.guestUserIds)] : [],
        externalGuests,
        guestPermissions,
      },
    };
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

  private async tell(
    channelId: string | null,
    userId: string,
    text: string,
    blocks?: KnownBlock[],
  ): Promise<void> {
    await this.deps.slack
      .tellPrivately(channelId, userId, { text, ...(blocks ? { blocks } : {}) })
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

  // ----------------------------------------------------------------------------------------------------------
  // Editing

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

  validateEdit(values: unknown, privateMetadata: string | undefined): Validated<EditForm> {
    const meta: EditMetadata | null = readMetadata(editMetadataSchema, privateMetadata);
    const state = readScheduleState(values);
    if (!meta || !state) {
      return {
        ok: false,
        errors: { [SCHEDULE_IDS.title.block]: 'This form is out of date. Close it and press Edit again.' },
      };
    }
    const errors: FormErrors = {};
    const title = this.readTitle(state, errors);
    const when = this.readWhen(state, errors, false);
    if (!title || !when) return { ok: false, errors };
    return { ok: true, form: { meetId: meta.meetId, channelId: meta.channelId, title, ...when } };
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
      const withReminders = await deps.reminders.reschedule(updated);
      await deps.meetings.refreshCard(withReminders);
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

  // ----------------------------------------------------------------------------------------------------------
  // /meet list

  /**
   * The user's meetings that have not ended, soonest first, reconciled against MegaMeeting's `meetings` (one
   * call). MegaMeeting offers no lookup of one meeting, so "ended elsewhere" needs two answers that agree minutes
   * apart: the first answer that leaves a meeting out only records when (absentSince, in the store, shared by
   * replicas); a later answer at least ABSENCE_CONFIRM_MS after that, still leaving it out, marks it ended; any
   * answer listing it again clears the sighting. An empty answer (null or []) while meetings are open proves
   * nothing (a proxy, a bad page, a hiccup) and changes nothing. `stale` is true when MegaMeeting could not be
   * asked or gave nothing usable (the store's view is shown as is).
   */
  async listWithStatus(teamId: string, userId: string): Promise<{ items: ListItem[]; stale: boolean }> {
    const { deps } = this;
    let records = await deps.meetings.listOpen(teamId, userId);
    let stale = false;
    if (records.length > 0) {
      try {
        const listed = await deps.megameeting.meetings();
        if (listed.length === 0) {
          stale = true;
          deps.logger.warn(
            { teamId, open: records.length },
            'MegaMeeting listed no meetings at all while some are open; not reconciling on that answer',
          );
        } else {
          const live = new Set(listed.map((m) => m.meetId));
          const kept: MeetingRecord[] = [];
          for (const r of records) {
            if (!(await this.reconcileOne(r, live.has(r.meetId)))) kept.push(r);
          }
          records = kept;
        }
      } catch (err) {
        stale = true;
        deps.logger.warn(
          { err, teamId },
          'could not reconcile /meet list with MegaMeeting; showing the store',
        );
      }
    }
    return {
      stale,
      items: records.map((r) => ({
        meetId: r.meetId,
        title: r.title,
        kind: r.kind,
        status: r.status,
        start: r.startAt,
        end: r.endAt,
        joinUrl: deps.meetings.joinUrl(r),
      })),
    };
  }

  /** One open meeting against one non-empty `meetings` answer; true when it is now marked ended. */
  private async reconcileOne(record: MeetingRecord, listed: boolean): Promise<boolean> {
    const { deps } = this;
    const now = deps.clock.now();
    try {
      if (listed) {
        if (record.absentSince) {
          await deps.store.updateMeeting(record.teamId, record.meetId, { absentSince: null }, now);
        }
        return false;
      }
      if (!record.absentSince) {
        await deps.store.updateMeeting(record.teamId, record.meetId, { absentSince: now }, now);
        deps.logger.info(
          { meetId: record.meetId },
          'meeting missing from MegaMeeting’s list; ended only if still missing minutes from now',
        );
        return false;
      }
      if (now.getTime() - record.absentSince.getTime() < ABSENCE_CONFIRM_MS) return false;
    } catch (err) {
      deps.logger.warn({ err, meetId: record.meetId }, 'could not record a meeting missing from MegaMeeting');
      return false;
    }
    return this.markEndedElsewhere(record);
  }

  private async markEndedElsewhere(record: MeetingRecord): Promise<boolean> {
    const { deps } = this;
    try {
      const now = deps.clock.now();
      const ended = await deps.store.updateMeeting(
        record.teamId,
        record.meetId,
        { status: 'ended', endedAt: now },
        now,
      );
      deps.logger.info(
        { meetId: record.meetId, absentSince: record.absentSince },
        'meeting missing from MegaMeeting in two answers minutes apart; marked ended',
      );
      if (ended) {
        const cleared = await deps.reminders.cancel(ended);
        await deps.meetings.refreshCard(cleared);
      }
      return true;
    } catch (err) {
      deps.logger.warn({ err, meetId: record.meetId }, 'could not mark a meeting ended');
      return false;
    }
  }

  /** The user's meetings that have not ended, soonest first (reconciled when MegaMeeting answers). */
  async listForUser(teamId: string, userId: string): Promise<ListItem[]> {
    return (await this.listWithStatus(teamId, userId)).items;
  }

  /** `/meet list` as a message, with a note when MegaMeeting could not be asked. */
  async listMessage(teamId: string, userId: string): Promise<{ text: string; blocks: KnownBlock[] }> {
    const { items, stale } = await this.listWithStatus(teamId, userId);
    const message = buildMeetingList(items);
    if (!stale) return message;
    const note =
      "I couldn't check these with MegaMeeting right now, so this list may include meetings that have already ended.";
    return {
      text: `${message.text} ${note}`,
      blocks: [
        ...message.blocks,
        { type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${note}` }] },
      ],
    };
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
