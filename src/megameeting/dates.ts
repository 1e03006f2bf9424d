/**
 * Parsing of the dates MegaMeeting returns (design.md, reading 11). The documentation shows several formats:
 *
 * - `Tue Nov 26 2019 15:19:12 +0000` (apiTokenDetails), also JavaScript's `Date#toString()` form
 *   `Tue Nov 26 2019 15:19:12 GMT+0000 (Coordinated Universal Time)`;
 * - `Feb 8, 2021 10:50:20` (recordings) without an offset: read as UTC;
 * - ISO 8601 (`2021-02-08T10:50:20Z`, with or without offset; none means UTC);
 * - epoch seconds or milliseconds as a digit string (as in recPackage paths), accepted for robustness.
 *
 * Nothing here relies on `Date.parse`, whose handling of non-ISO strings is implementation-defined and reads
 * offset-less strings in the host's local zone. An unparseable string gives `null`, never an exception.
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** 0-based month from `Feb`, `feb`, `February`, `Sept`; undefined when not a month name. */
function monthIndex(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return i >= 0 ? i : undefined;
}

function isWeekday(word: string): boolean {
  const w = word.toLowerCase().replace(/[.,]$/, '');
  return w.length >= 3 && WEEKDAYS.some((d) => d.startsWith(w) || (w === 'tues' && d === 'tuesday'));
}

/** Offset in minutes east of UTC from `+0000`, `-06:00`, `+5`, `Z`, `UTC`, `GMT`, `GMT+0100`; null if invalid. */
function parseOffset(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return 0;
  const s = raw.trim().toUpperCase();
  if (s === 'Z' || s === 'UTC' || s === 'GMT') return 0;
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(s);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  const total = hours * 60 + minutes;
  return m[1] === '-' ? -total : total;
}

interface Parts {
  year: number;
  month: number; // 0-based
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

/** Builds the instant, rejecting out-of-range parts (Feb 30, 25:00, …) instead of letting Date roll them over. */
function build(p: Parts): Date | null {
  if (p.month < 0 || p.month > 11 || p.day < 1 || p.day > 31) return null;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  if (p.hour === 24 && (p.minute !== 0 || p.second !== 0 || p.millisecond !== 0)) return null;
  if (p.year < 1000) return null;
  const dayCheck = new Date(Date.UTC(p.year, p.month, p.day));
  if (dayCheck.getUTCMonth() !== p.month || dayCheck.getUTCDate() !== p.day) return null;
  const local = Date.UTC(p.year, p.month, p.day, p.hour, p.minute, Math.min(p.second, 59), p.millisecond);
  const d = new Date(local - p.offsetMinutes * 60_000);
  return Number.isNaN(d.getTime()) ? null : d;
}

function to24h(hour: number, ampm: string | undefined): number | null {
  if (ampm === undefined) return hour;
  if (hour < 1 || hour > 12) return null;
  const pm = ampm.toUpperCase() === 'PM';
  return (hour % 12) + (pm ? 12 : 0);
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * `[Weekday[,]] Month Day[,] Year Time [AM|PM] [offset] [(zone name)]` and `[Weekday,] Day Month Year Time
 * [offset]` (RFC 2822 style).
 */
const TEXT_RE =
  /^(?:([A-Za-z]+\.?),?\s+)?(?:([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})\s+([A-Za-z]+)\.?),?\s+(\d{4}),?(?:\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:\s*([AaPp][Mm]))?)?(?:\s*((?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|Z|UTC|GMT))?(?:\s*\([^()]*\))?$/;

function fraction(raw: string | undefined): number {
  if (raw === undefined) return 0;
  return Math.floor(Number(`0.${raw}`) * 1000);
}

/** Parses a MegaMeeting date string; `null` when it cannot be read with confidence. Never throws. */
export function parseMegaMeetingDate(s: string): Date | null {
  if (typeof s !== 'string') return null;
  const input = s.trim();
  if (input === '' || input.length > 100) return null;

  // Epoch seconds (10 digits) or milliseconds (13 digits).
  if (/^\d{10}$/.test(input)) return new Date(Number(input) * 1000);
  if (/^\d{13}$/.test(input)) return new Date(Number(input));

  const iso = ISO_RE.exec(input);
  if (iso) {
    const offset = parseOffset(iso[8]);
    if (offset === null) return null;
    return build({
      year: Number(iso[1]),
      month: Number(iso[2]) - 1,
      day: Number(iso[3]),
      hour: iso[4] === undefined ? 0 : Number(iso[4]),
      minute: iso[5] === undefined ? 0 : Number(iso[5]),
      second: iso[6] === undefined ? 0 : Number(iso[6]),
      millisecond: fraction(iso[7]),
      offsetMinutes: offset,
    });
  }

  const t = TEXT_RE.exec(input);
  if (t) {
    const [, weekday, monthFirst, dayAfterMonth, dayFirst, monthAfterDay, year, hh, mm, ss, ms, ampm, zone] =
      t;
    if (weekday !== undefined && !isWeekday(weekday)) return null;
    const monthWord = monthFirst ?? monthAfterDay;
    const dayWord = dayAfterMonth ?? dayFirst;
    if (monthWord === undefined || dayWord === undefined || year === undefined) return null;
    const month = monthIndex(monthWord);
    if (month === undefined) return null;
    const hour = to24h(hh === undefined ? 0 : Number(hh), hh === undefined ? undefined : ampm);
    if (hour === null) return null;
    const offset = parseOffset(zone);
    if (offset === null) return null;
    return build({
      year: Number(year),
      month,
      day: Number(dayWord),
      hour,
      minute: mm === undefined ? 0 : Number(mm),
      second: ss === undefined ? 0 : Number(ss),
      millisecond: fraction(ms),
      offsetMinutes: offset,
    });
  }
  return null;
}
