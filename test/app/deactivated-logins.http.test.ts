/**
 * Deactivated MegaMeeting logins lose their powers in Slack (issue #10, item 5): an admin login set inactive no
 * longer ends others' meetings or links people, and a host whose stored link names an inactive login gets a clear
 * message and no meeting. Links are re-checked against `logins` no older than 30 s, so the clock is moved past it.
 */
import type { ManualClock } from '../recordings/setup.js';
import { manualClock } from '../recordings/setup.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
const MM_ADMIN = { id: 'U0MMADMIN7', real_name: 'Maya Admin', email: 'maya.admin@example.com' };
const BEN = { id: 'U0BENUSER7', real_name: 'Ben User', email: 'ben@example.com' };
const POWERS_MAX_AGE_MS = 30_000;

let t: TestApp;
let clock: ManualClock;
let adminLoginId: string;
let benLoginId: string;

beforeAll(async () => {
  clock = manualClock(new Date());
  t = await startTestApp({ clock });
  t.slack.addUser(MM_ADMIN);
  t.slack.addUser(BEN);
  adminLoginId = t.emulator.state.addLogin({ email: MM_ADMIN.email, roles: ['admin', 'host'] }).loginId;
  benLoginId = t.emulator.state.addLogin({ email: BEN.email, roles: ['host'] }).loginId;
});
afterAll(async () => {
  await t.close();
});

function setActive(loginId: string, active: boolean): void {
  const login = t.emulator.state.logins.get(loginId);
  if (!login) throw new Error(`no login ${loginId}`);
  login.active = active ? 1 : 0;
  // What the app read before is now older than the bound for powers.
  clock.advance(POWERS_MAX_AGE_MS + 1000);
}

async function meetAs(userId: string, text: string): Promise<string> {
  const sent = await t.command(text, { user_id: userId, user_name: userId.toLowerCase() });
  const answer = await t.slack.waitForResponse(sent.responseUrl);
  return String(answer.body.text);
}

async function hostMeeting(title: string): Promise<string> {
  const before = t.slack.calls('chat.postMessage').length;
  await t.command(title);
  await t.slack.waitForCalls('chat.postMessage', before + 1);
  const meeting = t.emulator.state.snapshot().meetings.find((m) => m.name === title);
  if (!meeting) throw new Error(`no meeting ${title}`);
  return meeting.meetId;
}

function createCalls(): number {
  return t.emulator.state.requests().filter((r) => r.fields.includes('createMeeting')).length;
}

test("an inactive MegaMeeting admin login no longer ends another host's meeting", async () => {
  // Linked (by email) while active, and allowed to end someone else's meeting then.
  await meetAs(MM_ADMIN.id, 'account');
  const first = await hostMeeting('Admin may end this');
  expect(await meetAs(MM_ADMIN.id, `end ${first}`)).toMatch(/^Ended/);

  const second = await hostMeeting('Admin may not end this');
  setActive(adminLoginId, false);
  try {
    expect(await meetAs(MM_ADMIN.id, `end ${second}`)).toMatch(/Only the host/);
    expect(t.emulator.state.meetings.get(second)?.endedAt).toBeNull();
    expect((await t.store.getMeeting(W.teamId, second))?.status).toBe('live');
    expect(t.logs.some((l) => l.includes('the MegaMeeting login is inactive'))).toBe(true);
  } finally {
    setActive(adminLoginId, true);
  }
});

test('an inactive MegaMeeting admin login no longer links people', async () => {
  await meetAs(MM_ADMIN.id, 'account');
  setActive(adminLoginId, false);
  try {
    const answer = await meetAs(MM_ADMIN.id, `account <@${BEN.id}> ${adminLoginId}`);
    expect(answer).toMatch(/Only Slack workspace admins and MegaMeeting admins/);
    expect(await t.store.getUserLink(W.teamId, BEN.id)).toBeNull();
  } finally {
    setActive(adminLoginId, true);
  }
  // Active again: the same command works (the refusal above came from the inactive login, nothing else).
  expect(await meetAs(MM_ADMIN.id, `account <@${BEN.id}> ${benLoginId}`)).toMatch(/is now linked/);
});

test('nobody can be linked to an inactive login', async () => {
  const idle = t.emulator.state.addLogin({ email: 'idle@example.com', active: false }).loginId;
  const answer = await meetAs(MM_ADMIN.id, `account <@${BEN.id}> ${idle}`);
  expect(answer).toMatch(/is inactive/);
  expect((await t.store.getUserLink(W.teamId, BEN.id))?.loginId).not.toBe(idle);
});

test('a host whose login was deactivated is told so by /meet, and nothing is created', async () => {
  const hostLoginId = t.hostLogin?.loginId as string;
  await hostMeeting('Made while active');
  expect((await t.store.getUserLink(W.teamId, W.userId))?.loginId).toBe(hostLoginId);
  setActive(hostLoginId, false);
  try {
    const creates = createCalls();
    const posts = t.slack.calls('chat.postMessage').length;
    const answer = await meetAs(W.userId, 'Made while inactive');
    expect(answer).toMatch(/inactive/);
    expect(answer).toMatch(/MegaMeeting admin/);
    expect(createCalls()).toBe(creates);
    expect(t.slack.calls('chat.postMessage').length).toBe(posts);
    expect(t.emulator.state.snapshot().meetings.some((m) => m.name === 'Made while inactive')).toBe(false);
  } finally {
    setActive(hostLoginId, true);
  }
});

test('a link set by an admin to a login later deactivated creates nothing either', async () => {
  // Ben is linked by the admin to his login (previous test); then the login is deactivated.
  await eventually(async () => (await t.store.getUserLink(W.teamId, BEN.id))?.source === 'admin');
  setActive(benLoginId, false);
  try {
    const creates = createCalls();
    const answer = await meetAs(BEN.id, 'Ben while inactive');
    expect(answer).toMatch(new RegExp(`login \\(${benLoginId}\\) is inactive`));
    expect(createCalls()).toBe(creates);
  } finally {
    setActive(benLoginId, true);
  }
  const posts = t.slack.calls('chat.postMessage').length;
  await t.command('Ben while active', { user_id: BEN.id, user_name: 'ben' });
  await t.slack.waitForCalls('chat.postMessage', posts + 1);
});
