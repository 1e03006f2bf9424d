/**
 * One-click sign-in over signed HTTP: "Open MegaMeeting" opens a modal at once, then shows the one-time link from
 * MegaMeeting's `login` to the user who pressed it, and nowhere else: not in a channel, a DM, an ephemeral
 * message, a response_url answer, nor a log line.
 */
import { ACTIONS, VIEWS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';

const STRANGER = { id: 'U0STRANGER', name: 'sam', real_name: 'Sam Stranger', email: 'sam@nowhere.example' };

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Every link MegaMeeting's `login` handed out, read back from the emulator's request log. */
function signInLinks(): string[] {
  return t.slack
    .calls('views.update')
    .flatMap((c) => JSON.stringify(c.args.view).match(/https?:\/\/[^"\\]*\?token=[^"\\]*/g) ?? []);
}

/** Everything the app said anywhere but in a modal: messages, ephemerals, response_url answers, scheduled posts. */
function everythingPosted(): string {
  return JSON.stringify([
    t.slack.calls('chat.postMessage').map((c) => c.args),
    t.slack.calls('chat.postEphemeral').map((c) => c.args),
    t.slack.calls('chat.update').map((c) => c.args),
    t.slack.calls('chat.scheduleMessage').map((c) => c.args),
    t.slack.calls('views.publish').map((c) => c.args),
    t.slack.responses(),
  ]);
}

test('Open MegaMeeting: the modal opens first, then shows the link; the link never leaves that modal', async () => {
  // From the /meet account reply (an ephemeral message in a channel).
  const res = await t.command('account');
  const reply = await t.slack.waitForResponse(res.responseUrl);
  expect(JSON.stringify(reply.body)).toContain(ACTIONS.openMegaMeeting);

  const pressed = await t.action(ACTIONS.openMegaMeeting, 'sign_in', { isEphemeral: true });
  expect(pressed.status).toBe(200);
  const open = await t.slack.waitForCall('views.open', (c) => c.args.view?.callback_id === VIEWS.signIn);
  expect(JSON.stringify(open.args.view)).toContain('Getting your sign-in link');
  await t.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === (open.response.view as { id?: string } | undefined)?.id,
  );
  // The modal opened before MegaMeeting was asked.
  const order = t.slack.calls().map((c) => c.method);
  expect(order.indexOf('views.open')).toBeLessThan(order.indexOf('views.update'));
  expect(t.emulator.state.requests().filter((r) => r.fields.includes('login')).length).toBe(1);

  const links = signInLinks();
  expect(links).toHaveLength(1);
  const link = links[0] ?? '';
  const token = new URL(link).searchParams.get('token') ?? '';
  expect(token.length).toBeGreaterThan(5);
  // The modal is the user's own (opened with their trigger), and nothing else carries the link.
  expect(everythingPosted()).not.toContain(token);
  // Give the app a moment to log whatever it logs after the update, then check every line.
  await new Promise((r) => setTimeout(r, 200));
  const logs = t.logs.join('\n');
  expect(logs).not.toContain(link);
  expect(logs).not.toContain(token);
  expect(logs).toContain('showed a one-time sign-in link to its user');
});

test('/meet account shows the button without asking MegaMeeting for a link', async () => {
  expect(t.emulator.state.requests().filter((r) => r.fields.includes('login'))).toHaveLength(0);
  await t.command('account');
  // The reply shows the button but asked MegaMeeting for nothing.
  await eventually(() => t.slack.responses().length > 0);
  expect(t.emulator.state.requests().filter((r) => r.fields.includes('login'))).toHaveLength(0);
});

test('an unmapped user pressing Open MegaMeeting is told why, and MegaMeeting is never asked', async () => {
  t.slack.addUser(STRANGER);
  await t.action(ACTIONS.openMegaMeeting, 'sign_in', { userId: STRANGER.id, isEphemeral: true });
  const update = await t.slack.waitForCall('views.update');
  expect(JSON.stringify(update.args.view)).toContain('sam@nowhere.example does not exist');
  expect(t.emulator.state.requests().filter((r) => r.fields.includes('login'))).toHaveLength(0);
});

test('MegaMeeting refusing `login` reads as a sentence in the modal, with no link', async () => {
  t.emulator.state.injectFaults('error500', 3);
  await t.action(ACTIONS.openMegaMeeting, 'sign_in', { isEphemeral: true });
  const update = await t.slack.waitForCall('views.update');
  const text = JSON.stringify(update.args.view);
  expect(text).not.toContain('token=');
  expect(text).toMatch(/MegaMeeting/);
});
