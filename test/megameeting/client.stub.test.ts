/**
 * The client against local stand-ins (node:http) for the cases the emulator cannot produce on demand:
 * refused connections, resets, hanging servers, HTML and odd JSON, servers echoing the token.
 */
import pino from 'pino';
import { MegaMeetingClient, type MegaMeetingLogger } from '../../src/megameeting/client.js';
import { MegaMeetingError } from '../../src/megameeting/errors.js';
import { closedPort, html, json, type Stub, sleep, startStub } from './support/stub-server.js';

const TOKEN = 'B834JR9F763JFKJF993JI0FJ4GH67234';
const MEETINGS_OK = { data: { meetings: [{ edges: [{ node: { meetId: '1234567', name: 'A' } }] }] } };
const CREATED = {
  data: {
    createMeeting: {
      message: 'createMeeting() succeeded. New Meet_ID:1234567',
      result: '1234567',
      status: 'completed',
    },
  },
};

let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function client(url: string, opts: Partial<ConstructorParameters<typeof MegaMeetingClient>[0]> = {}) {
  return new MegaMeetingClient({
    baseUrl: url,
    apiToken: TOKEN,
    retryBaseDelayMs: 1,
    timeoutMs: 2_000,
    ...opts,
  });
}

async function failure(p: Promise<unknown>): Promise<MegaMeetingError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MegaMeetingError);
    const err = e as MegaMeetingError;
    // Never the token, wherever the error ends up.
    expect(err.message).not.toContain(TOKEN);
    expect(String(err.stack)).not.toContain(TOKEN);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(JSON.stringify(err.graphqlErrors ?? [])).not.toContain(TOKEN);
    expect(err.serverMessage ?? '').not.toContain(TOKEN);
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('the request', () => {
  test('POSTs JSON to <baseUrl>/api with the token in the apiToken header', async () => {
    stub = await startStub((_req, res) => json(res, 200, MEETINGS_OK));
    await expect(client(`${stub.url}/`).meetings()).resolves.toEqual([{ meetId: '1234567', name: 'A' }]);
    const [req] = stub.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api');
    expect(req?.headers.apitoken).toBe(TOKEN);
    expect(req?.headers['content-type']).toMatch(/application\/json/);
    expect(req?.query?.replace(/\s+/g, ' ')).toBe('{ meetings { edges { node { meetId name } } } }');
    expect(req?.url).not.toContain(TOKEN);
    expect(req?.body).not.toContain(TOKEN);
  });

  test('rejects a missing token or a non-http base URL at construction, without echoing the token', () => {
    expect(() => new MegaMeetingClient({ baseUrl: 'http://x', apiToken: ' ' })).toThrow(/apiToken/);
    expect(() => new MegaMeetingClient({ baseUrl: 'ftp://x', apiToken: TOKEN })).toThrow(/baseUrl/);
    expect.assertions(4);
    try {
      new MegaMeetingClient({ baseUrl: 'nope', apiToken: TOKEN });
    } catch (e) {
      expect(String(e)).toMatch(/baseUrl/);
      expect(String(e)).not.toContain(TOKEN);
    }
  });

  test('the client object does not expose the token', () => {
    const c = client('http://127.0.0.1:1');
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(Object.values(c).join(' ')).not.toContain(TOKEN);
  });
});

