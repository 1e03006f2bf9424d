/**
 * MegaMeeting created the meeting but its answer never arrived intact: the app adopts that meeting instead of
 * leaving an orphan that a retry would duplicate, and never adopts anyone else's. A small proxy in front of the
 * emulator (test/support/losing-proxy.ts) forwards createMeeting (or not) and then answers garbage, as a broken
 * load balancer would.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { ACTIONS } from '../../src/views/ids.js';
import { type LosingProxy, startLosingProxy } from '../support/losing-proxy.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
let emulator: Emulator;
/** Loses createMeeting's answers (proxy.lose) and holds `meetings` lists (proxy.hold) on request. */
let proxy: LosingProxy;
/** The Slack user's MegaMeeting login. */
let hostLoginId = '';
let t: TestApp;

beforeEach(async () => {
  emulator = await startEmulator();
  hostLoginId = emulator.state.addLogin({
    email: W.userEmail,
    fullName: W.userRealName,
    roles: ['host'],
  }).loginId;
  proxy = await startLosingProxy(emulator);
  t = await startTestApp({ emulator, env: { MEGAMEETING_URL: proxy.url } });
});

afterEach(async () => {
  await t.close();
  await proxy.close();
  await emulator.close();
});

test('a meeting created despite a garbled answer is adopted: one meeting, a normal card', async () => {
  proxy.lose('createMeeting', 'forward');
  await t.command('Lost answer');
  const post = await t.slack.waitForCall('chat.postMessage');
  const meetings = emulator.state.snapshot().meetings;
  expect(meetings.map((m) => m.name)).toEqual(['Lost answer']);
  const meetId = meetings[0]?.meetId ?? '';
  expect(JSON.stringify(post.args.blocks)).toContain(meetId);
  expect(await t.store.getMeeting(W.teamId, meetId)).toMatchObject({ title: 'Lost answer', status: 'live' });
  expect(t.logs.some((l) => l.includes('adopted the meeting'))).toBe(true);
  // It is a normal meeting: the host can end it.
  await t.action(ACTIONS.end, meetId);
  await t.slack.waitForCall('chat.update');
  expect(emulator.state.snapshot().meetings[0]?.ended).toBe(true);
});

test('a meeting already known to the app is never adopted by mistake', async () => {
  await t.command('Same name');
  await t.slack.waitForCall('chat.postMessage');
  t.slack.clearCalls();
  // The second createMeeting's answer is lost and, this time, nothing new was created under that name that
  // the app does not already know: the user is told the outcome is unknown.
  proxy.lose('createMeeting', 'drop');
  const res = await t.command('Same name');
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(reply.body.text).toContain('may not have managed to create the meeting');
  expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
});

describe("another host's meeting of the same name (Zoe, outside Slack)", () => {
  let zoe: { loginId: string };
  beforeEach(() => {
    zoe = emulator.state.addLogin({ email: 'zoe@example.com', fullName: 'Zoe', roles: ['host'] });
  });

  test('is never adopted when our createMeeting was lost before creating anything', async () => {
    const theirs = emulator.state.addMeeting({ name: 'Weekly sync', loginId: zoe.loginId });
    proxy.lose('createMeeting', 'drop');
    const res = await t.command('Weekly sync');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('may not have managed to create the meeting');
    expect(await t.store.findMeetingByMeetId(theirs.meetId)).toBeNull();
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(emulator.state.snapshot().meetings.map((m) => m.meetId)).toEqual([theirs.meetId]);
  });

  test('is left alone while the meeting our lost answer did create is adopted', async () => {
    const theirs = emulator.state.addMeeting({ name: 'Weekly sync', loginId: zoe.loginId });
    proxy.lose('createMeeting', 'forward');
    await t.command('Weekly sync');
    const post = await t.slack.waitForCall('chat.postMessage');
    const ours = emulator.state.snapshot().meetings.find((m) => m.meetId !== theirs.meetId);
    expect(ours).toMatchObject({ name: 'Weekly sync', loginId: hostLoginId });
    expect(JSON.stringify(post.args.blocks)).toContain(ours?.meetId);
    expect(JSON.stringify(post.args.blocks)).not.toContain(theirs.meetId);
    expect(await t.store.findMeetingByMeetId(theirs.meetId)).toBeNull();
    expect(await t.store.getMeeting(W.teamId, ours?.meetId ?? '')).toMatchObject({ title: 'Weekly sync' });
  });

  test('made while our answer was lost: two new candidates, neither is adopted', async () => {
    proxy.lose('createMeeting', 'forward', () => {
      emulator.state.addMeeting({ name: 'Weekly sync', loginId: zoe.loginId });
    });
    const res = await t.command('Weekly sync');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('may not have managed to create the meeting');
    expect(emulator.state.snapshot().meetings).toHaveLength(2);
    for (const m of emulator.state.snapshot().meetings) {
      expect(await t.store.findMeetingByMeetId(m.meetId)).toBeNull();
    }
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  });
});

