/** Only Slack gets in: signatures and a 5-minute timestamp window in both directions; health endpoint. */
import { computeSlackSignature, slashCommandBody } from '../support/slack-requests.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  t.slack.clearCalls();
});

function signed(body: string, ts: number, secret: string = W.signingSecret) {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': computeSlackSignature(body, secret, ts),
  };
}
const now = () => Math.floor(Date.now() / 1000);

test.each([
  ['a wrong signing secret', (b: string) => signed(b, now(), 'not-the-secret')],
  ['a timestamp 6 minutes old', (b: string) => signed(b, now() - 360)],
  ['a timestamp 6 minutes in the future', (b: string) => signed(b, now() + 360)],
  [
    'no signature',
    (_b: string) => ({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(now()),
    }),
  ],
  [
    'no timestamp',
    (b: string) => ({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': computeSlackSignature(b, W.signingSecret, now()),
    }),
  ],
])('%s is rejected with 401 and nothing is done', async (_name, headersFor) => {
  const body = slashCommandBody({ text: 'Should not exist', response_url: t.slack.responseUrl() });
  const res = await t.post(body, headersFor(body));
  expect(res.status).toBe(401);
  // Give a wrongly accepted request time to act, then check nothing happened.
  await new Promise((r) => setTimeout(r, 300));
  expect(t.emulator.state.requests().filter((r) => r.fields.includes('createMeeting'))).toHaveLength(0);
  expect(t.slack.responses()).toHaveLength(0);
});

test('a tampered body fails the signature check', async () => {
  const body = slashCommandBody({ text: 'ok', response_url: t.slack.responseUrl() });
  const headers = signed(body, now());
  const res = await t.post(body.replace('ok', 'evil'), headers);
  expect(res.status).toBe(401);
});

test('a timestamp 4 minutes in the future is still inside the window', async () => {
  const body = slashCommandBody({ text: 'help', response_url: t.slack.responseUrl() });
  const res = await t.post(body, signed(body, now() + 240));
  expect(res.status).toBe(200);
  await t.slack.waitForResponse();
});

test('GET /healthz answers 200 with a small JSON body', async () => {
  const res = await fetch(t.url.replace('/slack/events', '/healthz'));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', mode: 'http', store: 'sqlite' });
});

test('unknown paths answer 404', async () => {
  const res = await fetch(t.url.replace('/slack/events', '/nope'));
  expect(res.status).toBe(404);
});

test('no secret appears in any log line', async () => {
  const body = slashCommandBody({ text: 'help', response_url: t.slack.responseUrl() });
  await t.post(body, signed(body, now()));
  await t.slack.waitForResponse();
  const all = t.logs.join('\n');
  expect(t.logs.length).toBeGreaterThan(0);
  for (const secret of [W.botToken, W.signingSecret, t.emulator.adminToken])
    expect(all).not.toContain(secret);
});
