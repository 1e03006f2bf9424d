import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type SlashCommand, type ViewSubmitAction } from '@slack/bolt';
import { readFixture, readJsonFixture } from '../support/fixtures.js';
import { RecordingLogger } from '../support/slack-logger.js';
import {
  blockActionsPayload,
  computeSlackSignature,
  eventCallback,
  eventCallbackBody,
  interactivityBody,
  postToApp,
  SlackRequestClient,
  signSlackRequest,
  slashCommand,
  slashCommandBody,
  stateValue,
  urlVerificationBody,
  viewClosedPayload,
  viewSubmissionPayload,
} from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('signing', () => {
  const body = readFixture('slack.slash-command.signing-vector.body.txt');

  test("matches Slack's documented test vector", () => {
    expect(computeSlackSignature(body, VECTOR.secret, VECTOR.timestamp)).toBe(VECTOR.signature);
    expect(signSlackRequest(body, VECTOR.secret, VECTOR.timestamp)).toEqual({
      'x-slack-signature': VECTOR.signature,
      'x-slack-request-timestamp': '1531420618',
      'content-type': 'application/x-www-form-urlencoded',
    });
  });

  test('JSON bodies get application/json', () => {
    expect(signSlackRequest('{"type":"event_callback"}', 's', 1)['content-type']).toBe('application/json');
  });
});

