// Over 300 lines on purpose: the transport (auth, timeouts, retries that know which calls have side effects)
// and the error mapping of one client.
/**
 * The MegaMeeting GraphQL client: one typed method per documented operation (types.ts, `MegaMeetingApi`).
 *
 * - Operations are graphql-js ASTs printed by `print()` (operations.ts); no user text is concatenated.
 * - The API token travels in the `apiToken` HTTP header and never appears in an error message or log line.
 * - Every response is validated with zod (schemas.ts) and returned as plain data.
 * - Every request has a timeout (AbortController). Queries are retried with exponential backoff on transient
 *   failures; a mutation is retried only when the request provably never reached the server (connection
 *   refused, DNS failure, connect timeout), so a retry can never create a second meeting.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import type { z } from 'zod';
import { nodeFetch } from '../http/node-fetch.js';
import { publishMegaMeetingCall } from '../metrics/probes.js';
import { sleep } from '../util/async.js';
import {
  codeForFailedStatus,
  codeFromGraphQLCode,
  codeFromHttpStatus,
  codeFromMessage,
  MegaMeetingError,
  type MegaMeetingGraphQLError,
  redactSecrets,
} from './errors.js';
import { type Operation, type OperationName, operations, printOperation } from './operations.js';
import { dataSchemas, describeIssues, graphqlErrorSchema, isSuccessStatus } from './schemas.js';
import type {
  AddVerifiedGuestInput,
  ApiTokenDetails,
  CreateLoginInput,
  CreateMeetingInput,
  Login,
  Meeting,
  MegaMeetingApi,
  MegaMeetingErrorCode,
  MutationResult,
  Recording,
  StartRemuxInput,
  UpdateLoginInput,
  UpdateMeetingInput,
  UpdateVerifiedGuestInput,
  VerifiedGuest,
} from './types.js';
import { apiUrl, normalizeBaseUrl } from './urls.js';

/** The subset of a pino logger the client uses. A pino `Logger` fits as is. */
export interface MegaMeetingLogger {
  debug(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
}

export interface MegaMeetingClientOptions {
  /** The account URL, e.g. `https://myaccount.megameeting.com`; GraphQL is at `<baseUrl>/api`. */
  baseUrl: string;
  /** Sent as the `apiToken` HTTP header. */
  apiToken: string;
  /** Per HTTP attempt. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * Extra attempts after a transient failure. Default 2. Queries use them on connection refused/reset, DNS
   * failures, HTTP 502/503/504 and timeouts; mutations only when the request never reached the server.
   */
  retries?: number;
  /** First backoff delay; doubled per retry, with jitter, capped at 5 s. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Debug lines with the operation, attempt, duration and outcome (never the token, query or data). */
  logger?: MegaMeetingLogger;
  /** Defaults to `nodeFetch` (node:http with keep-alive; leaner than the global fetch, see node-fetch.ts). */
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 5_000;

/** Network error codes raised before a connection existed: the request cannot have reached the server. */
const NEVER_REACHED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Network error codes after which a query may be retried (the connection broke, possibly mid-request). */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  ...NEVER_REACHED_CODES,
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const RETRYABLE_HTTP_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** Why one HTTP attempt failed, before it becomes a MegaMeetingError. */
interface Failure {
  code: MegaMeetingErrorCode;
  detail: string;
  httpStatus?: number;
  serverMessage?: string;
  graphqlErrors?: MegaMeetingGraphQLError[];
  /** A query may be retried after this. */
  transient: boolean;
  /** The request provably never reached the server: even a mutation may be retried. */
  neverReached: boolean;
}

type Outcome = { ok: true; data: unknown } | { ok: false; failure: Failure };

type DataOf<N extends OperationName> = z.output<(typeof dataSchemas)[N]>;

/** Walks `cause` chains and AggregateErrors (undici wraps socket errors: `TypeError: fetch failed`). */
function networkCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    queue.push((e as { cause?: unknown }).cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}

function isAbortError(error: unknown): boolean {
  return (
    error !== null &&
    typeof error === 'object' &&
    ((error as { name?: unknown }).name === 'AbortError' ||
      (error as { name?: unknown }).name === 'TimeoutError')
  );
}

/** Queries (as documented) that change something on the server. */
const SIDE_EFFECT_QUERIES: ReadonlySet<string> = new Set(['startRemux']);

export class MegaMeetingClient implements MegaMeetingApi {
  /** The account URL without trailing slash. */
  readonly baseUrl: string;
  /** `<baseUrl>/api` */
  readonly endpoint: string;
  readonly #apiToken: string;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryBaseDelayMs: number;
  readonly #logger: MegaMeetingLogger | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: MegaMeetingClientOptions) {
    const baseUrl = normalizeBaseUrl(options.baseUrl ?? '');
    if (!/^https?:\/\/[^\s/]+/i.test(baseUrl))
      throw new TypeError('MegaMeetingClient: baseUrl must be an http(s) URL');
    if (typeof options.apiToken !== 'string' || options.apiToken.trim() === '') {
      throw new TypeError('MegaMeetingClient: apiToken is required');
    }
    const nonNegative = (v: number | undefined, fallback: number) =>
      v === undefined || !Number.isFinite(v) || v < 0 ? fallback : v;
    this.baseUrl = baseUrl;
    this.endpoint = apiUrl(baseUrl);
    this.#apiToken = options.apiToken.trim();
    this.#timeoutMs = nonNegative(options.timeoutMs, DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;
    this.#retries = Math.floor(nonNegative(options.retries, DEFAULT_RETRIES));
    this.#retryBaseDelayMs = nonNegative(options.retryBaseDelayMs, DEFAULT_RETRY_BASE_DELAY_MS);
    this.#logger = options.logger;
    this.#fetch = options.fetch ?? nodeFetch;
  }

