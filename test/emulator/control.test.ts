/** The control API (/_emulator/), injected faults and latency. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { control, dataOf, errorCode, gql, http } from './helpers.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
});
afterEach(async () => {
  await emu.close();
});

const MEETINGS = '{ meetings { edges { node { meetId name } } } }';

describe('control API', () => {
  test('logins: the returned token acts as that host', async () => {
    const res = await control(emu, 'POST', '/logins', {
      email: 'ana@example.com',
      fullName: 'Ana',
      roles: ['host'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      loginId: expect.stringMatching(/^[0-9a-f]{24}$/),
      apiToken: expect.stringMatching(/^[A-Z0-9]{32}$/),
      userName: 'ana',
    });
    const created = await gql(emu, 'mutation { createMeeting(input: { meetingName: "Ana’s" }) { result } }', {
      token: res.body.apiToken,
    });
    expect(emu.state.meetings.get(dataOf(created, 'createMeeting').result)?.loginId).toBe(res.body.loginId);
    expect(
      errorCode(await gql(emu, '{ logins { edges { node { loginId } } } }', { token: res.body.apiToken })),
    ).toBe('FORBIDDEN');
    const admin = await control(emu, 'POST', '/logins', {
      email: 'boss@example.com',
      roles: ['admin', 'host'],
    });
    expect(
      dataOf(
        await gql(emu, '{ logins { edges { node { loginId } } } }', { token: admin.body.apiToken }),
        'logins',
      )[0].edges,
    ).toHaveLength(3);
  });

  test('bad bodies answer 400 with a message; duplicates and unknown IDs too', async () => {
    expect((await control(emu, 'POST', '/logins', { email: 'x@example.com', roles: ['king'] })).status).toBe(
      400,
    );
    expect((await control(emu, 'POST', '/logins', {})).body.error).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/email/),
    });
    expect((await control(emu, 'POST', '/logins', { email: 'nope' })).body.error.code).toBe('BAD_USER_INPUT');
    await control(emu, 'POST', '/logins', { email: 'x@example.com' });
    expect((await control(emu, 'POST', '/logins', { email: 'X@example.com' })).status).toBe(400);
    const notJson = await http(emu, '/_emulator/logins', { method: 'POST', body: '{email:' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('BAD_REQUEST');
    const unknownMeeting = await control(emu, 'POST', '/recordings', { meetId: '1234567' });
    expect(unknownMeeting.status).toBe(404);
    expect(unknownMeeting.body.error.code).toBe('NOT_FOUND');
    expect((await control(emu, 'POST', '/faults', { mode: 'explode' })).status).toBe(400);
    expect((await control(emu, 'POST', '/latency', { ms: -1 })).status).toBe(400);
    expect((await control(emu, 'POST', '/recordings/nope/fail')).status).toBe(404);
  });

  test('meetings, guests, recordings (one, bulk), fail, complete', async () => {
    const m = await control(emu, 'POST', '/meetings', {
      name: 'Seeded',
      requireVerification: true,
      meetId: '1234567',
    });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({
      meetId: '1234567',
      name: 'Seeded',
      loginId: emu.adminLoginId,
      ended: false,
    });
    expect(m.body.options.requireVerification).toBe(true);
    expect((await control(emu, 'POST', '/meetings', { name: 'dup', meetId: '1234567' })).status).toBe(400);
    const bad = await control(emu, 'POST', '/meetings', { name: 'x', scheduledDateTime: 'tomorrow' });
    expect(bad.body.error.code).toBe('BAD_USER_INPUT');

    const g = await control(emu, 'POST', '/guests', {
      meetId: '1234567',
      guestName: 'Pat',
      permissions: ['chat'],
    });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({
      guestName: 'Pat',
      permissions: ['chat'],
      meetingLink: `${emu.url}/meeting/?key=${g.body.key}`,
    });

    const r = await control(emu, 'POST', '/recordings', {
      meetId: '1234567',
      title: 'Custom',
      createdAt: '2021-02-08T10:50:20Z',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      meetId: '1234567',
      remuxStatus: 'waiting',
      recPlay: null,
      recCreateDateTime: 'Feb 8, 2021 10:50:20',
    });
    expect(r.body.recPackage).toMatch(/-Custom-02-08-2021-10-50-20\.mp4$/);
    const failed = await control(emu, 'POST', `/recordings/${r.body.recId}/fail`);
    expect(failed.body).toMatchObject({ recId: r.body.recId, remuxStatus: 'failed', recPlay: null });
    const done = await control(emu, 'POST', `/recordings/${r.body.recId}/complete`);
    expect(done.body).toMatchObject({
      remuxStatus: 'completed',
      recPlay: expect.stringMatching(/^videoplayer\//),
    });

    const bulk = await control(emu, 'POST', '/recordings/bulk', { meetId: '1234567', count: 250 });
    expect(bulk.status).toBe(201);
    expect(bulk.body.count).toBe(250);
    expect(dataOf(await gql(emu, '{ recordings { recId } }'), 'recordings')).toHaveLength(251);
  });

  test('state shows everything, including ended meetings and tokens', async () => {
    const ana = emu.state.addLogin({ email: 'ana@example.com' });
    const m = emu.state.addMeeting({ name: 'Gone', loginId: ana.loginId });
    await gql(emu, `mutation { endMeeting(meetId: "${m.meetId}") { status } }`);
    const state = await control(emu, 'GET', '/state');
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      accountId: emu.accountId,
      adminLoginId: emu.adminLoginId,
      baseUrl: emu.url,
      meetings: [expect.objectContaining({ meetId: m.meetId, ended: true, loginId: ana.loginId })],
      tokens: expect.arrayContaining([
        expect.objectContaining({ token: emu.adminToken, loginId: emu.adminLoginId }),
        expect.objectContaining({ token: ana.apiToken, loginId: ana.loginId }),
      ]),
    });
    expect(state.body.logins).toHaveLength(2);
  });

  test('reset keeps the owner and admin token and clears the rest', async () => {
    emu.state.addLogin({ email: 'ana@example.com' });
    emu.state.addMeeting({ name: 'm' });
    emu.state.setLatency(5);
    emu.state.injectFaults('error500', 3);
    const res = await control(emu, 'POST', '/reset');
    expect(res.body).toEqual({ ok: true, adminToken: emu.adminToken, adminLoginId: emu.adminLoginId });
    expect(emu.state.meetings.size).toBe(0);
    expect(emu.state.logins.size).toBe(1);
    expect(emu.state.faults).toEqual([]);
    expect(emu.state.latencyMs).toBe(0);
    expect(dataOf(await gql(emu, MEETINGS), 'meetings')).toEqual([{ edges: [] }]);
    expect(emu.state.requests()).toHaveLength(1);
  });

  test('requests log: operation fields, owner, status; cleared by DELETE', async () => {
    await gql(emu, MEETINGS);
    await gql(
      emu,
      'mutation M { a: createMeeting(input: { meetingName: "x" }) { status } endMeeting(meetId: "1") { status } }',
    );
    await gql(emu, '{ nope }');
    const log = await control(emu, 'GET', '/requests');
    expect(log.body).toEqual([
      expect.objectContaining({
        operationType: 'query',
        fields: ['meetings'],
        loginId: emu.adminLoginId,
        httpStatus: 200,
        errorCodes: [],
        fault: null,
        method: 'POST',
      }),
      expect.objectContaining({
        operationType: 'mutation',
        operationName: 'M',
        fields: ['createMeeting', 'endMeeting'],
        httpStatus: 200,
        errorCodes: ['NOT_FOUND'],
      }),
      expect.objectContaining({
        fields: ['nope'],
        httpStatus: 400,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      }),
    ]);
    expect(new Date(log.body[0].at).getTime()).not.toBeNaN();
    expect((await control(emu, 'DELETE', '/requests')).status).toBe(200);
    expect((await control(emu, 'GET', '/requests')).body).toEqual([]);
  });

  test('meetings/:meetId/end ends a meeting as its host would', async () => {
    const ana = emu.state.addLogin({ email: 'ana@example.com' });
    const m = emu.state.addMeeting({ name: 'x', loginId: ana.loginId });
    const res = await control(emu, 'POST', `/meetings/${m.meetId}/end`);
    expect(res.body).toMatchObject({ meetId: m.meetId, ended: true });
    expect(dataOf(await gql(emu, MEETINGS), 'meetings')).toEqual([{ edges: [] }]);
    expect((await control(emu, 'POST', `/meetings/${m.meetId}/end`)).status).toBe(404);
    expect((await control(emu, 'POST', '/meetings/9999999/end')).status).toBe(404);
  });

  test('config changes remuxDelayMs and licenses', async () => {
    const res = await control(emu, 'POST', '/config', { remuxDelayMs: 123, licenses: 7 });
    expect(res.body).toEqual({ remuxDelayMs: 123, licenses: 7 });
    expect(emu.state.remuxDelayMs).toBe(123);
  });

  test('unknown endpoints 404, wrong methods 405', async () => {
    expect((await control(emu, 'GET', '/nope')).status).toBe(404);
    expect((await control(emu, 'GET', '/reset')).status).toBe(405);
    expect((await control(emu, 'PUT', '/state')).status).toBe(405);
  });
});

describe('faults', () => {
  test('error500 for the next N requests, then normal again; logged', async () => {
    await control(emu, 'POST', '/faults', { mode: 'error500', count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await gql(emu, MEETINGS);
      expect(res.status).toBe(500);
      expect(res.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    }
    expect((await gql(emu, MEETINGS)).status).toBe(200);
    expect(emu.state.requests().map((r) => r.fault)).toEqual(['error500', 'error500', null]);
  });

  test('status503 answers an HTML 503', async () => {
    emu.state.injectFaults('status503');
    const res = await gql(emu, MEETINGS);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body).toBeNull();
  });

  test('garbage answers 200 application/json that is not JSON', async () => {
    emu.state.injectFaults('garbage');
    const res = await fetch(`${emu.url}/api`, {
      method: 'POST',
      headers: { apiToken: emu.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify({ query: MEETINGS }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    await expect(res.json()).rejects.toThrow();
  });

  test('hang never answers until the client gives up; the next request is served', async () => {
    emu.state.injectFaults('hang', 1);
    const hung = fetch(`${emu.url}/api`, {
      method: 'POST',
      headers: { apiToken: emu.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify({ query: MEETINGS }),
      signal: AbortSignal.timeout(150),
    });
    await expect(hung).rejects.toThrow();
    expect((await gql(emu, MEETINGS)).status).toBe(200);
  });

  test('close() ends hanging requests', async () => {
    emu.state.injectFaults('hang', 1);
    const hung = fetch(`${emu.url}/api`, {
      method: 'POST',
      headers: { apiToken: emu.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify({ query: MEETINGS }),
    });
    // Wait until the emulator has taken the request (no sleeping on the wall clock).
    while (emu.state.faults.length > 0) await new Promise((r) => setImmediate(r));
    await emu.close();
    await expect(hung).rejects.toThrow();
  });

  test('faults queue in order and do not touch the control API or pages', async () => {
    emu.state.injectFaults('status503', 1);
    emu.state.injectFaults('error500', 1);
    expect((await control(emu, 'GET', '/state')).status).toBe(200);
    expect((await http(emu, '/')).status).toBe(200);
    expect((await gql(emu, MEETINGS)).status).toBe(503);
    expect((await gql(emu, MEETINGS)).status).toBe(500);
    expect((await gql(emu, MEETINGS)).status).toBe(200);
    await control(emu, 'POST', '/faults', { mode: 'error500', count: 5 });
    await control(emu, 'DELETE', '/faults');
    expect((await gql(emu, MEETINGS)).status).toBe(200);
  });

  test('latency delays /api answers (lower bound only)', async () => {
    await control(emu, 'POST', '/latency', { ms: 120 });
    const started = performance.now();
    expect((await gql(emu, MEETINGS)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await control(emu, 'POST', '/latency', { ms: 0 });
    expect(emu.state.latencyMs).toBe(0);
  });

  test('answer latency: the operation is carried out at once, only its answer waits; other operations are not slowed', async () => {
    const slow = await control(emu, 'POST', '/answer-latency', { operation: 'createMeeting', ms: 60_000 });
    expect(slow.body).toEqual({ answerLatency: { createMeeting: 60_000 } });
    const started = performance.now();
    const answer = gql(emu, 'mutation { createMeeting(input: { meetingName: "Late answer" }) { result } }');
    const settled = answer.then(
      () => 'answered',
      () => 'dropped',
    );
    // The meeting exists while its answer is still on its way.
    for (let i = 0; i < 500 && emu.state.meetings.size === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect([...emu.state.meetings.values()].map((m) => m.name)).toEqual(['Late answer']);
    expect((await gql(emu, MEETINGS)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect((await control(emu, 'POST', '/answer-latency', { operation: 'x', ms: -1 })).status).toBe(400);
    await emu.close();
    // close() drops the pending answer: the client sees the connection end, never the meeting ID.
    expect(await settled).toBe('dropped');
    emu = await startEmulator({ remuxDelayMs: 0 });
  });
});
