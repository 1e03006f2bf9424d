/**
 * `/meet connect` and `/meet disconnect` in single-workspace mode (EnvironmentConnectionCommands) without Bolt
 * (./world.ts): everyone is told the connection is the environment's, privately; only admins see the account and
 * login; an admin check MegaMeeting cannot answer in time is logged and answered without the details.
 * `desk-unit` mutation scope; test/commands/meet-connect.http.test.ts covers the wiring.
 */
import type { Services } from '../../src/app.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const ADMIN = { id: 'U0ADMIN001', real_name: 'Admin', email: 'admin@example.com', is_admin: true };
const HOW =
  'The operator sets `MEGAMEETING_URL` and `MEGAMEETING_API_TOKEN` and restarts the app to change it. ' +
  '(`/meet connect` and `/meet disconnect` are for installations offered to many workspaces.)';
const LEAD = {
  connect:
    'This app serves one workspace, connected to MegaMeeting by its environment: nothing to connect here.',
  disconnect:
    'This app serves one workspace, connected to MegaMeeting by its environment: it cannot be disconnected from Slack.',
};

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;
let now: number;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  stub.addUser(ADMIN);
  now = Date.now();
  w = await startServiceWorld(stub, { clock: { now: () => new Date(now) } });
  services = w.services;
});
afterEach(async () => {
  await w.close();
});

async function answer(command: 'connect' | 'disconnect', userId: string) {
  const responseUrl = stub.responseUrl();
  await services.connectionCommands[command]({
    teamId: W.teamId,
    userId,
    triggerId: stub.issueTriggerId(),
    responseUrl,
  });
  const reply = stub.responses(responseUrl).at(-1);
  if (!reply) throw new Error('no answer');
  return reply.body as { text: string; blocks: unknown[]; response_type: string };
}

test.each(['connect', 'disconnect'] as const)(
  '%s by an admin: the environment, the account and the login, privately',
  async (command) => {
    const reply = await answer(command, ADMIN.id);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe(`${LEAD[command]} ${HOW}`);
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain(`*Account*\\n${w.emu.url}`);
    expect(blocks).toContain(`owner@example.com (\`${w.emu.state.adminLoginId}\`)`);
    expect(blocks).not.toContain(w.emu.adminToken);
  },
);

test.each(['connect', 'disconnect'] as const)(
  '%s by someone else: the environment, without the account',
  async (command) => {
    const reply = await answer(command, W.userId);
    expect(reply.text).toBe(`${LEAD[command]} ${HOW}`);
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).not.toContain(w.emu.url);
    expect(blocks).toContain('Workspace admins see which account and login here.');
  },
);

test('an admin check MegaMeeting is too slow for: answered without the account, and logged', async () => {
  const LINKED = { id: 'U0LINKED01', real_name: 'Lin Admin', email: 'lin@example.com' };
  stub.addUser(LINKED);
  w.emu.state.addLogin({ email: LINKED.email, roles: ['admin', 'host'] });
  await services.identity.resolveHost(W.teamId, LINKED.id);
  now += 30_000;
  w.emu.state.setLatency(2_500);
  const reply = await answer('connect', LINKED.id);
  w.emu.state.setLatency(0);
  expect(JSON.stringify(reply.blocks)).not.toContain(w.emu.url);
  expect(w.logs()).toContainEqual(
    expect.objectContaining({
      msg: '/meet connect: admin check failed',
      teamId: W.teamId,
      userId: LINKED.id,
    }),
  );
});
