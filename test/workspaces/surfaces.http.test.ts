/**
 * The native Slack surfaces in multi-workspace mode (issue 13 asks for both modes): App Home, the Slack call on a
 * meeting card, unfurled meeting links and the global shortcut, each in its own workspace on its own bot token and
 * MegaMeeting account. Two workspaces, two emulated accounts, the real app over signed HTTP.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { joinUrlForMeeting } from '../../src/megameeting/urls.js';
import { VIEWS } from '../../src/views/ids.js';
import { homeTabIssues } from '../support/block-kit.js';
import { globalShortcutPayload, interactivityBody, postToApp } from '../support/slack-requests.js';
import {
  botTokenOf,
  connectAccount,
  install,
  installer,
  type MultiTestApp,
  startMeetingIn,
  startMultiTestApp,
  workspaceEvent,
} from './harness.js';

const A = 'T0SURFA';
const B = 'T0SURFB';
const hostOf = (teamId: string) => `U${teamId}HOST`;
const emailOf = (teamId: string) => `host-${teamId.toLowerCase()}@example.com`;
const CHANNEL = 'C0SURFACE1';
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  features: { shortcuts: { type: string; callback_id: string }[] };
};
const GLOBAL_SHORTCUT = manifest.features.shortcuts.find((s) => s.type === 'global')?.callback_id ?? '';

let app: MultiTestApp;
let emus: Record<string, Emulator>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const [started, emuA, emuB] = await Promise.all([startMultiTestApp(), startEmulator(), startEmulator()]);
  app = started;
  emus = { [A]: emuA, [B]: emuB };
  for (const teamId of [A, B]) {
    const emu = emus[teamId] as Emulator;
    app.slack.addUser({ id: hostOf(teamId), real_name: `Host ${teamId}`, email: emailOf(teamId) });
    emu.state.addLogin({ email: emailOf(teamId), fullName: `Host ${teamId}` });
    await install(app, installer(teamId));
    await connectAccount(app, teamId, emu);
    tokens[teamId] = await botTokenOf(app, teamId);
  }
});
afterAll(async () => {
  await Promise.all([app?.stop(), ...Object.values(emus ?? {}).map((e) => e.close())]);
});

const meet = async (teamId: string, title: string) =>
  (
    await startMeetingIn(app, emus[teamId] as Emulator, teamId, title, {
      userId: hostOf(teamId),
      channelId: CHANNEL,
    })
  ).meeting.meetId;

test("an instant meeting's card carries a Slack call registered with the workspace's own token and account link", async () => {
  const meetId = await meet(A, 'Call card in A');
  const added = await app.slack.waitForCall('calls.add', (c) => c.args.external_unique_id === meetId, 10_000);
  expect(added.token).toBe(tokens[A]);
  expect(added.args.join_url).toBe(joinUrlForMeeting((emus[A] as Emulator).url, meetId));
  expect(added.args.created_by).toBe(hostOf(A));
});

test("App Home shows each workspace's own meetings, published with its own token", async () => {
  await meet(A, 'Only on A home');
  for (const teamId of [A, B]) {
    const sent = await workspaceEvent(app, teamId, {
      type: 'app_home_opened',
      user: hostOf(teamId),
      tab: 'home',
      channel: `D0${teamId}`,
    } as { type: string });
    expect(sent.status).toBe(200);
  }
  const homeOf = (teamId: string) =>
    app.slack.waitForCall(
      'views.publish',
      (c) => c.args.user_id === hostOf(teamId) && c.token === tokens[teamId],
      10_000,
    );
  const [homeA, homeB] = [await homeOf(A), await homeOf(B)];
  expect(homeTabIssues(homeA.args.view)).toEqual([]);
  expect(JSON.stringify(homeA.args.view)).toContain('Only on A home');
  expect(JSON.stringify(homeB.args.view)).not.toContain('Only on A home');
  expect(
    app.slack.calls('views.publish').filter((c) => c.args.user_id === hostOf(A) && c.token !== tokens[A]),
  ).toEqual([]);
});

test("a link to the workspace's own account unfurls there; in another workspace only that workspace's own links unfurl", async () => {
  const urlA = joinUrlForMeeting((emus[A] as Emulator).url, await meet(A, 'Unfurl me in A'));
  const urlB = joinUrlForMeeting((emus[B] as Emulator).url, await meet(B, 'Unfurl me in B'));
  const share = async (teamId: string, urls: string[]) => {
    const event = app.slack.unfurls.share({ channel: CHANNEL, user: hostOf(teamId), urls });
    expect((await workspaceEvent(app, teamId, event)).status).toBe(200);
    const unfurl = await app.slack.waitForCall('chat.unfurl', (c) => c.args.ts === event.message_ts, 10_000);
    return { unfurl, applied: app.slack.unfurls.applied(event.channel, event.message_ts) ?? {} };
  };
  const inA = await share(A, [urlA]);
  expect(inA.unfurl.token).toBe(tokens[A]);
  expect(JSON.stringify(inA.applied[urlA])).toContain('Unfurl me in A');
  // Shared in B next to B's own link: B's app unfurls its own and leaves A's alone (another account's host).
  const inB = await share(B, [urlA, urlB]);
  expect(inB.unfurl.token).toBe(tokens[B]);
  expect(Object.keys(inB.applied)).toEqual([urlB]);
  expect(JSON.stringify(inB.applied)).not.toContain('Unfurl me in A');
});

test("the global shortcut opens the start form on the workspace's own token", async () => {
  const triggerId = app.slack.issueTriggerId();
  const payload = globalShortcutPayload({ callbackId: GLOBAL_SHORTCUT, userId: hostOf(B), triggerId });
  Object.assign(payload, {
    team: { id: B, domain: 'b' },
    user: { id: hostOf(B), username: 'host', team_id: B },
  });
  const res = await postToApp(`${app.base}/slack/events`, interactivityBody(payload));
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  const opened = await app.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId, 10_000);
  expect(opened.token).toBe(tokens[B]);
  expect((opened.args.view as { callback_id?: string }).callback_id).toBe(VIEWS.startNow);
});
