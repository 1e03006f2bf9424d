import { type WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { readJsonFixture } from '../support/fixtures.js';
import { RecordingLogger } from '../support/slack-logger.js';
import { blockActionsPayload, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const token = TEST_WORKSPACE.botToken;
let stub: SlackStub;
let client: WebClient;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  client = new WebClient(token, {
    slackApiUrl: stub.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: new RecordingLogger(),
  });
});

/** The error code of a rejected Web API call (`WebAPIPlatformError.data.error`). */
async function apiError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && 'data' in error) return (error as WebAPIPlatformError).data.error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

describe('transport', () => {
  test('url is http://127.0.0.1:PORT/api/', () => {
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  test('auth.test reports the bot identity, with the keys of the official example', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: TEST_WORKSPACE.teamId,
      user_id: TEST_WORKSPACE.botUserId,
      bot_id: TEST_WORKSPACE.botId,
    });
    const examples = readJsonFixture<Record<string, { '200_example': Record<string, unknown> }>>(
      'slack.web-api-examples.json',
    );
    for (const key of Object.keys(examples['auth.test']?.['200_example'] ?? {}))
      expect(result).toHaveProperty(key);
  });

  test('a wrong token gets invalid_auth, no token not_authed', async () => {
    const bad = new WebClient('xoxb-wrong', {
      slackApiUrl: stub.url,
      retryConfig: { retries: 0 },
      logger: new RecordingLogger(),
    });
    expect(await apiError(bad.auth.test())).toBe('invalid_auth');
    const none = await fetch(`${stub.url}auth.test`, { method: 'POST' });
    expect(await none.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  test('records calls with parsed JSON fields and the token, not in args', async () => {
    const blocks = [section('*Hello*')];
    await client.chat.postMessage({
      channel: 'C123',
      text: 'hi',
      blocks,
      metadata: { event_type: 'x', event_payload: { a: 1 } },
    });
    const [call] = stub.calls('chat.postMessage');
    expect(call?.token).toBe(token);
    expect(call?.args.blocks?.[0]).toMatchObject(blocks[0] as object);
    expect(call?.args.metadata).toEqual({ event_type: 'x', event_payload: { a: 1 } });
    expect(call?.args).not.toHaveProperty('token');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.response.ok).toBe(true);
  });

  test('accepts JSON bodies', async () => {
    const res = await fetch(`${stub.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [section('x')] }),
    });
    const body = (await res.json()) as { ok: boolean; ts: string };
    expect(body.ok).toBe(true);
    expect(stub.messagesIn('C1')[0]?.blocks?.[0]).toMatchObject(section('x'));
  });

  test('unknown methods answer unknown_method', async () => {
    expect(await apiError(client.apiCall('nope.nope'))).toBe('unknown_method');
  });

  test('waitForCall resolves for a call that arrives later, and for one already recorded', async () => {
    const waiting = stub.waitForCall('chat.postMessage', (c) => c.args.channel === 'C9');
    await client.chat.postMessage({ channel: 'C8', text: 'not this one' });
    await client.chat.postMessage({ channel: 'C9', text: 'this one' });
    expect((await waiting).args.text).toBe('this one');
    expect((await stub.waitForCall('chat.postMessage')).args.channel).toBe('C8');
    const two = await stub.waitForCalls('chat.postMessage', 2);
    expect(two).toHaveLength(2);
  });

  test('waitForCall times out with the calls seen so far', async () => {
    await client.auth.test();
    await expect(stub.waitForCall('views.open', undefined, 50)).rejects.toThrow(
      /views\.open[\s\S]*auth\.test/,
    );
  });
});

describe('chat', () => {
  test('postMessage: string ts, increasing; channel; message', async () => {
    const a = await client.chat.postMessage({ channel: 'C1', text: 'one' });
    const b = await client.chat.postMessage({ channel: 'C1', text: 'two' });
    expect(typeof a.ts).toBe('string');
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    expect(a.channel).toBe('C1');
    expect(a.message).toMatchObject({ type: 'message', text: 'one', bot_id: TEST_WORKSPACE.botId, ts: a.ts });
    expect(stub.messagesIn('C1').map((m) => m.text)).toEqual(['one', 'two']);
  });

  test('postMessage without text, blocks or attachments is no_text', async () => {
    expect(await apiError(client.chat.postMessage({ channel: 'C1' } as never))).toBe('no_text');
  });

  test('postMessage with invalid blocks is invalid_blocks with Slack-style messages', async () => {
    const error = await client.chat
      .postMessage({
        channel: 'C1',
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      })
      .catch((e: WebAPIPlatformError) => e);
    expect(error).toBeInstanceOf(Error);
    const data = (error as WebAPIPlatformError).data;
    expect(data.error).toBe('invalid_blocks');
    expect(data.response_metadata?.messages?.[0]).toMatch(
      /^\[ERROR\] .*150.*\[json-pointer:\/blocks\/0\/text\/text\]$/,
    );
  });

  test('postMessage to a user ID lands in the DM that conversations.open gives', async () => {
    const posted = await client.chat.postMessage({ channel: TEST_WORKSPACE.userId, text: 'dm' });
    const opened = await client.conversations.open({ users: TEST_WORKSPACE.userId });
    expect(posted.channel).toBe(opened.channel?.id);
    expect(posted.channel).toMatch(/^D/);
    expect(stub.messagesIn(TEST_WORKSPACE.userId)[0]?.text).toBe('dm');
  });

  test('update edits the recorded message in place and keeps omitted fields', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1', blocks: [section('v1')] });
    const updated = await client.chat.update({ channel: 'C1', ts: posted.ts as string, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: posted.ts, text: 'v2' });
    const [message] = stub.messagesIn('C1');
    expect(message?.text).toBe('v2');
    expect(message?.blocks?.[0]).toMatchObject(section('v1'));
    await client.chat.update({ channel: 'C1', ts: posted.ts as string, blocks: [section('v3')] });
    expect(stub.messagesIn('C1')[0]?.blocks?.[0]).toMatchObject(section('v3'));
    expect(await apiError(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  test('postEphemeral returns message_ts and is kept apart from the channel', async () => {
    const result = await client.chat.postEphemeral({
      channel: 'C1',
      user: TEST_WORKSPACE.userId,
      text: 'psst',
    });
    expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(stub.ephemeralMessages({ user: TEST_WORKSPACE.userId })[0]).toMatchObject({
      channel: 'C1',
      text: 'psst',
    });
    expect(stub.messagesIn('C1')).toEqual([]);
    expect(await apiError(client.chat.postEphemeral({ channel: 'C1', user: 'U0NOBODY00', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  test('scheduleMessage: id, numeric post_at, limits; deleteScheduledMessage', async () => {
    const now = Math.floor(Date.now() / 1000);
    const result = await client.chat.scheduleMessage({ channel: 'C1', text: 'later', post_at: now + 3600 });
    expect(result.scheduled_message_id).toMatch(/^Q/);
    expect(result.post_at).toBe(now + 3600);
    expect(stub.scheduledMessages()).toHaveLength(1);
    expect(await apiError(client.chat.scheduleMessage({ channel: 'C1', text: 'x', post_at: now - 10 }))).toBe(
      'time_in_past',
    );
    expect(
      await apiError(client.chat.scheduleMessage({ channel: 'C1', text: 'x', post_at: now + 121 * 86400 })),
    ).toBe('time_too_far');
    await client.chat.deleteScheduledMessage({
      channel: 'C1',
      scheduled_message_id: result.scheduled_message_id as string,
    });
    expect(stub.scheduledMessages()).toEqual([]);
    expect(
      await apiError(client.chat.deleteScheduledMessage({ channel: 'C1', scheduled_message_id: 'Q0NOPE' })),
    ).toBe('invalid_scheduled_message_id');
  });

  test('deliverScheduledMessages posts due messages', async () => {
    const now = Math.floor(Date.now() / 1000);
    await client.chat.scheduleMessage({ channel: 'C1', text: 'soon', post_at: now + 60 });
    await client.chat.scheduleMessage({ channel: 'C1', text: 'much later', post_at: now + 6000 });
    expect(stub.deliverScheduledMessages(now + 61).map((m) => m.text)).toEqual(['soon']);
    expect(stub.messagesIn('C1').map((m) => m.text)).toEqual(['soon']);
    expect(stub.scheduledMessages().map((s) => s.text)).toEqual(['much later']);
  });

  test('getPermalink', async () => {
    const result = await client.chat.getPermalink({ channel: 'C1', message_ts: '1700000000.000100' });
    expect(result.permalink).toBe(
      `https://${TEST_WORKSPACE.teamDomain}.slack.com/archives/C1/p1700000000000100`,
    );
  });
});

describe('conversations', () => {
  test('open gives a stable D channel per user, already_open the second time', async () => {
    const first = await client.conversations.open({ users: TEST_WORKSPACE.userId });
    const second = await client.conversations.open({ users: TEST_WORKSPACE.userId });
    expect(first.channel?.id).toBe(stub.dmChannelFor(TEST_WORKSPACE.userId));
    expect(second).toMatchObject({ channel: { id: first.channel?.id }, already_open: true });
    stub.addUser({ id: 'U0BEN00001', name: 'ben' });
    const ben = await client.conversations.open({ users: 'U0BEN00001' });
    expect(ben.channel?.id).not.toBe(first.channel?.id);
    expect(await apiError(client.conversations.open({ users: 'U0NOBODY00' }))).toBe('user_not_found');
  });

  test('info describes registered and unregistered channels', async () => {
    stub.addChannel({ id: 'C0OLD00001', name: 'old', is_archived: true });
    const info = await client.conversations.info({ channel: 'C0OLD00001' });
    expect(info.channel).toMatchObject({ id: 'C0OLD00001', name: 'old', is_archived: true, is_member: true });
    expect((await client.conversations.info({ channel: 'C0ANY00001' })).channel?.is_channel).toBe(true);
    expect(await apiError(client.conversations.info({ channel: 'D0NOPE' }))).toBe('channel_not_found');
  });

  test('archived / not-member channels refuse posts', async () => {
    stub.addChannel({ id: 'C0OLD00001', name: 'old', is_archived: true });
    stub.addChannel({ id: 'C0OUT00001', name: 'out', is_member: false });
    stub.addChannel({ id: 'G0SECRET01', name: 'secret', is_private: true, is_member: false });
    expect(await apiError(client.chat.postMessage({ channel: 'C0OLD00001', text: 'x' }))).toBe('is_archived');
    expect(await apiError(client.chat.postMessage({ channel: 'C0OUT00001', text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(await apiError(client.chat.postMessage({ channel: 'G0SECRET01', text: 'x' }))).toBe(
      'channel_not_found',
    );
  });

  test('history returns posted messages newest first, metadata only when asked', async () => {
    const metadata = { event_type: 'meeting_card', event_payload: { meetId: '42' } };
    await client.chat.postMessage({ channel: 'C1', text: 'first', metadata });
    await client.chat.postMessage({ channel: 'C1', text: 'second' });
    const plain = await client.conversations.history({ channel: 'C1' });
    expect(plain.messages?.map((m) => m.text)).toEqual(['second', 'first']);
    expect(plain.messages?.[1]).not.toHaveProperty('metadata');
    const withMeta = await client.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(withMeta.messages?.[1]?.metadata).toEqual(metadata);
    const page = await client.conversations.history({ channel: 'C1', limit: 1 });
    expect(page.has_more).toBe(true);
    const next = await client.conversations.history({
      channel: 'C1',
      limit: 1,
      cursor: page.response_metadata?.next_cursor as string,
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['first']);
  });
});

describe('users', () => {
  test('users.info from the registry; tz fields from Intl; email omitted when unset', async () => {
    stub.addUser({ id: 'U0BEN00001', name: 'ben', real_name: 'Ben B', tz: 'Europe/Paris', is_admin: true });
    const { user } = await client.users.info({ user: 'U0BEN00001' });
    expect(user).toMatchObject({
      id: 'U0BEN00001',
      name: 'ben',
      real_name: 'Ben B',
      tz: 'Europe/Paris',
      is_admin: true,
    });
    expect([3600, 7200]).toContain(user?.tz_offset);
    expect(user?.tz_label).toMatch(/Central European/);
    expect(user?.profile).not.toHaveProperty('email');
    expect(await apiError(client.users.info({ user: 'U0NOBODY00' }))).toBe('user_not_found');
  });

  test('the default user is registered, with the official example keys', async () => {
    const result = await client.users.info({ user: TEST_WORKSPACE.userId });
    expect(result.user).toMatchObject({
      tz: TEST_WORKSPACE.userTz,
      profile: { email: TEST_WORKSPACE.userEmail },
    });
    const examples = readJsonFixture<Record<string, { '200_example': { user: Record<string, unknown> } }>>(
      'slack.web-api-examples.json',
    );
    const example = examples['users.info']?.['200_example'].user ?? {};
    for (const key of Object.keys(example)) expect(result.user).toHaveProperty(key);
  });

  test('a user without tz has no tz fields; lookupByEmail', async () => {
    stub.addUser({ id: 'U0NOTZ0001', email: 'NoTz@Example.com' });
    const { user } = await client.users.lookupByEmail({ email: 'notz@example.com' });
    expect(user?.id).toBe('U0NOTZ0001');
    expect(user).not.toHaveProperty('tz');
    expect(await apiError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe(
      'users_not_found',
    );
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'schedule',
    title: { type: 'plain_text' as const, text: 'Schedule a meeting' },
    submit: { type: 'plain_text' as const, text: 'Schedule' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'title',
        label: { type: 'plain_text' as const, text: 'Title' },
        element: { type: 'plain_text_input' as const, action_id: 'value' },
      },
    ],
  };

  test('open returns a full view and records it; update and push', async () => {
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: modal });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'schedule', state: { values: {} } });
    const id = opened.view?.id as string;
    expect(stub.lastView('schedule')?.id).toBe(id);
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view?.hash,
      view: { ...modal, private_metadata: 'm' },
    });
    expect(updated.view?.id).toBe(id);
    expect(stub.view(id)?.private_metadata).toBe('m');
    expect(await apiError(client.views.update({ view_id: id, hash: 'stale', view: modal }))).toBe(
      'hash_conflict',
    );
    const pushed = await client.views.push({
      trigger_id: '1.2.def',
      view: { ...modal, callback_id: 'second' },
    });
    expect(pushed.view?.previous_view_id).toBe(id);
    expect(pushed.view?.root_view_id).toBe(id);
  });

  test('trigger_id: missing, reused, expired', async () => {
    expect(await apiError(client.views.open({ trigger_id: '', view: modal }))).toBe('invalid_arguments');
    await client.views.open({ trigger_id: 't.1', view: modal });
    expect(await apiError(client.views.open({ trigger_id: 't.1', view: modal }))).toBe(
      'exchanged_trigger_id',
    );
    stub.expireTrigger('t.2');
    expect(await apiError(client.views.open({ trigger_id: 't.2', view: modal }))).toBe('expired_trigger_id');
    let now = Date.now();
    stub.setNow(() => now);
    const issued = stub.issueTriggerId();
    now += 3500;
    expect(await apiError(client.views.open({ trigger_id: issued, view: modal }))).toBe('expired_trigger_id');
  });

  test('an invalid modal is invalid_arguments with json-pointer messages', async () => {
    const bad = { ...modal, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    const error = (await client.views
      .open({ trigger_id: 't.3', view: bad })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(error.data.error).toBe('invalid_arguments');
    expect(error.data.response_metadata?.messages).toContainEqual(
      expect.stringContaining('[json-pointer:/view/title/text]'),
    );
  });

  test('views.publish keeps the Home tab per user', async () => {
    const home = { type: 'home' as const, blocks: [section('Upcoming meetings')] };
    await client.views.publish({ user_id: TEST_WORKSPACE.userId, view: home });
    expect(stub.homeView(TEST_WORKSPACE.userId)?.blocks[0]).toMatchObject(section('Upcoming meetings'));
    expect(await apiError(client.views.publish({ user_id: 'U0NOBODY00', view: home }))).toBe(
      'invalid_arguments',
    );
  });

  test('views.publish: a stale hash → hash_conflict, 101 blocks → invalid_arguments, a taken external_id', async () => {
    const home = { type: 'home' as const, blocks: [section('One')] };
    const first = await client.views.publish({ user_id: TEST_WORKSPACE.userId, view: home });
    expect(
      await apiError(client.views.publish({ user_id: TEST_WORKSPACE.userId, view: home, hash: 'stale.1' })),
    ).toBe('hash_conflict');
    await client.views.publish({ user_id: TEST_WORKSPACE.userId, view: home, hash: first.view?.hash ?? '' });
    const tooMany = {
      type: 'home' as const,
      blocks: Array.from({ length: 101 }, (_, i) => section(`b${i}`)),
    };
    expect(await apiError(client.views.publish({ user_id: TEST_WORKSPACE.userId, view: tooMany }))).toBe(
      'invalid_arguments',
    );
    await client.views.open({
      trigger_id: stub.issueTriggerId(),
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'M' },
        blocks: [section('m')],
        external_id: 'ext-1',
      },
    });
    expect(
      await apiError(
        client.views.publish({ user_id: TEST_WORKSPACE.userId, view: { ...home, external_id: 'ext-1' } }),
      ),
    ).toBe('duplicate_external_id');
  });
});

describe('fault injection', () => {
  test('failNext with count and channel filter', async () => {
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: 'C0GONE', count: 2 });
    expect(await apiError(client.chat.postMessage({ channel: 'C0GONE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    await client.chat.postMessage({ channel: 'C1', text: 'other channels are fine' });
    expect(await apiError(client.chat.postMessage({ channel: 'C0GONE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    await client.chat.postMessage({ channel: 'C0GONE', text: 'third time works' });
    expect(stub.calls('chat.postMessage').map((c) => c.response.ok)).toEqual([false, true, false, true]);
  });

  test('rateLimitNext answers 429 + Retry-After; WebClient with rejectRateLimitedCalls throws at once', async () => {
    stub.rateLimitNext('chat.postMessage', 7);
    const error = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as WebAPIRateLimitedError).code).toBe('slack_webapi_rate_limited_error');
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    const [call] = stub.calls('chat.postMessage');
    expect(call).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });
    await client.chat.postMessage({ channel: 'C1', text: 'next one passes' });
  });

  test('rate limit with retries: 0 surfaces as a request error', async () => {
    const logger = new RecordingLogger();
    const noReject = new WebClient(token, { slackApiUrl: stub.url, retryConfig: { retries: 0 }, logger });
    stub.rateLimitNext('auth.test', 0);
    await expect(noReject.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    expect(logger.lines('info').join('\n')).toMatch(/rate limiting/);
  });

  test('setLatency delays the answer', async () => {
    stub.setLatency('users.info', 150);
    const started = Date.now();
    await client.users.info({ user: TEST_WORKSPACE.userId });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('setLatency: the call takes effect at once, only its answer is late (a client timeout loses it)', async () => {
    stub.setLatency('chat.postMessage', 3000);
    const quick = new WebClient(token, {
      slackApiUrl: stub.url,
      retryConfig: { retries: 0 },
      timeout: 600,
      logger: new RecordingLogger(),
    });
    await expect(quick.chat.postMessage({ channel: 'C1', text: 'slow' })).rejects.toMatchObject({
      code: 'slack_webapi_request_error',
    });
    expect(stub.messagesIn('C1').map((m) => m.text)).toEqual(['slow']);
  });

  test('delayNext delays only the next answers of that method', async () => {
    stub.delayNext('users.info', 300);
    let started = Date.now();
    await client.users.info({ user: TEST_WORKSPACE.userId });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await client.users.info({ user: TEST_WORKSPACE.userId });
    expect(Date.now() - started).toBeLessThan(290);
  });

  test('failHttpNext answers an HTML error page, after doing the work unless takeEffect is false', async () => {
    stub.failHttpNext('chat.postMessage', 502);
    stub.failHttpNext('chat.postMessage', 503, { takeEffect: false });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'landed' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 502,
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'lost' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    await client.chat.postMessage({ channel: 'C1', text: 'normal' });
    expect(stub.messagesIn('C1').map((m) => m.text)).toEqual(['landed', 'normal']);
    expect(stub.calls('chat.postMessage').map((c) => [c.status, c.response.ok])).toEqual([
      [502, true],
      [503, false],
      [200, true],
    ]);
  });

  test('goOffline refuses connections for a while, then listens on the same port again', async () => {
    await client.auth.test();
    await stub.goOffline(300);
    try {
      const error = await fetch(`${stub.url}chat.postMessage`, { method: 'POST' }).catch((e: unknown) => e);
      expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
      await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
        code: 'slack_webapi_request_error',
      });
      expect(stub.calls('chat.postMessage')).toHaveLength(0);
    } finally {
      await stub.whenOnline();
    }
    await client.chat.postMessage({ channel: 'C1', text: 'back' });
    expect(stub.messagesIn('C1').map((m) => m.text)).toEqual(['back']);
  });

  test('setHandler adds a method', async () => {
    stub.setHandler('calls.add', (args) => ({
      ok: true,
      call: { id: 'R0CALL0001', join_url: args.join_url },
    }));
    const result = await client.calls.add({ external_unique_id: 'x', join_url: 'https://example.com/j' });
    expect(result.call?.id).toBe('R0CALL0001');
  });
});

describe('response_url receiver', () => {
  test('records posts and answers ok; 404/500 injectable; 5 uses', async () => {
    const url = stub.responseUrl('cmd');
    expect(url).toBe(`${stub.origin}/response/cmd`);
    const waiting = stub.waitForResponse(url, (r) => r.body.response_type === 'in_channel');
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await post({ text: 'hello', response_type: 'in_channel' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect((await waiting).body.text).toBe('hello');
    stub.failResponseUrl('cmd', 500);
    expect((await post({ text: 'x' })).status).toBe(500);
    for (let i = 0; i < 4; i++) await post({ text: `n${i}` });
    expect((await post({ text: 'sixth' })).status).toBe(404);
    expect(stub.responses('cmd').map((r) => r.status)).toEqual([200, 500, 200, 200, 200, 200, 404]);
  });
});

describe('round trips with the request factories', () => {
  test('Slack fills in missing block_ids and action_ids; a button press is built from the stored card', async () => {
    const { ts } = await client.chat.postMessage({
      channel: 'C1',
      text: 'card',
      blocks: [
        section('Design sync'),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'End' },
              value: '42',
              action_id: 'meeting_end',
            },
          ],
        },
      ],
    });
    const card = stub.message('C1', ts as string);
    expect(card?.blocks?.every((b) => typeof b.block_id === 'string' && b.block_id.length > 0)).toBe(true);
    const payload = blockActionsPayload({ message: card, actionId: 'meeting_end' });
    expect(payload.actions[0]).toMatchObject({ block_id: card?.blocks?.[1]?.block_id, value: '42' });
    expect(payload.container).toMatchObject({ channel_id: 'C1', message_ts: ts });
  });

  test('a submission is built from the view the stub recorded', async () => {
    const opened = await client.views.open({
      trigger_id: 't.round',
      view: {
        type: 'modal',
        callback_id: 'schedule',
        private_metadata: 'C1',
        title: { type: 'plain_text', text: 'Schedule' },
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Title' },
            element: { type: 'plain_text_input' },
          },
        ],
      },
    });
    const view = stub.lastView('schedule');
    expect(view?.id).toBe(opened.view?.id);
    const input = view?.blocks[0] as { block_id: string; element: { action_id: string } };
    expect(input.block_id).toBeTruthy();
    expect(input.element.action_id).toBeTruthy();
    const payload = viewSubmissionPayload({
      view,
      values: { [input.block_id]: { [input.element.action_id]: stateValue.plainTextInput('Design sync') } },
    });
    expect(payload.view).toMatchObject({
      id: view?.id,
      hash: view?.hash,
      callback_id: 'schedule',
      private_metadata: 'C1',
    });
  });
});

