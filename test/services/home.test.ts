/**
 * App Home without Bolt (./world.ts): what the Home tab holds for a mapped, unmapped and admin user, each state word
 * for word (MegaMeeting or Slack failing included), the publish (Slack's hash guard, one publish at a time per
 * user, a queued one absorbing later requests), republishing after changes for those who look at the tab only,
 * and the Home buttons' work (start now, schedule). No secret in any view or log line. Fast enough for mutation
 * testing (docs/mutation.md, `home-unit` scope); test/home/home.http.test.ts drives the same over signed HTTP.
 */

import type { Services } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import { AppLoginService } from '../../src/services/app-login.js';
import { type HomeDeps, HomeService } from '../../src/services/home.js';
import type { MeetingKind, MeetingStatus, Store } from '../../src/store/types.js';
import { START_NOW_IDS, VIEWS } from '../../src/views/ids.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type LogLine, type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const STRANGER = { id: 'U0STRANGER', real_name: 'Sam Stranger', email: 'sam@nowhere.example' };
const BOSS = { id: 'U0BOSS0001', real_name: 'Bo Boss', email: 'bo@corp.example', is_admin: true };
const DAY_MS = 24 * 3600_000;
const START = new Date(Math.floor(Date.now() / 1000) * 1000);

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;
let now: Date;
let home: HomeService;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});

/** The world, with the app's own HomeService stopped: each test builds its own (short debounce, its deps). */
async function world(opts: { apiToken?: string } = {}): Promise<void> {
  stub.reset();
  for (const u of [STRANGER, BOSS]) stub.addUser(u);
  now = START;
  w = await startServiceWorld(stub, { clock: { now: () => now }, ...opts });
  services = w.services;
  await services.home.stop();
  home = homeService();
}
afterEach(async () => {
  await home.stop();
  await w.close();
});

/** A HomeService on the world's services; `over` replaces some of its dependencies (a failing store…). */
function homeService(over: Partial<HomeDeps> = {}): HomeService {
  return new HomeService({
    identity: services.identity,
    meetingList: services.meetingList,
    recordings: services.recordings,
    meetings: services.meetings,
    scheduling: services.scheduling,
    appLogin: services.appLogin,
    slack: services.slack,
    changes: services.changes,
    store: w.db.store,
    logger: services.logger,
    clock: { now: () => now },
    connection: { accountUrl: w.emu.url },
    debounceMs: 5,
    ...over,
  });
}

/** Replaces the Home service of this test (the previous one stopped). */
async function replaceHome(over: Partial<HomeDeps>): Promise<void> {
  await home.stop();
  home = homeService(over);
}

function publishes(userId: string = HOST) {
  return stub.calls('views.publish').filter((c) => c.args.user_id === userId);
}

function homeText(userId: string = HOST): string {
  return JSON.stringify(stub.homeView(userId)?.blocks ?? []);
}

/** Who and what a line is about: an operator finds the user and the cause. */
function about(line: LogLine | undefined) {
  return { teamId: line?.teamId, userId: line?.userId, err: line?.err?.message ?? line?.err?.code };
}

function logged(msg: string) {
  return w.logs().filter((l) => l.msg === msg);
}

function owner() {
  const login = w.emu.state.snapshot().logins.find((l) => l.loginId === w.emu.adminLoginId);
  if (!login) throw new Error('no owner login');
  return login;
}

/** A meeting of the host, in MegaMeeting and in the store. */
async function hostMeeting(title: string, kind: MeetingKind, status: MeetingStatus, startAt: Date) {
  const meetId = w.emu.state.addMeeting({ name: title, loginId: w.hostLoginId }).meetId;
  await w.db.store.insertMeeting({
    teamId: T,
    meetId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none',
    hostSlackUserId: HOST,
    hostLoginId: w.hostLoginId,
    title,
    kind,
    startAt,
    endAt: new Date(startAt.getTime() + 3600_000),
    timeZone: 'UTC',
    status,
    reminders: [],
    options: {},
  });
  return meetId;
}

const hours = (n: number) => new Date(START.getTime() + n * 3600_000);

