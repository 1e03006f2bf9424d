/**
 * `/meet admin` end to end (issue 14, "People admin" and "API tokens per login"): the real app over signed Slack
 * HTTP, against the MegaMeeting emulator and the Slack stand-in. The app uses the token of an admin login that is not
 * the account owner, so the emulator itself would let it be demoted: the app's own refusal is what is tested.
 */
import { jest } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { PEOPLE_ADMIN_IDS as IDS, PEOPLE_PAGE_SIZE } from '../../src/views/people-admin.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { findElement } from '../support/slack-requests.js';
import type { StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const MAYA = { id: 'U0MAYAADM1', real_name: 'Maya Admin', email: 'maya.admin@example.com' };
const BEN = { id: 'U0BENHOST1', real_name: 'Ben Host', email: 'ben@example.com' };
const CARL = { id: 'U0CARLNEW1', real_name: 'Carl New', email: 'carl.new@example.com' };
const DINA = { id: 'U0DINANEW1', real_name: 'Dina Partial', email: 'dina.partial@example.com' };
const PERSONS = 22;

let emu: Emulator;
let t: TestApp;
let appLogin: { loginId: string; apiToken: string };
let benLoginId: string;
const person: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  appLogin = emu.state.addLogin({
    email: 'slack.app@example.com',
    fullName: 'Slack App',
    roles: ['admin', 'host'],
  });
  emu.state.addLogin({ email: MAYA.email, fullName: MAYA.real_name, roles: ['admin', 'host'] });
  benLoginId = emu.state.addLogin({ email: BEN.email, fullName: BEN.real_name, roles: ['host'] }).loginId;
  for (let i = 1; i <= PERSONS; i++) {
    const n = String(i).padStart(2, '0');
    person.push(emu.state.addLogin({ email: `person${n}@example.com`, fullName: `Person ${n}` }).loginId);
  }
  t = await startTestApp({ emulator: emu, env: { MEGAMEETING_API_TOKEN: appLogin.apiToken } });
  for (const u of [MAYA, BEN, CARL, DINA]) t.slack.addUser(u);
  // Maya and Ben are linked by email on first use; Maya's login is a MegaMeeting admin, Ben's a host.
  for (const u of [MAYA, BEN]) {
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

/** The current content of the last modal with this callback_id, once `ready` accepts it. */
function viewOf(callbackId: string, ready: (v: StubView) => boolean = () => true): Promise<StubView> {
  return eventually(() => {
    const v = t.slack.lastView(callbackId);
    return v && ready(v) ? v : undefined;
  });
}

const textOf = (v: StubView | undefined) => JSON.stringify(v?.blocks ?? []);

/** Press a button inside a modal (the element's own value unless given). */
async function press(view: StubView, actionId: string, userId = MAYA.id, value?: string) {
  const found = findElement(view.blocks, actionId);
  return t.action(actionId, value ?? String(found?.element.value ?? ''), { view, userId });
}

async function selectUser(view: StubView, userId: string, selected: string) {
  return t.action(IDS.link.action, '', {
    view,
    userId,
    actions: [
      {
        action_id: IDS.link.action,
        block_id: IDS.link.block,
        type: 'users_select',
        selected_user: selected,
        action_ts: '1.1',
      },
    ],
  });
}

async function selectRole(view: StubView, userId: string, role: 'host' | 'admin') {
  return t.action(IDS.role.action, '', {
    view,
    userId,
    actions: [
      {
        action_id: IDS.role.action,
        block_id: IDS.role.block,
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: role }, value: role },
        action_ts: '1.1',
      },
    ],
  });
}

/** `/meet admin` as Maya: the list's first page. */
async function openList(): Promise<StubView> {
  const opens = t.slack.calls('views.open').length;
  const sent = await t.command('admin', { user_id: MAYA.id, user_name: 'maya' });
  expect(sent.status).toBe(200);
  const open = await t.slack.waitForCalls('views.open', opens + 1);
  const viewId = (open.at(-1)?.response as { view?: { id?: string } } | undefined)?.view?.id;
  return eventually(() => {
    const v = viewId ? t.slack.view(viewId) : undefined;
    return v?.callback_id === IDS.listView ? v : undefined;
  });
}

/** "Create a login for a Slack user" from a fresh list: the pushed form. */
async function openCreateForm(): Promise<StubView> {
  const list = await openList();
  const pushes = t.slack.calls('views.push').length;
  await press(list, IDS.openCreate);
  const pushed = await t.slack.waitForCalls('views.push', pushes + 1);
  const viewId = (pushed.at(-1)?.response as { view?: { id?: string } } | undefined)?.view?.id;
  return eventually(() => (viewId ? t.slack.view(viewId) : undefined));
}

