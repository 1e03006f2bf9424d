/**
 * The people admin (`/meet admin`) without Bolt (./world.ts: the app's services against the MegaMeeting emulator
 * over HTTP, the Slack stand-in and SQLite). Who may act (MegaMeeting or Slack admins only, refused word for word
 * and logged), what each action changes in MegaMeeting and the store, the account owner's and the app's own login
 * protected, and what the modals say. The app's token here is an admin login's that is not the owner's, so the
 * owner and app-login guards are told apart. Fast enough for mutation testing (docs/mutation.md, `people-unit`);
 * test/people-admin/people-admin.http.test.ts covers the wiring.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import type { Services } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import { APP_LOGIN_REASON } from '../../src/services/app-login.js';
import type { LoginAction } from '../../src/services/people-admin.js';
import { PEOPLE_ADMIN_IDS as IDS } from '../../src/views/people-admin.js';
import { type LosingProxy, startLosingProxy } from '../support/losing-proxy.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub, type StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
/** A Slack workspace admin (admin without any MegaMeeting login). */
const ADA = { id: 'U0ADAADMIN', real_name: 'Ada Admin', email: 'ada@example.com', is_admin: true };
/** A MegaMeeting host, linked. */
const BEN = { id: 'U0BENHOST1', real_name: 'Ben Host', email: 'Ben@Example.com' };
/** Slack users without a login. */
const CARL = { id: 'U0CARLNEW1', real_name: 'Carl New', email: 'carl.new@example.com' };
const NOMAIL = { id: 'U0NOMAIL01', real_name: 'Nora Nomail' };
const ABOT = { id: 'U0SOMEBOT1', real_name: 'Some Bot', email: 'bot@example.com', is_bot: true };
const GONE = { id: 'U0DELETED1', real_name: 'Dee Deleted', email: 'dee@example.com', deleted: true };

const REFUSAL =
  'Only MegaMeeting admins can manage people and API tokens (`/meet admin`). Ask your MegaMeeting admin if you need a change.';

let stub: SlackStub;
let emu: Emulator;
let w: ServiceWorld;
let services: Services;
let app: { loginId: string; apiToken: string };
let benLoginId: string;
let proxy: LosingProxy | null = null;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});

async function start(opts: { viaProxy?: boolean } = {}) {
  stub.reset();
  for (const u of [ADA, BEN, CARL, NOMAIL, ABOT, GONE]) stub.addUser(u);
  emu = await startEmulator({ remuxDelayMs: 0 });
  app = emu.state.addLogin({
    email: 'slack.app@example.com',
    fullName: 'Slack App',
    roles: ['admin', 'host'],
  });
  benLoginId = emu.state.addLogin({
    email: 'ben@example.com',
    fullName: 'Ben Host',
    roles: ['host'],
  }).loginId;
  proxy = opts.viaProxy ? await startLosingProxy(emu) : null;
  w = await startServiceWorld(stub, {
    emulator: emu,
    apiToken: app.apiToken,
    ...(proxy ? { megameetingUrl: proxy.url } : {}),
  });
  services = w.services;
  await services.identity.setLink(T, ADA.id, BEN.id, benLoginId);
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

/** Every text in a view's blocks, one per line. */
function textOf(view: StubView | undefined): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(view?.blocks ?? []);
  return out.join('\n');
}

function mutations(): string[] {
  return emu.state
    .requests()
    .filter((r) => r.operationType === 'mutation')
    .flatMap((r) => r.fields);
}

/** The list as Ada, then a login's modal pushed over it: what an action inside it carries. */
async function openLogin(loginId: string, userId = ADA.id): Promise<LoginAction> {
  await services.peopleAdmin.open({ teamId: T, userId, triggerId: stub.issueTriggerId() });
  const list = stub.lastView(IDS.listView);
  if (!list) throw new Error('no list');
  await services.peopleAdmin.openLogin({
    teamId: T,
    userId,
    triggerId: stub.issueTriggerId(),
    loginId,
    list: { p: 0, q: '' },
    listViewId: list.id,
  });
  const login = stub.lastView(IDS.loginView);
  if (!login) throw new Error('no login modal');
  return { teamId: T, userId, viewId: login.id, meta: { p: 0, q: '', l: loginId, v: list.id } };
}

