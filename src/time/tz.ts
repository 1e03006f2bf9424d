// Over 300 lines on purpose: the zone primitives (validation, offsets, abbreviations, wall time) every other
// time module builds on.
/**
 * Core IANA time-zone helpers: validation, UTC offsets, abbreviations and wall-clock ↔ instant conversion.
 *
 * Offsets come from Intl's `longOffset` zone names (as @date-fns/tz's `tzOffset` reads them, but through a
 * bounded cache of formatters: tzOffset keeps one per zone forever, and the zone picker's index touches every
 * zone) and wall-clock fields from @date-fns/tz's `TZDate` getters: both read Intl for an explicit zone and
 * never the process zone, so results are the same under TZ=UTC,
 * TZ=Pacific/Auckland or anything else (jest runs test/time under all three). The library's own wall time →
 * instant path (the `TZDate` constructor and setters) is not used: in @date-fns/tz 1.5 it starts from the
 * process zone, so under TZ=Pacific/Auckland a Chatham gap time (2026-09-27 03:00) moves backwards to 02:00
 * and under TZ=UTC a Sydney overlap time takes the second occurrence. `wallMsToInstant` below keeps our rule
 * (gaps move forward, overlaps take the first occurrence) in a few lines over these offsets.
 *
 * Hand-made on purpose, because no library has them: the IANA-only validity check (Intl and `tzOffset`
 * accept numeric offsets such as "+05:00", which are not zones), the table of zone renames CLDR still
 * reports under old names, and the abbreviation sources (`zoneAbbreviation`).
 */
import { TZDate } from '@date-fns/tz';
import { LruCache } from '../util/lru.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Zone ids that ICU/CLDR still reports under an old name (from `Intl.supportedValuesOf('timeZone')` and
 * `resolvedOptions().timeZone`) mapped to the current IANA name, which is what Slack's `users.info` `tz`
 * sends and what people search for. Only true renames are listed (tzdb `backward` file), not the per-country
 * links such as Europe/Bratislava, which are still proper names.
 */
export const RENAMED_ZONES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * Intl.DateTimeFormat objects hold ICU data (about 30 KB each, outside the JS heap): every cache of them, and of
 * anything keyed by outside input, is bounded. The zones in use at any time are few; the picker's index walks
 * every zone once per quarter hour with throwaway formatters.
 */
export const FORMATTER_CACHE_MAX = 64;
export const ZONE_NAME_CACHE_MAX = 1024;

const validity = new LruCache<string, string | null>(ZONE_NAME_CACHE_MAX);

/** The zone as Intl resolves it (canonical CLDR id), or null when Intl rejects it. Cached. */
function resolveZone(tz: string): string | null {
  const cached = validity.get(tz);
  if (cached !== undefined) return cached;
  let resolved: string | null = null;
  // IANA names only: letters first; no numeric offsets such as "+05:00" (newer ICU versions accept those).
  if (/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    } catch {
      resolved = null;
    }
  }
  validity.set(tz, resolved);
  return resolved;
}

/** True for an IANA zone name this runtime knows (e.g. `America/Chicago`, `UTC`, `Asia/Kolkata`). */
export function isValidTimeZone(tz: string): boolean {
  return typeof tz === 'string' && resolveZone(tz) !== null;
}

/**
 * The current IANA name for a zone (`Asia/Calcutta` → `Asia/Kolkata`, `US/Eastern` → `America/New_York`,
 * `Etc/UTC` → `UTC`), or undefined when the zone is not valid. The picker in zones.ts uses these names.
 */
export function canonicalTimeZone(tz: string): string | undefined {
  const resolved = typeof tz === 'string' ? resolveZone(tz) : null;
  if (resolved === null) return undefined;
  return RENAMED_ZONES[resolved] ?? resolved;
}

