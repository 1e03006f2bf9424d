/**
 * Multi-workspace mode's `/meet connect` / `/meet disconnect` and the connect form (WorkspaceConnectionCommands),
 * against the Slack stand-in (views, response_url) and the MegaMeeting emulator over HTTP, driving the commands
 * directly; test/workspaces/connect.http.test.ts drives them through the multi-workspace app.
 */
import type { ModalView } from '@slack/types';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { createLogger } from '../../src/logger.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import { SecretBox } from '../../src/secrets/index.js';
import {
  type ConnectSubmission,
  WorkspaceConnectionCommands,
} from '../../src/services/connection-commands.js';
import { ConnectionService } from '../../src/services/connections.js';
import { createSlackWebClient, SlackGateway } from '../../src/slack/gateway.js';
import { type ConnectionRepository, openStore, type Store } from '../../src/store/index.js';
import { CONNECTION_IDS as IDS } from '../../src/views/ids.js';
import { createTestDatabase, type TestDatabase } from '../store/helpers.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const ADMIN = 'U0ADMIN001';

let emu: Emulator;
let slack: SlackStub;
let db: TestDatabase;
let store: Store;
let connections: ConnectionRepository;
let gateway: SlackGateway;

beforeAll(async () => {
  [emu, slack] = await Promise.all([startEmulator(), SlackStub.start()]);
  db = await createTestDatabase('sqlite');
  store = await openStore(db.url);
  connections = store.megameetingConnections(new SecretBox(Buffer.alloc(32, 9)));
  gateway = new SlackGateway(
    createSlackWebClient(W.botToken, { apiUrl: slack.url }),
    createLogger({ level: 'silent', secrets: [] }),
  );
});
afterAll(async () => {
  await store.close();
  await db.drop();
  await Promise.all([emu.close(), slack.close()]);
});
beforeEach(async () => {
  slack.reset();
  slack.addUser({ id: ADMIN, real_name: 'Admin', is_admin: true });
  emu.state.setLatency(0);
  emu.state.clearRequests();
  await connections.delete(W.teamId);
});

function commands(answerBudgetMs?: number) {
  const logger = createLogger({ level: 'silent', secrets: [] });
  const service = new ConnectionService({
    connections,
    megameetingFor: (baseUrl, apiToken) => new MegaMeetingClient({ baseUrl, apiToken, retries: 0 }),
    slackFor: () => gateway,
    urls: { allowLoopbackHttp: true },
    logger,
    clock: { now: () => new Date('2026-03-01T10:00:00Z') },
  });
  return new WorkspaceConnectionCommands({
    connections: service,
    slackFor: () => gateway,
    logger,
    ...(answerBudgetMs !== undefined ? { answerBudgetMs } : {}),
  });
}

/** view.state.values as Slack sends them for the connect form. */
/** The element of a view's input block. */
function elementOf(view: ModalView, blockId: string): Record<string, unknown> | undefined {
  const block = view.blocks.find((b) => b.block_id === blockId) as unknown as {
    element?: Record<string, unknown>;
  };
  return block?.element;
}

function values(url: string, token: string) {
  return {
    [IDS.url.block]: { [IDS.url.action]: { type: 'url_text_input', value: url } },
    [IDS.token.block]: { [IDS.token.action]: { type: 'plain_text_input', value: token } },
  };
}

async function openForm(userId = ADMIN): Promise<{ id: string; view: ModalView }> {
  await commands().connect({
    teamId: W.teamId,
    userId,
    triggerId: slack.issueTriggerId(),
    responseUrl: slack.responseUrl(),
  });
  const opened = slack.lastView(IDS.view);
  const sent = slack.lastCall('views.open')?.args.view as ModalView | undefined;
  if (!opened || !sent) throw new Error('no connect form opened');
  return { id: opened.id, view: sent };
}

function submit(viewId: string, url: string, token: string, budget?: number): Promise<ConnectSubmission> {
  return commands(budget).submit({ teamId: W.teamId, userId: ADMIN, viewId, values: values(url, token) });
}

test('/meet connect by an admin opens the form (no MegaMeeting call before it); the token field is empty', async () => {
  const { view } = await openForm();
  assertValidModal(view);
  expect(emu.state.requests()).toHaveLength(0);
  expect(elementOf(view, IDS.token.block)).toBeDefined();
  expect(elementOf(view, IDS.token.block)?.initial_value).toBeUndefined();
});

test('/meet connect by someone else answers the status privately, with who can connect', async () => {
  const responseUrl = slack.responseUrl();
  await commands().connect({
    teamId: W.teamId,
    userId: W.userId,
    triggerId: slack.issueTriggerId(),
    responseUrl,
  });
  const reply = await slack.waitForResponse(responseUrl);
  expect(reply.body.response_type).toBe('ephemeral');
  expect(reply.body.text).toBe(
    'This workspace is not connected to MegaMeeting yet. A Slack workspace admin or owner can connect it with `/meet connect`.',
  );
  expect(slack.views()).toHaveLength(0);
});

