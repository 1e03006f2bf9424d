/** Small HTTP helpers for the emulator's tests (real HTTP through fetch). */
import type { Emulator } from '../../emulator/index.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON, checked with expect()
export type Json = any;

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

async function result(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: Json = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** POSTs a GraphQL document to /api with the admin token (or `token`; null sends none). */
export async function gql(
  emu: Emulator,
  query: string,
  opts: { token?: string | null; variables?: Record<string, unknown>; operationName?: string } = {},
): Promise<HttpResult> {
  const token = opts.token === undefined ? emu.adminToken : opts.token;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.apiToken = token;
  const res = await fetch(`${emu.url}/api`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: opts.variables, operationName: opts.operationName }),
  });
  return result(res);
}

/** Raw request to any path of the emulator. */
export async function http(emu: Emulator, path: string, init: RequestInit = {}): Promise<HttpResult> {
  return result(await fetch(`${emu.url}${path}`, init));
}

/** JSON request to the control API. */
export async function control(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  return http(emu, `/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Asserts a successful GraphQL answer and returns `data[field]`. */
export function dataOf(res: HttpResult, field: string): Json {
  if (res.status !== 200 || res.body?.errors) {
    throw new Error(`expected data, got ${res.status} ${res.text.slice(0, 500)}`);
  }
  return res.body.data[field];
}

/** Asserts a GraphQL error answer (HTTP 200, data null) and returns its first error code. */
export function errorCode(res: HttpResult): string {
  if (res.status !== 200 || !res.body?.errors || res.body.data !== null) {
    throw new Error(`expected a GraphQL error with data null, got ${res.status} ${res.text.slice(0, 500)}`);
  }
  return res.body.errors[0].extensions.code;
}

/** A settable clock for `now`. */
export function clock(start: string | Date) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d: string | Date) => {
      t = new Date(d).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** JSON string literal: safe to put user text inside a GraphQL document in tests. */
export const lit = (s: string): string => JSON.stringify(s);
