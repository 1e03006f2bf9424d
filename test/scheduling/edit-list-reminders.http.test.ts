/**
 * After scheduling: editing from the card (host or admin only), `/meet list` reconciled with MegaMeeting, and
 * the channel reminder (scheduled, moved on edit, deleted on end, off with REMINDER_MINUTES=0, never past
 * Slack's 120-day limit) — all through the real app over HTTP.
 */
import type { ModalView } from '@slack/types';
import { ABSENCE_CONFIRM_MS } from '../../src/services/meeting-list.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { ACTIONS, SCHEDULE_IDS as I, VIEWS } from '../../src/views/ids.js';
import { buildMeetingList } from '../../src/views/messages.js';
import { eventually, startTestApp, type TestApp, type TestAppOptions } from '../app/harness.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';
import { ackBody, formValues, futureSlot, scheduleMetadata, W } from './helpers.js';

let t: TestApp;
async function start(opts: TestAppOptions = {}): Promise<void> {
  t = await startTestApp(opts);
}
afterEach(async () => {
  const errors = (t?.logs ?? []).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await t?.close();
  expect(errors).toEqual([]);
});

const OTHER = 'U0OTHERUS1';

/** Schedule through the modal; resolves once the card is posted and the reminders are stored. */
async function schedule(title: string, days: number, time = '15:00', duration = 45): Promise<MeetingRecord> {
  const slot = futureSlot(days, time, 'America/Chicago');
  const before = new Set(t.emulator.state.snapshot().meetings.map((m) => m.meetId));
  const res = await t.submitView({
    callbackId: VIEWS.schedule,
    privateMetadata: scheduleMetadata(),
    values: formValues({
      title,
      date: slot.date,
      time,
      zone: 'America/Chicago',
      duration,
      type: 'scheduled',
    }),
  });
  expect(ackBody(res)).toEqual({});
  const meetId = await eventually(
    () => t.emulator.state.snapshot().meetings.find((m) => !before.has(m.meetId))?.meetId,
  );
  return eventually(async () => {
    const m = await t.store.getMeeting(W.teamId, meetId);
    return m?.cardDelivery === 'chat' && m.reminders.length + (days > 120 ? 1 : 0) > 0 ? m : undefined;
  });
}

function elementOf(view: ModalView, blockId: string): Record<string, unknown> | undefined {
  const b = view.blocks.find((x) => (x as { block_id?: string }).block_id === blockId) as
    | { element?: Record<string, unknown> }
    | undefined;
  return b?.element;
}