test("our own host's twin made while the answer was lost (a load balancer retrying): neither is adopted", async () => {
  // Both candidates are the host's, same name, same moment: adopting either could hand out the wrong room.
  proxy.lose('createMeeting', 'forward', () => {
    emulator.state.addMeeting({ name: 'Twice over', loginId: hostLoginId });
  });
  const res = await t.command('Twice over');
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(reply.body.text).toContain('may not have managed to create the meeting');
  const meetings = emulator.state.snapshot().meetings;
  expect(meetings.map((m) => [m.name, m.loginId])).toEqual([
    ['Twice over', hostLoginId],
    ['Twice over', hostLoginId],
  ]);
  for (const m of meetings) expect(await t.store.findMeetingByMeetId(m.meetId)).toBeNull();
  expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  expect(t.logs.filter((l) => l.includes('adopted'))).toEqual([]);
});

describe('creates at the same moment share the list taken before them (meeting-snapshot.ts)', () => {
  const listings = () => emulator.state.requests().filter((r) => r.fields.includes('meetings')).length;

  test('one list for all of them, and the one whose answer was lost adopts its own meeting', async () => {
    // The first list is held until all three creates have asked for one, so they start while it is on its
    // way whatever the machine's load (no timing luck).
    const snapshots = t.running.services.meetings.snapshots;
    const takeList = snapshots.beforeCreate.bind(snapshots);
    let asked = 0;
    let allAsked: () => void = () => {};
    const allHaveAsked = new Promise<void>((resolve) => {
      allAsked = resolve;
    });
    proxy.hold(/\bmeetings\b/, allHaveAsked);
    snapshots.beforeCreate = () => {
      const list = takeList();
      if (++asked === 3) allAsked();
      return list;
    };
    emulator.state.clearRequests();
    proxy.lose('createMeeting', 'forward');
    const titles = ['Alpha sync', 'Beta sync', 'Gamma sync'];
    await Promise.all(titles.map((title) => t.command(title)));
    const posts = await t.slack.waitForCalls('chat.postMessage', 3);
    // One list before the three creates, one look-up after the lost answer (four without sharing).
    expect(listings()).toBe(2);
    const meetings = emulator.state.snapshot().meetings;
    expect(meetings.map((m) => m.name).sort()).toEqual(titles);
    for (const m of meetings) {
      const card = posts.filter((p) => JSON.stringify(p.args.blocks).includes(m.meetId));
      expect(card).toHaveLength(1);
      expect(JSON.stringify(card[0]?.args.blocks)).toContain(m.name);
      expect(await t.store.getMeeting(W.teamId, m.meetId)).toMatchObject({ title: m.name });
    }
    expect(t.logs.filter((l) => l.includes('adopted the meeting'))).toHaveLength(1);
  });

  test("a list whose answer arrived before a create started is not reused: another host's meeting made in between is never adopted", async () => {
    const zoe = emulator.state.addLogin({ email: 'zoe@example.com', fullName: 'Zoe', roles: ['host'] });
    await t.command('Earlier meeting');
    await t.slack.waitForCall('chat.postMessage');
    t.slack.clearCalls();
    const theirs = emulator.state.addMeeting({ name: 'Weekly sync', loginId: zoe.loginId });
    emulator.state.clearRequests();
    proxy.lose('createMeeting', 'drop');
    const res = await t.command('Weekly sync');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('may not have managed to create the meeting');
    expect(listings()).toBe(2);
    expect(await t.store.findMeetingByMeetId(theirs.meetId)).toBeNull();
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  });
});
