/**
 * Slack calls on meeting cards, end to end over signed HTTP (the real app, the MegaMeeting emulator, the Slack
 * stand-in's Calls API): the instant card's call, its end (from Slack, or seen ended in MegaMeeting) exactly once
 * with its duration, a rename, a scheduled meeting's call at reminder time, none for secure meetings and webinars,
 * and the card without a call when Calls fails or is slow.
 */
import type { ModalView } from '@slack/types';
import { callsSweepRun } from '../../src/jobs/calls-sweep.js';
import { CALL_OVER_AFTER_MS } from '../../src/services/calls.js';
import { ABSENCE_CONFIRM_MS } from '../../src/services/meeting-list.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { ACTIONS, VIEWS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp, type TestAppOptions } from '../app/harness.js';
import { type ManualClock, manualClock } from '../recordings/setup.js';
import { ackBody, formValues, futureSlot, scheduleMetadata } from '../scheduling/helpers.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import type { StubCall } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const MIN = 60_000;
let t: TestApp;
let clock: ManualClock;

async function start(opts: TestAppOptions = {}): Promise<void> {
  clock = manualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  t = await startTestApp({ clock, ...opts });
}
afterEach(async () => {
  await t?.close();
});

interface CallBlock {
  type: 'call';
  call_id: string;
}
function callBlocksOf(blocks: unknown): CallBlock[] {
  return ((blocks ?? []) as { type: string }[]).filter((b): b is CallBlock => b.type === 'call');
}
function logsMatching(text: string): Record<string, unknown>[] {
  return t.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => String(l.msg).includes(text));
}

/** `/meet <title>`: resolves with the meeting and its card post once the card is stored. */
async function instant(title: string): Promise<{ record: MeetingRecord; post: StubCall }> {
  await t.command(title);
  const post = await t.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === W.channelId && String(c.args.text).includes(`"${title}"`),
  );
  const meetId = t.emulator.state.snapshot().meetings.find((m) => m.name === title)?.meetId;
  if (!post || !meetId) throw new Error(`no card for ${title}`);
  const record = await eventually(async () => {
    const m = await t.store.getMeeting(W.teamId, meetId);
    return m?.cardDelivery === 'chat' ? m : undefined;
  });
  return { record, post };
}

/** Schedules through the modal (tomorrow 15:00 Chicago time); resolves once the card is stored. */
async function schedule(
  title: string,
  type: 'scheduled' | 'secure' | 'webinar' = 'scheduled',
  days = 1,
): Promise<MeetingRecord> {
  const slot = futureSlot(days, '15:00', 'America/Chicago');
  const before = new Set(t.emulator.state.snapshot().meetings.map((m) => m.meetId));
  const res = await t.submitView({
    callbackId: VIEWS.schedule,
    privateMetadata: scheduleMetadata(type),
    values: formValues({
      title,
      date: slot.date,
      time: slot.time,
      zone: 'America/Chicago',
      duration: 45,
      type,
      ...(type === 'secure' ? { external: 'guest@example.com' } : {}),
    }),
  });
  expect(ackBody(res)).toEqual({});
  const meetId = await eventually(
    () => t.emulator.state.snapshot().meetings.find((m) => !before.has(m.meetId))?.meetId,
  );
  return eventually(async () => {
    const m = await t.store.getMeeting(W.teamId, meetId);
    return m?.cardDelivery === 'chat' ? m : undefined;
  });
}

const sweep = () => callsSweepRun(t.running.services, 'test-sweep')();

