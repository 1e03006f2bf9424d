import { isValidTimeZone } from '../../src/time/megameeting-time.js';
import {
  allTimeZones,
  parseOffsetQuery,
  SLACK_OPTION_TEXT_MAX,
  searchTimeZones,
  timeZoneLabel,
  timeZoneOption,
  timeZoneOptionLabel,
  warmTimeZoneSearch,
} from '../../src/time/zones.js';

const JANUARY = new Date('2026-01-15T12:00:00Z');
const JULY = new Date('2026-07-15T12:00:00Z');

const values = (query: string, now: Date, limit?: number, preferred?: string) =>
  searchTimeZones(query, now, limit, preferred).map((option) => option.value);

beforeAll(() => {
  warmTimeZoneSearch(JANUARY);
});

describe('allTimeZones', () => {
  test('every runtime zone under its current IANA name, plus UTC, all valid and unique', () => {
    const zones = allTimeZones();
    expect(zones.length).toBeGreaterThan(300);
    expect(new Set(zones).size).toBe(zones.length);
    expect(zones).toEqual(expect.arrayContaining(['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Kyiv']));
    expect(zones).not.toContain('Asia/Calcutta');
    expect(zones.every(isValidTimeZone)).toBe(true);
  });

  test('every option label fits Slack’s 75-character limit, in January and in July', () => {
    for (const now of [JANUARY, JULY]) {
      const options = searchTimeZones('', now, 10_000);
      expect(options).toHaveLength(allTimeZones().length);
      for (const option of options) {
        expect(option.label.length).toBeLessThanOrEqual(SLACK_OPTION_TEXT_MAX);
        expect(option.label).toMatch(/^\(UTC[+-]\d{2}:\d{2}\) \S/);
      }
    }
  });
});

describe('timeZoneOptionLabel / timeZoneOption / timeZoneLabel', () => {
  test.each([
    ['America/New_York', JANUARY, '(UTC-05:00) America/New York', 'America/New_York (EST, UTC-05:00)'],
    ['America/New_York', JULY, '(UTC-04:00) America/New York', 'America/New_York (EDT, UTC-04:00)'],
    ['Asia/Kolkata', JANUARY, '(UTC+05:30) Asia/Kolkata', 'Asia/Kolkata (IST, UTC+05:30)'],
    ['Asia/Calcutta', JANUARY, '(UTC+05:30) Asia/Kolkata', 'Asia/Kolkata (IST, UTC+05:30)'],
    ['Australia/Sydney', JANUARY, '(UTC+11:00) Australia/Sydney', 'Australia/Sydney (AEDT, UTC+11:00)'],
    ['Australia/Sydney', JULY, '(UTC+10:00) Australia/Sydney', 'Australia/Sydney (AEST, UTC+10:00)'],
    ['Pacific/Chatham', JULY, '(UTC+12:45) Pacific/Chatham', 'Pacific/Chatham (CHAST, UTC+12:45)'],
    ['Asia/Shanghai', JULY, '(UTC+08:00) Asia/Shanghai', 'Asia/Shanghai (UTC+08:00)'],
    ['UTC', JULY, '(UTC+00:00) UTC', 'UTC (UTC+00:00)'],
    [
      'America/Argentina/Buenos_Aires',
      JULY,
      '(UTC-03:00) America/Argentina/Buenos Aires',
      'America/Argentina/Buenos_Aires (UTC-03:00)',
    ],
  ])('%s at %s', (zone, now, optionLabel, label) => {
    expect(timeZoneOptionLabel(zone, now)).toBe(optionLabel);
    expect(timeZoneLabel(zone, now)).toBe(label);
  });

  test('timeZoneOption gives the picker value for initial_option', () => {
    expect(timeZoneOption('Asia/Calcutta', JANUARY)).toEqual({
      value: 'Asia/Kolkata',
      label: '(UTC+05:30) Asia/Kolkata',
    });
    expect(timeZoneOption('Nowhere/Special', JANUARY)).toBeUndefined();
  });
});

