/**
 * Crafted payloads naming someone else's meeting (issue #10, item 9): every guest handler checks who is asking
 * before anything of the meeting is read into a response or a view. Olga (a plain member) sends what the host's
 * guest manager would send; nothing of the host's guest list (names, emails, keys) may reach her, MegaMeeting's
 * guests stay as they were, and she is told she may not.
 */

import { guestRef } from '../../src/services/guests/index.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { permissionsActionId, removeActionId } from '../../src/views/guests.js';
import { ACTIONS, GUEST_IDS, VIEWS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import {
  blockActionsPayload,
  interactivityBody,
  signSlackRequest,
  stateValue,
} from '../support/slack-requests.js';
import type { StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const HOST = W.userId;
const OLGA = { id: 'U0OLGA0001', real_name: 'Olga Other', email: 'olga@example.com' };
const BOB = { id: 'U0BOBGST01', real_name: 'Bob Secretguest', email: 'bob.secret@example.com' };
/** What must never reach Olga: the guests' names and emails (and, checked separately, their keys). */
const SECRETS = ['Bob Secretguest', 'bob.secret@example.com', 'Jane Hiddenname', 'jane.hidden@example.com'];

let t: TestApp;
let meeting: MeetingRecord;
let hostView: StubView;
let keys: string[];

beforeAll(async () => {
  t = await startTestApp();
  t.slack.addUser(OLGA);
  t.slack.addUser(BOB);
  const start = new Date(Date.now() + 24 * 3600_000);
  meeting = await t.running.services.meetings.create({
    teamId: W.teamId,
    channelId: W.channelId,
    hostUserId: HOST,
    title: 'Board consult',
    kind: 'secure',
    start,
    end: new Date(start.getTime() + 3600_000),
    timeZone: 'UTC',
    options: { requireVerification: true },
  });
  await t.running.services.guests.inviteGuests(
    meeting,
    [
      { slackUserId: BOB.id, name: '', email: null, permissions: ['webcam'] },
      { slackUserId: null, name: 'Jane Hiddenname', email: 'jane.hidden@example.com', permissions: ['chat'] },
    ],
    HOST,
  );
  keys = t.emulator.state.guestsOf(meeting.meetId).map((g) => g.key);
  expect(keys).toHaveLength(2);
  // The host's own guest manager: Olga copies its payloads.
  const opened = t.slack.calls('views.open').length;
  await t.command(`guests ${meeting.meetId}`);
  await t.slack.waitForCalls('views.open', opened + 1);
  const view = t.slack.lastView(VIEWS.guests);
  if (!view) throw new Error('no guest manager');
  hostView = view;
});
afterAll(async () => {
  await t.close();
});

function signed(body: string) {
  return t.post(body, {
    ...signSlackRequest(body, W.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/x-www-form-urlencoded',
  });
}

/** Everything Slack was asked to show after `from` calls (any method), as text to search. */
function shownSince(from: number): string {
  return JSON.stringify(t.slack.calls().slice(from));
}

function expectNothingLeaked(text: string): void {
  for (const secret of [...SECRETS, ...keys]) expect(text).not.toContain(secret);
}

function guestsOnMegaMeeting() {
  return t.emulator.state
    .guestsOf(meeting.meetId)
    .map((g) => `${g.guestName}:${g.permissions.join(',')}`)
    .sort();
}

async function refusalToOlga(from: number): Promise<string> {
  return eventually(() => {
    const told = t.slack
      .calls()
      .slice(from)
      .find((c) => {
        const to = c.args.user ?? c.args.channel;
        return (to === OLGA.id || to === `D${OLGA.id.slice(1)}`) && /Only the host/.test(String(c.args.text));
      });
    return told ? String(told.args.text) : undefined;
  });
}

test("a guest manager submission naming the host's meeting is refused inline, before any guest is shown", async () => {
  const before = guestsOnMegaMeeting();
  const from = t.slack.calls().length;
  const res = await t.submitView({
    callbackId: VIEWS.guests,
    userId: OLGA.id,
    privateMetadata: JSON.stringify({ meetId: meeting.meetId }),
    values: {
      [GUEST_IDS.addExternalBlock]: {
        [GUEST_IDS.addExternalAction]: stateValue.plainTextInput('Olga Friend <friend@example.com>'),
      },
    },
  });
  expect(res.status).toBe(200);
  const answer = JSON.parse(res.body);
  expect(answer.response_action).toBe('errors');
  expect(answer.errors[GUEST_IDS.addExternalBlock]).toMatch(/Only the host/);
  expectNothingLeaked(res.body);
  // Give any work after the ack time to run: no view update with the list, nothing added.
  await new Promise((r) => setTimeout(r, 300));
  expect(
    t.slack
      .calls()
      .slice(from)
      .filter((c) => c.method === 'views.update'),
  ).toEqual([]);
  expectNothingLeaked(shownSince(from));
  expect(guestsOnMegaMeeting()).toEqual(before);
  expect(t.logs.some((l) => l.includes('guest manager submission refused'))).toBe(true);
});

test('Remove pressed in a copy of the host’s manager by someone else removes nobody and shows nothing', async () => {
  const bob = await t.store.findGuestBySlackUser(W.teamId, meeting.meetId, BOB.id);
  if (!bob) throw new Error('bob missing');
  const before = guestsOnMegaMeeting();
  const from = t.slack.calls().length;
  const res = await signed(
    interactivityBody(
      blockActionsPayload({ actionId: removeActionId(guestRef(bob)), view: hostView, userId: OLGA.id }),
    ),
  );
  expect(res.status).toBe(200);
  expect(await refusalToOlga(from)).toMatch(/Only the host/);
  expect(
    t.slack
      .calls()
      .slice(from)
      .filter((c) => c.method === 'views.update'),
  ).toEqual([]);
  expectNothingLeaked(shownSince(from));
  expectNothingLeaked(res.body);
  expect(guestsOnMegaMeeting()).toEqual(before);
});

test('permission checkboxes from someone else change nothing and show nothing', async () => {
  const bob = await t.store.findGuestBySlackUser(W.teamId, meeting.meetId, BOB.id);
  if (!bob) throw new Error('bob missing');
  const actionId = permissionsActionId(guestRef(bob));
  const before = guestsOnMegaMeeting();
  const from = t.slack.calls().length;
  const res = await signed(
    interactivityBody(
      blockActionsPayload({
        actionId,
        view: hostView,
        userId: OLGA.id,
        actions: [
          {
            type: 'checkboxes',
            action_id: actionId,
            block_id: GUEST_IDS.row(guestRef(bob)),
            selected_options: [{ text: { type: 'plain_text', text: 'Moderator' }, value: 'moderator' }],
            action_ts: '1700000000.000001',
          },
        ],
      }),
    ),
  );
  expect(res.status).toBe(200);
  expect(await refusalToOlga(from)).toMatch(/Only the host/);
  expect(
    t.slack
      .calls()
      .slice(from)
      .filter((c) => c.method === 'views.update'),
  ).toEqual([]);
  expectNothingLeaked(shownSince(from));
  expect(guestsOnMegaMeeting()).toEqual(before);
});

test("a crafted Retry button naming the host's meeting adds nobody", async () => {
  const before = guestsOnMegaMeeting();
  const from = t.slack.calls().length;
  const value = JSON.stringify({
    m: meeting.meetId,
    g: [{ s: null, n: 'Olga Friend', e: 'friend@example.com', p: ['webcam'] }],
  });
  await t.action(GUEST_IDS.retryInvites, value, { userId: OLGA.id, channelId: `D${OLGA.id.slice(1)}` });
  expect(await refusalToOlga(from)).toMatch(/Only the host/);
  expectNothingLeaked(shownSince(from));
  expect(guestsOnMegaMeeting()).toEqual(before);
});

test('a crafted Approve from someone else lets nobody in and sends no link', async () => {
  const before = guestsOnMegaMeeting();
  const from = t.slack.calls().length;
  const value = JSON.stringify({ m: meeting.meetId, u: OLGA.id });
  await t.action(ACTIONS.approveAccess, value, { userId: OLGA.id, channelId: `D${OLGA.id.slice(1)}` });
  expect(await refusalToOlga(from)).toMatch(/Only the host/);
  const shown = shownSince(from);
  expectNothingLeaked(shown);
  expect(shown).not.toMatch(/\?key=/);
  expect(guestsOnMegaMeeting()).toEqual(before);
  expect(await t.store.findGuestBySlackUser(W.teamId, meeting.meetId, OLGA.id)).toBeNull();
});