/** Manage on one login's row: the pushed login modal, loaded. */
async function openLogin(list: StubView, loginId: string): Promise<StubView> {
  const pushes = t.slack.calls('views.push').length;
  await press(list, `${IDS.openLogin}:${loginId}`, MAYA.id, loginId);
  await t.slack.waitForCalls('views.push', pushes + 1);
  return viewOf(IDS.loginView, (v) => JSON.parse(v.private_metadata).l === loginId);
}

/** The login modal again after an action, once it shows `expected`. */
function loginViewShowing(loginId: string, expected: string): Promise<StubView> {
  return viewOf(
    IDS.loginView,
    (v) => JSON.parse(v.private_metadata).l === loginId && textOf(v).includes(expected),
  );
}

function mutations(): number {
  return emu.state.requests().filter((r) => r.operationType === 'mutation').length;
}

/** Everything an admin action could change: logins, tokens, invitations, Slack links. */
async function fingerprint(): Promise<string> {
  const s = emu.state.snapshot();
  const links = await Promise.all(
    [MAYA.id, BEN.id, CARL.id, DINA.id, W.userId].map((id) => t.store.getUserLink(W.teamId, id)),
  );
  return JSON.stringify({
    logins: s.logins,
    tokens: s.tokens.map((k) => [k.loginId, k.token]),
    invitations: s.invitations,
    links: links.map((l) => l && [l.slackUserId, l.loginId]),
  });
}

/** Every text the app sent anywhere but a modal: channel messages, ephemerals, DMs, response_url posts. */
function everythingButModals(): string {
  const sent = ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage'].flatMap(
    (m) => t.slack.calls(m).map((c) => JSON.stringify(c.args)),
  );
  return [...sent, ...t.slack.responses().map((r) => JSON.stringify(r.body))].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Tests

test('a non-admin gets a refusal from /meet admin, and no modal opens', async () => {
  const opens = t.slack.calls('views.open').length;
  const sent = await t.command('admin', { user_id: BEN.id, user_name: 'ben' });
  const answer = await t.slack.waitForResponse(sent.responseUrl);
  expect(String(answer.body.text)).toMatch(/Only MegaMeeting admins can manage people/);
  expect(t.slack.calls('views.open').length).toBe(opens);
});

test('an admin: "Loading…" opens at once, then the first page; Next and Previous page; search by Enter and by Search', async () => {
  const sent = await t.command('admin', { user_id: MAYA.id, user_name: 'maya' });
  expect(sent.elapsedMs).toBeLessThan(3000);
  const open = await t.slack.waitForCall('views.open', (c) => JSON.stringify(c.args).includes('Loading'));
  expect(open.status).toBe(200);

  const list = await openList();
  const total = 3 + PERSONS + 1; // app, Maya, Ben, the persons, the emulator's owner
  expect(textOf(list)).toContain(`Page 1 of 3 · logins 1–${PEOPLE_PAGE_SIZE} of ${total}`);
  expect(list.blocks.filter((b) => String(JSON.stringify(b)).includes(IDS.openLogin))).toHaveLength(
    PEOPLE_PAGE_SIZE,
  );
  // Maya is shown linked to her login; the persons are not linked.
  expect(textOf(list)).toContain(`<@${MAYA.id}>`);
  expect(textOf(list)).toContain('_not linked_');

  await press(list, IDS.next);
  const second = await viewOf(IDS.listView, (v) => v.id === list.id && textOf(v).includes('Page 2 of 3'));
  expect(JSON.parse(second.private_metadata)).toEqual({ p: 1, q: '' });
  await press(second, IDS.previous);
  await viewOf(IDS.listView, (v) => v.id === list.id && textOf(v).includes('Page 1 of 3'));

  // Enter in the search box.
  await t.action(IDS.search.action, '', {
    view: list,
    userId: MAYA.id,
    actions: [
      {
        action_id: IDS.search.action,
        block_id: IDS.search.block,
        type: 'plain_text_input',
        value: 'person 07',
        action_ts: '1.1',
      },
    ],
  });
  const found = await viewOf(IDS.listView, (v) => v.id === list.id && textOf(v).includes('of 1'));
  expect(textOf(found)).toContain('Person 07');
  expect(textOf(found)).not.toContain('Person 08');

  // The Search button (a view submission) by email.
  const res = await t.submitView({
    callbackId: IDS.listView,
    view: found,
    viewId: found.id,
    userId: MAYA.id,
    values: {
      [IDS.search.block]: { [IDS.search.action]: { type: 'plain_text_input', value: 'BEN@example' } },
    },
  });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toMatchObject({ response_action: 'update' });
  const byEmail = await viewOf(IDS.listView, (v) => v.id === list.id && textOf(v).includes('Ben Host'));
  expect(textOf(byEmail)).toContain('logins 1–1 of 1');
});

