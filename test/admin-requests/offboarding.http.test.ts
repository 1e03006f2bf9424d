/**
 * Offboarding end to end (issue 14): a `user_change` event with `deleted: true` removes the member's link at once
 * and asks the MegaMeeting admins (Maya, Olga) about the login still there, with its API token and the scheduled
 * meetings the member hosts: revoke the token, delete the login, or keep it; the first admin to answer decides.
 * The real app over signed Slack HTTP, against the MegaMeeting emulator and the Slack stand-in.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { APP_LOGIN_REASON } from '../../src/services/app-login.js';
import { ADMIN_REQUEST_IDS as IDS } from '../../src/views/admin-requests.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import { eventCallbackBody, findElement, signSlackRequest } from '../support/slack-requests.js';
import type { StubMessage } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
interface Member {
  id: string;
  real_name: string;
  email: string;
}
const MAYA: Member = { id: 'U0MAYAADM1', real_name: 'Maya Admin', email: 'maya.admin@example.com' };
const OLGA: Member = { id: 'U0OLGAADM1', real_name: 'Olga Admin', email: 'olga.admin@example.com' };
const ELI: Member = { id: 'U0ELIHOST1', real_name: 'Eli Host', email: 'eli@example.com' };
const APPY: Member = { id: 'U0APPYBOT1', real_name: 'Appy Integration', email: 'slack.app@example.com' };
const member = (n: string): Member => ({
  id: `U0${n.toUpperCase().padEnd(8, 'X')}`,
  real_name: `${n} Leaver`,
  email: `${n.toLowerCase()}@example.com`,
});

let emu: Emulator;
let t: TestApp;
let appLogin: { loginId: string; apiToken: string };
/** Members with a MegaMeeting login (and an API token), added before the app starts. */
const LEAVERS = ['Ben', 'Cara', 'Dan', 'Fay'];
const logins = new Map<string, { loginId: string; apiToken: string }>();

beforeAll(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  appLogin = emu.state.addLogin({ email: APPY.email, fullName: 'Slack App', roles: ['admin'] });
  for (const a of [MAYA, OLGA])
    emu.state.addLogin({ email: a.email, fullName: a.real_name, roles: ['admin', 'host'] });
  emu.state.addLogin({ email: ELI.email, fullName: ELI.real_name, roles: ['host'] });
  for (const n of LEAVERS) {
    const who = member(n);
    logins.set(n, emu.state.addLogin({ email: who.email, fullName: who.real_name }));
  }
  t = await startTestApp({ emulator: emu, env: { MEGAMEETING_API_TOKEN: appLogin.apiToken } });
  for (const u of [MAYA, OLGA, ELI, APPY]) await join(u);
});
afterAll(async () => {
  await t.close();
  await emu.close();
});

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** A member joins Slack and runs `/meet account` once: linked to their login by email. */
async function join(u: Member): Promise<void> {
  t.slack.addUser(u);
  const sent = await t.command('account', { user_id: u.id, user_name: u.id.toLowerCase() });
  const answer = await t.slack.waitForResponse(sent.responseUrl);
  expect(String(answer.body.text)).toContain('You are linked');
}

/** A member with a MegaMeeting login (and API token) who has used the app. */
async function hire(n: string): Promise<{ who: Member; loginId: string; apiToken: string }> {
  const who = member(n);
  const added = logins.get(n);
  if (!added) throw new Error(`${n} is not among LEAVERS`);
  await join(who);
  return { who, loginId: added.loginId, apiToken: added.apiToken };
}

/** Slack deactivates the member: the stand-in marks them deleted and the app gets `user_change`. */
async function deactivate(
  u: Member,
  eventId = `EvLEAVE${u.id.slice(2, 8)}`,
  headers: Record<string, string> = {},
) {
  t.slack.addUser({ ...u, deleted: true });
  const body = eventCallbackBody(
    {
      type: 'user_change',
      user: {
        id: u.id,
        team_id: W.teamId,
        name: u.id.toLowerCase(),
        deleted: true,
        real_name: u.real_name,
        profile: { real_name: u.real_name, display_name: '', email: u.email },
        is_bot: false,
        updated: Math.floor(Date.now() / 1000),
      },
      cache_ts: Math.floor(Date.now() / 1000),
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    },
    { event_id: eventId },
  );
  const res = await t.post(body, {
    ...signSlackRequest(body, W.signingSecret),
    'content-type': 'application/json',
    ...headers,
  });
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  return res;
}

/** The admin's DM about the member (the current version, as chat.update left it). */
function dmAbout(admin: Member, u: Member): StubMessage | undefined {
  return t.slack.messagesIn(admin.id).find((m) => JSON.stringify(m.blocks ?? []).includes(`<@${u.id}>`));
}