describe('what the Home tab holds', () => {
  beforeEach(() => world());

  test('a user matched by email: their login, start buttons, nothing live, no recordings, no admin section', async () => {
    const data = await home.gather(T, HOST);
    expect(data).toEqual({
      userId: HOST,
      account: {
        kind: 'mapped',
        loginId: w.hostLoginId,
        email: W.userEmail,
        fullName: W.userRealName,
        source: 'email_match',
        linkedBy: null,
      },
      meetings: [],
      meetingsStale: false,
      recordings: [],
      recordingsTotal: 0,
      connection: null,
    });
    await home.opened(T, HOST);
    const text = homeText();
    expect(text).toContain(
      `*Your MegaMeeting login*\\n${W.userRealName} · ${W.userEmail} · \`${w.hostLoginId}\` (matched by your email)`,
    );
    expect(text).toContain('Start a meeting now');
    expect(text).toContain('Nothing live or upcoming. Start or schedule one above.');
    expect(text).toContain('No recordings yet. Recordings of your meetings show up here once they are made.');
    expect(text).not.toContain('MegaMeeting connection');
  });

  test('a user an admin linked: "linked by" that admin', async () => {
    await w.db.store.upsertUserLink({
      teamId: T,
      slackUserId: STRANGER.id,
      loginId: w.hostLoginId,
      email: STRANGER.email,
      source: 'admin',
      linkedBy: BOSS.id,
      linkedAt: now,
    });
    const { account } = await home.gather(T, STRANGER.id);
    expect(account).toEqual({
      kind: 'mapped',
      loginId: w.hostLoginId,
      // The login's own email, not the one the link was made with.
      email: W.userEmail,
      fullName: W.userRealName,
      source: 'admin',
      linkedBy: BOSS.id,
    });
  });

  test('each meeting with the buttons its host may use: Edit for scheduled ones, Guests for secure and webinars', async () => {
    const live = await hostMeeting('Live sync', 'instant', 'live', hours(-0.5));
    const planned = await hostMeeting('Planning', 'scheduled', 'scheduled', hours(2));
    const secure = await hostMeeting('Board', 'secure', 'scheduled', hours(3));
    const webinar = await hostMeeting('Launch', 'webinar', 'live', hours(-0.2));
    const instantLater = await hostMeeting('Odd instant', 'instant', 'scheduled', hours(4));
    const { meetings, meetingsStale } = await home.gather(T, HOST);
    expect(meetingsStale).toBe(false);
    const rights = Object.fromEntries(
      (meetings ?? []).map((m) => [
        m.meetId,
        [m.title, m.kind, m.status, m.canEnd, m.canEdit, m.canManageGuests],
      ]),
    );
    expect(rights).toEqual({
      [live]: ['Live sync', 'instant', 'live', true, false, false],
      [planned]: ['Planning', 'scheduled', 'scheduled', true, true, false],
      [secure]: ['Board', 'secure', 'scheduled', true, true, true],
      [webinar]: ['Launch', 'webinar', 'live', true, false, true],
      [instantLater]: ['Odd instant', 'instant', 'scheduled', true, false, false],
    });
    const planning = meetings?.find((m) => m.meetId === planned);
    expect(planning?.start).toEqual(hours(2));
    expect(planning?.joinUrl).toContain(`/meeting/?id=${planned}`);
    // Secure meetings and webinars have personal links only.
    expect(meetings?.find((m) => m.meetId === secure)?.joinUrl).toBeNull();
  });

  test('recordings: the 20 newest are read, with how many there are in all', async () => {
    const recMeet = w.emu.state.addMeeting({ name: 'Retro', loginId: w.hostLoginId }).meetId;
    w.emu.state.addRecordings(25, { meetId: recMeet, remuxStatus: 'completed' });
    const data = await home.gather(T, HOST);
    expect(data.recordings).toHaveLength(20);
    expect(data.recordingsTotal).toBe(25);
  });

  test('MegaMeeting down: the meetings from the store marked unconfirmed, the recordings unread, said on the page', async () => {
    await hostMeeting('Planning', 'scheduled', 'scheduled', hours(2));
    // A first look while MegaMeeting answers (the login is then known), then every request fails.
    await home.gather(T, HOST);
    w.emu.state.injectFaults('status503', 500);
    const data = await home.gather(T, HOST);
    expect(data.account.kind).toBe('mapped');
    expect(data.meetings?.map((m) => m.title)).toEqual(['Planning']);
    expect(data.meetingsStale).toBe(true);
    expect(data.recordings).toBeNull();
    expect(data.recordingsTotal).toBeUndefined();
    expect(logged('Home: could not read the recordings').map(about)).toEqual([
      { teamId: T, userId: HOST, err: expect.stringContaining('MegaMeeting') },
    ]);
    await home.opened(T, HOST);
    const text = homeText();
    expect(text).toContain("I couldn't check these with MegaMeeting just now; some may have ended already.");
    expect(text).toContain("I couldn't read your recordings from MegaMeeting just now.");
  });

  test('the meetings cannot be read (the store failing): said on the page, the rest shown', async () => {
    await replaceHome({
      meetingList: { listWithStatus: () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) },
    });
    const data = await home.gather(T, HOST);
    expect(data.meetings).toBeNull();
    expect(data.meetingsStale).toBeUndefined();
    expect(data.recordings).toEqual([]);
    expect(logged('Home: could not read the meetings').map(about)).toEqual([
      { teamId: T, userId: HOST, err: 'SQLITE_IOERR: disk I/O error' },
    ]);
    await home.opened(T, HOST);
    expect(homeText()).toContain("I couldn't read your meetings just now. `/meet list` shows them.");
  });

  test('an unmapped user reads why and what to do, and nothing else is read for them', async () => {
    const data = await home.gather(T, STRANGER.id);
    expect(data).toEqual({
      userId: STRANGER.id,
      account: {
        kind: 'unmapped',
        message:
          "Your MegaMeeting login for sam@nowhere.example does not exist, so I can't create meetings for you yet. " +
          'Ask your MegaMeeting admin to add (or activate) a login with that email, ' +
          'or ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
      },
      meetings: null,
      recordings: null,
      connection: null,
    });
    expect(logged('Home: could not look up the MegaMeeting login')).toHaveLength(0);
    await home.opened(T, STRANGER.id);
    const text = homeText(STRANGER.id);
    expect(text).toContain("*You're not linked to a MegaMeeting login yet*");
    expect(text).not.toContain('Start a meeting now');
    expect(text).not.toContain('Open MegaMeeting');
  });

  test('Slack failing the profile lookup: the login is "unknown" with Slack\'s refusal, and logged', async () => {
    stub.failNext('users.info', 'fatal_error', { count: 10 });
    const data = await home.gather(T, STRANGER.id);
    expect(data.account).toEqual({
      kind: 'unknown',
      message: "Slack refused a request (fatal_error), so I couldn't look up your MegaMeeting login.",
    });
    expect(data.meetings).toBeNull();
    expect(data.connection).toBeNull();
    expect(logged('Home: could not look up the MegaMeeting login').map(about)).toEqual([
      { teamId: T, userId: STRANGER.id, err: expect.stringContaining('fatal_error') },
    ]);
    expect(logged('Home: admin check failed; no connection section')).toHaveLength(1);
  });

  test("a workspace admin sees the connection: the account URL and the token's login, never the token", async () => {
    const data = await home.gather(T, BOSS.id);
    const o = owner();
    expect(data.connection).toEqual({
      accountUrl: w.emu.url,
      source: 'environment',
      reachable: true,
      tokenLogin: { loginId: w.emu.adminLoginId, email: o.email, fullName: o.fullName },
    });
    await home.opened(T, BOSS.id);
    const text = homeText(BOSS.id);
    expect(text).toContain('*MegaMeeting connection* (admins only)\\n:large_green_circle: Connected');
    expect(text).toContain(w.emu.adminLoginId);
    expect(JSON.stringify(stub.calls())).not.toContain(w.emu.adminToken);
    expect(JSON.stringify(w.logs())).not.toContain(w.emu.adminToken);
  });

  test('a MegaMeeting admin sees the connection; when MegaMeeting takes over 2 s to confirm it, Home goes without', async () => {
    const MAX = { id: 'U0MMADMIN1', real_name: 'Max Admin', email: 'max@example.com' };
    stub.addUser(MAX);
    w.emu.state.addLogin({ email: MAX.email, fullName: MAX.real_name, roles: ['admin', 'host'] });
    // Linked by email (the admin check reads the link; Home's first look makes it while checking).
    await services.identity.resolveHost(T, MAX.id);
    expect((await home.gather(T, MAX.id)).connection?.reachable).toBe(true);
    // Past the age at which admin rights are read again, MegaMeeting answers `logins` in 2.5 s.
    now = new Date(START.getTime() + 31_000);
    w.emu.state.setAnswerLatency('logins', 2500);
    const data = await home.gather(T, MAX.id);
    expect(data.account.kind).toBe('mapped');
    expect(data.connection).toBeNull();
    const [line] = logged('Home: admin check failed; no connection section');
    expect([line?.userId, line?.err?.code]).toEqual([MAX.id, 'megameeting_unavailable']);
  });

  test('MegaMeeting not answering the admin: "not answering", whose token unknown', async () => {
    w.emu.state.injectFaults('status503', 500);
    const data = await home.gather(T, BOSS.id);
    expect(data.connection).toEqual({
      accountUrl: w.emu.url,
      source: 'environment',
      reachable: false,
      tokenLogin: null,
      tokenLoginNote: 'unknown (MegaMeeting did not answer)',
    });
    const [line] = logged('Home: MegaMeeting did not answer the connection check');
    expect(line?.err?.message).toContain('MegaMeeting');
  });
});

