/**
 * Slack slow or flaky: a send that may have reached Slack is never sent twice. The real app over signed HTTP,
 * the MegaMeeting emulator and the Slack stand-in, whose faults make a call take effect while its answer is
 * lost (`setLatency` beyond the app's timeout, `failHttpNext`), or never reach Slack at all (`goOffline`).
 * The app's Slack timeout is shortened (tuning) so that "slow" takes half a second here, not ten.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { ACTIONS, VIEWS } from '../../src/views/ids.js';
import {
  HOST,
  INTERVAL_S,
  type RecApp,
  recordingDms,
  seedRecordings,
  startRecApp,
} from '../recordings/setup.js';
import { ackBody, formValues, futureSlot, scheduleMetadata } from '../scheduling/helpers.js';
import type { StubCall } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
/** The app gives up on a Slack call after this; the stand-in answers later than that when "slow". */
const TUNING = { slackTimeoutMs: 500, slackLookupDelayMs: 50 };
const SLOW_MS = 2500;

let t: TestApp | RecApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

function liveMeetingIds(app: TestApp): string[] {
  return app.emulator.state
    .snapshot()
    .meetings.filter((m) => !m.ended)
    .map((m) => m.meetId);
}

/** The cards in the test channel (messages carrying a meeting's End button). */
function cardsIn(app: TestApp, meetId: string) {
  return app.slack.messagesIn(W.channelId).filter((m) => JSON.stringify(m.blocks ?? []).includes(meetId));
}

/** `/meet <title>`; resolves with the new meeting's ID once its card's outcome is stored. */
async function meet(app: TestApp, title: string): Promise<string> {
  const before = new Set(liveMeetingIds(app));
  const res = await app.command(title);
  expect(res.status).toBe(200);
  const meetId = await eventually(() => liveMeetingIds(app).find((id) => !before.has(id)));
  await eventually(async () => {
    const m = await app.store.getMeeting(W.teamId, meetId);
    return m?.cardDelivery === 'chat' ? m : undefined;
  }, 10_000);
  return meetId;
}

const okPosts = (calls: StubCall[]) => calls.filter((c) => c.response.ok === true);

describe('the meeting card', () => {
  test('chat.postMessage slow (it lands, its answer times out): one card, the tracked one, ended by End', async () => {
    t = await startTestApp({ tuning: TUNING });
    const app = t;
    app.slack.delayNext('chat.postMessage', SLOW_MS);
    const meetId = await meet(app, 'Slow Slack sync');

    const cards = cardsIn(app, meetId);
    expect(cards).toHaveLength(1);
    expect(okPosts(app.slack.calls('chat.postMessage'))).toHaveLength(1);
    // Found by its key in the history: the stored card is the one in the channel.
    expect(app.slack.calls('conversations.history').length).toBeGreaterThan(0);
    const stored = await app.store.getMeeting(W.teamId, meetId);
    expect(stored?.messageTs).toBe(cards[0]?.ts);

    await app.action(ACTIONS.end, meetId, { messageTs: String(cards[0]?.ts) });
    const update = await app.slack.waitForCall('chat.update');
    expect(update.args.ts).toBe(cards[0]?.ts);
    const after = cardsIn(app, meetId);
    expect(after).toHaveLength(1);
    expect(JSON.stringify(after[0]?.blocks)).toContain('has ended');
  });

  test("a proxy's 502: looked up first; re-posted only when the first post did not land", async () => {
    t = await startTestApp({ tuning: TUNING });
    const app = t;
    // Slack posted it, the answer was lost on the way back.
    app.slack.failHttpNext('chat.postMessage', 502);
    const landed = await meet(app, 'Landed behind a proxy');
    expect(cardsIn(app, landed)).toHaveLength(1);
    expect((await app.store.getMeeting(W.teamId, landed))?.messageTs).toBe(cardsIn(app, landed)[0]?.ts);

    // The proxy failed before Slack did anything: the card is posted once more, once.
    app.slack.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    const lost = await meet(app, 'Lost behind a proxy');
    expect(cardsIn(app, lost)).toHaveLength(1);
    expect((await app.store.getMeeting(W.teamId, lost))?.messageTs).toBe(cardsIn(app, lost)[0]?.ts);
  });

  test('Slack unreachable (connection refused: provably not sent): the card is sent again and lands once', async () => {
    t = await startTestApp({ tuning: TUNING });
    const app = t;
    await meet(app, 'Warm-up'); // the host's Slack profile is cached: the card is the next Slack call
    await app.slack.goOffline(1200);
    const meetId = await meet(app, 'Reconnected');
    expect(cardsIn(app, meetId)).toHaveLength(1);
    expect((await app.store.getMeeting(W.teamId, meetId))?.messageTs).toBe(cardsIn(app, meetId)[0]?.ts);
    const log = app.logs.join('\n');
    expect(log).toContain('could not connect to Slack; sending again');
  });
});

