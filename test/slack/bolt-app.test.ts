import { describeSlackStartupError, slackClientOptions } from '../../src/slack/bolt-app.js';

describe('slackClientOptions', () => {
  test('one quick retry, rate limits handed back, the API URL only when set', () => {
    expect(slackClientOptions({ slack: { apiUrl: undefined } })).toEqual({
      retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
      rejectRateLimitedCalls: true,
    });
    expect(slackClientOptions({ slack: { apiUrl: 'http://127.0.0.1:4100/api/' } })).toEqual({
      slackApiUrl: 'http://127.0.0.1:4100/api/',
      retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
      rejectRateLimitedCalls: true,
    });
  });
});

describe('describeSlackStartupError', () => {
  test("Slack's refusal names its code", () => {
    expect(
      describeSlackStartupError(
        { code: 'slack_webapi_platform_error', data: { error: 'invalid_auth' } },
        'https://slack.com/api/',
      ),
    ).toBe('Slack refused SLACK_BOT_TOKEN (invalid_auth); check the bot token of the installed app.');
  });

  test('an unreachable Slack names the URL and the error code, or "network error"', () => {
    expect(describeSlackStartupError({ code: 'slack_webapi_request_error' }, 'http://127.0.0.1:9/api/')).toBe(
      "Cannot reach Slack's Web API at http://127.0.0.1:9/api/ to check SLACK_BOT_TOKEN (slack_webapi_request_error).",
    );
    expect(describeSlackStartupError(new Error('x'), 'http://h/api/')).toBe(
      "Cannot reach Slack's Web API at http://h/api/ to check SLACK_BOT_TOKEN (network error).",
    );
    expect(describeSlackStartupError(undefined, 'http://h/api/')).toBe(
      "Cannot reach Slack's Web API at http://h/api/ to check SLACK_BOT_TOKEN (network error).",
    );
    expect(describeSlackStartupError({ data: {} }, 'http://h/api/')).toBe(
      "Cannot reach Slack's Web API at http://h/api/ to check SLACK_BOT_TOKEN (network error).",
    );
  });
});
