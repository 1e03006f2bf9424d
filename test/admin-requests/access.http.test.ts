/**
 * "Request a MegaMeeting login" end to end (issue 14, "Asking for access"): the real app over signed Slack HTTP,
 * against the MegaMeeting emulator and the Slack stand-in. Two Slack users are linked to MegaMeeting admin logins
 * (Maya, Olga): they are the ones asked. Every test uses its own person, so that one request per person holds.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { ACCESS_REQUEST_TTL_MS } from '../../src/services/access-requests.js';
import { ADMIN_REQUEST_IDS as IDS } from '../../src/views/admin-requests.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { type ManualClock, manualClock } from '../recordings/setup.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import {
  appHomeOpenedEvent,
  eventCallbackBody,
  findElement,
  interactivityBody,
  signSlackRequest,
} from '../support/slack-requests.js';
import type { StubMessage, StubUserInput } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
type Person = { id: string; real_name: string; email?: string } & StubUserInput;
const MAYA: Person = { id: 'U0MAYAADM1', real_name: 'Maya Admin', email: 'maya.admin@example.com' };
const OLGA: Person = { id: 'U0OLGAADM1', real_name: 'Olga Admin', email: 'olga.admin@example.com' };
const BEN: Person = { id: 'U0BENHOST1', real_name: 'Ben Host', email: 'ben@example.com' };
const person = (n: string, email = true): Person => ({
  id: `U0${n.toUpperCase().padEnd(8, 'X')}`,
  real_name: `${n} Newcomer`,
  ...(email ? { email: `${n.toLowerCase()}@example.com` } : {}),
});

let emu: Emulator;
let t: TestApp;
let clock: ManualClock;
let legacyLoginId: string;

beforeAll(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  const appLogin = emu.state.addLogin({
    email: 'slack.app@example.com',
    fullName: 'Slack App',
    roles: ['admin'],
  });
  emu.state.addLogin({ email: MAYA.email as string, fullName: MAYA.real_name, roles: ['admin', 'host'] });
  emu.state.addLogin({ email: OLGA.email as string, fullName: OLGA.real_name, roles: ['admin', 'host'] });
  emu.state.addLogin({ email: BEN.email as string, fullName: BEN.real_name, roles: ['host'] });
  legacyLoginId = emu.state.addLogin({ email: 'q.legacy@example.com', fullName: 'Quinn Legacy' }).loginId;
  clock = manualClock(new Date());
  t = await startTestApp({ emulator: emu, clock, env: { MEGAMEETING_API_TOKEN: appLogin.apiToken } });
  for (const u of [MAYA, OLGA, BEN]) {
    t.slack.addUser(u);
    const sent = await t.command('account', { user_id: u.id, user_name: u.id.toLowerCase() });
    await t.slack.waitForResponse(sent.responseUrl);
  }
});
afterAll(async () => {
  await t.close();
  await emu.close();
});

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** The person presses "Request a MegaMeeting login" under the ephemeral /meet reply in the channel. */
function pressRequest(p: Person) {
  return t.action(IDS.requestLogin, 'request', { userId: p.id, isEphemeral: true });
}

/** What the user was told privately (ephemeral in the channel, or a DM) matching `re`. */
function toldPrivately(userId: string, re: RegExp): Promise<string> {
  return eventually(() => {
    const texts = [
      ...t.slack.ephemeralMessages({ user: userId }).map((m) => m.text),
      ...t.slack.messagesIn(userId).map((m) => m.text),
    ];
    return texts.find((x) => re.test(x));
  });
}

function countTold(userId: string, re: RegExp): number {
  return t.slack.ephemeralMessages({ user: userId }).filter((m) => re.test(m.text)).length;
}

/** The admin's DM about `p`'s request (the current version, as chat.update left it). */
function dmAbout(admin: Person, p: Person): StubMessage | undefined {
  return t.slack.messagesIn(admin.id).find((m) => JSON.stringify(m.blocks ?? []).includes(`<@${p.id}>`));
}

