/**
 * Hostile input never crashes the emulator and never runs more than was asked: hostile strings round-trip
 * verbatim as meeting and guest names; malformed bodies, huge bodies, odd methods and odd GraphQL answer
 * clean errors.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type Emulator, MAX_BODY_BYTES, startEmulator } from '../../emulator/index.js';
import { dataOf, errorCode, gql, http, lit } from './helpers.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
});
afterEach(async () => {
  await emu.close();
});

const HOSTILE = [
  'He said "hi"',
  "it's",
  'back\\slash \\" \\n',
  'line one\nline two\r\n\ttabbed',
  '") { status } } mutation { deleteLogin(loginId: "x") { status } }',
  '"""block""" # not a comment',
  '😀 emoji 👩🏽‍💻 and 中文',
  '\u0000\u0001 controls \u001f',
  '<script>alert(1)</script>',
  'x'.repeat(10_000),
];

async function alive(): Promise<void> {
  const res = await gql(emu, '{ meetings { edges { node { meetId } } } }');
  expect(res.status).toBe(200);
}

describe('hostile strings round-trip verbatim', () => {
  test.each(HOSTILE.map((s) => [s.length > 60 ? `${s.slice(0, 20)}… (${s.length} chars)` : s, s]))(
    'meeting and guest name %j',
    async (_label, name) => {
      emu.state.clearRequests();
      const created = await gql(
        emu,
        `mutation { createMeeting(input: { meetingName: ${lit(name)} }) { result status } }`,
      );
      const meetId = dataOf(created, 'createMeeting').result;
      const listed = dataOf(await gql(emu, '{ meetings { edges { node { meetId name } } } }'), 'meetings');
      expect(listed[0].edges).toEqual([{ node: { meetId, name } }]);

      // Also through variables.
      const viaVars = await gql(
        emu,
        'mutation ($n: String!) { createMeeting(input: { meetingName: $n }) { result } }',
        {
          variables: { n: name },
        },
      );
      expect(emu.state.meetings.get(dataOf(viaVars, 'createMeeting').result)?.name).toBe(name);

      await gql(
        emu,
        `mutation { addVerifiedGuest(input: { meetId: ${lit(meetId)} guestName: ${lit(name)} }) { status } }`,
      );
      const guests = dataOf(
        await gql(emu, `{ getVerifiedGuest(meetId: ${lit(meetId)}) { guestName } }`),
        'getVerifiedGuest',
      );
      expect(guests).toEqual([{ guestName: name }]);

      await gql(
        emu,
        `mutation { updateMeeting(input: { meetId: ${lit(meetId)} meetName: ${lit(`${name}!`)} }) { status } }`,
      );
      expect(emu.state.meetings.get(meetId)?.name).toBe(`${name}!`);

      // Only what was asked ran.
      expect(emu.state.requests().map((r) => r.fields)).toEqual([
        ['createMeeting'],
        ['meetings'],
        ['createMeeting'],
        ['addVerifiedGuest'],
        ['getVerifiedGuest'],
        ['updateMeeting'],
      ]);
      expect(emu.state.logins.size).toBe(1);
    },
  );

  test('an injection attempt concatenated into a document is a parse error, not a second operation', async () => {
    const evil = '") { status } } mutation { deleteLogin(loginId: "x") { status } }';
    const res = await gql(emu, `mutation { createMeeting(input: { meetingName: "${evil}" }) { status } }`);
    expect(res.status).toBe(400);
    expect(emu.state.meetings.size).toBe(0);
  });
});

describe('malformed requests', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    http(emu, '/api', {
      method: 'POST',
      headers: { apiToken: emu.adminToken, 'content-type': 'application/json', ...headers },
      body,
    });

  test.each([
    ['not JSON', '{query: meetings'],
    ['empty', ''],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"{ meetings { edges { node { meetId } } } }"'],
    ['an array (batch)', '[{"query":"{ meetings { edges { node { meetId } } } }"}]'],
    ['no query', '{}'],
    ['query not a string', '{"query": 5}'],
    ['blank query', '{"query": "   "}'],
    ['variables not an object', '{"query": "{ meetings { edges { node { meetId } } } }", "variables": [1]}'],
    [
      'operationName not a string',
      '{"query": "{ meetings { edges { node { meetId } } } }", "operationName": 1}',
    ],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')],
  ])('%s → 400 BAD_REQUEST', async (_label, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    await alive();
  });

  test('GraphQL that does not parse → 400 GRAPHQL_PARSE_FAILED', async () => {
    for (const q of [
      '{',
      'query { meetings { edges { node { meetId } } }',
      '}}}}',
      'mutation { createMeeting(input: { meetingName: "unterminated }) { status } }',
    ]) {
      const res = await gql(emu, q);
      expect([q, res.status, res.body.errors[0].extensions.code]).toEqual([q, 400, 'GRAPHQL_PARSE_FAILED']);
      expect(res.body.data).toBeUndefined();
    }
  });

  test('unknown fields, arguments and types → 400 GRAPHQL_VALIDATION_FAILED', async () => {
    for (const q of [
      '{ meetings { id } }',
      '{ nope }',
      'mutation { createMeeting(input: { meetingName: "x", bogus: 1 }) { status } }',
      'mutation { createMeeting(meetingName: "x") { status } }',
      'mutation { endMeeting(meetId: "1") }',
      'subscription { meetings { edges { node { meetId } } } }',
    ]) {
      const res = await gql(emu, q);
      expect([q, res.status, res.body.errors[0].extensions.code]).toEqual([
        q,
        400,
        'GRAPHQL_VALIDATION_FAILED',
      ]);
    }
  });

  test('variables that do not coerce → 400 BAD_USER_INPUT; nothing runs', async () => {
    const res = await gql(
      emu,
      'mutation ($n: String!) { createMeeting(input: { meetingName: $n }) { status } }',
      {
        variables: { n: { evil: true } },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const missing = await gql(
      emu,
      'mutation ($n: String!) { createMeeting(input: { meetingName: $n }) { status } }',
    );
    expect(missing.status).toBe(400);
    expect(emu.state.meetings.size).toBe(0);
  });

  test('several operations need operationName; only the chosen one runs', async () => {
    const doc =
      'query A { meetings { edges { node { meetId } } } } mutation B { createMeeting(input: { meetingName: "b" }) { status } }';
    const none = await gql(emu, doc);
    expect(none.status).toBe(400);
    expect(none.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await gql(emu, doc, { operationName: 'C' })).status).toBe(400);
    expect(dataOf(await gql(emu, doc, { operationName: 'A' }), 'meetings')).toEqual([{ edges: [] }]);
    expect(emu.state.meetings.size).toBe(0);
    expect(dataOf(await gql(emu, doc, { operationName: 'B' }), 'createMeeting').status).toBe('completed');
  });

  test('a mutation document stops at the first failing field', async () => {
    const res = await gql(
      emu,
      'mutation { a: endMeeting(meetId: "1") { status } b: createMeeting(input: { meetingName: "later" }) { status } }',
    );
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(emu.state.meetings.size).toBe(0);
  });

  test('bodies over 1 MB → 413; the server keeps serving', async () => {
    const big = JSON.stringify({
      query: `{ meetings { edges { node { meetId } } } } # ${'x'.repeat(MAX_BODY_BYTES)}`,
    });
    const res = await post(big);
    expect(res.status).toBe(413);
    await alive();
    const control = await http(emu, '/_emulator/logins', {
      method: 'POST',
      body: 'x'.repeat(MAX_BODY_BYTES + 10),
    });
    expect(control.status).toBe(413);
    await alive();
  });

  test('absurdly deep or long queries answer 400, not a crash', async () => {
    const deep = `{ meetings ${'{ edges '.repeat(20_000)}${'}'.repeat(20_001)}`;
    const res = await gql(emu, deep);
    expect(res.status).toBe(400);
    const many = `{ ${'meetings { edges { node { meetId } } } '.repeat(3_000)} }`;
    expect([200, 400]).toContain((await gql(emu, many)).status);
    await alive();
  });

  test('methods: GET queries work, GET mutations 405, other methods 405', async () => {
    const q = encodeURIComponent('{ meetings { edges { node { meetId } } } }');
    const get = await http(emu, `/api?query=${q}`, { headers: { apiToken: emu.adminToken } });
    expect(get.body).toEqual({ data: { meetings: [{ edges: [] }] } });
    const getToken = await http(emu, `/api?query=${q}&apiToken=${emu.adminToken}`);
    expect(getToken.status).toBe(200);
    const m = encodeURIComponent('mutation { createMeeting(input: { meetingName: "x" }) { status } }');
    expect((await http(emu, `/api?query=${m}`, { headers: { apiToken: emu.adminToken } })).status).toBe(405);
    expect(emu.state.meetings.size).toBe(0);
    expect((await http(emu, '/api', { headers: { apiToken: emu.adminToken } })).status).toBe(400);
    expect(
      (await http(emu, `/api?query=${q}&variables=%7B`, { headers: { apiToken: emu.adminToken } })).status,
    ).toBe(400);
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await http(emu, '/api', { method, headers: { apiToken: emu.adminToken } });
      expect([method, res.status]).toEqual([method, 405]);
    }
  });

  test('application/graphql bodies are accepted', async () => {
    const res = await post('{ meetings { edges { node { meetId } } } }', {
      'content-type': 'application/graphql',
    });
    expect(res.body).toEqual({ data: { meetings: [{ edges: [] }] } });
  });

  test('introspection works with a token', async () => {
    const res = await gql(
      emu,
      '{ __schema { mutationType { fields { name } } queryType { fields { name } } } }',
    );
    const s = dataOf(res, '__schema');
    expect(s.queryType.fields.map((f: { name: string }) => f.name).sort()).toEqual(
      ['apiTokenDetails', 'getVerifiedGuest', 'logins', 'meetings', 'recordings', 'startRemux'].sort(),
    );
    expect(s.mutationType.fields).toHaveLength(14);
    expect(errorCode(await gql(emu, '{ __schema { types { name } } }', { token: null }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test('odd URLs and raw sockets do not crash it', async () => {
    const statuses: string[] = [];
    for (const path of [
      '/meeting/?id=%E0%A4%A',
      '/getweb?recordingkey=%',
      '/videoplayer/?key=&session=',
      '//api',
      '/%2e%2e/',
    ]) {
      const res = await http(emu, path);
      statuses.push(`${path} ${res.status}`);
    }
    // Bad escapes are a plain 404; `//api` and `/%2e%2e/` resolve to real pages. Never a 500.
    expect(statuses).toEqual([
      '/meeting/?id=%E0%A4%A 404',
      '/getweb?recordingkey=% 404',
      '/videoplayer/?key=&session= 404',
      '//api 200',
      '/%2e%2e/ 200',
    ]);
    const { connect } = await import('node:net');
    const port = Number(new URL(emu.url).port);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('GARBAGE / NOT-HTTP\r\n\r\n'));
      socket.on('data', () => {});
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await alive();
  });
});
