import {
  canonicalTimeZone,
  formatMegaMeetingDateTime,
  formatMegaMeetingTimeZone,
  instantToZonedParts,
  isValidTimeZone,
  toMegaMeetingSchedule,
  zoneAbbreviation,
  zonedWallTimeToInstant,
  zoneOffsetMinutes,
} from '../../src/time/megameeting-time.js';

const at = (iso: string) => new Date(iso);

describe('formatMegaMeetingDateTime / formatMegaMeetingTimeZone', () => {
  test.each([
    // the documentation's examples
    ['2021-02-12T16:00:00Z', 'America/Chicago', 'Fri Feb 12 2021 10:00:00 -0600', 'CST/UTC-06:00'],
    ['2021-02-12T17:30:00Z', 'America/Chicago', 'Fri Feb 12 2021 11:30:00 -0600', 'CST/UTC-06:00'],
    ['2020-11-24T18:30:00Z', 'America/Chicago', 'Tue Nov 24 2020 12:30:00 -0600', 'CST/UTC-06:00'],
    ['2021-07-12T15:00:00Z', 'America/Chicago', 'Mon Jul 12 2021 10:00:00 -0500', 'CDT/UTC-05:00'],
    // America/New_York, spring forward (Sun 2026-03-08 02:00 EST → 03:00 EDT, at 07:00Z)
    ['2026-03-08T06:59:00Z', 'America/New_York', 'Sun Mar 08 2026 01:59:00 -0500', 'EST/UTC-05:00'],
    ['2026-03-08T07:00:00Z', 'America/New_York', 'Sun Mar 08 2026 03:00:00 -0400', 'EDT/UTC-04:00'],
    // America/New_York, fall back (Sun 2026-11-01 02:00 EDT → 01:00 EST, at 06:00Z): 01:30 happens twice
    ['2026-11-01T05:30:00Z', 'America/New_York', 'Sun Nov 01 2026 01:30:00 -0400', 'EDT/UTC-04:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', 'Sun Nov 01 2026 01:30:00 -0500', 'EST/UTC-05:00'],
    // half-hour zone, no DST
    ['2021-02-12T16:00:00Z', 'Asia/Kolkata', 'Fri Feb 12 2021 21:30:00 +0530', 'IST/UTC+05:30'],
    ['2026-07-01T00:00:00Z', 'Asia/Kolkata', 'Wed Jul 01 2026 05:30:00 +0530', 'IST/UTC+05:30'],
    ['2026-07-01T00:00:00Z', 'Asia/Calcutta', 'Wed Jul 01 2026 05:30:00 +0530', 'IST/UTC+05:30'],
    // southern hemisphere: daylight time in January; DST ends Sun 2026-04-05 03:00 AEDT → 02:00 AEST (16:00Z)
    ['2026-01-15T00:00:00Z', 'Australia/Sydney', 'Thu Jan 15 2026 11:00:00 +1100', 'AEDT/UTC+11:00'],
    ['2026-07-15T00:00:00Z', 'Australia/Sydney', 'Wed Jul 15 2026 10:00:00 +1000', 'AEST/UTC+10:00'],
    ['2026-04-04T15:59:00Z', 'Australia/Sydney', 'Sun Apr 05 2026 02:59:00 +1100', 'AEDT/UTC+11:00'],
    ['2026-04-04T16:00:00Z', 'Australia/Sydney', 'Sun Apr 05 2026 02:00:00 +1000', 'AEST/UTC+10:00'],
    ['2026-10-03T15:59:00Z', 'Australia/Sydney', 'Sun Oct 04 2026 01:59:00 +1000', 'AEST/UTC+10:00'],
    ['2026-10-03T16:00:00Z', 'Australia/Sydney', 'Sun Oct 04 2026 03:00:00 +1100', 'AEDT/UTC+11:00'],
    // +12:45 / +13:45, the date is already the next day
    ['2021-02-12T16:00:00Z', 'Pacific/Chatham', 'Sat Feb 13 2021 05:45:00 +1345', 'CHADT/UTC+13:45'],
    ['2026-07-15T00:00:00Z', 'Pacific/Chatham', 'Wed Jul 15 2026 12:45:00 +1245', 'CHAST/UTC+12:45'],
    ['2026-09-26T13:59:00Z', 'Pacific/Chatham', 'Sun Sep 27 2026 02:44:00 +1245', 'CHAST/UTC+12:45'],
    ['2026-09-26T14:00:00Z', 'Pacific/Chatham', 'Sun Sep 27 2026 03:45:00 +1345', 'CHADT/UTC+13:45'],
    // UTC and its aliases
    ['2021-02-12T16:00:00Z', 'UTC', 'Fri Feb 12 2021 16:00:00 +0000', 'UTC/UTC+00:00'],
    ['2021-02-12T16:00:00Z', 'Etc/UTC', 'Fri Feb 12 2021 16:00:00 +0000', 'UTC/UTC+00:00'],
    // negative half-hour, Europe, other labels
    ['2026-01-15T12:00:00Z', 'America/St_Johns', 'Thu Jan 15 2026 08:30:00 -0330', 'NST/UTC-03:30'],
    ['2026-07-15T12:00:00Z', 'Europe/London', 'Wed Jul 15 2026 13:00:00 +0100', 'BST/UTC+01:00'],
    ['2026-01-15T12:00:00Z', 'Europe/London', 'Thu Jan 15 2026 12:00:00 +0000', 'GMT/UTC+00:00'],
    ['2026-07-15T12:00:00Z', 'Europe/Jersey', 'Wed Jul 15 2026 13:00:00 +0100', 'BST/UTC+01:00'],
    ['2026-07-15T12:00:00Z', 'Europe/Paris', 'Wed Jul 15 2026 14:00:00 +0200', 'CEST/UTC+02:00'],
    ['2026-07-15T12:00:00Z', 'Asia/Tokyo', 'Wed Jul 15 2026 21:00:00 +0900', 'JST/UTC+09:00'],
    ['2026-07-15T12:00:00Z', 'Asia/Kathmandu', 'Wed Jul 15 2026 17:45:00 +0545', 'Kathmandu/UTC+05:45'],
    ['2026-07-15T12:00:00Z', 'Asia/Shanghai', 'Wed Jul 15 2026 20:00:00 +0800', 'Shanghai/UTC+08:00'],
    ['2026-07-15T12:00:00Z', 'America/Sao_Paulo', 'Wed Jul 15 2026 09:00:00 -0300', 'Sao Paulo/UTC-03:00'],
    ['2026-07-15T12:00:00Z', 'Etc/GMT+5', 'Wed Jul 15 2026 07:00:00 -0500', 'UTC-05:00/UTC-05:00'],
    ['2026-07-15T12:00:00Z', 'Pacific/Kiritimati', 'Thu Jul 16 2026 02:00:00 +1400', 'Kiritimati/UTC+14:00'],
  ])('%s in %s → %s, %s', (iso, zone, dateTime, label) => {
    expect(formatMegaMeetingDateTime(at(iso), zone)).toBe(dateTime);
    expect(formatMegaMeetingTimeZone(at(iso), zone)).toBe(label);
  });

  test('rejects an unknown zone or an invalid date', () => {
    expect(() => formatMegaMeetingDateTime(at('2021-02-12T16:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => formatMegaMeetingTimeZone(at('2021-02-12T16:00:00Z'), '')).toThrow(RangeError);
    expect(() => formatMegaMeetingDateTime(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  test('the day of the month is zero-padded like JavaScript prints it', () => {
    expect(formatMegaMeetingDateTime(at('2021-02-05T16:00:00Z'), 'America/Chicago')).toBe(
      'Fri Feb 05 2021 10:00:00 -0600',
    );
  });
});

describe('toMegaMeetingSchedule', () => {
  test('the documentation example', () => {
    expect(
      toMegaMeetingSchedule(at('2021-02-12T16:00:00Z'), at('2021-02-12T17:30:00Z'), 'America/Chicago'),
    ).toEqual({
      scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Fri Feb 12 2021 11:30:00 -0600',
    });
  });

  test('a meeting across the fall-back change keeps the label of its start; each time has its own offset', () => {
    // 00:30 EDT to 01:30 EST: two and a half hours by the clock on the wall... really two hours of meeting
    expect(
      toMegaMeetingSchedule(at('2026-11-01T04:30:00Z'), at('2026-11-01T06:30:00Z'), 'America/New_York'),
    ).toEqual({
      scheduledDateTime: 'Sun Nov 01 2026 00:30:00 -0400',
      scheduledTimeZone: 'EDT/UTC-04:00',
      endDateTime: 'Sun Nov 01 2026 01:30:00 -0500',
    });
  });

  test('Pacific/Chatham across the spring-forward change', () => {
    expect(
      toMegaMeetingSchedule(at('2026-09-26T13:30:00Z'), at('2026-09-26T14:30:00Z'), 'Pacific/Chatham'),
    ).toEqual({
      scheduledDateTime: 'Sun Sep 27 2026 02:15:00 +1245',
      scheduledTimeZone: 'CHAST/UTC+12:45',
      endDateTime: 'Sun Sep 27 2026 04:15:00 +1345',
    });
  });

  test('rejects an end before the start', () => {
    expect(() =>
      toMegaMeetingSchedule(at('2026-01-01T10:00:00Z'), at('2026-01-01T09:00:00Z'), 'UTC'),
    ).toThrow(RangeError);
  });
});

describe('isValidTimeZone / canonicalTimeZone', () => {
  test.each([
    ['America/New_York', true],
    ['Asia/Kolkata', true],
    ['Asia/Calcutta', true],
    ['Pacific/Chatham', true],
    ['UTC', true],
    ['Etc/UTC', true],
    ['Mars/Olympus', false],
    ['', false],
    ['+05:00', false],
    ['-0600', false],
    ['America/New_York\n', false],
    ['../../etc/passwd', false],
  ])('%j → %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });

  test.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/UTC', 'UTC'],
    ['America/New_York', 'America/New_York'],
    ['Nowhere/Special', undefined],
  ])('canonical %s → %s', (zone, canonical) => {
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });
});

describe('zoneOffsetMinutes / zoneAbbreviation', () => {
  test.each([
    ['2026-01-15T00:00:00Z', 'America/New_York', -300, 'EST'],
    ['2026-07-15T00:00:00Z', 'America/New_York', -240, 'EDT'],
    ['2026-01-15T00:00:00Z', 'Asia/Kolkata', 330, 'IST'],
    ['2026-01-15T00:00:00Z', 'Australia/Sydney', 660, 'AEDT'],
    ['2026-07-15T00:00:00Z', 'Pacific/Chatham', 765, 'CHAST'],
    ['2026-01-15T00:00:00Z', 'Pacific/Chatham', 825, 'CHADT'],
    ['2026-01-15T00:00:00Z', 'UTC', 0, 'UTC'],
    ['2026-01-15T00:00:00Z', 'Asia/Shanghai', 480, undefined],
  ])('%s %s → %i, %s', (iso, zone, offset, abbreviation) => {
    expect(zoneOffsetMinutes(at(iso), zone)).toBe(offset);
    expect(zoneAbbreviation(at(iso), zone)).toBe(abbreviation);
  });
});

describe('zonedWallTimeToInstant', () => {
  test.each([
    // America/New_York, March: 02:00–02:59 does not exist on 2026-03-08
    ['2026-03-08', '01:59', 'America/New_York', '2026-03-08T06:59:00.000Z', 'none'],
    ['2026-03-08', '02:00', 'America/New_York', '2026-03-08T07:00:00.000Z', 'gap'],
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z', 'gap'], // = 03:30 EDT
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z', 'none'],
    ['2026-03-08', '03:30', 'America/New_York', '2026-03-08T07:30:00.000Z', 'none'],
    ['2026-03-09', '15:00', 'America/New_York', '2026-03-09T19:00:00.000Z', 'none'],
    // America/New_York, November: 01:00–01:59 happens twice on 2026-11-01; the first (EDT) is taken
    ['2026-11-01', '00:59', 'America/New_York', '2026-11-01T04:59:00.000Z', 'none'],
    ['2026-11-01', '01:00', 'America/New_York', '2026-11-01T05:00:00.000Z', 'overlap'],
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z', 'overlap'],
    ['2026-11-01', '02:00', 'America/New_York', '2026-11-01T07:00:00.000Z', 'none'],
    ['2026-10-31', '15:00', 'America/New_York', '2026-10-31T19:00:00.000Z', 'none'],
    ['2026-11-02', '15:00', 'America/New_York', '2026-11-02T20:00:00.000Z', 'none'],
    // Australia/Sydney: gap on 2026-10-04 02:00–02:59, overlap on 2026-04-05 02:00–02:59
    ['2026-10-04', '02:30', 'Australia/Sydney', '2026-10-03T16:30:00.000Z', 'gap'], // = 03:30 AEDT
    ['2026-04-05', '02:30', 'Australia/Sydney', '2026-04-04T15:30:00.000Z', 'overlap'], // = 02:30 AEDT
    ['2026-07-15', '09:00', 'Australia/Sydney', '2026-07-14T23:00:00.000Z', 'none'],
    // Pacific/Chatham (+12:45 / +13:45): gap 02:45–03:44 on 2026-09-27, overlap 02:45–03:44 on 2026-04-05
    ['2026-09-27', '03:00', 'Pacific/Chatham', '2026-09-26T14:15:00.000Z', 'gap'], // = 04:00 CHADT
    ['2026-04-05', '03:00', 'Pacific/Chatham', '2026-04-04T13:15:00.000Z', 'overlap'], // = 03:00 CHADT
    ['2026-07-15', '09:00', 'Pacific/Chatham', '2026-07-14T20:15:00.000Z', 'none'],
    // Asia/Kolkata and UTC
    ['2026-03-08', '09:00', 'Asia/Kolkata', '2026-03-08T03:30:00.000Z', 'none'],
    ['2026-03-08', '00:00', 'Asia/Kolkata', '2026-03-07T18:30:00.000Z', 'none'],
    ['2026-03-08', '02:30', 'UTC', '2026-03-08T02:30:00.000Z', 'none'],
    ['2024-02-29', '23:59', 'UTC', '2024-02-29T23:59:00.000Z', 'none'],
  ])('%s %s %s → %s (%s)', (date, time, zone, iso, adjusted) => {
    const result = zonedWallTimeToInstant(date, time, zone);
    expect(result.instant.toISOString()).toBe(iso);
    expect(result.adjusted).toBe(adjusted);
  });

  test('a gap time is moved forward by the gap and reads back as the later wall time', () => {
    const { instant } = zonedWallTimeToInstant('2026-03-08', '02:30', 'America/New_York');
    expect(instantToZonedParts(instant, 'America/New_York')).toEqual({ date: '2026-03-08', time: '03:30' });
    expect(formatMegaMeetingDateTime(instant, 'America/New_York')).toBe('Sun Mar 08 2026 03:30:00 -0400');
  });

  test.each([
    ['2026-02-30', '10:00', 'UTC'],
    ['2026-13-01', '10:00', 'UTC'],
    ['2026-1-1', '10:00', 'UTC'],
    ['2026-01-01', '24:00', 'UTC'],
    ['2026-01-01', '10:60', 'UTC'],
    ['2026-01-01', '10am', 'UTC'],
    ['2026-01-01', '10:00', 'Mars/Olympus'],
  ])('rejects %s %s %s', (date, time, zone) => {
    expect(() => zonedWallTimeToInstant(date, time, zone)).toThrow(RangeError);
  });

  test('round-trips every quarter hour of the DST-change days (except the gap) in several zones', () => {
    const days: Array<[string, string]> = [
      ['2026-03-08', 'America/New_York'],
      ['2026-11-01', 'America/New_York'],
      ['2026-04-05', 'Australia/Sydney'],
      ['2026-10-04', 'Australia/Sydney'],
      ['2026-09-27', 'Pacific/Chatham'],
      ['2026-04-05', 'Pacific/Chatham'],
      ['2026-03-08', 'Asia/Kolkata'],
    ];
    for (const [date, zone] of days) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const { instant, adjusted } = zonedWallTimeToInstant(date, time, zone);
        const back = instantToZonedParts(instant, zone);
        if (adjusted === 'gap') {
          expect(back.time > time || back.date > date).toBe(true);
        } else {
          expect(back).toEqual({ date, time });
        }
      }
    }
  });
});

describe('instantToZonedParts', () => {
  test.each([
    ['2021-02-12T16:00:00Z', 'America/Chicago', '2021-02-12', '10:00'],
    ['2021-02-12T16:00:00Z', 'Pacific/Chatham', '2021-02-13', '05:45'],
    ['2021-02-12T20:00:00Z', 'Asia/Kolkata', '2021-02-13', '01:30'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01', '01:30'],
    ['2026-01-15T23:59:59Z', 'UTC', '2026-01-15', '23:59'],
  ])('%s in %s → %s %s', (iso, zone, date, time) => {
    expect(instantToZonedParts(at(iso), zone)).toEqual({ date, time });
  });
});