describe('success and failure statuses', () => {
  test.each(['completed', 'Completed', 'COMPLETED', '200'])('status %j is a success', async (status) => {
    stub = await startStub((_req, res) =>
      json(res, 200, { data: { endMeeting: { message: 'Meeting ended', result: '1', status } } }),
    );
    await expect(client(stub.url).endMeeting('1234567')).resolves.toEqual({
      message: 'Meeting ended',
      result: '1',
      status,
    });
  });

  test.each([
    ['failed', 'Meeting 1234567 not found', 'not_found'],
    ['error', 'You are not allowed to end this meeting', 'forbidden'],
    ['failed', 'Meeting already ended', 'invalid_input'],
    ['', '', 'invalid_input'],
    ['201', 'Created?', 'invalid_input'],
  ])('status %j with message %j → %s carrying the message', async (status, message, code) => {
    stub = await startStub((_req, res) =>
      json(res, 200, { data: { endMeeting: { message, result: null, status } } }),
    );
    const err = await failure(client(stub.url).endMeeting('1234567'));
    expect(err.code).toBe(code);
    expect(err.operation).toBe('endMeeting');
    expect(err.message).toContain('endMeeting');
    if (message) expect(err.serverMessage).toBe(message);
  });

  test('login accepts status 200 and returns the URL', async () => {
    stub = await startStub((_req, res) =>
      json(res, 200, {
        data: { login: { message: 'success', result: 'https://a.example/?token=t&u=u', status: '200' } },
      }),
    );
    await expect(client(stub.url).login('L1')).resolves.toEqual({
      url: 'https://a.example/?token=t&u=u',
      message: 'success',
    });
  });

  test('createMeeting falls back to the Meet_ID in the message; no ID at all is unexpected', async () => {
    stub = await startStub((_req, res, i) =>
      json(res, 200, {
        data: {
          createMeeting: {
            message: i === 0 ? 'createMeeting() succeeded. New Meet_ID:7654321' : 'ok',
            result: null,
            status: 'completed',
          },
        },
      }),
    );
    await expect(client(stub.url).createMeeting({ meetingName: 'x' })).resolves.toEqual({
      meetId: '7654321',
      message: 'createMeeting() succeeded. New Meet_ID:7654321',
    });
    expect((await failure(client(stub.url).createMeeting({ meetingName: 'x' }))).code).toBe(
      'unexpected_response',
    );
  });

  test('startRemux "Completed" is a success; a failed remux carries the message', async () => {
    stub = await startStub((_req, res, i) =>
      json(res, 200, {
        data: {
          startRemux:
            i === 0
              ? { status: 'Completed', message: 'Remux request made successfully.', result: null }
              : { status: 'Failed', message: 'Recording does not exist', result: null },
        },
      }),
    );
    const input = { accountId: 'a', loginId: 'l', meetId: 'm', recordingId: 'r' };
    await expect(client(stub.url).startRemux(input)).resolves.toMatchObject({ status: 'Completed' });
    const err = await failure(client(stub.url).startRemux(input));
    expect(err.code).toBe('not_found');
    expect(err.serverMessage).toBe('Recording does not exist');
  });
});