describe('slash commands', () => {
  test("the factory reproduces the signing vector's body byte for byte", () => {
    const vector = readJsonFixture<{ fields: Record<string, string> }>(
      'slack.slash-command.signing-vector.json',
    );
    const body = slashCommandBody({
      ...vector.fields,
      api_app_id: undefined,
      is_enterprise_install: undefined,
    });
    expect(body).toBe(readFixture('slack.slash-command.signing-vector.body.txt'));
  });

  test("the factory reproduces bolt-python's body (enterprise fields, `+` for spaces)", () => {
    const sample = readJsonFixture<{ fields: Record<string, string> }>(
      'slack.slash-command.bolt-python.json',
    );
    const body = slashCommandBody({
      ...sample.fields,
      api_app_id: undefined,
      is_enterprise_install: undefined,
    });
    expect(body).toBe(readFixture('slack.slash-command.bolt-python.body.txt'));
  });

  test('defaults: every field Slack sends, in order, /meet from the default user', () => {
    const command: SlashCommand = slashCommand({ text: 'Design sync' });
    expect(Object.keys(command)).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(command).toMatchObject({ command: '/meet', text: 'Design sync', user_id: TEST_WORKSPACE.userId });
    expect(command.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(slashCommand().trigger_id).not.toBe(command.trigger_id);
    expect(slashCommandBody({ text: '<@U1|ana> hi' })).toContain('text=%3C%40U1%7Cana%3E+hi');
  });
});

describe('interactivity payloads', () => {
  test('block_actions has every top-level field of the real payload, in order', () => {
    const real = readJsonFixture<Record<string, unknown>>('slack.block_actions.json');
    const payload = blockActionsPayload({ actionId: 'meeting_end', value: '42' });
    for (const key of Object.keys(real)) expect(payload).toHaveProperty(key);
    expect(Object.keys(payload)).toEqual([
      'type',
      'user',
      'api_app_id',
      'token',
      'container',
      'trigger_id',
      'team',
      'enterprise',
      'is_enterprise_install',
      'channel',
      'message',
      'state',
      'response_url',
      'actions',
    ]);
    expect(payload.actions[0]).toMatchObject({ action_id: 'meeting_end', value: '42', type: 'button' });
  });

  test('block_actions from a posted message finds the element and echoes the message', () => {
    const message = {
      ts: '1700000000.000100',
      text: 'Design sync',
      channel: 'C0OTHER001',
      blocks: [
        {
          type: 'actions' as const,
          block_id: 'card_actions',
          elements: [
            {
              type: 'button' as const,
              action_id: 'meeting_end',
              value: '987',
              style: 'danger' as const,
              text: { type: 'plain_text' as const, text: 'End' },
            },
          ],
        },
      ],
    };
    const payload: BlockAction = blockActionsPayload({
      message,
      actionId: 'meeting_end',
      userId: 'U0BEN00001',
    });
    expect(payload.actions[0]).toMatchObject({
      action_id: 'meeting_end',
      block_id: 'card_actions',
      value: '987',
      type: 'button',
      text: { type: 'plain_text', text: 'End', emoji: true },
    });
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: message.ts,
      channel_id: 'C0OTHER001',
      is_ephemeral: false,
    });
    expect(payload.message?.blocks).toEqual(message.blocks);
    expect(payload.user.id).toBe('U0BEN00001');
  });

  test('ephemeral messages come without `message`; modal actions with a view container and no response_url', () => {
    expect(blockActionsPayload({ isEphemeral: true })).not.toHaveProperty('message');
    const inModal = blockActionsPayload({
      view: { id: 'V0MODAL001', callback_id: 'schedule' },
      actionId: 'kind',
    });
    expect(inModal.container).toEqual({ type: 'view', view_id: 'V0MODAL001' });
    expect(inModal).not.toHaveProperty('response_url');
    expect(inModal.view?.callback_id).toBe('schedule');
  });

  test('raw overrides win and undefined removes', () => {
    const payload = blockActionsPayload({ response_url: 'http://x/y', enterprise: undefined });
    expect(payload.response_url).toBe('http://x/y');
    expect(payload).not.toHaveProperty('enterprise');
  });

  test('view_submission has every field of the real payload (top level and view), in order', () => {
    const real = readJsonFixture<{ view: Record<string, unknown> } & Record<string, unknown>>(
      'slack.view_submission.json',
    );
    const payload: ViewSubmitAction = viewSubmissionPayload({
      callbackId: 'schedule',
      privateMetadata: '{"channel":"C1"}',
      values: {
        title: { value: stateValue.plainTextInput('Design sync') },
        when: { value: stateValue.datetimepicker(1767261600) },
      },
    });
    for (const key of Object.keys(real)) expect(payload).toHaveProperty(key);
    for (const key of Object.keys(real.view)) expect(payload.view).toHaveProperty(key);
    expect(Object.keys(payload)).toEqual(Object.keys(real).concat(['is_enterprise_install', 'enterprise']));
    expect(payload.view).toMatchObject({ callback_id: 'schedule', private_metadata: '{"channel":"C1"}' });
    expect(payload.view.state.values.title?.value).toEqual({
      type: 'plain_text_input',
      value: 'Design sync',
    });
  });

  test('view_submission from a stub view echoes its id, hash and blocks', () => {
    const view = {
      id: 'V0ABC00001',
      hash: '1700000000.abcd1234',
      callback_id: 'schedule',
      blocks: [{ type: 'divider' as const, block_id: 'd' }],
      title: { type: 'plain_text' as const, text: 'Schedule' },
    };
    const payload = viewSubmissionPayload({ view, values: {} });
    expect(payload.view).toMatchObject(view);
    expect(payload.view.root_view_id).toBe('V0ABC00001');
  });

  test('view_closed', () => {
    const payload = viewClosedPayload({ callbackId: 'schedule', isCleared: true });
    expect(payload).toMatchObject({
      type: 'view_closed',
      is_cleared: true,
      view: { callback_id: 'schedule' },
    });
    expect(payload).not.toHaveProperty('trigger_id');
  });

  test('interactivityBody is payload=<urlencoded JSON> that Bolt-style parsing reads back', () => {
    const real = readJsonFixture<object>('slack.block_actions.json');
    const body = interactivityBody(real);
    expect(body.startsWith('payload=%7B%22type%22%3A%22block_actions%22')).toBe(true);
    expect(JSON.parse(new URLSearchParams(body).get('payload') ?? '')).toEqual(real);
    // The fixture (encoded by Python, %20 for spaces) decodes to the same JSON.
    const fixtureBody = readFixture('slack.block_actions.body.txt');
    expect(JSON.parse(new URLSearchParams(fixtureBody).get('payload') ?? '')).toEqual(real);
  });
});