describe('editing', () => {
  beforeEach(() => start());

  test('the host presses Edit: a prefilled edit modal; saving updates MegaMeeting, the card in place and the reminder', async () => {
    const record = await schedule('Design review', 10);
    const oldReminder = record.reminders[0];
    await t.action(ACTIONS.edit, record.meetId, { messageTs: record.messageTs ?? undefined });
    const open = await t.slack.waitForCall('views.open');
    const view = open.args.view as ModalView;
    assertValidModal(view);
    expect(view.callback_id).toBe(VIEWS.edit);
    expect(elementOf(view, I.title.block)?.initial_value).toBe('Design review');
    expect(elementOf(view, I.time.block)?.initial_time).toBe('15:00');
    expect(elementOf(view, I.zone.block)?.initial_option).toMatchObject({ value: 'America/Chicago' });
    expect(elementOf(view, I.duration.block)?.initial_option).toMatchObject({ value: '45' });

    const slot = futureSlot(11, '16:30', 'America/New_York');
    const res = await t.submitView({
      callbackId: VIEWS.edit,
      privateMetadata: view.private_metadata ?? '',
      values: formValues({
        title: 'Design review v2',
        date: slot.date,
        time: slot.time,
        zone: 'America/New_York',
        duration: 90,
      }),
    });
    expect(ackBody(res)).toEqual({});

    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === record.messageTs);
    const end = new Date(slot.instant.getTime() + 90 * 60_000);
    const meeting = t.emulator.state.snapshot().meetings.find((m) => m.meetId === record.meetId);
    expect(meeting).toMatchObject({
      name: 'Design review v2',
    });
    // Checked against the emulator's own reading of the strings, not the app's formatter (the exact strings
    // are written out by hand in schedule.http.test.ts).
    expect(meeting?.scheduledDateTime).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} 16:30:00 -0[45]00$/);
    expect(meeting?.endDateTime).toMatch(/ 18:00:00 -0[45]00$/);
    expect(meeting?.scheduledTimeZone).toMatch(/^E[SD]T\/UTC-0[45]:00$/);
    expect(meeting?.scheduledStart?.toISOString()).toBe(slot.instant.toISOString());
    expect(meeting?.scheduledEnd?.toISOString()).toBe(end.toISOString());
    expect(t.emulator.state.requests().some((r) => r.fields.includes('updateMeeting'))).toBe(true);

    const blocks = update.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    expect(JSON.stringify(blocks)).toContain(`<!date^${slot.instant.getTime() / 1000}^`);
    expect(JSON.stringify(blocks)).toContain('Design review v2');
    expect(JSON.stringify(blocks)).toContain('America/New_York');

    // The reminder moved: the old one deleted, a new one 10 minutes before the new start.
    const deleted = await t.slack.waitForCall('chat.deleteScheduledMessage');
    expect(deleted.args.scheduled_message_id).toBe(oldReminder?.scheduledMessageId);
    const scheduled = await eventually(() => {
      const list = t.slack.scheduledMessages(W.channelId);
      return list.length === 1 && list[0]?.post_at === slot.instant.getTime() / 1000 - 600 ? list : undefined;
    });
    expect(scheduled).toHaveLength(1);
    const stored = await eventually(async () => {
      const m = await t.store.getMeeting(W.teamId, record.meetId);
      return m?.title === 'Design review v2' &&
        m.reminders[0]?.scheduledMessageId !== oldReminder?.scheduledMessageId
        ? m
        : undefined;
    });
    expect(stored).toMatchObject({ timeZone: 'America/New_York', status: 'scheduled' });
    expect(stored.startAt.toISOString()).toBe(slot.instant.toISOString());
    expect(stored.endAt?.toISOString()).toBe(end.toISOString());
  });

  test('someone else pressing Edit gets a private refusal and no form', async () => {
    t.slack.addUser({ id: OTHER, real_name: 'Olga Other', email: 'olga@example.com', tz: 'Europe/Paris' });
    const record = await schedule('Design review', 10);
    await t.action(ACTIONS.edit, record.meetId, { userId: OTHER });
    const refusal = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === OTHER);
    expect(refusal.args.text).toMatch(/Only the host/);
    expect(t.slack.calls('views.open')).toHaveLength(0);
  });

  test('an edit submitted by someone else (a stale or forged form) changes nothing', async () => {
    t.slack.addUser({ id: OTHER, real_name: 'Olga Other', email: 'olga@example.com', tz: 'Europe/Paris' });
    const record = await schedule('Design review', 10);
    const slot = futureSlot(11, '16:30', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.edit,
      userId: OTHER,
      privateMetadata: JSON.stringify({
        v: 1,
        meetId: record.meetId,
        channelId: W.channelId,
        tz: 'Europe/Paris',
      }),
      values: formValues({ title: 'Hijacked', date: slot.date, time: slot.time, zone: 'America/Chicago' }),
    });
    const refusal = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === OTHER);
    expect(refusal.args.text).toMatch(/Only the host/);
    expect(t.emulator.state.requests().some((r) => r.fields.includes('updateMeeting'))).toBe(false);
    expect((await t.store.getMeeting(W.teamId, record.meetId))?.title).toBe('Design review');
  });

  test('an edit into the past gets an inline error and changes nothing', async () => {
    const record = await schedule('Design review', 10);
    const res = await t.submitView({
      callbackId: VIEWS.edit,
      privateMetadata: JSON.stringify({ v: 1, meetId: record.meetId, channelId: W.channelId, tz: W.userTz }),
      values: formValues({
        title: 'Design review',
        date: '2020-01-01',
        time: '10:00',
        zone: 'America/Chicago',
      }),
    });
    expect(ackBody(res)).toMatchObject({
      response_action: 'errors',
      errors: { [I.date.block]: expect.stringMatching(/past/) },
    });
    expect(t.emulator.state.requests().some((r) => r.fields.includes('updateMeeting'))).toBe(false);
  });

  test('an ended meeting cannot be edited', async () => {
    const record = await schedule('Design review', 10);
    await t.action(ACTIONS.end, record.meetId);
    await eventually(async () => (await t.store.getMeeting(W.teamId, record.meetId))?.status === 'ended');
    await t.action(ACTIONS.edit, record.meetId);
    const refusal = await t.slack.waitForCall('chat.postEphemeral', (c) =>
      /already ended/.test(String(c.args.text)),
    );
    expect(refusal.args.user).toBe(W.userId);
    expect(t.slack.calls('views.open')).toHaveLength(0);
  });
});

