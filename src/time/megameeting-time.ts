/**
 * The date strings MegaMeeting's createMeeting / updateMeeting want (design.md, reading 11). Reading the date
 * strings MegaMeeting sends back is the client's job: parseMegaMeetingDate in src/megameeting/dates.ts.
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