describe('state value builders (Slack shapes)', () => {
  test.each([
    [stateValue.plainTextInput('x'), { type: 'plain_text_input', value: 'x' }],
    [stateValue.plainTextInput(null), { type: 'plain_text_input', value: null }],
    [stateValue.datepicker('2026-03-01'), { type: 'datepicker', selected_date: '2026-03-01' }],
    [stateValue.timepicker('09:30'), { type: 'timepicker', selected_time: '09:30' }],
    [
      stateValue.timepicker('09:30', 'America/Chicago'),
      { type: 'timepicker', selected_time: '09:30', timezone: 'America/Chicago' },
    ],
    [stateValue.datetimepicker(1767261600), { type: 'datetimepicker', selected_date_time: 1767261600 }],
    [
      stateValue.staticSelect({ text: 'Webinar', value: 'webinar' }),
      {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'Webinar', emoji: true }, value: 'webinar' },
      },
    ],
    [stateValue.staticSelect(null), { type: 'static_select', selected_option: null }],
    [
      stateValue.externalSelect({ text: 'x', value: 'y' }),
      {
        type: 'external_select',
        selected_option: { text: { type: 'plain_text', text: 'x', emoji: true }, value: 'y' },
      },
    ],
    [stateValue.multiUsersSelect(['U1', 'U2']), { type: 'multi_users_select', selected_users: ['U1', 'U2'] }],
    [stateValue.usersSelect('U1'), { type: 'users_select', selected_user: 'U1' }],
    [stateValue.conversationsSelect('C1'), { type: 'conversations_select', selected_conversation: 'C1' }],
    [
      stateValue.checkboxes([{ text: { type: 'mrkdwn', text: '*Record*' }, value: 'rec' } as never]),
      {
        type: 'checkboxes',
        selected_options: [{ text: { type: 'mrkdwn', text: '*Record*' }, value: 'rec' }],
      },
    ],
    [stateValue.checkboxes([]), { type: 'checkboxes', selected_options: [] }],
    [
      stateValue.radioButtons({ text: 'Secure', value: 'secure' }),
      {
        type: 'radio_buttons',
        selected_option: { text: { type: 'plain_text', text: 'Secure', emoji: true }, value: 'secure' },
      },
    ],
  ])('%j', (built, expected) => {
    expect(built).toEqual(expected);
  });
});

describe('events', () => {
  test('the envelope has every field of the real app_home_opened capture', () => {
    const real = readJsonFixture<Record<string, unknown>>('slack.app_home_opened.messages-tab.json');
    const envelope = eventCallback({ type: 'app_home_opened', user: TEST_WORKSPACE.userId, tab: 'home' });
    for (const key of Object.keys(real)) expect(envelope).toHaveProperty(key);
    expect(envelope.authorizations[0]?.user_id).toBe(TEST_WORKSPACE.botUserId);
    expect(JSON.parse(eventCallbackBody({ type: 'x' })).type).toBe('event_callback');
  });
});