export function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone: ${JSON.stringify(tz)}`);
}

export function assertInstant(instant: Date, what = 'instant'): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`Invalid ${what}: ${String(instant)}`);
  }
}

export interface ZonedFields {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** The wall-clock fields of `instant` in `timeZone` (never read through the process zone). */
export function zonedFields(instant: Date, timeZone: string): ZonedFields {
  assertInstant(instant);
  assertTimeZone(timeZone);
  // TZDate's getters read fields it computed with tzOffset for this zone, not the process zone's.
  const wall = new TZDate(instant.getTime(), timeZone);
  return {
    year: wall.getFullYear(),
    month: wall.getMonth() + 1,
    day: wall.getDate(),
    hour: wall.getHours(),
    minute: wall.getMinutes(),
    second: wall.getSeconds(),
    weekday: wall.getDay(),
  };
}

/** UTC offset of `timeZone` at `instant`, in minutes east of UTC (New York in winter: -300; Chatham: +765). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  assertInstant(instant);
  assertTimeZone(timeZone);
  // Local mean times before 1900 have seconds (Amsterdam +00:19:32); whole minutes are what we print.
  return Math.round(offsetFromName(offsetFormat(timeZone).format(instant)));
}

const offsetFormats = new LruCache<string, Intl.DateTimeFormat>(FORMATTER_CACHE_MAX);

/** How many entries each cache of this module holds (tests check the bounds). */
export function timeZoneCacheSizes(): { zoneNames: number; offsetFormats: number; shortNameFormats: number } {
  return {
    zoneNames: validity.size,
    offsetFormats: offsetFormats.size,
    shortNameFormats: shortNameFormats.size,
  };
}

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  return format;
}

/** `5/19/2026, GMT-08:00` → -480; `…, GMT` → 0; `…, GMT+00:19:32` → 19.53… (minutes east of UTC). */
function offsetFromName(formatted: string): number {
  const m = /GMT(?:([+\-\u2212])(\d{2}):?(\d{2})?(?::?(\d{2}))?)?$/.exec(formatted);
  if (!m) throw new RangeError(`Unexpected zone offset: ${JSON.stringify(formatted)}`);
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
  return m[1] === '+' ? minutes : -minutes;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` of the fields (years 0–9999). */
export function formatFieldsDate(f: ZonedFields): string {
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

/** `HH:mm` of the fields. */
export function formatFieldsTime(f: ZonedFields, withSeconds = false): string {
  return `${pad(f.hour)}:${pad(f.minute)}${withSeconds ? `:${pad(f.second)}` : ''}`;
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** `-360` → `-06:00`, `765` → `+12:45`, `0` → `+00:00`. */
export function formatUtcOffset(offsetMinutes: number, separator = ':'): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${separator}${mm}`;
}

/**
 * Abbreviations in everyday English use that no English CLDR locale gives for these zones. Each applies only
 * while the zone has the listed offset, so a future change of the zone's offset falls through to the generic
 * label instead of printing a wrong abbreviation. Deliberately absent: Asia/Shanghai ("CST" would read as US
 * Central) and Asia/Jerusalem ("IST" would read as India).
 */
const FIXED_ABBREVIATIONS: Readonly<Record<string, { abbreviation: string; offset: number }>> = {
  'Asia/Kolkata': { abbreviation: 'IST', offset: 330 }, // also from en-IN; kept here so it never depends on it
  'Asia/Tokyo': { abbreviation: 'JST', offset: 540 },
  'Asia/Seoul': { abbreviation: 'KST', offset: 540 },
  'Asia/Hong_Kong': { abbreviation: 'HKT', offset: 480 },
  'Asia/Singapore': { abbreviation: 'SGT', offset: 480 },
  'Asia/Karachi': { abbreviation: 'PKT', offset: 300 },
  'Africa/Johannesburg': { abbreviation: 'SAST', offset: 120 },
  'Europe/Moscow': { abbreviation: 'MSK', offset: 180 },
};

/** Links of Europe/London that CLDR does not give London's en-GB names (BST in summer). */
const ABBREVIATION_OF: Readonly<Record<string, string>> = {
  'Europe/Guernsey': 'Europe/London',
  'Europe/Isle_of_Man': 'Europe/London',
  'Europe/Jersey': 'Europe/London',
};

/**
 * English locales whose CLDR data carries the abbreviations people in those regions use; tried in order after
 * en-US. en-GB: BST, CET/CEST, EET/EEST, WET/WEST; en-AU: AEST/AEDT, ACST/ACDT, AWST, NZST/NZDT, LHST/LHDT;
 * en-IN: IST; en-NZ: CHAST/CHADT (Chatham); en-IE: IST (Irish summer time); en-CA: NST/NDT, PMST/PMDT.
 */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-IE', 'en-CA'] as const;

const shortNameFormats = new LruCache<string, Intl.DateTimeFormat>(FORMATTER_CACHE_MAX);

function shortZoneName(instant: Date, timeZone: string, locale: string): string | undefined {
  const key = `${locale}|${timeZone}`;
  let format = shortNameFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    shortNameFormats.set(key, format);
  }
  return format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value;
}

/**
 * The alphabetic abbreviation of `timeZone` at `instant` (`CST`, `CDT`, `IST`, `AEDT`, `CHAST`, `UTC`), or
 * undefined when there is no abbreviation in common use (Intl would only say `GMT+8`). DST-correct: the
 * abbreviation is taken at that instant.
 */
export function zoneAbbreviation(instant: Date, timeZone: string): string | undefined {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const canonical = canonicalTimeZone(timeZone) ?? timeZone;
  const fixed = FIXED_ABBREVIATIONS[canonical];
  if (fixed && fixed.offset === offset) return fixed.abbreviation;
  const source = ABBREVIATION_OF[canonical] ?? timeZone;
  for (const locale of ABBREVIATION_LOCALES) {
    const name = shortZoneName(instant, source, locale);
    if (!name || !/^[A-Z]{2,5}$/.test(name)) continue; // skips "GMT+5:30" and the like
    if ((name === 'GMT' || name === 'UTC') && offset !== 0) continue;
    return name;
  }
  return undefined;
}

/**
 * A short human name for a zone without an abbreviation: the city of its IANA id (`Asia/Shanghai` →
 * `Shanghai`, `America/Argentina/Buenos_Aires` → `Buenos Aires`); `UTC` or a numeric `UTC±HH:MM` for the
 * Etc/ zones and other ids without a city.
 */
export function zoneShortLabel(instant: Date, timeZone: string): string {
  const abbreviation = zoneAbbreviation(instant, timeZone);
  if (abbreviation) return abbreviation;
  const offset = zoneOffsetMinutes(instant, timeZone);
  const id = canonicalTimeZone(timeZone) ?? timeZone;
  const city = id.includes('/') && !id.startsWith('Etc/') ? id.slice(id.lastIndexOf('/') + 1) : '';
  if (city) return city.replace(/_/g, ' ');
  return offset === 0 ? 'UTC' : `UTC${formatUtcOffset(offset)}`;
}

export interface WallTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:mm` (24-hour) */
  time: string;
}

/** The wall-clock date and time of `instant` in `timeZone`, as Slack's datepicker and timepicker want them. */
export function instantToZonedParts(instant: Date, timeZone: string): WallTime {
  const fields = zonedFields(instant, timeZone);
  return { date: formatFieldsDate(fields), time: formatFieldsTime(fields) };
}

export interface ZonedInstant {
  instant: Date;
  /**
   * `none`: the wall time exists exactly once. `gap`: it does not exist (clocks jumped over it), the instant is
   * moved forward by the size of the jump (02:30 → 03:30 on a one-hour spring-forward). `overlap`: it exists
   * twice (clocks fell back), the first (earlier, still-daylight) occurrence is returned.
   */
  adjusted: 'none' | 'gap' | 'overlap';
}

function parseWallTime(date: string, time: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) throw new RangeError(`Invalid wall time: ${JSON.stringify(`${date} ${time}`)}`);
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw new RangeError(`Invalid wall time: ${JSON.stringify(`${date} ${time}`)}`);
  }
  return ms;
}

