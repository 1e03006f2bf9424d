/**
 * Offboarding without Bolt (./world.ts: the emulator over HTTP, the Slack stand-in, SQLite): a deactivated member
 * is unlinked at once; when they still have a MegaMeeting login the admins are asked once (the login, its token by
 * its last four characters, the scheduled meetings they host); the first admin's answer revokes the token, deletes
 * the login (with its Slack links) or keeps it, never for the app's own login. `desk-unit` mutation scope;
 * test/admin-requests/offboarding.http.test.ts covers the wiring.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import type { Services } from '../../src/app.js';
import type { MeetingStatus } from '../../src/domain/meeting.js';
import { AppError } from '../../src/errors.js';
import { NOT_ADMIN_REFUSAL } from '../../src/services/admin-desk.js';
import { APP_LOGIN_REASON } from '../../src/services/app-login.js';
import { OFFBOARDING_TTL_MS } from '../../src/services/offboarding.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const MAYA = { id: 'U0MAYAADM1', real_name: 'Maya Admin', email: 'maya@example.com' };
const OLGA = { id: 'U0OLGAADM1', real_name: 'Olga Admin', email: 'olga@example.com' };
const BEN = { id: 'U0BENHOST1', real_name: 'Ben Host', email: 'ben@example.com' };
const ALSO_BEN = { id: 'U0BENTWIN1', real_name: 'Ben Twin', email: 'ben@example.com' };

let stub: SlackStub;
let emu: Emulator;
let w: ServiceWorld;
let services: Services;
let app: { loginId: string; apiToken: string };
let benLogin: string;
let benToken: string;
let now: number;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  for (const u of [MAYA, OLGA, BEN, ALSO_BEN]) stub.addUser(u);
  emu = await startEmulator({ remuxDelayMs: 0 });
  app = emu.state.addLogin({ email: 'slack.app@example.com', fullName: 'Slack App', roles: ['admin'] });
  emu.state.addLogin({ email: MAYA.email, fullName: MAYA.real_name, roles: ['admin', 'host'] });
  emu.state.addLogin({ email: OLGA.email, fullName: OLGA.real_name, roles: ['admin', 'host'] });
  ({ loginId: benLogin, apiToken: benToken } = emu.state.addLogin({
    email: BEN.email,
    fullName: BEN.real_name,
    roles: ['host'],
  }));
  now = Date.parse('2026-12-07T10:00:00Z');
  w = await startServiceWorld(stub, {
    emulator: emu,
    apiToken: app.apiToken,
    clock: { now: () => new Date(now) },
  });
  services = w.services;
  for (const u of [MAYA, OLGA, BEN, ALSO_BEN]) await services.identity.resolveHost(T, u.id);
  stub.clearCalls();
});
afterEach(async () => {
  await w.close();
  await emu.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);
const maya = { teamId: T, userId: MAYA.id };
const olga = { teamId: T, userId: OLGA.id };
const ben = { teamId: T, userId: BEN.id, name: 'Ben Host', email: BEN.email };

function dmsTo(userId: string) {
  return stub.messagesIn(stub.dmChannelFor(userId));
}
function requestIdSentTo(userId: string): string {
  const id = JSON.stringify(dmsTo(userId).at(-1)?.blocks ?? []).match(/offboard_([0-9a-f-]{36})/)?.[1];
  if (!id) throw new Error(`no question DMed to ${userId}`);
  return id;
}
const logged = (msg: string) => w.logs().filter((l) => l.msg === msg);

async function stored(meetId: string, host: { slackUserId: string; loginId: string }, status: MeetingStatus) {
  await w.db.store.insertMeeting({
    teamId: T,
    meetId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none',
    hostSlackUserId: host.slackUserId,
    hostLoginId: host.loginId,
    title: `Meeting ${meetId}`,
    kind: 'scheduled',
    startAt: new Date(Date.parse('2027-01-01T10:00:00Z') + Number(meetId)),
    endAt: null,
    timeZone: 'UTC',
    status,
    reminders: [],
    options: {},
  });
}

describe('a member deactivated', () => {
  test('unlinked at once; the admins get the login, its token by the last four, their scheduled meetings; once', async () => {
    await stored('1000001', { slackUserId: BEN.id, loginId: benLogin }, 'scheduled');
    await stored('1000002', { slackUserId: 'U0SOMEONE1', loginId: benLogin }, 'scheduled');
    await stored('1000003', { slackUserId: BEN.id, loginId: 'otherlogin' }, 'scheduled');
    await stored('1000004', { slackUserId: BEN.id, loginId: benLogin }, 'ended');
    await stored('1000005', { slackUserId: 'U0SOMEONE1', loginId: 'otherlogin' }, 'scheduled');
    await services.offboarding.deactivated(ben);
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(await w.db.store.getUserLink(T, ALSO_BEN.id)).not.toBeNull();
    expect(logged('offboarding: deactivated member unlinked from their login')).toEqual([
      expect.objectContaining({ teamId: T, userId: BEN.id, loginId: benLogin, component: 'offboarding' }),
    ]);
    const [msg] = dmsTo(MAYA.id);
    expect(msg?.text).toBe('Ben Host was deactivated in Slack and still has a MegaMeeting login');
    const shown = JSON.stringify(msg?.blocks);
    expect(shown).toContain(benLogin);
    expect(shown).toContain(`ending in \`${benToken.slice(-4)}\``);
    expect(shown).not.toContain(benToken);
    expect(shown).toContain('Scheduled meetings they host (3):');
    for (const id of ['1000001', '1000002', '1000003']) expect(shown).toContain(`\`${id}\``);
    for (const id of ['1000004', '1000005']) expect(shown).not.toContain(id);
    expect(shown).toContain('Revoke API token');
    expect(shown).toContain('Delete login');
    expect(dmsTo(OLGA.id)).toHaveLength(1);
    expect(dmsTo(ALSO_BEN.id)).toEqual([]);
    const id = requestIdSentTo(MAYA.id);
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({
      kind: 'offboarding',
      subjectUserId: BEN.id,
      subjectName: 'Ben Host',
      subjectEmail: BEN.email,
      loginId: benLogin,
      state: 'open',
    });
    const request = await w.db.store.getAdminRequest(id);
    expect((request?.expiresAt.getTime() ?? 0) - (request?.createdAt.getTime() ?? 0)).toBe(
      OFFBOARDING_TTL_MS,
    );

    // Slack sends the event again: nobody is asked twice.
    await services.offboarding.deactivated(ben);
    expect(dmsTo(MAYA.id)).toHaveLength(1);
    expect(logged('offboarding: admins already asked')).toEqual([expect.objectContaining({ requestId: id })]);
  });

  test('a question whose DMs were never recorded (the app stopped while sending) is asked on the next event', async () => {
    const { request } = await services.adminDesk.open({
      id: '00000000-0000-4000-8000-00000000b0b0',
      teamId: T,
      kind: 'offboarding',
      subjectUserId: BEN.id,
      subjectName: 'Ben Host',
      subjectEmail: BEN.email,
      loginId: benLogin,
      ttlMs: OFFBOARDING_TTL_MS,
    });
    await services.offboarding.deactivated(ben);
    expect(requestIdSentTo(MAYA.id)).toBe(request.id);
    expect(requestIdSentTo(OLGA.id)).toBe(request.id);
    expect(logged('offboarding: admins already asked')).toEqual([]);
  });

  test('not linked: found by email (without case); without an email or a login, nobody is asked', async () => {
    await w.db.store.deleteUserLink(T, BEN.id);
    await services.offboarding.deactivated({ ...ben, email: 'BEN@example.com' });
    expect(dmsTo(MAYA.id)).toHaveLength(1);
    expect(await w.db.store.getAdminRequest(requestIdSentTo(MAYA.id))).toMatchObject({ loginId: benLogin });

    const nobody = { teamId: T, userId: 'U0NOLOGIN1', name: 'No Login' };
    await services.offboarding.deactivated({ ...nobody, email: null });
    await services.offboarding.deactivated({ ...nobody, email: 'nobody@example.com' });
    expect(
      logged('offboarding: the deactivated member has no MegaMeeting login; nothing to ask'),
    ).toHaveLength(2);
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
  });

  test('a link to a login deleted in MegaMeeting: unlinked, nobody asked', async () => {
    emu.state.logins.delete(benLogin);
    await services.offboarding.deactivated({ ...ben, email: null });
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test('nobody to ask: logged', async () => {
    for (const u of [MAYA, OLGA]) await w.db.store.deleteUserLink(T, u.id);
    await services.offboarding.deactivated(ben);
    expect(logged('offboarding: nobody to ask about the login')).toEqual([
      expect.objectContaining({ loginId: benLogin, level: 40 }),
    ]);
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test("the app's own login: no Revoke or Delete offered", async () => {
    stub.addUser({ id: 'U0APPUSER1', real_name: 'App User', email: 'slack.app@example.com' });
    await services.offboarding.deactivated({
      teamId: T,
      userId: 'U0APPUSER1',
      name: 'App User',
      email: 'slack.app@example.com',
    });
    const shown = JSON.stringify(dmsTo(MAYA.id)[0]?.blocks);
    expect(shown).toContain(app.loginId);
    expect(shown).not.toContain('Revoke API token');
    expect(shown).not.toContain('Delete login');
  });
});

describe('the answer', () => {
  async function askedAboutBen(): Promise<string> {
    await services.offboarding.deactivated(ben);
    return requestIdSentTo(MAYA.id);
  }

  test('revoke: the token stops working, the login stays; every DM says who; a second answer is refused', async () => {
    const id = await askedAboutBen();
    await services.offboarding.revokeToken(maya, id);
    expect(emu.state.snapshot().tokens.some((k) => k.loginId === benLogin)).toBe(false);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLogin)).toBe(true);
    const sentence = `:white_check_mark: <@${MAYA.id}> revoked the API token of *Ben Host* (ben@example.com, login \`${benLogin}\`) (deactivated member <@${BEN.id}> (Ben Host)).`;
    expect(dmsTo(MAYA.id).map((m) => m.text)).toEqual([sentence]);
    expect(dmsTo(OLGA.id).map((m) => m.text)).toEqual([sentence]);
    const err = await refusal(services.offboarding.deleteLogin(olga, id));
    expect([err.code, err.message]).toEqual(['already_ended', `Already answered: ${sentence}`]);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLogin)).toBe(true);
  });

  test('delete: the login is gone with its Slack links', async () => {
    const id = await askedAboutBen();
    await services.offboarding.deleteLogin(olga, id);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLogin)).toBe(false);
    expect(await w.db.store.getUserLink(T, ALSO_BEN.id)).toBeNull();
    expect(dmsTo(MAYA.id).map((m) => m.text)).toEqual([
      `:white_check_mark: <@${OLGA.id}> deleted the MegaMeeting login *Ben Host* (ben@example.com, login \`${benLogin}\`) of deactivated member <@${BEN.id}> (Ben Host).`,
    ]);
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({
      outcome: 'deleted',
      decidedBy: OLGA.id,
      loginId: benLogin,
    });
  });

  test('answered too late: the login named by its name, its user name, or its ID once MegaMeeting no longer tells', async () => {
    const id = await askedAboutBen();
    await services.offboarding.deleteLogin(olga, id);
    now += 61_000; // past the logins cache
    let err = await refusal(services.offboarding.keep(maya, id));
    expect(err.message).toBe(
      `Already answered: :white_check_mark: <@${OLGA.id}> deleted the MegaMeeting login *${benLogin}* (login \`${benLogin}\`) of deactivated member <@${BEN.id}> (Ben Host).`,
    );

    const NONAME = { id: 'U0NONAME01', real_name: 'No Name', email: 'noname@example.com' };
    stub.addUser(NONAME);
    const nameless = emu.state.addLogin({
      email: NONAME.email,
      userName: 'nn.user',
      roles: ['host'],
    }).loginId;
    await services.identity.logins(0);
    await services.offboarding.deactivated({
      teamId: T,
      userId: NONAME.id,
      name: 'No Name',
      email: NONAME.email,
    });
    const id2 = requestIdSentTo(MAYA.id);
    await services.offboarding.keep(maya, id2);
    const kept = `:white_check_mark: <@${MAYA.id}> kept the MegaMeeting login`;
    err = await refusal(services.offboarding.keep(olga, id2));
    expect(err.message).toBe(
      `Already answered: ${kept} *nn.user* (noname@example.com, login \`${nameless}\`) of deactivated member <@${NONAME.id}> (No Name).`,
    );

    // MegaMeeting failing: a Slack admin (no MegaMeeting call to be one) is told with the login's ID.
    const SIA = { id: 'U0SLADMIN1', real_name: 'Sia Admin', email: 'sia@example.com', is_admin: true };
    stub.addUser(SIA);
    now += 61_000;
    emu.state.injectFaults('status503', 20);
    err = await refusal(services.offboarding.keep({ teamId: T, userId: SIA.id }, id2));
    emu.state.clearFaults();
    expect(err.message).toBe(
      `Already answered: ${kept} *${nameless}* (login \`${nameless}\`) of deactivated member <@${NONAME.id}> (No Name).`,
    );
  });

  test('keep: nothing changes in MegaMeeting', async () => {
    const id = await askedAboutBen();
    emu.state.clearRequests();
    await services.offboarding.keep(maya, id);
    expect(emu.state.requests().filter((r) => r.operationType === 'mutation')).toEqual([]);
    expect(dmsTo(OLGA.id).map((m) => m.text)).toEqual([
      `:white_check_mark: <@${MAYA.id}> kept the MegaMeeting login *Ben Host* (ben@example.com, login \`${benLogin}\`) of deactivated member <@${BEN.id}> (Ben Host).`,
    ]);
  });

  test('the login deleted in MegaMeeting meanwhile: the question is closed as gone, logged', async () => {
    const id = await askedAboutBen();
    emu.state.logins.delete(benLogin);
    await services.offboarding.deleteLogin(maya, id);
    expect(dmsTo(OLGA.id).map((m) => m.text)).toEqual([
      `:information_source: The MegaMeeting login *Ben Host* (login \`${benLogin}\`) of deactivated member <@${BEN.id}> (Ben Host) no longer exists (deleted in MegaMeeting meanwhile): nothing left to do. <@${MAYA.id}> closed the question.`,
    ]);
    expect(logged('offboarding: the login is already gone')).toEqual([
      expect.objectContaining({ requestId: id, loginId: benLogin }),
    ]);
  });

  test("the app's own login, crafted: refused with the reason; the question stays open", async () => {
    stub.addUser({ id: 'U0APPUSER1', real_name: 'App User', email: 'slack.app@example.com' });
    await services.offboarding.deactivated({
      teamId: T,
      userId: 'U0APPUSER1',
      name: 'App User',
      email: 'slack.app@example.com',
    });
    const id = requestIdSentTo(MAYA.id);
    let err = await refusal(services.offboarding.deleteLogin(maya, id));
    expect([err.code, err.message]).toEqual([
      'not_allowed',
      `I can't delete this login: ${APP_LOGIN_REASON}`,
    ]);
    err = await refusal(services.offboarding.revokeToken(maya, id));
    expect(err.message).toBe(`I can't revoke this login's API token: ${APP_LOGIN_REASON}`);
    expect(emu.state.snapshot().tokens.find((k) => k.loginId === app.loginId)?.token).toBe(app.apiToken);
    expect((await w.db.store.getAdminRequest(id))?.state).toBe('open');
  });

  test('30 days less a millisecond after it was asked, the question is still open: the answer is taken', async () => {
    const id = await askedAboutBen();
    now += 30 * 24 * 3_600_000 - 1;
    await services.offboarding.keep(maya, id);
    expect(await w.db.store.getAdminRequest(id)).toMatchObject({ outcome: 'kept', decidedBy: MAYA.id });
  });

  test('a non-admin is refused; an expired question says so in every DM', async () => {
    const id = await askedAboutBen();
    const err = await refusal(services.offboarding.deleteLogin({ teamId: T, userId: ALSO_BEN.id }, id));
    expect([err.code, err.message]).toEqual(['not_allowed', NOT_ADMIN_REFUSAL]);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLogin)).toBe(true);

    now += OFFBOARDING_TTL_MS;
    const late = await refusal(services.offboarding.deleteLogin(maya, id));
    expect([late.code, late.message]).toEqual([
      'already_ended',
      'This question expired unanswered. Manage the login with `/meet admin`.',
    ]);
    const expired = `:hourglass: The question about deactivated member <@${BEN.id}> (Ben Host)'s MegaMeeting login expired unanswered; manage the login with \`/meet admin\`.`;
    expect(dmsTo(MAYA.id).map((m) => m.text)).toEqual([expired]);
    expect(dmsTo(OLGA.id).map((m) => m.text)).toEqual([expired]);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLogin)).toBe(true);
  });
});