describe('more methods', () => {
  test('threads: replies stay out of history but show in conversations.replies', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: parent.ts as string });
    const history = await client.conversations.history({ channel: 'C1' });
    expect(history.messages?.map((m) => m.text)).toEqual(['parent']);
    const replies = await client.conversations.replies({ channel: 'C1', ts: parent.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
  });

  test('chat.delete, addMessage (cant_update_message for others), users.list, waitForMessage', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'bye' });
    await client.chat.delete({ channel: 'C1', ts: posted.ts as string });
    expect(stub.messagesIn('C1')).toEqual([]);
    const human = stub.addMessage('C1', { text: 'from a person' });
    expect(await apiError(client.chat.update({ channel: 'C1', ts: human.ts, text: 'x' }))).toBe(
      'cant_update_message',
    );
    const members = await client.users.list({});
    expect(members.members?.map((m) => m.id)).toContain(TEST_WORKSPACE.userId);
    const waiting = stub.waitForMessage('C2', (m) => m.text === 'later');
    await client.chat.postMessage({ channel: 'C2', text: 'later' });
    expect((await waiting).channel).toBe('C2');
  });

  test('reset() brings back the state right after start()', async () => {
    stub.addUser({ id: 'U0TEMP0001' });
    await client.chat.postMessage({ channel: 'C1', text: 'x' });
    stub.failNext('*', 'fatal_error', { count: Number.POSITIVE_INFINITY });
    stub.reset();
    expect(stub.calls()).toEqual([]);
    expect(stub.messagesIn('C1')).toEqual([]);
    expect(stub.user('U0TEMP0001')).toBeUndefined();
    expect(stub.user(TEST_WORKSPACE.userId)).toMatchObject({ id: TEST_WORKSPACE.userId });
    await client.auth.test();
  });
});