/** Wall-clock fields (as if UTC) → instant, for components already validated by the caller. */
export function wallFieldsToInstant(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): ZonedInstant {
  const wallMs = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second ?? 0,
  );
  return wallMsToInstant(wallMs, timeZone);
}

/** Our DST rule over the library's offsets (see the header for why not the TZDate constructor). */
function wallMsToInstant(wallMs: number, timeZone: string): ZonedInstant {
  assertTimeZone(timeZone);
  // The offsets a day either side cover any transition near this wall time (no zone changes twice in 48 h).
  const offsetBefore = zoneOffsetMinutes(new Date(wallMs - DAY_MS), timeZone);
  const offsetAfter = zoneOffsetMinutes(new Date(wallMs + DAY_MS), timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => wallMs - offset * MINUTE_MS)
    .filter((ms) => zoneOffsetMinutes(new Date(ms), timeZone) * MINUTE_MS === wallMs - ms)
    .sort((a, b) => a - b);
  const [first] = candidates;
  if (first === undefined) {
    // In the gap: read the wall time with the offset in force before the jump, which lands after the jump,
    // i.e. the wall time moved forward by the size of the gap.
    return { instant: new Date(wallMs - offsetBefore * MINUTE_MS), adjusted: 'gap' };
  }
  return { instant: new Date(first), adjusted: candidates.length > 1 ? 'overlap' : 'none' };
}

/**
 * Converts a wall-clock date and time in an IANA zone to an instant, DST-aware.
 *
 * - A time in a spring-forward gap (2026-03-08 02:30 in America/New_York does not exist) is moved forward by
 *   the gap: 03:30 EDT, reported as `gap`.
 * - A time in a fall-back overlap (2026-11-01 01:30 in America/New_York happens twice) resolves to the first
 *   occurrence (01:30 EDT, 05:30Z), reported as `overlap`.
 *
 * Throws RangeError for a malformed date/time or an unknown zone.
 */
export function zonedWallTimeToInstant(date: string, time: string, timeZone: string): ZonedInstant {
  assertTimeZone(timeZone);
  return wallMsToInstant(parseWallTime(date, time), timeZone);
}
