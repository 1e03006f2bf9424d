/**
 * Channel reminders without Bolt (./world.ts): when one is due (REMINDER_MINUTES before the start, never under a
 * minute ahead nor past Slack's 120 days, none for an ended meeting, a channel-less one or a card that went out
 * through response_url), what it says, at most one per meeting, deleted or moved with the meeting, the sweep that
 * catches up once a far meeting enters Slack's window, and failures that only log. `scheduling-unit` scope.
 */

import { MAX_SCHEDULE_AHEAD_MS, RemindersService } from '../../src/services/reminders.js';
import type { CardDelivery, MeetingRecord, MeetingStatus } from '../../src/store/types.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const MIN = 60_000;
// A whole second, near the real time: the stand-in's clock is set to it too.
const NOW = Math.floor(Date.now() / 1000) * 1000;

let stub: SlackStub;
let w: ServiceWorld;
let now = NOW;
const clock = { now: () => new Date(now) };

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  now = NOW;
  stub.setNow(() => now);
  w = await startServiceWorld(stub, { clock });
});
afterEach(async () => {
  await w.close();
});

function reminders(reminderMinutes = 10): RemindersService {
  return new RemindersService({
    store: w.db.store,
    slack: w.services.slack,
    logger: w.services.logger,
    clock,
    reminderMinutes,
    megameetingUrl: w.emu.url,
  });
}

let seq = 0;
async function meeting(
  startInMs: number,
  opts: {
    status?: MeetingStatus;
    channelId?: string | null;
    cardDelivery?: CardDelivery;
    title?: string;
  } = {},
): Promise<MeetingRecord> {
  return w.db.store.insertMeeting({
    teamId: T,
    meetId: String(2000000 + ++seq),
    channelId: opts.channelId === undefined ? W.channelId : opts.channelId,
    messageTs: null,
    cardDelivery: opts.cardDelivery ?? 'chat',
    hostSlackUserId: W.userId,
    hostLoginId: w.hostLoginId,
    title: opts.title ?? 'Design sync',
    kind: 'scheduled',
    startAt: new Date(now + startInMs),
    endAt: new Date(now + startInMs + 30 * MIN),
    timeZone: 'America/Chicago',
    status: opts.status ?? 'scheduled',
    reminders: [],
    options: {},
  });
}

describe('when a reminder is due', () => {
  it('REMINDER_MINUTES before the start, at least a minute ahead and at most 120 days', async () => {
    const r = reminders(10);
    const m = await meeting(60 * MIN);
    expect(r.reminderTime(m)).toEqual(new Date(now + 50 * MIN));
    // The edges: exactly a minute ahead is due, a millisecond less is not.
    expect(r.reminderTime(await meeting(11 * MIN))).toEqual(new Date(now + MIN));
    expect(r.reminderTime(await meeting(11 * MIN - 1))).toBeNull();
    // Exactly 120 days ahead is due, a millisecond more is not.
    expect(MAX_SCHEDULE_AHEAD_MS).toBe(120 * 24 * 60 * MIN);
    expect(r.reminderTime(await meeting(MAX_SCHEDULE_AHEAD_MS + 10 * MIN))).toEqual(
      new Date(now + MAX_SCHEDULE_AHEAD_MS),
    );
    expect(r.reminderTime(await meeting(MAX_SCHEDULE_AHEAD_MS + 10 * MIN + 1))).toBeNull();
  });

  it('none when turned off, for an ended meeting, one without a channel, or a card sent through response_url', async () => {
    const start = 60 * MIN;
    expect(reminders(0).reminderTime(await meeting(start))).toBeNull();
    const r = reminders(10);
    expect(r.reminderTime(await meeting(start, { status: 'ended' }))).toBeNull();
    expect(r.reminderTime(await meeting(start, { channelId: null }))).toBeNull();
    expect(r.reminderTime(await meeting(start, { cardDelivery: 'response_url' }))).toBeNull();
    // Live or scheduled, posted by chat or not posted yet: due.
    expect(r.reminderTime(await meeting(start, { status: 'live' }))).not.toBeNull();
    expect(r.reminderTime(await meeting(start, { cardDelivery: 'none' }))).not.toBeNull();
  });
});

