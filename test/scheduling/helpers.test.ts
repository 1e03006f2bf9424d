/**
 * The scheduling tests' own wall-time arithmetic (Intl, independent of src/time), checked against instants
 * written out by hand, so the instants those tests expect do not merely echo the app's converter.
 */
import { wallDateIn, wallTimeToInstant } from './helpers.js';

test.each([
  ['2031-01-14', '15:00', 'America/Chicago', '2031-01-14T21:00:00.000Z'],
  ['2031-07-15', '16:30', 'America/New_York', '2031-07-15T20:30:00.000Z'],
  // The afternoon of the day DST starts in New York (second Sunday of March 2031): already -0400.
  ['2031-03-09', '15:00', 'America/New_York', '2031-03-09T19:00:00.000Z'],
  ['2031-03-03', '09:30', 'Asia/Kolkata', '2031-03-03T04:00:00.000Z'],
  // Southern hemisphere: summer time in January.
  ['2031-01-20', '09:00', 'Pacific/Auckland', '2031-01-19T20:00:00.000Z'],
  ['2031-06-20', '09:00', 'Pacific/Auckland', '2031-06-19T21:00:00.000Z'],
  ['2031-02-01', '12:00', 'Pacific/Chatham', '2031-01-31T22:15:00.000Z'],
  ['2031-02-01', '12:00', 'UTC', '2031-02-01T12:00:00.000Z'],
])('%s %s in %s is %s', (date, time, zone, expected) => {
  expect(wallTimeToInstant(date, time, zone).toISOString()).toBe(expected);
});

test.each([
  ['2031-01-15T03:00:00.000Z', 'America/Chicago', '2031-01-14'],
  ['2031-01-15T06:00:00.000Z', 'America/Chicago', '2031-01-15'],
  ['2031-01-14T11:30:00.000Z', 'Pacific/Auckland', '2031-01-15'],
  ['2031-01-14T18:29:00.000Z', 'Asia/Kolkata', '2031-01-14'],
  ['2031-01-14T18:30:00.000Z', 'Asia/Kolkata', '2031-01-15'],
])('the wall date of %s in %s is %s', (instant, zone, expected) => {
  expect(wallDateIn(new Date(instant), zone)).toBe(expected);
});
