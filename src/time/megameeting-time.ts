/**
 * The date strings MegaMeeting's createMeeting / updateMeeting want, and a lenient reader for the date
 * strings it sends back (design.md, reading 11).
 */
import {
  assertInstant,
  formatFieldsTime,
  formatUtcOffset,
  MONTH_NAMES,
  WEEKDAY_NAMES,
  zonedFields,
  zoneOffsetMinutes,
  zoneShortLabel,
} from './tz.js';

export type { WallTime, ZonedInstant } from './tz.js';
export {
  canonicalTimeZone,
  instantToZonedParts,
  isValidTimeZone,
  zoneAbbreviation,
  zonedWallTimeToInstant,
  zoneOffsetMinutes,
} from './tz.js';

/**
 * `Fri Feb 12 2021 10:00:00 -0600`: the wall time and UTC offset of `instant` in `timeZone` (DST-correct,
 * offsets such as `+0530`, `+1245`, `+0000`). English day and month names whatever the process locale.
 */
export function formatMegaMeetingDateTime(instant: Date, timeZone: string): string {
  const f = zonedFields(instant, timeZone);
  const offset = formatUtcOffset(zoneOffsetMinutes(instant, timeZone), '');
  const day = String(f.day).padStart(2, '0');
  const year = String(f.year).padStart(4, '0');
  return `${WEEKDAY_NAMES[f.weekday]} ${MONTH_NAMES[f.month - 1]} ${day} ${year} ${formatFieldsTime(f, true)} ${offset}`;
}

/**
 * `CST/UTC-06:00`: the zone's abbreviation at `instant` and its UTC offset then (America/Chicago in July:
 * `CDT/UTC-05:00`). Zones with no abbreviation in common use are named by their city
 * (`Shanghai/UTC+08:00`); `UTC` gives `UTC/UTC+00:00`. See zoneAbbreviation in tz.ts for the sources.
 */
export function formatMegaMeetingTimeZone(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  return `${zoneShortLabel(instant, timeZone)}/UTC${formatUtcOffset(offset)}`;
}

export interface MegaMeetingSchedule {
  scheduledDateTime: string;
  scheduledTimeZone: string;
  endDateTime: string;
}

/**
 * The three createMeeting fields for a meeting from `start` to `end` in `timeZone`. The zone label is taken at
 * the start (a meeting spanning a DST change keeps its start's label; each date string carries its own offset).
 */
export function toMegaMeetingSchedule(start: Date, end: Date, timeZone: string): MegaMeetingSchedule {
  assertInstant(start, 'start');
  assertInstant(end, 'end');
  if (end.getTime() < start.getTime()) throw new RangeError('The end is before the start');
  return {
    scheduledDateTime: formatMegaMeetingDateTime(start, timeZone),
    scheduledTimeZone: formatMegaMeetingTimeZone(start, timeZone),
    endDateTime: formatMegaMeetingDateTime(end, timeZone),
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return new Date(ms - offsetMinutes * 60_000);
}

function offsetOf(sign: string | undefined, hh: string | undefined, mm: string | undefined): number {
  if (!sign || !hh) return 0;
  const minutes = Number(hh) * 60 + Number(mm ?? 0);
  return sign === '-' ? -minutes : minutes;
}

/**
 * Reads the date strings MegaMeeting returns, never throwing: `Tue Nov 26 2019 15:19:12 +0000` (also with
 * `GMT+0000 (…)` as JavaScript prints it), `Feb 8, 2021 10:50:20` (no offset: read as UTC, design.md
 * reading 11), ISO 8601 (without an offset: UTC), and epoch milliseconds/seconds as digits. Returns undefined
 * for anything else.
 */
export function parseMegaMeetingDateTime(text: unknown): Date | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? new Date(text) : undefined;
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (s.length === 0 || s.length > 100) return undefined;

  // [Tue ]Nov 26[,] 2019 15:19:12[ [GMT|UTC]+0000][ (zone name)]
  const named =
    /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:(AM|PM)\s*)?(?:(?:GMT|UTC|Z)?\s*(?:([+-])(\d{2}):?(\d{2}))?)?(?:\s*\([^)]*\))?$/i.exec(
      s,
    );
  if (named) {
    const [, mon, day, year, hh, mi, ss, ampm, sign, oh, om] = named;
    const month = MONTHS.indexOf((mon ?? '').slice(0, 3).toLowerCase()) + 1;
    if (month === 0) return undefined;
    let hour = Number(hh);
    if (ampm) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
    }
    return utcInstant(
      Number(year),
      month,
      Number(day),
      hour,
      Number(mi),
      Number(ss ?? 0),
      offsetOf(sign, oh, om),
    );
  }

  // 2021-02-08T10:50:20[.123][Z|+01:00] or with a space instead of T
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i.exec(
      s,
    );
  if (iso) {
    const [, year, month, day, hh, mi, ss, , sign, oh, om] = iso;
    const instant = utcInstant(
      Number(year),
      Number(month),
      Number(day),
      Number(hh ?? 0),
      Number(mi ?? 0),
      Number(ss ?? 0),
      offsetOf(sign, oh, om),
    );
    if (instant && /\.\d+/.test(s)) {
      const fraction = /\.(\d+)/.exec(s)?.[1] ?? '0';
      return new Date(instant.getTime() + Math.floor(Number(`0.${fraction}`) * 1000));
    }
    return instant;
  }

  if (/^\d{13}$/.test(s)) return new Date(Number(s));
  if (/^\d{10}$/.test(s)) return new Date(Number(s) * 1000);
  return undefined;
}