function dmsAbout(admin: Person, p: Person): StubMessage[] {
  return t.slack.messagesIn(admin.id).filter((m) => JSON.stringify(m.blocks ?? []).includes(`<@${p.id}>`));
}

/** Both admins' DMs about `p`, once sent. */
function bothDms(p: Person): Promise<[StubMessage, StubMessage]> {
  return eventually(() => {
    const a = dmAbout(MAYA, p);
    const b = dmAbout(OLGA, p);
    return a && b ? ([a, b] as [StubMessage, StubMessage]) : undefined;
  });
}

function requestIdIn(msg: StubMessage): string {
  const decline = JSON.stringify(msg.blocks).match(/"access_decline:([0-9a-f-]{36})"/);
  if (!decline?.[1]) throw new Error('no request buttons in this message');
  return decline[1];
}

/** An admin presses a button of the request DM (`access_create`, `access_decline`). */
function pressOnDm(admin: Person, msg: StubMessage, action: string, requestId = requestIdIn(msg)) {
  return t.action(`${action}:${requestId}`, requestId, {
    userId: admin.id,
    channelId: msg.channel,
    message: msg,
  });
}

/** An admin picks a login in the DM's "Link to an existing login" list. */
function pickLogin(admin: Person, msg: StubMessage, loginId: string, requestId = requestIdIn(msg)) {
  const actionId = `${IDS.accessLink}:${requestId}`;
  return t.action(actionId, '', {
    userId: admin.id,
    channelId: msg.channel,
    message: msg,
    actions: [
      {
        action_id: actionId,
        block_id: findElement(msg.blocks, actionId)?.blockId ?? 'b',
        type: 'external_select',
        selected_option: { text: { type: 'plain_text', text: loginId }, value: loginId },
        action_ts: '1.1',
      },
    ],
  });
}

/** Slack asking the app for the options of the login list as `userId` types `value`. */
async function loginOptions(userId: string, msg: StubMessage, value: string) {
  const requestId = requestIdIn(msg);
  const payload = {
    type: 'block_suggestion',
    user: { id: userId, username: 'u', name: 'u', team_id: W.teamId },
    container: { type: 'message', message_ts: msg.ts, channel_id: msg.channel, is_ephemeral: false },
    api_app_id: W.appId,
    token: W.verificationToken,
    action_id: `${IDS.accessLink}:${requestId}`,
    block_id: `access_${requestId}`,
    value,
    team: { id: W.teamId, domain: W.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: msg.channel, name: 'directmessage' },
    message: msg,
  };
  const body = interactivityBody(payload);
  const res = await t.post(body, { ...signSlackRequest(body, W.signingSecret) });
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { options: { text: { text: string }; value: string }[] }).options;
}

const createLoginCalls = () => emu.state.requests().filter((r) => r.fields.includes('createLogin')).length;
const loginByEmail = (email: string) => emu.state.snapshot().logins.find((l) => l.email === email);

/** The person's own `/meet account` answer. */
async function accountAnswer(p: Person): Promise<string> {
  const sent = await t.command('account', { user_id: p.id, user_name: p.id.toLowerCase() });
  return String((await t.slack.waitForResponse(sent.responseUrl)).body.text);
}

// ---------------------------------------------------------------------------------------------------------
// Tests