describe('instant meetings', () => {
  beforeEach(() => start());

  test('the /meet card carries a Slack call: meeting ID, join link, title, start and the host as creator', async () => {
    const { record, post } = await instant('Design review');
    const add = await t.slack.waitForCall('calls.add');
    expect(add.args).toMatchObject({
      external_unique_id: record.meetId,
      join_url: `${t.emulator.url}/meeting/?id=${record.meetId}`,
      title: 'Design review',
      created_by: W.userId,
      date_start: String(record.startAt.getTime() / 1000),
    });
    const [call] = t.slack.slackCalls.all();
    expect(call).toMatchObject({ external_unique_id: record.meetId, ended: false });
    // calls.add came first, and the card names that call.
    expect(add.at).toBeLessThanOrEqual(post.at);
    const blocks = post.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    expect(callBlocksOf(blocks)).toEqual([{ type: 'call', call_id: call?.id }]);
    expect(record).toMatchObject({ callId: call?.id, callState: 'added' });
    expect(t.slack.calls('calls.add')).toHaveLength(1);
  });

  test('ended from Slack: calls.end once with the duration in seconds, and the card shows it ended', async () => {
    const { record } = await instant('Standup');
    clock.advance(25 * MIN + 30_000);
    await t.action(ACTIONS.end, record.meetId, { messageTs: record.messageTs ?? undefined });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === record.messageTs);
    const end = await t.slack.waitForCall('calls.end');
    expect(end.args).toEqual({ id: record.callId, duration: String(25 * 60 + 30) });
    expect(t.slack.slackCalls.get(record.callId ?? '')).toMatchObject({ ended: true, duration: 1530 });
    // Slack's call card was ended before the card was redrawn; the ended card keeps the call (Slack shows it ended).
    expect(end.at).toBeLessThanOrEqual(update.at);
    const blocks = update.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    expect(JSON.stringify(blocks)).toContain('has ended');
    expect(callBlocksOf(blocks)).toEqual([{ type: 'call', call_id: record.callId }]);
    expect(await t.store.getMeeting(W.teamId, record.meetId)).toMatchObject({
      status: 'ended',
      callState: 'ended',
    });

    // Nothing ends it again: a second press, and the sweep.
    await t.action(ACTIONS.end, record.meetId, { messageTs: record.messageTs ?? undefined });
    await t.slack.waitForCall('chat.postEphemeral', (c) => /already ended/.test(String(c.args.text)));
    await sweep();
    expect(t.slack.calls('calls.end')).toHaveLength(1);
  });

  test('ended in MegaMeeting and seen so by /meet list (two answers minutes apart): calls.end exactly once', async () => {
    const { record } = await instant('Gone elsewhere');
    // Another meeting that stays: an answer listing no meeting at all proves nothing (meeting-list.ts).
    await instant('Still on');
    const list = async () => {
      const sent = await t.command('list');
      return t.slack.waitForResponse(sent.responseUrl);
    };
    t.emulator.state.endMeeting(record.meetId);
    await list();
    expect(t.slack.calls('calls.end')).toHaveLength(0);
    clock.advance(ABSENCE_CONFIRM_MS + 1000);
    await list();
    const end = await t.slack.waitForCall('calls.end');
    expect(end.args).toEqual({ id: record.callId, duration: String((ABSENCE_CONFIRM_MS + 1000) / 1000) });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === record.messageTs);
    expect(JSON.stringify(update.args.blocks)).toContain('has ended');
    expect(callBlocksOf(update.args.blocks)).toHaveLength(1);
    expect(t.slack.slackCalls.get(record.callId ?? '')?.ended).toBe(true);

    clock.advance(ABSENCE_CONFIRM_MS + 1000);
    await list();
    await sweep();
    expect(t.slack.calls('calls.end')).toHaveLength(1);
    expect(await t.store.getMeeting(W.teamId, record.meetId)).toMatchObject({ callState: 'ended' });
  });

  test('a meeting nobody ends: its call is ended once, lasting as planned, two hours after its planned end', async () => {
    const { record } = await instant('Forgotten');
    clock.advance(60 * MIN + CALL_OVER_AFTER_MS - 1000);
    await sweep();
    expect(t.slack.calls('calls.end')).toHaveLength(0);
    clock.advance(2000);
    await sweep();
    const end = await t.slack.waitForCall('calls.end');
    expect(end.args).toEqual({ id: record.callId, duration: String(60 * 60) });
    expect(t.slack.slackCalls.get(record.callId ?? '')).toMatchObject({ ended: true, duration: 3600 });
    await sweep();
    expect(t.slack.calls('calls.end')).toHaveLength(1);
    // The meeting itself is left alone: only MegaMeeting or its host ends it.
    expect(await t.store.getMeeting(W.teamId, record.meetId)).toMatchObject({
      status: 'live',
      callState: 'ended',
    });
  });

  test('a retry or a second replica attaching the same meeting adds one call, never two', async () => {
    t.slack.slackCalls.refuseAll('not_allowed');
    const { record } = await instant('Once only');
    t.slack.slackCalls.refuseAll(null);
    // Reset to "no call yet", then two attaches at once (a retried delivery, another replica).
    const fresh = await t.store.updateMeeting(W.teamId, record.meetId, { callState: null, callId: null });
    if (!fresh) throw new Error('no meeting');
    const calls = t.running.services.calls;
    const [a, b] = await Promise.all([calls.attach(fresh), calls.attach(fresh)]);
    expect(t.slack.calls('calls.add').filter((c) => c.response.ok)).toHaveLength(1);
    expect(t.slack.slackCalls.byExternalId(record.meetId)).toHaveLength(1);
    // The loser gets the record as stored (still adding, or already added).
    expect([a.callState, b.callState]).toContain('added');
    expect(await t.store.getMeeting(W.teamId, record.meetId)).toMatchObject({ callState: 'added' });
  });
});

