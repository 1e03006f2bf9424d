// Over 300 lines on purpose: one grammar for plain-English times; its parts are tested together by the
// 72-phrase table.
/**
 * The `/meet <title> <when>` reader: finds a start time (and a length or an end) in plain English with
 * chrono-node, in the invoking user's IANA zone, and what remains is the title.
 *
 * It is deliberately conservative: whenever the text could mean something else ("at 3": 3 AM or 3 PM? "3/10":
 * March 10 or 3 October? two times, a past time, a date without a time, a time that does not exist because of
 * a DST change) it answers `ambiguous` and the caller opens the schedule modal prefilled, instead of guessing.
 * Numbers that belong to titles ("Q3 planning", "Sprint 42 retro", "top 10 ideas", "24/7 support") are never
 * read as times.
 */
import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';
import {
  assertInstant,
  canonicalTimeZone,
  isValidTimeZone,
  wallFieldsToInstant,
  type ZonedInstant,
  zonedFields,
  zoneOffsetMinutes,
} from './tz.js';

export interface ParseMeetingOptions {
  now: Date;
  /** IANA zone of the user, e.g. from Slack's `users.info` `tz`. */
  timeZone: string;
  /** Length when the text gives none. Default 30. */
  defaultDurationMinutes?: number;
}

export type ParsedMeetingText =
  | {
      kind: 'scheduled';
      /** The text without the time words; may be '' (the caller picks a default title). */
      title: string;
      start: Date;
      end: Date;
      durationMinutes: number;
      /** The time words that were read, as typed (e.g. `tomorrow at 3pm for 45m`). */
      matchedText: string;
    }
  | {
      kind: 'ambiguous';
      title: string;
      /** Short and lower case, shown to the user in a sentence: "I wasn't sure when you meant (REASON)". */
      reason: string;
      /** The best reading, to prefill the modal. */
      start?: Date;
    }
  | { kind: 'none'; title: string };

export const DEFAULT_DURATION_MINUTES = 30;
export const MAX_DURATION_MINUTES = 24 * 60;
/** How far ahead a plain-English time may be (a bit over a year). */
export const MAX_DAYS_AHEAD = 366;
/** Longer text is not searched for times (it is far over any title limit anyway). */
const MAX_TEXT_LENGTH = 1000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Durations

const WORD_NUMBERS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  'forty five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
};

const NUM = String.raw`\d+(?:[.,]\d+)?`;
const WORD_NUM = `an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty[- ]five|forty|fifty|sixty|ninety`;
const H_UNIT = 'h|hrs?|hours?';
const M_UNIT = 'm|mins?|minutes?';
const DURATION = [
  String.raw`half\s+an?\s+hour`,
  // 1h30, 1h30m, 2hrs15
  String.raw`\d+\s*(?:${H_UNIT})\d{1,2}(?:${M_UNIT})?`,
  // 1 hour 30 minutes, 1h 30m, an hour and 15 minutes, an hour and a half, 1.5 hours, 2h
  String.raw`(?:${NUM}|${WORD_NUM})(?:\s+and\s+a\s+half)?\s*(?:${H_UNIT})(?:\s+and\s+a\s+half|\s*(?:and\s+)?(?:\d+|${WORD_NUM})\s*(?:${M_UNIT}))?`,
  // 45m, 45 minutes, ninety minutes
  String.raw`(?:\d+|${WORD_NUM})\s*(?:${M_UNIT})`,
].join('|');

/** `for <duration>` anywhere. */
const FOR_DURATION_RE = new RegExp(String.raw`(?<![\w$€£])for\s+(${DURATION})(?![\w])`, 'gi');
/**
 * A duration without `for` (`1h30m`, `45 min`, `2 hours`): only counts right next to the time ("tomorrow 3pm
 * 1h30m"); anywhere else it stays in the title ("Budget $5m review").
 */
