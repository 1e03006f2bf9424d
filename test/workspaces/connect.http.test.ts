/**
 * Multi-workspace mode connects each workspace's own MegaMeeting account, over signed HTTP to the real app
 * (startMultiWorkspaceApp) with the Slack stand-in and the MegaMeeting emulator: `/meet connect` opens the form
 * on that workspace's bot token, a good admin token is checked and stored (read back through the store), a bad
 * one is refused inline with nothing stored, non-admins are refused, `/meet` says where the workspace stands
 * (admins get the Connect button), and `/meet disconnect` with its confirmed button removes the connection.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { SecretBox } from '../../src/secrets/index.js';
import { NOT_WORKSPACE_ADMIN } from '../../src/services/connections.js';
import type { ConnectionRepository } from '../../src/store/types.js';
import { CONNECTION_IDS as IDS } from '../../src/views/ids.js';
import { NOT_CONNECTED_ADMIN_TEXT, NOT_CONNECTED_TEXT } from '../../src/workspaces/not-connected.js';
import { execSql } from '../store/helpers.js';
import { assertValidMessageBlocks, assertValidModal, homeTabIssues } from '../support/block-kit.js';
import {
  blockActionsPayload,
  interactivityBody,
  postToApp,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';
import {
  botTokenOf,
  ENCRYPTION_KEY,
  install,
  installer,
  type MultiTestApp,
  startMultiTestApp,
  workspaceEvent,
} from './harness.js';

const A = 'T0CONA';
const B = 'T0CONB';
const adminOf = (teamId: string) => `U${teamId}ADMIN`;
const memberOf = (teamId: string) => `U${teamId}MEMBER`;

let app: MultiTestApp;
let emu: Emulator;
let connections: ConnectionRepository;

beforeAll(async () => {
  [app, emu] = await Promise.all([startMultiTestApp(), startEmulator()]);
  connections = app.store.megameetingConnections(new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')));
});
afterAll(async () => {
  await Promise.all([app?.stop(), emu?.close()]);
});
beforeEach(async () => {
  await execSql(app.db.url, [
    'delete from slack_installations',
    'delete from megameeting_connections',
    'delete from leases',
  ]);
  // Rows go behind the app's back: its workspace apps (kept up to 30 s) go with them.
  for (const teamId of [A, B]) app.running.workspaces.forget(teamId, 'test reset');
  app.slack.reset();
  emu.state.clearRequests();
  for (const teamId of [A, B]) {
    app.slack.addUser({ id: adminOf(teamId), real_name: `Admin ${teamId}`, is_admin: true });
    app.slack.addUser({ id: memberOf(teamId), real_name: `Member ${teamId}` });
  }
  await install(app, installer(A));
  await install(app, installer(B));
});

const botToken = (teamId: string) => botTokenOf(app, teamId);

function command(
  teamId: string,
  text: string,
  userId = adminOf(teamId),
  triggerId = app.slack.issueTriggerId(),
) {
  const responseUrl = app.slack.responseUrl();
  const sent = postToApp(
    `${app.base}/slack/events`,
    slashCommandBody({
      text,
      team_id: teamId,
      user_id: userId,
      response_url: responseUrl,
      trigger_id: triggerId,
    }),
  );
  return sent.then((res) => ({ ...res, responseUrl }));
}

function interact(payload: object) {
  return postToApp(`${app.base}/slack/events`, interactivityBody(payload));
}

function formValues(url: string, token: string) {
  return {
    [IDS.url.block]: { [IDS.url.action]: { type: 'url_text_input', value: url } },
    [IDS.token.block]: { [IDS.token.action]: { type: 'plain_text_input', value: token } },
  };
}

/** `/meet connect` as the admin of `teamId`: the form Slack was asked to open, and its id. */
async function openForm(teamId: string): Promise<{ id: string; view: ModalView }> {
  const triggerId = app.slack.issueTriggerId();
  const res = await command(teamId, 'connect', adminOf(teamId), triggerId);
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  const call = await app.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
  expect(call.token).toBe(await botToken(teamId));
  const opened = app.slack.lastView(IDS.view);
  if (!opened) throw new Error('no connect form opened');
  return { id: opened.id, view: call.args.view as ModalView };
}

