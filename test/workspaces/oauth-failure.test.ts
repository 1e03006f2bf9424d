/**
 * Which failure page an OAuth error gets (src/workspaces/oauth.ts `failureOf`), as a pure table: the query's
 * `error=access_denied` wins over any code, @slack/oauth's state codes are one page, Slack's own error is kept.
 */
import type { IncomingMessage } from 'node:http';
import { failureOf } from '../../src/workspaces/oauth.js';

const req = (url?: string) => ({ url }) as IncomingMessage;
const CALLBACK = '/slack/oauth_redirect?code=c0de&state=s.t';

test.each([
  [
    'a cancel on Slack',
    { code: 'slack_oauth_missing_code' },
    '/slack/oauth_redirect?error=access_denied&state=s.t',
    { kind: 'cancelled', slackError: undefined },
  ],
  [
    'a cancel, whatever the error',
    { code: 'slack_oauth_invalid_state', data: { error: 'x' } },
    '/slack/oauth_redirect?state=s&error=access_denied',
    { kind: 'cancelled', slackError: 'x' },
  ],
  [
    'another error in the query is not a cancel',
    { code: 'slack_oauth_missing_code' },
    '/slack/oauth_redirect?error=invalid_scope',
    { kind: 'missing_code', slackError: undefined },
  ],
  [
    'an invalid state',
    { code: 'slack_oauth_invalid_state' },
    CALLBACK,
    { kind: 'bad_state', slackError: undefined },
  ],
  [
    'a missing state (no cookie)',
    { code: 'slack_oauth_missing_state' },
    CALLBACK,
    { kind: 'bad_state', slackError: undefined },
  ],
  [
    'a missing code',
    { code: 'slack_oauth_missing_code' },
    '/slack/oauth_redirect?state=s.t',
    { kind: 'missing_code', slackError: undefined },
  ],
  [
    'Slack refusing the code',
    { code: 'slack_webapi_platform_error', data: { error: 'invalid_code' } },
    CALLBACK,
    { kind: 'slack_refused', slackError: 'invalid_code' },
  ],
  [
    'a Slack error beside a state code is the state page, and keeps the error',
    { code: 'slack_oauth_invalid_state', data: { error: 'invalid_code' } },
    CALLBACK,
    { kind: 'bad_state', slackError: 'invalid_code' },
  ],
  ['anything else', { code: 'ECONNRESET' }, CALLBACK, { kind: 'unexpected', slackError: undefined }],
  ['no code at all', {}, CALLBACK, { kind: 'unexpected', slackError: undefined }],
  ['an empty Slack error', { data: { error: '' } }, CALLBACK, { kind: 'unexpected', slackError: '' }],
])('%s', (_case, error, url, expected) => {
  expect(failureOf(error, req(url))).toEqual(expected);
});

test('a request without a URL is read as no query', () => {
  expect(failureOf({ code: 'slack_oauth_missing_code' }, req(undefined))).toEqual({
    kind: 'missing_code',
    slackError: undefined,
  });
});