const loginText = (a: LoginAction) => textOf(stub.view(a.viewId));
const rolesOf = (loginId: string) => emu.state.snapshot().logins.find((l) => l.loginId === loginId)?.roles;

describe('who may use it', () => {
  test('a host is refused every action, word for word and logged, and nothing changes', async () => {
    const ada = await openLogin(benLoginId);
    const ben: LoginAction = { ...ada, userId: BEN.id };
    const asBen = { teamId: T, userId: BEN.id };
    emu.state.clearRequests();
    const views = stub.calls().filter((c) => c.method.startsWith('views.')).length;
    const attempts: Array<Promise<unknown>> = [
      services.peopleAdmin.open({ ...asBen, triggerId: stub.issueTriggerId() }),
      services.peopleAdmin.showPage({ ...asBen, viewId: ada.meta.v ?? '', page: 1, query: '' }),
      services.peopleAdmin.openLogin({
        ...asBen,
        triggerId: stub.issueTriggerId(),
        loginId: benLoginId,
        list: { p: 0, q: '' },
        listViewId: null,
      }),
      services.peopleAdmin.link({ ...ben, slackUserId: CARL.id }),
      services.peopleAdmin.unlink({ ...ben, slackUserId: BEN.id }),
      services.peopleAdmin.changeRole({ ...ben, role: 'admin' }),
      services.peopleAdmin.deleteLogin(ben),
      services.peopleAdmin.revokeToken(ben),
      services.peopleAdmin.createToken({ ...ben, triggerId: stub.issueTriggerId() }),
      services.peopleAdmin.openCreate({ ...asBen, triggerId: stub.issueTriggerId() }),
    ];
    for (const attempt of attempts) {
      const err = await refusal(attempt);
      expect([err.code, err.message]).toEqual(['not_allowed', REFUSAL]);
    }
    expect(stub.calls().filter((c) => c.method.startsWith('views.'))).toHaveLength(views);
    expect(mutations()).toEqual([]);
    expect(rolesOf(benLoginId)).toEqual(['host']);
    expect((await w.db.store.getUserLink(T, BEN.id))?.loginId).toBe(benLoginId);
    expect(await w.db.store.getUserLink(T, CARL.id)).toBeNull();
    const refused = w.logs().filter((l) => l.msg === 'people admin refused: not an admin');
    expect(refused).toHaveLength(attempts.length);
    expect(refused[0]).toMatchObject({ level: 40, teamId: T, userId: BEN.id, component: 'people-admin' });
  });

  test('a host submitting the create form gets the refusal in the modal; no login is made', async () => {
    const { viewId } = await services.slack.openView(stub.issueTriggerId(), {
      type: 'modal',
      title: { type: 'plain_text', text: 'Create a login' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Creating…' } }],
    });
    await services.peopleAdmin.createForSlackUser({
      teamId: T,
      userId: BEN.id,
      viewId,
      slackUserId: CARL.id,
    });
    const view = stub.view(viewId);
    expect(view?.callback_id).toBe(IDS.noticeView);
    expect(textOf(view)).toBe(REFUSAL);
    expect(JSON.stringify(view?.title)).toContain('Create a login');
    expect(mutations()).toEqual([]);
  });

  test('a MegaMeeting admin linked to their login may act; an inactive one may not', async () => {
    const maya = emu.state.addLogin({ email: 'maya@example.com', roles: ['admin', 'host'] }).loginId;
    stub.addUser({ id: 'U0MAYA0001', real_name: 'Maya', email: 'maya@example.com' });
    await services.identity.setLink(T, ADA.id, 'U0MAYA0001', maya);
    await expect(
      services.peopleAdmin.requireAdmin({ teamId: T, userId: 'U0MAYA0001' }),
    ).resolves.toBeUndefined();
    const record = emu.state.logins.get(maya);
    if (record) record.active = 0;
    await services.identity.logins(0);
    const err = await refusal(services.peopleAdmin.requireAdmin({ teamId: T, userId: 'U0MAYA0001' }));
    expect(err.message).toBe(REFUSAL);
  });
});

describe('the list', () => {
  test('open: Loading first, then the first page with who is linked; a search pages through matches', async () => {
    await services.peopleAdmin.open({ teamId: T, userId: ADA.id, triggerId: stub.issueTriggerId() });
    const opened = stub.calls('views.open').at(-1);
    expect(JSON.stringify(opened?.args.view)).toContain('Loading from MegaMeeting');
    const list = stub.lastView(IDS.listView);
    const text = textOf(list);
    expect(text).toContain('Ben Host');
    expect(text).toContain(`<@${BEN.id}>`);
    expect(text).toContain('Slack App');
    await services.peopleAdmin.showPage({
      teamId: T,
      userId: ADA.id,
      viewId: list?.id ?? '',
      page: 0,
      query: 'ben@',
    });
    const found = textOf(stub.view(list?.id ?? ''));
    expect(found).toContain('Ben Host');
    expect(found).not.toContain('Slack App');
    expect(JSON.parse(stub.view(list?.id ?? '')?.private_metadata ?? '{}')).toEqual({ p: 0, q: 'ben@' });
  });

  test('MegaMeeting failing to list: the modal says so, and it is logged', async () => {
    await services.peopleAdmin.open({ teamId: T, userId: ADA.id, triggerId: stub.issueTriggerId() });
    const list = stub.lastView(IDS.listView);
    emu.state.injectFaults('status503', 10);
    await services.peopleAdmin.showPage({
      teamId: T,
      userId: ADA.id,
      viewId: list?.id ?? '',
      page: 0,
      query: '',
    });
    emu.state.clearFaults();
    const view = stub.view(list?.id ?? '');
    expect(view?.callback_id).toBe(IDS.noticeView);
    expect(textOf(view)).toMatch(/^:warning: .*load the MegaMeeting logins/);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'people admin: could not load the logins', teamId: T, level: 40 }),
    );
  });
});

