/** The app's own MegaMeeting login: found by its token (compared, never shown), against the emulator. */
import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { createLogger } from '../../src/logger.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import { APP_LOGIN_REASON, AppLoginService, isAdminLogin } from '../../src/services/app-login.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
});
afterEach(async () => {
  await emu.close();
});

/** `apiToken`: the token compared (MEGAMEETING_API_TOKEN); the client calls MegaMeeting with `token`. */
function service(token: string, logs: string[] = [], apiToken = token) {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const megameeting = new MegaMeetingClient({ baseUrl: emu.url, apiToken: token, retryBaseDelayMs: 1 });
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  const svc = new AppLoginService({
    megameeting,
    apiToken,
    logger: createLogger({ level: 'debug', secrets: [], destination }),
    clock,
  });
  return { svc, advance: (ms: number) => (now += ms) };
}

test("the admin token's login is the app's own; other admins and hosts are not", async () => {
  const other = emu.state.addLogin({ email: 'boss@example.com', roles: ['admin'] });
  const host = emu.state.addLogin({ email: 'ana@example.com', roles: ['host'] });
  const logs: string[] = [];
  const { svc } = service(emu.adminToken, logs);
  expect(await svc.loginId()).toBe(emu.adminLoginId);
  expect(await svc.isAppLogin(emu.adminLoginId)).toBe(true);
  expect(await svc.isAppLogin(other.loginId)).toBe(false);
  expect(await svc.isAppLogin(host.loginId)).toBe(false);
  expect(logs.join('\n')).not.toContain(emu.adminToken);
});

test('a second admin token makes that admin the app login', async () => {
  const other = emu.state.addLogin({ email: 'boss@example.com', roles: ['admin'] });
  const { svc } = service(other.apiToken);
  expect(await svc.loginId()).toBe(other.loginId);
  expect(await svc.isAppLogin(emu.adminLoginId)).toBe(false);
});

test('the answer is cached, and a login without a token is never the app login', async () => {
  const { svc } = service(emu.adminToken);
  await svc.loginId();
  emu.state.clearRequests();
  expect(await svc.isAppLogin(emu.adminLoginId)).toBe(true);
  expect(emu.state.requests()).toHaveLength(0);
  expect(isAdminLogin({ roles: ['host'] })).toBe(false);
  expect(isAdminLogin({ roles: ['owner'] })).toBe(true);
});

test('MegaMeeting down: the check fails rather than answer "not the app login"', async () => {
  const { svc } = service(emu.adminToken);
  emu.state.injectFaults('status503', 10);
  await expect(svc.isAppLogin(emu.adminLoginId)).rejects.toThrow();
});

test('the answer is kept for 10 minutes, then MegaMeeting is asked again', async () => {
  const { svc, advance } = service(emu.adminToken);
  await svc.loginId();
  emu.state.clearRequests();
  advance(10 * 60_000 - 1);
  expect(await svc.loginId()).toBe(emu.adminLoginId);
  expect(emu.state.requests()).toHaveLength(0);
  advance(1);
  expect(await svc.loginId()).toBe(emu.adminLoginId);
  expect(emu.state.requests().length).toBeGreaterThan(0);
});

test('no admin login carries the token: none is the app login, and that is logged without the token', async () => {
  const logs: string[] = [];
  // The client keeps the owner's token (it must read the logins); the token compared is nobody's.
  const { svc } = service(emu.adminToken, logs, 'not-the-app-token');
  expect(await svc.loginId()).toBeNull();
  expect(logs.join('\n')).toContain('no MegaMeeting admin login carries the app token');
  expect(logs.join('\n')).not.toContain('not-the-app-token');
});

test('why an action on the app login is refused, word for word (admins read it)', () => {
  expect(APP_LOGIN_REASON).toBe(
    "this is the login whose API token the app itself uses (MEGAMEETING_API_TOKEN): without it the app can't " +
      "reach MegaMeeting at all. Change MEGAMEETING_API_TOKEN to another admin's token first.",
  );
});

test("a host's token is never the app's own login (only admin and owner logins are asked)", async () => {
  const host = emu.state.addLogin({ email: 'ana@example.com', roles: ['host'] });
  const logs: string[] = [];
  const { svc } = service(emu.adminToken, logs, host.apiToken);
  expect(await svc.loginId()).toBeNull();
  // Found normally: no warning.
  const { svc: own } = service(emu.adminToken, logs);
  logs.length = 0;
  expect(await own.loginId()).toBe(emu.adminLoginId);
  expect(logs.join('\n')).not.toContain('no MegaMeeting admin login carries the app token');
});

test('an admin login whose token is gone is not the app login, and does not stop the search', async () => {
  const tokenless = emu.state.addLogin({ email: 'boss@example.com', roles: ['admin'] });
  emu.state.tokens.delete(tokenless.apiToken);
  const { svc } = service(emu.adminToken, [], 'nobody-has-this-token');
  expect(await svc.loginId()).toBeNull();
  expect(await svc.isAppLogin(tokenless.loginId)).toBe(false);
});

test('no admin carried the token when last asked: a login is still checked against it directly', async () => {
  const later = 'token-of-a-login-made-later';
  const { svc } = service(emu.adminToken, [], later);
  expect(await svc.loginId()).toBeNull();
  const made = emu.state.addLogin({ email: 'new@example.com', roles: ['admin'], apiToken: later });
  expect(await svc.isAppLogin(made.loginId)).toBe(true);
});
