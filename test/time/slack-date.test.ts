import { zonedWallTimeToInstant } from '../../src/time/megameeting-time.js';
import {
  escapeSlackDateText,
  slackDateFallback,
  slackDateToken,
  slackEpochSeconds,
} from '../../src/time/slack-date.js';

describe('slackDateToken', () => {
  test('default format and a readable UTC fallback', () => {
    expect(slackDateToken(new Date('2021-02-12T16:00:00Z'))).toBe(
      '<!date^1613145600^{date_short_pretty} at {time}|Fri, Feb 12 2021 16:00 UTC>',
    );
  });

  test('custom format and fallback; the fallback is escaped', () => {
    expect(slackDateToken(new Date('2021-02-12T16:00:00Z'), '{time}', 'a|b <c> & d')).toBe(
      '<!date^1613145600^{time}|a¦b &lt;c&gt; &amp; d>',
    );
  });

  test('epoch seconds are floored, also before 1970', () => {
    expect(slackEpochSeconds(new Date(1_613_145_600_999))).toBe(1_613_145_600);
    expect(slackEpochSeconds(new Date(-1))).toBe(-1);
    expect(slackDateToken(new Date(1_613_145_600_999), '{date}')).toBe(
      '<!date^1613145600^{date}|Fri, Feb 12 2021 16:00 UTC>',
    );
  });

  test('rejects an invalid date and a format with the field separator', () => {
    expect(() => slackDateToken(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => slackDateToken(new Date(0), '{date}^x')).toThrow(RangeError);
  });

  test('fallback text is in UTC, whatever the zone the meeting was scheduled in', () => {
    expect(slackDateFallback(new Date('2026-03-08T07:30:00Z'))).toBe('Sun, Mar 8 2026 07:30 UTC');
  });

  // The epoch of a meeting scheduled by wall time in a zone: DST changes must move it by the right amount.
  test.each([
    ['2026-03-08', '03:30', 'America/New_York', 1_772_955_000, 'Sun, Mar 8 2026 07:30 UTC'],
    ['2026-03-08', '02:30', 'America/New_York', 1_772_955_000, 'Sun, Mar 8 2026 07:30 UTC'], // gap → 03:30 EDT
    ['2026-11-01', '01:30', 'America/New_York', 1_793_511_000, 'Sun, Nov 1 2026 05:30 UTC'], // first 01:30 (EDT)
    ['2026-10-04', '02:30', 'Australia/Sydney', 1_791_045_000, 'Sat, Oct 3 2026 16:30 UTC'], // gap → 03:30 AEDT
    ['2026-04-05', '02:30', 'Australia/Sydney', 1_775_316_600, 'Sat, Apr 4 2026 15:30 UTC'], // first 02:30 (AEDT)
    ['2026-09-27', '03:00', 'Pacific/Chatham', 1_790_432_100, 'Sat, Sep 26 2026 14:15 UTC'], // gap → 04:00 CHADT
    ['2026-04-05', '03:00', 'Pacific/Chatham', 1_775_308_500, 'Sat, Apr 4 2026 13:15 UTC'], // first 03:00 (CHADT)
    ['2026-03-08', '09:00', 'Asia/Kolkata', 1_772_940_600, 'Sun, Mar 8 2026 03:30 UTC'],
    ['2021-02-12', '16:00', 'UTC', 1_613_145_600, 'Fri, Feb 12 2021 16:00 UTC'],
  ])('%s %s %s → epoch %i', (date, time, zone, epoch, fallback) => {
    const { instant } = zonedWallTimeToInstant(date, time, zone);
    expect(slackDateToken(instant)).toBe(`<!date^${epoch}^{date_short_pretty} at {time}|${fallback}>`);
  });
});

describe('escapeSlackDateText', () => {
  test('escapes Slack control characters and flattens line breaks', () => {
    expect(escapeSlackDateText('<@U1>|x\ny & z>')).toBe('&lt;@U1&gt;¦x y &amp; z&gt;');
  });
});