describe('a token no admin login carries', () => {
  beforeEach(() => world());

  test('the connection answers, and says the token is not one of the admin logins', async () => {
    // The app's own login as found with a token that is nobody's (the client itself keeps the owner's).
    const appLogin = new AppLoginService({
      megameeting: services.megameeting,
      apiToken: 'not-anybodys-token',
      logger: services.logger,
      clock: { now: () => now },
    });
    await replaceHome({ appLogin });
    expect(await home.connection()).toEqual({
      accountUrl: w.emu.url,
      source: 'environment',
      reachable: true,
      tokenLogin: null,
      tokenLoginNote: 'not one of the admin logins',
    });
  });
});

describe("the token's login", () => {
  beforeEach(() => world());

  function appLoginWith(apiToken: string) {
    return new AppLoginService({
      megameeting: services.megameeting,
      apiToken,
      logger: services.logger,
      clock: { now: () => now },
    });
  }

  test("another admin's token: that admin is named, not the first admin listed", async () => {
    const other = w.emu.state.addLogin({
      email: 'second@example.com',
      fullName: 'Second Admin',
      roles: ['admin'],
    });
    await replaceHome({ appLogin: appLoginWith(other.apiToken) });
    expect((await home.connection()).tokenLogin).toEqual({
      loginId: other.loginId,
      email: 'second@example.com',
      fullName: 'Second Admin',
    });
  });

  test('a login made since the logins were last read: named by its ID, with no email nor name yet', async () => {
    await services.identity.logins();
    const other = w.emu.state.addLogin({ email: 'new@example.com', fullName: 'New Admin', roles: ['admin'] });
    await replaceHome({ appLogin: appLoginWith(other.apiToken) });
    expect((await home.connection()).tokenLogin).toEqual({
      loginId: other.loginId,
      email: '',
      fullName: null,
    });
  });
});

