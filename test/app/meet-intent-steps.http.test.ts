/**
 * The intent journal's writes for a `/meet` (src/services/meetings.ts, completeCreation): every step recovery
 * needs, and no more. An instant meeting with nobody invited has nothing after its card, so the card's place is
 * written with `done` instead of a separate `posted` step; with invitations (or reminders) after the card,
 * `posted` still comes first, so a recovery does not send them twice. The crash tests
 * (crash-recovery*.http.test.ts) prove each state recovers.
 */
import type { IntentPatch } from '../../src/store/types.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
let t: TestApp;
let patches: IntentPatch[];

beforeEach(async () => {
  t = await startTestApp();
  patches = [];
  // A spy that lets every call through to the real store: which steps were written, in order.
  const store = t.running.services.store;
  const update = store.updateIntent.bind(store);
  store.updateIntent = (id, holder, patch, now) => {
    patches.push(patch);
    return update(id, holder, patch, now);
  };
});
afterEach(async () => {
  await t.close();
});

/** The stored meeting, once its intent is done. */
async function finishedIntent(meetId: string) {
  await eventually(() => patches.some((p) => p.state === 'done'));
  const meeting = await t.store.getMeeting(W.teamId, meetId);
  expect(meeting?.messageTs).toEqual(expect.any(String));
  return meeting;
}

test('an instant meeting nobody is invited to: created, posting, then done with the card in one write', async () => {
  await t.command('Quick sync');
  const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
  const meetId = t.emulator.state.snapshot().meetings.find((m) => m.name === 'Quick sync')?.meetId ?? '';
  const stored = await finishedIntent(meetId);
  expect(post.response).toMatchObject({ ok: true, ts: stored?.messageTs });
  expect(patches).toEqual([
    { state: 'created', meetId },
    { state: 'posting' },
    { state: 'done', outcome: 'posted', messageChannel: W.channelId, messageTs: stored?.messageTs },
  ]);
});

test('with an invitation after the card, posted is written before it goes out', async () => {
  t.slack.addUser({ id: 'U0BEN00001', real_name: 'Ben', email: 'ben@example.com', tz: 'Europe/Paris' });
  await t.command('<@U0BEN00001|ben> Design sync');
  await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === t.slack.dmChannelFor('U0BEN00001'));
  const meetId = t.emulator.state.snapshot().meetings.find((m) => m.name === 'Design sync')?.meetId ?? '';
  const stored = await finishedIntent(meetId);
  expect(patches).toEqual([
    { state: 'created', meetId },
    { state: 'posting' },
    { state: 'posted', messageChannel: W.channelId, messageTs: stored?.messageTs },
    { state: 'done', outcome: 'posted' },
  ]);
});
