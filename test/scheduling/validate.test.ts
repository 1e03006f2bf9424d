/**
 * The form validation alone, with a fixed clock: DST edges, far zones, the past-start grace, and the
 * createMeeting options each type sends.
 */
import { SchedulingService } from '../../src/services/scheduling.js';
import { SCHEDULE_IDS as I } from '../../src/views/ids.js';
import { type ScheduleForm, validateScheduleForm } from '../../src/views/schedule-form.js';
import { formValues, scheduleMetadata } from './helpers.js';

const NOW = new Date('2026-10-20T12:00:00Z');

function validate(over: Parameters<typeof formValues>[0]) {
  return validateScheduleForm(
    formValues({ title: 'Sync', zone: 'America/New_York', type: 'scheduled', ...over }),
    scheduleMetadata(),
    NOW,
  );
}
function form(over: Parameters<typeof formValues>[0]): ScheduleForm {
  const result = validate(over);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.form;
}

test.each([
  // A time that happens twice (New York falls back on 2026-11-01): the first, daylight one.
  ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
  ['America/New_York', '2026-11-02', '09:00', '2026-11-02T14:00:00.000Z'],
  ['Asia/Kolkata', '2026-10-21', '09:30', '2026-10-21T04:00:00.000Z'],
  ['Australia/Sydney', '2026-10-21', '09:00', '2026-10-20T22:00:00.000Z'],
  ['Pacific/Chatham', '2026-10-21', '09:00', '2026-10-20T19:15:00.000Z'],
  ['UTC', '2026-10-21', '09:00', '2026-10-21T09:00:00.000Z'],
])('%s %s %s → %s', (zone, date, time, iso) => {
  const f = form({ zone, date, time, duration: 30 });
  expect(f.start.toISOString()).toBe(iso);
  expect(f.end.getTime() - f.start.getTime()).toBe(30 * 60_000);
  expect(f.timeZone).toBe(zone);
});

test('a start a few minutes ago still counts as now; more is the past', () => {
  expect(validate({ zone: 'UTC', date: '2026-10-20', time: '11:57' }).ok).toBe(true);
  const late = validate({ zone: 'UTC', date: '2026-10-20', time: '11:50' });
  expect(late.ok ? null : late.errors[I.date.block]).toMatch(/past/);
});

test('an end time equal to the start is refused; a later one replaces the duration', () => {
  const same = validate({ zone: 'UTC', date: '2026-10-21', time: '09:00', endTime: '09:00' });
  expect(same.ok ? null : same.errors[I.endTime.block]).toMatch(/after the start/);
  const f = form({ zone: 'UTC', date: '2026-10-21', time: '09:00', endTime: '11:15', duration: 30 });
  expect(f.end.toISOString()).toBe('2026-10-21T11:15:00.000Z');
});

test('several problems are reported together, one per field', () => {
  const result = validate({ title: '', zone: 'Nowhere/Nothing', date: '2026-10-21', time: '09:00' });
  expect(result.ok ? {} : result.errors).toEqual({
    [I.title.block]: expect.any(String),
    [I.zone.block]: expect.any(String),
  });
});

test('createMeeting options per type', () => {
  expect(SchedulingService.optionsFor({ type: 'scheduled', webinarOptions: ['disableVideo'] })).toEqual({});
  expect(SchedulingService.optionsFor({ type: 'secure', webinarOptions: [] })).toEqual({
    requireVerification: true,
  });
  expect(
    SchedulingService.optionsFor({ type: 'webinar', webinarOptions: ['disableVideo', 'disableAudio'] }),
  ).toEqual({
    enableRegistration: true,
    disableVideo: true,
    disableAudio: true,
  });
});
