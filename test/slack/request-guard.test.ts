import { isFreshSlackTimestamp, SLACK_TIMESTAMP_WINDOW_SECONDS } from '../../src/slack/request-guard.js';

const NOW = new Date('2026-03-01T12:00:00.900Z');
const NOW_S = 1772366400; // 2026-03-01T12:00:00Z, written out

describe("Slack's replay window", () => {
  test('is five minutes', () => {
    expect(SLACK_TIMESTAMP_WINDOW_SECONDS).toBe(300);
  });

  test.each<[string, string | string[] | undefined, boolean]>([
    ['now', String(NOW_S), true],
    ['exactly five minutes old', String(NOW_S - 300), true],
    ['five minutes and a second old', String(NOW_S - 301), false],
    ['exactly five minutes ahead', String(NOW_S + 300), true],
    ['five minutes and a second ahead', String(NOW_S + 301), false],
    ['the first of several headers', [String(NOW_S), '1'], true],
    ['a stale first header', ['1', String(NOW_S)], false],
    ['missing', undefined, false],
    ['empty', '', false],
    ['signed', `+${NOW_S}`, false],
    ['with a fraction', `${NOW_S}.5`, false],
    ['with trailing text', `${NOW_S}abc`, false],
    ['with leading text', `x${NOW_S}`, false],
    ['thirteen digits (milliseconds)', String(NOW_S * 1000).slice(0, 13), false],
  ])('a timestamp %s', (_label, header, fresh) => {
    expect(isFreshSlackTimestamp(header, NOW)).toBe(fresh);
  });

  test('twelve digits are read as seconds (far from now, so stale, but not refused as malformed)', () => {
    const far = new Date(999_999_999_999 * 1000);
    expect(isFreshSlackTimestamp('999999999999', far)).toBe(true);
  });
});