test('a refused token comes back inline on the token field (within the answer budget); nothing stored', async () => {
  const { id } = await openForm();
  const host = emu.state.addLogin({ email: 'host@example.com', roles: ['host'] });
  const answer = await submit(id, emu.url, host.apiToken);
  expect(answer).toEqual({
    response: {
      response_action: 'errors',
      errors: {
        [IDS.token.block]:
          'This API token belongs to a login without the admin role. Use an API token of an admin or owner login.',
      },
    },
  });
  expect(await connections.get(W.teamId)).toBeNull();
});

test('empty fields are refused inline without asking MegaMeeting', async () => {
  const answer = await submit('V-none', ' ', '');
  expect(answer.response).toEqual({
    response_action: 'errors',
    errors: {
      [IDS.url.block]: 'Enter your MegaMeeting account URL, e.g. https://myaccount.megameeting.com',
      [IDS.token.block]: 'Paste an API token of an admin login of your MegaMeeting account.',
    },
  });
  expect(emu.state.requests()).toHaveLength(0);
});

test('a good account is saved and the modal says which account and login', async () => {
  const { id } = await openForm();
  const answer = await submit(id, emu.url, emu.adminToken);
  expect(answer.rest).toBeUndefined();
  expect(answer.response.response_action).toBe('update');
  const view = (answer.response as { view: ModalView }).view;
  assertValidModal(view);
  expect(JSON.stringify(view)).toContain(emu.url);
  expect(JSON.stringify(view)).toContain('owner@example.com');
  expect(JSON.stringify(view)).not.toContain(emu.adminToken);
  expect((await connections.get(W.teamId))?.loginId).toBe(emu.adminLoginId);
});

test('a check slower than the budget: "checking" at once, then the form again with the error under its field', async () => {
  const { id } = await openForm();
  emu.state.setLatency(300);
  const answer = await submit(id, emu.url, 'WRONGTOKEN1234567', 50);
  expect(answer.response).toMatchObject({ response_action: 'update', view: { callback_id: IDS.noticeView } });
  expect(JSON.stringify(answer.response)).toContain('Checking the account with MegaMeeting');
  await answer.rest?.();
  const update = slack.lastCall('views.update');
  expect(update?.args.view_id).toBe(id);
  const updated = update?.args.view as ModalView;
  assertValidModal(updated);
  expect(updated.callback_id).toBe(IDS.view);
  const error = updated.blocks.find((b) => b.block_id === `${IDS.token.block}_error`);
  expect(JSON.stringify(error)).toContain(
    `The MegaMeeting account at ${emu.url} did not accept this API token.`,
  );
  // What was typed in the URL field is kept; the token is not put back.
  expect(elementOf(updated, IDS.url.block)?.initial_value).toBe(emu.url);
  expect(JSON.stringify(updated)).not.toContain('WRONGTOKEN1234567');
  expect(await connections.get(W.teamId)).toBeNull();
});

test('a slow but good check ends with the connected modal', async () => {
  const { id } = await openForm();
  emu.state.setLatency(200);
  const answer = await submit(id, emu.url, emu.adminToken, 50);
  await answer.rest?.();
  expect(JSON.stringify(slack.view(id))).toContain('MegaMeeting is connected');
  expect(await connections.get(W.teamId)).not.toBeNull();
});

test('/meet disconnect: a prompt with a confirmed Disconnect button; pressing it removes the connection', async () => {
  await submit('V-none', emu.url, emu.adminToken);
  const responseUrl = slack.responseUrl();
  await commands().disconnect({
    teamId: W.teamId,
    userId: ADMIN,
    triggerId: slack.issueTriggerId(),
    responseUrl,
  });
  const prompt = await slack.waitForResponse(responseUrl);
  assertValidMessageBlocks(prompt.body.blocks as never);
  const shown = JSON.stringify(prompt.body.blocks);
  expect(shown).toContain(IDS.disconnect);
  expect(shown).toContain('"confirm":');
  expect(shown).toContain(emu.url);
  expect(await connections.get(W.teamId)).not.toBeNull();

  const actionUrl = slack.responseUrl();
  await commands().confirmDisconnect({ teamId: W.teamId, userId: ADMIN, responseUrl: actionUrl });
  const done = await slack.waitForResponse(actionUrl);
  expect(done.body.replace_original).toBe(true);
  expect(done.body.text).toBe(
    `<@${ADMIN}> disconnected MegaMeeting (${emu.url}). /meet needs a new connection (\`/meet connect\`) before it works again here.`,
  );
  expect(await connections.get(W.teamId)).toBeNull();
});

