/**
 * Helpers for the scheduling HTTP tests: the schedule/edit form's state values as Slack sends them, a start
 * a fixed number of days ahead (no wall-clock luck), and signed requests the harness has no shortcut for.
 */
import { SCHEDULE_IDS as I } from '../../src/views/ids.js';
import type { TestApp } from '../app/harness.js';
import {
  interactivityBody,
  type StateValues,
  signSlackRequest,
  stateValue,
} from '../support/slack-requests.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

export const W = TEST_WORKSPACE;
export const DAY_MS = 86_400_000;

/**
 * The UTC offset of `timeZone` at `instant`, in ms, read from Intl's `longOffset` name ("GMT-05:00", "GMT+05:30",
 * "GMT"). Deliberately not the app's src/time code: the instants the tests expect are worked out independently of
 * the converter they check.
 */
function utcOffsetMs(instant: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!m) throw new Error(`unexpected offset name ${name} for ${timeZone}`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** `YYYY-MM-DD` of `instant` in `timeZone` (Intl, not the app's code). */
export function wallDateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The instant of an existing wall time in `timeZone` (Intl, not the app's code). The offset is read twice: at the
 * wall time taken as UTC, then at the instant that gives, which settles it unless the wall time is in a DST gap
 * or overlap (the tests' slots are afternoons, never at a change).
 */
export function wallTimeToInstant(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time}:00.000Z`);
  if (Number.isNaN(asUtc)) throw new Error(`not a wall time: ${date} ${time}`);
  const guess = asUtc - utcOffsetMs(new Date(asUtc), timeZone);
  return new Date(asUtc - utcOffsetMs(new Date(guess), timeZone));
}

/** A wall date `days` ahead of now in `timeZone`, and the instant of `time` on it. */
export function futureSlot(
  days: number,
  time: string,
  timeZone: string,
): { date: string; time: string; instant: Date } {
  const date = wallDateIn(new Date(Date.now() + days * DAY_MS), timeZone);
  return { date, time, instant: wallTimeToInstant(date, time, timeZone) };
}

export interface FormInput {
  title?: string | null;
  date?: string | null;
  time?: string | null;
  zone?: string | null;
  duration?: number | null;
  endTime?: string | null;
  channel?: string | null;
  type?: 'scheduled' | 'webinar' | 'secure';
  webinarOptions?: string[];
  guestUsers?: string[];
  external?: string | null;
  permissions?: string[];
}

/** `view.state.values` of the schedule modal (the edit modal uses the same IDs for the fields it has). */
export function formValues(f: FormInput): StateValues {
  const v: StateValues = {
    [I.title.block]: {
      [I.title.action]: stateValue.plainTextInput(f.title === undefined ? 'Planning' : f.title),
    },
    [I.date.block]: { [I.date.action]: stateValue.datepicker(f.date ?? null) },
    [I.time.block]: { [I.time.action]: stateValue.timepicker(f.time ?? null) },
    [I.zone.block]: {
      [I.zone.action]: stateValue.externalSelect(f.zone ? { text: f.zone, value: f.zone } : null),
    },
    [I.duration.block]: {
      [I.duration.action]: stateValue.staticSelect(
        f.duration === null ? null : { text: `${f.duration ?? 60} min`, value: String(f.duration ?? 60) },
      ),
    },
  };
  if (f.type === undefined && f.channel === undefined) return v;
  v[I.endTime.block] = { [I.endTime.action]: stateValue.timepicker(f.endTime ?? null) };
  v[I.channel.block] = { [I.channel.action]: stateValue.conversationsSelect(f.channel ?? W.channelId) };
  v[I.type.block] = {
    [I.type.action]: stateValue.radioButtons({ text: f.type ?? 'scheduled', value: f.type ?? 'scheduled' }),
  };
  if (f.type === 'webinar' && f.webinarOptions) {
    v[I.webinarOptions.block] = {
      [I.webinarOptions.action]: stateValue.checkboxes(f.webinarOptions.map((o) => ({ text: o, value: o }))),
    };
  }
  if (f.type === 'secure') {
    v[I.guestUsers.block] = { [I.guestUsers.action]: stateValue.multiUsersSelect(f.guestUsers ?? []) };
    v[I.guestExternal.block] = { [I.guestExternal.action]: stateValue.plainTextInput(f.external ?? null) };
    if (f.permissions) {
      v[I.guestPermissions.block] = {
        [I.guestPermissions.action]: stateValue.checkboxes(f.permissions.map((p) => ({ text: p, value: p }))),
      };
    }
  }
  return v;
}

export function scheduleMetadata(
  type: 'scheduled' | 'webinar' | 'secure' = 'scheduled',
  tz = W.userTz,
): string {
  return JSON.stringify({ v: 1, channelId: W.channelId, type, tz });
}

/** Any interactivity payload, signed like Slack. */
export async function postPayload(t: TestApp, payload: object): Promise<{ status: number; body: string }> {
  const body = interactivityBody(payload);
  return t.post(body, { ...signSlackRequest(body, W.signingSecret) });
}

/** A `block_suggestion` (external_select search) as Slack sends it. */
export function blockSuggestionPayload(input: {
  actionId: string;
  blockId: string;
  value: string;
  privateMetadata?: string;
}): object {
  return {
    type: 'block_suggestion',
    user: { id: W.userId, username: W.userName, name: W.userName, team_id: W.teamId },
    container: { type: 'view', view_id: 'V0TESTVIEW1' },
    api_app_id: W.appId,
    token: W.verificationToken,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team: { id: W.teamId, domain: W.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: 'V0TESTVIEW1',
      team_id: W.teamId,
      type: 'modal',
      callback_id: 'schedule_meeting',
      private_metadata: input.privateMetadata ?? '',
      state: { values: {} },
      hash: '1700000000.abcd',
      blocks: [],
    },
  };
}

/** Parse the ack body of a view submission (empty for a plain ack). */
export function ackBody(res: { body: string }): {
  response_action?: string;
  errors?: Record<string, string>;
} {
  return res.body
    ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string> })
    : {};
}
