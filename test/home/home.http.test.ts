/**
 * App Home over signed HTTP: `app_home_opened` → views.publish for the viewer (mapped, unmapped, admin), the
 * buttons on it driving the real handlers, republishing after changes, and the 100-block limit.
 */
import type { Emulator } from '../../emulator/index.js';
import { ACTIONS, START_NOW_IDS, VIEWS } from '../../src/views/ids.js';
import { eventually, type SentRequest, startTestApp, type TestApp } from '../app/harness.js';
import { homeTabIssues } from '../support/block-kit.js';
import { appHomeOpenedEvent, eventCallbackBody, signSlackRequest } from '../support/slack-requests.js';
import type { StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const STRANGER = { id: 'U0STRANGER', name: 'sam', real_name: 'Sam Stranger', email: 'sam@nowhere.example' };
const BOSS = { id: 'U0BOSS0001', name: 'bo', real_name: 'Bo Boss', email: 'bo@corp.example', is_admin: true };

let eventSeq = 0;
function openHome(
  t: TestApp,
  userId: string = W.userId,
  view?: Record<string, unknown>,
): Promise<SentRequest> {
  const body = eventCallbackBody(appHomeOpenedEvent({ userId, ...(view ? { view } : {}) }), {
    event_id: `EvHOME${String(++eventSeq).padStart(5, '0')}`,
  });
  return t.post(body, {
    ...signSlackRequest(body, W.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/json',
  });
}

function homeText(view: StubView | undefined): string {
  return JSON.stringify(view?.blocks ?? []);
}

function publishes(t: TestApp, userId: string = W.userId): number {
  return t.slack.calls('views.publish').filter((c) => c.args.user_id === userId && c.response.ok).length;
}

function scheduleMeeting(emulator: Emulator, t: TestApp) {
  return t.store.insertMeeting({
    teamId: W.teamId,
    meetId: emulator.state.addMeeting({ name: 'Quarterly planning', loginId: t.hostLogin?.loginId ?? '' })
      .meetId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none',
    hostSlackUserId: W.userId,
    hostLoginId: t.hostLogin?.loginId ?? '',
    title: 'Quarterly planning',
    kind: 'scheduled',
    startAt: new Date(Date.now() + 86_400_000),
    endAt: new Date(Date.now() + 86_400_000 + 3_600_000),
    timeZone: 'America/Chicago',
    status: 'scheduled',
    reminders: [],
    options: {},
  });
}

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ tuning: { homeDebounceMs: 50 } });
});
afterEach(async () => {
  await t.close();
});

test('a mapped user sees start buttons, their live and upcoming meetings, recordings and login', async () => {
  const scheduled = await scheduleMeeting(t.emulator, t);
  const loginId = t.hostLogin?.loginId ?? '';
  const recMeet = t.emulator.state.addMeeting({ name: 'Retro', loginId }).meetId;
  const ready = t.emulator.state.addRecording({ meetId: recMeet, remuxStatus: 'completed' });
  t.emulator.state.addRecording({ meetId: recMeet, remuxStatus: 'waiting' });
  // A live meeting made with /meet: its card may come after Home was first published; Home follows it.
  await t.command('Design sync');
  expect((await openHome(t)).status).toBe(200);
  const view = await eventually(() => {
    const v = t.slack.homeView(W.userId);
    const text = homeText(v);
    return v && text.includes('Quarterly planning') && text.includes('Retro') && text.includes('Design sync')
      ? v
      : undefined;
  });
  expect(homeTabIssues({ type: 'home', blocks: view.blocks })).toEqual([]);
  const text = homeText(view);
  expect(text).toContain(ACTIONS.homeStartNow);
  expect(text).toContain(ACTIONS.homeSchedule);
  expect(text).toContain('Design sync');
  expect(text).toContain(':red_circle: Live');
  expect(text).toContain(`"${ACTIONS.edit}:${scheduled.meetId}"`);
  expect(text).toContain(`"${ACTIONS.end}:${scheduled.meetId}"`);
  expect(text).toContain(`/meeting/?id=`);
  expect(text).toContain(`"${ACTIONS.download}:${ready.recId}"`);
  expect(text).toContain(':clock3: Waiting to be processed');
  expect(text).toContain(loginId);
  expect(text).toContain(ACTIONS.openMegaMeeting);
  // Not an admin: no connection section.
  expect(text).not.toContain('MegaMeeting connection');
});

