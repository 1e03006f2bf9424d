/**
 * The IANA zones offered by the schedule modal's searchable zone picker (a Slack external_select), and labels.
 */
import { truncate } from '../util/text.js';
import {
  canonicalTimeZone,
  formatUtcOffset,
  isValidTimeZone,
  RENAMED_ZONES,
  zoneAbbreviation,
  zoneOffsetMinutes,
} from './tz.js';

export interface ZoneOption {
  /** The IANA id, as Slack's `users.info` `tz` spells it (Asia/Kolkata, not Asia/Calcutta). */
  value: string;
  /** `(UTC-05:00) America/New York`, at most SLACK_OPTION_TEXT_MAX characters. */
  label: string;
}

/** Slack's limit on an option's plain_text. */
export const SLACK_OPTION_TEXT_MAX = 75;
/** Slack's limit on the options of an external_select answer. */
export const SLACK_MAX_OPTIONS = 100;

let zoneList: readonly string[] | undefined;

/**
 * Every zone the runtime knows (`Intl.supportedValuesOf('timeZone')`, plus `UTC`, which it leaves out), under
 * its current IANA name, sorted by name.
 */
export function allTimeZones(): readonly string[] {
  if (!zoneList) {
    const names = new Set<string>(['UTC']);
    for (const id of Intl.supportedValuesOf('timeZone')) {
      const name = RENAMED_ZONES[id] ?? id;
      if (isValidTimeZone(name)) names.add(name);
    }
    zoneList = Object.freeze([...names].sort());
  }
  return zoneList;
}

const legacyNames = new Map<string, string[]>();
for (const [legacy, current] of Object.entries(RENAMED_ZONES)) {
  legacyNames.set(current, [...(legacyNames.get(current) ?? []), legacy]);
}

const display = (id: string) => id.replace(/_/g, ' ');

/** `(UTC-05:00) America/New York`: the option text in the zone picker at `now`. */
export function timeZoneOptionLabel(timeZone: string, now: Date): string {
  const id = canonicalTimeZone(timeZone) ?? timeZone;
  return truncate(
    `(UTC${formatUtcOffset(zoneOffsetMinutes(now, id))}) ${display(id)}`,
    SLACK_OPTION_TEXT_MAX,
  );
}

/** The picker option for one zone (for the modal's `initial_option`), or undefined for an unknown zone. */
export function timeZoneOption(timeZone: string, now: Date): ZoneOption | undefined {
  const id = canonicalTimeZone(timeZone);
  return id ? { value: id, label: timeZoneOptionLabel(id, now) } : undefined;
}

/**
 * `America/New_York (EST, UTC-05:00)`: a zone in words for cards and messages; without an abbreviation in
 * common use, `Asia/Shanghai (UTC+08:00)`; `UTC (UTC+00:00)`.
 */
export function timeZoneLabel(timeZone: string, now: Date): string {
  const id = canonicalTimeZone(timeZone) ?? timeZone;
  const offset = `UTC${formatUtcOffset(zoneOffsetMinutes(now, id))}`;
  const abbreviation = zoneAbbreviation(now, id);
  return abbreviation && abbreviation !== id ? `${id} (${abbreviation}, ${offset})` : `${id} (${offset})`;
}

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

/** `utc+5:30`, `GMT+05:30`, `+0530`, `utc-5`, `+5.5` → minutes east of UTC; undefined if not an offset. */
export function parseOffsetQuery(query: string): number | undefined {
  const m = /^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?:(?:[:h]?(\d{2}))|(?:[.,](\d+)))?$/i.exec(
    query.trim(),
  );
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes =
    m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? Math.round(Number(`0.${m[4]}`) * 60) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return m[1] === '+' ? total : -total;
}

interface ZoneEntry {
  id: string;
  /** Offset in minutes during the index's quarter hour. */
  offset: number;
  /** The id and its old names, lower case, `_` as space. */
  names: string[];
  cities: string[];
  words: string[];
}

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

// Every zone changes offset on a quarter hour of UTC (offsets are whole quarter hours and changes happen on the
// hour or half hour of local time), so offsets are constant within one UTC quarter hour: the index is rebuilt
// at most once per quarter hour.
let index: { bucket: number; entries: ZoneEntry[] } | undefined;

function zoneIndex(now: Date): ZoneEntry[] {
  const bucket = Math.floor(now.getTime() / QUARTER_HOUR_MS);
  if (index?.bucket !== bucket) {
    const at = new Date(bucket * QUARTER_HOUR_MS);
    const entries = allTimeZones().map((id) => {
      const names = [id, ...(legacyNames.get(id) ?? [])].map(normalize);
      return {
        id,
        offset: zoneOffsetMinutes(at, id),
        names,
        cities: names.map((name) => name.slice(name.lastIndexOf('/') + 1)),
        words: names.flatMap((name) => name.split(/[/\s-]+/)),
      };
    });
    index = { bucket, entries };
  }
  return index.entries;
}