describe('one login', () => {
  test('its modal: the token by its last four characters, and a login that no longer exists is said so', async () => {
    const a = await openLogin(benLoginId);
    const token = emu.state.snapshot().tokens.find((k) => k.loginId === benLoginId)?.token ?? '';
    const text = loginText(a);
    expect(text).toContain(`*API token:* ending in \`${token.slice(-4)}\``);
    expect(text).not.toContain(token);
    emu.state.logins.delete(benLoginId);
    await services.peopleAdmin.link({ ...a, slackUserId: CARL.id });
    const view = stub.view(a.viewId);
    expect(view?.callback_id).toBe(IDS.noticeView);
    expect(textOf(view)).toBe(
      `:warning: There is no MegaMeeting login with ID ${benLoginId} any more.\n\nThere is no MegaMeeting login with ID \`${benLoginId}\` (any more).`,
    );
    expect(await w.db.store.getUserLink(T, CARL.id)).toBeNull();
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'people admin: failed',
        doing: 'link that person',
        teamId: T,
        userId: ADA.id,
        loginId: benLoginId,
      }),
    );
  });

  test('link, then unlink: stored by the admin, the list under it refreshed, each logged', async () => {
    const a = await openLogin(benLoginId);
    const listBefore = stub.calls('views.update').filter((c) => c.args.view_id === a.meta.v).length;
    await services.peopleAdmin.link({ ...a, slackUserId: CARL.id });
    expect(await w.db.store.getUserLink(T, CARL.id)).toMatchObject({
      loginId: benLoginId,
      source: 'admin',
      linkedBy: ADA.id,
    });
    expect(loginText(a)).toContain(`:white_check_mark: <@${CARL.id}> is now linked to this login.`);
    expect(stub.calls('views.update').filter((c) => c.args.view_id === a.meta.v)).toHaveLength(
      listBefore + 1,
    );
    expect(textOf(stub.view(a.meta.v ?? ''))).toContain(`<@${CARL.id}>`);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'people admin: done', doing: 'link that person', loginId: benLoginId }),
    );

    // Carl's Slack email is not the login's (an admin's link stores the login's email): nothing more to say.
    await services.peopleAdmin.unlink({ ...a, slackUserId: CARL.id });
    expect(await w.db.store.getUserLink(T, CARL.id)).toBeNull();
    expect(loginText(a)).toContain(`:white_check_mark: <@${CARL.id}> is no longer linked to this login.`);
    expect(loginText(a)).not.toContain('next `/meet`');
  });

  test('unlink someone whose Slack email is the login’s: told that their next /meet links them again', async () => {
    const a = await openLogin(benLoginId);
    await services.peopleAdmin.unlink({ ...a, slackUserId: BEN.id });
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(loginText(a)).toContain(
      `<@${BEN.id}> is no longer linked to this login. Their Slack email matches it, so their next \`/meet\` links them again: change the email or the login to stop that.`,
    );
  });

  test('unlink from an inactive login: no warning, /meet would not link them to it', async () => {
    const a = await openLogin(benLoginId);
    const record = emu.state.logins.get(benLoginId);
    if (record) record.active = 0;
    await services.peopleAdmin.unlink({ ...a, slackUserId: BEN.id });
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(loginText(a)).toContain(`:white_check_mark: <@${BEN.id}> is no longer linked to this login.\n`);
    expect(loginText(a)).not.toContain('next `/meet`');
  });

  test('unlink when Slack cannot say their email: unlinked all the same, and no word of /meet linking them again', async () => {
    const a = await openLogin(benLoginId);
    stub.failNext('users.info', 'user_not_found');
    await services.peopleAdmin.unlink({ ...a, slackUserId: BEN.id });
    expect(stub.calls('users.info').map((c) => c.args.user)).toContain(BEN.id);
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(loginText(a)).toContain(`:white_check_mark: <@${BEN.id}> is no longer linked to this login.\n`);
    expect(loginText(a)).not.toContain('next `/meet`');
  });

  test('unlink someone not linked, or linked to another login: refused, nothing deleted', async () => {
    const a = await openLogin(benLoginId);
    await services.peopleAdmin.unlink({ ...a, slackUserId: CARL.id });
    expect(loginText(a)).toContain(`:warning: <@${CARL.id}> isn't linked to this login.`);
    const b = await openLogin(app.loginId);
    await services.peopleAdmin.unlink({ ...b, slackUserId: BEN.id });
    expect(loginText(b)).toContain(`:warning: <@${BEN.id}> isn't linked to this login.`);
    expect((await w.db.store.getUserLink(T, BEN.id))?.loginId).toBe(benLoginId);
  });

  test('change a role: host to admin and back in MegaMeeting; the same role again changes nothing', async () => {
    const a = await openLogin(benLoginId);
    await services.peopleAdmin.changeRole({ ...a, role: 'host' });
    expect(loginText(a)).toContain(':white_check_mark: Already a host.');
    expect(mutations()).toEqual([]);
    await services.peopleAdmin.changeRole({ ...a, role: 'admin' });
    expect(rolesOf(benLoginId)).toEqual(['admin', 'host']);
    expect(loginText(a)).toContain(':white_check_mark: Ben Host is now an admin.');
    await services.peopleAdmin.changeRole({ ...a, role: 'admin' });
    expect(loginText(a)).toContain(':white_check_mark: Already an admin.');
    await services.peopleAdmin.changeRole({ ...a, role: 'host' });
    expect(rolesOf(benLoginId)).toEqual(['host']);
    expect(loginText(a)).toContain(':white_check_mark: Ben Host is now a host.');
    expect(mutations()).toEqual(['updateLogin', 'updateLogin']);
  });

  test('the owner: role and login are never changed', async () => {
    const owner = emu.state.adminLoginId;
    const a = await openLogin(owner);
    await services.peopleAdmin.changeRole({ ...a, role: 'host' });
    expect(loginText(a)).toContain(":warning: The account owner's role can't be changed.");
    await services.peopleAdmin.deleteLogin(a);
    expect(loginText(a)).toContain(":warning: The account owner's login can't be deleted.");
    expect(mutations()).toEqual([]);
    expect(rolesOf(owner)).toContain('owner');
  });

  test("the app's own login: not demoted, deleted, revoked nor replaced; the reason is shown", async () => {
    const a = await openLogin(app.loginId);
    await services.peopleAdmin.changeRole({ ...a, role: 'host' });
    expect(loginText(a)).toContain(`:warning: I can't demote this login: ${APP_LOGIN_REASON}`);
    await services.peopleAdmin.deleteLogin(a);
    expect(loginText(a)).toContain(`:warning: I can't delete this login: ${APP_LOGIN_REASON}`);
    await services.peopleAdmin.revokeToken(a);
    expect(loginText(a)).toContain(`:warning: I can't revoke this login's API token: ${APP_LOGIN_REASON}`);
    await services.peopleAdmin.createToken({ ...a, triggerId: stub.issueTriggerId() });
    expect(loginText(a)).toContain(`:warning: I can't replace this login's API token: ${APP_LOGIN_REASON}`);
    const once = stub.lastView(IDS.noticeView);
    expect(textOf(once)).toBe(':warning: No token to show: see why on the login (Back).');
    expect(JSON.stringify(once?.title)).toContain('New API token');
    expect(mutations()).toEqual([]);
    expect(rolesOf(app.loginId)).toEqual(['admin', 'host']);
    expect(emu.state.snapshot().tokens.find((k) => k.loginId === app.loginId)?.token).toBe(app.apiToken);
  });

  test('delete a login: gone from MegaMeeting with its Slack links', async () => {
    const a = await openLogin(benLoginId);
    await services.peopleAdmin.deleteLogin(a);
    expect(emu.state.snapshot().logins.some((l) => l.loginId === benLoginId)).toBe(false);
    expect(await w.db.store.getUserLink(T, BEN.id)).toBeNull();
    expect(textOf(stub.view(a.viewId))).toContain(
      ':white_check_mark: Deleted the MegaMeeting login of Ben Host (ben@example.com).',
    );
  });

  test('revoke a token: MegaMeeting no longer has it', async () => {
    const a = await openLogin(benLoginId);
    await services.peopleAdmin.revokeToken(a);
    expect(emu.state.snapshot().tokens.some((k) => k.loginId === benLoginId)).toBe(false);
    expect(loginText(a)).toContain(':white_check_mark: Revoked the API token of Ben Host.');
    expect(loginText(a)).toContain('*API token:* none');
  });

  test('create a token: shown once in its own modal, kept out of the logs', async () => {
    const a = await openLogin(benLoginId);
    const before = emu.state.snapshot().tokens.find((k) => k.loginId === benLoginId)?.token;
    await services.peopleAdmin.createToken({ ...a, triggerId: stub.issueTriggerId() });
    const token = emu.state.snapshot().tokens.find((k) => k.loginId === benLoginId)?.token ?? '';
    expect(token).not.toBe(before);
    const once = stub.lastView(IDS.tokenView);
    expect(textOf(once)).toContain(token);
    expect(loginText(a)).toContain(
      ':white_check_mark: Created a new API token for Ben Host: it is shown once, in the window above.',
    );
    services.logger.info({ echo: token }, 'a line with the token');
    const logged = JSON.stringify(w.logs());
    expect(logged).toContain('a line with the token');
    expect(logged).not.toContain(token);
  });
});