test('link a login to a Slack user, then unlink', async () => {
  const list = await openList();
  const loginView = await openLogin(list, person[0] as string);
  expect(textOf(loginView)).toContain('Person 01');

  await selectUser(loginView, MAYA.id, CARL.id);
  const linked = await loginViewShowing(person[0] as string, 'is now linked');
  expect((await t.store.getUserLink(W.teamId, CARL.id))?.loginId).toBe(person[0]);
  expect(findElement(linked.blocks, `${IDS.unlink}:${CARL.id}`)?.element).toMatchObject({
    type: 'button',
    text: { text: 'Unlink' },
    value: CARL.id,
  });
  // The list underneath is refreshed too.
  await viewOf(IDS.listView, (v) => v.id === list.id && textOf(v).includes(`<@${CARL.id}>`));

  await press(linked, `${IDS.unlink}:${CARL.id}`);
  await loginViewShowing(person[0] as string, 'is no longer linked');
  expect(await t.store.getUserLink(W.teamId, CARL.id)).toBeNull();
});

test('change a role: host → admin → host, in MegaMeeting', async () => {
  const list = await openList();
  const loginView = await openLogin(list, person[1] as string);
  await selectRole(loginView, MAYA.id, 'admin');
  await loginViewShowing(person[1] as string, 'is now an admin');
  expect(emu.state.logins.get(person[1] as string)?.roles).toEqual(['admin', 'host']);
  await selectRole(loginView, MAYA.id, 'host');
  await loginViewShowing(person[1] as string, 'is now a host');
  expect(emu.state.logins.get(person[1] as string)?.roles).toEqual(['host']);
});

test('create a login for a Slack user: the login, the activation email, and the link', async () => {
  const form = await openCreateForm();

  const res = await t.submitView({
    callbackId: IDS.createView,
    view: form,
    viewId: form.id,
    userId: MAYA.id,
    values: {
      [IDS.createUser.block]: { [IDS.createUser.action]: { type: 'users_select', selected_user: CARL.id } },
    },
  });
  expect(JSON.parse(res.body)).toMatchObject({ response_action: 'update' });
  const done = await eventually(() => {
    const v = t.slack.view(form.id);
    return v && textOf(v).includes('Created the MegaMeeting login') ? v : undefined;
  });
  const login = [...emu.state.logins.values()].find((l) => l.email === CARL.email);
  expect(login).toMatchObject({ fullName: CARL.real_name, roles: ['host'], active: 1 });
  expect(emu.state.invitations.map((i) => i.email)).toContain(CARL.email);
  expect((await t.store.getUserLink(W.teamId, CARL.id))?.loginId).toBe(login?.loginId);
  expect(textOf(done)).toContain('activation link');

  // The same person again: refused, nothing created.
  const again = await t.submitView({
    callbackId: IDS.createView,
    view: form,
    viewId: form.id,
    userId: MAYA.id,
    values: {
      [IDS.createUser.block]: { [IDS.createUser.action]: { type: 'users_select', selected_user: CARL.id } },
    },
  });
  expect(again.status).toBe(200);
  await eventually(() => textOf(t.slack.view(form.id)).includes('There is already a MegaMeeting login'));
  expect([...emu.state.logins.values()].filter((l) => l.email === CARL.email)).toHaveLength(1);
});

test('create a login whose activation email fails: the login exists, and the modal says the email was not sent', async () => {
  const form = await openCreateForm();
  const spy = jest
    .spyOn(emu.state, 'apiUserInvitation')
    .mockReturnValueOnce({ status: 'failed', message: 'Mail server unavailable', result: null });
  try {
    await t.submitView({
      callbackId: IDS.createView,
      view: form,
      viewId: form.id,
      userId: MAYA.id,
      values: {
        [IDS.createUser.block]: { [IDS.createUser.action]: { type: 'users_select', selected_user: DINA.id } },
      },
    });
    const done = await eventually(() => {
      const v = t.slack.view(form.id);
      return v && textOf(v).includes("didn't send the activation email") ? v : undefined;
    });
    expect(textOf(done)).toContain('Created the MegaMeeting login');
    // One activation email tried, for the new login's address (a failed one is not retried behind the user's back).
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[1]).toMatchObject({ email: DINA.email });
  } finally {
    spy.mockRestore();
  }
  expect([...emu.state.logins.values()].some((l) => l.email === DINA.email)).toBe(true);
  expect(emu.state.invitations.some((i) => i.email === DINA.email)).toBe(false);
  expect(t.logs.some((l) => l.includes('the activation email was not sent'))).toBe(true);
});

