/**
 * IdentityService without Bolt (./world.ts: the emulator over HTTP, the Slack stand-in, SQLite): which MegaMeeting
 * login a Slack user acts as (a stored link re-checked against MegaMeeting, else their Slack email), who is an
 * admin (Slack admins and owners, active MegaMeeting admin and owner logins), who may link others, and what is
 * cached for how long. Each refusal word for word; what is stored and logged. `people-unit` mutation scope.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { AppError } from '../../src/errors.js';
import type { IdentityService } from '../../src/services/identity.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const SLACK_ADMIN = { id: 'U0SLADMIN1', real_name: 'Sia Admin', email: 'sia@example.com', is_admin: true };
const SLACK_OWNER = { id: 'U0SLOWNER1', real_name: 'Otto Owner', email: 'otto@example.com', is_owner: true };
const MAYA = { id: 'U0MAYA0001', real_name: 'Maya', email: 'Maya@Example.com' };
const BEN = { id: 'U0BEN00001', real_name: 'Ben', email: 'ben@example.com' };
const NOMAIL = { id: 'U0NOMAIL01', real_name: 'Nora' };
const NEWBIE = { id: 'U0NEWBIE01', real_name: 'Nico', email: 'nico@example.com' };

const LINK_HELP = 'Ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.';
const NOT_ALLOWED =
  'Only Slack workspace admins and MegaMeeting admins can link other people. `/meet account` shows your own link.';

let stub: SlackStub;
let emu: Emulator;
let w: ServiceWorld;
let identity: IdentityService;
let now: number;
let maya: string;
let ben: string;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  for (const u of [SLACK_ADMIN, SLACK_OWNER, MAYA, BEN, NOMAIL, NEWBIE]) stub.addUser(u);
  emu = await startEmulator({ remuxDelayMs: 0 });
  maya = emu.state.addLogin({
    email: 'maya@example.com',
    fullName: 'Maya',
    roles: ['admin', 'host'],
  }).loginId;
  ben = emu.state.addLogin({ email: 'BEN@example.com', fullName: 'Ben', roles: ['host'] }).loginId;
  now = Date.parse('2026-12-07T10:00:00Z');
  w = await startServiceWorld(stub, { emulator: emu, clock: { now: () => new Date(now) } });
  identity = w.services.identity;
});
afterEach(async () => {
  await w.close();
  await emu.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);
const loginsReads = () => emu.state.requests().filter((r) => r.fields.includes('logins')).length;
function setActive(loginId: string, active: boolean) {
  const record = emu.state.logins.get(loginId);
  if (!record) throw new Error(`no login ${loginId}`);
  record.active = active ? 1 : 0;
}
function setRoles(loginId: string, roles: Array<'owner' | 'admin' | 'host'>) {
  const record = emu.state.logins.get(loginId);
  if (!record) throw new Error(`no login ${loginId}`);
  record.roles = roles;
}

describe('the logins cache', () => {
  test('read once a minute; a younger answer is asked for explicitly; a missing login is read afresh', async () => {
    emu.state.clearRequests();
    await identity.logins();
    now += 59_999;
    await identity.logins();
    expect(loginsReads()).toBe(1);
    now += 1;
    await identity.logins();
    expect(loginsReads()).toBe(2);
    now += 10_000;
    await identity.logins(10_001);
    expect(loginsReads()).toBe(2);
    await identity.logins(10_000);
    expect(loginsReads()).toBe(3);

    const late = emu.state.addLogin({ email: 'late@example.com' }).loginId;
    expect((await identity.findLogin(late))?.loginId).toBe(late);
    expect(loginsReads()).toBe(4);
    expect(await identity.findLogin('nosuchlogin')).toBeNull();
    expect((await identity.findLogin(late))?.email).toBe('late@example.com');
    expect(loginsReads()).toBe(5);
  });
});

describe('resolveHost', () => {
  test('first use: matched by Slack email without case, stored as an email match, logged', async () => {
    const found = await identity.resolveHost(T, BEN.id);
    expect(found.loginId).toBe(ben);
    expect(found.slackUser.id).toBe(BEN.id);
    const stored = await w.db.store.getUserLink(T, BEN.id);
    expect(stored).toEqual({
      teamId: T,
      slackUserId: BEN.id,
      loginId: ben,
      email: 'ben@example.com',
      source: 'email_match',
      linkedBy: null,
      linkedAt: new Date(now),
    });
    expect(found.link).toEqual(stored);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'linked Slack user to MegaMeeting login by email',
        teamId: T,
        slackUserId: BEN.id,
        loginId: ben,
      }),
    );
  });

  test('no login with that email, or only an inactive one: refused with what to do', async () => {
    let err = await refusal(identity.resolveHost(T, NEWBIE.id));
    expect([err.code, err.message]).toEqual([
      'unmapped_user',
      "Your MegaMeeting login for nico@example.com does not exist, so I can't create meetings for you yet. " +
        'Ask your MegaMeeting admin to add (or activate) a login with that email, ' +
        'or ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
    ]);
    setActive(ben, false);
    now += 60_000;
    err = await refusal(identity.resolveHost(T, BEN.id));
    expect(err.message).toMatch(/^Your MegaMeeting login for ben@example\.com is inactive, so I can't/);
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
  });

  test('no email on the Slack profile: refused with what to do', async () => {
    const err = await refusal(identity.resolveHost(T, NOMAIL.id));
    expect([err.code, err.message]).toEqual([
      'unmapped_user',
      `I can't see an email address on your Slack profile, so I can't find your MegaMeeting login. ${LINK_HELP}`,
    ]);
  });

  test('a stored link acts while its login is active; an admin-made one to a login gone inactive refuses', async () => {
    await identity.setLink(T, SLACK_ADMIN.id, NOMAIL.id, ben);
    expect((await identity.resolveHost(T, NOMAIL.id)).loginId).toBe(ben);
    setActive(ben, false);
    now += 30_000;
    const err = await refusal(identity.resolveHost(T, NOMAIL.id));
    expect([err.code, err.message]).toEqual([
      'unmapped_user',
      `Your MegaMeeting login (${ben}) is inactive, so I can't act for you in MegaMeeting. ` +
        'Ask your MegaMeeting admin to activate it, or a Slack admin to link you to an active login with ' +
        '`/meet account @you <MegaMeeting loginId>`.',
    ]);
    emu.state.logins.delete(ben);
    now += 30_000;
    const gone = await refusal(identity.resolveHost(T, NOMAIL.id));
    expect(gone.message).toMatch(
      new RegExp(`^Your MegaMeeting login \\(${ben}\\) no longer exists, so I can't act`),
    );
  });

  test('a stored link is re-checked against answers at most 30 s old', async () => {
    await identity.resolveHost(T, BEN.id);
    setActive(ben, false);
    now += 29_999;
    expect((await identity.resolveHost(T, BEN.id)).loginId).toBe(ben);
    now += 1;
    await expect(identity.resolveHost(T, BEN.id)).rejects.toThrow('is inactive');
  });

  test('an email-matched link whose login was replaced follows the email to the new login, logged', async () => {
    await identity.resolveHost(T, BEN.id);
    emu.state.logins.delete(ben);
    const again = emu.state.addLogin({ email: 'ben@example.com' }).loginId;
    now += 30_000;
    expect((await identity.resolveHost(T, BEN.id)).loginId).toBe(again);
    expect((await w.db.store.getUserLink(T, BEN.id))?.loginId).toBe(again);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'stored link names a login that cannot act; matching by email again',
        teamId: T,
        slackUserId: BEN.id,
        loginId: ben,
        found: false,
      }),
    );
  });

  test('an email-matched link that cannot act, and no Slack email to match: its login is named', async () => {
    await w.db.store.upsertUserLink({
      teamId: T,
      slackUserId: NOMAIL.id,
      loginId: ben,
      email: 'ben@example.com',
      source: 'email_match',
      linkedBy: null,
      linkedAt: new Date(now),
    });
    setActive(ben, false);
    now += 30_000;
    const err = await refusal(identity.resolveHost(T, NOMAIL.id));
    expect(err.message).toMatch(new RegExp(`^Your MegaMeeting login \\(${ben}\\) no longer exists`));
  });
});

describe('isAdmin', () => {
  test('Slack admins and owners are, without asking MegaMeeting', async () => {
    emu.state.clearRequests();
    expect(await identity.isAdmin(T, SLACK_ADMIN.id)).toBe(true);
    expect(await identity.isAdmin(T, SLACK_OWNER.id)).toBe(true);
    expect(emu.state.requests()).toEqual([]);
  });

  test('someone not linked is not; linked, by the role and state of their login', async () => {
    expect(await identity.isAdmin(T, MAYA.id)).toBe(false);
    await identity.resolveHost(T, MAYA.id);
    await identity.resolveHost(T, BEN.id);
    expect(await identity.isAdmin(T, MAYA.id)).toBe(true);
    expect(await identity.isAdmin(T, BEN.id)).toBe(false);
    setRoles(ben, ['owner', 'admin', 'host']);
    setRoles(maya, ['host']);
    now += 30_000;
    expect(await identity.isAdmin(T, BEN.id)).toBe(true);
    expect(await identity.isAdmin(T, MAYA.id)).toBe(false);
    setRoles(maya, ['owner']);
    now += 30_000;
    expect(await identity.isAdmin(T, MAYA.id)).toBe(true);
  });

  test('an inactive admin login is not, and that is logged', async () => {
    await identity.resolveHost(T, MAYA.id);
    await identity.resolveHost(T, BEN.id);
    setActive(maya, false);
    setActive(ben, false);
    now += 30_000;
    expect(await identity.isAdmin(T, MAYA.id)).toBe(false);
    expect(await identity.isAdmin(T, BEN.id)).toBe(false);
    const refused = w
      .logs()
      .filter((l) => l.msg === 'admin rights refused: the MegaMeeting login is inactive');
    expect(refused).toEqual([expect.objectContaining({ teamId: T, slackUserId: MAYA.id, loginId: maya })]);
  });

  test('an inactive owner login is not either, and that is logged; an active admin login logs no refusal', async () => {
    setRoles(ben, ['owner']);
    await identity.resolveHost(T, MAYA.id);
    await identity.resolveHost(T, BEN.id);
    setActive(ben, false);
    now += 30_000;
    expect(await identity.isAdmin(T, MAYA.id)).toBe(true);
    expect(await identity.isAdmin(T, BEN.id)).toBe(false);
    const refused = w
      .logs()
      .filter((l) => l.msg === 'admin rights refused: the MegaMeeting login is inactive');
    expect(refused).toEqual([expect.objectContaining({ teamId: T, slackUserId: BEN.id, loginId: ben })]);
  });

  test('MegaMeeting down: not an admin, logged; too slow before a modal: said so', async () => {
    await identity.resolveHost(T, MAYA.id);
    now += 30_000;
    emu.state.injectFaults('status503', 20);
    expect(await identity.isAdmin(T, MAYA.id)).toBe(false);
    emu.state.clearFaults();
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'could not read MegaMeeting logins to check admin role', level: 40 }),
    );
    emu.state.setLatency(300);
    const err = await refusal(identity.isAdmin(T, MAYA.id, { maxWaitMs: 50 }));
    expect([err.code, err.message]).toEqual([
      'megameeting_unavailable',
      'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
    ]);
    expect(await identity.isAdmin(T, MAYA.id)).toBe(true);
  });

  test('a Slack admin demoted in Slack stops being one within 30 s', async () => {
    expect(await identity.isAdmin(T, SLACK_ADMIN.id)).toBe(true);
    stub.addUser({ ...SLACK_ADMIN, is_admin: false });
    now += 29_999;
    expect(await identity.isAdmin(T, SLACK_ADMIN.id)).toBe(true);
    now += 1;
    expect(await identity.isAdmin(T, SLACK_ADMIN.id)).toBe(false);
  });
});

describe('setLink', () => {
  test('only admins may link others; nothing is stored', async () => {
    await identity.resolveHost(T, BEN.id);
    const err = await refusal(identity.setLink(T, BEN.id, NOMAIL.id, ben));
    expect([err.code, err.message]).toEqual(['not_allowed', NOT_ALLOWED]);
    expect(await w.db.store.getUserLink(T, NOMAIL.id)).toBeNull();
  });

  test('an unknown or inactive login is refused, word for word', async () => {
    let err = await refusal(identity.setLink(T, SLACK_ADMIN.id, NOMAIL.id, 'nosuchlogin'));
    expect([err.code, err.message]).toEqual([
      'not_found',
      'There is no MegaMeeting login with ID nosuchlogin.',
    ]);
    setActive(ben, false);
    now += 30_000;
    err = await refusal(identity.setLink(T, SLACK_ADMIN.id, NOMAIL.id, ben));
    expect([err.code, err.message]).toEqual([
      'invalid_input',
      `The MegaMeeting login ${ben} is inactive: activate it in MegaMeeting first, or pick an active one.`,
    ]);
    expect(await w.db.store.getUserLink(T, NOMAIL.id)).toBeNull();
  });

  test('stored as the admin’s link with the login’s email lower-cased, logged; found back by login', async () => {
    const login = await identity.setLink(T, SLACK_ADMIN.id, NOMAIL.id, ben);
    expect(login.loginId).toBe(ben);
    expect(await w.db.store.getUserLink(T, NOMAIL.id)).toEqual({
      teamId: T,
      slackUserId: NOMAIL.id,
      loginId: ben,
      email: 'ben@example.com',
      source: 'admin',
      linkedBy: SLACK_ADMIN.id,
      linkedAt: new Date(now),
    });
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'admin linked Slack user to login',
        teamId: T,
        targetUserId: NOMAIL.id,
        loginId: ben,
        by: SLACK_ADMIN.id,
      }),
    );
    expect((await identity.slackUserForLogin(T, ben))?.slackUserId).toBe(NOMAIL.id);
    expect(await identity.slackUserForLogin(T, maya)).toBeNull();
  });
});