describe('ephemeral messages', () => {
  test('chat.postEphemeral slow: shown once, not repeated and not turned into a DM; the failure is logged', async () => {
    t = await startTestApp({ tuning: TUNING });
    const app = t;
    // The card is refused for sure, so the host is told privately; that ephemeral message's answer is lost.
    app.slack.failNext('chat.postMessage', 'msg_too_long');
    app.slack.delayNext('chat.postEphemeral', SLOW_MS);
    await app.command('Told once');
    await app.slack.waitForCall('chat.postEphemeral');
    const logged = () => app.logs.some((l) => l.includes('an ephemeral message may have been shown'));
    // Settled: the lost answer logged, or (what must not happen) a second ephemeral message.
    await eventually(() => logged() || app.slack.calls('chat.postEphemeral').length > 1, 5000);
    expect(app.slack.ephemeralMessages({ user: W.userId })).toHaveLength(1);
    expect(app.slack.calls('chat.postEphemeral')).toHaveLength(1);
    expect(app.slack.messagesIn(W.userId)).toHaveLength(0); // no DM instead
    expect(logged()).toBe(true);
    expect(app.logs.join('\n')).not.toContain('I created "Told once"');
  });
});

describe('the channel reminder', () => {
  test('chat.scheduleMessage slow: the reminder is scheduled once (found in chat.scheduledMessages.list)', async () => {
    t = await startTestApp({ tuning: TUNING, env: { REMINDER_MINUTES: '5' } });
    const app = t;
    app.slack.delayNext('chat.scheduleMessage', SLOW_MS);
    const slot = futureSlot(3, '09:00', 'America/Chicago');
    const res = await app.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        title: 'Planning',
        date: slot.date,
        time: '09:00',
        zone: 'America/Chicago',
        duration: 30,
        type: 'scheduled',
      }),
    });
    expect(ackBody(res)).toEqual({});
    const meetId = await eventually(() => liveMeetingIds(app)[0]);
    const record = await eventually(async () => {
      const m = await app.store.getMeeting(W.teamId, meetId);
      return m && m.reminders.length > 0 ? m : undefined;
    }, 10_000);

    const scheduled = app.slack.scheduledMessages(W.channelId);
    expect(scheduled).toHaveLength(1);
    expect(app.slack.calls('chat.scheduleMessage')).toHaveLength(1);
    expect(app.slack.calls('chat.scheduledMessages.list').length).toBeGreaterThan(0);
    expect(record.reminders.map((r) => r.scheduledMessageId)).toEqual([scheduled[0]?.id]);
  });
});

describe('recording DMs', () => {
  test('chat.postMessage slow: the recording-ready DM goes out exactly once and is marked sent', async () => {
    const rec = await startRecApp({ tuning: TUNING });
    t = rec;
    const { recIds } = seedRecordings(rec.emulator, rec.hostLoginId, 1, { remuxStatus: 'completed' });
    const recId = recIds[0] as string;
    rec.slack.delayNext('chat.postMessage', SLOW_MS);
    await rec.poller.tick();
    await eventually(async () => (await rec.store.getRecording(recId))?.state === 'notified', 10_000);

    // Two more passes, after the claim would have expired: still one DM.
    rec.clock.advance(INTERVAL_S * 1000 * 10);
    await rec.poller.tick();
    rec.clock.advance(INTERVAL_S * 1000 * 10);
    await rec.poller.tick();

    const dms = rec.slack
      .messagesIn(HOST)
      .filter((m) => m.metadata?.event_type === 'megameeting_recording_ready');
    expect(dms).toHaveLength(1);
    expect(recordingDms(rec.slack, recId)).toHaveLength(1);
    const stored = await rec.store.getRecording(recId);
    expect(stored).toMatchObject({ state: 'notified', notifiedTs: dms[0]?.ts });
  });
});
