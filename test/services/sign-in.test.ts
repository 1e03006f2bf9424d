/**
 * One-click sign-in without Bolt (./world.ts): "Open MegaMeeting" opens the modal at once, then shows the user's
 * own one-time link from MegaMeeting's `login`, or why there is none, word for word. The link reaches that modal
 * only: never a log line. A link Slack cannot show (too long, not http) is refused. Fast enough for mutation
 * testing (docs/mutation.md, `home-unit` scope); test/home/sign-in.http.test.ts drives it over signed HTTP.
 */

import type { Services } from '../../src/app.js';
import { VIEWS } from '../../src/views/ids.js';
import { MAX_BUTTON_URL_LENGTH } from '../../src/views/sign-in.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const STRANGER = { id: 'U0STRANGER', real_name: 'Sam Stranger', email: 'sam@nowhere.example' };

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  stub.addUser(STRANGER);
  w = await startServiceWorld(stub);
  services = w.services;
});
afterEach(async () => {
  await w.close();
});

interface ModalCall {
  method: string;
  viewId: string | undefined;
  callbackId: string | undefined;
  text: string;
}

/** The modal's calls in order: what it said at each step. */
function modalCalls(): ModalCall[] {
  return stub
    .calls()
    .filter((c) => c.method === 'views.open' || c.method === 'views.update')
    .map((c) => {
      const view = c.args.view as { callback_id?: string; blocks?: { text?: { text?: string } }[] };
      const opened = c.response.view as { id?: string } | undefined;
      return {
        method: c.method,
        viewId: c.method === 'views.open' ? opened?.id : (c.args.view_id as string | undefined),
        callbackId: view.callback_id,
        text: (view.blocks ?? []).map((b) => b.text?.text ?? '').join('\n'),
      };
    });
}

function links() {
  return w.emu.state.snapshot().loginLinks;
}

function open(userId: string = HOST) {
  return services.signIn.openModal({ triggerId: stub.issueTriggerId(), teamId: T, userId });
}

const UNEXPECTED =
  'MegaMeeting answered something unexpected, so I have no sign-in link for you. Please try again later.';

test("a linked user: the modal opens first, then shows their own login's one-time link; no log line holds it", async () => {
  await open();
  const calls = modalCalls();
  expect(calls.map((c) => [c.method, c.callbackId])).toEqual([
    ['views.open', VIEWS.signIn],
    ['views.update', VIEWS.signIn],
  ]);
  expect(calls[0]?.text).toBe(':hourglass_flowing_sand: Getting your sign-in link from MegaMeeting…');
  expect(calls[1]?.viewId).toBe(calls[0]?.viewId);
  const [link] = links();
  expect(link?.loginId).toBe(w.hostLoginId);
  const update = stub.calls('views.update')[0];
  expect(JSON.stringify(update?.args.view)).toContain(`token=${link?.token}`);
  const logs = JSON.stringify(w.logs());
  expect(logs).not.toContain(link?.token);
  const shown = w.logs().filter((l) => l.msg === 'showed a one-time sign-in link to its user');
  expect(shown.map((l) => [l.teamId, l.userId])).toEqual([[T, HOST]]);
  // Nothing but the modal was sent anywhere.
  expect(stub.calls().filter((c) => c.method.startsWith('chat.'))).toEqual([]);
});

test('linkFor: a link for the login the user is linked to', async () => {
  const url = await services.signIn.linkFor(T, HOST);
  const [link] = links();
  expect(link?.loginId).toBe(w.hostLoginId);
  expect(url).toContain(`?token=${link?.token}`);
});

test('an unmapped user reads why, word for word, and MegaMeeting is never asked for a link', async () => {
  await open(STRANGER.id);
  const calls = modalCalls();
  expect(calls[1]?.text).toBe(
    "Your MegaMeeting login for sam@nowhere.example does not exist, so I can't create meetings for you yet. " +
      'Ask your MegaMeeting admin to add (or activate) a login with that email, ' +
      'or ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
  );
  expect(links()).toEqual([]);
  const [line] = w.logs().filter((l) => l.msg === 'no sign-in link for this user');
  expect([line?.userId, line?.err?.code]).toEqual([STRANGER.id, 'unmapped_user']);
});

test('MegaMeeting failing the link: a sentence saying so, no link', async () => {
  // The login is known first (identity's cache), then `login` fails.
  await services.identity.resolveHost(T, HOST);
  w.emu.state.injectFaults('status503', 50);
  await open();
  const text = modalCalls()[1]?.text ?? '';
  expect(text).toBe(
    "MegaMeeting isn't answering right now, so I couldn't get your MegaMeeting sign-in link. Please try again in a minute.",
  );
  expect(text).not.toContain('token=');
});

describe('a link Slack cannot show is refused, and only its length logged', () => {
  /** MegaMeeting's links start with its account URL: one that makes the link `length` characters long. */
  async function baseUrlForLength(length: number, scheme = 'http://'): Promise<string> {
    const probe = await services.signIn.linkFor(T, HOST);
    const base = w.emu.state.baseUrl;
    const host = `${scheme}links.example/`;
    return host + 'p'.repeat(length - (probe.length - base.length) - host.length);
  }

  test(`exactly ${MAX_BUTTON_URL_LENGTH} characters is shown`, async () => {
    w.emu.state.baseUrl = await baseUrlForLength(MAX_BUTTON_URL_LENGTH);
    await open();
    const link = links().at(-1);
    expect(modalCalls()[1]?.text).not.toBe(UNEXPECTED);
    expect(JSON.stringify(stub.calls('views.update')[0]?.args.view)).toContain(`token=${link?.token}`);
  });

  test('one character more is refused', async () => {
    w.emu.state.baseUrl = await baseUrlForLength(MAX_BUTTON_URL_LENGTH + 1);
    await open();
    expect(modalCalls()[1]?.text).toBe(UNEXPECTED);
    const [line] = w.logs().filter((l) => l.msg === 'MegaMeeting gave a sign-in link Slack cannot show');
    expect([line?.userId, line?.length]).toEqual([HOST, MAX_BUTTON_URL_LENGTH + 1]);
    expect(JSON.stringify(w.logs())).not.toContain(links().at(-1)?.token);
  });

  test('a link that is not http(s) is refused; HTTPS in capitals is shown', async () => {
    w.emu.state.baseUrl = 'javascript://links.example';
    await open();
    expect(modalCalls()[1]?.text).toBe(UNEXPECTED);
    stub.clearCalls();
    w.emu.state.baseUrl = 'HTTPS://links.example';
    await open();
    expect(modalCalls()[1]?.text).not.toBe(UNEXPECTED);
    expect(JSON.stringify(stub.calls('views.update')[0]?.args.view)).toContain(
      'HTTPS://links.example/?token=',
    );
  });

  test('a link with http:// further in, not at its start, is refused', async () => {
    w.emu.state.baseUrl = 'ftp://links.example/http://';
    await open();
    expect(modalCalls()[1]?.text).toBe(UNEXPECTED);
  });
});