test('/meet disconnect by someone who is not a workspace admin is refused; the connection stays', async () => {
  await submit('V-none', emu.url, emu.adminToken);
  await expect(
    commands().disconnect({
      teamId: W.teamId,
      userId: W.userId,
      triggerId: slack.issueTriggerId(),
      responseUrl: slack.responseUrl(),
    }),
  ).rejects.toMatchObject({ code: 'not_allowed' });
  await expect(
    commands().confirmDisconnect({ teamId: W.teamId, userId: W.userId, responseUrl: slack.responseUrl() }),
  ).rejects.toMatchObject({ code: 'not_allowed' });
  expect(await connections.get(W.teamId)).not.toBeNull();
});

test('a form submitted by someone who is not a workspace admin (crafted): the refusal in the modal; nothing asked or stored', async () => {
  const answer = await commands().submit({
    teamId: W.teamId,
    userId: W.userId,
    viewId: 'V-none',
    values: values(emu.url, emu.adminToken),
  });
  expect(answer.rest).toBeUndefined();
  expect(answer.response).toMatchObject({ response_action: 'update', view: { callback_id: IDS.noticeView } });
  expect(JSON.stringify(answer.response)).toContain(
    'Only a Slack workspace admin or owner can connect or disconnect MegaMeeting.',
  );
  expect(emu.state.requests()).toHaveLength(0);
  expect(await connections.get(W.teamId)).toBeNull();
});

test('Slack failing to say who submitted: the modal says the connect failed, within the budget or after it', async () => {
  const failed = "Slack refused a request (user_not_found), so I couldn't connect MegaMeeting.";
  slack.failNext('users.info', 'user_not_found');
  const now = await submit('V-none', emu.url, emu.adminToken);
  expect(now.rest).toBeUndefined();
  expect(now.response).toMatchObject({ response_action: 'update', view: { callback_id: IDS.noticeView } });
  expect(JSON.stringify(now.response)).toContain(failed);

  const { id } = await openForm();
  slack.setLatency('users.info', 200);
  slack.failNext('users.info', 'user_not_found');
  const later = await submit(id, emu.url, emu.adminToken, 50);
  slack.setLatency('users.info', 0);
  expect(JSON.stringify(later.response)).toContain('Checking the account with MegaMeeting');
  await later.rest?.();
  const update = slack.lastCall('views.update');
  expect(update?.args.view_id).toBe(id);
  const shown = update?.args.view as ModalView;
  expect(shown.callback_id).toBe(IDS.noticeView);
  expect(JSON.stringify(shown)).toContain(failed);
  expect(await connections.get(W.teamId)).toBeNull();
});

test('the modal closed before a slow check ended: the account is saved all the same, nothing thrown', async () => {
  const { id } = await openForm();
  emu.state.setLatency(200);
  const answer = await submit(id, emu.url, emu.adminToken, 50);
  slack.failNext('views.update', 'not_found');
  await expect(answer.rest?.()).resolves.toBeUndefined();
  expect(slack.lastCall('views.update')?.args.view_id).toBe(id);
  expect((await connections.get(W.teamId))?.loginId).toBe(emu.adminLoginId);
});

test('with a connection: an admin’s form shows it with its URL filled in; anyone else is told which account', async () => {
  await submit('V-none', emu.url, emu.adminToken);
  const { view } = await openForm();
  expect(elementOf(view, IDS.url.block)?.initial_value).toBe(emu.url);
  expect(elementOf(view, IDS.token.block)?.initial_value).toBeUndefined();
  expect(JSON.stringify(view)).toContain(`Connected now: ${emu.url} · API token of owner@example.com`);

  const responseUrl = slack.responseUrl();
  await commands().connect({
    teamId: W.teamId,
    userId: W.userId,
    triggerId: slack.issueTriggerId(),
    responseUrl,
  });
  const reply = await slack.waitForResponse(responseUrl);
  expect(reply.body.response_type).toBe('ephemeral');
  expect(reply.body.text).toBe(
    `MegaMeeting is connected: ${emu.url} · API token of owner@example.com (\`${emu.adminLoginId}\`).`,
  );
  expect(JSON.stringify(reply.body.blocks)).toContain(
    'A Slack workspace admin or owner can change or remove it.',
  );
});

test('/meet disconnect by an admin with nothing connected: told so privately, with the Connect button', async () => {
  const responseUrl = slack.responseUrl();
  await commands().disconnect({
    teamId: W.teamId,
    userId: ADMIN,
    triggerId: slack.issueTriggerId(),
    responseUrl,
  });
  const reply = await slack.waitForResponse(responseUrl);
  expect(reply.body.response_type).toBe('ephemeral');
  expect(reply.body.text).toMatch(/^This workspace is not connected to MegaMeeting yet\./);
  expect(JSON.stringify(reply.body.blocks)).not.toContain(IDS.disconnect);
  expect(JSON.stringify(reply.body.blocks)).toContain(IDS.openConnect);
});
