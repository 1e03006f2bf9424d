/**
 * "Request a MegaMeeting login" and the admin desk under it, without Bolt (./world.ts: the emulator over HTTP,
 * the Slack stand-in, SQLite). Who is asked (admins linked to active admin logins, else Slack admins and owners,
 * never the person), one open request per person, who may answer (admins only, refused word for word and
 * logged), the first answer wins and every admin's DM says who did what, and what is created, linked and told.
 * `desk-unit` mutation scope; test/admin-requests/access.http.test.ts covers the wiring.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import type { Services } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import { ACCESS_REQUEST_TTL_MS } from '../../src/services/access-requests.js';
import { MAX_RECIPIENTS } from '../../src/services/admin-desk.js';
import { type LosingProxy, startLosingProxy } from '../support/losing-proxy.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const MAYA = { id: 'U0MAYAADM1', real_name: 'Maya Admin', email: 'maya@example.com' };
const OLGA = { id: 'U0OLGAADM1', real_name: 'Olga Admin', email: 'olga@example.com' };
const BEN = { id: 'U0BENHOST1', real_name: 'Ben Host', email: 'ben@example.com' };
const NICO = { id: 'U0NICONEW1', real_name: 'Nico Newcomer', email: 'nico@example.com' };
const NOMAIL = { id: 'U0NOMAIL01', real_name: 'Nora Nomail' };
const SLACK_ADMIN = { id: 'U0SLADMIN1', real_name: 'Sia Admin', email: 'sia@example.com', is_admin: true };
const SLACK_OWNER = { id: 'U0SLOWNER1', real_name: 'Otto Owner', email: 'otto@example.com', is_owner: true };

let stub: SlackStub;
let emu: Emulator;
let w: ServiceWorld;
let services: Services;
let now: number;
let benLogin: string;
let proxy: LosingProxy | null = null;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});

async function start(opts: { linkAdmins?: boolean; viaProxy?: boolean } = {}) {
  stub.reset();
  for (const u of [MAYA, OLGA, BEN, NICO, NOMAIL]) stub.addUser(u);
  emu = await startEmulator({ remuxDelayMs: 0 });
  const app = emu.state.addLogin({ email: 'slack.app@example.com', fullName: 'Slack App', roles: ['admin'] });
  emu.state.addLogin({ email: MAYA.email, fullName: MAYA.real_name, roles: ['admin', 'host'] });
  emu.state.addLogin({ email: OLGA.email, fullName: OLGA.real_name, roles: ['owner', 'host'] });
  benLogin = emu.state.addLogin({ email: BEN.email, fullName: BEN.real_name, roles: ['host'] }).loginId;
  now = Date.parse('2026-12-07T10:00:00Z');
  proxy = opts.viaProxy ? await startLosingProxy(emu) : null;
  w = await startServiceWorld(stub, {
    emulator: emu,
    apiToken: app.apiToken,
    clock: { now: () => new Date(now) },
    ...(proxy ? { megameetingUrl: proxy.url } : {}),
  });
  services = w.services;
  if (opts.linkAdmins !== false) {
    for (const u of [MAYA, OLGA]) await services.identity.resolveHost(T, u.id);
  }
  stub.clearCalls();
}

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  await w.close();
  await proxy?.close();
  await emu.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);
const maya = { teamId: T, userId: MAYA.id };
const olga = { teamId: T, userId: OLGA.id };

/** The texts of the messages now in a user's DM (updated in place by chat.update). */
function dmsTo(userId: string): string[] {
  return stub.messagesIn(stub.dmChannelFor(userId)).map((m) => m.text);
}

/** The request ID on the buttons of the last request DMed to an admin. */
function requestIdSentTo(userId: string): string {
  const msg = stub.messagesIn(stub.dmChannelFor(userId)).at(-1);
  const id = JSON.stringify(msg?.blocks ?? []).match(/access_decline:([0-9a-f-]{36})/)?.[1];
  if (!id) throw new Error(`no request DMed to ${userId}`);
  return id;
}

async function asked(person: { id: string }): Promise<string> {
  const answer = await services.accessRequests.request({ teamId: T, userId: person.id });
  expect(answer).toMatch(/^I asked your MegaMeeting admins/);
  return requestIdSentTo(MAYA.id);
}

