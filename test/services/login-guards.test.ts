/**
 * The guarded login operations (`/meet admin` and the offboarding DMs) against the emulator through the real
 * client, with the real store on SQLite: the owner's and the app's own login are never deleted nor the app's
 * token revoked; a check that cannot be made refuses; a deleted login takes its Slack links in that workspace
 * with it; a token is read as its last four characters at most.
 */
import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import type { Login } from '../../src/megameeting/types.js';
import { APP_LOGIN_REASON, AppLoginService } from '../../src/services/app-login.js';
import {
  deleteLoginGuarded,
  readTokenStatus,
  refuseAppLogin,
  revokeTokenGuarded,
} from '../../src/services/login-guards.js';
import { openTestStore, type TestStore } from '../store/helpers.js';
import { rejectionOf } from '../support/rejection.js';

const T = 'T0GUARDS01';
const OTHER_TEAM = 'T0GUARDS02';

let emu: Emulator;
let db: TestStore;
let logs: string[];

beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  db = await openTestStore('sqlite');
  logs = [];
});
afterEach(async () => {
  await db.cleanup();
  await emu.close();
});

function logger() {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  return createLogger({ level: 'debug', secrets: [], destination });
}

/** The app acts with the token of an admin login of its own (`app`), as in production. */
function world() {
  const app = emu.state.addLogin({ email: 'app@example.com', roles: ['admin'], apiToken: 'app-token-0001' });
  const log = logger();
  const megameeting = new MegaMeetingClient({
    baseUrl: emu.url,
    apiToken: app.apiToken,
    retryBaseDelayMs: 1,
  });
  const appLogin = new AppLoginService({
    megameeting,
    apiToken: app.apiToken,
    logger: log,
    clock: { now: () => new Date('2026-03-01T10:00:00Z') },
  });
  return { app, log, megameeting, deps: { megameeting, appLogin, store: db.store } };
}

async function loginOf(megameeting: MegaMeetingClient, loginId: string): Promise<Login> {
  const found = (await megameeting.logins()).find((l) => l.loginId === loginId);
  if (!found) throw new Error(`no login ${loginId}`);
  return found;
}

async function link(teamId: string, slackUserId: string, loginId: string): Promise<void> {
  await db.store.upsertUserLink({
    teamId,
    slackUserId,
    loginId,
    email: null,
    source: 'admin',
    linkedBy: 'U0ADMIN001',
    linkedAt: new Date('2026-03-01T09:00:00Z'),
  });
}

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

test("the owner's login is never deleted, nor are its links", async () => {
  const { megameeting, deps, log } = world();
  await link(T, 'U0OWNER001', emu.adminLoginId);
  const owner = await loginOf(megameeting, emu.adminLoginId);
  const err = await refusal(deleteLoginGuarded(deps, T, owner, log));
  expect([err.code, err.userMessage]).toEqual(['not_allowed', "The account owner's login can't be deleted."]);
  expect(emu.state.logins.has(emu.adminLoginId)).toBe(true);
  expect((await db.store.findUserLinksByLoginId(T, emu.adminLoginId)).map((l) => l.slackUserId)).toEqual([
    'U0OWNER001',
  ]);
});

test("the app's own login is never deleted nor its token revoked, with the reason", async () => {
  const { app, megameeting, deps, log } = world();
  await link(T, 'U0APP00001', app.loginId);
  const own = await loginOf(megameeting, app.loginId);
  const deleting = await refusal(deleteLoginGuarded(deps, T, own, log));
  expect([deleting.code, deleting.userMessage]).toEqual([
    'not_allowed',
    `I can't delete this login: ${APP_LOGIN_REASON}`,
  ]);
  const revoking = await refusal(revokeTokenGuarded(deps, own, log));
  expect([revoking.code, revoking.userMessage]).toEqual([
    'not_allowed',
    `I can't revoke this login's API token: ${APP_LOGIN_REASON}`,
  ]);
  expect(emu.state.logins.has(app.loginId)).toBe(true);
  expect(emu.state.tokenRecordOf(app.loginId)?.token).toBe(app.apiToken);
  expect(await db.store.findUserLinksByLoginId(T, app.loginId)).toHaveLength(1);
});

