/**
 * Issue 10, item 4: a crash after the ack must not lose the command. The real entry point runs in a child
 * process against the emulator and the Slack stand-in of this process; it is killed (`kill -9`) at a chosen
 * moment, found by waiting on what MegaMeeting or Slack received, never by sleeping. A fresh process on the same
 * database must then finish the creation (the card posted exactly once, its ts stored so that ending the
 * meeting updates it) or tell the user it did not complete.
 */
import type { TestDatabase } from '../store/helpers.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import {
  type CrashWorld,
  cardsIn,
  crashWorld,
  intentStates,
  killDuringCreate,
  killHard,
  RECOVERY_WAIT_MS,
  recovered,
  CRASH_TEST_TIMEOUT_MS as TEST_TIMEOUT_MS,
} from './crash-world.js';
import { eventually } from './harness.js';

let w: CrashWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

test(
  'kill -9 during createMeeting: a fresh process adopts the meeting and posts its card once, with its ts stored',
  async () => {
    w = await crashWorld();
    // MegaMeeting makes the meeting at once but answers late: the kill lands after the ack, before the app knew.
    const meetId = await killDuringCreate(w, 'Crash during create');

    const second = await w.start();
    const stored = await recovered(w, meetId);
    const posts = w.slack.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.response).toMatchObject({ ok: true, ts: stored.messageTs });
    expect(cardsIn(w.slack)).toHaveLength(1);
    expect(stored).toMatchObject({
      hostSlackUserId: TEST_WORKSPACE.userId,
      title: 'Crash during create',
      cardDelivery: 'chat',
      channelId: TEST_WORKSPACE.channelId,
    });
    // Only the one meeting exists on MegaMeeting: nothing was created twice.
    expect(w.emulator.state.snapshot().meetings.filter((m) => m.name === 'Crash during create')).toHaveLength(
      1,
    );

    // The stored ts is the card's: ending the meeting rewrites that very card.
    expect(await second.command(`end ${meetId}`, w.slack.responseUrl())).toBe(200);
    const update = await w.slack.waitForCall('chat.update', (c) => c.args.ts === stored.messageTs, 30_000);
    expect(JSON.stringify(update.args.blocks)).toContain('Ended');
    expect(w.slack.calls('chat.postMessage')).toHaveLength(1);
  },
  TEST_TIMEOUT_MS,
);

test(
  'kill -9 during the card post: a fresh process finds the posted card by its metadata and stores its ts, posting nothing',
  async () => {
    w = await crashWorld();
    // Slack takes the message at once but answers late: the app dies without learning its ts.
    w.slack.setLatency('chat.postMessage', 300_000);
    const first = await w.start();
    expect(await first.command('Crash during post', w.slack.responseUrl())).toBe(200);
    const post = await w.slack.waitForCall('chat.postMessage', () => true, 30_000);
    await killHard(first);
    w.slack.setLatency('chat.postMessage', 0);
    const meetId = w.emulator.state.snapshot().meetings.find((m) => m.name === 'Crash during post')?.meetId;
    expect(meetId).toMatch(/^\d{4,12}$/);
    expect((await w.store.findMeetingByMeetId(meetId ?? ''))?.messageTs).toBeNull();

    const second = await w.start();
    const stored = await recovered(w, meetId ?? '');
    expect(post.response).toMatchObject({ ok: true, ts: stored.messageTs });
    expect(w.slack.calls('chat.postMessage')).toHaveLength(1);
    expect(cardsIn(w.slack)).toHaveLength(1);

    expect(await second.command(`end ${meetId}`, w.slack.responseUrl())).toBe(200);
    await w.slack.waitForCall('chat.update', (c) => c.args.ts === stored.messageTs, 30_000);
  },
  TEST_TIMEOUT_MS,
);

test(
  'kill -9 before MegaMeeting made the meeting: a fresh process tells the user through the response_url',
  async () => {
    w = await crashWorld();
    const first = await w.start();
    // Every MegaMeeting request waits 3 s before it is carried out: the kill lands while createMeeting waits.
    w.emulator.state.setLatency(3000);
    const responseUrl = w.slack.responseUrl();
    expect(await first.command('Crash before create', responseUrl)).toBe(200);
    await eventually(async () => (await intentStates(w?.db as TestDatabase)).length === 1, 30_000);
    await killHard(first);
    w.emulator.state.setLatency(0);

    await w.start();
    await eventually(
      async () => (await intentStates(w?.db as TestDatabase))[0] === 'failed',
      RECOVERY_WAIT_MS,
    );
    const told = await w.slack.waitForResponse(responseUrl, () => true, 5_000);
    expect(told.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String((told.body as { text?: string }).text)).toContain('"Crash before create" was not created');
    expect(await intentStates(w.db)).toEqual(['failed']);
    expect(w.emulator.state.snapshot().meetings.filter((m) => m.name === 'Crash before create')).toEqual([]);
    expect(w.slack.calls('chat.postMessage')).toEqual([]);
    expect(w.slack.responses(responseUrl)).toHaveLength(1);
  },
  TEST_TIMEOUT_MS,
);

test(
  'SIGTERM while MegaMeeting is slow: the process lets the creation finish, and the card is posted before it exits',
  async () => {
    w = await crashWorld();
    const app = await w.start();
    // Three MegaMeeting calls (logins, meetings, createMeeting) of 6 s each: 18 s of work after the ack, each call
    // well inside the client's 10-second timeout, more than a 15-second stop would wait.
    w.emulator.state.setLatency(6000);
    expect(await app.command('Slow at shutdown', w.slack.responseUrl())).toBe(200);
    app.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });

    const made = w.emulator.state.snapshot().meetings.filter((m) => m.name === 'Slow at shutdown');
    expect(made).toHaveLength(1);
    const posts = w.slack.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    const stored = await w.store.findMeetingByMeetId(made[0]?.meetId ?? '');
    expect(posts[0]?.response).toMatchObject({ ok: true, ts: stored?.messageTs });
    expect(await intentStates(w.db)).toEqual(['done']);
  },
  TEST_TIMEOUT_MS,
);