describe('asking', () => {
  test('someone with a login is told /meet works; nobody is asked', async () => {
    expect(await services.accessRequests.request({ teamId: T, userId: BEN.id })).toBe(
      `You already have a MegaMeeting login (\`${benLogin}\`): \`/meet\` works for you.`,
    );
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test('the admins linked to active admin and owner logins are asked once; pressing again asks nobody', async () => {
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toBe(
      `I asked your MegaMeeting admins (<@${MAYA.id}>, <@${OLGA.id}>) for a login for you. You'll get a message here as soon as one of them answers.`,
    );
    expect(dmsTo(MAYA.id)).toEqual(['Nico Newcomer asks for a MegaMeeting login']);
    expect(dmsTo(OLGA.id)).toEqual(['Nico Newcomer asks for a MegaMeeting login']);
    const id = requestIdSentTo(MAYA.id);
    expect(requestIdSentTo(OLGA.id)).toBe(id);
    const stored = await w.db.store.getAdminRequest(id);
    expect(stored).toMatchObject({
      teamId: T,
      kind: 'access',
      subjectUserId: NICO.id,
      subjectName: 'Nico Newcomer',
      subjectEmail: 'nico@example.com',
      loginId: null,
      state: 'open',
    });
    expect(stored?.messages.map((m) => m.userId)).toEqual([MAYA.id, OLGA.id]);
    expect(stored?.expiresAt.getTime()).toBe(now + ACCESS_REQUEST_TTL_MS);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'admin request: admins asked',
        requestId: id,
        kind: 'access',
        asked: 2,
        of: 2,
      }),
    );

    now += 60_000;
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toBe(
      "You already asked for a MegaMeeting login <!date^1796637600^{date_short_pretty} at {time}|Mon, Dec 7 2026 10:00 UTC>, and your admins haven't answered yet. I won't ask them again; you'll get a message here as soon as one of them answers.",
    );
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'login request: already pending',
        teamId: T,
        userId: NICO.id,
        requestId: id,
      }),
    );
  });

  test('a request whose DMs were never recorded is sent again after two minutes, not before', async () => {
    const { request } = await services.adminDesk.open({
      id: '00000000-0000-4000-8000-000000000001',
      teamId: T,
      kind: 'access',
      subjectUserId: NICO.id,
      subjectName: 'Nico Newcomer',
      subjectEmail: NICO.email,
      loginId: null,
      ttlMs: ACCESS_REQUEST_TTL_MS,
    });
    now += 2 * 60_000 - 1;
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toMatch(
      /^You already asked/,
    );
    expect(stub.calls('chat.postMessage')).toEqual([]);
    now += 1;
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toMatch(/^I asked/);
    expect(requestIdSentTo(MAYA.id)).toBe(request.id);
  });

  test('a request whose DMs went out is not sent again, however long it waits', async () => {
    await asked(NICO);
    now += 60 * 60_000;
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toMatch(
      /^You already asked for a MegaMeeting login/,
    );
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
  });

  test('an admin asking is not asked themselves', async () => {
    expect(await services.adminDesk.recipients(T, MAYA.id)).toEqual([OLGA.id]);
  });

  test('people linked to a host login or to an inactive admin login are not asked', async () => {
    await services.identity.resolveHost(T, BEN.id);
    const INA = { id: 'U0INACTIV1', real_name: 'Ina Former', email: 'ina@example.com' };
    stub.addUser(INA);
    const ina = emu.state.addLogin({ email: INA.email, fullName: INA.real_name, roles: ['admin', 'host'] });
    await services.identity.logins(0);
    await services.identity.resolveHost(T, INA.id);
    const record = emu.state.logins.get(ina.loginId);
    if (record) record.active = 0;
    expect(await services.adminDesk.recipients(T, NICO.id)).toEqual([MAYA.id, OLGA.id]);
  });

  test(`exactly ${MAX_RECIPIENTS} admins: all asked, and no cut logged`, async () => {
    await w.close();
    await emu.close();
    await start({ linkAdmins: false });
    const ids = Array.from({ length: 25 }, (_, i) => `U0ADM${String(i).padStart(5, '0')}`);
    for (const id of ids) stub.addUser({ id, real_name: id, is_admin: true });
    expect(await services.adminDesk.recipients(T, NICO.id)).toEqual(ids);
    expect(w.logs().filter((l) => String(l.msg).startsWith('asking only the first'))).toEqual([]);
  });

  test('nobody linked to an admin login: the Slack admins and owners are asked (not bots, not the deactivated)', async () => {
    await w.close();
    await emu.close();
    await start({ linkAdmins: false });
    stub.addUser(SLACK_ADMIN);
    stub.addUser(SLACK_OWNER);
    stub.addUser({ id: 'U0ADMINBOT', real_name: 'Admin Bot', is_admin: true, is_bot: true });
    stub.addUser({ id: 'U0ADMINGON', real_name: 'Gone Admin', is_admin: true, deleted: true });
    expect(await services.adminDesk.recipients(T, NICO.id)).toEqual([SLACK_ADMIN.id, SLACK_OWNER.id]);
    expect(await services.adminDesk.recipients(T, SLACK_OWNER.id)).toEqual([SLACK_ADMIN.id]);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'no Slack user is linked to an admin login: asking Slack admins',
        teamId: T,
        count: 2,
      }),
    );
  });

  test('nobody at all to ask: the person is told, and it is logged', async () => {
    await w.close();
    await emu.close();
    await start({ linkAdmins: false });
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toBe(
      "I couldn't find a MegaMeeting admin to ask in this workspace. Ask your Slack admin to set up a MegaMeeting admin in Slack (`/meet account`).",
    );
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'login request: nobody to ask', teamId: T, userId: NICO.id, level: 40 }),
    );
  });

  test(`at most ${MAX_RECIPIENTS} admins are asked, and the cut is logged`, async () => {
    await w.close();
    await emu.close();
    await start({ linkAdmins: false });
    const ids = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `U0ADM${String(i).padStart(5, '0')}`);
    for (const id of ids) stub.addUser({ id, real_name: id, is_admin: true });
    expect(await services.adminDesk.recipients(T, NICO.id)).toEqual(ids.slice(0, MAX_RECIPIENTS));
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: `asking only the first ${MAX_RECIPIENTS} admins`,
        count: MAX_RECIPIENTS + 1,
      }),
    );
  });

  test('an admin who cannot be DMed is skipped; when none can be, the request is closed and asked anew next time', async () => {
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(MAYA.id) });
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toBe(
      `I asked your MegaMeeting admins (<@${OLGA.id}>) for a login for you. You'll get a message here as soon as one of them answers.`,
    );
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'admin request: could not DM an admin', userId: MAYA.id, level: 40 }),
    );

    stub.failNext('chat.postMessage', 'channel_not_found', { count: 2 });
    expect(await services.accessRequests.request({ teamId: T, userId: NOMAIL.id })).toBe(
      "I couldn't reach any of your MegaMeeting admins in Slack just now. Please try again later.",
    );
    // Closed, not pending: the next press asks the admins anew.
    expect(await services.accessRequests.request({ teamId: T, userId: NOMAIL.id })).toMatch(/^I asked/);
  });

  test('a request closed because nobody could be reached, answered late: said so', async () => {
    const { request } = await services.adminDesk.open({
      id: '00000000-0000-4000-8000-000000000002',
      teamId: T,
      kind: 'access',
      subjectUserId: NICO.id,
      subjectName: 'Nico Newcomer',
      subjectEmail: NICO.email,
      loginId: null,
      ttlMs: ACCESS_REQUEST_TTL_MS,
    });
    await services.adminDesk.abandon(request, 'undelivered');
    expect(await w.db.store.getAdminRequest(request.id)).toMatchObject({
      state: 'done',
      outcome: 'undelivered',
      decidedBy: 'app',
    });
    const err = await refusal(services.accessRequests.decline(maya, request.id));
    expect([err.code, err.message]).toEqual([
      'already_ended',
      'This request was closed: no admin could be reached.',
    ]);
  });
});