describe('parseOffsetQuery', () => {
  test.each([
    ['utc+5:30', 330],
    ['UTC+05:30', 330],
    ['gmt+5:30', 330],
    ['+0530', 330],
    ['+5.5', 330],
    ['utc-5', -300],
    ['utc −3:30', -210],
    ['+12:45', 765],
    ['utc+14', 840],
    ['utc', undefined],
    ['utc+15', undefined],
    ['+5:75', undefined],
    ['new york', undefined],
  ])('%j → %s', (query, minutes) => {
    expect(parseOffsetQuery(query)).toBe(minutes);
  });
});

describe('searchTimeZones', () => {
  test.each([
    ['new york', 'America/New_York'],
    ['New_York', 'America/New_York'],
    ['NEW YORK', 'America/New_York'],
    ['america/new_york', 'America/New_York'],
    ['sydney', 'Australia/Sydney'],
    ['kolkata', 'Asia/Kolkata'],
    ['calcutta', 'Asia/Kolkata'],
    ['chatham', 'Pacific/Chatham'],
    ['utc', 'UTC'],
    ['buenos', 'America/Argentina/Buenos_Aires'],
  ])('%j finds %s first', (query, zone) => {
    expect(values(query, JANUARY)[0]).toBe(zone);
  });

  test('abbreviations', () => {
    expect(values('ist', JANUARY)).toEqual(expect.arrayContaining(['Asia/Kolkata']));
    expect(values('ist', JANUARY).slice(0, 2)).toContain('Asia/Kolkata');
    expect(values('pst', JANUARY).slice(0, 3)).toContain('America/Los_Angeles');
    expect(values('PDT', JANUARY).slice(0, 3)).toContain('America/Los_Angeles'); // daylight name in winter
    expect(values('aest', JANUARY)).toContain('Australia/Sydney'); // standard name in summer
    expect(values('aedt', JULY)).toContain('Australia/Sydney');
    expect(values('est', JULY)).toContain('America/New_York');
    expect(values('chast', JANUARY)[0]).toBe('Pacific/Chatham');
  });

  test('UTC offsets at the given instant, DST included', () => {
    expect(values('utc+5:30', JANUARY)).toEqual(expect.arrayContaining(['Asia/Kolkata']));
    expect(values('utc+5:30', JANUARY)).not.toContain('Asia/Kathmandu');
    expect(values('+13:45', JANUARY)).toEqual(['Pacific/Chatham']);
    expect(values('+12:45', JULY)).toEqual(['Pacific/Chatham']);
    expect(values('+12:45', JANUARY)).toEqual([]);
    expect(values('utc-5', JANUARY)).toContain('America/New_York');
    expect(values('utc-5', JULY)).not.toContain('America/New_York');
    expect(values('utc-4', JULY)).toContain('America/New_York');
    expect(values('utc+11', JANUARY)).toContain('Australia/Sydney');
    expect(values('utc+10', JULY)).toContain('Australia/Sydney');
  });

  test('the user’s own zone comes first when it matches, and heads the full list', () => {
    expect(values('', JANUARY, 5, 'Asia/Kolkata')[0]).toBe('Asia/Kolkata');
    expect(values('', JANUARY, 5, 'Asia/Calcutta')[0]).toBe('Asia/Kolkata');
    expect(values('america', JANUARY, 5, 'America/Chicago')[0]).toBe('America/Chicago');
    expect(values('sydney', JANUARY, 5, 'America/Chicago')).toEqual(['Australia/Sydney']);
  });

  test('limit, ranking by offset then name, and no matches', () => {
    expect(searchTimeZones('', JANUARY)).toHaveLength(100);
    expect(searchTimeZones('a', JANUARY, 3)).toHaveLength(3);
    expect(values('zzzz-no-such-zone', JANUARY)).toEqual([]);
    const europe = values('europe/', JULY, 200);
    expect(europe.length).toBeGreaterThan(30);
    expect(europe.every((zone) => zone.startsWith('Europe/'))).toBe(true);
  });

  test('labels in results', () => {
    expect(searchTimeZones('new york', JULY)[0]).toEqual({
      value: 'America/New_York',
      label: '(UTC-04:00) America/New York',
    });
  });

  test('hostile queries do not throw', () => {
    for (const query of ['', '   ', '.*', '(', '\\', '<script>', 'x'.repeat(10_000), '+99:99', '💥']) {
      expect(() => searchTimeZones(query, JANUARY)).not.toThrow();
    }
  });
});