const BARE_DURATION_RE = new RegExp(String.raw`(?<![\w$€£.,:/+\-])(?:${DURATION})(?![\w])`, 'gi');
/** `for` and a number that is not a duration we can read ("for 30", "for 3 days"). */
const FOR_NUMBER_RE = new RegExp(
  String.raw`(?<![\w])for\s+(?:\d+(?:[.,]\d+)?|${WORD_NUM}|half)(?![\w.,])`,
  'gi',
);

function numberValue(token: string): number | undefined {
  const word = WORD_NUMBERS[token.toLowerCase().replace(/\s+/g, ' ')];
  if (word !== undefined) return word;
  const value = Number(token.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Minutes in a duration phrase (the whole string): `45m`, `45 minutes`, `1.5h`, `2 hours`, `an hour`,
 * `1h30`, `1h30m`, `1 hour 30 minutes`, `an hour and a half`, `half an hour`, optionally after `for`.
 * Undefined when the text is not a duration. Not range-checked.
 */
export function parseDuration(text: string): number | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/^for\s+/, '');
  if (!new RegExp(`^(?:${DURATION})$`, 'i').test(s)) return undefined;
  if (/^half\s+an?\s+hour$/.test(s)) return 30;
  const compact = new RegExp(String.raw`^(\d+)\s*(?:${H_UNIT})(\d{1,2})(?:${M_UNIT})?$`).exec(s);
  if (compact) return Number(compact[1]) * 60 + Number(compact[2]);
  const hours = new RegExp(
    String.raw`^(${NUM}|${WORD_NUM})(\s+and\s+a\s+half)?\s*(?:${H_UNIT})(?:(\s+and\s+a\s+half)|\s*(?:and\s+)?(\d+|${WORD_NUM})\s*(?:${M_UNIT}))?$`,
  ).exec(s);
  if (hours) {
    const h = numberValue(hours[1] ?? '');
    if (h === undefined) return undefined;
    const half = hours[2] || hours[3] ? 30 : 0;
    const m = hours[4] !== undefined ? numberValue(hours[4]) : 0;
    if (m === undefined) return undefined;
    return Math.round(h * 60 + half + m);
  }
  const minutes = new RegExp(String.raw`^(\d+|${WORD_NUM})\s*(?:${M_UNIT})$`).exec(s);
  if (minutes) return numberValue(minutes[1] ?? '');
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Title

interface Span {
  start: number;
  end: number;
}

/** Words that only connect the title to the time ("Demo on March 10", "Sync at 3pm", "Review for 45m"). */
const CONNECTOR_BEFORE_RE = /(?:^|\s)(?:at|on|for|from|starting|@|,|-|–|—|:)\s*$/i;
const CONNECTOR_AFTER_RE = /^\s*(?:at|on|for|from|@|,|-|–|—)(?=\s|$)/i;

function stripConnectors(segment: string, before: boolean, after: boolean): string {
  let s = segment;
  for (let changed = true; changed; ) {
    changed = false;
    if (after && CONNECTOR_BEFORE_RE.test(s)) {
      s = s.replace(CONNECTOR_BEFORE_RE, '');
      changed = true;
    }
    if (before && CONNECTOR_AFTER_RE.test(s)) {
      s = s.replace(CONNECTOR_AFTER_RE, '');
      changed = true;
    }
  }
  return s;
}

/** The text without the spans and the connecting words next to them, tidied. */
function titleWithout(text: string, spans: Span[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let cursor = 0;
  sorted.forEach((span, i) => {
    parts.push(stripConnectors(text.slice(cursor, span.start), i > 0, true));
    cursor = Math.max(cursor, span.end);
  });
  parts.push(stripConnectors(text.slice(cursor), sorted.length > 0, false));
  return tidy(parts.join(' '));
}

function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:\-–—]+|[\s,;:\-–—]+$/g, '')
    .trim();
}

function spanText(text: string, spans: Span[]): string {
  return [...spans]
    .sort((a, b) => a.start - b.start)
    .map((span) => text.slice(span.start, span.end).trim())
    .join(' ');
}