function dmsAbout(admin: Member, u: Member): StubMessage[] {
  return t.slack.messagesIn(admin.id).filter((m) => JSON.stringify(m.blocks ?? []).includes(`<@${u.id}>`));
}

function bothDms(u: Member): Promise<[StubMessage, StubMessage]> {
  return eventually(() => {
    const a = dmAbout(MAYA, u);
    const b = dmAbout(OLGA, u);
    return a && b ? ([a, b] as [StubMessage, StubMessage]) : undefined;
  });
}

/** Both DMs once chat.update replaced them with the decided version matching `re`. */
function bothUpdated(u: Member, re: RegExp): Promise<[StubMessage, StubMessage]> {
  return eventually(() => {
    const a = dmAbout(MAYA, u);
    const b = dmAbout(OLGA, u);
    return a && b && re.test(a.text) && re.test(b.text) ? ([a, b] as [StubMessage, StubMessage]) : undefined;
  });
}

function requestIdIn(msg: StubMessage): string {
  const keep = JSON.stringify(msg.blocks).match(/"offboard_keep:([0-9a-f-]{36})"/);
  if (!keep?.[1]) throw new Error('no offboarding buttons in this message');
  return keep[1];
}

function press(admin: Member, msg: StubMessage, action: string, requestId = requestIdIn(msg)) {
  return t.action(`${action}:${requestId}`, requestId, {
    userId: admin.id,
    channelId: msg.channel,
    message: msg,
  });
}

function ephemerals(userId: string, re: RegExp): string[] {
  return t.slack
    .ephemeralMessages({ user: userId })
    .map((m) => m.text)
    .filter((x) => re.test(x));
}

const calls = (field: string) => emu.state.requests().filter((r) => r.fields.includes(field)).length;
const loginExists = (loginId: string) => emu.state.snapshot().logins.some((l) => l.loginId === loginId);
const hasToken = (loginId: string) => emu.state.snapshot().tokens.some((k) => k.loginId === loginId);

// ---------------------------------------------------------------------------------------------------------
// Tests