describe('GraphQL and HTTP errors', () => {
  test.each([
    [200, 'UNAUTHENTICATED', 'Invalid API token', 'unauthorized'],
    [401, 'UNAUTHENTICATED', 'Invalid API token', 'unauthorized'],
    [200, 'FORBIDDEN', 'logins is only available to admin users', 'forbidden'],
    [200, 'NOT_FOUND', 'Meeting 1 not found', 'not_found'],
    [200, 'BAD_USER_INPUT', 'meetingName must not be empty', 'invalid_input'],
    [400, 'GRAPHQL_VALIDATION_FAILED', 'Cannot query field "x"', 'invalid_input'],
    [400, 'GRAPHQL_PARSE_FAILED', 'Syntax Error', 'invalid_input'],
    [200, undefined, 'Meeting does not exist', 'not_found'],
    [200, undefined, 'Token expired', 'unauthorized'],
    [200, 'INTERNAL_SERVER_ERROR', 'boom', 'unexpected_response'],
    [500, 'INTERNAL_SERVER_ERROR', 'boom', 'unavailable'],
  ])('HTTP %s, extensions.code %s (%j) → %s', async (status, code, message, expected) => {
    stub = await startStub((_req, res) =>
      json(res, status, { errors: [{ message, ...(code ? { extensions: { code } } : {}) }], data: null }),
    );
    const err = await failure(client(stub.url, { retries: 0 }).meetings());
    expect(err.code).toBe(expected);
    expect(err.operation).toBe('meetings');
    expect(err.serverMessage).toBe(message);
    expect(err.graphqlErrors).toEqual([{ message, ...(code ? { code } : {}) }]);
    if (status !== 200) expect(err.httpStatus).toBe(status);
  });

  test('errors alongside data are a failure', async () => {
    stub = await startStub((_req, res) =>
      json(res, 200, { ...MEETINGS_OK, errors: [{ message: 'partial', extensions: { code: 'FORBIDDEN' } }] }),
    );
    expect((await failure(client(stub.url).meetings())).code).toBe('forbidden');
  });

  test.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'unexpected_response'],
    [500, 'unavailable'],
    [502, 'unavailable'],
  ])('plain HTTP %s without a GraphQL body → %s', async (status, code) => {
    stub = await startStub((_req, res) => html(res, status, `<html>${status}</html>`));
    const err = await failure(client(stub.url, { retries: 0 }).meetings());
    expect(err.code).toBe(code);
    expect(err.httpStatus).toBe(status);
    expect(err.message).not.toContain('<html>');
  });

  test('the token echoed by the server (message, URL, JSON) never reaches the error', async () => {
    stub = await startStub((_req, res) =>
      json(res, 200, {
        errors: [
          {
            message: `Invalid API token ${TOKEN} for https://acct.megameeting.com/api?apiToken=${TOKEN}`,
            extensions: { code: 'UNAUTHENTICATED', token: TOKEN },
          },
          { message: `{"apiToken":"${TOKEN}"} ${encodeURIComponent(TOKEN)}` },
        ],
      }),
    );
    const err = await failure(client(stub.url).meetings());
    expect(err.code).toBe('unauthorized');
    expect(err.serverMessage).toContain('[redacted]');
  });

  test('the token in a failed status message never reaches the error', async () => {
    stub = await startStub((_req, res) =>
      json(res, 200, {
        data: {
          revokeAPIToken: { message: `Token ${TOKEN} already revoked`, result: null, status: 'failed' },
        },
      }),
    );
    const err = await failure(client(stub.url).revokeAPIToken('L1'));
    expect(err.serverMessage).toBe('Token [redacted] already revoked');
  });

  test('a guest key echoed in an error about that guest is masked', async () => {
    const key = 'abcdef123456';
    stub = await startStub((_req, res) =>
      json(res, 200, {
        errors: [{ message: `Verified guest ${key} not found`, extensions: { code: 'NOT_FOUND' } }],
      }),
    );
    const err = await failure(client(stub.url).removeVerifiedGuest({ meetId: '1', key }));
    expect(err.code).toBe('not_found');
    expect(err.message).not.toContain(key);
    expect(JSON.stringify(err)).not.toContain(key);
  });

  test('the token in the base URL never reaches an error message', async () => {
    const port = await closedPort();
    const err = await failure(
      client(`http://127.0.0.1:${port}/x?apiToken=${TOKEN}`, { retries: 0 }).meetings(),
    );
    expect(err.code).toBe('unavailable');
  });
});

describe('garbage answers', () => {
  test.each([
    [
      'HTML with 200',
      (res: Parameters<Parameters<typeof startStub>[0]>[1]) =>
        html(res, 200, '<html><body>Login</body></html>'),
    ],
    [
      'truncated JSON',
      (res: Parameters<Parameters<typeof startStub>[0]>[1]) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data": {"meetings": [');
      },
    ],
    ['a JSON array', (res: Parameters<Parameters<typeof startStub>[0]>[1]) => json(res, 200, [1, 2])],
    [
      'JSON of the wrong shape',
      (res: Parameters<Parameters<typeof startStub>[0]>[1]) => json(res, 200, { data: { meetings: 'x' } }),
    ],
    ['no data', (res: Parameters<Parameters<typeof startStub>[0]>[1]) => json(res, 200, { data: null })],
    [
      'an empty body',
      (res: Parameters<Parameters<typeof startStub>[0]>[1]) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end();
      },
    ],
  ])('%s → unexpected_response, not retried', async (_label, answer) => {
    stub = await startStub((_req, res) => answer(res));
    const err = await failure(client(stub.url).meetings());
    expect(err.code).toBe('unexpected_response');
    expect(err.operation).toBe('meetings');
    expect(stub.requests).toHaveLength(1);
  });

  test('HTML error page with 503 → unavailable', async () => {
    stub = await startStub((_req, res) => html(res, 503, '<html>503 Service Temporarily Unavailable</html>'));
    const err = await failure(client(stub.url, { retries: 0 }).meetings());
    expect(err).toMatchObject({ code: 'unavailable', httpStatus: 503 });
  });
});