test('an unmapped user reads what to do, with no buttons that would fail', async () => {
  t.slack.addUser(STRANGER);
  await openHome(t, STRANGER.id);
  const view = await eventually(() => t.slack.homeView(STRANGER.id));
  const text = homeText(view);
  expect(text).toContain("You're not linked to a MegaMeeting login yet");
  expect(text).toContain('sam@nowhere.example does not exist');
  expect(text).not.toContain(ACTIONS.homeStartNow);
  expect(text).not.toContain(ACTIONS.openMegaMeeting);
});

test('a workspace admin sees the MegaMeeting connection: account URL and whose API token it is', async () => {
  t.slack.addUser(BOSS);
  await openHome(t, BOSS.id);
  const view = await eventually(() => t.slack.homeView(BOSS.id));
  const text = homeText(view);
  expect(text).toContain('MegaMeeting connection');
  expect(text).toContain(t.emulator.url);
  expect(text).toContain(':large_green_circle: Connected');
  // The emulator's admin token belongs to its owner login.
  const owner = (await t.running.services.megameeting.logins()).find(
    (l) => l.loginId === t.emulator.state.adminLoginId,
  );
  expect(text).toContain(owner?.email ?? 'missing');
  expect(text).toContain(t.emulator.state.adminLoginId);
  expect(text).toContain('MEGAMEETING_API_TOKEN');
  expect(t.logs.join('\n')).not.toContain(t.emulator.adminToken);
});

test('Home is republished after a meeting is created, edited-away (ended) and a recording is ready', async () => {
  await openHome(t);
  await eventually(() => t.slack.homeView(W.userId));
  const before = publishes(t);
  await t.command('Standup');
  await eventually(() => homeText(t.slack.homeView(W.userId)).includes('Standup'));
  const afterCreate = publishes(t);
  expect(afterCreate).toBeGreaterThan(before);

  const record = (await t.store.listMeetingsByHost(W.teamId, W.userId, ['live']))[0];
  if (!record) throw new Error('no meeting');
  await t.action(ACTIONS.end, record.meetId);
  await eventually(() => !homeText(t.slack.homeView(W.userId)).includes('Standup'));

  // A recording of a meeting made from Slack is announced; Home shows it ready.
  const rec = t.emulator.state.addRecording({ meetId: record.meetId, remuxStatus: 'completed' });
  await t.running.services.recordings.processOnce();
  await eventually(() => homeText(t.slack.homeView(W.userId)).includes(`${ACTIONS.download}:${rec.recId}`));
});

test('a burst of changes makes one publish (debounced)', async () => {
  await openHome(t);
  await eventually(() => publishes(t) === 1);
  const changes = t.running.services.changes;
  for (let i = 0; i < 10; i++) {
    changes.notify({ teamId: W.teamId, slackUserIds: [W.userId], what: 'meeting_edited' });
  }
  await eventually(() => publishes(t) === 2);
  await t.running.services.home.idle();
  expect(publishes(t)).toBe(2);
  // The burst's publish is the user's Home tab, whole (not an empty or partial view).
  const publish = t.slack.calls('views.publish').at(-1);
  expect(publish?.args.user_id).toBe(W.userId);
  expect((publish?.args.view as { type?: string } | undefined)?.type).toBe('home');
  expect(homeText(t.slack.homeView(W.userId))).toContain(ACTIONS.homeStartNow);
});

