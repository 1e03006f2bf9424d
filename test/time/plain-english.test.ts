import { type ParsedMeetingText, parseDuration, parseMeetingText } from '../../src/time/plain-english.js';

// Fixed "now" values (never the wall clock).
const NY_WED = '2026-03-04T15:00:00Z'; // Wed Mar 4, 10:00 EST
const NY_BEFORE_SPRING = '2026-03-07T17:00:00Z'; // Sat Mar 7, 12:00 EST; clocks spring forward Sun 02:00
const NY_SPRING_NIGHT = '2026-03-08T06:30:00Z'; // Sun Mar 8, 01:30 EST, half an hour before the change
const NY_BEFORE_FALL = '2026-10-31T16:00:00Z'; // Sat Oct 31, 12:00 EDT; clocks fall back Sun 02:00
const KOLKATA_EVENING = '2026-03-04T15:00:00Z'; // Wed Mar 4, 20:30 IST
const SYDNEY_BEFORE_APRIL = '2026-04-04T01:00:00Z'; // Sat Apr 4, 12:00 AEDT; DST ends Sun 03:00
const SYDNEY_BEFORE_OCTOBER = '2026-10-02T23:00:00Z'; // Sat Oct 3, 09:00 AEST; DST starts Sun 02:00
const CHATHAM_BEFORE_SEPTEMBER = '2026-09-26T00:00:00Z'; // Sat Sep 26, 12:45 +12:45; DST starts Sun 02:45
const UTC_WED = '2026-03-04T15:00:00Z'; // Wed Mar 4, 15:00 UTC

const NY = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const SYDNEY = 'Australia/Sydney';
const UTC = 'UTC';

type Expected =
  | { kind: 'scheduled'; title: string; start: string; duration: number }
  | { kind: 'ambiguous'; title: string; start?: string; reason?: RegExp }
  | { kind: 'none'; title: string };

const scheduled = (title: string, start: string, duration: number): Expected => ({
  kind: 'scheduled',
  title,
  start,
  duration,
});
const ambiguous = (title: string, reason?: RegExp, start?: string): Expected => ({
  kind: 'ambiguous',
  title,
  ...(reason ? { reason } : {}),
  ...(start ? { start } : {}),
});
const none = (title: string): Expected => ({ kind: 'none', title });

