/**
 * Access-request buttons send once per person, meeting and request: "Request access" pressed twice (on one
 * replica, or on two replicas of one Postgres database) DMs the host once; Approve or Deny pressed twice DMs the
 * requester once. Slack answers chat.postMessage slowly so that the presses overlap, as a double click does.
 * A DM Slack refused gives the claim back (pressing again works), and a new request after a denial can be
 * approved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { MeetingRecord } from '../../src/store/types.js';
import { ACTIONS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const HOST = W.userId;
const HOST_DM = `D${HOST.slice(1)}`;
const RITA = { id: 'U0RITA0001', real_name: 'Rita Requester', email: 'rita@example.com' };
const DAN = { id: 'U0DAN00001', real_name: 'Dan Double', email: 'dan@example.com' };
const EVE = { id: 'U0EVE00001', real_name: 'Eve Again', email: 'eve@example.com' };
const LEO = { id: 'U0LEO00001', real_name: 'Leo Legacy', email: 'leo@example.com' };
const SLOW_MS = 300;

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp({ dialect: 'postgres' });
  b = await startTestApp({ emulator: a.emulator, slack: a.slack, databaseUrl: a.databaseUrl });
  for (const u of [RITA, DAN, EVE, LEO]) a.slack.addUser(u);
});
afterEach(() => {
  a.slack.setLatency('chat.postMessage', 0);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

let seq = 0;
async function secureMeeting(title: string): Promise<MeetingRecord> {
  const start = new Date(Date.now() + 24 * 3600_000 + seq++ * 3600_000);
  return a.running.services.meetings.create({
    teamId: W.teamId,
    channelId: W.channelId,
    hostUserId: HOST,
    title,
    kind: 'secure',
    start,
    end: new Date(start.getTime() + 3600_000),
    timeZone: 'America/Chicago',
    options: { requireVerification: true },
  });
}

function content(call: { args: Record<string, unknown> }): string {
  return JSON.stringify({ text: call.args.text, blocks: call.args.blocks });
}

/** The access requests the host got for this meeting (DMs with Approve). */
function hostAsks(meetId: string) {
  return a.slack
    .calls('chat.postMessage')
    .filter(
      (c) =>
        c.response.ok === true &&
        c.args.channel === HOST_DM &&
        content(c).includes(meetId) &&
        content(c).includes(ACTIONS.approveAccess),
    );
}

/** DMs the requester got about this meeting (their link, or the denial). */
function requesterDms(userId: string, meetId: string) {
  return a.slack
    .calls('chat.postMessage')
    .filter(
      (c) =>
        c.response.ok === true && c.args.channel === `D${userId.slice(1)}` && content(c).includes(meetId),
    );
}

/** What the requester was told privately about their presses (sent, or already with the host). */
function requestAnswers(userId: string, title: string) {
  return a.slack
    .ephemeralMessages({ user: userId })
    .filter((e) => e.text.includes(title) && /Request sent|already with/.test(e.text));
}

async function pressRequest(apps: TestApp[], userId: string, meeting: MeetingRecord) {
  a.slack.setLatency('chat.postMessage', SLOW_MS);
  const before = requestAnswers(userId, meeting.title).length;
  await Promise.all(apps.map((t) => t.action(ACTIONS.requestAccess, meeting.meetId, { userId })));
  await eventually(() => requestAnswers(userId, meeting.title).length >= before + apps.length, 10_000);
  a.slack.setLatency('chat.postMessage', 0);
}

/** Presses a decision button on each app at once; waits until every press replaced the request or did nothing. */
async function pressDecision(apps: TestApp[], actionId: string, value: string) {
  a.slack.setLatency('chat.postMessage', SLOW_MS);
  const noOps = () =>
    [...a.logs, ...b.logs].filter((l) => l.includes('access request already answered')).length;
  const noOpsBefore = noOps();
  const presses = await Promise.all(apps.map((t) => t.action(actionId, value, { channelId: HOST_DM })));
  const replaced = () => presses.flatMap((p) => a.slack.responses(p.responseUrl));
  await eventually(() => replaced().length + noOps() - noOpsBefore >= apps.length, 10_000);
  a.slack.setLatency('chat.postMessage', 0);
  return replaced();
}

/** The value of the Approve button of the host's (only) request for this meeting. */
function approveValue(meetId: string): string {
  const [ask] = hostAsks(meetId);
  const match = /"action_id":"access_approve","value":"((?:[^"\\]|\\.)*)"/.exec(content(ask as never));
  if (!match) throw new Error('no Approve button');
  return JSON.parse(`"${match[1]}"`) as string;
}

