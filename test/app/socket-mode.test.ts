/**
 * Socket Mode: with SLACK_APP_TOKEN set the app opens a connection through apps.connections.open (at
 * SLACK_API_URL) and takes slash commands over the WebSocket, acknowledging each envelope.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { slashCommand } from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const APP_TOKEN = 'xapp-1-A0TESTAPP1-0000-socketmodetoken';

let wss: WebSocketServer;
let slack: SlackStub;
let t: TestApp;
let socket: WebSocket | null = null;
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'test', approximate_connection_time: 3600 },
        connection_info: { app_id: TEST_WORKSPACE.appId },
      }),
    );
  });
  slack = await SlackStub.start({ appToken: APP_TOKEN });
  slack.socketModeUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  t = await startTestApp({ slack, env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
});

afterAll(async () => {
  await t.close();
  await slack.close();
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

test('connects with the app-level token through SLACK_API_URL', async () => {
  await eventually(() => socket !== null);
  const open = slack.calls('apps.connections.open');
  expect(open.length).toBeGreaterThan(0);
  expect(open.at(-1)?.token).toBe(APP_TOKEN);
});

test('a slash command over the socket is acknowledged and creates the meeting card', async () => {
  await eventually(() => socket !== null);
  const command = slashCommand({ text: 'Socket sync', response_url: slack.responseUrl() });
  socket?.send(
    JSON.stringify({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: command,
    }),
  );
  await eventually(() => received.find((m) => m.envelope_id === 'env-1'));
  await slack.waitForCall('chat.postMessage', (c) => c.args.channel === TEST_WORKSPACE.channelId);
  expect(t.emulator.state.snapshot().meetings.map((m) => m.name)).toContain('Socket sync');
});

test('health answers in Socket Mode too', async () => {
  const res = await fetch(t.url.replace('/slack/events', '/healthz'));
  expect(await res.json()).toMatchObject({ status: 'ok', mode: 'socket' });
});
