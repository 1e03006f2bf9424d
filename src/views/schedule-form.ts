// Over 300 lines on purpose: the metadata, the state reader and the validation of one form belong together;
// each part is a small pure function.
/**
 * The scheduling and edit forms' data, pure: the private_metadata the modals carry, a zod reader for the
 * `view.state.values` Slack sends back (both modals share SCHEDULE_IDS, so one reader serves both), and the
 * validation that turns them into a form ready to create or apply, with one inline error per field.
 * The modals themselves are built in schedule-modal.ts.
 */
import { z } from 'zod';
import { type GuestSpec, parseExternalGuests } from '../domain/guest-spec.js';
import {
  DEFAULT_GUEST_PERMISSIONS,
  DEFAULT_WEBINAR_OPTIONS,
  SCHEDULE_TYPES,
  type ScheduleType,
  validateTitle,
  WEBINAR_OPTIONS,
  type WebinarOption,
} from '../domain/meeting.js';
import { GUEST_PERMISSIONS, type GuestPermission } from '../megameeting/types.js';
import {
  canonicalTimeZone,
  instantToZonedParts,
  isValidTimeZone,
  zonedWallTimeToInstant,
} from '../time/tz.js';
import { truncate } from '../util/text.js';
import { SCHEDULE_IDS as IDS } from './ids.js';

export const scheduleMetadataSchema = z.object({
  v: z.literal(1),
  /** Where the command was typed: the default channel, and where to tell the user about problems. */
  channelId: z.string().max(50),
  type: z.enum(SCHEDULE_TYPES),
  /** The user's own zone, offered first in the zone search. */
  tz: z.string().max(100),
});
export type ScheduleMetadata = z.infer<typeof scheduleMetadataSchema>;

export const editMetadataSchema = z.object({
  v: z.literal(1),
  meetId: z.string().min(1).max(100),
  /** Where the Edit button was pressed (for private answers). */
  channelId: z.string().max(50).nullable(),
  tz: z.string().max(100),
});
export type EditMetadata = z.infer<typeof editMetadataSchema>;

/** Parse our own JSON private_metadata; null when it is missing, malformed or from another version. */
export function readMetadata<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function encodeScheduleMetadata(meta: ScheduleMetadata): string {
  return JSON.stringify(meta);
}

const selectedOption = z.object({ value: z.string() }).nullish();
const stateValue = z
  .object({
    type: z.string().optional(),
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_time: z.string().nullish(),
    selected_option: selectedOption,
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
    selected_conversation: z.string().nullish(),
    selected_users: z.array(z.string()).nullish(),
  })
  .passthrough();
const stateSchema = z.record(z.string(), z.record(z.string(), stateValue));

/** What the form holds, untrusted and unvalidated beyond its shape (validateScheduleForm checks meaning). */
export interface ScheduleFormState {
  title: string;
  date: string | null;
  time: string | null;
  timeZone: string | null;
  durationMinutes: number | null;
  endTime: string | null;
  channelId: string | null;
  type: ScheduleType | null;
  webinarOptions: WebinarOption[];
  /** True when the webinar options block was in the view (else: use the defaults). */
  webinarOptionsShown: boolean;
  guestUserIds: string[];
  guestExternalText: string;
  guestPermissions: GuestPermission[];
  guestPermissionsShown: boolean;
}

const webinarKey = z.enum(WEBINAR_OPTIONS);
const permissionKey = z.enum(GUEST_PERMISSIONS);
const typeKey = z.enum(SCHEDULE_TYPES);

/** Reads `view.state.values`; returns null only when its shape is not Slack's. Unknown choices are dropped. */
export function readScheduleState(values: unknown): ScheduleFormState | null {
  const parsed = stateSchema.safeParse(values);
  if (!parsed.success) return null;
  const v = parsed.data;
  const get = (ids: { block: string; action: string }) => v[ids.block]?.[ids.action];
  const duration = Number(get(IDS.duration)?.selected_option?.value);
  const type = typeKey.safeParse(get(IDS.type)?.selected_option?.value);
  const webinar = get(IDS.webinarOptions);
  const permissions = get(IDS.guestPermissions);
  return {
    title: get(IDS.title)?.value ?? '',
    date: get(IDS.date)?.selected_date ?? null,
    time: get(IDS.time)?.selected_time ?? null,
    timeZone: get(IDS.zone)?.selected_option?.value ?? null,
    durationMinutes: Number.isInteger(duration) && duration > 0 ? duration : null,
    endTime: get(IDS.endTime)?.selected_time ?? null,
    channelId: get(IDS.channel)?.selected_conversation ?? null,
    type: type.success ? type.data : null,
    webinarOptions: (webinar?.selected_options ?? []).flatMap((o) => {
      const key = webinarKey.safeParse(o.value);
      return key.success ? [key.data] : [];
    }),
    webinarOptionsShown: webinar !== undefined,
    guestUserIds: get(IDS.guestUsers)?.selected_users ?? [],
    guestExternalText: get(IDS.guestExternal)?.value ?? '',
    guestPermissions: (permissions?.selected_options ?? []).flatMap((o) => {
      const key = permissionKey.safeParse(o.value);
      return key.success ? [key.data] : [];
    }),
    guestPermissionsShown: permissions !== undefined,
  };
}

// ------------------------------------------------------------------------------------------------------------
// Validation