/**
 * Date words left in the title after chrono read the time mean it read only part of the date ("sync the 5th
 * at 3pm" gives just "at 3pm"). Not listed because they are common in titles: may, march, sat, sun, and the
 * parts of a day (morning, evening).
 */
const LEFTOVER_DATE_WORDS_RE =
  /\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tues?|wed|thu|thurs|fri|today|tonight|tomorrow|tmrw|tmr|yesterday|noon|midnight|january|february|april|june|july|august|september|october|november|december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec|a\.?m\.?|p\.?m\.?|o'?clock|next\s+(?:week|month)|\d{1,2}(?:st|nd|rd|th)|\d{1,2}:\d{2}|\d{1,2}\s*(?:am|pm))(?![\w])/i;

// ---------------------------------------------------------------------------------------------------------
// Reading chrono's results

type Components = Chrono.ParsedComponents;

/**
 * chrono-node is not loaded by importing this module (tools, tests and a process that never reads a time need not
 * carry it), but its CommonJS build is loaded synchronously, so that parsing stays a plain function. That load
 * freezes the event loop for 130–200 ms on this project's machine: a server calls `preloadTimeParser` once it
 * listens, so no `/meet` (with Slack's 3-second window) pays for it.
 */
let chronoModule: typeof Chrono | undefined;
function chrono(): typeof Chrono {
  chronoModule ??= createRequire(import.meta.url)('chrono-node') as typeof Chrono;
  return chronoModule;
}

/** Loads the time parser now, off any request's path (see `chrono`). */
export function preloadTimeParser(): void {
  chrono();
}

const hasTag = (result: Chrono.ParsedResult, prefix: string) =>
  [...result.tags()].some((tag) => tag.startsWith(prefix));

/** A part of the day without a time ("Morning standup", "Evening review"). */
const isPartOfDayOnly = (result: Chrono.ParsedResult) =>
  hasTag(result, 'casualReference/') &&
  /^(?:this\s+)?(?:morning|afternoon|evening|night|tonight)$/i.test(result.text.trim()) &&
  !result.start.isCertain('hour');

/** A chrono result that is really part of a title, not a time. */
function isTitleNoise(result: Chrono.ParsedResult): boolean {
  const text = result.text.trim();
  // A lone number ("Sprint 42"): chrono does not usually match these, but never let one through.
  if (/^\d+$/.test(text)) return true;
  // "1 hour", "2 days": chrono reads a bare quantity as a time relative to now; without "in", "from now",
  // "later", "ago", "next" or "this" it is a length or part of the title.
  if (
    hasTag(result, 'result/relativeDate') &&
    !/\b(?:in|within|from\s+now|later|after|ago|next|last|this|coming)\b/i.test(text)
  ) {
    return true;
  }
  // "24/7", "50/50", "1/2": a bare slash date without a time or year is far likelier a title.
  if (/^\d{1,2}\/\d{1,2}$/.test(text)) return true;
  // "Weekend planning": chrono reads a bare "weekend" as Saturday.
  if (/^weekends?$/i.test(text)) return true;
  // A month or a year alone ("March madness", "Plan for 2027"): not a meeting time.
  const c = result.start;
  if (
    !c.isCertain('day') &&
    !c.isCertain('weekday') &&
    !c.isCertain('hour') &&
    !hasTag(result, 'casualReference/')
  ) {
    return true;
  }
  return false;
}

const PART_OF_DAY_HOURS: Readonly<Record<string, number>> = {
  morning: 9,
  afternoon: 14,
  evening: 18,
  tonight: 19,
  night: 19,
};

const isTimeOnly = (c: Components) =>
  !c.isCertain('day') && !c.isCertain('weekday') && !c.isCertain('month') && !c.isCertain('year');

/** How a wall time becomes an instant: through the IANA zone, or a fixed offset typed in the text ("3pm PST"). */
type Resolver = (f: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}) => ZonedInstant;