test('changes are not published for someone who never opened Home (their next open shows them)', async () => {
  await t.command('Standup');
  await eventually(() => t.slack.calls('chat.postMessage').length > 0);
  await t.running.services.home.idle();
  expect(publishes(t)).toBe(0);

  await openHome(t);
  await eventually(() => homeText(t.slack.homeView(W.userId)).includes('Standup'));
  expect(await t.store.homeViewersSince(W.teamId, [W.userId], new Date(Date.now() - 60_000))).toEqual([
    W.userId,
  ]);
});

test('a viewer another replica saw open Home is republished; one who opened it over a day ago is not', async () => {
  const changes = t.running.services.changes;
  // Another replica served these opens: only the store knows.
  await t.store.markHomeOpened(W.teamId, W.userId, new Date(Date.now() - 60_000));
  await t.store.markHomeOpened(W.teamId, STRANGER.id, new Date(Date.now() - 25 * 3_600_000));
  changes.notify({ teamId: W.teamId, slackUserIds: [W.userId, STRANGER.id], what: 'meeting_edited' });
  await eventually(() => publishes(t) === 1);
  await t.running.services.home.idle();
  expect(publishes(t, STRANGER.id)).toBe(0);
});

test('60 meetings: Home stays within 100 blocks, valid, with a note pointing to /meet list', async () => {
  const loginId = t.hostLogin?.loginId ?? '';
  for (let i = 0; i < 60; i++) {
    const meetId = t.emulator.state.addMeeting({ name: `Meeting ${i}`, loginId }).meetId;
    await t.store.insertMeeting({
      teamId: W.teamId,
      meetId,
      channelId: W.channelId,
      messageTs: null,
      cardDelivery: 'none',
      hostSlackUserId: W.userId,
      hostLoginId: loginId,
      title: `Meeting ${i}`,
      kind: 'scheduled',
      startAt: new Date(Date.now() + (i + 1) * 3_600_000),
      endAt: new Date(Date.now() + (i + 2) * 3_600_000),
      timeZone: 'UTC',
      status: 'scheduled',
      reminders: [],
      options: {},
    });
  }
  const recMeet = t.emulator.state.addMeeting({ name: 'Recorded', loginId }).meetId;
  t.emulator.state.addRecordings(25, { meetId: recMeet, remuxStatus: 'completed' });
  await openHome(t);
  const view = await eventually(() => t.slack.homeView(W.userId));
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  expect(view.blocks.length).toBeGreaterThan(80);
  expect(homeTabIssues({ type: 'home', blocks: view.blocks })).toEqual([]);
  const text = homeText(view);
  expect(text).toMatch(/…and \d+ more\. `\/meet list` shows all your meetings\./);
  expect(text).toMatch(/…and \d+ older\. `\/meet recordings` lists them\./);
  expect(text).toContain('Meeting 0');
  expect(t.slack.calls('views.publish').every((c) => c.response.ok)).toBe(true);
});

test('a hash_conflict (another replica published meanwhile) is answered with a fresh publish', async () => {
  await openHome(t);
  await eventually(() => t.slack.homeView(W.userId));
  const failedBefore = t.slack
    .calls('views.publish')
    .filter((c) => c.response.error === 'hash_conflict').length;
  // The event carries a stale hash: Slack refuses it, the app publishes fresh data without the hash.
  await openHome(t, W.userId, { id: 'V0OLD', hash: 'stale.hash' });
  await eventually(
    () =>
      t.slack.calls('views.publish').filter((c) => c.response.error === 'hash_conflict').length ===
      failedBefore + 1,
  );
  await eventually(() => t.logs.some((l) => l.includes('publishing fresh data over it')));
  const last = await eventually(() => {
    const call = t.slack.calls('views.publish').at(-1);
    return call?.response.ok ? call : undefined;
  });
  expect(last?.args.hash).toBeUndefined();
});