describe('answering', () => {
  test('Create: the login (host, their Slack name and email), the activation email, the link; every DM says who', async () => {
    const id = await asked(NICO);
    await services.accessRequests.create(maya, id);
    const login = emu.state.snapshot().logins.find((l) => l.email === NICO.email);
    expect(login).toMatchObject({ fullName: 'Nico Newcomer', roles: ['host'] });
    const loginId = login?.loginId ?? '';
    expect(emu.state.snapshot().invitations.map((i) => i.email)).toEqual([NICO.email]);
    expect(await w.db.store.getUserLink(T, NICO.id)).toMatchObject({
      loginId,
      source: 'admin',
      linkedBy: MAYA.id,
    });
    const sentence = `:white_check_mark: <@${MAYA.id}> created the MegaMeeting login *Nico Newcomer* (nico@example.com, login \`${loginId}\`) for <@${NICO.id}> (Nico Newcomer).`;
    expect(dmsTo(MAYA.id)).toEqual([sentence]);
    expect(dmsTo(OLGA.id)).toEqual([sentence]);
    expect(dmsTo(NICO.id)).toEqual([
      `:tada: <@${MAYA.id}> created your MegaMeeting login \`${loginId}\` (nico@example.com). MegaMeeting emailed you an activation link to set your password. \`/meet\` works for you now.`,
    ]);
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({
      state: 'done',
      outcome: 'created',
      decidedBy: MAYA.id,
      loginId,
    });
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'login request: login created', requestId: id, loginId, by: MAYA.id }),
    );
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'admin request: decided',
        requestId: id,
        outcome: 'created',
        loginId,
        by: MAYA.id,
      }),
    );

    // The second admin, too late: told who answered; nothing more is made.
    const err = await refusal(services.accessRequests.create(olga, id));
    expect([err.code, err.message]).toEqual(['already_ended', `Already answered: ${sentence}`]);
    expect(emu.state.requests().filter((r) => r.fields.includes('createLogin'))).toHaveLength(1);
  });

  test('Create with the activation email lost: the login and the link made; the person told to ask for it; logged', async () => {
    await w.close();
    await emu.close();
    await start({ viaProxy: true });
    const id = await asked(NICO);
    proxy?.lose('userInvitation', 'drop');
    await services.accessRequests.create(maya, id);
    const loginId = emu.state.snapshot().logins.find((l) => l.email === NICO.email)?.loginId ?? '';
    expect(loginId).not.toBe('');
    expect(emu.state.snapshot().invitations).toEqual([]);
    expect((await w.db.store.getUserLink(T, NICO.id))?.loginId).toBe(loginId);
    expect(dmsTo(NICO.id)).toEqual([
      `:tada: <@${MAYA.id}> created your MegaMeeting login \`${loginId}\` (nico@example.com). MegaMeeting didn't send the activation email yet: ask them to send it so that you can set your password. \`/meet\` works for you now.`,
    ]);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'login request: the activation email was not sent',
        requestId: id,
        loginId,
        level: 40,
      }),
    );
  });

  test('Create for someone without an email, or with a login already: refused, and another answer still possible', async () => {
    const id = await asked(NOMAIL);
    let err = await refusal(services.accessRequests.create(maya, id));
    expect([err.code, err.message]).toEqual([
      'invalid_input',
      `<@${NOMAIL.id}> has no email on their Slack profile, so I can't create a login: link them to an existing one instead.`,
    ]);
    expect((await w.db.store.getAdminRequest(id))?.state).toBe('open');

    const other = await asked(NICO);
    const inactive = emu.state.addLogin({ email: 'Nico@Example.com', active: false }).loginId;
    err = await refusal(services.accessRequests.create(maya, other));
    expect(err.message).toBe(
      `There is already a MegaMeeting login for nico@example.com (\`${inactive}\`, inactive): pick it under "Link to an existing login" instead.`,
    );
    const record = emu.state.logins.get(inactive);
    if (record) record.active = 1;
    err = await refusal(services.accessRequests.create(olga, other));
    expect(err.message).toBe(
      `There is already a MegaMeeting login for nico@example.com (\`${inactive}\`): pick it under "Link to an existing login" instead.`,
    );
    // The claim was given back: another admin's answer goes through.
    await services.accessRequests.link(olga, other, inactive);
    expect((await w.db.store.getUserLink(T, NICO.id))?.loginId).toBe(inactive);
    expect(emu.state.requests().filter((r) => r.fields.includes('createLogin'))).toEqual([]);
  });

  test('Link: the chosen login becomes theirs; the person and every admin are told', async () => {
    const id = await asked(NICO);
    await services.accessRequests.link(olga, id, benLogin);
    expect(await w.db.store.getUserLink(T, NICO.id)).toMatchObject({ loginId: benLogin, linkedBy: OLGA.id });
    const sentence = `:white_check_mark: <@${OLGA.id}> linked <@${NICO.id}> (Nico Newcomer) to the MegaMeeting login *Ben Host* (ben@example.com, login \`${benLogin}\`).`;
    expect(dmsTo(MAYA.id)).toEqual([sentence]);
    expect(dmsTo(NICO.id)).toEqual([
      `:tada: <@${OLGA.id}> linked you to the MegaMeeting login \`${benLogin}\` (ben@example.com). \`/meet\` works for you now.`,
    ]);
  });

  test('Decline: nothing made; told; the person may ask again', async () => {
    const id = await asked(NICO);
    await services.accessRequests.decline(maya, id);
    expect(dmsTo(OLGA.id)).toEqual([
      `:no_entry_sign: <@${MAYA.id}> declined <@${NICO.id}> (Nico Newcomer)'s request for a login.`,
    ]);
    expect(dmsTo(NICO.id)).toEqual([
      `<@${MAYA.id}> declined your request for a MegaMeeting login. Ask them if you think this is a mistake.`,
    ]);
    expect(await w.db.store.getUserLink(T, NICO.id)).toBeNull();
    expect(await services.accessRequests.request({ teamId: T, userId: NICO.id })).toMatch(/^I asked/);
  });

  test('someone who is not an admin: every answer refused word for word, logged; nothing decided', async () => {
    const id = await asked(NICO);
    const ben = { teamId: T, userId: BEN.id };
    for (const attempt of [
      services.accessRequests.create(ben, id),
      services.accessRequests.link(ben, id, benLogin),
      services.accessRequests.decline(ben, id),
    ]) {
      const err = await refusal(attempt);
      expect([err.code, err.message]).toEqual([
        'not_allowed',
        'Only MegaMeeting admins (and Slack workspace admins) can answer this. Nothing was changed.',
      ]);
    }
    expect((await w.db.store.getAdminRequest(id))?.state).toBe('open');
    expect(await w.db.store.getUserLink(T, NICO.id)).toBeNull();
    expect(w.logs().filter((l) => l.msg === 'admin request: refused, not an admin')).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ teamId: T, userId: BEN.id, level: 40 })),
    );
  });

  test('an unknown request, another kind, another workspace: no longer open', async () => {
    const id = await asked(NICO);
    const gone = 'This request is no longer open (a newer one replaced it).';
    for (const attempt of [
      services.accessRequests.decline(maya, '00000000-0000-4000-8000-00000000dead'),
      services.offboarding.keep(maya, id),
    ]) {
      const err = await refusal(attempt);
      expect([err.code, err.message]).toEqual(['not_found', gone]);
    }
    stub.addUser({ ...SLACK_ADMIN });
    const err = await refusal(
      services.accessRequests.decline({ teamId: 'T0OTHERTEAM', userId: SLACK_ADMIN.id }, id),
    );
    expect(err.message).toBe(gone);
    expect((await w.db.store.getAdminRequest(id))?.state).toBe('open');
  });

  test('another admin answering right now: said so, nothing decided', async () => {
    const id = await asked(NICO);
    expect(await w.db.store.claimAdminRequest(id, 'someone-else', 60_000, new Date(now))).toBe(true);
    const err = await refusal(services.accessRequests.decline(maya, id));
    expect([err.code, err.message]).toEqual([
      'already_ended',
      'Another admin is answering this request right now: their answer will show in this message.',
    ]);
    // A claim lasts two minutes: after it lapsed, the answer goes through.
    await w.db.store.releaseAdminRequest(id, 'someone-else');
    await services.accessRequests.decline(maya, id);
    expect((await w.db.store.getAdminRequest(id))?.outcome).toBe('declined');
  });

  test('an admin acting holds the request for two minutes: another admin pressing meanwhile is told so', async () => {
    const id = await asked(NICO);
    emu.state.setLatency(200);
    const creating = services.accessRequests.create(maya, id);
    let held = await w.db.store.getAdminRequest(id);
    while (!held?.claimedBy) {
      await new Promise((r) => setTimeout(r, 5));
      held = await w.db.store.getAdminRequest(id);
    }
    expect(held.claimExpiresAt).toEqual(new Date(now + 2 * 60_000));
    now += 2 * 60_000 - 1;
    const err = await refusal(services.accessRequests.decline(olga, id));
    expect(err.message).toBe(
      'Another admin is answering this request right now: their answer will show in this message.',
    );
    await creating;
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({ outcome: 'created', decidedBy: MAYA.id });
  });

  test('a claim that lapsed while acting: the other admin’s answer is taken, the late one is still done, said and logged', async () => {
    const id = await asked(NICO);
    emu.state.setLatency(100);
    const creating = services.accessRequests.create(maya, id);
    while (!(await w.db.store.getAdminRequest(id))?.claimedBy) await new Promise((r) => setTimeout(r, 5));
    now += 2 * 60_000;
    await services.accessRequests.decline(olga, id);
    await creating;
    emu.state.setLatency(0);
    // The store keeps the answer that finished first; what Maya did is done and said.
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({ outcome: 'declined', decidedBy: OLGA.id });
    const loginId = emu.state.snapshot().logins.find((l) => l.email === NICO.email)?.loginId;
    expect(dmsTo(OLGA.id)).toEqual([
      `:white_check_mark: <@${MAYA.id}> created the MegaMeeting login *Nico Newcomer* (nico@example.com, login \`${loginId}\`) for <@${NICO.id}> (Nico Newcomer).`,
    ]);
    expect(dmsTo(NICO.id).at(-1)).toMatch(new RegExp(`^:tada: <@${MAYA.id}> created your MegaMeeting login`));
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'admin request: decided after the claim lapsed',
        requestId: id,
        outcome: 'created',
        level: 40,
      }),
    );
  });

  test('expired: a late answer is refused, and every DM says it expired', async () => {
    const id = await asked(NICO);
    now += ACCESS_REQUEST_TTL_MS;
    const err = await refusal(services.accessRequests.create(maya, id));
    expect([err.code, err.message]).toEqual([
      'already_ended',
      'This request expired unanswered. They can ask again with the button under their message.',
    ]);
    const expired = `:hourglass: <@${NICO.id}> (Nico Newcomer)'s request for a MegaMeeting login expired unanswered; they can ask again.`;
    expect(dmsTo(MAYA.id)).toEqual([expired]);
    expect(dmsTo(OLGA.id)).toEqual([expired]);
    expect(emu.state.requests().filter((r) => r.fields.includes('createLogin'))).toEqual([]);
  });

  test('a week less a millisecond after asking, the request is still open: the answer is taken', async () => {
    const id = await asked(NICO);
    now += 7 * 24 * 3_600_000 - 1;
    await services.accessRequests.decline(maya, id);
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({ outcome: 'declined', decidedBy: MAYA.id });
  });

  test('Slack failures after the decision: the decision stands, each is logged', async () => {
    const id = await asked(NICO);
    stub.failNext('chat.update', 'message_not_found', { channel: stub.dmChannelFor(MAYA.id) });
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(NICO.id) });
    await services.accessRequests.decline(olga, id);
    expect((await w.db.store.getAdminRequest(id))?.outcome).toBe('declined');
    expect(dmsTo(OLGA.id)[0]).toMatch(/^:no_entry_sign:/);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'admin request: could not update a DM',
        requestId: id,
        userId: MAYA.id,
      }),
    );
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'login request: could not tell the person the outcome', requestId: id }),
    );
  });
});