test("when it cannot be told whether a login is the app's own, nothing is deleted or revoked (fails closed)", async () => {
  const { megameeting, log } = world();
  const host = emu.state.addLogin({ email: 'ana@example.com', roles: ['host'] });
  await link(T, 'U0ANA00001', host.loginId);
  const login = await loginOf(megameeting, host.loginId);
  const cause = new Error('MegaMeeting is down');
  const deps = { megameeting, appLogin: { isAppLogin: async () => Promise.reject(cause) }, store: db.store };

  const deleting = await refusal(deleteLoginGuarded(deps, T, login, log));
  expect([deleting.code, deleting.userMessage, deleting.cause]).toEqual([
    'megameeting_unavailable',
    "I couldn't check whether this is the login the app itself uses, so I didn't delete this login. Please try again in a moment.",
    cause,
  ]);
  const revoking = await refusal(revokeTokenGuarded(deps, login, log));
  expect(revoking.userMessage).toBe(
    "I couldn't check whether this is the login the app itself uses, so I didn't revoke this login's API token. Please try again in a moment.",
  );
  expect(emu.state.logins.has(host.loginId)).toBe(true);
  expect(emu.state.tokenRecordOf(host.loginId)?.token).toBe(host.apiToken);
  expect(await db.store.findUserLinksByLoginId(T, host.loginId)).toHaveLength(1);
  const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
  expect(warnings.map((w) => [w.msg, w.loginId, w.err?.message])).toEqual([
    ["could not tell whether this is the app's own login", host.loginId, 'MegaMeeting is down'],
    ["could not tell whether this is the app's own login", host.loginId, 'MegaMeeting is down'],
  ]);
});

test('deleting a login removes it and its Slack links in that workspace, and nothing else', async () => {
  const { megameeting, deps, log } = world();
  const ana = emu.state.addLogin({ email: 'ana@example.com', roles: ['host'] });
  const bo = emu.state.addLogin({ email: 'bo@example.com', roles: ['admin'] });
  await link(T, 'U0ANA00001', ana.loginId);
  await link(T, 'U0ANA00002', ana.loginId);
  await link(T, 'U0BO000001', bo.loginId);
  await link(OTHER_TEAM, 'U0ANA00001', ana.loginId);

  await deleteLoginGuarded(deps, T, await loginOf(megameeting, bo.loginId), log);
  await deleteLoginGuarded(deps, T, await loginOf(megameeting, ana.loginId), log);

  expect(emu.state.logins.has(ana.loginId)).toBe(false);
  expect(emu.state.logins.has(bo.loginId)).toBe(false);
  expect(await db.store.findUserLinksByLoginId(T, ana.loginId)).toEqual([]);
  expect(await db.store.findUserLinksByLoginId(T, bo.loginId)).toEqual([]);
  expect((await db.store.findUserLinksByLoginId(OTHER_TEAM, ana.loginId)).map((l) => l.slackUserId)).toEqual([
    'U0ANA00001',
  ]);
});

test("revoking another login's token: its token is gone, and the status then reads none", async () => {
  const { megameeting, deps, log } = world();
  const ana = emu.state.addLogin({ email: 'ana@example.com', roles: ['admin'], apiToken: 'ana-token-0042' });
  const before = await readTokenStatus(megameeting, ana.loginId, log);
  expect(before).toEqual({
    kind: 'present',
    lastFour: '0042',
    createdAt: new Date(String(emu.state.tokenRecordOf(ana.loginId)?.createdAt)),
    lastUsed: null,
  });
  await revokeTokenGuarded(deps, await loginOf(megameeting, ana.loginId), log);
  expect(emu.state.tokenRecordOf(ana.loginId)).toBeUndefined();
  expect(await readTokenStatus(megameeting, ana.loginId, log)).toEqual({ kind: 'none' });
  expect(logs.join('')).not.toContain('ana-token-0042');
});

test('a token status that cannot be read is unknown, with the short reason, and logged without the token', async () => {
  const { megameeting, log } = world();
  const ana = emu.state.addLogin({ email: 'ana@example.com', roles: ['admin'], apiToken: 'ana-token-0042' });
  emu.state.injectFaults('error500', 10);
  const status = await readTokenStatus(megameeting, ana.loginId, log);
  emu.state.clearFaults();
  // A 500 is `unavailable` to the client: the reason is user-messages' wording of it.
  expect(status).toEqual({ kind: 'unknown', reason: "MegaMeeting didn't answer" });
  const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
  expect(warnings.map((w) => [w.msg, w.loginId])).toEqual([
    ['could not read the API token details', ana.loginId],
  ]);
  expect(logs.join('')).not.toContain('ana-token-0042');
});

test('refuseAppLogin lets any other login through', async () => {
  const { deps, log } = world();
  const ana = emu.state.addLogin({ email: 'ana@example.com', roles: ['admin'] });
  await expect(refuseAppLogin(deps.appLogin, ana.loginId, 'demote this login', log)).resolves.toBeUndefined();
  await expect(
    refuseAppLogin(deps.appLogin, emu.adminLoginId, 'demote this login', log),
  ).resolves.toBeUndefined();
});
