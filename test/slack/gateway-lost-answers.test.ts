/**
 * What the gateway tells operators when a send's answer is lost, and whose message a look-up may take for the
 * bot's own: the Slack stand-in through the app's real WebClient, the app's logger read back line by line.
 * An operator asking "was this posted twice, or not at all?" has these lines to go by.
 */
import { boltLogger } from '../../src/logger.js';
import { createSlackWebClient, SlackCallError, SlackGateway } from '../../src/slack/gateway.js';
import { capturingLogger, type LogLine } from '../support/log-lines.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
let stub: SlackStub;
let slept: number[];
let lines: LogLine[];

function gateway(apiUrl?: string): SlackGateway {
  // Appends to the test's `lines` (reset before each test), whichever gateway of the test logs.
  const { logger } = capturingLogger('debug', lines);
  const client = createSlackWebClient(W.botToken, { apiUrl: apiUrl ?? stub.url, logger: boltLogger(logger) });
  // Records the pauses instead of sleeping; a retry loop that never ends fails here at once.
  const sleep = async (ms: number) => {
    slept.push(ms);
    if (slept.length > 10) throw new Error(`sleeping without end: ${slept.join(', ')}`);
  };
  return new SlackGateway(client, logger, { sleep });
}

/** The log lines with this message, their fields (level, time and the like left out by the caller). */
const logged = (msg: string) => lines.filter((l) => l.msg === msg);

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
  lines = [];
});

const LOOKING = 'chat.postMessage may have reached Slack; looking for it before posting again';

describe('a message whose answer was lost', () => {
  test('found: the look-up and the find are logged with the method, the code, the channel and the ts', async () => {
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: true });
    const posted = await gateway().postMessage(W.channelId, { text: 'card' });
    expect(logged(LOOKING)).toEqual([
      expect.objectContaining({ method: 'chat.postMessage', code: 'http_error', channel: W.channelId }),
    ]);
    expect(logged('found the message whose answer was lost; not posting again')).toEqual([
      expect.objectContaining({ channel: W.channelId, ts: posted.ts }),
    ]);
    expect(logged('the message did not land; posting it once more')).toEqual([]);
  });

  test('not found: posting it once more is logged with the channel', async () => {
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    await gateway().postMessage(W.channelId, { text: 'card' });
    expect(logged(LOOKING)).toHaveLength(1);
    expect(logged('the message did not land; posting it once more')).toEqual([
      expect.objectContaining({ channel: W.channelId }),
    ]);
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
  });

  test('a look-up that fails is logged with its error and the send it was for', async () => {
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    stub.failNext('conversations.history', 'missing_scope');
    await refusal(gateway().postMessage(W.channelId, { text: 'card' }));
    expect(logged('could not look up a send whose answer was lost; not sending it again')).toEqual([
      expect.objectContaining({
        method: 'chat.postMessage',
        err: expect.objectContaining({ message: 'Slack conversations.history failed: missing_scope' }),
      }),
    ]);
  });

  test("the bot's own message without metadata is passed over, not an error that stops the look-up", async () => {
    stub.addMessage(W.channelId, { text: 'an older post of the bot', user: W.botUserId, bot_id: W.botId });
    expect(await gateway().findPostedMessage(W.channelId, 'card:T:50')).toBeNull();
    stub.failHttpNext('chat.postMessage', 502, { takeEffect: false });
    await gateway().postMessage(W.channelId, { text: 'card' }, { idempotencyKey: 'card:T:50' });
    expect(stub.messagesIn(W.channelId).map((m) => m.text)).toEqual(['an older post of the bot', 'card']);
  });
});

describe('whose message is the bot’s, when auth.test gives only one of its IDs', () => {
  const tagged = (key: string, from: { user?: string; bot_id?: string }) =>
    stub.addMessage(W.channelId, {
      text: key,
      user: undefined,
      ...from,
      metadata: { event_type: 'x', event_payload: { idempotency_key: key } },
    });

  test('with only a user ID, a person’s message carrying the key (no bot ID) is not the bot’s', async () => {
    tagged('card:T:51', { user: W.userId });
    stub.setHandler('auth.test', () => ({ ok: true, user_id: W.botUserId }));
    expect(await gateway().findPostedMessage(W.channelId, 'card:T:51')).toBeNull();
  });

  test('with only a bot ID, another bot’s message carrying the key (no user) is not the bot’s', async () => {
    tagged('card:T:52', { bot_id: 'B0OTHERAPP' });
    stub.setHandler('auth.test', () => ({ ok: true, bot_id: W.botId }));
    expect(await gateway().findPostedMessage(W.channelId, 'card:T:52')).toBeNull();
  });
});

