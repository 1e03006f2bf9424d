/**
 * The node:http transport behind the MegaMeeting client and the Slack WebClient (src/http/node-fetch.ts) against
 * real local servers: what fetch's callers rely on (bodies, headers, statuses, abort reasons, network error
 * codes, redirects), keep-alive, and that the app's clients really use it instead of the global fetch.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, jest, test } from '@jest/globals';
import { createNodeFetch, nodeFetch } from '../../src/http/node-fetch.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import { createSlackWebClient } from '../../src/slack/gateway.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Local {
  url: string;
  seen: Seen[];
  connections: number;
  server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: (req: Seen, res: ServerResponse) => void): Promise<Local> {
  const local: Local = { url: '', seen: [], connections: 0, server: createServer() };
  local.server.on('connection', () => local.connections++);
  local.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      local.seen.push(seen);
      handler(seen, res);
    });
  });
  servers.push(local.server);
  await new Promise<void>((r) => local.server.listen(0, '127.0.0.1', r));
  local.url = `http://127.0.0.1:${(local.server.address() as AddressInfo).port}`;
  return local;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

test('sends method, headers and body; returns status, headers and body as a Response', async () => {
  const local = await serve((_req, res) => {
    res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-one': 'a' });
    res.end('{"ok":true}');
  });
  const res = await nodeFetch(`${local.url}/api?x=1`, {
    method: 'post',
    headers: new Headers({ apiToken: 'T', 'Content-Type': 'application/json' }),
    body: '{"query":"{ a }"}',
  });
  expect(res).toBeInstanceOf(Response);
  expect({ status: res.status, ok: res.ok, statusText: res.statusText }).toEqual({
    status: 201,
    ok: true,
    statusText: 'Made',
  });
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('x-one')).toBe('a');
  expect(await res.json()).toEqual({ ok: true });
  expect(local.seen[0]).toMatchObject({ method: 'POST', url: '/api?x=1', body: '{"query":"{ a }"}' });
  expect(local.seen[0]?.headers).toMatchObject({
    apitoken: 'T',
    'content-type': 'application/json',
    'content-length': '17',
    accept: '*/*',
  });
});

test('form bodies, bytes and no body at all', async () => {
  const local = await serve((req, res) =>
    res.end(`${req.method} ${req.headers['content-type']} ${req.body}`),
  );
  const form = await nodeFetch(local.url, { method: 'POST', body: new URLSearchParams({ a: '1 2' }) });
  expect(await form.text()).toBe('POST application/x-www-form-urlencoded;charset=UTF-8 a=1+2');
  const bytes = await nodeFetch(local.url, { method: 'PUT', body: Buffer.from('héllo') });
  expect(await bytes.text()).toBe('PUT undefined héllo');
  expect(local.seen[1]?.headers['content-length']).toBe('6');
  const get = await nodeFetch(new URL(local.url));
  expect(await get.text()).toBe('GET undefined ');
});

test('error statuses are answers, not failures; 204 has no body', async () => {
  const local = await serve((req, res) => {
    res.statusCode = req.url === '/none' ? 204 : 503;
    res.end(req.url === '/none' ? undefined : '<html>busy</html>');
  });
  const busy = await nodeFetch(`${local.url}/busy`);
  expect([busy.status, busy.ok, await busy.text()]).toEqual([503, false, '<html>busy</html>']);
  const none = await nodeFetch(`${local.url}/none`);
  expect([none.status, none.body]).toEqual([204, null]);
});

test('keeps connections alive across requests, and closes them once idle', async () => {
  const local = await serve((_req, res) => res.end('x'));
  const f = createNodeFetch({ idleSocketMs: 100 });
  for (let i = 0; i < 3; i++) expect(await (await f(local.url)).text()).toBe('x');
  expect(local.connections).toBe(1);
  await new Promise((r) => setTimeout(r, 300));
  const open = await new Promise<number>((r) => local.server.getConnections((_e, n) => r(n)));
  expect(open).toBe(0);
});

test('a slow answer is not cut by the idle timeout', async () => {
  const local = await serve((_req, res) => setTimeout(() => res.end('late'), 250));
  const f = createNodeFetch({ idleSocketMs: 50 });
  expect(await (await f(local.url)).text()).toBe('late');
});

