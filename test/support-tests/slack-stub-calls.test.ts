/** The stand-in's Calls API (sandbox/slack/calls.ts) through a real WebClient: arguments, errors and state. */
import { type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { RecordingLogger } from '../support/slack-logger.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
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
  client = new WebClient(W.botToken, {
    slackApiUrl: stub.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: new RecordingLogger(),
  });
});

async function apiError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && 'data' in error) return (error as WebAPIPlatformError).data.error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const ADD = {
  external_unique_id: '4711',
  join_url: 'https://acme.megameeting.com/meeting/?id=4711',
  title: 'Design review',
  created_by: W.userId,
  date_start: 1_800_000_000,
};

test('calls.add registers a call and answers its R… id with the documented fields', async () => {
  const res = await client.apiCall('calls.add', { ...ADD, external_display_id: '4711' });
  const call = (res as unknown as { call: { id: string } }).call;
  expect(call).toMatchObject({
    id: expect.stringMatching(/^R[0-9A-Z]+$/),
    external_unique_id: '4711',
    join_url: ADD.join_url,
    title: 'Design review',
    date_start: 1_800_000_000,
    external_display_id: '4711',
    users: [],
  });
  expect(stub.slackCalls.get(call.id)).toMatchObject({ created_by: W.userId, ended: false, updates: 0 });
  expect(stub.slackCalls.byExternalId('4711')).toHaveLength(1);
});

test('calls.add checks its arguments like Slack', async () => {
  const { external_unique_id: _e, ...noExternal } = ADD;
  expect(await apiError(client.apiCall('calls.add', noExternal))).toBe('invalid_arguments');
  const { join_url: _j, ...noJoin } = ADD;
  expect(await apiError(client.apiCall('calls.add', noJoin))).toBe('invalid_arguments');
  // A bot token must say who created the call.
  const { created_by: _c, ...noCreator } = ADD;
  expect(await apiError(client.apiCall('calls.add', noCreator))).toBe('invalid_arguments');
  expect(await apiError(client.apiCall('calls.add', { ...ADD, created_by: 'U0NOBODY' }))).toBe(
    'invalid_created_by',
  );
  // Milliseconds instead of seconds.
  expect(await apiError(client.apiCall('calls.add', { ...ADD, date_start: Date.now() * 1000 }))).toBe(
    'invalid_start_time',
  );
  expect(await apiError(client.apiCall('calls.add', { ...ADD, join_url: 'not a url' }))).toBe(
    'invalid_arguments',
  );
  expect(stub.slackCalls.all()).toEqual([]);
});

test('a repeated external_unique_id makes a second call (Slack documents no de-duplication)', async () => {
  await client.apiCall('calls.add', ADD);
  await client.apiCall('calls.add', ADD);
  expect(stub.slackCalls.byExternalId('4711')).toHaveLength(2);
});

test('calls.update changes title and join_url; calls.info reads it; unknown ids are invalid_call_id', async () => {
  const { call } = (await client.apiCall('calls.add', ADD)) as unknown as { call: { id: string } };
  await client.apiCall('calls.update', { id: call.id, title: 'Design review v2' });
  const info = (await client.apiCall('calls.info', { id: call.id })) as unknown as {
    call: { title: string; join_url: string };
  };
  expect(info.call).toMatchObject({ title: 'Design review v2', join_url: ADD.join_url });
  expect(stub.slackCalls.get(call.id)?.updates).toBe(1);
  expect(await apiError(client.apiCall('calls.update', { id: 'R0NOPE', title: 'x' }))).toBe(
    'invalid_call_id',
  );
  expect(await apiError(client.apiCall('calls.info', { id: 'R0NOPE' }))).toBe('invalid_call_id');
});

test('calls.end records the duration; a second end answers ok with inactive_call; bad input is refused', async () => {
  const { call } = (await client.apiCall('calls.add', ADD)) as unknown as { call: { id: string } };
  expect(await apiError(client.apiCall('calls.end', { id: call.id, duration: 'soon' }))).toBe(
    'invalid_arguments',
  );
  expect(await client.apiCall('calls.end', { id: call.id, duration: 1800 })).toMatchObject({ ok: true });
  expect(stub.slackCalls.get(call.id)).toMatchObject({ ended: true, duration: 1800 });
  expect(await client.apiCall('calls.end', { id: call.id, duration: 5 })).toMatchObject({
    ok: true,
    error: 'inactive_call',
  });
  expect(stub.slackCalls.get(call.id)?.duration).toBe(1800);
  expect(await apiError(client.apiCall('calls.end', { id: 'R0NOPE' }))).toBe('invalid_call_id');
});

test('refuseAll makes every calls.* method fail (missing_scope names the scope) until lifted', async () => {
  stub.slackCalls.refuseAll('missing_scope');
  let data: Record<string, unknown> = {};
  try {
    await client.apiCall('calls.add', ADD);
  } catch (error) {
    data = (error as WebAPIPlatformError).data as unknown as Record<string, unknown>;
  }
  expect(data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'calls:write' });
  stub.slackCalls.refuseAll('not_allowed');
  expect(await apiError(client.apiCall('calls.add', ADD))).toBe('not_allowed');
  stub.slackCalls.refuseAll(null);
  await client.apiCall('calls.add', ADD);
  expect(stub.slackCalls.all()).toHaveLength(1);
});

test('a call block must name a call the stand-in issued', async () => {
  const { call } = (await client.apiCall('calls.add', ADD)) as unknown as { call: { id: string } };
  await client.chat.postMessage({
    channel: W.channelId,
    text: 'call',
    blocks: [{ type: 'call', call_id: call.id } as never],
  });
  expect(
    await apiError(
      client.chat.postMessage({
        channel: W.channelId,
        text: 'call',
        blocks: [{ type: 'call', call_id: 'R0UNKNOWN' } as never],
      }),
    ),
  ).toBe('invalid_blocks');
  // Without a token: not_authed, as for every method.
  const anonymous = new WebClient(undefined, { slackApiUrl: stub.url, retryConfig: { retries: 0 } });
  expect(await apiError(anonymous.apiCall('calls.add', ADD))).toBe('not_authed');
});
