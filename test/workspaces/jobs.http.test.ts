/**
 * Multi-workspace mode's background work (issue 12): workspaces A and B share one MegaMeeting account, C has its
 * own account that does not answer. A recordings tick reads the shared account once, tells each workspace's host
 * about their own recording only (with their own workspace's bot token), and C's failure backs off C alone.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { appUninstalledEvent } from '../../sandbox/slack/oauth.js';
import { recordingDms } from '../recordings/setup.js';
import { execSql } from '../store/helpers.js';
import {
  botTokenOf,
  connectAccount,
  freePort,
  install,
  installer,
  type MultiTestApp,
  startMeetingIn,
  startMultiTestApp,
  until,
  workspaceEvent,
} from './harness.js';

const A = 'T0JOBSA';
const B = 'T0JOBSB';
const C = 'T0JOBSC';
const hostOf = (teamId: string) => `U${teamId}HOST`;
const emailOf = (teamId: string) => `host-${teamId.toLowerCase()}@example.com`;
const CHANNEL = 'C0JOBS0001';

let app: MultiTestApp;
let shared: Emulator;
let deadUrl: string;

beforeAll(async () => {
  [app, shared] = await Promise.all([startMultiTestApp(), startEmulator()]);
  // Nothing listens there: C's account never answers.
  deadUrl = `http://127.0.0.1:${await freePort()}`;
  for (const teamId of [A, B, C]) {
    app.slack.addUser({ id: hostOf(teamId), real_name: `Host ${teamId}`, email: emailOf(teamId) });
    await install(app, installer(teamId));
  }
  for (const teamId of [A, B]) {
    shared.state.addLogin({ email: emailOf(teamId), fullName: `Host ${teamId}` });
    await connectAccount(app, teamId, shared);
  }
  await connectAccount(app, C, {
    url: deadUrl,
    adminToken: 'token-of-an-account-that-is-down',
    adminLoginId: 'L0DEAD',
  });
});
afterAll(async () => {
  await Promise.all([app?.stop(), shared?.close()]);
});

const botToken = (teamId: string) => botTokenOf(app, teamId);
const meet = async (teamId: string, title: string) =>
  (await startMeetingIn(app, shared, teamId, title, { userId: hostOf(teamId), channelId: CHANNEL })).meeting
    .meetId;

test('one recordings query per account per tick; each workspace tells only its own host, on its own token; a failing account backs off alone', async () => {
  const meetA = await meet(A, 'A team sync');
  const meetB = await meet(B, 'B team sync');
  const recA = shared.state.addRecording({ meetId: meetA, remuxStatus: 'completed' }).recId;
  const recB = shared.state.addRecording({ meetId: meetB, remuxStatus: 'completed' }).recId;
  shared.state.clearRequests();

  const tick = await app.running.jobs.recordingsTick();
  expect(tick.status).toBe('ok');
  const byAccount = Object.fromEntries(tick.accounts.map((a) => [a.accountUrl, a]));
  expect(byAccount[shared.url]).toMatchObject({ status: 'ok', teams: [A, B], listed: 2, notified: 2 });
  expect(byAccount[deadUrl]).toMatchObject({ status: 'megameeting_failed', teams: [C], failures: 1 });
  // The shared account was read once for both workspaces.
  const reads = shared.state.requests().filter((r) => r.fields.includes('recordings'));
  expect(reads).toHaveLength(1);

  const [dmA] = recordingDms(app.slack, recA);
  const [dmB] = recordingDms(app.slack, recB);
  expect(recordingDms(app.slack, recA)).toHaveLength(1);
  expect(recordingDms(app.slack, recB)).toHaveLength(1);
  expect(dmA?.token).toBe(await botToken(A));
  expect(dmB?.token).toBe(await botToken(B));
  // Each DM went to its own host's conversation, opened with its own workspace's token.
  const openedFor = (channel: unknown) =>
    app.slack
      .calls('conversations.open')
      .find((c) => (c.response.channel as { id?: string })?.id === channel);
  expect(openedFor(dmA?.args.channel)?.args.users).toBe(hostOf(A));
  expect(openedFor(dmA?.args.channel)?.token).toBe(await botToken(A));
  expect(openedFor(dmB?.args.channel)?.args.users).toBe(hostOf(B));
  expect(openedFor(dmB?.args.channel)?.token).toBe(await botToken(B));

  // The next tick: the shared account is read again (nothing new to tell); C waits out its backoff.
  shared.state.clearRequests();
  const next = await app.running.jobs.recordingsTick();
  const nextByAccount = Object.fromEntries(next.accounts.map((a) => [a.accountUrl, a]));
  expect(nextByAccount[shared.url]).toMatchObject({ status: 'ok', notified: 0 });
  expect(nextByAccount[deadUrl]).toMatchObject({ status: 'backoff', failures: 1 });
  expect(shared.state.requests().filter((r) => r.fields.includes('recordings'))).toHaveLength(1);
  expect(recordingDms(app.slack)).toHaveLength(2);

  // No account's API token reached a log line, not even the failing one's.
  const logs = app.logs.join('\n');
  expect(logs).not.toContain(shared.adminToken);
  expect(logs).not.toContain('token-of-an-account-that-is-down');
  expect(logs).toContain('backing off that account');

  // Both workspaces' rows are their own: the recordings are stored once per workspace that owns them.
  const rows = await execSql(app.db.url, [
    'select team_id, host_slack_user_id from recordings order by team_id',
  ]);
  expect(rows.filter((r) => r.host_slack_user_id)).toEqual([
    expect.objectContaining({ team_id: A, host_slack_user_id: hostOf(A) }),
    expect.objectContaining({ team_id: B, host_slack_user_id: hostOf(B) }),
  ]);
});

test("an uninstalled workspace's background work stops at once; the workspace sharing its account carries on", async () => {
  const meetA = await meet(A, 'A before uninstall');
  const meetB = await meet(B, 'B before uninstall');
  expect((await workspaceEvent(app, A, appUninstalledEvent())).status).toBe(200);
  await until(async () => app.running.workspaces.peek(A) === null);
  const recA = shared.state.addRecording({ meetId: meetA, remuxStatus: 'completed' }).recId;
  const recB = shared.state.addRecording({ meetId: meetB, remuxStatus: 'completed' }).recId;

  const tick = await app.running.jobs.recordingsTick();
  const sharedTick = tick.accounts.find((a) => a.accountUrl === shared.url);
  expect(sharedTick).toMatchObject({ status: 'ok', teams: [B], notified: 1 });
  expect(recordingDms(app.slack, recA)).toEqual([]);
  expect(recordingDms(app.slack, recB)).toHaveLength(1);
  expect(app.running.workspaces.peek(A)).toBeNull();
});

test('the recovery sweep finishes interrupted creations of the workspaces that have some; an uninstalled one is left alone', async () => {
  // A was uninstalled by the test above; B is installed and connected.
  const interrupted = (teamId: string, id: string) => ({
    id,
    teamId,
    channelId: CHANNEL,
    userId: hostOf(teamId),
    meetingName: `Interrupted in ${teamId}`,
    request: {
      kind: 'instant' as const,
      hostLoginId: 'L0NOBODY',
      startAt: new Date().toISOString(),
      endAt: null,
      timeZone: 'Europe/Paris',
      options: {},
      invitees: [],
    },
    responseUrl: null,
    beforeIds: null,
  });
  // Claimed by a replica that crashed a minute ago: the claim has expired.
  const crashedAt = new Date(Date.now() - 60_000);
  await app.store.forTeam(A).insertIntent(interrupted(A, 'intent-a'), 'crashed', 1_000, crashedAt);
  await app.store.forTeam(B).insertIntent(interrupted(B, 'intent-b'), 'crashed', 1_000, crashedAt);

  await app.running.jobs.recoverySweep();
  const recoverable = await app.store.listRecoverableIntents(new Date(), 10);
  expect(recoverable.map((i) => i.id)).toEqual(['intent-a']);
  expect((await app.store.getIntent('intent-b'))?.state).not.toBe('creating');
});
