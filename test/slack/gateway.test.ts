/**
 * SlackGateway against the Slack stand-in through a real WebClient (the client the app builds, which makes no
 * retries of its own): what each call sends, what it returns, how Slack's errors and rate
 * limits come out, and how users are read and cached.
 */
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import type { KnownBlock } from '@slack/types';
import { boltLogger, createLogger } from '../../src/logger.js';
import {
  createSlackWebClient,
  SlackCallError,
  SlackGateway,
  withJsonArguments,
} from '../../src/slack/gateway.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
let stub: SlackStub;
let slept: number[];
let logLines: string[];

function quietLogger() {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  return createLogger({ level: 'debug', secrets: [], destination });
}

function gateway(fetchImpl?: typeof fetch): SlackGateway {
  const client = createSlackWebClient(W.botToken, { apiUrl: stub.url });
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  return new SlackGateway(client, quietLogger(), { sleep, ...(fetchImpl ? { fetchImpl } : {}) });
}

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  slept = [];
  logLines = [];
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, SlackCallError);

describe('calls and their answers', () => {
  test('postMessage sends the content without link unfurls and returns where it went', async () => {
    const posted = await gateway().postMessage(W.channelId, { text: 'Hello', blocks: [] });
    const call = stub.lastCall('chat.postMessage');
    // Form-encoded on the wire, so every value arrives as text.
    expect(call?.args).toMatchObject({ channel: W.channelId, text: 'Hello', unfurl_links: 'false' });
    expect(posted.channel).toBe(W.channelId);
    expect(posted.ts).toBe(call?.response.ts);
    expect(stub.message(W.channelId, posted.ts)?.text).toBe('Hello');
  });

  test('objects reach WebClient as the JSON text it sends anyway (no deep copy for its debug line), and Slack gets them unchanged', async () => {
    const blocks: KnownBlock[] = [
      { type: 'section', text: { type: 'mrkdwn', text: '*Weekly* "sync" & more' } },
      { type: 'context', elements: [{ type: 'plain_text', text: 'ü 😀' }] },
    ];
    const client = createSlackWebClient(W.botToken, { apiUrl: stub.url });
    const apiCall = jest.spyOn(client, 'apiCall');
    await new SlackGateway(client, quietLogger()).postMessage(W.channelId, {
      text: 'Hello',
      blocks,
      metadata: { event_type: 'mm_meeting', event_payload: { meetId: '1234567' } },
    });
    const sent = apiCall.mock.calls[0]?.[1] as Record<string, unknown>;
    expect(sent.blocks).toBe(JSON.stringify(blocks));
    expect(typeof sent.metadata).toBe('string');
    expect(sent).toMatchObject({ channel: W.channelId, text: 'Hello', unfurl_links: false });
    const wire = stub.lastCall('chat.postMessage')?.args;
    expect(wire?.blocks).toEqual(blocks);
    expect(wire?.metadata?.event_payload).toMatchObject({ meetId: '1234567' });
  });

  test('withJsonArguments turns objects and arrays into JSON text and leaves the rest', () => {
    const file = Buffer.from('x');
    expect(
      withJsonArguments({ a: 'text', n: 1, b: true, u: undefined, z: null, o: { k: [1] }, l: ['x'], file }),
    ).toEqual({ a: 'text', n: 1, b: true, u: undefined, z: null, o: '{"k":[1]}', l: '["x"]', file });
  });

  test('updateMessage and postEphemeral address the message and the user', async () => {
    const g = gateway();
    const { ts } = await g.postMessage(W.channelId, { text: 'before' });
    await g.updateMessage(W.channelId, ts, { text: 'after' });
    expect(stub.lastCall('chat.update')?.args).toMatchObject({ channel: W.channelId, ts, text: 'after' });
    expect(stub.message(W.channelId, ts)?.text).toBe('after');
    await g.postEphemeral(W.channelId, W.userId, { text: 'only you' });
    expect(stub.ephemeralMessages({ channel: W.channelId, user: W.userId }).map((m) => m.text)).toEqual([
      'only you',
    ]);
  });

  test('dm opens the conversation with the user and posts there', async () => {
    const sent = await gateway().dm(W.userId, { text: 'psst' });
    expect(stub.lastCall('conversations.open')?.args).toMatchObject({ users: W.userId });
    expect(sent.channel).toBe(stub.dmChannelFor(W.userId));
    expect(stub.messagesIn(sent.channel).map((m) => m.text)).toEqual(['psst']);
  });

  test('tellPrivately: ephemeral in the channel; a DM when the ephemeral is refused or there is no channel', async () => {
    const g = gateway();
    await g.tellPrivately(W.channelId, W.userId, { text: 'one' });
    expect(stub.ephemeralMessages({ user: W.userId }).map((m) => m.text)).toEqual(['one']);
    expect(stub.calls('conversations.open')).toHaveLength(0);

    stub.failNext('chat.postEphemeral', 'not_in_channel');
    await g.tellPrivately(W.channelId, W.userId, { text: 'two' });
    await g.tellPrivately(null, W.userId, { text: 'three' });
    expect(stub.messagesIn(stub.dmChannelFor(W.userId)).map((m) => m.text)).toEqual(['two', 'three']);
    expect(stub.ephemeralMessages({ user: W.userId }).map((m) => m.text)).toEqual(['one']);
  });

  test('scheduleMessage sends post_at in whole seconds and returns the ID; deleteScheduledMessage sends it back', async () => {
    const g = gateway();
    const at = new Date(Date.now() + 3_600_000);
    at.setUTCMilliseconds(999);
    const id = await g.scheduleMessage(W.channelId, at, { text: 'later' });
    expect(stub.lastCall('chat.scheduleMessage')?.args).toMatchObject({
      channel: W.channelId,
      post_at: String((at.getTime() - 999) / 1000),
      text: 'later',
    });
    expect(stub.scheduledMessages(W.channelId).map((m) => m.id)).toEqual([id]);
    await g.deleteScheduledMessage(W.channelId, id);
    expect(stub.lastCall('chat.deleteScheduledMessage')?.args).toMatchObject({
      channel: W.channelId,
      scheduled_message_id: id,
    });
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(0);
  });

  test('history asks for 50 messages with their metadata unless told otherwise', async () => {
    const g = gateway();
    await g.postMessage(W.channelId, {
      text: 'tagged',
      metadata: { event_type: 'mm_card', event_payload: { meetId: '1234567' } },
    });
    const messages = await g.history(W.channelId);
    expect(stub.lastCall('conversations.history')?.args).toMatchObject({
      channel: W.channelId,
      limit: '50',
      include_all_metadata: 'true',
    });
    expect(messages.map((m) => m.metadata)).toContainEqual({
      event_type: 'mm_card',
      event_payload: { meetId: '1234567', idempotency_key: expect.stringMatching(/^msg:/) },
    });
    await g.history(W.channelId, 5);
    expect(stub.lastCall('conversations.history')?.args).toMatchObject({ limit: '5' });
  });

  test('views: open returns the ID and hash, update sends the hash only when given, push uses the trigger', async () => {
    const g = gateway();
    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Form' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hello' } }],
    };
    const opened = await g.openView(stub.issueTriggerId(), modal);
    const view = stub.view(opened.viewId);
    expect(view).toMatchObject({
      id: opened.viewId,
      type: 'modal',
      title: modal.title,
      blocks: modal.blocks,
    });
    expect(opened.hash).toMatch(/\S/);
    expect(opened.hash).toBe(view?.hash);
    await g.updateView(opened.viewId, modal);
    expect(stub.lastCall('views.update')?.args).toMatchObject({ view_id: opened.viewId });
    expect(stub.lastCall('views.update')?.args).not.toHaveProperty('hash');
    const current = stub.view(opened.viewId)?.hash;
    await g.updateView(opened.viewId, modal, current);
    expect(stub.lastCall('views.update')?.args).toMatchObject({ view_id: opened.viewId, hash: current });
    const trigger = stub.issueTriggerId();
    await g.pushView(trigger, modal);
    expect(stub.lastCall('views.push')?.args).toMatchObject({ trigger_id: trigger });
  });
});