test('the unmapped answer of /meet carries the button; pressing it asks both admins once, pressing again does not', async () => {
  const pat = person('Pat');
  t.slack.addUser(pat);
  const sent = await t.command('Design sync', { user_id: pat.id, user_name: 'pat' });
  const answer = await t.slack.waitForResponse(sent.responseUrl);
  expect(String(answer.body.text)).toMatch(/does not exist/);
  const blocks = answer.body.blocks as unknown[];
  expect(findElement(blocks, IDS.requestLogin)).toBeDefined();
  assertValidMessageBlocks(blocks as never);

  const res = await pressRequest(pat);
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  const told = await toldPrivately(pat.id, /I asked your MegaMeeting admins/);
  expect(told).toContain(`<@${MAYA.id}>`);
  expect(told).toContain(`<@${OLGA.id}>`);
  const [maya, olga] = await bothDms(pat);
  for (const dm of [maya, olga]) {
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain('Pat Newcomer');
    expect(text).toContain('pat@example.com');
    expect(findElement(dm.blocks, `${IDS.accessCreate}:${requestIdIn(dm)}`)).toBeDefined();
    expect(findElement(dm.blocks, `${IDS.accessLink}:${requestIdIn(dm)}`)?.element.type).toBe(
      'external_select',
    );
    assertValidMessageBlocks(dm.blocks as never);
  }
  // Nobody else (Ben is a host, not an admin) was asked.
  expect(dmAbout(BEN, pat)).toBeUndefined();

  const before = t.slack.calls('chat.postMessage').length;
  await pressRequest(pat);
  await pressRequest(pat);
  await eventually(() => countTold(pat.id, /You already asked/) === 2);
  expect(t.slack.calls('chat.postMessage').length).toBe(before);
  expect(dmsAbout(MAYA, pat)).toHaveLength(1);
  expect(dmsAbout(OLGA, pat)).toHaveLength(1);
});

test('two admins press Create at once: one login is created (one createLogin), both DMs say who did it, the person can /meet', async () => {
  const rae = person('Rae');
  t.slack.addUser(rae);
  await pressRequest(rae);
  const [maya, olga] = await bothDms(rae);
  const creates = createLoginCalls();
  const [a, b] = await Promise.all([
    pressOnDm(MAYA, maya, IDS.accessCreate),
    pressOnDm(OLGA, olga, IDS.accessCreate),
  ]);
  expect(a.status).toBe(200);
  expect(b.status).toBe(200);

  const told = await toldPrivately(rae.id, /created your MegaMeeting login/);
  const login = loginByEmail('rae@example.com');
  expect(login).toBeDefined();
  expect(login?.fullName).toBe('Rae Newcomer');
  expect(login?.roles).toEqual(['host']);
  expect(told).toContain(String(login?.loginId));
  expect(told).toMatch(/emailed you an activation link/);
  expect(emu.state.snapshot().invitations.some((i) => i.email === 'rae@example.com')).toBe(true);
  // Exactly one admin won: one createLogin reached MegaMeeting.
  expect(createLoginCalls()).toBe(creates + 1);
  const [m, o] = await eventually(() => {
    const x = dmAbout(MAYA, rae);
    const y = dmAbout(OLGA, rae);
    return x?.edited && y?.edited ? [x, y] : undefined;
  });
  expect(m.text).toBe(o.text);
  expect(m.text).toMatch(/created the MegaMeeting login/);
  expect(m.text).toMatch(new RegExp(`<@(${MAYA.id}|${OLGA.id})> created`));
  expect(JSON.stringify(m.blocks)).not.toContain(IDS.accessCreate);
  // The loser was told privately that it was already answered (or being answered).
  const winner = m.text.includes(`<@${MAYA.id}> created`) ? MAYA : OLGA;
  const loser = winner === MAYA ? OLGA : MAYA;
  await toldPrivately(loser.id, /Already answered|Another admin is answering/);

  // The person's /meet works at once.
  expect(await accountAnswer(rae)).toContain(`You are linked to the MegaMeeting login \`${login?.loginId}\``);
  // A late press on the old DM changes nothing.
  await pressOnDm(loser, maya, IDS.accessDecline, requestIdIn(maya));
  await eventually(() => countTold(loser.id, /Already answered/) >= 1);
  expect(createLoginCalls()).toBe(creates + 1);
});

