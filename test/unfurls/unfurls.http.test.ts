/**
 * Unfurled meeting links over signed HTTP: someone shares links in the Slack stand-in (`stub.unfurls.share`, the
 * `link_shared` event), the real app answers with chat.unfurl. Known meetings show their state, unknown ones come
 * from MegaMeeting's `meetings` answer or are left alone, personal (`?key=`) links never reach Slack or the logs.
 */

import type { LinkSharedEvent } from '../../sandbox/slack/unfurls.js';
import { joinUrlForGuestKey, joinUrlForMeeting } from '../../src/megameeting/urls.js';
import { ACTIONS } from '../../src/views/ids.js';
import { eventually, type SentRequest, startTestApp, type TestApp } from '../app/harness.js';
import { messageBlocksIssues } from '../support/block-kit.js';
import { readFixture, readJsonFixture } from '../support/fixtures.js';
import { eventCallbackBody, signSlackRequest } from '../support/slack-requests.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const CHANNEL = 'C0LINKS001';
const KEY = 'k3ysecret9zq';

let seq = 0;
function post(t: TestApp, body: string): Promise<SentRequest> {
  return t.post(body, {
    ...signSlackRequest(body, W.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/json',
  });
}
function deliver(t: TestApp, event: LinkSharedEvent): Promise<SentRequest> {
  return post(t, eventCallbackBody(event, { event_id: `EvLINK${String(++seq).padStart(6, '0')}` }));
}
function share(t: TestApp, urls: string[], extra: { source?: 'composer' } = {}): LinkSharedEvent {
  return t.slack.unfurls.share({ channel: CHANNEL, user: W.userId, urls, ...extra });
}
async function unfurled(t: TestApp, event: LinkSharedEvent) {
  await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === event.message_ts && c.response.ok);
  const applied = t.slack.unfurls.applied(event.channel, event.message_ts);
  if (!applied) throw new Error('nothing applied');
  return applied;
}
const text = (v: unknown): string => JSON.stringify(v);

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

test('a live meeting made in Slack unfurls with title, host, start, Live and Join', async () => {
  await t.command('Design review');
  const record = await eventually(
    async () => (await t.store.listMeetingsByHost(W.teamId, W.userId, ['live']))[0],
  );
  const url = joinUrlForMeeting(t.emulator.url, record.meetId);
  const event = share(t, [url, 'https://example.com/not-ours']);
  const res = await deliver(t, event);
  expect(res.status).toBe(200);
  const applied = await unfurled(t, event);
  expect(Object.keys(applied)).toEqual([url]);
  const blocks = applied[url]?.blocks;
  expect(messageBlocksIssues(blocks, { actionIdScope: 'block' })).toEqual([]);
  expect(text(blocks)).toContain('*Design review*');
  expect(text(blocks)).toContain(':red_circle: Live');
  expect(text(blocks)).toContain(`<@${W.userId}>`);
  expect(text(blocks)).toContain(`<!date^${Math.floor(record.startAt.getTime() / 1000)}^`);
  expect(text(blocks)).toContain(`"action_id":"${ACTIONS.join}"`);
  expect(text(blocks)).toContain(`"url":"${url}"`);
});

test('an upcoming meeting says Upcoming with its start; an ended one says Ended without Join', async () => {
  const loginId = t.hostLogin?.loginId ?? '';
  const base = {
    teamId: W.teamId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none' as const,
    hostSlackUserId: W.userId,
    hostLoginId: loginId,
    kind: 'scheduled' as const,
    timeZone: 'UTC',
    reminders: [],
    options: {},
  };
  const start = new Date(Date.now() + 86_400_000);
  const upcoming = await t.store.insertMeeting({
    ...base,
    meetId: t.emulator.state.addMeeting({ name: 'Planning', loginId }).meetId,
    title: 'Planning',
    startAt: start,
    endAt: new Date(start.getTime() + 3_600_000),
    status: 'scheduled',
  });
  const ended = await t.store.insertMeeting({
    ...base,
    meetId: t.emulator.state.addMeeting({ name: 'Retro', loginId }).meetId,
    title: 'Retro',
    startAt: new Date(Date.now() - 7_200_000),
    endAt: new Date(Date.now() - 3_600_000),
    status: 'ended',
  });
  const upUrl = joinUrlForMeeting(t.emulator.url, upcoming.meetId);
  const endUrl = joinUrlForMeeting(t.emulator.url, ended.meetId);
  const event = share(t, [upUrl, endUrl]);
  await deliver(t, event);
  const applied = await unfurled(t, event);
  const up = text(applied[upUrl]);
  expect(up).toContain(':calendar: Upcoming');
  expect(up).toContain(`<!date^${Math.floor(start.getTime() / 1000)}^`);
  expect(up).toContain(ACTIONS.join);
  const gone = text(applied[endUrl]);
  expect(gone).toContain('Ended');
  expect(gone).not.toContain(ACTIONS.join);
  expect(gone).toContain('This meeting has ended');
});

test('a meeting Slack did not make unfurls from MegaMeeting; one MegaMeeting does not list is left alone', async () => {
  const listed = t.emulator.state.addMeeting({
    name: 'Made on the web',
    loginId: t.hostLogin?.loginId ?? '',
  });
  const listedUrl = joinUrlForMeeting(t.emulator.url, listed.meetId);
  const event = share(t, [listedUrl]);
  await deliver(t, event);
  const applied = await unfurled(t, event);
  expect(text(applied[listedUrl])).toContain('*Made on the web*');
  expect(text(applied[listedUrl])).toContain(':large_green_circle: Open');
  expect(text(applied[listedUrl])).toContain(ACTIONS.join);

  const before = t.slack.calls('chat.unfurl').length;
  const lonely = share(t, [joinUrlForMeeting(t.emulator.url, '9999990')]);
  await deliver(t, lonely);
  await eventually(() => t.logs.some((l) => l.includes('name no meeting MegaMeeting lists')));
  expect(t.slack.calls('chat.unfurl')).toHaveLength(before);
});