describe('/meet list', () => {
  beforeEach(() => start());

  test('soonest first with Join/Edit/End; meetings ended elsewhere drop out and are marked ended', async () => {
    const later = await schedule('Later one', 10);
    const sooner = await schedule('Sooner one', 5);
    const gone = await schedule('Gone one', 7);
    const emulated = t.emulator.state.meetings.get(gone.meetId);
    if (!emulated) throw new Error('meeting missing in the emulator');
    emulated.endedAt = new Date();
    // Already missing from an answer more than ABSENCE_CONFIRM_MS ago (test/scheduling/reconcile.http.test.ts
    // drives the two answers with a clock): this answer confirms it.
    await t.store.updateMeeting(W.teamId, gone.meetId, {
      absentSince: new Date(Date.now() - ABSENCE_CONFIRM_MS - 1000),
    });
    // Creating meetings lists them too (the snapshot a lost answer is checked against): count from here.
    t.emulator.state.clearRequests();

    const res = await t.command('list');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    const blocks = reply.body.blocks ?? [];
    assertValidMessageBlocks(blocks);
    const text = JSON.stringify(blocks);
    expect(text.indexOf('Sooner one')).toBeGreaterThan(-1);
    expect(text.indexOf('Sooner one')).toBeLessThan(text.indexOf('Later one'));
    expect(text).not.toContain('Gone one');
    expect(text).toContain(`<!date^${sooner.startAt.getTime() / 1000}^`);
    for (const action of [ACTIONS.join, ACTIONS.edit, ACTIONS.end]) expect(text).toContain(action);
    expect(text).toContain(later.meetId);

    const stored = await t.store.getMeeting(W.teamId, gone.meetId);
    expect(stored?.status).toBe('ended');
    expect(stored?.reminders).toEqual([]);
    // Exactly one MegaMeeting `meetings` call for the reconciliation.
    expect(t.emulator.state.requests().filter((r) => r.fields.includes('meetings'))).toHaveLength(1);
  });

  test('MegaMeeting down: the store’s view, with a note that it may be stale', async () => {
    await schedule('Kept one', 5);
    t.emulator.state.injectFaults('status503', 20);
    const { items, stale } = await t.running.services.meetingList.listWithStatus(W.teamId, W.userId);
    const message = buildMeetingList(items, { stale });
    expect(JSON.stringify(message.blocks)).toContain('Kept one');
    expect(message.text).toMatch(/couldn't check these with MegaMeeting/);
    assertValidMessageBlocks(message.blocks);
    const res = await t.command('list');
    const reply = await t.slack.waitForResponse(res.responseUrl, undefined, 15_000);
    expect(JSON.stringify(reply.body.blocks)).toContain('Kept one');
  }, 30_000);
});

describe('reminders', () => {
  test('posted REMINDER_MINUTES before the start, at the stub; deleted when the meeting ends', async () => {
    await start({ env: { REMINDER_MINUTES: '5' } });
    const record = await schedule('Standup', 3, '09:00');
    const [scheduled] = t.slack.scheduledMessages(W.channelId);
    expect(scheduled?.post_at).toBe(record.startAt.getTime() / 1000 - 300);
    expect(scheduled?.text).toMatch(/Standup/);
    assertValidMessageBlocks(scheduled?.blocks ?? []);
    // Delivered at its time, it lands in the channel.
    const delivered = t.slack.deliverScheduledMessages((scheduled?.post_at ?? 0) + 1);
    expect(delivered.map((m) => m.text)).toEqual([scheduled?.text]);

    const again = await schedule('Retro', 4, '10:00');
    expect(t.slack.scheduledMessages(W.channelId)).toHaveLength(1);
    await t.action(ACTIONS.end, again.meetId);
    await t.slack.waitForCall('chat.deleteScheduledMessage');
    expect(await eventually(() => t.slack.scheduledMessages(W.channelId).length === 0)).toBe(true);
  });

  test('REMINDER_MINUTES=0 turns them off', async () => {
    await start({ env: { REMINDER_MINUTES: '0' } });
    const slot = futureSlot(3, '09:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({ date: slot.date, time: slot.time, zone: 'America/Chicago', type: 'scheduled' }),
    });
    await t.slack.waitForCall('chat.postMessage');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.calls('chat.scheduleMessage')).toHaveLength(0);
  });

  test('a start beyond Slack’s 120-day limit gets the card but no reminder (and no failed call)', async () => {
    await start();
    const slot = futureSlot(130, '09:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({ date: slot.date, time: slot.time, zone: 'America/Chicago', type: 'scheduled' }),
    });
    await t.slack.waitForCall('chat.postMessage');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.calls('chat.scheduleMessage')).toHaveLength(0);
  });

  test('the sweep schedules that reminder once the meeting enters Slack’s window', async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    await start({ clock });
    t.slack.setNow(() => Date.now() + offsetMs);
    const slot = futureSlot(130, '09:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({ date: slot.date, time: slot.time, zone: 'America/Chicago', type: 'scheduled' }),
    });
    await t.slack.waitForCall('chat.postMessage');
    const [record] = await eventually(async () => {
      const open = await t.store.listMeetings(W.teamId, ['scheduled']);
      return open.length > 0 ? open : undefined;
    });
    // Nothing to do while the reminder is still more than 120 days away.
    expect(await t.running.services.reminders.sweep()).toBe(0);

    offsetMs = 20 * 24 * 3_600_000; // twenty days later
    expect(await t.running.services.reminders.sweep()).toBe(1);
    const call = await t.slack.waitForCall('chat.scheduleMessage');
    expect(Number(call.args.post_at)).toBe(
      Math.floor(((record?.startAt.getTime() ?? 0) - 10 * 60_000) / 1000),
    );
    expect((await t.store.getMeeting(W.teamId, record?.meetId ?? ''))?.reminders).toHaveLength(1);
    // Done once: the next sweep finds nothing left.
    expect(await t.running.services.reminders.sweep()).toBe(0);
  });
});