describe('publishing', () => {
  beforeEach(() => world());

  test('opening Home publishes it and records the viewer (other replicas republish for them)', async () => {
    await home.opened(T, HOST);
    expect(publishes()).toHaveLength(1);
    expect(publishes()[0]?.args.hash).toBeUndefined();
    expect(await w.db.store.homeViewersSince(T, [HOST], new Date(now.getTime() - 1))).toEqual([HOST]);
    expect(logged('published the Home tab').map((l) => [l.component, l.teamId, l.userId, l.blocks])).toEqual([
      ['home', T, HOST, stub.homeView(HOST)?.blocks?.length],
    ]);
  });

  test("the next publish carries the last one's hash; a tab another replica changed meanwhile is published over", async () => {
    await home.opened(T, HOST);
    const first = stub.homeView(HOST);
    await home.opened(T, HOST);
    expect(publishes()[1]?.args.hash).toBe(first?.hash);
    expect(publishes()[1]?.response.ok).toBe(true);
    // Another replica publishes: our hash is stale, Slack refuses it, and fresh data goes over it.
    await services.slack.publishHome(HOST, {
      type: 'home',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'from another replica' } }],
    });
    stub.clearCalls();
    await home.opened(T, HOST);
    expect(publishes().map((c) => [c.response.error ?? 'ok', c.args.hash === undefined])).toEqual([
      ['hash_conflict', false],
      ['ok', true],
    ]);
    expect(logged('the Home tab changed meanwhile; publishing fresh data over it').map(about)).toEqual([
      { teamId: T, userId: HOST, err: undefined },
    ]);
    expect(homeText()).toContain('Start a meeting now');
  });

  test('a conflict whose fresh publish fails too: the stale hash is forgotten, the next publish goes without it', async () => {
    await home.opened(T, HOST);
    await services.slack.publishHome(HOST, {
      type: 'home',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'from another replica' } }],
    });
    stub.clearCalls();
    stub.failNext('views.publish', 'not_authed', { when: (args) => args.hash === undefined });
    await home.opened(T, HOST);
    expect(publishes().map((c) => c.response.error)).toEqual(['hash_conflict', 'not_authed']);
    stub.clearCalls();
    await home.opened(T, HOST);
    expect(publishes().map((c) => [c.response.error ?? 'ok', c.args.hash])).toEqual([['ok', undefined]]);
  });

  test("the event's hash is used when given: a stale one is answered with a fresh publish", async () => {
    await home.opened(T, HOST);
    stub.clearCalls();
    await home.opened(T, HOST, 'stale.hash');
    expect(publishes().map((c) => [c.response.error ?? 'ok', c.args.hash])).toEqual([
      ['hash_conflict', 'stale.hash'],
      ['ok', undefined],
    ]);
  });

  test('another refusal is not retried: logged, never thrown', async () => {
    await home.opened(T, HOST);
    stub.clearCalls();
    stub.failNext('views.publish', 'not_authed');
    await expect(home.opened(T, HOST)).resolves.toBeUndefined();
    expect(publishes()).toHaveLength(1);
    const [line] = logged('could not publish the Home tab');
    expect(line?.err?.code).toBe('not_authed');
  });

  test('a hash_conflict for a publish sent without a hash is not retried', async () => {
    stub.failNext('views.publish', 'hash_conflict');
    await home.opened(T, HOST);
    expect(publishes()).toHaveLength(1);
    expect(logged('could not publish the Home tab')).toHaveLength(1);
  });

  test('the store failing to record the open: Home is published anyway, the failure logged', async () => {
    const store: Pick<Store, 'markHomeOpened' | 'homeViewersSince'> = {
      markHomeOpened: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
      homeViewersSince: (...args) => w.db.store.homeViewersSince(...args),
    };
    await replaceHome({ store });
    await home.opened(T, HOST);
    expect(publishes().filter((c) => c.response.ok)).toHaveLength(1);
    expect(logged('could not record that Home was opened').map(about)).toEqual([
      { teamId: T, userId: HOST, err: 'SQLITE_BUSY: database is locked' },
    ]);
    // This process saw the open: it republishes on a change even though the store does not know.
    services.changes.notify({ teamId: T, slackUserIds: [HOST], what: 'meeting_edited' });
    await home.idle();
    expect(publishes()).toHaveLength(2);
  });

  test('one publish at a time per user: requests while one runs make one more publish, not one each', async () => {
    stub.delayNext('views.publish', 100);
    const running = home.opened(T, HOST);
    // Let the first start (it left the queue), then three more arrive while it runs.
    await new Promise((r) => setImmediate(r));
    const more = [home.opened(T, HOST), home.opened(T, HOST), home.opened(T, HOST)];
    await Promise.all([running, ...more]);
    expect(publishes()).toHaveLength(2);
    // Another user is not held up behind them.
    await home.opened(T, STRANGER.id);
    expect(publishes(STRANGER.id)).toHaveLength(1);
  });
});