describe('scheduling, cancelling, moving', () => {
  it('schedules one message in the channel with what it says, and keeps its ID on the meeting', async () => {
    const m = await meeting(60 * MIN, { title: 'Board <review>' });
    const updated = await reminders(15).schedule(m);
    const scheduled = stub.scheduledMessages(W.channelId);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.post_at).toBe((now + 45 * MIN) / 1000);
    expect(scheduled[0]?.text).toBe('Reminder: "Board &lt;review&gt;" starts in 15 minutes.');
    expect(JSON.stringify(scheduled[0]?.blocks)).toContain(`Meeting ID: ${m.meetId}`);
    const stored = await w.db.store.getMeeting(T, m.meetId);
    expect(stored?.reminders).toEqual([
      { channelId: W.channelId, scheduledMessageId: scheduled[0]?.id, postAt: new Date(now + 45 * MIN) },
    ]);
    expect(updated.reminders).toEqual(stored?.reminders);
  });

  it('nothing due: nothing scheduled, the meeting unchanged', async () => {
    const m = await meeting(5 * MIN);
    expect(await reminders().schedule(m)).toBe(m);
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(0);
    // Not even tried: no failure to log.
    expect(w.logs().filter((l) => l.msg === 'could not schedule the reminder')).toEqual([]);
  });

  it('Slack refusing: logged, the meeting unchanged (the meeting itself never fails for a reminder)', async () => {
    const m = await meeting(60 * MIN);
    stub.failNext('chat.scheduleMessage', 'restricted_action');
    expect(await reminders().schedule(m)).toBe(m);
    expect((await w.db.store.getMeeting(T, m.meetId))?.reminders).toEqual([]);
    expect(w.logs().find((l) => l.msg === 'could not schedule the reminder')).toMatchObject({
      meetId: m.meetId,
    });
  });

  it('cancel deletes each scheduled message, even when one is already gone, and empties the list', async () => {
    const r = reminders();
    const m = await r.schedule(await meeting(60 * MIN));
    const id = m.reminders[0]?.scheduledMessageId;
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(1);
    const cancelled = await r.cancel(m);
    expect(cancelled.reminders).toEqual([]);
    expect((await w.db.store.getMeeting(T, m.meetId))?.reminders).toEqual([]);
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(0);
    expect(stub.calls('chat.deleteScheduledMessage')[0]?.args).toMatchObject({
      channel: W.channelId,
      scheduled_message_id: id,
    });
    // Cancelling again: the stale ID is refused by Slack, logged, and the list stays empty.
    expect((await r.cancel(m)).reminders).toEqual([]);
    expect(
      w.logs().find((l) => l.msg === 'reminder could not be deleted (probably already sent)'),
    ).toMatchObject({ meetId: m.meetId });
    // A meeting without reminders: no call at all.
    const calls = stub.calls('chat.deleteScheduledMessage').length;
    const bare = await meeting(60 * MIN);
    expect(await r.cancel(bare)).toBe(bare);
    expect(stub.calls('chat.deleteScheduledMessage')).toHaveLength(calls);
  });

  it('reschedule: the old message deleted, one new one at the new time', async () => {
    const r = reminders();
    const m = await r.schedule(await meeting(60 * MIN));
    const moved = await w.db.store.updateMeeting(T, m.meetId, { startAt: new Date(now + 120 * MIN) });
    if (!moved) throw new Error('no meeting');
    const after = await r.reschedule(moved);
    const scheduled = stub.scheduledMessages(W.channelId);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.post_at).toBe((now + 110 * MIN) / 1000);
    expect(after.reminders).toHaveLength(1);
    expect(after.reminders[0]?.scheduledMessageId).toBe(scheduled[0]?.id);
  });
});

describe('the sweep', () => {
  it('schedules the reminders of meetings that entered Slack’s window, once, and says how many', async () => {
    const r = reminders(10);
    const far = await meeting(MAX_SCHEDULE_AHEAD_MS + 10 * MIN + 3 * MIN);
    const near = await meeting(30 * MIN);
    await meeting(5 * MIN); // too soon for a reminder
    await meeting(60 * MIN, { status: 'ended' });
    expect(await r.schedule(far)).toBe(far); // too far when made
    expect(await r.sweep()).toBe(1); // the near one had none either
    expect((await w.db.store.getMeeting(T, near.meetId))?.reminders).toHaveLength(1);
    expect(
      w.logs().find((l) => l.msg === 'scheduled reminders that were too far ahead before'),
    ).toMatchObject({
      scheduled: 1,
    });
    expect(await r.sweep()).toBe(0);
    now += 3 * MIN;
    expect(await r.sweep()).toBe(1);
    expect((await w.db.store.getMeeting(T, far.meetId))?.reminders).toHaveLength(1);
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(2);
    expect(
      w.logs().filter((l) => l.msg === 'scheduled reminders that were too far ahead before'),
    ).toHaveLength(2);
  });

  it('at most `limit` meetings a sweep; none when reminders are off; a refused one is not counted', async () => {
    for (let i = 0; i < 3; i++) await meeting((40 + i) * MIN);
    expect(await reminders(0).sweep()).toBe(0);
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(0);
    const r = reminders(10);
    stub.failNext('chat.scheduleMessage', 'restricted_action');
    expect(await r.sweep(2)).toBe(1);
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(2);
    expect(await r.sweep()).toBe(2);
  });
});