function submit(teamId: string, viewId: string, url: string, token: string, userId = adminOf(teamId)) {
  const payload = viewSubmissionPayload({
    teamId,
    userId,
    viewId,
    callbackId: IDS.view,
    values: formValues(url, token),
  });
  // The view is the workspace's own (the helper fills in the default test workspace).
  Object.assign(payload.view, { team_id: teamId, app_installed_team_id: teamId });
  return interact(payload);
}

test('/meet connect by a workspace admin opens the form on that workspace’s bot token, before any MegaMeeting call', async () => {
  const before = app.slack.calls().length;
  const { view } = await openForm(A);
  assertValidModal(view);
  expect(emu.state.requests()).toHaveLength(0);
  // Only workspace A's token was used, never B's.
  const tokenB = await botToken(B);
  expect(
    app.slack
      .calls()
      .slice(before)
      .filter((c) => c.token === tokenB),
  ).toHaveLength(0);
  expect(app.slack.calls().slice(before).length).toBeGreaterThan(0);
});

test('a good admin token is checked and stored for that workspace only; /meet then runs in the workspace’s own app', async () => {
  const { id } = await openForm(A);
  const res = await submit(A, id, emu.url, emu.adminToken);
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  const answer = res.json as { response_action: string; view: ModalView };
  expect(answer.response_action).toBe('update');
  assertValidModal(answer.view);
  expect(JSON.stringify(answer.view)).toContain(emu.url);
  expect(JSON.stringify(answer.view)).not.toContain(emu.adminToken);

  const stored = await connections.get(A);
  expect(stored).toMatchObject({
    teamId: A,
    accountUrl: emu.url,
    apiToken: emu.adminToken,
    loginId: emu.adminLoginId,
    connectedBy: adminOf(A),
  });
  expect(await connections.get(B)).toBeNull();
  const [row] = await execSql(app.db.url, ['select * from megameeting_connections']);
  expect(JSON.stringify(row)).not.toContain(emu.adminToken);
  expect(app.logs.join('\n')).not.toContain(emu.adminToken);

  // From now on `/meet` runs in the workspace's own app, on the account just connected.
  const meet = await command(A, 'standup', memberOf(A));
  const unmapped = await app.slack.waitForResponse(meet.responseUrl);
  expect(unmapped.body.text).toContain("I can't see an email address on your Slack profile");
  expect(app.running.workspaces.peek(A)?.accountUrl).toBe(emu.url);
  // Workspace B is still not connected.
  expect((await command(B, 'standup', memberOf(B))).json).toEqual({
    response_type: 'ephemeral',
    text: NOT_CONNECTED_TEXT,
  });
});

test('a refused token comes back inline under the token field; nothing is stored', async () => {
  const { id } = await openForm(A);
  const res = await submit(A, id, emu.url, 'not-the-token-of-this-account');
  expect(res.json).toEqual({
    response_action: 'errors',
    errors: {
      [IDS.token.block]: expect.stringContaining(
        `The MegaMeeting account at ${emu.url} did not accept this API token`,
      ),
    },
  });
  expect(await connections.get(A)).toBeNull();
  const [row] = await execSql(app.db.url, ['select count(*) as n from megameeting_connections']);
  expect(Number(row?.n)).toBe(0);
  expect(app.logs.join('\n')).not.toContain('not-the-token-of-this-account');
});

test('an http:// URL that is not loopback is refused inline (the token would travel unencrypted)', async () => {
  const { id } = await openForm(A);
  const res = await submit(A, id, 'http://megameeting.example.com', emu.adminToken);
  expect(res.json).toMatchObject({
    response_action: 'errors',
    errors: { [IDS.url.block]: expect.any(String) },
  });
  expect(emu.state.requests()).toHaveLength(0);
  expect(await connections.get(A)).toBeNull();
});