describe('when Calls fails', () => {
  test('missing_scope: both cards go out without a call, the reason is logged once', async () => {
    await start();
    t.slack.slackCalls.refuseAll('missing_scope');
    const first = await instant('First');
    const second = await instant('Second');
    for (const { post, record } of [first, second]) {
      const blocks = post.args.blocks as unknown[];
      assertValidMessageBlocks(blocks);
      expect(callBlocksOf(blocks)).toEqual([]);
      expect(JSON.stringify(blocks)).toContain(`/meeting/?id=${record.meetId}`);
      expect(record).toMatchObject({ callState: 'failed', callId: null });
    }
    expect(t.slack.calls('calls.add')).toHaveLength(2);
    const warned = logsMatching('Slack Calls unavailable');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ reason: 'missing_scope', level: 40 });
    expect(JSON.stringify(warned[0])).toMatch(/calls:write/);

    // Ending such a meeting sends no calls.end.
    await t.action(ACTIONS.end, first.record.meetId, { messageTs: first.record.messageTs ?? undefined });
    await t.slack.waitForCall('chat.update', (c) => c.args.ts === first.record.messageTs);
    expect(t.slack.calls('calls.end')).toHaveLength(0);
  });

  test('a calls.add slower than the wait: the card goes without it, and the late call is ended, never shown', async () => {
    await start({ tuning: { callAddWaitMs: 200 } });
    t.slack.delayNext('calls.add', 800);
    const { post, record } = await instant('Slow Slack');
    expect(callBlocksOf(post.args.blocks)).toEqual([]);
    expect(record.callState).toBe('failed');
    const end = await t.slack.waitForCall('calls.end');
    const [late] = t.slack.slackCalls.all();
    expect(end.args.id).toBe(late?.id);
    expect(late?.ended).toBe(true);
    expect(t.slack.calls('calls.add')).toHaveLength(1);
    expect(logsMatching('Slack Calls unavailable')[0]).toMatchObject({ reason: 'timeout' });
  });
});

describe('scheduled meetings', () => {
  test('get their call when the reminder goes out, on the card in place; an edit renames the call', async () => {
    await start();
    const scheduled = await schedule('Planning');
    const record = await eventually(async () => {
      const m = await t.store.getMeeting(W.teamId, scheduled.meetId);
      return m && m.reminders.length > 0 ? m : undefined;
    });
    const reminderAt = record.startAt.getTime() - 10 * MIN;
    expect(t.slack.calls('calls.add')).toHaveLength(0);
    expect(record.reminders[0]?.postAt.getTime()).toBe(reminderAt);

    clock.set(new Date(reminderAt - MIN));
    await sweep();
    expect(t.slack.calls('calls.add')).toHaveLength(0);

    clock.set(new Date(reminderAt + 1000));
    await sweep();
    const add = await t.slack.waitForCall('calls.add');
    expect(add.args).toMatchObject({
      external_unique_id: record.meetId,
      join_url: `${t.emulator.url}/meeting/?id=${record.meetId}`,
      title: 'Planning',
      created_by: W.userId,
      date_start: String(record.startAt.getTime() / 1000),
    });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === record.messageTs);
    const [call] = t.slack.slackCalls.all();
    assertValidMessageBlocks(update.args.blocks as unknown[]);
    expect(callBlocksOf(update.args.blocks)).toEqual([{ type: 'call', call_id: call?.id }]);
    await sweep();
    expect(t.slack.calls('calls.add')).toHaveLength(1);

    // Renamed from the card's Edit form: calls.update with the new title.
    await t.action(ACTIONS.edit, record.meetId, { messageTs: record.messageTs ?? undefined });
    const open = await t.slack.waitForCall('views.open');
    const slot = futureSlot(2, '16:00', 'America/Chicago');
    const res = await t.submitView({
      callbackId: VIEWS.edit,
      privateMetadata: (open.args.view as ModalView).private_metadata ?? '',
      values: formValues({
        title: 'Planning (moved)',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        duration: 30,
      }),
    });
    expect(ackBody(res)).toEqual({});
    const renamed = await t.slack.waitForCall('calls.update');
    expect(renamed.args).toMatchObject({ id: call?.id, title: 'Planning (moved)' });
    expect(t.slack.slackCalls.get(call?.id ?? '')).toMatchObject({ title: 'Planning (moved)', ended: false });
  });

  test('with reminders off, the call comes at the start', async () => {
    await start({ env: { REMINDER_MINUTES: '0' } });
    const record = await schedule('No reminder');
    clock.set(new Date(record.startAt.getTime() - 5 * MIN));
    await sweep();
    expect(t.slack.calls('calls.add')).toHaveLength(0);
    clock.set(record.startAt);
    await sweep();
    const add = await t.slack.waitForCall('calls.add');
    expect(add.args.external_unique_id).toBe(record.meetId);
  });

  test('secure meetings and webinars never get a call, nor a shared join link', async () => {
    await start();
    const secure = await schedule('Patient consult', 'secure');
    const webinar = await schedule('Quarterly webinar', 'webinar');
    clock.set(new Date(Math.max(secure.startAt.getTime(), webinar.startAt.getTime())));
    await sweep();
    // An instant meeting swept meanwhile proves the sweep ran.
    await instant('Control');
    expect(t.slack.calls('calls.add').map((c) => c.args.title)).toEqual(['Control']);
    for (const m of [secure, webinar]) {
      const card = t.slack.message(W.channelId, m.messageTs ?? '');
      expect(callBlocksOf(card?.blocks)).toEqual([]);
      expect(JSON.stringify(card?.blocks)).not.toContain(`/meeting/?id=${m.meetId}`);
      expect((await t.store.getMeeting(W.teamId, m.meetId))?.callState).toBeNull();
    }
    expect(JSON.stringify(t.slack.calls('calls.add'))).not.toMatch(/key=/);
  });
});
