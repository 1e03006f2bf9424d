import { parseMegaMeetingDate } from '../../src/megameeting/dates.js';

const iso = (s: string) => parseMegaMeetingDate(s)?.toISOString() ?? null;

describe('parseMegaMeetingDate', () => {
  test('apiTokenDetails format with offset', () => {
    expect(iso('Tue Nov 26 2019 15:19:12 +0000')).toBe('2019-11-26T15:19:12.000Z');
    expect(iso('Tue Nov 26 2019 15:31:34 +0000')).toBe('2019-11-26T15:31:34.000Z');
    expect(iso('Fri Feb 12 2021 10:00:00 -0600')).toBe('2021-02-12T16:00:00.000Z');
    expect(iso('Fri Feb 12 2021 10:00:00 +05:30')).toBe('2021-02-12T04:30:00.000Z');
  });

  test('JavaScript Date#toString form (GMT offset and zone name)', () => {
    expect(iso('Tue Nov 26 2019 15:19:12 GMT+0000 (Coordinated Universal Time)')).toBe(
      '2019-11-26T15:19:12.000Z',
    );
    expect(iso('Fri Feb 12 2021 10:00:00 GMT-0600 (Central Standard Time)')).toBe('2021-02-12T16:00:00.000Z');
  });

  test('recordings format without offset is read as UTC', () => {
    expect(iso('Feb 8, 2021 10:50:20')).toBe('2021-02-08T10:50:20.000Z');
    expect(iso('Dec 31, 2020 23:59:59')).toBe('2020-12-31T23:59:59.000Z');
    expect(iso('February 8, 2021 10:50:20')).toBe('2021-02-08T10:50:20.000Z');
    expect(iso('Feb 8, 2021 10:50:20 PM')).toBe('2021-02-08T22:50:20.000Z');
    expect(iso('Feb 8, 2021 12:05:00 AM')).toBe('2021-02-08T00:05:00.000Z');
  });

  test('does not depend on the host time zone', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(iso('Feb 8, 2021 10:50:20')).toBe('2021-02-08T10:50:20.000Z');
    } finally {
      process.env.TZ = before;
    }
  });

  test('ISO 8601', () => {
    expect(iso('2021-02-08T10:50:20Z')).toBe('2021-02-08T10:50:20.000Z');
    expect(iso('2021-02-08T10:50:20.123Z')).toBe('2021-02-08T10:50:20.123Z');
    expect(iso('2021-02-08T10:50:20+01:00')).toBe('2021-02-08T09:50:20.000Z');
    expect(iso('2021-02-08T10:50:20-0600')).toBe('2021-02-08T16:50:20.000Z');
    expect(iso('2021-02-08T10:50:20')).toBe('2021-02-08T10:50:20.000Z');
    expect(iso('2021-02-08 10:50')).toBe('2021-02-08T10:50:00.000Z');
    expect(iso('2021-02-08')).toBe('2021-02-08T00:00:00.000Z');
  });

  test('epoch seconds and milliseconds', () => {
    expect(iso('1612802816164')).toBe('2021-02-08T16:46:56.164Z');
    expect(iso('1612802816')).toBe('2021-02-08T16:46:56.000Z');
  });

  test('surrounding whitespace is ignored', () => {
    expect(iso('  Feb 8, 2021 10:50:20\n')).toBe('2021-02-08T10:50:20.000Z');
  });

  test.each([
    '',
    '   ',
    'not a date',
    'Foo 8, 2021 10:50:20',
    'Feb 30, 2021 10:00:00',
    'Feb 8, 2021 25:00:00',
    'Feb 8, 2021 10:61:00',
    '2021-13-01T00:00:00Z',
    '2021-02-29',
    'Tue Nov 26 2019 15:19:12 +9999',
    'Xyz Nov 26 2019 15:19:12 +0000',
    'Feb 8, 2021 13:00:00 PM',
    'null',
    '12345',
    'x'.repeat(10_000),
  ])('returns null, never throws, for %j', (s) => {
    expect(parseMegaMeetingDate(s)).toBeNull();
  });

  test('non-string input gives null', () => {
    expect(parseMegaMeetingDate(undefined as unknown as string)).toBeNull();
    expect(parseMegaMeetingDate(42 as unknown as string)).toBeNull();
  });

  test('leap day is accepted in a leap year', () => {
    expect(iso('Feb 29, 2020 00:00:00')).toBe('2020-02-29T00:00:00.000Z');
  });
});

describe('parseMegaMeetingDate: the formats the scheduling side once read with its own parser', () => {
  test.each([
    ['Tue Nov 26 2019 15:19:12 +0000', '2019-11-26T15:19:12.000Z'],
    ['Fri Feb 12 2021 10:00:00 -0600', '2021-02-12T16:00:00.000Z'],
    ['Fri Feb 12 2021 21:30:00 +0530', '2021-02-12T16:00:00.000Z'],
    ['Sat Feb 13 2021 05:45:00 +1345', '2021-02-12T16:00:00.000Z'],
    ['Tue Nov 26 2019 15:19:12 GMT+0000 (Coordinated Universal Time)', '2019-11-26T15:19:12.000Z'],
    ['Feb 8, 2021 10:50:20', '2021-02-08T10:50:20.000Z'],
    ['Feb 8, 2021 10:50:20 AM', '2021-02-08T10:50:20.000Z'],
    ['Feb 8, 2021 10:50:20 PM', '2021-02-08T22:50:20.000Z'],
    ['  Feb 28, 2021 00:00:00 ', '2021-02-28T00:00:00.000Z'],
    ['2021-02-08T10:50:20Z', '2021-02-08T10:50:20.000Z'],
    ['2021-02-08T10:50:20.123+01:00', '2021-02-08T09:50:20.123Z'],
    ['2021-02-08 10:50:20', '2021-02-08T10:50:20.000Z'],
    ['1612802816164', '2021-02-08T16:46:56.164Z'],
  ])('%j → %s', (text, iso) => {
    expect(parseMegaMeetingDate(text)?.toISOString()).toBe(iso);
  });

  test.each([
    [''],
    ['garbage'],
    ['Feb 30, 2021 10:50:20'],
    ['Foo 8, 2021 10:50:20'],
    ['Feb 8, 2021 25:50:20'],
    ['2021-13-08T10:50:20Z'],
    [null],
    [undefined],
    [{}],
    ['x'.repeat(10_000)],
  ])('%j → null, never throws', (text) => {
    expect(parseMegaMeetingDate(text as string)).toBeNull();
  });
});
