import { ErrorCode } from '@slack/web-api';
import {
  failedBeforeSending,
  mayHaveReachedSlack,
  SlackCallError,
  toSlackCallError,
} from '../../src/slack/call-errors.js';

/** A fetch failure as undici reports it: a TypeError whose cause carries the socket error. */
function fetchFailure(cause: unknown): Error {
  return Object.assign(new TypeError('fetch failed'), { cause });
}
const socketError = (code: string) => Object.assign(new Error(code), { code });

describe('failedBeforeSending', () => {
  test.each([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EADDRNOTAVAIL',
    'UND_ERR_CONNECT_TIMEOUT',
  ])('%s happens while connecting: nothing was sent', (code) => {
    expect(failedBeforeSending(fetchFailure(socketError(code)))).toBe(true);
  });

  test.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT'])(
    '%s may come after the request was written',
    (code) => {
      expect(failedBeforeSending(fetchFailure(socketError(code)))).toBe(false);
    },
  );

  test('every attempt of an AggregateError failing to connect: nothing was sent', () => {
    const both = new AggregateError([socketError('ECONNREFUSED'), socketError('EHOSTUNREACH')]);
    expect(failedBeforeSending(fetchFailure(both))).toBe(true);
  });

  test('one attempt of an AggregateError that may have connected: maybe sent', () => {
    const mixed = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNRESET')]);
    expect(failedBeforeSending(fetchFailure(mixed))).toBe(false);
    const notAnError = new AggregateError([socketError('ECONNREFUSED'), 'ECONNREFUSED']);
    expect(failedBeforeSending(fetchFailure(notAnError))).toBe(false);
  });

  test('an AggregateError without attempts, a code that is not a string, no cause: maybe sent', () => {
    expect(failedBeforeSending(fetchFailure(new AggregateError([])))).toBe(false);
    expect(failedBeforeSending(fetchFailure({ code: 111 }))).toBe(false);
    expect(failedBeforeSending(fetchFailure({ errors: 'ECONNREFUSED' }))).toBe(false);
    expect(failedBeforeSending(fetchFailure('ECONNREFUSED'))).toBe(false);
    expect(failedBeforeSending(new Error('no cause'))).toBe(false);
    expect(failedBeforeSending(null)).toBe(false);
    expect(failedBeforeSending('ECONNREFUSED')).toBe(false);
  });

  test('the code is read from the cause, not from the error itself', () => {
    expect(failedBeforeSending(socketError('ECONNREFUSED'))).toBe(false);
  });
});

describe('toSlackCallError', () => {
  test('a rate limit: answered, with its wait (one second when Slack gives none)', () => {
    const err = toSlackCallError('chat.update', { code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(err).toBeInstanceOf(SlackCallError);
    expect(err).toMatchObject({
      method: 'chat.update',
      code: 'ratelimited',
      retryAfterSeconds: 7,
      delivery: 'answered',
      name: 'SlackCallError',
      message: 'Slack chat.update failed: ratelimited',
    });
    expect(toSlackCallError('x', { code: ErrorCode.RateLimitedError }).retryAfterSeconds).toBe(1);
  });

  test("Slack's own error code: answered", () => {
    const err = toSlackCallError('views.open', {
      code: ErrorCode.PlatformError,
      data: { error: 'expired_trigger_id' },
    });
    expect(err).toMatchObject({ code: 'expired_trigger_id', delivery: 'answered' });
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  test('a platform error without a code is not trusted as answered', () => {
    expect(toSlackCallError('m', { code: ErrorCode.PlatformError, data: {} })).toMatchObject({
      code: 'unknown_error',
      delivery: 'maybe',
    });
  });

  test('an HTTP error (a proxy 5xx): maybe delivered', () => {
    expect(toSlackCallError('m', { code: ErrorCode.HTTPError })).toMatchObject({
      code: 'http_error',
      delivery: 'maybe',
    });
  });

  test('a request error: not sent when connecting failed, maybe otherwise', () => {
    const refused = { code: ErrorCode.RequestError, original: fetchFailure(socketError('ECONNREFUSED')) };
    expect(toSlackCallError('m', refused)).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
    const reset = { code: ErrorCode.RequestError, original: fetchFailure(socketError('ECONNRESET')) };
    expect(toSlackCallError('m', reset)).toMatchObject({ code: 'request_error', delivery: 'maybe' });
  });

  test('anything else: unknown, maybe delivered; a SlackCallError passes through as it is', () => {
    expect(toSlackCallError('m', new Error('boom'))).toMatchObject({
      code: 'unknown_error',
      delivery: 'maybe',
    });
    expect(toSlackCallError('m', null)).toMatchObject({ code: 'unknown_error', delivery: 'maybe' });
    const own = new SlackCallError('chat.postMessage', 'channel_not_found');
    expect(toSlackCallError('other.method', own)).toBe(own);
  });

  test('a SlackCallError is answered unless told otherwise', () => {
    expect(new SlackCallError('m', 'c').delivery).toBe('answered');
  });
});

describe('mayHaveReachedSlack', () => {
  test('only a SlackCallError whose delivery is maybe', () => {
    expect(mayHaveReachedSlack(new SlackCallError('m', 'c', undefined, 'maybe'))).toBe(true);
    expect(mayHaveReachedSlack(new SlackCallError('m', 'c', undefined, 'not_sent'))).toBe(false);
    expect(mayHaveReachedSlack(new SlackCallError('m', 'c'))).toBe(false);
    expect(mayHaveReachedSlack({ delivery: 'maybe' })).toBe(false);
  });
});