  // -------------------------------------------------------------------------------------------------------
  // Queries

  async meetings(): Promise<Meeting[]> {
    return (await this.#run('meetings', operations.meetings())).meetings;
  }

  async logins(): Promise<Login[]> {
    return (await this.#run('logins', operations.logins())).logins;
  }

  async recordings(): Promise<Recording[]> {
    const { items, dropped } = (await this.#run('recordings', operations.recordings())).recordings;
    if (dropped > 0) {
      this.#logger?.warn?.(
        { operation: 'recordings', dropped },
        'MegaMeeting sent recordings that do not parse; skipped them',
      );
    }
    return items;
  }

  /** A query (as documented); fails unless the returned `status` is a success. */
  async startRemux(input: StartRemuxInput): Promise<MutationResult> {
    const data = await this.#run('startRemux', operations.startRemux(input));
    return this.#checkStatus('startRemux', data.startRemux);
  }

  /** The login's API token and its dates; `not_found` when the login has no token. */
  async apiTokenDetails(loginId: string): Promise<ApiTokenDetails> {
    const details = (await this.#run('apiTokenDetails', operations.apiTokenDetails(loginId))).apiTokenDetails;
    if (details === null) {
      throw new MegaMeetingError({
        code: 'not_found',
        operation: 'apiTokenDetails',
        detail: 'the login has no API token',
      });
    }
    return details;
  }

  /** The documented `getVerifiedGuest` query. Keys and links are secrets: show them only to their guest. */
  async getVerifiedGuests(meetId: string): Promise<VerifiedGuest[]> {
    return (await this.#run('getVerifiedGuest', operations.getVerifiedGuest(meetId))).getVerifiedGuest;
  }

  // -------------------------------------------------------------------------------------------------------
  // Mutations

  async createMeeting(input: CreateMeetingInput): Promise<{ meetId: string; message: string }> {
    const data = await this.#run('createMeeting', operations.createMeeting(input));
    const result = this.#checkStatus('createMeeting', data.createMeeting);
    const meetId = result.result?.trim() || /Meet_ID\s*:\s*(\d+)/i.exec(result.message)?.[1];
    if (!meetId) {
      throw new MegaMeetingError({
        code: 'unexpected_response',
        operation: 'createMeeting',
        detail: 'the response carried no meeting ID',
      });
    }
    return { meetId, message: result.message };
  }

  async updateMeeting(input: UpdateMeetingInput): Promise<MutationResult> {
    return this.#mutation('updateMeeting', operations.updateMeeting(input));
  }

  async endMeeting(meetId: string): Promise<MutationResult> {
    return this.#mutation('endMeeting', operations.endMeeting(meetId));
  }

  async addVerifiedGuest(input: AddVerifiedGuestInput): Promise<MutationResult> {
    return this.#mutation('addVerifiedGuest', operations.addVerifiedGuest(input));
  }

  async updateVerifiedGuest(input: UpdateVerifiedGuestInput): Promise<MutationResult> {
    return this.#mutation('updateVerifiedGuest', operations.updateVerifiedGuest(input), [input.key]);
  }

  async removeVerifiedGuest(input: { meetId: string; key: string }): Promise<MutationResult> {
    return this.#mutation('removeVerifiedGuest', operations.removeVerifiedGuest(input), [input.key]);
  }

  /** Without `roles` the login is created as a host (`roles: { host: true }`), as the documentation advises. */
  async createLogin(input: CreateLoginInput): Promise<{ loginId: string; message: string }> {
    const result = await this.#mutation('createLogin', operations.createLogin(input), [input.password]);
    const loginId = result.result?.trim();
    if (!loginId) {
      throw new MegaMeetingError({
        code: 'unexpected_response',
        operation: 'createLogin',
        detail: 'the response carried no loginId',
      });
    }
    return { loginId, message: result.message };
  }

  async updateLogin(input: UpdateLoginInput): Promise<MutationResult> {
    return this.#mutation('updateLogin', operations.updateLogin(input));
  }

  async deleteLogin(loginId: string): Promise<MutationResult> {
    return this.#mutation('deleteLogin', operations.deleteLogin(loginId));
  }

  async createAPIToken(loginId: string): Promise<MutationResult> {
    return this.#mutation('createAPIToken', operations.createAPIToken(loginId));
  }

  async revokeAPIToken(loginId: string): Promise<MutationResult> {
    return this.#mutation('revokeAPIToken', operations.revokeAPIToken(loginId));
  }

  async userInvitation(email: string): Promise<MutationResult> {
    return this.#mutation('userInvitation', operations.userInvitation(email));
  }

  /** A one-time sign-in URL (a secret: it logs the user in). */
  async login(loginId: string): Promise<{ url: string; message: string }> {
    const result = await this.#mutation('login', operations.login(loginId));
    const url = result.result?.trim();
    if (!url) {
      throw new MegaMeetingError({
        code: 'unexpected_response',
        operation: 'login',
        detail: 'the response carried no URL',
      });
    }
    return { url, message: result.message };
  }

  async deleteRecording(input: { recId: string; accId: string }): Promise<MutationResult> {
    return this.#mutation('deleteRecording', operations.deleteRecording(input));
  }

  // -------------------------------------------------------------------------------------------------------
  // Machinery

  async #mutation<N extends Exclude<OperationName, 'meetings' | 'logins' | 'recordings'>>(
    name: N,
    op: Operation,
    secrets: (string | undefined)[] = [],
  ): Promise<MutationResult> {
    const data = (await this.#run(name, op, secrets)) as Record<string, MutationResult>;
    return this.#checkStatus(name, data[name] as MutationResult, secrets);
  }

  /** Success = `status` reads as success (design.md, reading 6); else a failure carrying the server message. */
  #checkStatus(
    operation: OperationName,
    result: MutationResult,
    secrets: (string | undefined)[] = [],
  ): MutationResult {
    if (isSuccessStatus(result.status)) return result;
    const serverMessage = this.#redact(result.message, secrets);
    throw new MegaMeetingError({
      code: codeForFailedStatus(result.message),
      operation,
      detail: `status "${this.#redact(result.status, secrets).slice(0, 40)}"`,
      ...(serverMessage ? { serverMessage } : {}),
    });
  }

  #redact(text: string, secrets: (string | undefined)[] = []): string {
    return redactSecrets(text, [this.#apiToken, ...secrets]);
  }

  /** Sends the operation (retrying as allowed) and returns its validated `data`. */
  async #run<N extends OperationName>(
    name: N,
    op: Operation,
    secrets: (string | undefined)[] = [],
  ): Promise<DataOf<N>> {
    const query = printOperation(op);
    const maxAttempts = 1 + this.#retries;
    const began = performance.now();
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const outcome = await this.#attempt(query, secrets);
      const durationMs = Date.now() - started;

      let failure: Failure;
      if (outcome.ok) {
        const parsed = dataSchemas[name].safeParse(outcome.data);
        if (parsed.success) {
          this.#logger?.debug(
            { operation: name, type: op.type, attempt, durationMs, outcome: 'ok' },
            'megameeting call',
          );
          publishMegaMeetingCall({ operation: name, durationMs: performance.now() - began, outcome: 'ok' });
          return parsed.data as DataOf<N>;
        }
        failure = {
          code: 'unexpected_response',
          detail:
            outcome.data === null || outcome.data === undefined
              ? 'the response had no data'
              : describeIssues(parsed.error),
          transient: false,
          neverReached: false,
        };
      } else {
        failure = outcome.failure;
      }

      // startRemux is a query by the documentation, but it starts work on the server: retry it only like a
      // mutation, when the request provably never arrived, so one recording is never processed twice.
      const hasSideEffect = op.type === 'mutation' || SIDE_EFFECT_QUERIES.has(name);
      const retryable = hasSideEffect ? failure.neverReached : failure.transient;
      const willRetry = retryable && attempt < maxAttempts;
      this.#logger?.debug(
        {
          operation: name,
          type: op.type,
          attempt,
          durationMs,
          outcome: failure.code,
          httpStatus: failure.httpStatus,
          willRetry,
        },
        'megameeting call failed',
      );
      if (!willRetry) {
        publishMegaMeetingCall({
          operation: name,
          durationMs: performance.now() - began,
          outcome: failure.code,
        });
        throw new MegaMeetingError({
          code: failure.code,
          operation: name,
          detail: failure.detail,
          ...(failure.serverMessage === undefined ? {} : { serverMessage: failure.serverMessage }),
          ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
          ...(failure.graphqlErrors === undefined ? {} : { graphqlErrors: failure.graphqlErrors }),
          attempts: attempt,
        });
      }
      const exp = Math.min(MAX_RETRY_DELAY_MS, this.#retryBaseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.round(exp * (0.5 + Math.random() / 2)));
    }
  }

  /** One HTTP attempt with its own timeout. Never throws: every failure is classified. */
  async #attempt(query: string, secrets: (string | undefined)[]): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);

    // Records whether the server answered at all, to tell network failures from bad answers.
    const probe: { responded: boolean; status?: number; fetchError?: unknown } = { responded: false };
    const innerFetch = this.#fetch;
    const probedFetch: typeof fetch = async (input, init) => {
      try {
        const response = await innerFetch(input, init);
        probe.responded = true;
        probe.status = response.status;
        return response;
      } catch (error) {
        probe.fetchError = error;
        throw error;
      }
    };

    const client = new GraphQLClient(this.endpoint, {
      headers: { apiToken: this.#apiToken },
      fetch: probedFetch,
      errorPolicy: 'all',
    });

    try {
      const response = await client.rawRequest<unknown>({ query, signal: controller.signal });
      if (response.errors && response.errors.length > 0) {
        return { ok: false, failure: this.#graphqlFailure(response.errors, response.status, secrets) };
      }
      return { ok: true, data: response.data };
    } catch (error) {
      return { ok: false, failure: this.#classify(error, timedOut, probe, secrets) };
    } finally {
      clearTimeout(timer);
    }
  }

  #classify(
    error: unknown,
    timedOut: boolean,
    probe: { responded: boolean; status?: number; fetchError?: unknown },
    secrets: (string | undefined)[],
  ): Failure {
    if (timedOut || isAbortError(error)) {
      return {
        code: 'timeout',
        detail: `no answer within ${this.#timeoutMs} ms`,
        ...(probe.status === undefined ? {} : { httpStatus: probe.status }),
        transient: true,
        neverReached: false,
      };
    }
    if (error instanceof ClientError) {
      const status = error.response.status;
      const errors = error.response.errors;
      if (Array.isArray(errors) && errors.length > 0) return this.#graphqlFailure(errors, status, secrets);
      const code =
        codeFromHttpStatus(status) ??
        (status === 400 || status === 422 ? 'invalid_input' : 'unexpected_response');
      return {
        code,
        detail: status === 404 ? `no GraphQL endpoint at ${this.#redact(this.endpoint)}` : `HTTP ${status}`,
        httpStatus: status,
        transient: RETRYABLE_HTTP_STATUSES.has(status),
        neverReached: false,
      };
    }
    if (!probe.responded) {
      // fetch itself failed: no HTTP response. `code` tells whether a connection was ever made.
      const netCode = networkCode(probe.fetchError ?? error);
      if (netCode !== undefined) {
        return {
          code: 'unavailable',
          detail: `${NETWORK_TEXT[netCode] ?? 'network error'} (${netCode})`,
          transient: TRANSIENT_NETWORK_CODES.has(netCode),
          neverReached: NEVER_REACHED_CODES.has(netCode),
        };
      }
      return {
        code: 'unavailable',
        detail: probe.fetchError === undefined ? 'the request could not be sent' : 'network error',
        transient: false,
        neverReached: false,
      };
    }
    // The server answered, but reading or parsing the body failed.
    const netCode = networkCode(error);
    if (netCode !== undefined && TRANSIENT_NETWORK_CODES.has(netCode)) {
      return {
        code: 'unavailable',
        detail: `the connection broke while reading the answer (${netCode})`,
        ...(probe.status === undefined ? {} : { httpStatus: probe.status }),
        transient: true,
        neverReached: false,
      };
    }
    const status = probe.status;
    if (status !== undefined && status >= 500) {
      return {
        code: 'unavailable',
        detail: 'the server answered with an error page',
        httpStatus: status,
        transient: RETRYABLE_HTTP_STATUSES.has(status),
        neverReached: false,
      };
    }
    return {
      code: 'unexpected_response',
      detail: 'the answer was not a GraphQL JSON response',
      ...(status === undefined ? {} : { httpStatus: status }),
      transient: false,
      neverReached: false,
    };
  }

  /** GraphQL `errors` (HTTP 2xx or not) → failure. Codes first, then the HTTP status, then the message. */
  #graphqlFailure(
    rawErrors: readonly unknown[],
    httpStatus: number,
    secrets: (string | undefined)[],
  ): Failure {
    const graphqlErrors: MegaMeetingGraphQLError[] = rawErrors.slice(0, 10).map((raw) => {
      const parsed = graphqlErrorSchema.safeParse(raw);
      if (!parsed.success) return { message: '' };
      const code = parsed.data.extensions?.code;
      return {
        message: this.#redact(parsed.data.message, secrets).slice(0, 500),
        ...(typeof code === 'string' ? { code } : {}),
      };
    });
    const fromCodes = graphqlErrors.map((e) => codeFromGraphQLCode(e.code)).find((c) => c !== undefined);
    const ok = httpStatus >= 200 && httpStatus < 300;
    const fromStatus = ok ? undefined : codeFromHttpStatus(httpStatus);
    const firstMessage = graphqlErrors.find((e) => e.message !== '')?.message;
    const fromMessage = codeFromMessage(firstMessage);
    const code: MegaMeetingErrorCode =
      fromCodes ??
      fromStatus ??
      fromMessage ??
      (httpStatus === 400 || httpStatus === 422 ? 'invalid_input' : 'unexpected_response');
    return {
      code,
      detail: 'MegaMeeting returned an error',
      ...(ok ? {} : { httpStatus }),
      ...(firstMessage === undefined ? {} : { serverMessage: firstMessage }),
      graphqlErrors,
      transient: fromCodes === undefined && RETRYABLE_HTTP_STATUSES.has(httpStatus),
      neverReached: false,
    };
  }
}
