/**
 * The rest of SlackGateway's surface against the Slack stand-in through the app's real WebClient: the Calls API
 * (calls.add / update / end), chat.unfurl for both kinds of share, the Home tab, re-sending a call that never
 * left (the pauses, and giving up), the metrics probe's closed set of error kinds, and `causeKeepingFetch`.
 */
import { type Channel, channel } from 'node:diagnostics_channel';
import { boltLogger, createLogger } from '../../src/logger.js';
import type { SlackApiErrorProbe } from '../../src/metrics/probes.js';
import {
  causeKeepingFetch,
  createSlackWebClient,
  SlackCallError,
  SlackGateway,
} from '../../src/slack/gateway.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
let stub: SlackStub;
let slept: number[];

function gateway(opts: { apiUrl?: string; sleep?: (ms: number) => Promise<void> } = {}): SlackGateway {
  const client = createSlackWebClient(W.botToken, {
    apiUrl: opts.apiUrl ?? stub.url,
    logger: boltLogger(createLogger({ level: 'silent', secrets: [] })),
  });
  const sleep =
    opts.sleep ??
    (async (ms: number) => {
      slept.push(ms);
    });
  return new SlackGateway(client, createLogger({ level: 'silent', secrets: [] }), { sleep });
}

const refusal = (p: Promise<unknown>) => rejectionOf(p, SlackCallError);

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  slept = [];
});

