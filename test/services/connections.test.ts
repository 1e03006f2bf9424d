/**
 * ConnectionService (multi-workspace mode): a workspace admin's account URL and API token are checked against
 * MegaMeeting over HTTP before anything is saved. Two emulators are two MegaMeeting accounts; the Slack
 * stand-in answers users.info (who is a workspace admin). Every refusal names its form field, never echoes the
 * token, and leaves the store empty.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import { type HostLookup, privateHostProblem } from '../../src/megameeting/public-host.js';
import { SecretBox } from '../../src/secrets/index.js';
import { ConnectionService, checkingClients } from '../../src/services/connections.js';
import { createSlackWebClient, SlackGateway } from '../../src/slack/gateway.js';
import { type ConnectionRepository, openStore, type Store } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../store/helpers.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const ADMIN = 'U0ADMIN001';
const OWNER = 'U0OWNER001';
const T0 = new Date('2026-03-01T10:00:00Z');

let emuA: Emulator;
let emuB: Emulator;
let slack: SlackStub;
let db: TestDatabase;
let store: Store;
let connections: ConnectionRepository;
let logs: string[];
let service: ConnectionService;

function makeService(
  opts: {
    allowLoopbackHttp?: boolean;
    lookup?: HostLookup;
    timeoutMs?: number;
    onChange?: (teamId: string) => void;
  } = {},
): ConnectionService {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // secrets: [] so that a token in a log line would show (the logger does not know the workspaces' tokens).
  const logger = createLogger({ level: 'debug', secrets: [], destination });
  const gateway = new SlackGateway(createSlackWebClient(W.botToken, { apiUrl: slack.url }), logger);
  return new ConnectionService({
    connections,
    // A shorter timeout than checkingClients' 5 s, to see one without waiting that long.
    megameetingFor: opts.timeoutMs
      ? (baseUrl, apiToken) =>
          new MegaMeetingClient({ baseUrl, apiToken, timeoutMs: opts.timeoutMs, retries: 0, logger })
      : checkingClients(logger),
    slackFor: () => gateway,
    urls: { allowLoopbackHttp: opts.allowLoopbackHttp ?? true },
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    ...(opts.onChange ? { onChange: opts.onChange } : {}),
    logger,
    clock: { now: () => T0 },
  });
}

beforeAll(async () => {
  [emuA, emuB, slack] = await Promise.all([startEmulator(), startEmulator(), SlackStub.start()]);
  slack.addUser({ id: ADMIN, real_name: 'Admin', is_admin: true });
  slack.addUser({ id: OWNER, real_name: 'Owner', is_owner: true });
  db = await createTestDatabase('sqlite');
  store = await openStore(db.url);
  connections = store.megameetingConnections(new SecretBox(Buffer.alloc(32, 7)));
});
afterAll(async () => {
  await store.close();
  await db.drop();
  await Promise.all([emuA.close(), emuB.close(), slack.close()]);
});
beforeEach(async () => {
  logs = [];
  await connections.delete(W.teamId);
  emuA.state.clearRequests();
  emuB.state.clearRequests();
  service = makeService();
});

function expectNoTokenIn(token: string, ...texts: unknown[]) {
  for (const t of [...texts, logs.join('\n')]) expect(JSON.stringify(t)).not.toContain(token);
}

async function connect(userId: string, accountUrl: string, apiToken: string) {
  return service.connect({ teamId: W.teamId, userId, accountUrl, apiToken });
}

test("an admin connects with the owner's token: saved with the token's login, who connected it and when", async () => {
  const result = await connect(ADMIN, emuA.url, emuA.adminToken);
  const expected = {
    accountUrl: emuA.url,
    loginId: emuA.adminLoginId,
    loginEmail: 'owner@example.com',
    connectedBy: ADMIN,
    connectedAt: T0,
  };
  expect(result).toEqual({ ok: true, connection: expected });
  expect(await service.status(W.teamId)).toEqual(expected);
  expect((await connections.get(W.teamId))?.apiToken).toBe(emuA.adminToken);
  // Asked account A, with the token as typed.
  expect(emuA.state.requests().flatMap((r) => r.fields)).toContain('logins');
  expect(emuB.state.requests()).toHaveLength(0);
  expectNoTokenIn(emuA.adminToken, result);
  expect(logs.join('\n')).toContain('MegaMeeting account connected');
});

test("a workspace owner may connect too, with another admin login's token; a URL as pasted (/api, slash) is tidied", async () => {
  const boss = emuA.state.addLogin({ email: 'boss@example.com', fullName: 'Boss', roles: ['admin', 'host'] });
  const result = await connect(OWNER, `  ${emuA.url}/api/ `, ` ${boss.apiToken} `);
  expect(result).toMatchObject({
    ok: true,
    connection: {
      accountUrl: emuA.url,
      loginId: boss.loginId,
      loginEmail: 'boss@example.com',
      connectedBy: OWNER,
    },
  });
  expect((await connections.get(W.teamId))?.apiToken).toBe(boss.apiToken);
});

describe('refusals: one field, a clear sentence, the token never echoed, nothing stored', () => {
  test("a host's token (no admin role) is refused on the token field", async () => {
    const host = emuA.state.addLogin({ email: 'host@example.com', roles: ['host'] });
    const result = await connect(ADMIN, emuA.url, host.apiToken);
    expect(result).toEqual({
      ok: false,
      field: 'token',
      message:
        'This API token belongs to a login without the admin role. Use an API token of an admin or owner login.',
    });
    expect(await connections.get(W.teamId)).toBeNull();
    expectNoTokenIn(host.apiToken, result);
  });

  test('a token MegaMeeting does not know is refused on the token field', async () => {
    const bad = 'NOTATOKEN0000000000000000000BAD1';
    const result = await connect(ADMIN, emuA.url, bad);
    expect(result).toEqual({
      ok: false,
      field: 'token',
      message: `The MegaMeeting account at ${emuA.url} did not accept this API token. Check that you copied it whole and that it is a token of this account.`,
    });
    expect(await connections.get(W.teamId)).toBeNull();
    expectNoTokenIn(bad, result);
  });

  test("the URL of another account with this account's token: refused on the token field, checked against that URL", async () => {
    const result = await connect(ADMIN, emuB.url, emuA.adminToken);
    expect(result).toMatchObject({ ok: false, field: 'token' });
    expect((result as { message: string }).message).toContain(`at ${emuB.url} did not accept this API token`);
    expect(emuB.state.requests().length).toBeGreaterThan(0);
    expect(emuA.state.requests()).toHaveLength(0);
    expect(await connections.get(W.teamId)).toBeNull();
    expectNoTokenIn(emuA.adminToken, result);
  });

  test('an address where nothing answers is refused on the URL field', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const url = `http://127.0.0.1:${port}`;
    const result = await connect(ADMIN, url, emuA.adminToken);
    expect(result).toEqual({
      ok: false,
      field: 'url',
      message: `MegaMeeting did not answer at ${url}. Check the account URL.`,
    });
    expect(await connections.get(W.teamId)).toBeNull();
    expectNoTokenIn(emuA.adminToken, result);
  });

  test('an account too slow to answer is refused on the URL field, said as not in time', async () => {
    service = makeService({ timeoutMs: 100 });
    emuA.state.setLatency(400);
    try {
      expect(await connect(ADMIN, emuA.url, emuA.adminToken)).toEqual({
        ok: false,
        field: 'url',
        message: `MegaMeeting did not answer at ${emuA.url} in time. Check the account URL.`,
      });
    } finally {
      emuA.state.setLatency(0);
    }
    expect(await connections.get(W.teamId)).toBeNull();
  });

  test("a token MegaMeeting takes that is no active admin login's own token: refused on the token field, logged", async () => {
    // A second token of an admin login (apiTokenDetails shows the first), and an admin login without a token.
    const twin = emuA.state.addLogin({
      email: 'twin@example.com',
      fullName: 'Twin',
      roles: ['admin', 'host'],
    });
    const spare = 'SPARE0TOKEN0OF0TWIN';
    emuA.state.tokens.set(spare, { token: spare, loginId: twin.loginId, createdAt: T0, lastUsed: null });
    const bare = emuA.state.addLogin({
      email: 'bare@example.com',
      fullName: 'Bare',
      roles: ['admin', 'host'],
    });
    emuA.state.tokens.delete(bare.apiToken);
    try {
      const result = await connect(ADMIN, emuA.url, spare);
      expect(result).toEqual({
        ok: false,
        field: 'token',
        message:
          'MegaMeeting accepted this token, but it belongs to none of the active admin or owner logins of the account. Use an API token of an active admin login.',
      });
      expect(logs.join('\n')).toContain('connect: the token works but belongs to no active admin login');
      expect(await connections.get(W.teamId)).toBeNull();
      expectNoTokenIn(spare, result);
    } finally {
      emuA.state.tokens.delete(spare);
      emuA.state.logins.delete(twin.loginId);
      emuA.state.tokens.delete(twin.apiToken);
      emuA.state.logins.delete(bare.loginId);
    }
  });

  test('a server that is not MegaMeeting (the Slack stand-in) is refused on the URL field', async () => {
    const origin = new URL(slack.url).origin;
    const result = await connect(ADMIN, origin, emuA.adminToken);
    expect(result).toMatchObject({ ok: false, field: 'url' });
    expect((result as { message: string }).message).toBe(
      `${origin} answered, but not like a MegaMeeting account. Check the account URL (the address you sign in at).`,
    );
    expect(await connections.get(W.teamId)).toBeNull();
  });

  test.each([
    ['', 'url', 'Enter your MegaMeeting account URL, e.g. https://myaccount.megameeting.com'],
    [
      'http://acme.megameeting.com',
      'url',
      'Use the https:// address of your account: over http:// the API token would travel unencrypted.',
    ],
    [
      'ftp://acme.megameeting.com',
      'url',
      'Enter an https:// address, e.g. https://myaccount.megameeting.com',
    ],
    [
      'https://acme.megameeting.com/?x=1',
      'url',
      'Enter the account URL alone, without ?… or #…, e.g. https://myaccount.megameeting.com',
    ],
    [
      'https://me:pw@acme.megameeting.com',
      'url',
      'Leave any user name and password out of the URL: the API token is all the app needs.',
    ],
    [
      'https://',
      'url',
      'That is not a web address. Enter your account URL, e.g. https://myaccount.megameeting.com',
    ],
  ])('URL %j: refused before asking anyone', async (url, field, message) => {
    expect(await connect(ADMIN, url, emuA.adminToken)).toEqual({ ok: false, field, message });
    expect(emuA.state.requests()).toHaveLength(0);
    expect(await connections.get(W.teamId)).toBeNull();
  });

  test.each([
    ['', 'Paste an API token of an admin login of your MegaMeeting account.'],
    ['ABC DEF', 'An API token has no spaces or line breaks: paste the token alone.'],
    ['X'.repeat(201), 'That is too long for an API token: paste the token alone.'],
  ])('token %j: refused before asking anyone', async (token, message) => {
    expect(await connect(ADMIN, emuA.url, token)).toEqual({ ok: false, field: 'token', message });
    expect(emuA.state.requests()).toHaveLength(0);
  });

  const PRIVATE_NETWORK =
    'That address is inside a private network. Enter the public address of your MegaMeeting account.';
  test.each([
    'https://10.0.0.5',
    'https://169.254.169.254',
    'https://192.168.1.10:8443/api',
    'https://172.31.255.254',
    'https://100.64.0.1',
    'https://0.0.0.0',
  ])('URL %j inside a private network: refused before asking anyone', async (url) => {
    expect(await connect(ADMIN, url, emuA.adminToken)).toEqual({
      ok: false,
      field: 'url',
      message: PRIVATE_NETWORK,
    });
    expect(await connections.get(W.teamId)).toBeNull();
  });

  test('a host name is checked by the addresses it resolves to: any private one refuses it; none is no such host', async () => {
    const asked: string[] = [];
    service = makeService({
      lookup: async (hostname) => {
        asked.push(hostname);
        if (hostname === 'mm.corp.example') return [{ address: '203.0.113.9' }, { address: '10.1.2.3' }];
        if (hostname === 'mm.public.example') return [{ address: '203.0.113.9' }];
        if (hostname === 'mm.v6.example') return [{ address: '2001:db8::5' }, { address: 'fd00::1' }];
        if (hostname === 'mm.mapped.example') return [{ address: '::ffff:169.254.169.254' }];
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(await connect(ADMIN, 'mm.corp.example', emuA.adminToken)).toEqual({
      ok: false,
      field: 'url',
      message: PRIVATE_NETWORK,
    });
    for (const host of ['mm.v6.example', 'mm.mapped.example']) {
      expect(await connect(ADMIN, host, emuA.adminToken)).toEqual({
        ok: false,
        field: 'url',
        message: PRIVATE_NETWORK,
      });
    }
    expect(await connect(ADMIN, 'https://nowhere.example', emuA.adminToken)).toEqual({
      ok: false,
      field: 'url',
      message: 'No such host: check the spelling of your account URL.',
    });
    expect(asked).toEqual(['mm.corp.example', 'mm.v6.example', 'mm.mapped.example', 'nowhere.example']);
    expect(emuA.state.requests()).toHaveLength(0);
    // A public address passes the check (MegaMeeting is then asked as before).
    const lookup: HostLookup = async () => [{ address: '203.0.113.9' }, { address: '2001:db8::5' }];
    expect(await privateHostProblem('https://mm.public.example', { lookup })).toBeNull();
    expect(await privateHostProblem('http://127.0.0.1:9', { allowLoopback: true })).toBeNull();
    expect(await privateHostProblem('http://127.0.0.1:9')).toBe(PRIVATE_NETWORK);
  });

  test('loopback addresses over https are refused too unless loopback is allowed (the local emulator, tests)', async () => {
    service = makeService({ allowLoopbackHttp: false });
    expect(await connect(ADMIN, 'https://127.0.0.1:8443', emuA.adminToken)).toEqual({
      ok: false,
      field: 'url',
      message: PRIVATE_NETWORK,
    });
  });

  test('http:// to the local emulator only when loopback http is allowed (tests, the local sandbox)', async () => {
    service = makeService({ allowLoopbackHttp: false });
    expect(await connect(ADMIN, emuA.url, emuA.adminToken)).toMatchObject({ ok: false, field: 'url' });
    expect(emuA.state.requests()).toHaveLength(0);
  });

  test('someone who is not a workspace admin or owner is refused before MegaMeeting is asked', async () => {
    const err = await connect(W.userId, emuA.url, emuA.adminToken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'not_allowed',
      userMessage:
        'Only a Slack workspace admin or owner can connect or disconnect MegaMeeting. Ask one of them to run `/meet connect`.',
    });
    expect(emuA.state.requests()).toHaveLength(0);
    expect(await connections.get(W.teamId)).toBeNull();
  });
});

test("verify names the token's login: its ID, email and full name (none when it has no name)", async () => {
  expect(await service.verify(emuA.url, emuA.adminToken)).toEqual({
    ok: true,
    account: {
      accountUrl: emuA.url,
      loginId: emuA.adminLoginId,
      loginEmail: 'owner@example.com',
      loginName: emuA.state.logins.get(emuA.adminLoginId)?.fullName,
    },
  });
  const nameless = emuA.state.addLogin({ email: 'nameless@example.com', roles: ['admin', 'host'] });
  try {
    expect(await service.verify(emuA.url, nameless.apiToken)).toMatchObject({
      ok: true,
      account: { loginId: nameless.loginId, loginName: null },
    });
  } finally {
    emuA.state.logins.delete(nameless.loginId);
    emuA.state.tokens.delete(nameless.apiToken);
  }
});

test('connecting again replaces the account (the other emulator), and a refused attempt keeps the current one', async () => {
  await connect(ADMIN, emuA.url, emuA.adminToken);
  expect(await connect(ADMIN, emuB.url, 'WRONGTOKEN123456')).toMatchObject({ ok: false });
  expect((await service.status(W.teamId))?.accountUrl).toBe(emuA.url);
  await connect(OWNER, emuB.url, emuB.adminToken);
  expect(await service.status(W.teamId)).toMatchObject({
    accountUrl: emuB.url,
    loginId: emuB.adminLoginId,
    connectedBy: OWNER,
  });
});

test('disconnect: workspace admins only; returns what was removed, then null', async () => {
  await connect(ADMIN, emuA.url, emuA.adminToken);
  await expect(service.disconnect({ teamId: W.teamId, userId: W.userId })).rejects.toMatchObject({
    code: 'not_allowed',
  });
  expect(await service.status(W.teamId)).not.toBeNull();
  expect(await service.disconnect({ teamId: W.teamId, userId: OWNER })).toMatchObject({
    accountUrl: emuA.url,
    loginId: emuA.adminLoginId,
  });
  expect(await connections.get(W.teamId)).toBeNull();
  expect(await service.disconnect({ teamId: W.teamId, userId: ADMIN })).toBeNull();
  expect(logs.join('\n')).toContain('MegaMeeting account disconnected');
});

test('the workspace’s app hears of each connect and disconnect saved, not of a refusal nor of a disconnect with nothing to remove', async () => {
  const changed: string[] = [];
  service = makeService({ onChange: (teamId) => changed.push(teamId) });
  await connect(ADMIN, emuA.url, 'WRONGTOKEN123456');
  expect(changed).toEqual([]);
  await connect(ADMIN, emuA.url, emuA.adminToken);
  expect(changed).toEqual([W.teamId]);
  await service.disconnect({ teamId: W.teamId, userId: ADMIN });
  expect(changed).toEqual([W.teamId, W.teamId]);
  await service.disconnect({ teamId: W.teamId, userId: ADMIN });
  expect(changed).toEqual([W.teamId, W.teamId]);
  expect(logs.filter((l) => l.includes('MegaMeeting account disconnected'))).toHaveLength(1);
});