const table: Array<[string, string, string, Expected]> = [
  // --- the examples of the issue and the design
  ['Design review tomorrow at 3pm', NY_WED, NY, scheduled('Design review', '2026-03-05T20:00:00.000Z', 30)],
  ['1:1 fri 9:30 for 45m', NY_WED, NY, scheduled('1:1', '2026-03-06T14:30:00.000Z', 45)],
  // next Monday is after the spring-forward change: 10:00 EDT
  ['Retro next monday at 10 for 1.5h', NY_WED, NY, scheduled('Retro', '2026-03-09T14:00:00.000Z', 90)],
  ['Sync tomorrow 3pm', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 30)],
  // --- DST in America/New_York: "tomorrow 3pm" the day of the change uses the new offset
  ['Sync tomorrow 3pm', NY_BEFORE_SPRING, NY, scheduled('Sync', '2026-03-08T19:00:00.000Z', 30)],
  ['Sync tomorrow 3pm', NY_BEFORE_FALL, NY, scheduled('Sync', '2026-11-01T20:00:00.000Z', 30)],
  ['Standup monday 9am', NY_BEFORE_SPRING, NY, scheduled('Standup', '2026-03-09T13:00:00.000Z', 30)],
  ['Call in 2 hours', NY_SPRING_NIGHT, NY, scheduled('Call', '2026-03-08T08:30:00.000Z', 30)],
  [
    'Sync tomorrow 2:30am',
    NY_BEFORE_SPRING,
    NY,
    ambiguous('Sync', /doesn't exist/, '2026-03-08T07:30:00.000Z'),
  ],
  ['Sync tomorrow 1:30am', NY_BEFORE_FALL, NY, ambiguous('Sync', /twice/, '2026-11-01T05:30:00.000Z')],
  // --- durations and ranges
  ['Standup 3-4pm', NY_WED, NY, scheduled('Standup', '2026-03-04T20:00:00.000Z', 60)],
  ['Sync from 3pm to 4:30pm', NY_WED, NY, scheduled('Sync', '2026-03-04T20:00:00.000Z', 90)],
  ['Sync tomorrow 3pm for an hour', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 60)],
  ['Sync tomorrow 3pm for 1h30', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 90)],
  ['Sync tomorrow 3pm 1h30m', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 90)],
  ['Sync tomorrow 3pm for 2 hours', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 120)],
  ['Sync tomorrow 3pm for 45 minutes', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 45)],
  [
    'Planning for 2 hours tomorrow at 10am',
    NY_WED,
    NY,
    scheduled('Planning', '2026-03-05T15:00:00.000Z', 120),
  ],
  ['Late deploy 10pm-1am', NY_WED, NY, scheduled('Late deploy', '2026-03-05T03:00:00.000Z', 180)],
  ['Sync for 25 hours tomorrow 3pm', NY_WED, NY, ambiguous('Sync', /24 hours/)],
  ['Sync tomorrow 3pm for 0 minutes', NY_WED, NY, ambiguous('Sync', /more than 0/)],
  ['Sync 3-4pm for 45m', NY_WED, NY, ambiguous('Sync', /end time and a length/)],
  [
    'Budget $5m review tomorrow 3pm',
    NY_WED,
    NY,
    scheduled('Budget $5m review', '2026-03-05T20:00:00.000Z', 30),
  ],
  // --- titles and connecting words
  ['Demo on March 10 at 2pm', NY_WED, NY, scheduled('Demo', '2026-03-10T18:00:00.000Z', 30)],
  ['Design review: tomorrow at 3pm', NY_WED, NY, scheduled('Design review', '2026-03-05T20:00:00.000Z', 30)],
  ['1:1 with Ana tomorrow 3pm', NY_WED, NY, scheduled('1:1 with Ana', '2026-03-05T20:00:00.000Z', 30)],
  ['tomorrow at 3pm', NY_WED, NY, scheduled('', '2026-03-05T20:00:00.000Z', 30)],
  [
    'Morning standup tomorrow at 9am',
    NY_WED,
    NY,
    scheduled('Morning standup', '2026-03-05T14:00:00.000Z', 30),
  ],
  ['Plan for Q3 tomorrow at 11am', NY_WED, NY, scheduled('Plan for Q3', '2026-03-05T16:00:00.000Z', 30)],
  ['Demo 3/25 2pm', NY_WED, NY, scheduled('Demo', '2026-03-25T18:00:00.000Z', 30)],
  // --- numbers and words that belong to the title: never scheduled
  ['Q3 planning', NY_WED, NY, none('Q3 planning')],
  ['Sprint 42 retro', NY_WED, NY, none('Sprint 42 retro')],
  ['top 10 ideas', NY_WED, NY, none('top 10 ideas')],
  ['end of quarter review', NY_WED, NY, none('end of quarter review')],
  ['March madness', NY_WED, NY, none('March madness')],
  ['may day drill', NY_WED, NY, none('may day drill')],
  ['Meet 24/7 support', NY_WED, NY, none('Meet 24/7 support')],
  ['Weekend planning', NY_WED, NY, none('Weekend planning')],
  ['Plan 2 days', NY_WED, NY, none('Plan 2 days')],
  ['Release 2.5 review', NY_WED, NY, none('Release 2.5 review')],
  ['Plan for 2027', NY_WED, NY, none('Plan for 2027')],
  ['Sync for 45m', NY_WED, NY, none('Sync for 45m')],
  ['Sync now', NY_WED, NY, none('Sync')],
  // --- must fall back to the modal
  ['Planning friday', NY_WED, NY, ambiguous('Planning', /no time/, '2026-03-06T14:00:00.000Z')],
  ['Catch up tomorrow morning', NY_WED, NY, ambiguous('Catch up', /no time/, '2026-03-05T14:00:00.000Z')],
  ['Meeting yesterday 3pm', NY_WED, NY, ambiguous('Meeting', /passed/)],
  ['Sync today 9am', NY_WED, NY, ambiguous('Sync', /passed/)],
  ['Offsite june 3 2027 10am', NY_WED, NY, ambiguous('Offsite', /year/)],
  ['All hands tomorrow 9am and friday 10am', NY_WED, NY, ambiguous('All hands and', /more than one/)],
  ['Sync at 3', NY_WED, NY, ambiguous('Sync', /AM or PM/, '2026-03-04T20:00:00.000Z')],
  ['Call at 7', NY_WED, NY, ambiguous('Call', /AM or PM/, '2026-03-05T00:00:00.000Z')],
  ['Standup at 11', NY_WED, NY, scheduled('Standup', '2026-03-04T16:00:00.000Z', 30)],
  ['Sync tomorrow 3pm, 45 min', NY_WED, NY, scheduled('Sync', '2026-03-05T20:00:00.000Z', 45)],
  ['Sync 4pm for 30', NY_WED, NY, ambiguous('Sync 30', /length/)],
  ['weekly sync thursdays 3pm', NY_WED, NY, ambiguous('weekly sync thursdays', /all of the date/)],
  ['All-hands tomorrow @ 3pm', NY_WED, NY, scheduled('All-hands', '2026-03-05T20:00:00.000Z', 30)],
  ['sync 5 minutes from now', NY_WED, NY, scheduled('sync', '2026-03-04T15:05:00.000Z', 30)],
  [
    'Interview 2 candidates tomorrow 3pm',
    NY_WED,
    NY,
    scheduled('Interview 2 candidates', '2026-03-05T20:00:00.000Z', 30),
  ],
  ['Demo 3/10 2pm', NY_WED, NY, ambiguous('Demo', /month\/day/)],
  ['sync the 5th at 3pm', NY_WED, NY, ambiguous('sync the 5th', /all of the date/)],
  ['Lunch noon-1pm', NY_WED, NY, scheduled('Lunch', '2026-03-04T17:00:00.000Z', 60)],
  ['Lunch 12-1pm', NY_WED, NY, scheduled('Lunch', '2026-03-04T17:00:00.000Z', 60)],
  ['Lunch 12-1', NY_WED, NY, none('Lunch 12-1')], // chrono does not read a bare "12-1": not guessed
  ['Sun Life sync tomorrow 3pm', NY_WED, NY, ambiguous('Life sync', /more than one/)],
  // --- Asia/Kolkata (+05:30)
  [
    'Team sync tomorrow 10am',
    KOLKATA_EVENING,
    KOLKATA,
    scheduled('Team sync', '2026-03-05T04:30:00.000Z', 30),
  ],
  ['Review at 9pm', KOLKATA_EVENING, KOLKATA, scheduled('Review', '2026-03-04T15:30:00.000Z', 30)],
  [
    'Standup 9:30am for 15 minutes',
    KOLKATA_EVENING,
    KOLKATA,
    scheduled('Standup', '2026-03-05T04:00:00.000Z', 15),
  ],
  // 09:30 has passed, 21:30 is an hour away: which one?
  ['Standup 9:30 for 15 minutes', KOLKATA_EVENING, KOLKATA, ambiguous('Standup', /AM or PM/)],
  ['Review at 8pm', KOLKATA_EVENING, KOLKATA, scheduled('Review', '2026-03-05T14:30:00.000Z', 30)],
  // --- Australia/Sydney around both DST changes
  [
    'Planning tomorrow 9am',
    SYDNEY_BEFORE_APRIL,
    SYDNEY,
    scheduled('Planning', '2026-04-04T23:00:00.000Z', 30),
  ],
  [
    'Planning tomorrow 9am',
    SYDNEY_BEFORE_OCTOBER,
    SYDNEY,
    scheduled('Planning', '2026-10-03T22:00:00.000Z', 30),
  ],
  ['Early call tomorrow 2:30am', SYDNEY_BEFORE_OCTOBER, SYDNEY, ambiguous('Early call', /doesn't exist/)],
  // --- Pacific/Chatham
  [
    'Sync tomorrow 9am',
    CHATHAM_BEFORE_SEPTEMBER,
    'Pacific/Chatham',
    scheduled('Sync', '2026-09-26T19:15:00.000Z', 30),
  ],
  // --- UTC
  ['Retro next monday at 10 for 1.5h', UTC_WED, UTC, scheduled('Retro', '2026-03-09T10:00:00.000Z', 90)],
  ['Lunch at noon', UTC_WED, UTC, scheduled('Lunch', '2026-03-05T12:00:00.000Z', 30)],
  ['Sync at 15:30 for 2 hours', UTC_WED, UTC, scheduled('Sync', '2026-03-04T15:30:00.000Z', 120)],
  ['Sync at 03:00', UTC_WED, UTC, scheduled('Sync', '2026-03-05T03:00:00.000Z', 30)],
  // a zone typed in the text wins: 15:00 IST today has passed (it is 20:30 IST), so tomorrow
  ['Sync 3pm IST', UTC_WED, UTC, scheduled('Sync', '2026-03-05T09:30:00.000Z', 30)],
];

describe('parseMeetingText: table of phrasings', () => {
  test.each(table)('%j at %s in %s', (text, now, timeZone, expected) => {
    const result = parseMeetingText(text, { now: new Date(now), timeZone });
    expect(result.kind).toBe(expected.kind);
    expect(result.title).toBe(expected.title);
    if (result.kind === 'scheduled' && expected.kind === 'scheduled') {
      expect(result.start.toISOString()).toBe(expected.start);
      expect(result.durationMinutes).toBe(expected.duration);
      expect(result.end.getTime() - result.start.getTime()).toBe(expected.duration * 60_000);
    }
    if (result.kind === 'ambiguous' && expected.kind === 'ambiguous') {
      if (expected.reason) expect(result.reason).toMatch(expected.reason);
      if (expected.start) expect(result.start?.toISOString()).toBe(expected.start);
    }
  });

  test('the table covers at least 25 phrasings, in several zones, with fallbacks', () => {
    expect(table.length).toBeGreaterThanOrEqual(25);
    expect(new Set(table.map(([, , zone]) => zone)).size).toBeGreaterThanOrEqual(4);
    expect(table.filter(([, , , e]) => e.kind !== 'scheduled').length).toBeGreaterThanOrEqual(10);
  });
});

describe('parseMeetingText: details', () => {
  const now = new Date(NY_WED);

  test('matchedText holds the time words as typed', () => {
    const result = parseMeetingText('Design review tomorrow at 3pm for 45m', { now, timeZone: NY });
    expect(result).toMatchObject({
      kind: 'scheduled',
      title: 'Design review',
      matchedText: 'tomorrow at 3pm for 45m',
    });
  });

  test('defaultDurationMinutes', () => {
    const result = parseMeetingText('Sync tomorrow 3pm', { now, timeZone: NY, defaultDurationMinutes: 50 });
    expect(result).toMatchObject({ kind: 'scheduled', durationMinutes: 50 });
  });

  test('an unknown zone never schedules, but text without a time is still an instant meeting', () => {
    expect(parseMeetingText('Sync tomorrow 3pm', { now, timeZone: 'Mars/Olympus' })).toMatchObject({
      kind: 'ambiguous',
      title: 'Sync',
    });
    expect(parseMeetingText('Sync', { now, timeZone: 'Mars/Olympus' })).toEqual({
      kind: 'none',
      title: 'Sync',
    });
  });

  test('the legacy zone name works like the current one', () => {
    const a = parseMeetingText('Sync tomorrow 10am', { now, timeZone: 'Asia/Calcutta' });
    const b = parseMeetingText('Sync tomorrow 10am', { now, timeZone: 'Asia/Kolkata' });
    expect(a).toEqual(b);
  });

  test('never throws on odd input', () => {
    for (const text of [
      '',
      '   ',
      '?',
      '<@U123> 3pm',
      'for for for',
      'x'.repeat(5000),
      '🎉 party tomorrow 3pm',
      '\n\t',
    ]) {
      expect(() => parseMeetingText(text, { now, timeZone: NY })).not.toThrow();
    }
    expect(parseMeetingText('', { now, timeZone: NY })).toEqual({ kind: 'none', title: '' });
  });

  test('a result is the same whatever the time of day of "now" is in the server zone', () => {
    const results = ['2026-03-04T15:00:00Z', '2026-03-04T15:00:00.000Z'].map((iso) =>
      parseMeetingText('Sync tomorrow 3pm', { now: new Date(iso), timeZone: NY }),
    );
    expect(results[0]).toEqual(results[1]);
  });

  test('times are never in the past and never more than a year ahead', () => {
    const phrasings = [
      '3pm',
      '9am',
      'friday 9am',
      'monday 10am',
      'jan 5 10am',
      'dec 31 11pm',
      'in 30 minutes',
    ];
    for (const zone of [NY, KOLKATA, SYDNEY, UTC, 'Pacific/Chatham']) {
      for (const phrase of phrasings) {
        const result: ParsedMeetingText = parseMeetingText(`Sync ${phrase}`, { now, timeZone: zone });
        if (result.kind === 'scheduled') {
          expect(result.start.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(result.start.getTime()).toBeLessThanOrEqual(now.getTime() + 366 * 86_400_000);
        }
      }
    }
  });
});

describe('parseDuration', () => {
  test.each([
    ['45m', 45],
    ['45 minutes', 45],
    ['45 mins', 45],
    ['for 45m', 45],
    ['1.5h', 90],
    ['1,5h', 90],
    ['2 hours', 120],
    ['2 hrs', 120],
    ['an hour', 60],
    ['one hour', 60],
    ['two hours', 120],
    ['an hour and a half', 90],
    ['one and a half hours', 90],
    ['half an hour', 30],
    ['1h30', 90],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['1 hour 30 minutes', 90],
    ['1 hour and 15 minutes', 75],
    ['ninety minutes', 90],
    ['90min', 90],
    ['thirty minutes', 30],
  ])('%j → %i', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  test.each([['soon'], ['45'], ['3pm'], ['an'], ['hours'], ['1h30x'], ['']])('%j → undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