describe('the Calls API', () => {
  const start = new Date('2026-03-01T10:00:00.900Z');
  const call = {
    externalUniqueId: 'mm:T1:1234567',
    joinUrl: 'https://acme.megameeting.com/join/1234567',
    title: 'Weekly sync',
    createdBy: W.userId,
    dateStart: start,
  };

  test('calls.add sends the call with its start in whole seconds and returns its R… id', async () => {
    const id = await gateway().addCall({ ...call, externalDisplayId: '1234567' });
    expect(id).toMatch(/^R\d+$/);
    expect(stub.slackCalls.get(id)).toMatchObject({
      external_unique_id: 'mm:T1:1234567',
      join_url: 'https://acme.megameeting.com/join/1234567',
      title: 'Weekly sync',
      created_by: W.userId,
      date_start: Math.floor(start.getTime() / 1000),
      external_display_id: '1234567',
    });
    const bare = await gateway().addCall(call);
    expect(stub.lastCall('calls.add')?.args).not.toHaveProperty('external_display_id');
    expect(stub.slackCalls.get(bare)?.external_display_id).toBeUndefined();
  });

  test('calls.add is a send: a lost answer is not sent again', async () => {
    stub.failHttpNext('calls.add', 502);
    const err = await refusal(gateway().addCall(call));
    expect(err).toMatchObject({ method: 'calls.add', delivery: 'maybe' });
    expect(stub.calls('calls.add')).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  test('calls.update sends only the fields given', async () => {
    const id = await gateway().addCall(call);
    await gateway().updateCall(id, { title: 'Renamed' });
    expect(stub.lastCall('calls.update')?.args).toEqual({ id, title: 'Renamed' });
    await gateway().updateCall(id, { joinUrl: 'https://acme.megameeting.com/join/7654321' });
    expect(stub.lastCall('calls.update')?.args).toEqual({
      id,
      join_url: 'https://acme.megameeting.com/join/7654321',
    });
    await gateway().updateCall(id, { title: '' });
    expect(stub.lastCall('calls.update')?.args).toEqual({ id, title: '' });
    expect(stub.slackCalls.get(id)).toMatchObject({
      title: '',
      join_url: 'https://acme.megameeting.com/join/7654321',
      updates: 3,
    });
  });

  test('calls.end sends the duration when given; an already ended call counts as done; other errors are thrown', async () => {
    const id = await gateway().addCall(call);
    await gateway().endCall(id, 0);
    expect(stub.lastCall('calls.end')?.args).toEqual({ id, duration: '0' });
    expect(stub.slackCalls.get(id)).toMatchObject({ ended: true, duration: 0 });
    const other = await gateway().addCall(call);
    await gateway().endCall(other);
    expect(stub.lastCall('calls.end')?.args).toEqual({ id: other });
    stub.failNext('calls.end', 'inactive_call');
    await expect(gateway().endCall(other, 60)).resolves.toBeUndefined();
    stub.failNext('calls.end', 'invalid_call_id');
    expect(await refusal(gateway().endCall('R0NOPE'))).toMatchObject({
      method: 'calls.end',
      code: 'invalid_call_id',
    });
  });
});

describe('chat.unfurl', () => {
  const url = 'https://acme.megameeting.com/join/1234567';
  const preview = {
    [url]: { blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Sync' } }] },
  };

  test('a shared message is addressed by channel and ts', async () => {
    const shared = stub.unfurls.share({ channel: W.channelId, user: W.userId, urls: [url] });
    await gateway().unfurl({ channel: shared.channel, ts: shared.message_ts }, preview);
    expect(stub.lastCall('chat.unfurl')?.args).toEqual({
      channel: shared.channel,
      ts: shared.message_ts,
      unfurls: preview,
    });
    expect(stub.unfurls.applied(shared.channel, shared.message_ts)).toEqual(preview);
  });

  test('a link in the composer is addressed by unfurl_id and source', async () => {
    const shared = stub.unfurls.share({
      channel: W.channelId,
      user: W.userId,
      urls: [url],
      source: 'composer',
    });
    await gateway().unfurl({ unfurlId: shared.unfurl_id, source: 'composer' }, preview);
    expect(stub.lastCall('chat.unfurl')?.args).toEqual({
      unfurl_id: shared.unfurl_id,
      source: 'composer',
      unfurls: preview,
    });
    expect(stub.unfurls.appliedTo(shared.unfurl_id)).toEqual(preview);
  });
});

describe('the Home tab', () => {
  const home = {
    type: 'home' as const,
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Your meetings' } }],
  };

  test('views.publish returns the new hash, and sends a hash only when given', async () => {
    const first = await gateway().publishHome(W.userId, home);
    expect(stub.lastCall('views.publish')?.args).not.toHaveProperty('hash');
    expect(stub.lastCall('views.publish')?.args).toMatchObject({ user_id: W.userId });
    expect(first.hash).toMatch(/\S/);
    const second = await gateway().publishHome(W.userId, home, first.hash ?? undefined);
    expect(stub.lastCall('views.publish')?.args).toMatchObject({ user_id: W.userId, hash: first.hash });
    expect(second.hash).not.toBe(first.hash);
    stub.failNext('views.publish', 'hash_conflict');
    expect(await refusal(gateway().publishHome(W.userId, home, 'stale'))).toMatchObject({
      code: 'hash_conflict',
    });
  });

  test('a view without a hash in the answer gives null', async () => {
    stub.setHandler('views.publish', () => ({ ok: true, view: { id: 'V0HOME' } }));
    expect(await gateway().publishHome(W.userId, home)).toEqual({ hash: null });
  });
});

describe('a call that never left (connection refused)', () => {
  test('is sent again after 250, 500, 1000 and 2000 ms, then given up as not sent', async () => {
    const closed = await SlackStub.start();
    const url = closed.url;
    await closed.close();
    const err = await refusal(gateway({ apiUrl: url }).postMessage(W.channelId, { text: 'x' }));
    expect(err).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
    expect(slept).toEqual([250, 500, 1000, 2000]);
  });

  test('lands once Slack answers again, posted exactly once', async () => {
    await stub.goOffline(100);
    // The pause lasts until Slack is back, however long that takes: no timing luck involved.
    const g = gateway({
      sleep: async (ms) => {
        slept.push(ms);
        await stub.whenOnline();
      },
    });
    const posted = await g.postMessage(W.channelId, { text: 'after a refusal' });
    expect(slept).toEqual([250]);
    expect(stub.messagesIn(W.channelId).map((m) => [m.ts, m.text])).toEqual([[posted.ts, 'after a refusal']]);
  });
});

describe('the metrics probe', () => {
  let probes: SlackApiErrorProbe[];
  let ch: Channel;
  const record = (message: unknown) => {
    probes.push(message as SlackApiErrorProbe);
  };
  beforeEach(() => {
    probes = [];
    ch = channel('megameeting-slack.slack-api-error');
    ch.subscribe(record);
  });
  afterEach(() => {
    ch.unsubscribe(record);
  });

  test("each failed call is counted by method and a closed set of kinds, never Slack's own code", async () => {
    stub.failNext('chat.update', 'message_not_found');
    await refusal(gateway().updateMessage(W.channelId, '1.2', { text: 'x' }));
    stub.rateLimitNext('chat.update', 9);
    await refusal(gateway().updateMessage(W.channelId, '1.2', { text: 'x' }));
    stub.failHttpNext('chat.postEphemeral', 502);
    await refusal(gateway().postEphemeral(W.channelId, W.userId, { text: 'x' }));
    const closed = await SlackStub.start();
    const url = closed.url;
    await closed.close();
    await refusal(gateway({ apiUrl: url }).openDm(W.userId));
    expect(probes).toEqual([
      { method: 'chat.update', kind: 'platform_error' },
      { method: 'chat.update', kind: 'ratelimited' },
      { method: 'chat.postEphemeral', kind: 'http_error' },
      ...Array.from({ length: 5 }, () => ({ method: 'conversations.open', kind: 'connect_failed' })),
    ]);
  });

  test('a refused response_url post is counted as rate-limited (429) or an HTTP error', async () => {
    const answering = (status: number) => (async () => new Response('no', { status })) as typeof fetch;
    const client = createSlackWebClient(W.botToken, { apiUrl: stub.url });
    const logger = createLogger({ level: 'silent', secrets: [] });
    for (const status of [429, 500]) {
      const g = new SlackGateway(client, logger, { fetchImpl: answering(status) });
      expect(await refusal(g.respond('https://hooks.slack.test/commands/1', { text: 'x' }))).toMatchObject({
        method: 'response_url',
        code: `http_${status}`,
      });
    }
    expect(probes).toEqual([
      { method: 'response_url', kind: 'ratelimited' },
      { method: 'response_url', kind: 'http_error' },
    ]);
  });
});

describe('causeKeepingFetch', () => {
  test('a refused connection is an Error of this realm keeping its name, message and cause', async () => {
    const closed = await SlackStub.start();
    const url = closed.url;
    await closed.close();
    const err = await causeKeepingFetch(`${url}api/auth.test`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('an answer, whatever its status, is returned as it is', async () => {
    const res = await causeKeepingFetch(`${stub.url}api/auth.test`, { method: 'POST' });
    expect(res.status).toBe(200);
  });
});

describe('look-ups', () => {
  const P = 1_900_000_000;
  test('a scheduled message is found only with the same post_at, text and channel (a missing channel_id is no mismatch)', async () => {
    const entry = (id: string | number, fields: Record<string, unknown>) => ({
      id,
      channel_id: W.channelId,
      post_at: P,
      text: 'Reminder',
      ...fields,
    });
    let list: unknown[] = [];
    stub.setHandler('chat.scheduledMessages.list', () => ({ ok: true, scheduled_messages: list }));
    const decoys = [
      entry('Q1', { channel_id: 'C0OTHER001' }),
      entry('Q2', { post_at: P + 1 }),
      entry('Q3', { text: 'Reminder!' }),
    ];
    list = decoys;
    expect(await gateway().findScheduledMessage(W.channelId, P, 'Reminder')).toBeNull();
    expect(stub.lastCall('chat.scheduledMessages.list')?.args).toEqual({
      channel: W.channelId,
      oldest: String(P - 1),
      latest: String(P + 1),
      limit: '100',
    });
    list = [...decoys, entry(4, { channel_id: undefined, post_at: String(P) })];
    expect(await gateway().findScheduledMessage(W.channelId, P, 'Reminder')).toBe('4');
    list = [...decoys, entry('Q5', {})];
    expect(await gateway().findScheduledMessage(W.channelId, P, 'Reminder')).toBe('Q5');
  });

  test("the bot's identity is asked once, and asked again after a failure", async () => {
    const g = gateway();
    stub.failNext('auth.test', 'internal_error');
    await expect(g.findPostedMessage(W.channelId, 'k')).rejects.toBeInstanceOf(SlackCallError);
    expect(await g.findPostedMessage(W.channelId, 'k')).toBeNull();
    expect(await g.findPostedMessage(W.channelId, 'k')).toBeNull();
    expect(stub.calls('auth.test')).toHaveLength(2);
  });

  test('a message is the bot’s by its bot ID or by its user ID, whichever auth.test gives', async () => {
    const tagged = (key: string, from: { user?: string; bot_id?: string }) =>
      stub.addMessage(W.channelId, {
        text: key,
        ...from,
        metadata: { event_type: 'x', event_payload: { idempotency_key: key } },
      });
    const byUser = tagged('by-user', { user: W.botUserId });
    const byBot = tagged('by-bot', { bot_id: W.botId });
    stub.setHandler('auth.test', () => ({ ok: true, user_id: W.botUserId }));
    const userOnly = gateway();
    expect(await userOnly.findPostedMessage(W.channelId, 'by-user')).toEqual({
      channel: W.channelId,
      ts: byUser.ts,
    });
    expect(await userOnly.findPostedMessage(W.channelId, 'by-bot')).toBeNull();
    stub.setHandler('auth.test', () => ({ ok: true, bot_id: W.botId }));
    const botOnly = gateway();
    expect(await botOnly.findPostedMessage(W.channelId, 'by-bot')).toEqual({
      channel: W.channelId,
      ts: byBot.ts,
    });
    expect(await botOnly.findPostedMessage(W.channelId, 'by-user')).toBeNull();
  });
});