describe('the login list', () => {
  test('admins get active logins matching what they typed; anyone else an empty list, logged', async () => {
    emu.state.addLogin({ email: 'ben.two@example.com', fullName: 'Ben Inactive', active: false });
    const options = await services.accessRequests.loginOptions(maya, '  BEN ');
    expect(options).toEqual([{ text: 'Ben Host · ben@example.com', value: benLogin }]);
    const long = emu.state.addLogin({ email: 'l@example.com', fullName: 'L'.repeat(90) }).loginId;
    await services.identity.logins(0);
    expect(await services.accessRequests.loginOptions(maya, 'LLLL')).toEqual([
      { text: 'L'.repeat(75), value: long },
    ]);
    expect(await services.accessRequests.loginOptions({ teamId: T, userId: BEN.id }, 'ben')).toEqual([]);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'login list refused', userId: BEN.id, component: 'access-requests' }),
    );
  });

  test('what the admin typed is read up to 100 characters', async () => {
    const typed = `${' '.repeat(97)}ben`;
    expect(await services.accessRequests.loginOptions(maya, `${typed}zzz`)).toEqual([
      { text: 'Ben Host · ben@example.com', value: benLogin },
    ]);
  });

  test('MegaMeeting too slow to confirm an admin within Slack’s 3 s: an empty list, logged', async () => {
    now += 30_000; // past the 30 s an admin login's powers are trusted for
    emu.state.setLatency(1_700);
    expect(await services.accessRequests.loginOptions(maya, 'ben')).toEqual([]);
    emu.state.setLatency(0);
    expect(w.logs()).toContainEqual(expect.objectContaining({ msg: 'login list refused', userId: MAYA.id }));
  });

  test('at most 100 options', async () => {
    for (let i = 0; i < 101; i++) emu.state.addLogin({ email: `p${i}@example.com`, fullName: `Person ${i}` });
    await services.identity.logins(0);
    expect(await services.accessRequests.loginOptions(maya, 'person')).toHaveLength(100);
  });
});