const abbreviationCache = new Map<string, { day: number; now: string | undefined; seasonal: Set<string> }>();

/**
 * The zone's abbreviation at `now`, and those half a year either side (so "AEST" still finds Sydney in
 * January), lower case; cached per zone and UTC day.
 */
function abbreviationsOf(id: string, now: Date): { now: string | undefined; seasonal: Set<string> } {
  const day = Math.floor(now.getTime() / DAY_MS);
  const cached = abbreviationCache.get(id);
  if (cached?.day === day) return cached;
  const seasonal = new Set<string>();
  for (const shift of [-182, 182]) {
    const abbreviation = zoneAbbreviation(new Date(now.getTime() + shift * DAY_MS), id);
    if (abbreviation) seasonal.add(abbreviation.toLowerCase());
  }
  const entry = { day, now: zoneAbbreviation(now, id)?.toLowerCase(), seasonal };
  abbreviationCache.set(id, entry);
  return entry;
}

/**
 * 0 exact name; 1 offset, or abbreviation now; 2 abbreviation at another season; 3 city prefix; 4 word prefix;
 * 5 substring; 6 listed (empty query).
 */
function rankZone(
  zone: ZoneEntry,
  query: string,
  offsetQuery: number | undefined,
  now: Date,
  abbreviationQuery: boolean,
): number | undefined {
  if (query === '') return 6;
  if (offsetQuery !== undefined) return zone.offset === offsetQuery ? 1 : undefined;
  if (zone.names.includes(query) || zone.cities.includes(query)) return 0;
  if (abbreviationQuery) {
    const abbreviations = abbreviationsOf(zone.id, now);
    if (abbreviations.now === query) return 1;
    if (abbreviations.seasonal.has(query)) return 2;
  }
  if (zone.cities.some((city) => city.startsWith(query))) return 3;
  if (
    zone.words.some((word) => word.startsWith(query)) ||
    zone.names.some((name) => name.includes(` ${query}`))
  ) {
    return 4;
  }
  if (zone.names.some((name) => name.includes(query))) return 5;
  return undefined;
}

/**
 * Precomputes the search index (offsets and abbreviations) so that the first search is fast. The app does not
 * call it at start (it costs a formatter per zone and locale, about 100 MB of ICU data at once, kept only as
 * strings afterwards): the first abbreviation search of a day pays instead.
 */
export function warmTimeZoneSearch(now: Date): void {
  for (const zone of zoneIndex(now)) abbreviationsOf(zone.id, now);
}

/**
 * Zones matching `query` for the picker, best first: case-insensitive on the zone name with `_` and space
 * alike ("new york", "sydney", "america/new"), on abbreviations ("ist", "aest", "pst") and on UTC offsets
 * at `now` ("utc+5:30", "+0530", "gmt-5"). Exact names and abbreviations first, then prefixes, then
 * substrings; ties by offset, then name. `preferredZone` (the user's own) comes first whenever it matches, and
 * an empty query lists every zone with it first. At most `limit` (Slack allows 100).
 */
export function searchTimeZones(
  query: string,
  now: Date,
  limit = SLACK_MAX_OPTIONS,
  preferredZone?: string,
): ZoneOption[] {
  const q = normalize(query ?? '').slice(0, 100);
  const offsetQuery = parseOffsetQuery(q);
  const preferred = preferredZone ? canonicalTimeZone(preferredZone) : undefined;
  const ranked: Array<{ zone: ZoneEntry; rank: number }> = [];
  const zones = zoneIndex(now);
  // Abbreviations cost an Intl formatter per zone and locale the first time in a day (about a second for every
  // zone): a short query that is a zone's name or city ("tokyo", "lima") is not taken for an abbreviation.
  const abbreviationQuery =
    /^[a-z]{2,5}$/.test(q) && !zones.some((zone) => zone.names.includes(q) || zone.cities.includes(q));
  for (const zone of zones) {
    const rank = rankZone(zone, q, offsetQuery, now, abbreviationQuery);
    if (rank !== undefined) ranked.push({ zone, rank });
  }
  ranked.sort(
    (a, b) =>
      Number(b.zone.id === preferred) - Number(a.zone.id === preferred) ||
      a.rank - b.rank ||
      a.zone.offset - b.zone.offset ||
      a.zone.id.localeCompare(b.zone.id),
  );
  return ranked.slice(0, Math.max(0, limit)).map(({ zone }) => ({
    value: zone.id,
    label: truncate(`(UTC${formatUtcOffset(zone.offset)}) ${display(zone.id)}`, SLACK_OPTION_TEXT_MAX),
  }));
}
