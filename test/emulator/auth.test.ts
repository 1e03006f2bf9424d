/** Tokens (missing, unknown, revoked, replaced, deleted) and admin / host scoping. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { dataOf, errorCode, gql, http, lit } from './helpers.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
});
afterEach(async () => {
  await emu.close();
});

const MEETINGS = '{ meetings { edges { node { meetId name } } } }';
const names = (res: Awaited<ReturnType<typeof gql>>): string[] =>
  dataOf(res, 'meetings')[0].edges.map((e: { node: { name: string } }) => e.node.name);

async function createMeeting(name: string, token: string, extra = ''): Promise<string> {
  const res = await gql(
    emu,
    `mutation { createMeeting(input: { meetingName: ${lit(name)} ${extra} }) { result status } }`,
    {
      token,
    },
  );
  return dataOf(res, 'createMeeting').result;
}

describe('tokens', () => {
  test('a missing token answers UNAUTHENTICATED with data null (HTTP 200)', async () => {
    const res = await gql(emu, MEETINGS, { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [{ message: expect.stringMatching(/token/i), extensions: { code: 'UNAUTHENTICATED' } }],
      data: null,
    });
  });

  test('an unknown or empty token answers UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(emu, MEETINGS, { token: 'NOPE0000000000000000000000000000' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await gql(emu, MEETINGS, { token: '' }))).toBe('UNAUTHENTICATED');
    // Tokens are case-sensitive.
    expect(errorCode(await gql(emu, MEETINGS, { token: emu.adminToken.toLowerCase() }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test('the token is also accepted as ?apiToken= on the URL, but not as Authorization: Bearer', async () => {
    const viaUrl = await http(emu, `/api?apiToken=${emu.adminToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MEETINGS }),
    });
    expect(viaUrl.body).toEqual({ data: { meetings: [{ edges: [] }] } });
    const viaBearer = await http(emu, '/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emu.adminToken}` },
      body: JSON.stringify({ query: MEETINGS }),
    });
    expect(errorCode(viaBearer)).toBe('UNAUTHENTICATED');
  });

  test('a revoked token stops working and says so', async () => {
    const host = emu.state.addLogin({ email: 'ana@example.com' });
    expect(names(await gql(emu, MEETINGS, { token: host.apiToken }))).toEqual([]);
    dataOf(
      await gql(emu, `mutation { revokeAPIToken(loginId: ${lit(host.loginId)}) { status } }`),
      'revokeAPIToken',
    );
    const res = await gql(emu, MEETINGS, { token: host.apiToken });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(res.body.errors[0].message).toMatch(/revoked/);
  });

  test('createAPIToken replaces the old token; apiTokenDetails shows the new one', async () => {
    const host = emu.state.addLogin({ email: 'ana@example.com' });
    const res = await gql(
      emu,
      `mutation { createAPIToken(loginId: ${lit(host.loginId)}) { message result status } }`,
    );
    expect(dataOf(res, 'createAPIToken')).toEqual({
      message: 'API token created successfully',
      result: '1',
      status: 'completed',
    });
    expect(errorCode(await gql(emu, MEETINGS, { token: host.apiToken }))).toBe('UNAUTHENTICATED');
    const details = dataOf(
      await gql(
        emu,
        `{ apiTokenDetails(loginId: ${lit(host.loginId)}) { domain apiToken createdAt lastUsed } }`,
      ),
      'apiTokenDetails',
    );
    expect(details).toEqual({
      domain: emu.url,
      apiToken: expect.stringMatching(/^[A-Z0-9]{32}$/),
      createdAt: expect.stringMatching(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      lastUsed: null,
    });
    expect(names(await gql(emu, MEETINGS, { token: details.apiToken }))).toEqual([]);
    const after = dataOf(
      await gql(emu, `{ apiTokenDetails(loginId: ${lit(host.loginId)}) { lastUsed } }`),
      'apiTokenDetails',
    );
    expect(after.lastUsed).toMatch(/\+0000$/);
  });

  test('a deleted login’s token stops working', async () => {
    const host = emu.state.addLogin({ email: 'ana@example.com' });
    dataOf(
      await gql(emu, `mutation { deleteLogin(loginId: ${lit(host.loginId)}) { status } }`),
      'deleteLogin',
    );
    expect(errorCode(await gql(emu, MEETINGS, { token: host.apiToken }))).toBe('UNAUTHENTICATED');
  });

  test('an inactive login’s token is refused', async () => {
    const host = emu.state.addLogin({ email: 'ana@example.com', active: false });
    expect(errorCode(await gql(emu, MEETINGS, { token: host.apiToken }))).toBe('UNAUTHENTICATED');
  });

  test('the admin can revoke its own token, after which it is refused', async () => {
    dataOf(
      await gql(emu, `mutation { revokeAPIToken(loginId: ${lit(emu.adminLoginId)}) { status } }`),
      'revokeAPIToken',
    );
    expect(errorCode(await gql(emu, MEETINGS))).toBe('UNAUTHENTICATED');
  });

  test('apiTokenDetails of a login without a token answers nulls', async () => {
    const host = emu.state.addLogin({ email: 'ana@example.com' });
    dataOf(
      await gql(emu, `mutation { revokeAPIToken(loginId: ${lit(host.loginId)}) { status } }`),
      'revokeAPIToken',
    );
    const details = dataOf(
      await gql(
        emu,
        `{ apiTokenDetails(loginId: ${lit(host.loginId)}) { domain apiToken createdAt lastUsed } }`,
      ),
      'apiTokenDetails',
    );
    expect(details).toEqual({ domain: emu.url, apiToken: null, createdAt: null, lastUsed: null });
  });
});

describe('scoping', () => {
  let ana: { loginId: string; apiToken: string };
  let ben: { loginId: string; apiToken: string };
  let anaMeeting: string;
  let benMeeting: string;

  beforeEach(async () => {
    ana = emu.state.addLogin({ email: 'ana@example.com', fullName: 'Ana' });
    ben = emu.state.addLogin({ email: 'ben@example.com', fullName: 'Ben' });
    anaMeeting = await createMeeting('Ana’s', ana.apiToken);
    benMeeting = await createMeeting('Ben’s', ben.apiToken);
  });

  test('hosts see only their meetings; admins see all', async () => {
    expect(names(await gql(emu, MEETINGS, { token: ana.apiToken }))).toEqual(['Ana’s']);
    expect(names(await gql(emu, MEETINGS, { token: ben.apiToken }))).toEqual(['Ben’s']);
    expect(names(await gql(emu, MEETINGS))).toEqual(['Ana’s', 'Ben’s']);
    expect(emu.state.meetings.get(anaMeeting)?.loginId).toBe(ana.loginId);
  });

  test('a host touching another host’s meeting gets FORBIDDEN, and nothing changes', async () => {
    const ops = [
      `mutation { updateMeeting(input: { meetId: ${lit(anaMeeting)} meetName: "x" }) { status } }`,
      `mutation { endMeeting(meetId: ${lit(anaMeeting)}) { status } }`,
      `mutation { addVerifiedGuest(input: { meetId: ${lit(anaMeeting)} guestName: "g" }) { status } }`,
      `{ getVerifiedGuest(meetId: ${lit(anaMeeting)}) { key } }`,
    ];
    for (const op of ops) expect(errorCode(await gql(emu, op, { token: ben.apiToken }))).toBe('FORBIDDEN');
    const guest = emu.state.addGuest({ meetId: anaMeeting, guestName: 'Guest' });
    expect(
      errorCode(
        await gql(
          emu,
          `mutation { removeVerifiedGuest(key: ${lit(guest.key)}, meetId: ${lit(anaMeeting)}) { status } }`,
          {
            token: ben.apiToken,
          },
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(emu.state.meetings.get(anaMeeting)).toMatchObject({ name: 'Ana’s', endedAt: null });
    expect(emu.state.guestsOf(anaMeeting)).toHaveLength(1);
  });

  test('the owner host and admins may change the meeting', async () => {
    const upd = `mutation { updateMeeting(input: { meetId: ${lit(anaMeeting)} meetName: "renamed" }) { status } }`;
    expect(dataOf(await gql(emu, upd, { token: ana.apiToken }), 'updateMeeting').status).toBe('completed');
    const end = `mutation { endMeeting(meetId: ${lit(benMeeting)}) { status } }`;
    expect(dataOf(await gql(emu, end), 'endMeeting').status).toBe('completed');
  });

  test('admin-only operations are FORBIDDEN to hosts', async () => {
    const ops = [
      '{ logins { edges { node { loginId } } } }',
      `{ apiTokenDetails(loginId: ${lit(ana.loginId)}) { apiToken } }`,
      'mutation { createLogin(input: { email: "new@example.com" }) { status } }',
      `mutation { updateLogin(input: { loginId: ${lit(ana.loginId)} fullName: "x" }) { status } }`,
      `mutation { deleteLogin(loginId: ${lit(ben.loginId)}) { status } }`,
      `mutation { createAPIToken(loginId: ${lit(ana.loginId)}) { status } }`,
      `mutation { revokeAPIToken(loginId: ${lit(ben.loginId)}) { status } }`,
      'mutation { userInvitation(email: "ana@example.com") { status } }',
      `mutation { login(loginId: ${lit(ana.loginId)}) { status } }`,
      `mutation { createMeeting(input: { meetingName: "on behalf" loginId: ${lit(ben.loginId)} }) { status } }`,
    ];
    for (const op of ops) {
      const res = await gql(emu, op, { token: ana.apiToken });
      expect([op, errorCode(res)]).toEqual([op, 'FORBIDDEN']);
    }
    expect(emu.state.logins.size).toBe(3);
    expect(emu.state.meetings.size).toBe(2);
  });

  test('createMeeting with loginId: admins create for that host; a host may name itself', async () => {
    const forBen = await createMeeting('for Ben', emu.adminToken, `loginId: ${lit(ben.loginId)}`);
    expect(emu.state.meetings.get(forBen)?.loginId).toBe(ben.loginId);
    expect(names(await gql(emu, MEETINGS, { token: ben.apiToken }))).toEqual(['Ben’s', 'for Ben']);
    const own = await createMeeting('own', ana.apiToken, `loginId: ${lit(ana.loginId)}`);
    expect(emu.state.meetings.get(own)?.loginId).toBe(ana.loginId);
    const res = await gql(
      emu,
      'mutation { createMeeting(input: { meetingName: "x" loginId: "000000000000000000000000" }) { status } }',
    );
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  test('recordings are filtered for hosts; startRemux and deleteRecording of another host’s are FORBIDDEN', async () => {
    const ra = emu.state.addRecording({ meetId: anaMeeting });
    const rb = emu.state.addRecording({ meetId: benMeeting });
    const list = (token: string) =>
      gql(emu, '{ recordings { recId alId } }', { token }).then((r) => dataOf(r, 'recordings'));
    expect(await list(ana.apiToken)).toEqual([{ recId: ra.recId, alId: ana.loginId }]);
    expect(await list(emu.adminToken)).toHaveLength(2);
    const remux = `{ startRemux(input: { accountId: ${lit(emu.accountId)} loginId: ${lit(rb.alId)} meetId: ${lit(
      rb.meetId,
    )} recordingId: ${lit(rb.recId)} }) { status } }`;
    expect(errorCode(await gql(emu, remux, { token: ana.apiToken }))).toBe('FORBIDDEN');
    const del = `mutation { deleteRecording(recId: ${lit(rb.recId)}, accId: ${lit(emu.accountId)}) { status } }`;
    expect(errorCode(await gql(emu, del, { token: ana.apiToken }))).toBe('FORBIDDEN');
    expect(dataOf(await gql(emu, del, { token: ben.apiToken }), 'deleteRecording').status).toBe('completed');
  });

  test('the request log names the token’s owner', async () => {
    emu.state.clearRequests();
    await gql(emu, MEETINGS, { token: ana.apiToken });
    await gql(emu, MEETINGS, { token: 'unknown-token' });
    expect(emu.state.requests().map((r) => [r.loginId, r.fields, r.errorCodes])).toEqual([
      [ana.loginId, ['meetings'], []],
      [null, ['meetings'], ['UNAUTHENTICATED']],
    ]);
  });
});