test('link: the list offers matching active logins to admins only; picking one links the person', async () => {
  const quinn = person('Quinn');
  t.slack.addUser(quinn);
  await pressRequest(quinn);
  const [maya, olga] = await bothDms(quinn);

  const options = await loginOptions(MAYA.id, maya, 'legacy');
  expect(options).toEqual([
    { text: { type: 'plain_text', text: 'Quinn Legacy · q.legacy@example.com' }, value: legacyLoginId },
  ]);
  expect((await loginOptions(MAYA.id, maya, '')).length).toBeGreaterThan(3);
  // A non-admin asking for the list gets nothing.
  expect(await loginOptions(BEN.id, maya, '')).toEqual([]);

  await pickLogin(OLGA, olga, legacyLoginId);
  const told = await toldPrivately(quinn.id, /linked you to the MegaMeeting login/);
  expect(told).toContain(legacyLoginId);
  expect((await t.store.getUserLink(W.teamId, quinn.id))?.loginId).toBe(legacyLoginId);
  await eventually(() => dmAbout(MAYA, quinn)?.text.includes(`<@${OLGA.id}> linked`));
  expect(await accountAnswer(quinn)).toContain(legacyLoginId);
});

test('decline: no login, both DMs updated, the person is told and may ask again (a new request)', async () => {
  const dee = person('Dee');
  t.slack.addUser(dee);
  await pressRequest(dee);
  const [maya] = await bothDms(dee);
  const creates = createLoginCalls();
  await pressOnDm(MAYA, maya, IDS.accessDecline);
  await toldPrivately(dee.id, new RegExp(`<@${MAYA.id}> declined your request`));
  await eventually(() => dmAbout(OLGA, dee)?.text.includes(`<@${MAYA.id}> declined`));
  expect(loginByEmail('dee@example.com')).toBeUndefined();
  expect(createLoginCalls()).toBe(creates);

  await pressRequest(dee);
  await eventually(() => dmsAbout(OLGA, dee).length === 2);
  expect(requestIdIn(dmsAbout(OLGA, dee)[1] as StubMessage)).not.toBe(requestIdIn(maya));
});

test('crafted answers from a non-admin run nothing and get a private refusal', async () => {
  const eve = person('Eve');
  t.slack.addUser(eve);
  await pressRequest(eve);
  const [maya] = await bothDms(eve);
  const creates = createLoginCalls();
  await pressOnDm(BEN, maya, IDS.accessCreate);
  await pickLogin(BEN, maya, legacyLoginId);
  await pressOnDm(BEN, maya, IDS.accessDecline);
  // The person asking cannot answer their own request either.
  await pressOnDm(eve, maya, IDS.accessCreate);
  await eventually(() => countTold(BEN.id, /Only MegaMeeting admins/) === 3);
  await eventually(() => countTold(eve.id, /Only MegaMeeting admins/) === 1);
  expect(createLoginCalls()).toBe(creates);
  expect(await t.store.getUserLink(W.teamId, eve.id)).toBeNull();
  const req = await t.store.getAdminRequest(requestIdIn(maya));
  expect(req).toMatchObject({ state: 'open', claimedBy: null });
  expect(dmAbout(MAYA, eve)?.edited).toBeUndefined();
});

test('no email on the Slack profile: no Create button; a crafted Create is refused with the reason', async () => {
  const nomail = person('Nomail', false);
  t.slack.addUser(nomail);
  await pressRequest(nomail);
  const [maya] = await bothDms(nomail);
  expect(findElement(maya.blocks, `${IDS.accessCreate}:${requestIdIn(maya)}`)).toBeUndefined();
  expect(JSON.stringify(maya.blocks)).toContain('no email on their Slack profile');
  const creates = createLoginCalls();
  await pressOnDm(MAYA, maya, IDS.accessCreate);
  await toldPrivately(MAYA.id, /has no email on their Slack profile/);
  expect(createLoginCalls()).toBe(creates);
  expect((await t.store.getAdminRequest(requestIdIn(maya)))?.state).toBe('open');
});

test('an expired request: a late answer is refused and the DMs say it expired; asking again reaches the admins anew', async () => {
  const old = person('Olden');
  t.slack.addUser(old);
  await pressRequest(old);
  const [maya] = await bothDms(old);
  clock.advance(ACCESS_REQUEST_TTL_MS + 1000);
  const creates = createLoginCalls();
  await pressOnDm(OLGA, maya, IDS.accessCreate);
  await toldPrivately(OLGA.id, /expired unanswered/);
  await eventually(() => dmAbout(MAYA, old)?.text.includes('expired unanswered'));
  expect(createLoginCalls()).toBe(creates);

  await pressRequest(old);
  await eventually(() => dmsAbout(MAYA, old).length === 2 && dmsAbout(OLGA, old).length === 2);
  const fresh = dmsAbout(MAYA, old)[1] as StubMessage;
  await pressOnDm(MAYA, fresh, IDS.accessCreate);
  await toldPrivately(old.id, /created your MegaMeeting login/);
  expect(loginByEmail('olden@example.com')).toBeDefined();
});