test('a personal ?key= link is never unfurled, its key reaches no Slack request or log, and its poster is told', async () => {
  await t.command('Board meeting');
  const record = await eventually(
    async () => (await t.store.listMeetingsByHost(W.teamId, W.userId, ['live']))[0],
  );
  const publicUrl = joinUrlForMeeting(t.emulator.url, record.meetId);
  const keyUrl = joinUrlForGuestKey(t.emulator.url, KEY);
  const withId = `${t.emulator.url}/meeting/?id=${record.meetId}&key=${KEY}`;
  const event = share(t, [publicUrl, keyUrl, withId]);
  await deliver(t, event);
  const applied = await unfurled(t, event);
  expect(Object.keys(applied)).toEqual([publicUrl]);
  const note = await eventually(() => t.slack.ephemeralMessages({ channel: CHANNEL, user: W.userId })[0]);
  expect(note.text).toContain('That MegaMeeting link is personal');
  await eventually(() => t.logs.some((l) => l.includes('personal meeting link shared')));
  for (const call of t.slack.calls()) expect(text(call.args)).not.toContain(KEY);
  expect(t.logs.join('\n')).not.toContain(KEY);
});

test('in a channel the bot is not in, the note about a personal link comes by DM', async () => {
  t.slack.addChannel({ id: CHANNEL, name: 'links', is_member: false });
  await deliver(t, share(t, [joinUrlForGuestKey(t.emulator.url, KEY)]));
  const dm = await t.slack.waitForMessage(W.userId, (m) =>
    m.text.includes('That MegaMeeting link is personal'),
  );
  expect(dm.text).not.toContain(KEY);
  expect(t.slack.ephemeralMessages()).toEqual([]);
  for (const call of t.slack.calls()) expect(text(call.args)).not.toContain(KEY);
});

test('a personal link typed in the composer gets no note yet (it comes when the message is posted)', async () => {
  const event = share(t, [joinUrlForGuestKey(t.emulator.url, KEY)], { source: 'composer' });
  await deliver(t, event);
  await eventually(() => t.logs.some((l) => l.includes('personal meeting link shared')));
  expect(t.slack.ephemeralMessages()).toEqual([]);
  expect(t.slack.calls('chat.unfurl')).toEqual([]);
  expect(t.logs.join('\n')).not.toContain(KEY);
});

test('a link in the composer unfurls by unfurl_id and source', async () => {
  const listed = t.emulator.state.addMeeting({ name: 'Drafted', loginId: t.hostLogin?.loginId ?? '' });
  const url = joinUrlForMeeting(t.emulator.url, listed.meetId);
  const event = share(t, [url], { source: 'composer' });
  await deliver(t, event);
  const call = await t.slack.waitForCall('chat.unfurl');
  expect(call.response.ok).toBe(true);
  expect(call.args.unfurl_id).toBe(event.unfurl_id);
  expect(call.args.source).toBe('composer');
  expect(text(t.slack.unfurls.appliedTo(event.unfurl_id))).toContain('*Drafted*');
});

test('Slack refusing the unfurl is logged with its code; the event is still answered 200', async () => {
  const listed = t.emulator.state.addMeeting({ name: 'Blocked', loginId: t.hostLogin?.loginId ?? '' });
  t.slack.failNext('chat.unfurl', 'cannot_unfurl_url');
  const event = share(t, [joinUrlForMeeting(t.emulator.url, listed.meetId)]);
  expect((await deliver(t, event)).status).toBe(200);
  const line = await eventually(() => t.logs.find((l) => l.includes('Slack refused to unfurl')));
  expect(JSON.parse(line)).toMatchObject({ code: 'cannot_unfurl_url', meetIds: [listed.meetId] });
  expect(t.slack.unfurls.applied(event.channel, event.message_ts)).toBeUndefined();
});

test('the event is acknowledged at once while MegaMeeting is slow; the unfurl follows', async () => {
  const listed = t.emulator.state.addMeeting({ name: 'Slow one', loginId: t.hostLogin?.loginId ?? '' });
  t.emulator.state.setAnswerLatency('meetings', 2500);
  const event = share(t, [joinUrlForMeeting(t.emulator.url, listed.meetId)]);
  const res = await deliver(t, event);
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(1500);
  expect(t.slack.calls('chat.unfurl')).toEqual([]);
  await unfurled(t, event);
});

test("Slack's real link_shared capture (other domains) is read and leaves the links alone", async () => {
  const fixture = readJsonFixture<{ event: Record<string, unknown> }>('slack.link_shared.json');
  // The stand-in's event has the capture's fields.
  expect(Object.keys(share(t, ['https://example.com/x'])).sort()).toEqual(
    expect.arrayContaining(
      Object.keys(fixture.event)
        .filter((k) => k !== 'thread_ts')
        .sort(),
    ),
  );
  const res = await post(
    t,
    readFixture('slack.link_shared.json').replace('"team_id": "T123ABC456"', `"team_id": "${W.teamId}"`),
  );
  expect(res.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  expect(t.slack.calls('chat.unfurl')).toEqual([]);
  expect(t.logs.some((l) => l.includes('unreadable link_shared event'))).toBe(false);
});