/** `block_id → message` for `response_action: "errors"`. */
export type FormErrors = Record<string, string>;

export type Validated<T> = { ok: true; form: T } | { ok: false; errors: FormErrors };

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

/** A start this far in the past still counts as "now" (the form may have sat open a few minutes). */
const PAST_GRACE_MS = 5 * 60_000;
const HALF_HOUR_MS = 30 * 60_000;
const MAX_FORM_ERROR_CHARS = 1000;

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

/** Start, end and zone from the shared date/time/zone/duration/end fields, with inline errors. */
function readWhen(
  state: ScheduleFormState,
  errors: FormErrors,
  withEndTime: boolean,
  now: Date,
): { start: Date; end: Date; timeZone: string } | null {
  const zone = state.timeZone ? canonicalTimeZone(state.timeZone) : undefined;
  if (!zone || !isValidTimeZone(zone)) {
    errors[IDS.zone.block] = 'Pick a time zone from the list.';
    return null;
  }
  if (!state.date || !/^\d{4}-\d{2}-\d{2}$/.test(state.date)) {
    errors[IDS.date.block] = 'Pick a start date.';
    return null;
  }
  if (!state.time || !/^\d{2}:\d{2}$/.test(state.time)) {
    errors[IDS.time.block] = 'Pick a start time.';
    return null;
  }
  let start: Date;
  try {
    const read = zonedWallTimeToInstant(state.date, state.time, zone);
    if (read.adjusted === 'gap') {
      errors[IDS.time.block] =
        `${state.time} does not exist on ${state.date} in ${zone}: the clocks jump forward then. Pick another time.`;
      return null;
    }
    start = read.instant;
  } catch {
    errors[IDS.date.block] = 'That date and time cannot be read. Pick them again.';
    return null;
  }
  if (start.getTime() < now.getTime() - PAST_GRACE_MS) {
    errors[IDS.date.block] =
      `That start is in the past (it is now ${instantToZonedParts(now, zone).date} ${instantToZonedParts(now, zone).time} in ${zone}). Pick a future time.`;
    return null;
  }
  let end: Date;
  if (withEndTime && state.endTime) {
    if (!/^\d{2}:\d{2}$/.test(state.endTime)) {
      errors[IDS.endTime.block] = 'Pick an end time, or clear it and choose a duration.';
      return null;
    }
    end = zonedWallTimeToInstant(state.date, state.endTime, zone).instant;
    if (end.getTime() <= start.getTime()) {
      errors[IDS.endTime.block] =
        'The end must be after the start (same day). For a meeting past midnight, clear this and pick a duration.';
      return null;
    }
  } else {
    if (!state.durationMinutes) {
      errors[IDS.duration.block] = 'Pick a duration.';
      return null;
    }
    end = new Date(start.getTime() + state.durationMinutes * 60_000);
  }
  return { start, end, timeZone: zone };
}

function readTitle(state: ScheduleFormState, errors: FormErrors): string | null {
  const title = state.title.trim();
  if (!title) {
    errors[IDS.title.block] = 'Give the meeting a title.';
    return null;
  }
  const problem = validateTitle(title);
  if (problem) {
    errors[IDS.title.block] = problem;
    return null;
  }
  return title;
}

/** Validates a submitted scheduling form at `now`. Pure: safe to run before the ack. */
export function validateScheduleForm(
  values: unknown,
  privateMetadata: string | undefined,
  now: Date,
): Validated<ScheduleForm> {
  const meta: ScheduleMetadata | null = readMetadata(scheduleMetadataSchema, privateMetadata);
  const state = readScheduleState(values);
  if (!meta || !state) {
    return {
      ok: false,
      errors: {
        [IDS.title.block]: 'This form is out of date. Close it and run `/meet schedule` again.',
      },
    };
  }
  const errors: FormErrors = {};
  const title = readTitle(state, errors);
  const when = readWhen(state, errors, true, now);
  const type = state.type ?? meta.type;
  const channelId = state.channelId ?? meta.channelId;
  if (!channelId) errors[IDS.channel.block] = 'Pick a conversation to post the meeting in.';

  const guestPermissions = state.guestPermissionsShown ? state.guestPermissions : DEFAULT_GUEST_PERMISSIONS;
  let externalGuests: GuestSpec[] = [];
  if (type === 'secure') {
    const parsed = parseExternalGuests(state.guestExternalText, guestPermissions);
    if (parsed.problems.length > 0) {
      errors[IDS.guestExternal.block] = truncate(parsed.problems.join('\n'), MAX_FORM_ERROR_CHARS);
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

/** Validates a submitted edit form at `now`. Pure: safe to run before the ack. */
export function validateEditForm(
  values: unknown,
  privateMetadata: string | undefined,
  now: Date,
): Validated<EditForm> {
  const meta: EditMetadata | null = readMetadata(editMetadataSchema, privateMetadata);
  const state = readScheduleState(values);
  if (!meta || !state) {
    return {
      ok: false,
      errors: { [IDS.title.block]: 'This form is out of date. Close it and press Edit again.' },
    };
  }
  const errors: FormErrors = {};
  const title = readTitle(state, errors);
  const when = readWhen(state, errors, false, now);
  if (!title || !when) return { ok: false, errors };
  return { ok: true, form: { meetId: meta.meetId, channelId: meta.channelId, title, ...when } };
}
