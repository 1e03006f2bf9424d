/**
 * Runs only in the jest projects that put the process in another zone (jest.config.js): checks that the
 * process really is there, so the test/time runs under those projects are not vacuous.
 */
const wanted = (globalThis as { __PROCESS_TIME_ZONE__?: string }).__PROCESS_TIME_ZONE__;

test('the process runs in the zone the project asked for, not UTC', () => {
  expect(wanted).toMatch(/^(Pacific\/Auckland|America\/Los_Angeles)$/);
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(wanted);
  // Local-time Date methods follow it too: neither zone is at UTC+0 in January.
  expect(new Date(2026, 0, 15, 12).getTimezoneOffset()).not.toBe(0);
});