test('delete a login, behind a confirmation naming the person; its Slack links go with it', async () => {
  const target = person[2] as string;
  await t.store.upsertUserLink({
    teamId: W.teamId,
    slackUserId: DINA.id,
    loginId: target,
    email: 'person03@example.com',
    source: 'admin',
    linkedBy: MAYA.id,
    linkedAt: new Date(),
  });
  const list = await openList();
  const loginView = await openLogin(list, target);
  const del = findElement(loginView.blocks, IDS.deleteLogin)?.element as {
    confirm?: { text: { text: string }; confirm: { text: string } };
  };
  expect(del.confirm?.text.text).toContain('Person 03 (person03@example.com)');
  expect(del.confirm?.text.text).toContain('cannot be undone');

  await press(loginView, IDS.deleteLogin);
  await eventually(() => {
    const v = t.slack.lastView(IDS.noticeView);
    return v && textOf(v).includes('Deleted the MegaMeeting login of Person 03');
  });
  expect(emu.state.logins.has(target)).toBe(false);
  expect(await t.store.getUserLink(W.teamId, DINA.id)).toBeNull();
});

test('a MegaMeeting refusal is shown in the modal and logged', async () => {
  const target = person[3] as string;
  const list = await openList();
  const loginView = await openLogin(list, target);
  const spy = jest
    .spyOn(emu.state, 'apiDeleteLogin')
    .mockReturnValueOnce({ status: 'failed', message: 'Login has meetings in progress', result: null });
  try {
    await press(loginView, IDS.deleteLogin);
    const shown = await loginViewShowing(target, 'Login has meetings in progress');
    expect(textOf(shown)).toContain(':warning:');
  } finally {
    spy.mockRestore();
  }
  expect(emu.state.logins.has(target)).toBe(true);
  expect(t.logs.some((l) => l.includes('people admin: failed') && l.includes('delete the login'))).toBe(true);
});

test('token details: whether there is one and when it was last used, never more than the last four characters', async () => {
  const target = person[4] as string;
  const token = emu.state.tokenRecordOf(target)?.token as string;
  const list = await openList();
  const loginView = await openLogin(list, target);
  expect(textOf(loginView)).toContain(`ending in \`${token.slice(-4)}\``);
  expect(textOf(loginView)).toContain('never used');
  const everything = JSON.stringify(t.slack.calls()) + t.logs.join('\n');
  expect(everything).not.toContain(token.slice(0, -4));
  expect(everything).not.toContain(token);
});

test('create an API token: shown once, privately, in a modal with a warning; never logged nor in any message', async () => {
  const target = person[5] as string;
  const old = emu.state.tokenRecordOf(target)?.token as string;
  const list = await openList();
  const loginView = await openLogin(list, target);
  const replace = findElement(loginView.blocks, IDS.createToken)?.element as {
    confirm?: { text: { text: string } };
  };
  expect(replace.confirm?.text.text).toContain('stops working');

  const pushes = t.slack.calls('views.push').length;
  await press(loginView, IDS.createToken);
  await t.slack.waitForCalls('views.push', pushes + 1);
  const once = await viewOf(IDS.tokenView);
  const fresh = emu.state.tokenRecordOf(target)?.token as string;
  expect(fresh).not.toBe(old);
  expect(textOf(once)).toContain(fresh);
  expect(textOf(once)).toContain("won't be shown again");
  // The login modal under it shows the new token's last four only.
  const updated = await loginViewShowing(target, 'shown once');
  expect(textOf(updated)).toContain(`ending in \`${fresh.slice(-4)}\``);
  expect(textOf(updated)).not.toContain(fresh);

  // Nowhere else: not in a log line (the harness logs at debug, Slack's own request lines included), not in any
  // message, DM, ephemeral or response_url post, not in the store.
  expect(t.logs.join('\n')).not.toContain(fresh);
  expect(t.logs.join('\n')).toContain('[redacted]');
  expect(everythingButModals()).not.toContain(fresh);
  // Only the one modal ever carried it.
  const carriers = t.slack
    .calls()
    .filter((c) => JSON.stringify(c.args).includes(fresh))
    .map((c) => c.method);
  expect(carriers).toEqual(['views.update']);
});

