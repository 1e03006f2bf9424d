/**
 * GET /metrics in multi-workspace mode (METRICS=true): requests routed to a workspace's own app are counted, its
 * MegaMeeting calls timed, and no label carries a workspace, a user, a title or a token. Off by default.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import {
  botTokenOf,
  connectAccount,
  install,
  installer,
  type MultiTestApp,
  startMeetingIn,
  startMultiTestApp,
} from './harness.js';

const A = 'T0METRICA';
const HOST = `U${A}HOST`;
const TITLE = 'Metrics secret roadmap';

let app: MultiTestApp;
let emu: Emulator;

beforeAll(async () => {
  [app, emu] = await Promise.all([startMultiTestApp({ env: { METRICS: 'true' } }), startEmulator()]);
  app.slack.addUser({ id: HOST, real_name: 'Host', email: 'host-metrics@example.com' });
  emu.state.addLogin({ email: 'host-metrics@example.com', fullName: 'Host' });
  await install(app, installer(A));
  await connectAccount(app, A, emu);
});
afterAll(async () => {
  await Promise.all([app?.stop(), emu?.close()]);
});

/** The value of the one sample of `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (m[2] ?? '').split(',').includes(`${k}="${v}"`));
    if (has) return Number(m[3]);
  }
  return null;
}

test("a workspace's /meet is counted and its MegaMeeting call timed, with nothing identifying in any label", async () => {
  await startMeetingIn(app, emu, A, TITLE, { userId: HOST, channelId: 'C0METRICS1' });
  let text = '';
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${app.base}/metrics`);
    expect(res.status).toBe(200);
    text = await res.text();
    if (
      sample(text, 'megameeting_slack_requests_total', { type: 'command', name: '/meet', outcome: 'ok' }) ===
      1
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(
    sample(text, 'megameeting_slack_requests_total', { type: 'command', name: '/meet', outcome: 'ok' }),
  ).toBe(1);
  expect(
    sample(text, 'megameeting_api_call_seconds_count', { operation: 'createMeeting', outcome: 'ok' }),
  ).toBe(1);
  for (const secret of [A, HOST, TITLE, emu.adminToken, await botTokenOf(app, A), emu.url]) {
    expect(text).not.toContain(secret);
  }
});

test('without METRICS=true there is no /metrics route', async () => {
  const plain = await startMultiTestApp();
  try {
    expect((await fetch(`${plain.base}/metrics`)).status).toBe(404);
  } finally {
    await plain.stop();
  }
});
