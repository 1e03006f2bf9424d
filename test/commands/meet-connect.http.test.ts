/**
 * `/meet connect` and `/meet disconnect` in single-workspace mode (today's only mode), over signed HTTP to the
 * real Bolt app: the connection comes from the environment, so both explain that privately; workspace admins also
 * see which account and whose API token, as App Home shows them. Nothing opens, nothing changes.
 */
import { startTestApp, type TestApp } from '../app/harness.js';

const ADMIN = { id: 'U0ADMIN001', real_name: 'Admin', email: 'admin@example.com', is_admin: true };
const ENV_CONNECT =
  'This app serves one workspace, connected to MegaMeeting by its environment: nothing to connect here. ' +
  'The operator sets `MEGAMEETING_URL` and `MEGAMEETING_API_TOKEN` and restarts the app to change it. ' +
  '(`/meet connect` and `/meet disconnect` are for installations offered to many workspaces.)';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  t.slack.addUser(ADMIN);
});
afterAll(async () => {
  await t.close();
});

test('/meet connect when MegaMeeting does not answer (first, before any answer is cached): admins are told so, privately', async () => {
  t.emulator.state.injectFaults('status503', 20);
  try {
    const res = await t.command('connect', { user_id: ADMIN.id });
    const reply = await t.slack.waitForResponse(res.responseUrl, undefined, 20_000);
    expect(reply.body.text).toBe(ENV_CONNECT);
    expect(JSON.stringify(reply.body.blocks)).toContain('MegaMeeting is not answering');
  } finally {
    t.emulator.state.clearFaults();
  }
});

test('/meet connect by a workspace admin: the environment, the account URL and the login whose token the app uses', async () => {
  const res = await t.command('connect', { user_id: ADMIN.id });
  expect(res.status).toBe(200);
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(reply.body.response_type).toBe('ephemeral');
  expect(reply.body.text).toBe(ENV_CONNECT);
  const blocks = JSON.stringify(reply.body.blocks);
  expect(blocks).toContain(':large_green_circle: Connected');
  expect(blocks).toContain(`*Account*\\n${t.emulator.url}`);
  expect(blocks).toContain(`owner@example.com (\`${t.emulator.adminLoginId}\`)`);
  expect(blocks).not.toContain(t.emulator.adminToken);
  expect(t.slack.calls('views.open')).toHaveLength(0);
});

test('/meet disconnect by someone else: where the connection comes from, without the account details', async () => {
  const res = await t.command('disconnect');
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(reply.body.response_type).toBe('ephemeral');
  expect(reply.body.text).toBe(
    'This app serves one workspace, connected to MegaMeeting by its environment: it cannot be disconnected from Slack. ' +
      'The operator sets `MEGAMEETING_URL` and `MEGAMEETING_API_TOKEN` and restarts the app to change it. ' +
      '(`/meet connect` and `/meet disconnect` are for installations offered to many workspaces.)',
  );
  const blocks = JSON.stringify(reply.body.blocks);
  expect(blocks).not.toContain(t.emulator.url);
  expect(blocks).toContain('Workspace admins see which account and login here.');
  // Still connected: a meeting can be started afterwards.
  await t.command('After disconnect');
  await t.slack.waitForCall('chat.postMessage');
});

test('/meet help lists connect and disconnect', async () => {
  const res = await t.command('help');
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(reply.body.text).toContain(
    '`/meet connect` which MegaMeeting account this workspace uses (workspace admins: connect it)',
  );
  expect(reply.body.text).toContain(
    '`/meet disconnect` disconnect this workspace from MegaMeeting (workspace admins)',
  );
});