describe('retries', () => {
  test('a query is retried on 503 and then succeeds', async () => {
    stub = await startStub((_req, res, i) => (i < 2 ? html(res, 503, 'busy') : json(res, 200, MEETINGS_OK)));
    await expect(client(stub.url).meetings()).resolves.toHaveLength(1);
    expect(stub.requests).toHaveLength(3);
  });

  test.each([502, 503, 504])('a query gives up after the configured retries on %s', async (status) => {
    stub = await startStub((_req, res) => html(res, status, 'busy'));
    const err = await failure(client(stub.url, { retries: 2 }).meetings());
    expect(err).toMatchObject({ code: 'unavailable', httpStatus: status, attempts: 3 });
    expect(stub.requests).toHaveLength(3);
  });

  test('a query is not retried on 500 or on a GraphQL error', async () => {
    stub = await startStub((_req, res, i) =>
      i === 0
        ? html(res, 500, 'oops')
        : json(res, 200, { errors: [{ message: 'x', extensions: { code: 'NOT_FOUND' } }] }),
    );
    expect((await failure(client(stub.url).meetings())).code).toBe('unavailable');
    expect((await failure(client(stub.url).meetings())).code).toBe('not_found');
    expect(stub.requests).toHaveLength(2);
  });

  test.each([500, 502, 503, 504])('a mutation is never retried after HTTP %s', async (status) => {
    stub = await startStub((_req, res) => html(res, status, 'busy'));
    const err = await failure(client(stub.url, { retries: 5 }).createMeeting({ meetingName: 'Once' }));
    expect(err.code).toBe('unavailable');
    expect(err.attempts).toBe(1);
    await sleep(50);
    expect(stub.requests).toHaveLength(1);
  });

  test.each([503, 504])(
    'startRemux (a query with a side effect) is never retried after HTTP %s',
    async (status) => {
      stub = await startStub((_req, res) => html(res, status, 'busy'));
      const err = await failure(
        client(stub.url, { retries: 5 }).startRemux({
          accountId: 'acc',
          loginId: 'login',
          meetId: '1234567',
          recordingId: 'rec',
        }),
      );
      expect(err.code).toBe('unavailable');
      expect(err.attempts).toBe(1);
      await sleep(50);
      expect(stub.requests).toHaveLength(1);
    },
  );

  test('a mutation is never retried after a timeout', async () => {
    stub = await startStub(() => {
      // never answers
    });
    const err = await failure(
      client(stub.url, { timeoutMs: 150, retries: 5 }).createMeeting({ meetingName: 'Once' }),
    );
    expect(err.code).toBe('timeout');
    expect(err.attempts).toBe(1);
    await sleep(100);
    expect(stub.requests).toHaveLength(1);
  });

  test('a query times out per attempt and is retried', async () => {
    stub = await startStub((_req, res, i) => {
      if (i >= 2) json(res, 200, MEETINGS_OK);
    });
    const started = Date.now();
    await expect(client(stub.url, { timeoutMs: 150, retries: 2 }).meetings()).resolves.toHaveLength(1);
    expect(stub.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  test('a hanging query ends in timeout after all attempts', async () => {
    stub = await startStub(() => {});
    const err = await failure(client(stub.url, { timeoutMs: 100, retries: 1 }).meetings());
    expect(err).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(stub.requests).toHaveLength(2);
  });

  test('a server that sends headers and then stalls the body is timed out too', async () => {
    stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    const err = await failure(client(stub.url, { timeoutMs: 150, retries: 0 }).meetings());
    expect(err.code).toBe('timeout');
  });

  test('connection refused: queries and mutations are both retried (the server was never reached)', async () => {
    const port = await closedPort();
    let calls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const c = client(`http://127.0.0.1:${port}`, { retries: 2, fetch: countingFetch });
    const q = await failure(c.meetings());
    expect(q).toMatchObject({ code: 'unavailable', attempts: 3 });
    expect(q.message).toMatch(/ECONNREFUSED/);
    expect(calls).toBe(3);
    calls = 0;
    const m = await failure(c.createMeeting({ meetingName: 'x' }));
    expect(m).toMatchObject({ code: 'unavailable', attempts: 3 });
    expect(calls).toBe(3);
  });

  test('a mutation is retried after a refused connection and succeeds once the server is back', async () => {
    let calls = 0;
    const flakyFetch: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      }
      return fetch(input, init);
    };
    stub = await startStub((_req, res) => json(res, 200, CREATED));
    await expect(
      client(stub.url, { fetch: flakyFetch }).createMeeting({ meetingName: 'x' }),
    ).resolves.toEqual({
      meetId: '1234567',
      message: 'createMeeting() succeeded. New Meet_ID:1234567',
    });
    expect(stub.requests).toHaveLength(1);
  });

  test('DNS failure (wrapped in an AggregateError) counts as never reached', async () => {
    let calls = 0;
    const dnsFail: typeof fetch = async () => {
      calls++;
      const inner = Object.assign(new Error('getaddrinfo ENOTFOUND acct.invalid'), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause: new AggregateError([inner], 'all failed') });
    };
    const err = await failure(client('http://acct.invalid', { fetch: dnsFail, retries: 1 }).endMeeting('1'));
    expect(err.code).toBe('unavailable');
    expect(calls).toBe(2);
  });

  test('a connection reset is retried for a query but never for a mutation', async () => {
    stub = await startStub((_req, res) => {
      res.socket?.destroy();
    });
    const q = await failure(client(stub.url, { retries: 2 }).meetings());
    expect(q.code).toBe('unavailable');
    expect(stub.requests).toHaveLength(3);
    stub.requests.length = 0;
    const m = await failure(client(stub.url, { retries: 2 }).createMeeting({ meetingName: 'x' }));
    expect(m).toMatchObject({ code: 'unavailable', attempts: 1 });
    await sleep(50);
    expect(stub.requests).toHaveLength(1);
  });

  test('retries: 0 disables retries', async () => {
    stub = await startStub((_req, res) => html(res, 503, 'busy'));
    await failure(client(stub.url, { retries: 0 }).meetings());
    expect(stub.requests).toHaveLength(1);
  });

  test('backoff grows between attempts', async () => {
    const times: number[] = [];
    stub = await startStub((_req, res) => {
      times.push(Date.now());
      html(res, 503, 'busy');
    });
    await failure(client(stub.url, { retries: 2, retryBaseDelayMs: 60 }).meetings());
    expect(times).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = times;
    expect(b - a).toBeGreaterThanOrEqual(25); // 60 ms × jitter 0.5–1
    expect(c - b).toBeGreaterThanOrEqual(55); // 120 ms × jitter 0.5–1
  });
});

