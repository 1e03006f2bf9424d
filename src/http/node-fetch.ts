/**
 * A `fetch` for the app's outgoing API calls (MegaMeeting's GraphQL, Slack's Web API) on node:http(s) with
 * keep-alive agents. Node's global fetch (undici) feeds every answer through web streams and builds its
 * whole fetch-algorithm state per request: measured on this machine (20 concurrent small JSON POSTs to a
 * local server, docs/benchmarks.md "Fifth round") 415 µs of CPU and 79 KB allocated per request, against
 * 210 µs and 37 KB here. The answer is read whole into a Buffer and handed back as a real `Response`, so
 * graphql-request and WebClient read it as they would fetch's.
 *
 * What it keeps of fetch's behaviour: an aborted signal rejects with the signal's reason (AbortError,
 * TimeoutError); a network failure rejects with `TypeError('fetch failed')` whose `cause` is Node's error
 * (with its `code`: ECONNREFUSED, ECONNRESET, …); `redirect: 'error'` rejects on a 3xx, `'manual'` returns it,
 * `'follow'` (the default) follows up to 20 as fetch does (303, and 301/302 after a POST, become a GET without
 * a body), but only within the same origin: fetch would carry custom headers such as MegaMeeting's `apiToken`
 * to another host, so a redirect elsewhere fails instead. Anything it does not handle (a `Request` object, a streamed or multipart body, a scheme other
 * than http/https) goes to the global fetch unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Idle sockets are closed after this (or 1 s before the server's own `Keep-Alive: timeout=`, if sooner). */
const IDLE_SOCKET_MS = 4_000;
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Statuses whose Response must have a null body (the Response constructor throws otherwise). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

export interface NodeFetchOptions {
  /** Most sockets per origin; unlimited by default, as with fetch. */
  maxSocketsPerOrigin?: number;
  /** Idle keep-alive sockets are closed after this; default IDLE_SOCKET_MS. */
  idleSocketMs?: number;
}

type Body = string | Buffer | undefined;

/** The request body as bytes, or null when it is a kind this transport leaves to the global fetch. */
function plainBody(body: RequestInit['body']): { body: Body; type?: string } | null {
  if (body === undefined || body === null) return { body: undefined };
  if (typeof body === 'string') return { body, type: 'text/plain;charset=UTF-8' };
  // Tag and isView rather than instanceof: both hold for objects of another realm (jest's VM context).
  if (Object.prototype.toString.call(body) === '[object URLSearchParams]') {
    return { body: String(body), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (ArrayBuffer.isView(body)) return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  return null;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const agentOptions = {
    keepAlive: true,
    timeout: options.idleSocketMs ?? IDLE_SOCKET_MS,
    maxSockets: options.maxSocketsPerOrigin ?? Number.POSITIVE_INFINITY,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);

  /** One HTTP exchange, the answer read whole. */
  function exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Body,
    signal: AbortSignal | null | undefined,
  ): Promise<{ res: IncomingMessage; data: Buffer }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const https = url.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(url, {
        method,
        headers,
        agent: https ? httpsAgent : httpAgent,
      });
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      function onAbort() {
        fail(abortReason(signal as AbortSignal));
        req.destroy();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => fail(fetchFailed(error)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(fetchFailed(error)));
        res.on('aborted', () =>
          fail(fetchFailed(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))),
        );
        res.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve({ res, data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
        });
      });
      req.end(body);
    });
  }

  async function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    // A URL has `href`, a Request has `url`: a Request (with its own body and signal) goes to the global fetch.
    const target = typeof input === 'string' ? input : 'href' in input ? input.href : null;
    const first = target === null ? null : new URL(target);
    const sent = plainBody(init.body);
    if (sent === null || first === null || (first.protocol !== 'http:' && first.protocol !== 'https:')) {
      return globalThis.fetch(input, init);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init.headers)) headers[name] = value;
    headers.accept ??= '*/*';
    headers['user-agent'] ??= 'node';
    if (sent.type !== undefined) headers['content-type'] ??= sent.type;

    let url = first;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = sent.body;
    for (let redirects = 0; ; redirects++) {
      if (body === undefined) delete headers['content-length'];
      else headers['content-length'] = String(Buffer.byteLength(body));
      const { res, data } = await exchange(url, method, headers, body, init.signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      const mode = init.redirect ?? 'follow';
      if (REDIRECT_STATUSES.has(status) && location !== undefined && mode !== 'manual') {
        if (mode === 'error') throw fetchFailed(new Error(`unexpected redirect (HTTP ${status})`));
        if (redirects >= MAX_REDIRECTS) throw fetchFailed(new Error('redirect count exceeded'));
        const next = new URL(location, url);
        if (next.origin !== url.origin)
          throw fetchFailed(new Error('redirect to another origin not followed'));
        url = next;
        if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        continue;
      }
      const responseHeaders = new Headers();
      const raw = res.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2)
        responseHeaders.append(raw[i] as string, raw[i + 1] as string);
      return new Response(NULL_BODY_STATUSES.has(status) || method === 'HEAD' ? null : data, {
        status,
        statusText: res.statusMessage ?? '',
        headers: responseHeaders,
      });
    }
  }
  return nodeFetch;
}

/** The process's one instance: its agents pool connections across every client that uses it. */
export const nodeFetch: typeof fetch = createNodeFetch();