describe('create a login for a Slack user', () => {
  async function creating(slackUserId: string): Promise<string> {
    const { viewId } = await services.slack.openView(stub.issueTriggerId(), {
      type: 'modal',
      title: { type: 'plain_text', text: 'Create a login' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Creating…' } }],
    });
    await services.peopleAdmin.createForSlackUser({ teamId: T, userId: ADA.id, viewId, slackUserId });
    return textOf(stub.view(viewId));
  }

  test('the login (host, their Slack name), the activation email, and the link', async () => {
    const text = await creating(CARL.id);
    const login = emu.state.snapshot().logins.find((l) => l.email === CARL.email);
    expect(login).toMatchObject({ fullName: 'Carl New', roles: ['host'] });
    const loginId = login?.loginId ?? '';
    expect(text).toBe(
      [
        `Created the MegaMeeting login \`${loginId}\` for <@${CARL.id}> (carl.new@example.com, host).`,
        'MegaMeeting emailed them an activation link to set their password.',
        `<@${CARL.id}> can use \`/meet\` now.`,
      ].join('\n'),
    );
    expect(emu.state.snapshot().invitations.map((i) => i.email)).toEqual([CARL.email]);
    expect(await w.db.store.getUserLink(T, CARL.id)).toMatchObject({ loginId, source: 'admin' });
    expect(w.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'people admin: created a login for a Slack user',
        loginId,
        teamId: T,
        userId: ADA.id,
        target: CARL.id,
      }),
    );
  });

  test.each([
    [ABOT.id, `<@${ABOT.id}> is a bot: bots don't get MegaMeeting logins.`],
    [GONE.id, `<@${GONE.id}> is deactivated in Slack.`],
    [
      NOMAIL.id,
      `I can't see an email address on <@${NOMAIL.id}>'s Slack profile, and a MegaMeeting login needs one.`,
    ],
  ])('%s is refused, and nothing is made', async (id, message) => {
    expect(await creating(id)).toBe(`:warning: ${message}`);
    expect(mutations()).toEqual([]);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'people admin: could not create the login', target: id, loginId: null }),
    );
  });

  test('someone who has a login already (email without case): pointed to it, nothing made', async () => {
    const dora = emu.state.addLogin({ email: 'Dora@Example.com', fullName: 'Dora' }).loginId;
    stub.addUser({ id: 'U0DORA0001', real_name: 'Dora Again', email: 'dora@example.com' });
    expect(await creating('U0DORA0001')).toBe(
      `:warning: There is already a MegaMeeting login for dora@example.com (\`${dora}\`): open it in the list to link <@U0DORA0001> to it.`,
    );
    expect(mutations()).toEqual([]);
  });

  test('the activation email failing: the login exists, and the modal says what was and was not done', async () => {
    await w.close();
    await emu.close();
    await start({ viaProxy: true });
    proxy?.lose('userInvitation', 'drop');
    const text = await creating(CARL.id);
    const loginId = emu.state.snapshot().logins.find((l) => l.email === CARL.email)?.loginId ?? '';
    expect(loginId).not.toBe('');
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `Created the MegaMeeting login \`${loginId}\` for <@${CARL.id}> (carl.new@example.com, host).`,
    );
    expect(lines[1]).toMatch(
      /^:warning: But MegaMeeting didn't send the activation email \(.+\): they can't sign in to MegaMeeting until it is sent\. Send it from MegaMeeting, or delete the login and try again\.$/,
    );
    expect(lines[2]).toBe(`<@${CARL.id}> can use \`/meet\` now.`);
    expect(emu.state.snapshot().invitations).toEqual([]);
    expect(w.logs()).toContainEqual(
      expect.objectContaining({ msg: 'people admin: the activation email was not sent', loginId, level: 40 }),
    );
  });
});
