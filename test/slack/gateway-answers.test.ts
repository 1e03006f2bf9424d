/**
 * SlackGateway's reading of Slack's answers at their edges, against the Slack stand-in through the app's real
 * WebClient: what a pushed view returns, answers without their optional lists, users.list's page bound, the
 * metrics kinds of a timeout and of a malformed refusal, and the WebClient's own lines going to the app's logger.
 */
import { type Channel, channel } from 'node:diagnostics_channel';
import { boltLogger, createLogger } from '../../src/logger.js';
import type { SlackApiErrorProbe } from '../../src/metrics/probes.js';
import { createSlackWebClient, SlackCallError, SlackGateway } from '../../src/slack/gateway.js';
import { capturingLogger } from '../support/log-lines.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
let stub: SlackStub;

function gateway(opts: { timeoutMs?: number } = {}): SlackGateway {
  const logger = createLogger({ level: 'silent', secrets: [] });
  const client = createSlackWebClient(W.botToken, { apiUrl: stub.url, logger: boltLogger(logger), ...opts });
  return new SlackGateway(client, logger, { sleep: async () => {} });
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
});

const modal = {
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'Step 2' },
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Details' } }],
};

test('a pushed view returns its ID and hash (to update it in place later), null without a hash', async () => {
  const pushed = await gateway().pushView(stub.issueTriggerId(), modal);
  expect(pushed.viewId).toMatch(/^V/);
  expect(pushed.hash).toMatch(/\S/);
  expect(pushed.hash).toBe(stub.view(pushed.viewId)?.hash);
  stub.setHandler('views.push', () => ({ ok: true, view: { id: 'V0PUSHED01' } }));
  expect(await gateway().pushView(stub.issueTriggerId(), modal)).toEqual({
    viewId: 'V0PUSHED01',
    hash: null,
  });
});

test('answers without their list are empty lists, not made-up entries', async () => {
  stub.setHandler('conversations.history', () => ({ ok: true }));
  expect(await gateway().history(W.channelId)).toEqual([]);
  // No response_metadata either: one page, and no cursor to follow.
  stub.setHandler('users.list', () => ({ ok: true }));
  expect(await gateway().listUsers()).toEqual([]);
  expect(stub.calls('users.list')).toHaveLength(1);
});

test('users.list is read for 50 pages at most (10,000 members), however many cursors Slack gives', async () => {
  let pages = 0;
  stub.setHandler('users.list', () => {
    pages++;
    // Ends by itself after 60 pages, so a loop past the bound fails here instead of running on.
    return {
      ok: true,
      members: [{ id: `U0PAGE${String(pages).padStart(4, '0')}` }],
      response_metadata: { next_cursor: pages < 60 ? `page${pages + 1}` : '' },
    };
  });
  const users = await gateway().listUsers();
  expect(pages).toBe(50);
  expect(users).toHaveLength(50);
  expect(users.at(-1)?.id).toBe('U0PAGE0050');
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

  test('a timeout counts as a request error, a refusal without an error code as unknown', async () => {
    stub.delayNext('chat.postEphemeral', 1500);
    expect(
      await refusal(gateway({ timeoutMs: 200 }).postEphemeral(W.channelId, W.userId, { text: 'x' })),
    ).toMatchObject({ code: 'request_error', delivery: 'maybe' });
    stub.setHandler('chat.postEphemeral', () => ({ ok: false }));
    expect(await refusal(gateway().postEphemeral(W.channelId, W.userId, { text: 'x' }))).toMatchObject({
      code: 'unknown_error',
    });
    expect(probes).toEqual([
      { method: 'chat.postEphemeral', kind: 'request_error' },
      { method: 'chat.postEphemeral', kind: 'unknown_error' },
    ]);
  });
});

test("the WebClient's own warnings go to the app's logger (scrubbed), not to the console", async () => {
  const { logger, lines } = capturingLogger('warn');
  const client = createSlackWebClient(W.botToken, { apiUrl: stub.url, logger: boltLogger(logger) });
  stub.setHandler('auth.test', () => ({
    ok: true,
    user_id: W.botUserId,
    response_metadata: { warnings: ['superfluous_charset'] },
  }));
  await client.apiCall('auth.test', {});
  // The WebClient hands each warning to the logger with its index and the whole list.
  expect(lines).toContainEqual(
    expect.objectContaining({ component: 'bolt', msg: expect.stringMatching(/^superfluous_charset /) }),
  );
});