describe('logging', () => {
  test('debug lines name the operation and duration and never carry the token or the data', async () => {
    const lines: { obj: Record<string, unknown>; msg?: string }[] = [];
    const logger: MegaMeetingLogger = {
      debug: (obj, msg) =>
        lines.push({ obj: obj as Record<string, unknown>, ...(msg === undefined ? {} : { msg }) }),
    };
    stub = await startStub((_req, res, i) => (i === 0 ? html(res, 503, 'x') : json(res, 200, MEETINGS_OK)));
    await client(stub.url, { logger }).meetings();
    expect(lines).toHaveLength(2);
    expect(lines[0]?.obj).toMatchObject({
      operation: 'meetings',
      attempt: 1,
      outcome: 'unavailable',
      willRetry: true,
    });
    expect(lines[1]?.obj).toMatchObject({ operation: 'meetings', attempt: 2, outcome: 'ok' });
    expect(typeof lines[1]?.obj.durationMs).toBe('number');
    const text = JSON.stringify(lines);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('1234567');
  });

  test('accepts a pino logger', async () => {
    const chunks: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => chunks.push(s) });
    stub = await startStub((_req, res) => json(res, 200, MEETINGS_OK));
    await client(stub.url, { logger }).meetings();
    expect(chunks.join('')).toContain('"operation":"meetings"');
    expect(chunks.join('')).not.toContain(TOKEN);
  });
});