test('deactivated: unlinked at once; both admins get the login, its token (last four only) and scheduled meetings; retries ask nobody again', async () => {
  const { who: ben, loginId, apiToken } = await hire('Ben');
  const sent = await t.command('Quarterly planning tomorrow at 10am', { user_id: ben.id, user_name: 'ben' });
  expect(sent.status).toBe(200);
  const meeting = await eventually(async () =>
    (await t.store.listMeetings(W.teamId, ['scheduled'])).find((m) => m.hostSlackUserId === ben.id),
  );

  await deactivate(ben, 'EvLEAVEBEN1');
  await eventually(async () => (await t.store.getUserLink(W.teamId, ben.id)) === null);
  const [maya, olga] = await bothDms(ben);
  for (const dm of [maya, olga]) {
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain('was deactivated in Slack');
    expect(text).toContain(loginId);
    expect(text).toContain(`ending in \`${apiToken.slice(-4)}\``);
    expect(text).not.toContain(apiToken);
    expect(text).toContain('Quarterly planning');
    expect(text).toContain(meeting.meetId);
    for (const a of [IDS.offboardRevoke, IDS.offboardDelete, IDS.offboardKeep]) {
      expect(findElement(dm.blocks, `${a}:${requestIdIn(dm)}`)).toBeDefined();
    }
    assertValidMessageBlocks(dm.blocks as never);
  }
  expect(t.logs.some((l) => l.includes(apiToken))).toBe(false);
  // The member's /meet no longer acts as the login (a deactivated member can't type, but a replay can't either).
  expect(await t.store.getUserLink(W.teamId, ben.id)).toBeNull();

  // Slack's retry of the same event, and a later user_change about the same member: nobody is asked again.
  await deactivate(ben, 'EvLEAVEBEN1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  await deactivate(ben, 'EvLEAVEBEN2');
  await eventually(
    () =>
      t.logs.some((l) => l.includes('this delivery is skipped')) &&
      t.logs.some((l) => l.includes('offboarding: admins already asked')),
  );
  expect(dmsAbout(MAYA, ben)).toHaveLength(1);
  expect(dmsAbout(OLGA, ben)).toHaveLength(1);

  // Revoke: the token goes, the login stays; both DMs say who did it; a later Delete is refused as answered.
  const revokes = calls('revokeAPIToken');
  await press(OLGA, olga, IDS.offboardRevoke);
  await bothUpdated(ben, new RegExp(`<@${OLGA.id}> revoked the API token`));
  expect(calls('revokeAPIToken')).toBe(revokes + 1);
  expect(hasToken(loginId)).toBe(false);
  expect(loginExists(loginId)).toBe(true);
  await press(MAYA, maya, IDS.offboardDelete);
  await eventually(() => ephemerals(MAYA.id, /Already answered/).length === 1);
  expect(loginExists(loginId)).toBe(true);
});

test('delete: two admins at once, one deleteLogin; the login is gone and both DMs say who deleted it', async () => {
  const { who: cara, loginId } = await hire('Cara');
  await deactivate(cara);
  const [maya, olga] = await bothDms(cara);
  const deletes = calls('deleteLogin');
  await Promise.all([press(MAYA, maya, IDS.offboardDelete), press(OLGA, olga, IDS.offboardDelete)]);
  const [m] = await bothUpdated(cara, /deleted the MegaMeeting login/);
  expect(m.text).toMatch(new RegExp(`<@(${MAYA.id}|${OLGA.id})> deleted`));
  expect(calls('deleteLogin')).toBe(deletes + 1);
  expect(loginExists(loginId)).toBe(false);
  await eventually(
    () =>
      [
        ...ephemerals(MAYA.id, /Already answered|Another admin/),
        ...ephemerals(OLGA.id, /Already answered|Another admin/),
      ].length >= 1,
  );
});

test('keep: nothing changes in MegaMeeting; both DMs say who kept it; a non-admin could not answer before', async () => {
  const { who: dan, loginId } = await hire('Dan');
  await deactivate(dan);
  const [maya] = await bothDms(dan);
  const mutations = () => emu.state.requests().filter((r) => r.operationType === 'mutation').length;
  const before = mutations();
  // Crafted answers from a host (not an admin): refused privately, nothing runs.
  await press(ELI, maya, IDS.offboardDelete);
  await press(ELI, maya, IDS.offboardKeep);
  await eventually(() => ephemerals(ELI.id, /Only MegaMeeting admins/).length === 2);
  expect((await t.store.getAdminRequest(requestIdIn(maya)))?.state).toBe('open');

  await press(MAYA, maya, IDS.offboardKeep);
  await bothUpdated(dan, new RegExp(`<@${MAYA.id}> kept the MegaMeeting login`));
  expect(mutations()).toBe(before);
  expect(loginExists(loginId)).toBe(true);
  expect(hasToken(loginId)).toBe(true);
});

test("the app's own login: no Delete or Revoke offered, and crafted ones are refused with the reason", async () => {
  await deactivate(APPY);
  const [maya] = await bothDms(APPY);
  const id = requestIdIn(maya);
  expect(findElement(maya.blocks, `${IDS.offboardDelete}:${id}`)).toBeUndefined();
  expect(findElement(maya.blocks, `${IDS.offboardRevoke}:${id}`)).toBeUndefined();
  expect(JSON.stringify(maya.blocks)).toContain('This Slack app uses this login');
  const deletes = calls('deleteLogin');
  const revokes = calls('revokeAPIToken');
  // One after the other: while the first holds the request's claim, the second would hear "another admin is answering".
  await press(MAYA, maya, IDS.offboardDelete, id);
  await eventually(() => ephemerals(MAYA.id, /the login whose API token the app itself uses/).length === 1);
  await press(MAYA, maya, IDS.offboardRevoke, id);
  await eventually(() => ephemerals(MAYA.id, /the login whose API token the app itself uses/).length === 2);
  expect(ephemerals(MAYA.id, /the login whose API token/)[0]).toContain(APP_LOGIN_REASON);
  expect(calls('deleteLogin')).toBe(deletes);
  expect(calls('revokeAPIToken')).toBe(revokes);
  expect(loginExists(appLogin.loginId)).toBe(true);
  expect((await t.store.getAdminRequest(id))?.state).toBe('open');
  // Keep still closes the question.
  await press(OLGA, maya, IDS.offboardKeep, id);
  await bothUpdated(APPY, new RegExp(`<@${OLGA.id}> kept`));
});

test('a member without a MegaMeeting login, and a user_change that is not a deactivation, ask nobody', async () => {
  const noLogin = member('Nolo');
  t.slack.addUser(noLogin);
  const posts = t.slack.calls('chat.postMessage').length;
  await deactivate(noLogin);
  await eventually(() => t.logs.some((l) => l.includes('has no MegaMeeting login; nothing to ask')));

  const { who: fay, loginId } = await hire('Fay');
  const body = eventCallbackBody({
    type: 'user_change',
    user: {
      id: fay.id,
      team_id: W.teamId,
      deleted: false,
      real_name: 'Fay Renamed',
      profile: { email: fay.email },
    },
    event_ts: '1700000000.000100',
  });
  await t.post(body, { ...signSlackRequest(body, W.signingSecret), 'content-type': 'application/json' });
  await eventually(() => t.logs.some((l) => l.includes('user_change') && l.includes('not a deactivation')));
  expect((await t.store.getUserLink(W.teamId, fay.id))?.loginId).toBe(loginId);
  expect(t.slack.calls('chat.postMessage').length).toBe(posts);
});
