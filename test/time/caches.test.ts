/**
 * The time module's caches are bounded (each Intl.DateTimeFormat holds ICU data outside the JS heap): walking
 * every zone, as the picker's search does, leaves at most FORMATTER_CACHE_MAX formatters of each kind, and
 * zone names from outside stop at ZONE_NAME_CACHE_MAX — while the answers stay right.
 */
import {
  FORMATTER_CACHE_MAX,
  isValidTimeZone,
  timeZoneCacheSizes,
  ZONE_NAME_CACHE_MAX,
  zoneAbbreviation,
  zoneOffsetMinutes,
} from '../../src/time/tz.js';
import { allTimeZones, searchTimeZones } from '../../src/time/zones.js';

const JULY = new Date('2026-07-01T12:00:00Z');

// First in this file: the module's caches are still empty.
test('a short query that is a city is not taken for an abbreviation (no formatter per zone and locale)', () => {
  expect(searchTimeZones('tokyo', JULY)[0]?.value).toBe('Asia/Tokyo');
  expect(searchTimeZones('lima', JULY)[0]?.value).toBe('America/Lima');
  expect(timeZoneCacheSizes().shortNameFormats).toBe(0);
});

test('walking every zone keeps the formatter caches at their bound', () => {
  const zones = allTimeZones();
  expect(zones.length).toBeGreaterThan(FORMATTER_CACHE_MAX * 2);
  for (const zone of zones) {
    zoneOffsetMinutes(JULY, zone);
    zoneAbbreviation(JULY, zone);
  }
  // And the search (index of every zone's offset, abbreviations of every zone) on top.
  expect(searchTimeZones('aest', JULY).map((o) => o.value)).toEqual(
    expect.arrayContaining(['Australia/Brisbane', 'Australia/Sydney']),
  );
  const sizes = timeZoneCacheSizes();
  expect(sizes.offsetFormats).toBe(FORMATTER_CACHE_MAX);
  expect(sizes.shortNameFormats).toBe(FORMATTER_CACHE_MAX);
  // Evicted formatters are made again on demand, with the same answers.
  expect(zoneOffsetMinutes(JULY, zones[0] as string)).toBe(zoneOffsetMinutes(JULY, zones[0] as string));
  expect(zoneOffsetMinutes(JULY, 'America/New_York')).toBe(-240);
  expect(zoneOffsetMinutes(JULY, 'Asia/Kathmandu')).toBe(345);
  expect(zoneOffsetMinutes(JULY, 'UTC')).toBe(0);
  expect(zoneOffsetMinutes(JULY, 'Pacific/Chatham')).toBe(765);
  expect(zoneAbbreviation(JULY, 'America/Chicago')).toBe('CDT');
});

test('zone names from outside are remembered up to ZONE_NAME_CACHE_MAX', () => {
  for (let i = 0; i < ZONE_NAME_CACHE_MAX + 200; i++) isValidTimeZone(`Nowhere/Town_${i}`);
  expect(timeZoneCacheSizes().zoneNames).toBe(ZONE_NAME_CACHE_MAX);
  expect(isValidTimeZone('Europe/Paris')).toBe(true);
  expect(isValidTimeZone('Nowhere/Town_0')).toBe(false);
});