test("two users opening Home at once each get their own publish (one user's queue is not another's)", async () => {
  await world();
  await Promise.all([home.opened(T, HOST), home.opened(T, STRANGER.id)]);
  expect(publishes()).toHaveLength(1);
  expect(publishes(STRANGER.id)).toHaveLength(1);
});

test('stop waits for a publish already running', async () => {
  await world();
  stub.delayNext('views.publish', 100);
  const running = home.opened(T, HOST);
  await new Promise((r) => setImmediate(r));
  await home.stop();
  expect(publishes().filter((c) => c.response.ok)).toHaveLength(1);
  await running;
});

test('idle waits for a publish queued behind one that has just finished', async () => {
  await world();
  stub.delayNext('views.publish', 100, 2);
  const first = home.opened(T, HOST);
  await new Promise((r) => setImmediate(r));
  void home.opened(T, HOST);
  await first;
  await home.idle();
  expect(publishes().filter((c) => c.response.ok)).toHaveLength(2);
});

describe('republishing after a change', () => {
  beforeEach(() => world());

  const change = (userIds: string[]) =>
    services.changes.notify({ teamId: T, slackUserIds: userIds, what: 'meeting_created' });

  test('a burst of changes makes one publish for a viewer, none for someone who never opened Home', async () => {
    await home.opened(T, HOST);
    for (let i = 0; i < 5; i++) change([HOST, HOST, STRANGER.id]);
    await home.idle();
    expect(publishes()).toHaveLength(2);
    expect(publishes(STRANGER.id)).toHaveLength(0);
  });

  test('each user of a change is republished, also one named after another already waiting', async () => {
    await home.opened(T, HOST);
    await home.opened(T, BOSS.id);
    change([HOST]);
    change([HOST, BOSS.id]);
    await home.idle();
    expect(publishes()).toHaveLength(2);
    expect(publishes(BOSS.id)).toHaveLength(2);
  });

  test('a viewer another replica saw is republished (the store knows)', async () => {
    await w.db.store.markHomeOpened(T, HOST, new Date(now.getTime() - 60_000));
    change([HOST]);
    await home.idle();
    expect(publishes()).toHaveLength(1);
  });

  test('a tab this process saw opened exactly a day ago still counts; a millisecond more does not', async () => {
    // The store never learns of the open: only this process's memory of it counts.
    await replaceHome({
      store: { markHomeOpened: async () => {}, homeViewersSince: async () => [] },
    });
    await home.opened(T, HOST);
    now = new Date(START.getTime() + DAY_MS);
    change([HOST]);
    await home.idle();
    expect(publishes()).toHaveLength(2);
    now = new Date(START.getTime() + DAY_MS + 1);
    change([HOST]);
    await home.idle();
    expect(publishes()).toHaveLength(2);
  });

  test('a viewer another replica saw over a day ago is not republished', async () => {
    await w.db.store.markHomeOpened(T, HOST, new Date(now.getTime() - DAY_MS - 1));
    change([HOST]);
    await home.idle();
    expect(publishes()).toHaveLength(0);
  });

  test('stopped: a change waiting is dropped and later ones are ignored', async () => {
    await home.opened(T, HOST);
    change([HOST]);
    await home.stop();
    change([HOST]);
    home.refreshSoon(T, [HOST]);
    await new Promise((r) => setTimeout(r, 30));
    await home.idle();
    expect(publishes()).toHaveLength(1);
  });

  test('idle waits for a change still in its debounce', async () => {
    await home.opened(T, HOST);
    await replaceHome({ debounceMs: 40 });
    await home.opened(T, HOST);
    change([HOST]);
    await home.idle();
    expect(publishes()).toHaveLength(3);
  });
});

