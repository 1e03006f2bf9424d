/**
 * The date formats of the MegaMeeting documentation.
 *
 * - meeting times (createMeeting / updateMeeting input): `Fri Feb 12 2021 10:00:00 -0600`
 * - API token dates (apiTokenDetails): `Tue Nov 26 2019 15:19:12 +0000` (the emulator writes UTC)
 * - recording dates (recordings.recCreateDateTime): `Feb 8, 2021 10:50:20` (no offset; the emulator writes UTC)
 * - recording file names: `MM-DD-YYYY-HH-mm-ss` (UTC)
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const MEETING_TIME =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

export interface ParsedMeetingTime {
  /** The instant. */
  instant: Date;
  /** The offset written in the string, in minutes east of UTC (`-0600` → -360). */
  offsetMinutes: number;
}

/**
 * Parses `Fri Feb 12 2021 10:00:00 -0600`. Returns a reason string when the value does not have exactly that
 * shape, names an impossible date or time, or its weekday does not match its date.
 */
export function parseMeetingTime(value: string): ParsedMeetingTime | string {
  const m = MEETING_TIME.exec(value);
  if (!m) return 'expected a date like "Fri Feb 12 2021 10:00:00 -0600"';
  const [, dow, mon, dd, yyyy, hh, mi, ss, sign, oh, om] = m as unknown as string[];
  const year = Number(yyyy);
  const month = MONTHS.indexOf(mon as (typeof MONTHS)[number]);
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  const offH = Number(oh);
  const offM = Number(om);
  const wall = new Date(Date.UTC(year, month, day));
  if (year < 1970 || wall.getUTCDate() !== day || wall.getUTCMonth() !== month) return 'no such date';
  if (hour > 23 || minute > 59 || second > 59) return 'no such time';
  if (offH > 14 || offM > 59) return 'no such UTC offset';
  if (DAYS[wall.getUTCDay()] !== dow)
    return `the weekday does not match the date (${DAYS[wall.getUTCDay()]})`;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  const instant = new Date(Date.UTC(year, month, day, hour, minute, second) - offsetMinutes * 60_000);
  return { instant, offsetMinutes };
}

/** The UTC offset written in a `scheduledTimeZone` such as `CST/UTC-06:00`, in minutes; null if none. */
export function offsetOfTimeZoneLabel(label: string): number | null {
  const m = /UTC([+-])(\d{1,2}):?(\d{2})/.exec(label);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `Tue Nov 26 2019 15:19:12 +0000` */
export function formatTokenDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** `Feb 8, 2021 10:50:20` (UTC, no offset) */
export function formatRecordingDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
}

/** `02-08-2021-10-50-20` (UTC), as in recording file names. */
export function formatFileDate(d: Date): string {
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${d.getUTCFullYear()}-${pad(d.getUTCHours())}-${pad(
    d.getUTCMinutes(),
  )}-${pad(d.getUTCSeconds())}`;
}