describe('real Bolt accepts what these helpers sign', () => {
  const secret = TEST_WORKSPACE.signingSecret;
  let stub: SlackStub;
  let app: App;
  let appUrl: string;
  const seen: string[] = [];
  const logger = new RecordingLogger();

  beforeAll(async () => {
    stub = await SlackStub.start();
    // What works with Bolt 5.1 in HTTP mode against the stub (see the harness report):
    // - clientOptions.slackApiUrl points app.client (and every listener's `client`) at the stub;
    // - small retry settings, or a 429 stalls the client for ~30 min;
    // - deferInitialization + `await app.init()` runs auth.test up front, so a failure rejects here instead of
    //   becoming an unhandled rejection from the constructor;
    // - start({port: 0, host}) listens on a free port; the promise resolves with the http.Server.
    app = new App({
      token: TEST_WORKSPACE.botToken,
      signingSecret: secret,
      clientOptions: { slackApiUrl: stub.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
      logger,
      deferInitialization: true,
    });
    await app.init();
    app.command('/meet', async ({ ack, command, respond, client }) => {
      await ack();
      seen.push(`command:${command.text}`);
      await respond({ text: `you said ${command.text}`, response_type: 'ephemeral' });
      await client.chat.postMessage({ channel: command.channel_id, text: 'card' });
    });
    app.action('meeting_end', async ({ ack, body }) => {
      await ack();
      seen.push(`action:${(body as BlockAction).actions[0]?.action_id}`);
    });
    app.view('schedule', async ({ ack, view }) => {
      const title = view.state.values.title?.value?.value;
      if (!title) {
        await ack({ response_action: 'errors', errors: { title: 'Give the meeting a title' } });
        return;
      }
      await ack();
      seen.push(`view:${title}`);
    });
    app.event('app_home_opened', async ({ event }) => {
      seen.push(`event:${event.user}`);
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app.stop();
    await stub.close();
  });

  afterEach(() => {
    // Bolt logs signature failures at warn; nothing should reach error.
    expect(logger.lines('error')).toEqual([]);
  });

  test('init called auth.test on the stub with the bot token', () => {
    expect(stub.calls('auth.test')[0]?.token).toBe(TEST_WORKSPACE.botToken);
  });

  test('a signed slash command is acked 200, then respond() and the Web API reach the stub', async () => {
    const responseUrl = stub.responseUrl();
    const res = await postToApp(appUrl, slashCommandBody({ text: 'hello', response_url: responseUrl }), {
      secret,
    });
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(3000);
    expect((await stub.waitForResponse(responseUrl)).body).toMatchObject({ text: 'you said hello' });
    expect((await stub.waitForCall('chat.postMessage')).args.channel).toBe(TEST_WORKSPACE.channelId);
    expect(seen).toContain('command:hello');
  });

  test('a bad signature, a missing one, and a stale timestamp get 401', async () => {
    const body = slashCommandBody({ text: 'x' });
    expect((await postToApp(appUrl, body, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await postToApp(appUrl, body, { secret, signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await postToApp(appUrl, body, { secret, signature: false })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postToApp(appUrl, body, { secret, timestamp: stale })).status).toBe(401);
    expect(logger.lines('warn').join('\n')).toMatch(/signature mismatch/);
  });

  test('Bolt alone accepts a timestamp from the future (the app must add its own check)', async () => {
    const future = Math.floor(Date.now() / 1000) + 60 * 60;
    const body = slashCommandBody({ text: 'future', response_url: stub.responseUrl() });
    const res = await postToApp(appUrl, body, { secret, timestamp: future });
    expect(res.status).toBe(200);
  });

  test('a charset suffix on the content-type breaks Bolt (it compares with ===)', async () => {
    const res = await postToApp(appUrl, slashCommandBody({ text: 'x' }), {
      secret,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(res.status).toBe(400);
  });

  test('block_actions, view_submission (with response_action errors) and events through a bound client', async () => {
    const slack = new SlackRequestClient(appUrl, { secret });
    expect((await slack.action({ actionId: 'meeting_end', value: '1' })).status).toBe(200);
    const rejected = await slack.submitView({
      callbackId: 'schedule',
      values: { title: { value: stateValue.plainTextInput(null) } },
    });
    expect(rejected.json).toEqual({
      response_action: 'errors',
      errors: { title: 'Give the meeting a title' },
    });
    const accepted = await slack.submitView({
      callbackId: 'schedule',
      values: { title: { value: stateValue.plainTextInput('Design sync') } },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toBe('');
    expect(
      (
        await slack.event({
          type: 'app_home_opened',
          user: 'U0HOME0001',
          tab: 'home',
          channel: 'D1',
          event_ts: '1.2',
        })
      ).status,
    ).toBe(200);
    expect(seen).toEqual(
      expect.arrayContaining(['action:meeting_end', 'view:Design sync', 'event:U0HOME0001']),
    );
  });

  test('url_verification is answered with the challenge', async () => {
    const res = await postToApp(appUrl, urlVerificationBody('c-123'), { secret });
    expect(res.json).toEqual({ challenge: 'c-123' });
  });
});