describe('the Home buttons', () => {
  beforeEach(() => world());

  test('"Start a meeting now": the start form; from the shortcut it also asks when', async () => {
    await home.openStartNow('trigger-1');
    await home.openStartNow('trigger-2', { askWhen: true });
    const opened = stub.calls('views.open').map((c) => c.args.view as { callback_id?: string });
    expect(opened.map((v) => v.callback_id)).toEqual([VIEWS.startNow, VIEWS.startNow]);
    expect(JSON.stringify(opened[0])).not.toContain(START_NOW_IDS.when.block);
    expect(JSON.stringify(opened[1])).toContain(START_NOW_IDS.when.block);
  });

  test('"Schedule a meeting": the scheduling form for a meeting, no title nor channel yet', async () => {
    await home.openSchedule({ triggerId: 'trigger-1', teamId: T, userId: HOST });
    const [call] = stub.calls('views.open');
    const view = call?.args.view as { callback_id?: string };
    expect(view.callback_id).toBe(VIEWS.schedule);
    expect(JSON.stringify(view)).not.toContain('initial_conversation');
    expect(JSON.stringify(view)).not.toContain('"initial_value"');
  });

  test('"Later" in the start form turns it into the scheduling form with what was typed', async () => {
    await home.openStartNow('trigger-1', { askWhen: true });
    const opened = stub.calls('views.open')[0]?.response.view as { id: string; hash: string };
    await home.scheduleInstead({
      view: { viewId: opened.id, hash: opened.hash },
      teamId: T,
      userId: HOST,
      values: {
        [START_NOW_IDS.title.block]: {
          [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'Retro' },
        },
        [START_NOW_IDS.channel.block]: {
          [START_NOW_IDS.channel.action]: {
            type: 'conversations_select',
            selected_conversation: 'C0LATER001',
          },
        },
      },
    });
    const update = stub.calls('views.update')[0];
    expect(update?.args.view_id).toBe(opened.id);
    const text = JSON.stringify(update?.args.view);
    expect(text).toContain(`"callback_id":"${VIEWS.schedule}"`);
    expect(text).toContain('"initial_value":"Retro"');
    expect(text).toContain('"initial_conversation":"C0LATER001"');
  });

  test('the start form submitted with "Later": the scheduling form, with its title and channel', async () => {
    const form = await home.scheduleForm({
      teamId: T,
      userId: HOST,
      title: 'Retro',
      channelId: 'C0LATER001',
    });
    const text = JSON.stringify(form);
    expect(form.callback_id).toBe(VIEWS.schedule);
    expect(text).toContain('"initial_value":"Retro"');
    expect(text).toContain('"initial_conversation":"C0LATER001"');
    // A meeting (not a webinar nor a secure meeting), in the user's own time zone.
    expect(JSON.parse(form.private_metadata ?? '{}')).toMatchObject({
      channelId: 'C0LATER001',
      type: 'scheduled',
      tz: 'America/Chicago',
    });
  });

  test('the start form without a channel is refused word for word, nothing made', async () => {
    const err = await rejectionOf(
      home.startNow({ teamId: T, userId: HOST, title: 'x', channelId: '' }),
      AppError,
    );
    expect([err.code, err.userMessage]).toEqual([
      'invalid_input',
      'Pick the conversation to post the meeting in.',
    ]);
    expect(w.emu.state.snapshot().meetings).toHaveLength(0);
  });

  test('the start form submitted: an instant meeting of this host, its card in the chosen channel', async () => {
    await home.startNow({ teamId: T, userId: HOST, title: 'From home', channelId: W.channelId });
    const [meeting] = await w.db.store.listMeetingsByHost(T, HOST, ['live', 'scheduled']);
    expect([meeting?.title, meeting?.kind, meeting?.channelId, meeting?.hostLoginId]).toEqual([
      'From home',
      'instant',
      W.channelId,
      w.hostLoginId,
    ]);
    expect(JSON.stringify(stub.messagesIn(W.channelId))).toContain('From home');
  });

  test("a channel the bot is not in: the card goes out through the form's response_url", async () => {
    const responseUrl = stub.responseUrl();
    stub.failNext('chat.postMessage', 'not_in_channel', { count: 5 });
    await home.startNow({ teamId: T, userId: HOST, title: 'From home', channelId: W.channelId, responseUrl });
    expect(JSON.stringify(stub.responses(responseUrl))).toContain('From home');
  });
});