test('a member who is not a workspace admin: /meet connect shows the status, /meet disconnect and a forged submit are refused', async () => {
  const connect = await command(A, 'connect', memberOf(A));
  const reply = await app.slack.waitForResponse(connect.responseUrl);
  expect(reply.body.text).toBe(
    'This workspace is not connected to MegaMeeting yet. A Slack workspace admin or owner can connect it with `/meet connect`.',
  );
  expect(app.slack.calls('views.open')).toHaveLength(0);

  const disconnect = await command(A, 'disconnect', memberOf(A));
  const refused = await app.slack.waitForResponse(disconnect.responseUrl);
  expect(refused.body).toMatchObject({
    response_type: 'ephemeral',
    text: expect.stringContaining(NOT_WORKSPACE_ADMIN),
  });

  // A submission from a non-admin (a modal kept open after losing admin rights) stores nothing.
  const res = await submit(A, 'V0FORGED', emu.url, emu.adminToken, memberOf(A));
  expect(res.status).toBe(200);
  expect(JSON.stringify(res.json)).toContain('Only a Slack workspace admin or owner');
  expect(await connections.get(A)).toBeNull();
});

test('/meet in a workspace not connected: members read that an admin must connect; admins get the Connect button, which opens the form', async () => {
  const member = await command(A, '', memberOf(A));
  expect(member.json).toEqual({ response_type: 'ephemeral', text: NOT_CONNECTED_TEXT });

  const admin = await command(A, 'standup');
  expect(admin.elapsedMs).toBeLessThan(3000);
  const body = admin.json as { text: string; blocks: KnownBlock[] };
  expect(body.text).toBe(NOT_CONNECTED_ADMIN_TEXT);
  assertValidMessageBlocks(body.blocks);
  expect(JSON.stringify(body.blocks)).toContain(IDS.openConnect);

  const press = await interact(
    blockActionsPayload({
      actionId: IDS.openConnect,
      teamId: A,
      userId: adminOf(A),
      triggerId: app.slack.issueTriggerId(),
      responseUrl: app.slack.responseUrl(),
      message: { ts: '1700000000.000100', text: body.text, blocks: body.blocks },
    }),
  );
  expect(press.status).toBe(200);
  const call = await app.slack.waitForCall('views.open');
  expect(call.token).toBe(await botToken(A));
  expect(app.slack.lastView(IDS.view)).toBeDefined();
});

test('/meet disconnect: the admin sees the account and a confirmed Disconnect, which removes it', async () => {
  const { id } = await openForm(A);
  await submit(A, id, emu.url, emu.adminToken);
  expect(await connections.get(A)).not.toBeNull();

  const res = await command(A, 'disconnect');
  const prompt = await app.slack.waitForResponse(res.responseUrl);
  expect(JSON.stringify(prompt.body.blocks)).toContain(emu.url);
  expect(JSON.stringify(prompt.body.blocks)).toContain(IDS.disconnect);

  const responseUrl = app.slack.responseUrl();
  await interact(
    blockActionsPayload({
      actionId: IDS.disconnect,
      teamId: A,
      userId: adminOf(A),
      responseUrl,
      message: {
        ts: '1700000000.000200',
        text: String(prompt.body.text),
        blocks: prompt.body.blocks as KnownBlock[],
      },
    }),
  );
  const done = await app.slack.waitForResponse(responseUrl);
  expect(done.body.replace_original).toBe(true);
  expect(await connections.get(A)).toBeNull();
  expect((await command(A, '', memberOf(A))).json).toMatchObject({ text: NOT_CONNECTED_TEXT });
});

test('the Home tab of a workspace not connected says what to do: admins get the Connect button, members whom to ask', async () => {
  for (const [userId, text, button] of [
    [adminOf(A), NOT_CONNECTED_ADMIN_TEXT, true],
    [memberOf(A), NOT_CONNECTED_TEXT, false],
  ] as const) {
    const sent = await workspaceEvent(app, A, {
      type: 'app_home_opened',
      user: userId,
      tab: 'home',
      channel: 'D0HOME0001',
    } as { type: string });
    expect(sent.status).toBe(200);
    const publish = await app.slack.waitForCall('views.publish', (c) => c.args.user_id === userId);
    expect(publish.token).toBe(await botToken(A));
    const view = publish.args.view as { type: string; blocks: KnownBlock[] };
    expect(homeTabIssues(view)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(JSON.stringify(text).slice(1, -1));
    expect(JSON.stringify(view.blocks).includes(IDS.openConnect)).toBe(button);
  }
  expect(emu.state.requests()).toHaveLength(0);
});