describe('a scheduled message whose answer was lost', () => {
  const LOOKING_SCHEDULED =
    'chat.scheduleMessage may have reached Slack; looking for it before scheduling again';
  const postAt = () => new Date(Date.now() + 3 * 3600_000);

  test('found: the look-up and the find are logged with the method, the code and the channel', async () => {
    stub.failHttpNext('chat.scheduleMessage', 502, { takeEffect: true });
    await gateway().scheduleMessage(W.channelId, postAt(), { text: 'Reminder' });
    expect(logged(LOOKING_SCHEDULED)).toEqual([
      expect.objectContaining({ method: 'chat.scheduleMessage', code: 'http_error', channel: W.channelId }),
    ]);
    expect(logged('found the scheduled message whose answer was lost; not scheduling again')).toEqual([
      expect.objectContaining({ channel: W.channelId }),
    ]);
  });

  test('not found: scheduling it once more is logged with the channel', async () => {
    stub.failHttpNext('chat.scheduleMessage', 502, { takeEffect: false });
    await gateway().scheduleMessage(W.channelId, postAt(), { text: 'Reminder' });
    expect(logged('the scheduled message did not land; scheduling it once more')).toEqual([
      expect.objectContaining({ channel: W.channelId }),
    ]);
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(1);
  });

  test('a refusal is thrown as it is: nothing looked up, nothing scheduled again', async () => {
    stub.failNext('chat.scheduleMessage', 'time_in_past');
    const err = await refusal(gateway().scheduleMessage(W.channelId, postAt(), { text: 'Reminder' }));
    expect(err).toMatchObject({ code: 'time_in_past', delivery: 'answered' });
    expect(stub.calls('chat.scheduleMessage')).toHaveLength(1);
    expect(stub.calls('chat.scheduledMessages.list')).toHaveLength(0);
    expect(slept).toEqual([]);
    expect(logged(LOOKING_SCHEDULED)).toEqual([]);
  });
});

describe('telling a user privately', () => {
  test('an ephemeral message whose answer was lost is logged with the method, the code, the channel and the user', async () => {
    stub.failHttpNext('chat.postEphemeral', 502);
    await gateway().tellPrivately(W.channelId, W.userId, { text: 'just for you' });
    expect(
      logged('an ephemeral message may have been shown (its answer was lost); not sending it again'),
    ).toEqual([
      expect.objectContaining({
        method: 'chat.postEphemeral',
        code: 'http_error',
        channel: W.channelId,
        user: W.userId,
      }),
    ]);
  });

  test('a refused ephemeral falls back to a DM, logged at debug with the error and the channel', async () => {
    stub.failNext('chat.postEphemeral', 'not_in_channel');
    await gateway().tellPrivately(W.channelId, W.userId, { text: 'two' });
    expect(logged('ephemeral failed, falling back to a DM')).toEqual([
      expect.objectContaining({
        channel: W.channelId,
        err: expect.objectContaining({ message: 'Slack chat.postEphemeral failed: not_in_channel' }),
      }),
    ]);
  });

  test('without a channel no ephemeral message is tried: straight to the DM', async () => {
    await gateway().tellPrivately(null, W.userId, { text: 'three' });
    expect(stub.calls('chat.postEphemeral')).toHaveLength(0);
    expect(stub.messagesIn(stub.dmChannelFor(W.userId)).map((m) => m.text)).toEqual(['three']);
  });
});

describe('the retry policy, logged', () => {
  test('a rate limit waited out names the method and the pause', async () => {
    stub.rateLimitNext('chat.update', 3);
    const { ts } = await gateway().postMessage(W.channelId, { text: 'v1' });
    await gateway().updateMessage(W.channelId, ts, { text: 'v2' });
    expect(logged('Slack rate limit: waiting as asked, then retrying once')).toEqual([
      expect.objectContaining({ method: 'chat.update', retryAfter: 3 }),
    ]);
  });

  test('each re-send of a call that never left is logged with its attempt number, four at most', async () => {
    const closed = await SlackStub.start();
    const url = closed.url;
    await closed.close();
    await refusal(gateway(url).openDm(W.userId));
    expect(logged('could not connect to Slack; sending again')).toEqual(
      [1, 2, 3, 4].map((attempt) => expect.objectContaining({ method: 'conversations.open', attempt })),
    );
    expect(slept).toEqual([250, 500, 1000, 2000]);
  });

  test('a read that fails in transit twice is tried twice, 300 ms apart, and the retry is logged once', async () => {
    const { ts } = await gateway().postMessage(W.channelId, { text: 'v1' });
    stub.failHttpNext('chat.update', 502, { count: 2, takeEffect: false });
    const err = await refusal(gateway().updateMessage(W.channelId, ts, { text: 'v2' }));
    expect(err).toMatchObject({ code: 'http_error', delivery: 'maybe' });
    expect(stub.calls('chat.update')).toHaveLength(2);
    expect(slept).toEqual([300]);
    expect(logged('Slack call failed in transit; retrying it once')).toEqual([
      expect.objectContaining({ method: 'chat.update', code: 'http_error' }),
    ]);
  });

  test('views.push is a send: a lost answer is not sent again', async () => {
    stub.failHttpNext('views.push', 502, { takeEffect: false });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    expect(await refusal(gateway().pushView(stub.issueTriggerId(), view))).toMatchObject({
      method: 'views.push',
      delivery: 'maybe',
    });
    expect(stub.calls('views.push')).toHaveLength(1);
    expect(slept).toEqual([]);
  });
});