test('an aborted signal rejects with its reason, before or during the request', async () => {
  const local = await serve(() => {
    // never answers
  });
  const already = AbortSignal.abort();
  expect(await rejection(nodeFetch(local.url, { signal: already }))).toMatchObject({ name: 'AbortError' });
  expect(local.seen).toHaveLength(0);
  const timedOut = await rejection(nodeFetch(local.url, { signal: AbortSignal.timeout(50) }));
  expect(timedOut).toMatchObject({ name: 'TimeoutError' });
});

test('a stalled body is aborted too', async () => {
  const local = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data":');
  });
  const err = await rejection(nodeFetch(local.url, { signal: AbortSignal.timeout(100) }));
  expect(err).toMatchObject({ name: 'TimeoutError' });
});

test('network failures are TypeError("fetch failed") with Node\'s error, and its code, as the cause', async () => {
  const local = await serve(() => {});
  const closedUrl = local.url;
  const s = servers.pop() as Server;
  await new Promise((r) => s.close(r));
  const refused = await rejection(nodeFetch(closedUrl));
  expect(refused).toBeInstanceOf(TypeError);
  expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });

  const reset = await serve((_req, res) => res.socket?.destroy());
  expect(await rejection(nodeFetch(reset.url))).toMatchObject({
    message: 'fetch failed',
    cause: { code: 'ECONNRESET' },
  });

  const cut = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"da');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  expect(await rejection(nodeFetch(cut.url))).toMatchObject({
    message: 'fetch failed',
    cause: { code: 'ECONNRESET' },
  });
});

test('redirects: followed within the origin (303 and POST-after-302 become GET), refused across origins, or as asked', async () => {
  const other = await serve((_req, res) => res.end('elsewhere'));
  const local = await serve((req, res) => {
    if (req.url === '/303') res.writeHead(303, { location: '/target' }).end();
    else if (req.url === '/307') res.writeHead(307, { location: '/target' }).end();
    else if (req.url === '/away') res.writeHead(302, { location: `${other.url}/` }).end();
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else res.end(`${req.method} ${req.url} ${req.body}`);
  });
  const post = { method: 'POST', body: 'b', headers: { apiToken: 'T' } };
  expect(await (await nodeFetch(`${local.url}/303`, post)).text()).toBe('GET /target ');
  expect(await (await nodeFetch(`${local.url}/307`, post)).text()).toBe('POST /target b');
  expect(local.seen.at(-1)?.headers.apitoken).toBe('T');
  expect(await rejection(nodeFetch(`${local.url}/away`, post))).toMatchObject({ message: 'fetch failed' });
  expect(other.seen).toHaveLength(0);
  expect(await rejection(nodeFetch(`${local.url}/307`, { redirect: 'error' }))).toBeInstanceOf(TypeError);
  const manual = await nodeFetch(`${local.url}/307`, { redirect: 'manual' });
  expect([manual.status, manual.headers.get('location')]).toEqual([307, '/target']);
  expect(await rejection(nodeFetch(`${local.url}/loop`))).toMatchObject({ message: 'fetch failed' });
});

test('what it does not handle (a Request, multipart) goes to the global fetch', async () => {
  const local = await serve((req, res) => res.end(req.headers['content-type']?.split(';')[0]));
  const spy = jest.spyOn(globalThis, 'fetch');
  const form = new FormData();
  form.append('a', '1');
  expect(await (await nodeFetch(local.url, { method: 'POST', body: form })).text()).toBe(
    'multipart/form-data',
  );
  expect(spy).toHaveBeenCalledTimes(1);
  await nodeFetch(new Request(local.url));
  expect(spy).toHaveBeenCalledTimes(2);
});

test('the MegaMeeting client and the Slack WebClient do not go through the global fetch', async () => {
  const local = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      req.url === '/api'
        ? JSON.stringify({ data: { meetings: [{ edges: [{ node: { meetId: '1', name: 'A' } }] }] } })
        : JSON.stringify({ ok: true, user_id: 'U1' }),
    );
  });
  const spy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('the global fetch was used'));
  const mm = new MegaMeetingClient({ baseUrl: local.url, apiToken: 'T', retries: 0 });
  await expect(mm.meetings()).resolves.toEqual([{ meetId: '1', name: 'A' }]);
  const slack = createSlackWebClient('xoxb-1', { apiUrl: `${local.url}/slack/` });
  await expect(slack.auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U1' });
  expect(spy).not.toHaveBeenCalled();
  expect(local.seen.map((s) => s.url)).toEqual(['/api', '/slack/auth.test']);
});