describe("Slack's errors", () => {
  test("a refusal carries the method and Slack's error code", async () => {
    stub.failNext('chat.postMessage', 'channel_not_found');
    const err = await refusal(gateway().postMessage('C0NOPE0001', { text: 'x' }));
    expect(err.message).toBe('Slack chat.postMessage failed: channel_not_found');
    expect(err.name).toBe('SlackCallError');
    expect(err.method).toBe('chat.postMessage');
    expect(err.code).toBe('channel_not_found');
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  test('a rate limit within 5 s is waited out as asked, once', async () => {
    stub.rateLimitNext('chat.postMessage', 5);
    await gateway().postMessage(W.channelId, { text: 'after a pause' });
    expect(slept).toEqual([5000]);
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
    expect(logLines.join('')).toContain('Slack rate limit: waiting as asked, then retrying once');
  });

  test('a second rate limit in a row is given up on, with the pause Slack asked for', async () => {
    stub.rateLimitNext('chat.update', 2, 2);
    const err = await refusal(gateway().updateMessage(W.channelId, '1.2', { text: 'x' }));
    expect(slept).toEqual([2000]);
    expect(err.code).toBe('ratelimited');
    expect(err.retryAfterSeconds).toBe(2);
    expect(err.message).toBe('Slack chat.update failed: ratelimited');
  });

  test('a rate limit longer than 5 s is not waited for', async () => {
    stub.rateLimitNext('chat.postMessage', 6);
    const err = await refusal(gateway().postMessage(W.channelId, { text: 'x' }));
    expect(slept).toEqual([]);
    expect(err).toMatchObject({ code: 'ratelimited', retryAfterSeconds: 6 });
    expect(stub.calls('chat.postMessage')).toHaveLength(1);
  });

  test('an HTTP error and an unreachable Slack have their own codes', async () => {
    stub.setHandler('chat.postMessage', () => {
      throw new Error('boom');
    });
    const http = await refusal(gateway().postMessage(W.channelId, { text: 'x' }));
    expect(http).toMatchObject({ code: 'http_error', delivery: 'maybe' });

    const closed = await SlackStub.start();
    const url = closed.url;
    await closed.close();
    const client = createSlackWebClient(W.botToken, { apiUrl: url, logger: boltLogger(quietLogger()) });
    const unreachable = new SlackGateway(client, quietLogger(), { sleep: async () => {} });
    // Refused connections never reached Slack: tried again (4 times), then reported as not sent.
    expect(await refusal(unreachable.postMessage(W.channelId, { text: 'x' }))).toMatchObject({
      code: 'connect_failed',
      delivery: 'not_sent',
    });
  });

  test('an answer that lacks what the call needs is an error, not a half result', async () => {
    stub.setHandler('chat.postMessage', () => ({ ok: true, channel: W.channelId }));
    await expect(gateway().postMessage(W.channelId, { text: 'x' })).rejects.toThrow(/ts/);
  });
});

describe('users', () => {
  test('a full profile: email lower-cased, zone, roles', async () => {
    stub.addUser({
      id: 'U0FULL0001',
      name: 'full',
      real_name: 'Full Name',
      email: 'Full.Name@Example.COM',
      tz: 'Europe/Paris',
      is_admin: true,
    });
    expect(await gateway().userInfo('U0FULL0001')).toEqual({
      id: 'U0FULL0001',
      name: 'full',
      realName: 'Full Name',
      email: 'full.name@example.com',
      tz: 'Europe/Paris',
      isAdmin: true,
      isOwner: false,
      isBot: false,
      deleted: false,
    });
  });

  test.each<[string, Record<string, unknown>, Partial<Record<string, unknown>>]>([
    [
      'only an ID',
      { id: 'U0BARE0001' },
      { name: 'U0BARE0001', realName: 'U0BARE0001', email: null, tz: null, isOwner: false },
    ],
    [
      'a profile real name',
      { id: 'U0PROF0001', name: 'prof', profile: { real_name: 'Profile Name', display_name: 'disp' } },
      { name: 'prof', realName: 'Profile Name' },
    ],
    [
      'a display name only',
      { id: 'U0DISP0001', name: 'disp', profile: { display_name: 'Displayed' } },
      { realName: 'Displayed' },
    ],
    ['a handle only', { id: 'U0HAND0001', name: 'handle', real_name: '' }, { realName: 'handle' }],
    ['an empty email', { id: 'U0NOEM0001', profile: { email: '' }, tz: null }, { email: null, tz: null }],
    ['a primary owner', { id: 'U0PRIM0001', is_primary_owner: true }, { isOwner: true, isAdmin: false }],
    ['an owner', { id: 'U0OWNR0001', is_owner: true }, { isOwner: true }],
    ['a bot, deleted', { id: 'U0BOTD0001', is_bot: true, deleted: true }, { isBot: true, deleted: true }],
  ])('read from %s', async (_label, user, expected) => {
    stub.setHandler('users.info', () => ({ ok: true, user }));
    expect(await gateway().userInfo(String(user.id))).toMatchObject(expected);
  });

  test('a profile is cached for five minutes by default; a caller may ask for a fresher one', async () => {
    const g = gateway();
    await g.userInfo(W.userId);
    await g.userInfo(W.userId);
    expect(stub.calls('users.info')).toHaveLength(1);
    await g.userInfo(W.userId, 0);
    expect(stub.calls('users.info')).toHaveLength(2);
    // Another user is not served from this one's entry.
    stub.addUser({ id: 'U0OTHER001', real_name: 'Other', email: 'other@example.com' });
    expect((await g.userInfo('U0OTHER001')).email).toBe('other@example.com');
  });

  test('a profile older than the allowed age is fetched again', async () => {
    const start = Date.UTC(2026, 2, 1, 12);
    let now = start;
    const client = createSlackWebClient(W.botToken, { apiUrl: stub.url });
    const g = new SlackGateway(client, quietLogger(), {
      sleep: async () => {},
      clock: { now: () => new Date(now) },
    });
    await g.userInfo(W.userId);
    now = start + 5 * 60_000 - 1;
    await g.userInfo(W.userId);
    expect(stub.calls('users.info')).toHaveLength(1);
    now = start + 5 * 60_000;
    await g.userInfo(W.userId);
    expect(stub.calls('users.info')).toHaveLength(2);
  });

  test('an unknown user is a SlackCallError', async () => {
    expect((await refusal(gateway().userInfo('U0NOBODY01'))).code).toBe('user_not_found');
  });
});

describe('response_url', () => {
  test('respond posts the JSON body to the absolute URL', async () => {
    const url = stub.responseUrl();
    await gateway().respond(url, { text: 'done', response_type: 'ephemeral', replace_original: false });
    const [post] = stub.responses(url);
    expect(post?.contentType).toBe('application/json');
    expect(post?.body).toEqual({ text: 'done', response_type: 'ephemeral', replace_original: false });
  });

  test('a refused post is a SlackCallError naming the HTTP status', async () => {
    const url = stub.responseUrl();
    stub.failResponseUrl(url, 404);
    const err = await refusal(gateway().respond(url, { text: 'x' }));
    expect(err.method).toBe('response_url');
    expect(err.code).toBe('http_404');
  });
});

describe('sends after a lost answer (never sent twice)', () => {
  const card = {
    text: 'card',
    metadata: { event_type: 'megameeting_card', event_payload: { meet_id: '42' } },
  };

  test('a post that landed but whose answer timed out is found by its key: its ts, no second post', async () => {
    const client = createSlackWebClient(W.botToken, { apiUrl: stub.url, timeoutMs: 300 });
    const g = new SlackGateway(client, quietLogger(), { lookupDelayMs: 20 });
    stub.delayNext('chat.postMessage', 1500);
    const posted = await g.postMessage(W.channelId, card, { idempotencyKey: 'card:T:42' });
    const messages = stub.messagesIn(W.channelId);
    expect(messages).toHaveLength(1);
    expect(posted).toEqual({ channel: W.channelId, ts: messages[0]?.ts, found: true });
    expect(messages[0]?.metadata).toEqual({
      event_type: 'megameeting_card',
      event_payload: { meet_id: '42', idempotency_key: 'card:T:42' },
    });
    expect(stub.calls('chat.postMessage')).toHaveLength(1);
    expect(stub.lastCall('conversations.history')?.args).toMatchObject({ include_all_metadata: 'true' });
  });

  test('a reply in a thread that landed is found among the thread replies (the history leaves them out)', async () => {
    const parent = stub.addMessage(W.channelId, { text: 'Can we talk about checkout?' });
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: true });
    const posted = await gateway().postMessage(W.channelId, card, {
      idempotencyKey: 'card:T:44',
      threadTs: parent.ts,
    });
    const replies = stub.messagesIn(W.channelId).filter((m) => m.thread_ts === parent.ts);
    expect(replies).toHaveLength(1);
    expect(posted).toEqual({ channel: W.channelId, ts: replies[0]?.ts, found: true });
    expect(stub.calls('chat.postMessage')).toHaveLength(1);
    expect(stub.lastCall('chat.postMessage')?.args.thread_ts).toBe(parent.ts);
    expect(stub.lastCall('conversations.replies')?.args).toMatchObject({
      ts: parent.ts,
      include_all_metadata: 'true',
    });
  });

  test('a post that did not land (a 502 before Slack) is posted once more, with the same key', async () => {
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    const posted = await gateway().postMessage(W.channelId, card, { idempotencyKey: 'card:T:43' });
    const messages = stub.messagesIn(W.channelId);
    expect(messages).toHaveLength(1);
    expect(posted).toEqual({ channel: W.channelId, ts: messages[0]?.ts });
    const keys = stub.calls('chat.postMessage').map((c) => c.args.metadata?.event_payload?.idempotency_key);
    expect(keys).toEqual(['card:T:43', 'card:T:43']);
    expect(slept).toEqual([1000]); // the pause before the look-up
  });

  test("another app's message with the same key is not taken for the bot's", async () => {
    stub.addMessage(W.channelId, {
      text: 'forged',
      bot_id: 'B0OTHERAPP',
      user: 'U0OTHERBOT',
      metadata: { event_type: 'x', event_payload: { idempotency_key: 'card:T:44' } },
    });
    expect(await gateway().findPostedMessage(W.channelId, 'card:T:44')).toBeNull();
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    await gateway().postMessage(W.channelId, card, { idempotencyKey: 'card:T:44' });
    expect(stub.messagesIn(W.channelId).map((m) => m.text)).toEqual(['forged', 'card']);
  });

  test('a look-up that fails posts nothing more: the send fails as ambiguous', async () => {
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    stub.failNext('conversations.history', 'missing_scope');
    const err = await refusal(gateway().postMessage(W.channelId, card, { idempotencyKey: 'card:T:45' }));
    expect(err).toMatchObject({ method: 'chat.postMessage', code: 'http_error', delivery: 'maybe' });
    expect(stub.calls('chat.postMessage')).toHaveLength(1);
  });

  test('every post carries a key, fresh per send, so a DM is found again too', async () => {
    stub.failHttpNext('chat.postMessage', 502);
    const dm = await gateway().dm(W.userId, { text: 'invitation' });
    expect(dm.found).toBe(true);
    expect(stub.messagesIn(W.userId).map((m) => m.text)).toEqual(['invitation']);
    await gateway().dm(W.userId, { text: 'invitation' });
    const [a, b] = stub.calls('chat.postMessage').map((c) => c.args.metadata?.event_payload?.idempotency_key);
    expect(a).toMatch(/^msg:/);
    expect(b).toMatch(/^msg:/);
    expect(a).not.toBe(b);
  });

  test('a scheduled message whose answer was lost is found in chat.scheduledMessages.list, else scheduled again', async () => {
    const postAt = new Date(Date.now() + 3 * 3600_000);
    stub.failHttpNext('chat.scheduleMessage', 502);
    const id = await gateway().scheduleMessage(W.channelId, postAt, { text: 'Reminder: "Sync" starts' });
    expect(stub.scheduledMessages(W.channelId).map((s) => s.id)).toEqual([id]);
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(1);

    stub.failHttpNext('chat.scheduleMessage', 502, { takeEffect: false });
    const other = new Date(postAt.getTime() + 60_000);
    const second = await gateway().scheduleMessage(W.channelId, other, { text: 'Reminder: "Sync" starts' });
    expect(stub.scheduledMessages(W.channelId).map((s) => s.id)).toEqual([id, second]);
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(3);
  });

  test('an ephemeral message whose answer was lost is neither repeated nor replaced by a DM', async () => {
    stub.failHttpNext('chat.postEphemeral', 502);
    await gateway().tellPrivately(W.channelId, W.userId, { text: 'just for you' });
    expect(stub.calls('chat.postEphemeral')).toHaveLength(1);
    expect(stub.calls('chat.postMessage')).toHaveLength(0);
    expect(logLines.join('')).toContain('an ephemeral message may have been shown');
    expect(logLines.join('')).not.toContain('just for you');
  });

  test('idempotent calls are tried once more after a transport failure; sends are not', async () => {
    const { ts } = await gateway().postMessage(W.channelId, { text: 'v1' });
    stub.failHttpNext('chat.update', 502, { takeEffect: false });
    await gateway().updateMessage(W.channelId, ts, { text: 'v2' });
    expect(stub.calls('chat.update')).toHaveLength(2);
    expect(stub.message(W.channelId, ts)?.text).toBe('v2');

    stub.failHttpNext('views.open', 502, { takeEffect: false });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    await refusal(gateway().openView(stub.issueTriggerId(), view));
    expect(stub.calls('views.open')).toHaveLength(1);
  });
});