function fixedOffsetResolver(offsetMinutes: number): Resolver {
  return (f) => ({
    instant: new Date(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute) - offsetMinutes * MINUTE_MS),
    adjusted: 'none',
  });
}

function fieldsOf(c: Components) {
  return {
    year: c.get('year') ?? 1970,
    month: c.get('month') ?? 1,
    day: c.get('day') ?? 1,
    hour: c.get('hour') ?? 0,
    minute: c.get('minute') ?? 0,
  };
}

/** The calendar date `days` after a calendar date. */
function addDays(f: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The next occurrence of hour:minute after `now` (today if still ahead, else tomorrow), as wall fields. */
function nextOccurrence(
  hour: number,
  minute: number,
  today: { year: number; month: number; day: number },
  now: Date,
  resolve: Resolver,
) {
  const sameDay = { ...today, hour, minute };
  if (resolve(sameDay).instant.getTime() > now.getTime()) return sameDay;
  return { ...addDays(today, 1), hour, minute };
}

/** Whether a timezoneOffset chrono found was really typed as a zone ("3pm PST", "15:00 UTC", "+05:30"). */
function typedZone(text: string): boolean {
  return /(?:\b[A-Z]{2,5}\b|[+-]\d{2}:?\d{2}\b|\bZ\b)/.test(
    text.replace(/\b(?:AM|PM|A\.M\.|P\.M\.)\b/gi, ''),
  );
}

// ---------------------------------------------------------------------------------------------------------

function ambiguous(title: string, reason: string, start?: Date): ParsedMeetingText {
  return start ? { kind: 'ambiguous', title, reason, start } : { kind: 'ambiguous', title, reason };
}

/**
 * Reads `/meet <title> <when>`: "Design review tomorrow at 3pm" → scheduled, title "Design review", start at
 * 15:00 tomorrow in `timeZone`, 30 minutes. See the module comment for when it answers `ambiguous` or `none`.
 */
export function parseMeetingText(text: string, options: ParseMeetingOptions): ParsedMeetingText {
  const { now } = options;
  assertInstant(now, 'now');
  const original = tidy(typeof text === 'string' ? text : '');
  if (original === '' || original.length > MAX_TEXT_LENGTH) return { kind: 'none', title: original };

  const zoneKnown = isValidTimeZone(options.timeZone);
  // An unknown zone still lets us tell "no time here" (none) from "a time we cannot place" (ambiguous).
  const timeZone = zoneKnown ? (canonicalTimeZone(options.timeZone) ?? options.timeZone) : 'UTC';
  const defaultDuration = options.defaultDurationMinutes ?? DEFAULT_DURATION_MINUTES;

  // 1. Durations: "for …" anywhere, and bare compact ones ("1h30m") that may turn out to sit next to the time.
  const forDurations: Array<Span & { minutes: number | undefined }> = [];
  for (const m of original.matchAll(FOR_DURATION_RE)) {
    forDurations.push({ start: m.index, end: m.index + m[0].length, minutes: parseDuration(m[1] ?? '') });
  }
  const bareDurations: Array<Span & { minutes: number | undefined }> = [];
  for (const m of original.matchAll(BARE_DURATION_RE)) {
    const end = m.index + m[0].length;
    const inside = forDurations.some((d) => m.index >= d.start && m.index < d.end);
    // "in 45m", "45 minutes from now" name a start, not a length.
    const relative =
      /\b(?:in|within|after)\s+$/i.test(original.slice(0, m.index)) ||
      /^\s*(?:from\s+now|later|ago|before|after|earlier)\b/i.test(original.slice(end));
    if (!inside && !relative) bareDurations.push({ start: m.index, end, minutes: parseDuration(m[0]) });
  }
  // chrono would read "for 45m" as "45 minutes from now": hide the durations from it (same length, so the
  // indexes of its results still point into the original text).
  let blanked = original;
  for (const span of [...forDurations, ...bareDurations]) {
    blanked = blanked.slice(0, span.start) + ' '.repeat(span.end - span.start) + blanked.slice(span.end);
  }
  // chrono reads "noon-1pm" as noon at UTC-1; "12pm" has the same length, so indexes stay right. And it
  // does not join "tomorrow @ 3pm" into one time unless the "@" goes.
  blanked = blanked
    .replace(/\bnoon(?=\s*(?:-|–|to\b|until\b)\s*\d)/gi, '12pm')
    .replace(/(?<=\s)@(?=\s*\d)/g, ' ');

  // 2. chrono, with the reference "now" in the user's zone (its offset now; the date arithmetic below uses the
  //    zone's own offset at the date found, so DST changes in between are right).
  const reference = { instant: now, timezone: zoneOffsetMinutes(now, timeZone) };
  let results = chrono()
    .parse(blanked, reference, { forwardDate: true })
    .filter((r) => !isTitleNoise(r));
  if (results.some((r) => r.start.isCertain('hour'))) results = results.filter((r) => !isPartOfDayOnly(r));

  if (results.length === 0) return { kind: 'none', title: original };
  if (results.length > 1) {
    const spans = results.map((r) => ({ start: r.index, end: r.index + r.text.length }));
    return ambiguous(
      titleWithout(original, [...spans, ...forDurations]),
      'it mentions more than one date or time',
    );
  }

  const [result] = results;
  if (!result) return { kind: 'none', title: original };
  const timeSpan = { start: result.index, end: result.index + result.text.length };
  const adjacent = (d: Span) =>
    (d.start >= timeSpan.end || d.end <= timeSpan.start) &&
    /^[\s,]*$/.test(original.slice(Math.min(d.end, timeSpan.end), Math.max(d.start, timeSpan.start)));
  const durations = [...forDurations, ...bareDurations.filter(adjacent)];
  const spans = [timeSpan, ...durations];
  const title = titleWithout(original, spans);
  const matchedText = spanText(original, spans);

  if (hasTag(result, 'casualReference/now')) return { kind: 'none', title }; // "now": an instant meeting
  const unreadLength = [...original.matchAll(FOR_NUMBER_RE)].some(
    (m) =>
      !forDurations.some((d) => d.start === m.index) &&
      adjacent({ start: m.index, end: m.index + m[0].length }),
  );
  if (!zoneKnown) return ambiguous(title, `your time zone (${options.timeZone}) is not one I know`);

  const c = result.start;
  let resolve: Resolver = (f) => wallFieldsToInstant(f, timeZone);
  let today = dateOf(zonedFields(now, timeZone));
  if (c.isCertain('timezoneOffset')) {
    // A zone typed in the text ("3pm PST") wins over the user's zone; "in 2 hours" is exact from now (chrono
    // pins it to the offset of now). Anything else is chrono mistaking a dash for a zone ("noon-1").
    const relative = hasTag(result, 'result/relativeDateAndTime');
    if (!relative && !typedZone(result.text))
      return ambiguous(title, `I couldn't read "${result.text.trim()}"`);
    const offset = c.get('timezoneOffset') ?? 0;
    resolve = fixedOffsetResolver(offset);
    const shifted = new Date(now.getTime() + offset * MINUTE_MS);
    today = { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
  }

  let fields = fieldsOf(c);
  // A time without a date is the next time the clock shows it, computed in the zone itself (chrono's own
  // forwardDate uses the offset of "now", which is an hour off on the day of a DST change).
  if (isTimeOnly(c) && c.isCertain('hour'))
    fields = nextOccurrence(fields.hour, fields.minute, today, now, resolve);

  if (!c.isCertain('hour')) {
    // A date without a time ("Planning friday", "tomorrow evening"): prefill that date at 09:00, or at an
    // office-hours reading of the part of the day named (chrono's own: morning 06:00, evening 20:00).
    const part = Object.keys(PART_OF_DAY_HOURS).find((name) => hasTag(result, `casualReference/${name}`));
    const hour = part ? (PART_OF_DAY_HOURS[part] ?? 9) : 9;
    return ambiguous(title, 'no time of day was given', resolve({ ...fields, hour, minute: 0 }).instant);
  }

  const meridiemKnown = c.isCertain('meridiem') || hasTag(result, 'casualReference/');
  const twentyFourHour = /\b0\d:\d{2}\b/.test(result.text);
  if (!meridiemKnown && !twentyFourHour && fields.hour >= 1 && fields.hour <= 11) {
    const pm = isTimeOnly(c)
      ? nextOccurrence(fields.hour + 12, fields.minute, today, now, resolve)
      : { ...fields, hour: fields.hour + 12 };
    const amPassedToday =
      isTimeOnly(c) &&
      resolve({ ...today, hour: fields.hour, minute: fields.minute }).instant.getTime() <= now.getTime() &&
      resolve({ ...today, hour: fields.hour + 12, minute: fields.minute }).instant.getTime() > now.getTime();
    // "at 3": chrono says 03:00, but meetings before 8 AM are rare; "at 9" said at 10 AM may mean tonight.
    if (fields.hour <= 7 || amPassedToday) {
      return ambiguous(title, `"${result.text.trim()}" could be AM or PM`, resolve(pm).instant);
    }
  }

  const slash = /\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/.exec(result.text);
  if (slash && Number(slash[1]) <= 12 && Number(slash[2]) <= 12 && slash[1] !== slash[2]) {
    const reading = resolve(fields).instant;
    return ambiguous(title, `"${slash[0]}" could be month/day or day/month`, reading);
  }

  const startResolved = resolve(fields);
  const start = startResolved.instant;
  if (LEFTOVER_DATE_WORDS_RE.test(title)) {
    return ambiguous(title, "I couldn't read all of the date", start);
  }
  if (startResolved.adjusted === 'gap') {
    return ambiguous(title, "that time doesn't exist that day: the clocks change", start);
  }
  if (startResolved.adjusted === 'overlap') {
    return ambiguous(title, 'that time happens twice that night: the clocks change', start);
  }
  if (start.getTime() < now.getTime()) return ambiguous(title, 'that time has already passed', start);
  if (start.getTime() > now.getTime() + MAX_DAYS_AHEAD * DAY_MS) {
    return ambiguous(title, "that's more than a year ahead", start);
  }

  // 3. The end: a range ("3-4pm", "from 3pm to 4:30pm"), a duration, or the default.
  let durationMinutes: number;
  if (result.end) {
    if (durations.length > 0) return ambiguous(title, 'it gives both an end time and a length', start);
    const e = result.end;
    let endFields = fieldsOf(e);
    // chrono copies or implies the end's date; a range is read from the start's date ("dinner 7-9pm friday").
    if (!e.isCertain('day')) endFields = { ...endFields, ...dateOf(fields) };
    let end = resolve(endFields).instant;
    if (end.getTime() <= start.getTime() && !e.isCertain('day')) {
      end = resolve({ ...endFields, ...addDays(endFields, 1) }).instant; // "10pm-1am"
    }
    durationMinutes = Math.round((end.getTime() - start.getTime()) / MINUTE_MS);
  } else if (durations.length > 1) {
    return ambiguous(title, 'it gives more than one length', start);
  } else {
    const [duration] = durations;
    if (duration && duration.minutes === undefined)
      return ambiguous(title, "I couldn't read the length", start);
    durationMinutes = duration?.minutes ?? defaultDuration;
  }
  if (unreadLength) return ambiguous(title, "I couldn't read the length", start);
  if (!(durationMinutes > 0 && durationMinutes <= MAX_DURATION_MINUTES)) {
    return ambiguous(title, 'the length must be more than 0 minutes and at most 24 hours', start);
  }

  return {
    kind: 'scheduled',
    title,
    start,
    end: new Date(start.getTime() + durationMinutes * MINUTE_MS),
    durationMinutes,
    matchedText,
  };
}

function dateOf(f: { year: number; month: number; day: number }) {
  return { year: f.year, month: f.month, day: f.day };
}
