/**
 * Multi-workspace mode runs every request in its workspace (issue 12): two workspaces installed through OAuth, each
 * connected to its own MegaMeeting account (two emulators), over signed HTTP to the real app with the Slack
 * stand-in. `/meet` creates the meeting in the workspace's own account and posts its card with the workspace's own
 * bot token; one workspace cannot end the other's meeting; a disconnect stops the workspace's app at once; the
 * workspace apps kept built are bounded.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { SecretBox } from '../../src/secrets/index.js';
import type { ConnectionRepository } from '../../src/store/types.js';
import { ACTIONS, CONNECTION_IDS, SCHEDULE_IDS, VIEWS } from '../../src/views/ids.js';
import { NOT_CONNECTED_TEXT } from '../../src/workspaces/not-connected.js';
import { formValues, futureSlot } from '../scheduling/helpers.js';
import { execSql } from '../store/helpers.js';
import {
  blockActionsPayload,
  interactivityBody,
  postToApp,
  viewSubmissionPayload,
} from '../support/slack-requests.js';
import {
  botTokenOf,
  connectAccount,
  ENCRYPTION_KEY,
  install,
  installer,
  type MultiTestApp,
  meetCommand,
  startMeetingIn,
  startMultiTestApp,
} from './harness.js';

const A = 'T0MEETA';
const B = 'T0MEETB';
const hostOf = (teamId: string) => `U${teamId}HOST`;
const emailOf = (teamId: string) => `host-${teamId.toLowerCase()}@example.com`;
const CHANNEL = 'C0MEETING1';

let app: MultiTestApp;
let emus: Record<string, Emulator>;
let connections: ConnectionRepository;

beforeAll(async () => {
  const [started, emuA, emuB] = await Promise.all([startMultiTestApp(), startEmulator(), startEmulator()]);
  app = started;
  emus = { [A]: emuA, [B]: emuB };
  connections = app.store.megameetingConnections(new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')));
});
afterAll(async () => {
  await Promise.all([app?.stop(), ...Object.values(emus ?? {}).map((e) => e.close())]);
});
beforeEach(async () => {
  // Rows go behind the app's back: its workspace apps (kept up to 30 s) go with them.
  for (const teamId of [A, B]) app.running.workspaces.forget(teamId, 'test reset');
  await execSql(app.db.url, [
    'delete from slack_installations',
    'delete from megameeting_connections',
    'delete from meetings',
    'delete from user_links',
    'delete from meeting_intents',
  ]);
  app.slack.reset();
  for (const teamId of [A, B]) {
    const emu = emus[teamId] as Emulator;
    emu.state.clearRequests();
    app.slack.addUser({ id: `U${teamId}ADMIN`, real_name: `Admin ${teamId}`, is_admin: true });
    app.slack.addUser({ id: hostOf(teamId), real_name: `Host ${teamId}`, email: emailOf(teamId) });
    if (!emu.state.snapshot().logins.some((l) => l.email === emailOf(teamId)))
      emu.state.addLogin({ email: emailOf(teamId), fullName: `Host ${teamId}` });
    await install(app, installer(teamId));
    await connectAccount(app, teamId, emu);
  }
});

const botToken = (teamId: string) => botTokenOf(app, teamId);
const command = (teamId: string, text: string, userId = hostOf(teamId)) =>
  meetCommand(app, teamId, text, { userId, channelId: CHANNEL });

function liveMeetings(teamId: string) {
  return (emus[teamId] as Emulator).state.snapshot().meetings.filter((m) => !m.ended);
}

const startMeeting = (teamId: string, title: string) =>
  startMeetingIn(app, emus[teamId] as Emulator, teamId, title, {
    userId: hostOf(teamId),
    channelId: CHANNEL,
  });

test("/meet creates the meeting in the workspace's own account and posts its card with the workspace's own bot token", async () => {
  const [tokenA, tokenB] = [await botToken(A), await botToken(B)];
  expect(tokenA).not.toBe(tokenB);

  const a = await startMeeting(A, 'Alpha standup');
  expect(a.post.token).toBe(tokenA);
  expect(JSON.stringify(a.post.args.blocks)).toContain(`${emus[A]?.url}/meeting/?id=${a.meeting.meetId}`);
  expect(a.meeting.loginId).toBe(
    emus[A]?.state.snapshot().logins.find((l) => l.email === emailOf(A))?.loginId,
  );
  expect(liveMeetings(B).map((m) => m.name)).not.toContain('Alpha standup');

  const b = await startMeeting(B, 'Beta review');
  expect(b.post.token).toBe(tokenB);
  expect(JSON.stringify(b.post.args.blocks)).toContain(`${emus[B]?.url}/meeting/?id=${b.meeting.meetId}`);
  expect(liveMeetings(A).map((m) => m.name)).not.toContain('Beta review');

  // Every Slack call of either workspace carried that workspace's own token, never the other's.
  const calls = app.slack.calls().filter((c) => c.token === tokenA || c.token === tokenB);
  expect(calls.length).toBe(app.slack.calls().filter((c) => c.token).length);
  const rows = await execSql(app.db.url, ['select team_id, meet_id from meetings order by team_id']);
  expect(rows).toEqual([
    { team_id: A, meet_id: a.meeting.meetId },
    { team_id: B, meet_id: b.meeting.meetId },
  ]);
});

test("one workspace cannot end another's meeting, by command or by its card's End button; its own host can", async () => {
  const { meeting } = await startMeeting(A, 'Private to A');
  // B's host names A's meeting ID: B's app knows no such meeting and A's account is never asked.
  const attempt = await command(B, `end ${meeting.meetId}`);
  expect(attempt.status).toBe(200);
  const reply = await app.slack.waitForResponse(attempt.responseUrl);
  const unknown = `I don't know a meeting with ID ${meeting.meetId} in this workspace.`;
  expect(String(reply.body.text)).toContain(unknown);
  // A forged End button from workspace B (the card's value is the meeting ID).
  const responseUrl = app.slack.responseUrl();
  const press = blockActionsPayload({
    actionId: ACTIONS.end,
    value: meeting.meetId,
    userId: hostOf(B),
    teamId: B,
    channelId: CHANNEL,
    responseUrl,
  });
  const pressed = await postToApp(`${app.base}/slack/events`, interactivityBody(press));
  expect(pressed.status).toBe(200);
  const refused = await app.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === hostOf(B), 10_000);
  expect(refused.token).toBe(await botToken(B));
  expect(String(refused.args.text)).toContain(unknown);
  const endsAskedOfA = emus[A]?.state.requests().filter((r) => r.fields.includes('endMeeting')) ?? [];
  expect(endsAskedOfA).toHaveLength(0);
  expect(liveMeetings(A).map((m) => m.meetId)).toContain(meeting.meetId);

  const own = await command(A, `end ${meeting.meetId}`);
  expect(own.status).toBe(200);
  await app.slack.waitForResponse(own.responseUrl);
  expect(liveMeetings(A).map((m) => m.meetId)).not.toContain(meeting.meetId);
});

test("guests stay in their workspace: another workspace's admin cannot reach a meeting's guests; in its own workspace it is known", async () => {
  const { meeting } = await startMeetingIn(app, emus[A] as Emulator, A, 'Guests of A', {
    userId: hostOf(A),
    channelId: CHANNEL,
  });
  // B's workspace admin (admins may manage guests of meetings they do not host, in their own workspace).
  const opened = app.slack.calls('views.open').length;
  const attempt = await command(B, `guests ${meeting.meetId}`, `U${B}ADMIN`);
  const reply = await app.slack.waitForResponse(attempt.responseUrl);
  expect(String(reply.body.text)).toContain(
    `I don't know a meeting with ID ${meeting.meetId} in this workspace.`,
  );
  expect(app.slack.calls('views.open').length).toBe(opened);
  expect(emus[B]?.state.requests().filter((r) => r.fields.includes('meetingGuests')) ?? []).toEqual([]);

  // In A the meeting is known: its host is told it is an open meeting (guests are for secure ones).
  const own = await command(A, `guests ${meeting.meetId}`);
  const known = await app.slack.waitForResponse(own.responseUrl);
  expect(String(known.body.text)).toContain(
    `"Guests of A" (${meeting.meetId}) is an open meeting: it has no verified guests.`,
  );
});

test('the scheduling form runs in the workspace: a bad date comes back inline in the ack, a good one schedules in its own account', async () => {
  const submit = async (values: ReturnType<typeof formValues>) => {
    const payload = viewSubmissionPayload({
      teamId: B,
      userId: hostOf(B),
      callbackId: VIEWS.schedule,
      privateMetadata: JSON.stringify({ v: 1, channelId: CHANNEL, type: 'scheduled', tz: 'America/Chicago' }),
      values,
    });
    Object.assign(payload.view, { team_id: B, app_installed_team_id: B });
    return postToApp(`${app.base}/slack/events`, interactivityBody(payload));
  };
  const slot = futureSlot(3, '15:00', 'America/Chicago');
  const past = await submit(
    formValues({ title: 'Too late', date: '2020-01-06', time: '15:00', zone: 'America/Chicago' }),
  );
  expect(past.status).toBe(200);
  expect(past.json).toMatchObject({
    response_action: 'errors',
    errors: { [SCHEDULE_IDS.date.block]: expect.stringMatching(/past/) },
  });

  const good = await submit(
    formValues({
      title: 'Planned in B',
      date: slot.date,
      time: slot.time,
      zone: 'America/Chicago',
      channel: CHANNEL,
    }),
  );
  expect(good.status).toBe(200);
  const card = await app.slack.waitForCall(
    'chat.postMessage',
    (c) => JSON.stringify(c.args.blocks ?? '').includes('Planned in B'),
    10_000,
  );
  expect(card.token).toBe(await botToken(B));
  const planned = emus[B]?.state.snapshot().meetings.find((m) => m.name === 'Planned in B');
  expect(planned?.loginId).toBe(
    emus[B]?.state.snapshot().logins.find((l) => l.email === emailOf(B))?.loginId,
  );
  expect(emus[A]?.state.snapshot().meetings.some((m) => m.name === 'Planned in B')).toBe(false);
  expect(emus[A]?.state.snapshot().meetings.some((m) => m.name === 'Too late')).toBe(false);
  expect(emus[B]?.state.snapshot().meetings.some((m) => m.name === 'Too late')).toBe(false);
});

test('a workspace disconnected through its confirmed Disconnect button is not connected from the next /meet on', async () => {
  await startMeeting(A, 'Before the disconnect');
  expect(app.running.workspaces.peek(A)).not.toBeNull();
  const responseUrl = app.slack.responseUrl();
  const press = blockActionsPayload({
    actionId: CONNECTION_IDS.disconnect,
    value: 'disconnect',
    userId: `U${A}ADMIN`,
    teamId: A,
    responseUrl,
  });
  const pressed = await postToApp(`${app.base}/slack/events`, interactivityBody(press));
  expect(pressed.status).toBe(200);
  await app.slack.waitForResponse(responseUrl);
  expect(await connections.get(A)).toBeNull();
  expect(app.running.workspaces.peek(A)).toBeNull();

  const after = await command(A, 'After the disconnect');
  expect(after.json).toEqual({ response_type: 'ephemeral', text: NOT_CONNECTED_TEXT });
  expect(liveMeetings(A).map((m) => m.name)).not.toContain('After the disconnect');
  // B is untouched.
  await startMeeting(B, 'B carries on');
});

test('the workspace apps kept built are bounded: the least recently used is stopped and rebuilt on its next request', async () => {
  const bounded = await startMultiTestApp({ maxWorkspaceApps: 1 });
  try {
    for (const teamId of [A, B]) {
      bounded.slack.addUser({ id: hostOf(teamId), real_name: `Host ${teamId}`, email: emailOf(teamId) });
      await install(bounded, installer(teamId));
      await connectAccount(bounded, teamId, emus[teamId] as Emulator);
    }
    const run = async (teamId: string, title: string) =>
      (
        await startMeetingIn(bounded, emus[teamId] as Emulator, teamId, title, {
          userId: hostOf(teamId),
          channelId: CHANNEL,
        })
      ).post;
    await run(A, 'Bounded A one');
    const firstA = bounded.running.workspaces.peek(A);
    expect(firstA).not.toBeNull();
    await run(B, 'Bounded B one');
    expect(bounded.running.workspaces.size).toBe(1);
    expect(bounded.running.workspaces.peek(A)).toBeNull();
    expect(bounded.logs.some((l) => l.includes('workspace app stopped') && l.includes(A))).toBe(true);
    // A's next request builds it again, on its own account and token.
    const again = await run(A, 'Bounded A two');
    expect(again.token).not.toBe((await run(B, 'Bounded B two')).token);
    expect(liveMeetings(A).map((m) => m.name)).toContain('Bounded A two');
    expect(liveMeetings(B).map((m) => m.name)).not.toContain('Bounded A two');
  } finally {
    await bounded.stop();
  }
});