test('Start a meeting now from Home: the modal, then the card in the chosen channel', async () => {
  await openHome(t);
  const home = await eventually(() => t.slack.homeView(W.userId));
  await t.action(ACTIONS.homeStartNow, 'now', { view: home });
  const modal = await eventually(() => t.slack.lastView(VIEWS.startNow));
  const res = await t.submitView({
    callbackId: VIEWS.startNow,
    view: modal,
    values: {
      [START_NOW_IDS.title.block]: {
        [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'From home' },
      },
      [START_NOW_IDS.channel.block]: {
        [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: 'C0HOMECHAN' },
      },
    },
  });
  expect(res.status).toBe(200);
  const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0HOMECHAN');
  expect(JSON.stringify(post.args.blocks)).toContain('From home');
  await eventually(() => homeText(t.slack.homeView(W.userId)).includes('From home'));
});

test('the start-now form without a channel gets an inline error', async () => {
  const res = await t.submitView({
    callbackId: VIEWS.startNow,
    values: {
      [START_NOW_IDS.title.block]: { [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'x' } },
      [START_NOW_IDS.channel.block]: {
        [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: null },
      },
    },
  });
  expect(JSON.parse(res.body)).toEqual({
    response_action: 'errors',
    errors: { [START_NOW_IDS.channel.block]: 'Pick the conversation to post the meeting in.' },
  });
});

test('Schedule a meeting from Home opens the scheduling modal', async () => {
  await openHome(t);
  const home = await eventually(() => t.slack.homeView(W.userId));
  await t.action(ACTIONS.homeSchedule, 'schedule', { view: home });
  await eventually(() => t.slack.lastView(VIEWS.schedule));
});

test('End and Edit on Home work through the existing handlers', async () => {
  const scheduled = await scheduleMeeting(t.emulator, t);
  await openHome(t);
  const home = await eventually(() => {
    const v = t.slack.homeView(W.userId);
    return v && homeText(v).includes('Quarterly planning') ? v : undefined;
  });
  await t.action(`${ACTIONS.edit}:${scheduled.meetId}`, scheduled.meetId, { view: home });
  await eventually(() => t.slack.lastView(VIEWS.edit));
  await t.action(`${ACTIONS.end}:${scheduled.meetId}`, scheduled.meetId, { view: home });
  await eventually(async () => (await t.store.getMeeting(W.teamId, scheduled.meetId))?.status === 'ended');
  await eventually(() => !homeText(t.slack.homeView(W.userId)).includes('Quarterly planning'));
});

test('MegaMeeting down: Home is still published, saying what it could not read, and the connection as not answering', async () => {
  t.slack.addUser(BOSS);
  await scheduleMeeting(t.emulator, t);
  // A first Home while MegaMeeting answers (the user's login is then known), then every request fails.
  await openHome(t);
  await eventually(() => t.slack.homeView(W.userId));
  t.slack.clearCalls();
  t.emulator.state.injectFaults('status503', 500);
  await openHome(t);
  await openHome(t, BOSS.id);
  const text = homeText(
    await eventually(() => (publishes(t) >= 1 ? t.slack.homeView(W.userId) : undefined), 30_000),
  );
  expect(text).toContain("I couldn't check these with MegaMeeting just now; some may have ended already.");
  expect(text).toContain('Quarterly planning');
  expect(text).toContain("I couldn't read your recordings from MegaMeeting just now.");
  const boss = homeText(
    await eventually(() => (publishes(t, BOSS.id) >= 1 ? t.slack.homeView(BOSS.id) : undefined), 30_000),
  );
  expect(boss).toContain(':red_circle: MegaMeeting is not answering');
  expect(boss).not.toContain('Connected');
  expect(boss).toContain('unknown (MegaMeeting did not answer)');
  expect(t.slack.calls('views.publish').every((c) => c.response.ok)).toBe(true);

  // Back up: the next Home says Connected again.
  t.emulator.state.clearFaults();
  t.slack.clearCalls();
  await openHome(t, BOSS.id);
  const again = homeText(
    await eventually(() => (publishes(t, BOSS.id) >= 1 ? t.slack.homeView(BOSS.id) : undefined), 30_000),
  );
  expect(again).toContain(':large_green_circle: Connected');
});