describe('Request access sends the host one DM', () => {
  test('pressed twice on one replica', async () => {
    const meeting = await secureMeeting('Double click consult');
    await pressRequest([a, a], RITA.id, meeting);
    expect(hostAsks(meeting.meetId)).toHaveLength(1);
    const answers = requestAnswers(RITA.id, meeting.title).map((e) => e.text);
    expect(answers.filter((t) => t.startsWith('Request sent'))).toHaveLength(1);
    expect(answers.filter((t) => /already with/.test(t))).toHaveLength(1);
  });

  test('pressed on two replicas at once', async () => {
    const meeting = await secureMeeting('Two replicas consult');
    await pressRequest([a, b, a, b], RITA.id, meeting);
    expect(hostAsks(meeting.meetId)).toHaveLength(1);
  });

  test('a request Slack refused is not pending: pressing again sends it', async () => {
    const meeting = await secureMeeting('Refused once consult');
    a.slack.failNext('chat.postMessage', 'channel_not_found', { channel: HOST_DM });
    await a.action(ACTIONS.requestAccess, meeting.meetId, { userId: DAN.id });
    await eventually(() =>
      a.slack.ephemeralMessages({ user: DAN.id }).find((e) => e.text.includes("couldn't send your request")),
    );
    expect(hostAsks(meeting.meetId)).toHaveLength(0);
    await pressRequest([b], DAN.id, meeting);
    expect(hostAsks(meeting.meetId)).toHaveLength(1);
  });
});

describe('Approve and Deny send the requester one DM', () => {
  test('Approve pressed twice on one replica and once on the other: one guest, one link DM', async () => {
    const meeting = await secureMeeting('Approve twice consult');
    await pressRequest([a], RITA.id, meeting);
    const value = approveValue(meeting.meetId);

    const replaced = await pressDecision([a, a, b], ACTIONS.approveAccess, value);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.body).toMatchObject({ replace_original: true });
    expect(String(replaced[0]?.body.text)).toMatch(/approved/);
    expect(requesterDms(RITA.id, meeting.meetId)).toHaveLength(1);
    expect(a.emulator.state.guestsOf(meeting.meetId)).toHaveLength(1);
    // The buttons name their request: one decision per request.
    expect(JSON.parse(value)).toMatchObject({ m: meeting.meetId, u: RITA.id, r: expect.any(String) });
  });

  test('Deny pressed twice: one denial DM', async () => {
    const meeting = await secureMeeting('Deny twice consult');
    await pressRequest([a], DAN.id, meeting);
    const replaced = await pressDecision([a, b], ACTIONS.denyAccess, approveValue(meeting.meetId));
    expect(replaced).toHaveLength(1);
    const dms = requesterDms(DAN.id, meeting.meetId);
    expect(dms).toHaveLength(1);
    expect(String(dms[0]?.args.text)).toMatch(/wasn't approved/);
  });

  test('denied, then asked again: the new request reaches the host and can be approved', async () => {
    const meeting = await secureMeeting('Second chance consult');
    await pressRequest([a], EVE.id, meeting);
    await pressDecision([a], ACTIONS.denyAccess, approveValue(meeting.meetId));
    await pressRequest([b], EVE.id, meeting);
    const asks = hostAsks(meeting.meetId);
    expect(asks).toHaveLength(2);
    const [, second] = asks;
    const match = /"action_id":"access_approve","value":"((?:[^"\\]|\\.)*)"/.exec(content(second as never));
    const value = JSON.parse(`"${match?.[1]}"`) as string;
    const replaced = await pressDecision([b, a], ACTIONS.approveAccess, value);
    expect(String(replaced[0]?.body.text)).toMatch(/approved/);
    // The denial, then the link.
    expect(requesterDms(EVE.id, meeting.meetId)).toHaveLength(2);
    expect(a.emulator.state.guestsOf(meeting.meetId)).toHaveLength(1);
  });

  test('an Approve button from before requests had IDs, pressed twice: one link DM', async () => {
    const meeting = await secureMeeting('Legacy button consult');
    const value = JSON.stringify({ m: meeting.meetId, u: LEO.id });
    const replaced = await pressDecision([a, b], ACTIONS.approveAccess, value);
    expect(replaced).toHaveLength(1);
    expect(requesterDms(LEO.id, meeting.meetId)).toHaveLength(1);
  });
});