test("App Home's unmapped view carries the button too; pressed there, the answer comes as a DM", async () => {
  const hal = person('Hal');
  t.slack.addUser(hal);
  const body = eventCallbackBody(appHomeOpenedEvent({ userId: hal.id }));
  await t.post(body, { ...signSlackRequest(body, W.signingSecret), 'content-type': 'application/json' });
  const home = await eventually(() => {
    const v = t.slack.homeView(hal.id);
    return v && findElement(v.blocks, IDS.requestLogin) ? v : undefined;
  });
  await t.action(IDS.requestLogin, 'request', { userId: hal.id, view: home });
  await eventually(() =>
    t.slack.messagesIn(hal.id).find((m) => /I asked your MegaMeeting admins/.test(m.text)),
  );
  await bothDms(hal);
});

test('someone already linked who presses an old button is told /meet works, and no admin is asked', async () => {
  const before = t.slack.calls('chat.postMessage').length;
  await t.action(IDS.requestLogin, 'request', { userId: BEN.id, isEphemeral: true });
  await toldPrivately(BEN.id, /You already have a MegaMeeting login/);
  expect(t.slack.calls('chat.postMessage').length).toBe(before);
});

describe('no Slack user linked to an admin login', () => {
  let t2: TestApp;
  const WENDY: Person = { id: 'U0WENDYADM', real_name: 'Wendy Slackadmin', is_admin: true };
  const OWEN: Person = { id: 'U0OWENOWNR', real_name: 'Owen Owner', is_owner: true };
  const GONE: Person = { id: 'U0GONEADMN', real_name: 'Gone Admin', is_admin: true, deleted: true };
  const BOT: Person = { id: 'U0SOMEBOT1', real_name: 'Some Bot', is_admin: true, is_bot: true };
  beforeAll(async () => {
    t2 = await startTestApp({ seedHostLogin: false });
    for (const u of [WENDY, OWEN, GONE, BOT]) t2.slack.addUser(u);
  });
  afterAll(async () => {
    await t2.close();
  });

  test("the Slack workspace's admins and owners are asked instead (not bots, not deactivated ones)", async () => {
    const res = await t2.action(IDS.requestLogin, 'request', { userId: W.userId, isEphemeral: true });
    expect(res.status).toBe(200);
    const told = await eventually(() =>
      t2.slack.ephemeralMessages({ user: W.userId }).find((m) => /I asked/.test(m.text)),
    );
    expect(told.text).toContain(`<@${WENDY.id}>`);
    expect(told.text).toContain(`<@${OWEN.id}>`);
    for (const admin of [WENDY, OWEN]) {
      expect(t2.slack.messagesIn(admin.id).some((m) => m.text.includes('asks for a MegaMeeting login'))).toBe(
        true,
      );
    }
    expect(t2.slack.messagesIn(GONE.id)).toHaveLength(0);
    expect(t2.slack.messagesIn(BOT.id)).toHaveLength(0);
    // Wendy is a Slack workspace admin: today's admin check lets her answer.
    const dm = t2.slack.messagesIn(WENDY.id)[0] as StubMessage;
    const id = requestIdIn(dm);
    await t2.action(`${IDS.accessCreate}:${id}`, id, {
      userId: WENDY.id,
      channelId: dm.channel,
      message: dm,
    });
    await eventually(() =>
      t2.slack.messagesIn(W.userId).find((m) => /created your MegaMeeting login/.test(m.text)),
    );
    expect(t2.emulator.state.snapshot().logins.some((l) => l.email === W.userEmail)).toBe(true);
  });
});
