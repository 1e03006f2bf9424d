import { ErrorCode } from '@slack/web-api';

/**
 * Slack Web API failures, sorted by what they say about the call's effect (the basis of "never send twice"):
 * - `answered`: Slack answered (`ok:false`, or a 429): the call did nothing and may be sent again.
 * - `not_sent`: the request never left this process's host (connection refused, DNS): sending again is safe.
 * - `maybe`: Slack may have acted on it (a timeout, a reset connection, a proxy's 5xx): a send is looked up
 *   before it is sent again, never re-sent blind.
 */
export type SlackDelivery = 'answered' | 'not_sent' | 'maybe';

export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly retryAfterSeconds?: number,
    readonly delivery: SlackDelivery = 'answered',
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackCallError';
  }
}

/** Socket errors raised before a request is written: the connection was never made. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | null {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : null;
}

/**
 * True when fetch failed while connecting: its cause (or every attempt of an AggregateError, as with
 * happy-eyeballs over IPv4 and IPv6) carries a connect-time code.
 */
export function failedBeforeSending(original: unknown): boolean {
  const cause = asErrorLike(asErrorLike(original)?.cause);
  if (!cause) return false;
  if (typeof cause.code === 'string' && NOT_SENT_CODES.has(cause.code)) return true;
  const attempts = Array.isArray(cause.errors) ? cause.errors : [];
  return (
    attempts.length > 0 &&
    attempts.every((a) => {
      const code = asErrorLike(a)?.code;
      return typeof code === 'string' && NOT_SENT_CODES.has(code);
    })
  );
}

/** WebClient's error → SlackCallError with Slack's code and what it says about delivery. */
export function toSlackCallError(method: string, err: unknown): SlackCallError {
  if (err instanceof SlackCallError) return err;
  const e = err as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    original?: unknown;
  } | null;
  if (e?.code === ErrorCode.RateLimitedError)
    return new SlackCallError(method, 'ratelimited', e.retryAfter ?? 1, 'answered');
  if (e?.code === ErrorCode.PlatformError && e.data?.error)
    return new SlackCallError(method, e.data.error, undefined, 'answered');
  if (e?.code === ErrorCode.HTTPError) return new SlackCallError(method, 'http_error', undefined, 'maybe');
  if (e?.code === ErrorCode.RequestError) {
    return failedBeforeSending(e.original)
      ? new SlackCallError(method, 'connect_failed', undefined, 'not_sent')
      : new SlackCallError(method, 'request_error', undefined, 'maybe');
  }
  return new SlackCallError(method, 'unknown_error', undefined, 'maybe');
}

/** A failure after which the call may have taken effect at Slack. */
export function mayHaveReachedSlack(err: unknown): err is SlackCallError {
  return err instanceof SlackCallError && err.delivery === 'maybe';
}