test('revoke an API token, behind a "cannot be undone" confirmation', async () => {
  const target = person[6] as string;
  const list = await openList();
  const loginView = await openLogin(list, target);
  const revoke = findElement(loginView.blocks, IDS.revokeToken)?.element as {
    confirm?: { text: { text: string } };
  };
  expect(revoke.confirm?.text.text).toContain('cannot be undone');
  await press(loginView, IDS.revokeToken);
  const after = await loginViewShowing(target, 'Revoked the API token');
  expect(emu.state.tokenRecordOf(target)).toBeUndefined();
  expect(textOf(after)).toContain('*API token:* none');
});

test("the app's own login: delete, demote, revoke and replace are refused with the reason, and nothing changes", async () => {
  const list = await openList();
  const loginView = await openLogin(list, appLogin.loginId);
  expect(textOf(loginView)).toContain("This Slack app uses this login's API token");
  for (const id of [IDS.deleteLogin, IDS.role.action, IDS.revokeToken, IDS.createToken]) {
    expect(findElement(loginView.blocks, id)).toBeUndefined();
  }
  const before = await fingerprint();
  const writes = mutations();

  // Crafted presses (the buttons are not shown), each refused with the reason in the modal.
  await press(loginView, IDS.deleteLogin, MAYA.id, appLogin.loginId);
  await loginViewShowing(
    appLogin.loginId,
    "I can't delete this login: this is the login whose API token the app itself uses",
  );
  await selectRole(loginView, MAYA.id, 'host');
  await loginViewShowing(appLogin.loginId, "I can't demote this login");
  await press(loginView, IDS.revokeToken, MAYA.id, appLogin.loginId);
  await loginViewShowing(appLogin.loginId, "I can't revoke this login's API token");
  await press(loginView, IDS.createToken, MAYA.id, appLogin.loginId);
  await loginViewShowing(appLogin.loginId, "I can't replace this login's API token");

  expect(mutations()).toBe(writes);
  expect(await fingerprint()).toBe(before);
  expect(emu.state.logins.get(appLogin.loginId)?.roles).toEqual(['admin', 'host']);
  // The app still works with its token.
  const sent = await t.command('account', { user_id: BEN.id, user_name: 'ben' });
  expect(String((await t.slack.waitForResponse(sent.responseUrl)).body.text)).toContain(benLoginId);
});

test('a non-admin: every action, crafted, is refused privately and changes nothing', async () => {
  // Real modals of the admin, replayed by Ben.
  const list = await openList();
  const loginView = await openLogin(list, person[7] as string);
  const form = await openCreateForm();
  const before = await fingerprint();
  const writes = mutations();
  const viewCalls = () =>
    ['views.open', 'views.push', 'views.update'].reduce((n, m) => n + t.slack.calls(m).length, 0);
  const views = viewCalls();
  const dms = () =>
    t.slack.messagesIn(BEN.id).filter((m) => String(m.text).includes('Only MegaMeeting admins'));

  const attempts: Array<() => Promise<unknown>> = [
    () => t.action(IDS.openFromHome, 'open', { userId: BEN.id }),
    () => press(list, IDS.next, BEN.id),
    () => press(list, `${IDS.openLogin}:${person[7]}`, BEN.id, person[7]),
    () => press(list, IDS.openCreate, BEN.id),
    () => selectUser(loginView, BEN.id, BEN.id),
    () => press(loginView, `${IDS.unlink}:${MAYA.id}`, BEN.id, MAYA.id),
    () => selectRole(loginView, BEN.id, 'admin'),
    () => press(loginView, IDS.deleteLogin, BEN.id),
    () => press(loginView, IDS.revokeToken, BEN.id, person[7]),
    () => press(loginView, IDS.createToken, BEN.id),
  ];
  for (const [i, attempt] of attempts.entries()) {
    await attempt();
    await eventually(() => dms().length >= i + 1);
  }
  expect(viewCalls()).toBe(views);

  // A crafted create submission: the modal says no, nothing is created.
  await t.submitView({
    callbackId: IDS.createView,
    view: form,
    viewId: form.id,
    userId: BEN.id,
    values: {
      [IDS.createUser.block]: { [IDS.createUser.action]: { type: 'users_select', selected_user: BEN.id } },
    },
  });
  await eventually(() => textOf(t.slack.view(form.id)).includes('Only MegaMeeting admins'));
  // A crafted search submission shows nothing either.
  await t.submitView({ callbackId: IDS.listView, view: list, viewId: list.id, userId: BEN.id, values: {} });
  await eventually(() => textOf(t.slack.view(list.id)).includes('Only MegaMeeting admins'));

  expect(mutations()).toBe(writes);
  expect(await fingerprint()).toBe(before);
  expect(
    t.logs.filter((l) => l.includes('people admin refused: not an admin')).length,
  ).toBeGreaterThanOrEqual(attempts.length);
});
