/**
 * The guests service without Bolt (./world.ts: the app's services against the MegaMeeting emulator over HTTP,
 * the Slack stand-in and the real store on SQLite). Who may add, remove and change guests and answer access
 * requests (the host or an admin, nobody else), each refusal word for word, and a personal link that only ever
 * goes to its guest (by DM or privately) or to the inviter. Fast enough for mutation testing (docs/mutation.md,
 * `guests-unit` scope); the HTTP-level tests in test/guests/ cover the wiring.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import type { Services } from '../../src/app.js';
import type { GuestSpec } from '../../src/domain/guest-spec.js';
import { AppError } from '../../src/errors.js';
import { guestRef } from '../../src/services/guests/index.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { GUEST_IDS, VIEWS } from '../../src/views/ids.js';
import { type LosingProxy, startLosingProxy } from '../support/losing-proxy.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const GUEST = { id: 'U0GUEST001', real_name: 'Bob Guest', email: 'Bob@Example.com' };
const OTHER = { id: 'U0OTHER001', real_name: 'Olga Other', email: 'olga@example.com' };
const ADMIN = { id: 'U0ADMIN001', real_name: 'Ada Admin', email: 'ada@example.com', is_admin: true };
const NO_EMAIL = { id: 'U0NOEMAIL1', real_name: 'Nora Noemail' };
const BOT = { id: 'U0SOMEBOT1', real_name: 'Some Bot', email: 'bot@example.com', is_bot: true };
const GONE = { id: 'U0DELETED1', real_name: 'Dee Deleted', email: 'dee@example.com', deleted: true };

// The app's clock stands still near the real time (the Slack stand-in's clock is the real one).
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const MINUTE = 60_000;

let stub: SlackStub;
let w: ServiceWorld;
let emu: ServiceWorld['emu'];
let db: ServiceWorld['db'];
let services: Services;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});

beforeEach(async () => {
  stub.reset();
  for (const u of [GUEST, OTHER, ADMIN, NO_EMAIL, BOT, GONE]) stub.addUser(u);
  w = await startServiceWorld(stub, { clock: { now: () => NOW } });
  ({ emu, db, services } = w);
});
afterEach(async () => {
  await w.close();
});

async function createMeeting(
  kind: 'secure' | 'webinar' | 'scheduled',
  title: string,
): Promise<MeetingRecord> {
  const start = new Date(Date.now() + 24 * 3600_000);
  return services.meetings.create({
    teamId: T,
    channelId: W.channelId,
    hostUserId: HOST,
    title,
    kind,
    start,
    end: new Date(start.getTime() + 3600_000),
    timeZone: 'America/Chicago',
    options:
      kind === 'secure'
        ? { requireVerification: true }
        : kind === 'webinar'
          ? { enableRegistration: true, disableVideo: true }
          : {},
  });
}

function slackGuest(u: { id: string; real_name: string }): GuestSpec {
  return { slackUserId: u.id, name: '', email: null, permissions: ['chat'] };
}
function external(name: string, email: string): GuestSpec {
  return { slackUserId: null, name, email, permissions: ['chat', 'screenSharing'] };
}

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

function notAllowed(doing: string): [string, string] {
  return ['not_allowed', `Only the host (<@${HOST}>) or an admin can ${doing}.`];
}

/** What was DMed to a user: the texts of chat.postMessage calls to their DM channel. */
function dmsTo(userId: string): string[] {
  const channel = stub.dmChannelFor(userId);
  return stub
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === channel)
    .map((c) => String(c.args.text));
}

/** The request ID on the Approve button of the last access request DMed to the host. */
function requestIdSentTo(hostId: string): string | null {
  const request = stub
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === stub.dmChannelFor(hostId))
    .at(-1);
  return JSON.stringify(request?.args.blocks).match(/\\"r\\":\\"([0-9a-f-]+)\\"/)?.[1] ?? null;
}

function everythingSentTo(userId: string): string {
  const channel = stub.dmChannelFor(userId);
  return JSON.stringify(
    stub
      .calls()
      .filter((c) => c.args.channel === channel || c.args.user === userId || c.args.user_id === userId),
  );
}

function personalLink(key: string): string {
  return `${emu.url}/meeting/?key=${key}`;
}

/** A secure meeting with one Slack guest (Bob) and one external guest, added by the host. */
async function withGuests() {
  const meeting = await createMeeting('secure', 'Patient consult');
  await services.guests.inviteGuests(
    meeting,
    [slackGuest(GUEST), external('Jane Doe', 'jane@example.com')],
    HOST,
  );
  const stored = await db.store.listGuests(T, meeting.meetId);
  const bob = stored.find((g) => g.slackUserId === GUEST.id);
  const jane = stored.find((g) => g.email === 'jane@example.com');
  if (!bob || !jane) throw new Error('guests not added');
  stub.clearCalls();
  return { meeting, bob, jane };
}

/** Opens the guest manager as the host and returns its view ID. */
async function openManager(meetId: string, userId = HOST): Promise<string> {
  await services.guests.openManageModal({ triggerId: stub.issueTriggerId(), teamId: T, userId, meetId });
  const view = stub.lastView(VIEWS.guests);
  if (!view) throw new Error('no guest manager open');
  return view.id;
}

function noticeOf(viewId: string): string {
  const view = stub.view(viewId);
  const context = (view?.blocks ?? []).find((b) => (b as { type: string }).type === 'context') as
    | { elements: Array<{ text: string }> }
    | undefined;
  return context?.elements[0]?.text ?? '';
}

describe('who may change guests', () => {
  test('someone else pressing Remove is refused, word for word; the guest keeps their key and is not told', async () => {
    const { meeting, bob } = await withGuests();
    const err = await refusal(
      services.guests.removeGuest({
        teamId: T,
        userId: OTHER.id,
        meetId: meeting.meetId,
        ref: guestRef(bob),
        viewId: null,
      }),
    );
    expect([err.code, err.userMessage]).toEqual(notAllowed('remove its guests'));
    expect(emu.state.guestsOf(meeting.meetId).map((g) => g.key)).toContain(bob.guestKey);
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.guestKey)).toContain(bob.guestKey);
    expect(dmsTo(GUEST.id)).toEqual([]);
  });

  test("someone else changing a guest's permissions is refused, word for word; nothing changes", async () => {
    const { meeting, bob } = await withGuests();
    const err = await refusal(
      services.guests.changePermissions({
        teamId: T,
        userId: OTHER.id,
        meetId: meeting.meetId,
        ref: guestRef(bob),
        permissions: ['moderator'],
        viewId: null,
      }),
    );
    expect([err.code, err.userMessage]).toEqual(notAllowed('change guest permissions'));
    expect(emu.state.guestsOf(meeting.meetId).find((g) => g.key === bob.guestKey)?.permissions).toEqual([
      'chat',
    ]);
    const stored = await db.store.listGuests(T, meeting.meetId);
    expect(stored.find((g) => g.guestKey === bob.guestKey)?.permissions).toEqual(['chat']);
  });

  test('someone else cannot open the manager, see it busy, nor get a problem shown in it', async () => {
    const { meeting } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const opened = await refusal(
      services.guests.openManageModal({
        triggerId: stub.issueTriggerId(),
        teamId: T,
        userId: OTHER.id,
        meetId: meeting.meetId,
      }),
    );
    expect([opened.code, opened.userMessage]).toEqual(notAllowed('manage its guests'));
    const busy = await refusal(
      services.guests.busyManagerView({ teamId: T, userId: OTHER.id, meetId: meeting.meetId, notice: 'x' }),
    );
    expect([busy.code, busy.userMessage]).toEqual(notAllowed('add its guests'));
    await services.guests.showManagerProblem({
      teamId: T,
      userId: OTHER.id,
      meetId: meeting.meetId,
      viewId,
      notice: 'planted',
    });
    expect(stub.calls('views.open')).toHaveLength(1);
    expect(stub.calls('views.update')).toEqual([]);
  });

  test("a MegaMeeting admin's rights that are slow to confirm are refused in time, before the manager opens and as its busy view", async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    // Two MegaMeeting admins (each lookup is cached per login, and the first one's late answer must not serve
    // the second check).
    const [opener, submitter] = [
      { id: 'U0MMADMIN1', real_name: 'Mia Admin', email: 'mia@example.com' },
      { id: 'U0MMADMIN2', real_name: 'Max Admin', email: 'max@example.com' },
    ];
    for (const u of [opener, submitter]) {
      stub.addUser(u);
      const login = emu.state.addLogin({ email: u.email, roles: ['admin'] });
      await db.store.upsertUserLink({
        teamId: T,
        slackUserId: u.id,
        loginId: login.loginId,
        email: u.email,
        source: 'admin',
        linkedBy: ADMIN.id,
        linkedAt: NOW,
      });
    }
    const slow: [string, string] = [
      'megameeting_unavailable',
      'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
    ];
    // Longer than the pre-modal wait (1.2 s): without that bound the answer would come and let the admin in.
    emu.state.setLatency(2000);
    const opened = await refusal(
      services.guests.openManageModal({
        triggerId: stub.issueTriggerId(),
        teamId: T,
        userId: opener.id,
        meetId: meeting.meetId,
      }),
    );
    const busy = await refusal(
      services.guests.busyManagerView({
        teamId: T,
        userId: submitter.id,
        meetId: meeting.meetId,
        notice: 'x',
      }),
    );
    emu.state.setLatency(0);
    expect([opened.code, opened.userMessage]).toEqual(slow);
    expect([busy.code, busy.userMessage]).toEqual(slow);
    expect(stub.calls('views.open')).toEqual([]);
  });

  test('someone else adding guests from the manager or a Retry button adds nobody', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const added = await refusal(
      services.guests.addFromModal({
        teamId: T,
        userId: OTHER.id,
        meetId: meeting.meetId,
        viewId: 'V0NONE',
        specs: [external('Eve', 'eve@example.com')],
      }),
    );
    expect([added.code, added.userMessage]).toEqual(notAllowed('add its guests'));
    const value = JSON.stringify({
      m: meeting.meetId,
      g: [{ s: null, n: 'Eve', e: 'eve@example.com', p: ['chat'] }],
    });
    const retried = await refusal(services.guests.retryInvites({ teamId: T, userId: OTHER.id, value }));
    expect([retried.code, retried.userMessage]).toEqual(notAllowed('add its guests'));
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
    expect(await db.store.listGuests(T, meeting.meetId)).toEqual([]);
  });

  test('someone else cannot answer an access request: nobody is let in and no link is sent', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const err = await refusal(
      services.guests.decideAccess({
        teamId: T,
        actorUserId: OTHER.id,
        meetId: meeting.meetId,
        requesterId: OTHER.id,
        requestId: 'r1',
        approve: true,
      }),
    );
    expect([err.code, err.userMessage]).toEqual(notAllowed('answer access requests'));
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
    expect(dmsTo(OTHER.id)).toEqual([]);
  });

  test('a workspace admin may remove a guest and change permissions of a meeting they do not host', async () => {
    const { meeting, bob, jane } = await withGuests();
    await services.guests.changePermissions({
      teamId: T,
      userId: ADMIN.id,
      meetId: meeting.meetId,
      ref: guestRef(jane),
      permissions: ['moderator'],
      viewId: null,
    });
    expect(emu.state.guestsOf(meeting.meetId).find((g) => g.key === jane.guestKey)?.permissions).toEqual([
      'moderator',
    ]);
    await services.guests.removeGuest({
      teamId: T,
      userId: ADMIN.id,
      meetId: meeting.meetId,
      ref: guestRef(bob),
      viewId: null,
    });
    expect(emu.state.guestsOf(meeting.meetId).map((g) => g.key)).toEqual([jane.guestKey]);
    // No manager was open: nothing to refresh.
    expect(stub.calls('views.update')).toEqual([]);
  });

  test('a meeting this workspace does not know is refused with its ID', async () => {
    const err = await refusal(
      services.guests.removeGuest({ teamId: T, userId: HOST, meetId: '9999999', ref: 'x', viewId: null }),
    );
    expect([err.code, err.userMessage]).toEqual([
      'not_found',
      "I don't know a meeting with ID 9999999 in this workspace. `/meet list` shows yours.",
    ]);
  });
});

describe('removing and changing guests', () => {
  test('removing a Slack guest: MegaMeeting drops the key, the store the guest, the guest is told, the manager says so', async () => {
    const { meeting, bob, jane } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    await services.guests.removeGuest({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: guestRef(bob),
      viewId,
    });
    expect(emu.state.guestsOf(meeting.meetId).map((g) => g.key)).toEqual([jane.guestKey]);
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.guestKey)).toEqual([jane.guestKey]);
    expect(dmsTo(GUEST.id)).toEqual([
      'You were removed from the guest list of "Patient consult": your personal link no longer works.',
    ]);
    expect(noticeOf(viewId)).toBe(':wastebasket: Removed Bob Guest: their personal link no longer works.');
    const removedLog = w.logs().find((l) => l.msg === 'verified guest removed');
    expect([removedLog?.meetId, removedLog?.guest, removedLog?.by]).toEqual([
      meeting.meetId,
      guestRef(bob),
      HOST,
    ]);
  });

  test('removing an external guest DMs nobody; removing them again says they are gone', async () => {
    const { meeting, jane } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const remove = () =>
      services.guests.removeGuest({
        teamId: T,
        userId: HOST,
        meetId: meeting.meetId,
        ref: guestRef(jane),
        viewId,
      });
    await remove();
    expect(stub.calls('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D'))).toEqual([]);
    expect(w.logs().filter((l) => l.msg === 'could not tell a removed guest')).toEqual([]);
    await remove();
    expect(noticeOf(viewId)).toBe('That guest was already removed.');
  });

  test('a guest MegaMeeting no longer knows is removed from the store all the same', async () => {
    const { meeting, jane } = await withGuests();
    emu.state.apiRemoveVerifiedGuest(emu.state.authenticate(emu.adminToken), {
      meetId: meeting.meetId,
      key: jane.guestKey,
    });
    await services.guests.removeGuest({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: guestRef(jane),
      viewId: null,
    });
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.email)).toEqual(['bob@example.com']);
  });

  test('MegaMeeting failing to remove a guest keeps them in the store and fails (their key may still work)', async () => {
    const { meeting, jane } = await withGuests();
    emu.state.injectFaults('error500', 10);
    await expect(
      services.guests.removeGuest({
        teamId: T,
        userId: HOST,
        meetId: meeting.meetId,
        ref: guestRef(jane),
        viewId: null,
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    emu.state.clearFaults();
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.guestKey)).toContain(jane.guestKey);
  });

  test('a removed guest who cannot be DMed is still removed, and that is logged', async () => {
    const { meeting, bob } = await withGuests();
    stub.failNext('chat.postMessage', 'channel_not_found');
    await services.guests.removeGuest({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: guestRef(bob),
      viewId: null,
    });
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.email)).toEqual(['jane@example.com']);
    const warning = w.logs().find((l) => l.msg === 'could not tell a removed guest');
    expect([warning?.meetId, warning?.err?.code]).toEqual([meeting.meetId, 'channel_not_found']);
  });

  test('changing permissions: MegaMeeting and the store hold the new ones, the manager lists them', async () => {
    const { meeting, jane } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const change = (permissions: Array<'chat' | 'moderator'>) =>
      services.guests.changePermissions({
        teamId: T,
        userId: HOST,
        meetId: meeting.meetId,
        ref: guestRef(jane),
        permissions,
        viewId,
      });
    await change(['moderator', 'chat']);
    expect(emu.state.guestsOf(meeting.meetId).find((g) => g.key === jane.guestKey)?.permissions).toEqual([
      'moderator',
      'chat',
    ]);
    expect(
      (await db.store.listGuests(T, meeting.meetId)).find((g) => g.guestKey === jane.guestKey)?.permissions,
    ).toEqual(['moderator', 'chat']);
    expect(noticeOf(viewId)).toBe('Permissions of Jane Doe are now: moderator, chat.');
    await change([]);
    expect(noticeOf(viewId)).toBe('Permissions of Jane Doe are now: none.');
    const changed = w.logs().filter((l) => l.msg === 'verified guest permissions changed');
    expect(changed.map((l) => [l.meetId, l.guest, l.by])).toEqual([
      [meeting.meetId, guestRef(jane), HOST],
      [meeting.meetId, guestRef(jane), HOST],
    ]);
  });

  test('permissions of a guest no longer listed, or that MegaMeeting refuses to change, are shown in the manager', async () => {
    const { meeting, jane } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    await services.guests.changePermissions({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: 'not-a-guest',
      permissions: ['chat'],
      viewId,
    });
    expect(noticeOf(viewId)).toBe('That guest is no longer on the list.');
    emu.state.injectFaults('error500', 10);
    await services.guests.changePermissions({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: guestRef(jane),
      permissions: ['moderator'],
      viewId,
    });
    emu.state.clearFaults();
    expect(noticeOf(viewId)).toBe(
      ":warning: MegaMeeting isn't answering right now, so I couldn't change those permissions. Please try again in a minute.",
    );
    expect(
      (await db.store.listGuests(T, meeting.meetId)).find((g) => g.guestKey === jane.guestKey)?.permissions,
    ).toEqual(['chat', 'screenSharing']);
    const warning = w.logs().find((l) => l.msg === 'could not change guest permissions');
    expect(warning?.meetId).toBe(meeting.meetId);
  });
});

describe('the guest manager', () => {
  test('an open meeting has no verified guests: the manager is refused with the way to a secure one', async () => {
    const meeting = await createMeeting('scheduled', 'Standup');
    const err = await refusal(
      services.guests.openManageModal({
        triggerId: stub.issueTriggerId(),
        teamId: T,
        userId: HOST,
        meetId: meeting.meetId,
      }),
    );
    expect([err.code, err.userMessage]).toEqual([
      'invalid_input',
      `"Standup" (${meeting.meetId}) is an open meeting: it has no verified guests. Schedule a secure meeting with \`/meet secure\`.`,
    ]);
    expect(stub.calls('views.open')).toEqual([]);
  });

  test("a webinar's manager opens for its host, listing its guests by reference, never by key", async () => {
    const meeting = await createMeeting('webinar', 'Launch');
    await services.guests.inviteGuests(meeting, [external('Jane Doe', 'jane@example.com')], HOST);
    const [jane] = await db.store.listGuests(T, meeting.meetId);
    const viewId = await openManager(meeting.meetId);
    const view = JSON.stringify(stub.view(viewId));
    expect(view).toContain(guestRef({ meetId: meeting.meetId, guestKey: String(jane?.guestKey) }));
    expect(view).toContain('jane@example.com');
    expect(view).not.toContain(String(jane?.guestKey));
  });

  test('adding from the manager: the result is shown in it, in three parts', async () => {
    const { meeting } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const result = await services.guests.addFromModal({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      viewId,
      specs: [
        external('Eve', 'eve@example.com'),
        external('Jane Doe', 'JANE@example.com'),
        slackGuest(NO_EMAIL),
      ],
    });
    expect(result?.added.map((g) => g.email)).toEqual(['eve@example.com']);
    expect(noticeOf(viewId)).toBe(
      ':white_check_mark: Added Eve. Already guests: Jane Doe. :warning: Not added: Nora Noemail (has no email address (MegaMeeting needs one for a verified guest)). Details are in your DMs.',
    );
  });

  test('adding from the manager: only what happened is said, each list separated', async () => {
    const { meeting } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const add = (specs: GuestSpec[]) =>
      services.guests.addFromModal({ teamId: T, userId: HOST, meetId: meeting.meetId, viewId, specs });
    const twoNew = [external('Eve', 'eve@example.com'), external('Finn', 'finn@example.com')];
    await add(twoNew);
    expect(noticeOf(viewId)).toBe(':white_check_mark: Added Eve, Finn.');
    await add(twoNew);
    expect(noticeOf(viewId)).toBe('Already guests: Eve, Finn.');
    await add([
      { slackUserId: null, name: 'Gus', email: null, permissions: [] },
      { slackUserId: null, name: 'Hal', email: null, permissions: [] },
    ]);
    const why = 'has no email address (MegaMeeting needs one for a verified guest)';
    expect(noticeOf(viewId)).toBe(
      `:warning: Not added: Gus (${why}); Hal (${why}). Details are in your DMs.`,
    );
  });

  test('adding to an ended meeting is refused with its title and ID, and nobody is added', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    await services.meetings.end(T, meeting.meetId, HOST);
    const err = await refusal(
      services.guests.addFromModal({
        teamId: T,
        userId: HOST,
        meetId: meeting.meetId,
        viewId: 'V0NONE',
        specs: [external('Eve', 'eve@example.com')],
      }),
    );
    expect([err.code, err.userMessage]).toEqual([
      'already_ended',
      `"Patient consult" (${meeting.meetId}) has ended.`,
    ]);
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
  });

  test('the busy view and a problem shown after a failed add are for the host', async () => {
    const { meeting } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const busy = await services.guests.busyManagerView({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      notice: 'Adding 1 guest…',
    });
    expect(JSON.stringify(busy)).toContain('Adding 1 guest…');
    // Busy: no Add button to press twice; the open manager has one.
    expect(busy.submit).toBeUndefined();
    expect(stub.view(viewId)?.submit).toBeDefined();
    await services.guests.showManagerProblem({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      viewId,
      notice: 'It failed.',
    });
    expect(noticeOf(viewId)).toBe('It failed.');
  });
});

describe('inviting guests', () => {
  test("a Slack guest gets their personal link by DM; the inviter gets the external guest's link; nobody else does", async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    const result = await services.guests.inviteGuests(
      meeting,
      [slackGuest(GUEST), external('Jane Doe', 'Jane@Example.com')],
      HOST,
    );
    expect(result.added).toEqual([
      { slackUserId: GUEST.id, name: 'Bob Guest', email: 'bob@example.com', permissions: ['chat'] },
      {
        slackUserId: null,
        name: 'Jane Doe',
        email: 'jane@example.com',
        permissions: ['chat', 'screenSharing'],
      },
    ]);
    const keys = emu.state.guestsOf(meeting.meetId);
    const bobKey = keys.find((g) => g.email === 'bob@example.com')?.key ?? '';
    const janeKey = keys.find((g) => g.email === 'jane@example.com')?.key ?? '';
    expect(everythingSentTo(GUEST.id)).toContain(personalLink(bobKey));
    expect(everythingSentTo(GUEST.id)).not.toContain(janeKey);
    expect(dmsTo(GUEST.id)).toEqual([
      `<@${HOST}> invited you as a verified guest to "Patient consult". Your personal join button is below.`,
    ]);
    expect(everythingSentTo(HOST)).toContain(personalLink(janeKey));
    expect(everythingSentTo(HOST)).not.toContain(bobKey);
    // The channel card never carries a key.
    const channelTraffic = JSON.stringify(stub.calls().filter((c) => c.args.channel === W.channelId));
    expect(channelTraffic).not.toContain(bobKey);
    expect(channelTraffic).not.toContain(janeKey);
    const stored = await db.store.listGuests(T, meeting.meetId);
    expect(stored.map((g) => [g.email, g.role, g.addedBy, g.guestKey])).toEqual([
      ['bob@example.com', 'guest', HOST, bobKey],
      ['jane@example.com', 'guest', HOST, janeKey],
    ]);
  });

  test('the host, a bot, a deactivated user and someone without an email are not added, each with its reason', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const result = await services.guests.inviteGuests(
      meeting,
      [
        { slackUserId: HOST, name: 'Ana', email: 'ana@example.com', permissions: [] },
        slackGuest(BOT),
        slackGuest(GONE),
        slackGuest(NO_EMAIL),
        { slackUserId: null, name: 'No Mail', email: null, permissions: [] },
      ],
      HOST,
    );
    expect(result.failed.map((f) => f.reason)).toEqual([
      'is the meeting’s host',
      'is a bot',
      'is deactivated',
      'has no email address (MegaMeeting needs one for a verified guest)',
      'has no email address (MegaMeeting needs one for a verified guest)',
    ]);
    expect(result.added).toEqual([]);
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
  });

  test('inviting the same people again adds nobody twice (by Slack user, and by email in any case)', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    await services.guests.inviteGuests(
      meeting,
      [slackGuest(GUEST), external('Jane', 'jane@example.com')],
      HOST,
    );
    const again = await services.guests.inviteGuests(
      meeting,
      [
        { slackUserId: GUEST.id, name: 'Bob', email: 'other@example.com', permissions: [] },
        external('Jane', 'JANE@EXAMPLE.COM'),
      ],
      HOST,
    );
    expect([again.added, again.failed, again.existing.length]).toEqual([[], [], 2]);
    expect(emu.state.guestsOf(meeting.meetId)).toHaveLength(2);
    // The inviter is told even when everyone was a guest already.
    expect(dmsTo(HOST)).toHaveLength(2);
  });

  test('once MegaMeeting stops answering, the next guests are not even tried, and the inviter can retry', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    emu.state.injectFaults('error500', 100);
    const result = await services.guests.inviteGuests(
      meeting,
      [external('A', 'a@example.com'), external('B', 'b@example.com')],
      HOST,
    );
    emu.state.clearFaults();
    expect(result.failed.map((f) => f.reason)).toEqual([
      "MegaMeeting didn't answer",
      "not tried: MegaMeeting didn't answer",
    ]);
    const report = stub
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === stub.dmChannelFor(HOST))
      .at(-1);
    const retry = JSON.stringify(report?.args.blocks).match(/"value":"(\{\\"m\\".*?\})"/)?.[1];
    expect(retry).toBeDefined();
    const value = JSON.parse(`"${retry}"`) as string;
    expect(JSON.parse(value)).toEqual({
      m: meeting.meetId,
      g: [
        { s: null, n: 'A', e: 'a@example.com', p: ['chat', 'screenSharing'] },
        { s: null, n: 'B', e: 'b@example.com', p: ['chat', 'screenSharing'] },
      ],
    });
    const retried = await services.guests.retryInvites({ teamId: T, userId: HOST, value });
    expect(retried.added.map((g) => g.email)).toEqual(['a@example.com', 'b@example.com']);
  });

  test("once MegaMeeting refuses the app's token, the next guests are not tried either", async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    emu.state.apiRevokeAPIToken(emu.state.authenticate(emu.adminToken), emu.adminLoginId);
    const result = await services.guests.inviteGuests(
      meeting,
      [external('A', 'a@example.com'), external('B', 'b@example.com')],
      HOST,
      { notifyActor: false },
    );
    expect(result.failed.map((f) => f.reason)).toEqual([
      "MegaMeeting refused the app's token",
      "not tried: MegaMeeting refused the app's token",
    ]);
  });

  test('a Retry button with a value that is not ours is out of date, and adds nobody', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    for (const value of ['not json', JSON.stringify({ m: meeting.meetId, g: [] })]) {
      const err = await refusal(services.guests.retryInvites({ teamId: T, userId: HOST, value }));
      expect([err.code, err.userMessage]).toEqual([
        'invalid_input',
        'That button is out of date. Use `/meet guests <meeting ID>` instead.',
      ]);
    }
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
  });

  test('with notifyActor false the inviter gets no report', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST, {
      notifyActor: false,
    });
    expect(dmsTo(HOST)).toEqual([]);
  });
});

describe('what the service does around an invite', () => {
  /** The last report DMed to the host, as one string. */
  function lastReport(): string {
    const report = stub
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === stub.dmChannelFor(HOST))
      .at(-1);
    return JSON.stringify(report?.args ?? null);
  }

  test('a Slack user already added by their email is not added again', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    await services.guests.inviteGuests(meeting, [external('Bob', 'bob@example.com')], HOST);
    const again = await services.guests.inviteGuests(meeting, [slackGuest(GUEST)], HOST);
    expect([again.added, again.existing.map((g) => g.slackUserId)]).toEqual([[], [GUEST.id]]);
    expect(emu.state.guestsOf(meeting.meetId)).toHaveLength(1);
  });

  test('two guests of the same name are both added, each with their own key', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    await services.guests.inviteGuests(meeting, [external('Sam', 'sam1@example.com')], HOST);
    const second = await services.guests.inviteGuests(meeting, [external('Sam', 'sam2@example.com')], HOST);
    expect(second.added.map((g) => g.email)).toEqual(['sam2@example.com']);
    const keys = emu.state.guestsOf(meeting.meetId).map((g) => `${g.email} ${g.key}`);
    const stored = (await db.store.listGuests(T, meeting.meetId)).map((g) => `${g.email} ${g.guestKey}`);
    expect(stored.sort()).toEqual(keys.sort());
    expect(new Set(keys.map((k) => k.split(' ')[1])).size).toBe(2);
  });

  test('MegaMeeting refusing one guest does not stop the others', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const result = await services.guests.inviteGuests(
      meeting,
      [external('Bad', 'bad@localhost'), external('Good', 'good@example.com')],
      HOST,
    );
    expect(result.failed.map((f) => [f.guest.email, f.reason])).toEqual([
      ['bad@localhost', 'MegaMeeting refused it: email is not a valid email address'],
    ]);
    expect(result.added.map((g) => g.email)).toEqual(['good@example.com']);
  });

  test("a secure meeting's card is refreshed when someone was added, not otherwise; a webinar's not by an invite", async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(stub.calls('chat.update').map((c) => c.args.ts)).toEqual([meeting.messageTs]);
    stub.clearCalls();
    await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(stub.calls('chat.update')).toEqual([]);
    const webinar = await createMeeting('webinar', 'Launch');
    stub.clearCalls();
    await services.guests.inviteGuests(webinar, [external('Panel', 'panel@example.com')], HOST);
    expect(stub.calls('chat.update')).toEqual([]);
  });

  test('nobody to invite: no report; all added: a report without a Retry button or a delivery warning', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    await services.guests.inviteGuests(meeting, [], HOST);
    expect(dmsTo(HOST)).toEqual([]);
    await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(dmsTo(HOST)).toHaveLength(1);
    expect(lastReport()).not.toContain(GUEST_IDS.retryInvites);
    expect(lastReport()).not.toContain("couldn't DM them their link");
  });

  test('failed guests too many for a button value get no Retry button', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const many = Array.from({ length: 20 }, (_, i) =>
      external(`Guest number ${i} with a long name`, `guest-number-${i}@example.com`),
    );
    emu.state.injectFaults('error500', 1000);
    const result = await services.guests.inviteGuests(meeting, many, HOST);
    emu.state.clearFaults();
    expect(result.failed).toHaveLength(20);
    expect(lastReport()).toContain('not tried');
    expect(lastReport()).not.toContain(GUEST_IDS.retryInvites);
  });

  test('a Slack guest who cannot be DMed is still added, and the inviter is told to pass the link on', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(GUEST.id) });
    const result = await services.guests.inviteGuests(meeting, [slackGuest(GUEST)], HOST);
    expect(result.added.map((g) => g.slackUserId)).toEqual([GUEST.id]);
    expect(lastReport()).toContain(`*Added, but I couldn't DM them their link:* <@${GUEST.id}>`);
    const warning = w.logs().find((l) => l.msg === 'could not DM a guest their link');
    expect([warning?.meetId, warning?.user, warning?.err?.code]).toEqual([
      meeting.meetId,
      GUEST.id,
      'channel_not_found',
    ]);
  });

  test('a report the inviter cannot be DMed is logged; the guests stay added', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(HOST) });
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(result.added).toHaveLength(1);
    const error = w.logs().find((l) => l.msg === 'could not DM the inviter the guest report');
    expect([error?.meetId, error?.err?.code]).toEqual([meeting.meetId, 'channel_not_found']);
  });

  test('a manager that was closed meanwhile is not an error: the change stands, and that is logged', async () => {
    const { meeting, jane } = await withGuests();
    await services.guests.changePermissions({
      teamId: T,
      userId: HOST,
      meetId: meeting.meetId,
      ref: guestRef(jane),
      permissions: ['chat'],
      viewId: 'V0CLOSED01',
    });
    expect(emu.state.guestsOf(meeting.meetId).find((g) => g.key === jane.guestKey)?.permissions).toEqual([
      'chat',
    ]);
    const line = w.logs().find((l) => l.msg === 'could not refresh the guest manager');
    expect([line?.meetId, line?.err?.code]).toEqual([meeting.meetId, 'not_found']);
  });

  test('a Retry button names Slack users by their ID: anything else is out of date', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const value = (s: string) =>
      JSON.stringify({ m: meeting.meetId, g: [{ s, n: 'Bob', e: 'bob@example.com', p: ['chat'] }] });
    for (const s of ['XU0GUEST001', 'U0GUEST001!', 'U', 'u0guest001']) {
      await expect(
        services.guests.retryInvites({ teamId: T, userId: HOST, value: value(s) }),
      ).rejects.toMatchObject({
        userMessage: 'That button is out of date. Use `/meet guests <meeting ID>` instead.',
      });
    }
    const retried = await services.guests.retryInvites({ teamId: T, userId: HOST, value: value(GUEST.id) });
    expect(retried.added.map((g) => g.slackUserId)).toEqual([GUEST.id]);
    expect(emu.state.guestsOf(meeting.meetId).map((g) => g.email)).toEqual(['bob@example.com']);
  });

  test("the manager shows each guest's permissions and a 20-character reference, never the key", async () => {
    const { meeting, jane } = await withGuests();
    const viewId = await openManager(meeting.meetId);
    const view = JSON.stringify(stub.view(viewId));
    expect(guestRef(jane)).toMatch(/^[0-9a-f]{20}$/);
    // Every checkboxes element of the view, wherever it sits.
    const checkboxes: Array<{ action_id: string; initial_options?: Array<{ value: string }> }> = [];
    JSON.parse(view, (_k, v: unknown) => {
      if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'checkboxes') {
        checkboxes.push(v as (typeof checkboxes)[number]);
      }
      return v;
    });
    const janes = checkboxes.find((c) => c.action_id.includes(guestRef(jane)));
    expect(janes?.initial_options?.map((o) => o.value)).toEqual(['screenSharing', 'chat']);
    expect(view).not.toContain(jane.guestKey);
  });

  test('each change is logged with its meeting and who, never with a key', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    await services.guests.inviteGuests(
      meeting,
      [slackGuest(GUEST), external('Jane', 'jane@example.com')],
      HOST,
    );
    const [bob] = await db.store.listGuests(T, meeting.meetId);
    const lines = w.logs();
    expect(
      lines
        .filter((l) => l.msg === 'verified guest added')
        .map((l) => [l.meetId, l.teamId, l.slackUser, l.role]),
    ).toEqual([
      [meeting.meetId, T, GUEST.id, 'guest'],
      [meeting.meetId, T, null, 'guest'],
    ]);
    expect(
      lines
        .filter((l) => l.msg === 'verified guests invited')
        .map((l) => [l.meetId, l.added, l.existing, l.failed]),
    ).toEqual([[meeting.meetId, 2, 0, 0]]);
    await services.guests.inviteGuests(meeting, [slackGuest(NO_EMAIL)], HOST);
    expect(
      w
        .logs()
        .filter((l) => l.msg === 'could not add a verified guest')
        .map((l) => [l.meetId, l.slackUser, l.err?.message]),
    ).toEqual([
      [meeting.meetId, NO_EMAIL.id, 'has no email address (MegaMeeting needs one for a verified guest)'],
    ]);
    const everything = JSON.stringify(w.logs());
    for (const g of emu.state.guestsOf(meeting.meetId)) expect(everything).not.toContain(g.key);
    expect(bob?.guestKey).toBeDefined();
  });
});

describe('an add whose answer MegaMeeting lost', () => {
  let emulator: Emulator;
  let proxy: LosingProxy;

  beforeEach(async () => {
    await w.close();
    emulator = await startEmulator({ remuxDelayMs: 0 });
    proxy = await startLosingProxy(emulator);
    w = await startServiceWorld(stub, { clock: { now: () => NOW }, emulator, megameetingUrl: proxy.url });
    ({ emu, db, services } = w);
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  test('made all the same: the guest is found by the read-back and kept, with their key', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    proxy.lose('addVerifiedGuest', 'forward');
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect([result.added.map((g) => g.email), result.failed]).toEqual([['jane@example.com'], []]);
    const [made] = emulator.state.guestsOf(meeting.meetId);
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.guestKey)).toEqual([made?.key]);
  });

  test('not made: the lost answer is the reason, and nothing is kept', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    proxy.lose('addVerifiedGuest', 'drop');
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(result.failed.map((f) => f.reason)).toEqual(['MegaMeeting answered something unexpected']);
    expect(emulator.state.guestsOf(meeting.meetId)).toEqual([]);
    expect(await db.store.listGuests(T, meeting.meetId)).toEqual([]);
  });

  test('made, but another guest of that name appeared meanwhile: no key is guessed, the lost answer is the reason', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    proxy.lose('addVerifiedGuest', 'forward', () => {
      emulator.state.addGuest({ meetId: meeting.meetId, guestName: 'Jane', email: 'other-jane@example.com' });
    });
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect(result.failed.map((f) => f.reason)).toEqual(['MegaMeeting answered something unexpected']);
    expect(await db.store.listGuests(T, meeting.meetId)).toEqual([]);
  });

  test('answered, but another guest of that name appeared meanwhile: no key is guessed, and that is said and logged', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    proxy.after('addVerifiedGuest', () => {
      emulator.state.addGuest({ meetId: meeting.meetId, guestName: 'Jane', email: 'other-jane@example.com' });
    });
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST, {
      notifyActor: false,
    });
    expect(result.failed.map((f) => f.reason)).toEqual([
      "MegaMeeting didn't return a personal link for them",
    ]);
    expect(await db.store.listGuests(T, meeting.meetId)).toEqual([]);
    const warnings = w.logs().filter((l) => l.msg === 'could not tell the new guest key apart');
    expect(warnings.map((l) => [l.level, l.meetId, l.newKeys])).toEqual([[40, meeting.meetId, 2]]);
    // Both Janes' keys are on MegaMeeting; neither is in a log line.
    const everything = JSON.stringify(w.logs());
    for (const g of emulator.state.guestsOf(meeting.meetId)) expect(everything).not.toContain(g.key);
  });

  test('a read-back that fails after the add is tried again, and the guest is kept', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    // The add goes through; the next request (the read-back) answers 500 once.
    proxy.after('addVerifiedGuest', () => emulator.state.injectFaults('error500', 1));
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST);
    expect([result.added.map((g) => g.email), result.failed]).toEqual([['jane@example.com'], []]);
    const [made] = emulator.state.guestsOf(meeting.meetId);
    expect((await db.store.listGuests(T, meeting.meetId)).map((g) => g.guestKey)).toEqual([made?.key]);
  });

  test('a read-back that keeps failing: the guest is reported not added, after three tries', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    emulator.state.clearRequests();
    proxy.after('addVerifiedGuest', () => emulator.state.injectFaults('error500', 3));
    const result = await services.guests.inviteGuests(meeting, [external('Jane', 'jane@example.com')], HOST, {
      notifyActor: false,
    });
    expect(result.failed.map((f) => f.reason)).toEqual(["MegaMeeting didn't answer"]);
    // Three read-backs, each answered by the 500 (a faulted request is logged by its fault).
    expect(emulator.state.requests().map((r) => r.fault ?? r.fields.join(','))).toEqual([
      'getVerifiedGuest',
      'addVerifiedGuest',
      'error500',
      'error500',
      'error500',
    ]);
  });

  test('a refusal is final: MegaMeeting is not asked again whether the guest exists', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    emulator.state.clearRequests();
    const result = await services.guests.inviteGuests(meeting, [external('Bad', 'bad@localhost')], HOST);
    expect(result.failed.map((f) => f.reason)).toEqual([
      'MegaMeeting refused it: email is not a valid email address',
    ]);
    // One read before the add, the add; no read-back after a refusal.
    expect(emulator.state.requests().map((r) => r.fields.join(','))).toEqual([
      'getVerifiedGuest',
      'addVerifiedGuest',
    ]);
  });
});

describe('access requests', () => {
  test('a request reaches the host once; a second press is told it is waiting; approving adds and DMs the link', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    const ask = () =>
      services.guests.requestAccess({
        teamId: T,
        userId: GUEST.id,
        meetId: meeting.meetId,
        channelId: W.channelId,
      });
    await ask();
    await ask();
    const toHost = stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(HOST));
    expect(toHost).toHaveLength(1);
    expect(stub.ephemeralMessages({ user: GUEST.id }).map((m) => m.text)).toEqual([
      `Request sent: I asked <@${HOST}> to let you into "Patient consult". You'll get a DM with your personal link if they approve.`,
      `Your request to join "Patient consult" is already with <@${HOST}>.`,
    ]);
    const requestId = requestIdSentTo(HOST);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const decided = await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId,
      approve: true,
    });
    expect(decided?.text).toBe(
      `<@${HOST}> approved <@${GUEST.id}>: they got their personal link for "Patient consult".`,
    );
    const [guest] = emu.state.guestsOf(meeting.meetId);
    expect([guest?.email, guest?.guestName]).toEqual(['bob@example.com', 'Bob Guest']);
    const [stored] = await db.store.listGuests(T, meeting.meetId);
    expect([stored?.name, stored?.role, stored?.addedBy]).toEqual(['Bob Guest', 'guest', HOST]);
    expect(dmsTo(GUEST.id)).toEqual([
      `<@${HOST}> approved your request to join "Patient consult". Your personal join button is below.`,
    ]);
    expect(everythingSentTo(GUEST.id)).toContain(personalLink(String(guest?.key)));
    // The same request answered again: nothing more is sent.
    const again = await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId,
      approve: true,
    });
    expect(again).toBeNull();
    expect(dmsTo(GUEST.id)).toHaveLength(1);
    const lines = w.logs();
    const of = (msg: string) => lines.filter((l) => l.msg === msg).map((l) => [l.meetId, l.requester, l.by]);
    expect(of('access requested')).toEqual([[meeting.meetId, GUEST.id, undefined]]);
    expect(of('access approved')).toEqual([[meeting.meetId, GUEST.id, HOST]]);
    expect(of('access request already answered (or being answered); nothing sent')).toEqual([
      [meeting.meetId, GUEST.id, HOST],
    ]);
  });

  test('requests are refused for the host, a meeting that is not secure, and an ended one', async () => {
    const secure = await createMeeting('secure', 'Patient consult');
    const open = await createMeeting('scheduled', 'Standup');
    const byHost = await refusal(
      services.guests.requestAccess({
        teamId: T,
        userId: HOST,
        meetId: secure.meetId,
        channelId: W.channelId,
      }),
    );
    expect([byHost.code, byHost.userMessage]).toEqual([
      'invalid_input',
      "You're the host of this meeting. Use Manage guests to add people.",
    ]);
    const unknown = await refusal(
      services.guests.requestAccess({
        teamId: T,
        userId: GUEST.id,
        meetId: '7777777',
        channelId: W.channelId,
      }),
    );
    expect([unknown.code, unknown.userMessage]).toEqual([
      'not_found',
      "I don't know a secure meeting with ID 7777777 in this workspace.",
    ]);
    const notSecure = await refusal(
      services.guests.requestAccess({
        teamId: T,
        userId: GUEST.id,
        meetId: open.meetId,
        channelId: W.channelId,
      }),
    );
    expect([notSecure.code, notSecure.userMessage]).toEqual([
      'not_found',
      `I don't know a secure meeting with ID ${open.meetId} in this workspace.`,
    ]);
    await services.meetings.end(T, secure.meetId, HOST);
    const ended = await refusal(
      services.guests.requestAccess({
        teamId: T,
        userId: GUEST.id,
        meetId: secure.meetId,
        channelId: W.channelId,
      }),
    );
    expect([ended.code, ended.userMessage]).toEqual([
      'already_ended',
      `"Patient consult" (${secure.meetId}) has ended.`,
    ]);
    expect(stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(HOST))).toEqual(
      [],
    );
  });

  test('a guest asking again gets their own link again, privately', async () => {
    const { meeting, bob } = await withGuests();
    await services.guests.requestAccess({
      teamId: T,
      userId: GUEST.id,
      meetId: meeting.meetId,
      channelId: W.channelId,
    });
    const shown = stub.ephemeralMessages({ user: GUEST.id });
    expect(shown.map((m) => m.text)).toEqual([
      'You are already on the guest list of "Patient consult". Your personal join button is below.',
    ]);
    expect(JSON.stringify(shown)).toContain(personalLink(bob.guestKey));
    expect(stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(HOST))).toEqual(
      [],
    );
  });

  test('a request Slack refused to deliver is not pending: pressing again sends it', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    stub.failNext('chat.postMessage', 'channel_not_found');
    const ask = () =>
      services.guests.requestAccess({
        teamId: T,
        userId: GUEST.id,
        meetId: meeting.meetId,
        channelId: W.channelId,
      });
    await expect(ask()).rejects.toMatchObject({ code: 'channel_not_found' });
    await ask();
    expect(stub.ephemeralMessages({ user: GUEST.id }).map((m) => m.text)).toEqual([
      `Request sent: I asked <@${HOST}> to let you into "Patient consult". You'll get a DM with your personal link if they approve.`,
    ]);
  });

  test('deny tells the requester and adds nobody; after it they may ask again', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    await services.guests.requestAccess({
      teamId: T,
      userId: GUEST.id,
      meetId: meeting.meetId,
      channelId: W.channelId,
    });
    const decided = await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId: requestIdSentTo(HOST),
      approve: false,
    });
    expect(decided?.text).toBe(`<@${HOST}> denied <@${GUEST.id}>'s request to join "Patient consult".`);
    expect(dmsTo(GUEST.id)).toEqual([`Your request to join "Patient consult" wasn't approved this time.`]);
    expect(
      w
        .logs()
        .filter((l) => l.msg === 'access denied')
        .map((l) => [l.meetId, l.requester, l.by]),
    ).toEqual([[meeting.meetId, GUEST.id, HOST]]);
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
    stub.clearCalls();
    await services.guests.requestAccess({
      teamId: T,
      userId: GUEST.id,
      meetId: meeting.meetId,
      channelId: W.channelId,
    });
    expect(
      stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(HOST)),
    ).toHaveLength(1);
  });

  test('a denial the requester cannot be DMed is still recorded, and logged', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(GUEST.id) });
    const decided = await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId: 'r-deny',
      approve: false,
    });
    expect(decided?.text).toBe(`<@${HOST}> denied <@${GUEST.id}>'s request to join "Patient consult".`);
    const warning = w.logs().find((l) => l.msg === 'could not tell a requester about the denial');
    expect([warning?.meetId, warning?.err?.code]).toEqual([meeting.meetId, 'channel_not_found']);
  });

  test('approving someone without an email names them, adds nobody, and the host may press again', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const decide = () =>
      services.guests.decideAccess({
        teamId: T,
        actorUserId: HOST,
        meetId: meeting.meetId,
        requesterId: NO_EMAIL.id,
        requestId: 'r-1',
        approve: true,
      });
    const err = await refusal(decide());
    expect([err.code, err.userMessage]).toEqual([
      'invalid_input',
      `<@${NO_EMAIL.id}> has no email address (MegaMeeting needs one for a verified guest)`,
    ]);
    // The claim was given back: the second press is answered (the same refusal), not ignored.
    await expect(decide()).rejects.toMatchObject({ code: 'invalid_input' });
    expect(emu.state.guestsOf(meeting.meetId)).toEqual([]);
  });
});

describe('approving', () => {
  const approve = (meetId: string, requesterId: string, requestId: string) =>
    services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId,
      requesterId,
      requestId,
      approve: true,
    });

  test('a requester who cannot be a guest is named in the refusal', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const err = await refusal(approve(meeting.meetId, BOT.id, 'r-bot'));
    expect([err.code, err.userMessage]).toEqual(['invalid_input', `<@${BOT.id}> is a bot`]);
  });

  test('a requester who is a guest already gets their link again, not a second key', async () => {
    const { meeting, bob } = await withGuests();
    await approve(meeting.meetId, GUEST.id, 'r-again');
    expect(dmsTo(GUEST.id)).toEqual([
      'You are already on the guest list of "Patient consult". Your personal join button is below.',
    ]);
    expect(everythingSentTo(GUEST.id)).toContain(personalLink(bob.guestKey));
    expect(emu.state.guestsOf(meeting.meetId)).toHaveLength(2);
  });

  test('a request pending from before requests had IDs is freed by its old button', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const pending = `access-request:${T}:${meeting.meetId}:${GUEST.id}`;
    expect(await db.store.acquireLease(pending, 'access-request', 24 * 60 * MINUTE, NOW)).toBe(true);
    await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId: null,
      approve: false,
    });
    expect(await db.store.getLease(pending)).toBeNull();
  });
});

describe('the access request claims in the store', () => {
  const pendingName = (meetId: string) => `access-request:${T}:${meetId}:${GUEST.id}`;

  test('a request waits a day under its own ID; answering it keeps the decision a week and frees the request', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    stub.clearCalls();
    await services.guests.requestAccess({
      teamId: T,
      userId: GUEST.id,
      meetId: meeting.meetId,
      channelId: W.channelId,
    });
    const requestId = requestIdSentTo(HOST);
    expect(await db.store.getLease(pendingName(meeting.meetId))).toEqual({
      name: pendingName(meeting.meetId),
      holder: requestId,
      expiresAt: new Date(NOW.getTime() + 24 * 60 * MINUTE),
    });
    await services.guests.decideAccess({
      teamId: T,
      actorUserId: HOST,
      meetId: meeting.meetId,
      requesterId: GUEST.id,
      requestId,
      approve: false,
    });
    const decision = `access-decision:${T}:${meeting.meetId}:${GUEST.id}:${requestId}`;
    expect((await db.store.getLease(decision))?.expiresAt).toEqual(
      new Date(NOW.getTime() + 7 * 24 * 60 * MINUTE),
    );
    expect(await db.store.getLease(pendingName(meeting.meetId))).toBeNull();
  });

  test('an Approve button from before requests had IDs is answered once for ten minutes', async () => {
    const meeting = await createMeeting('secure', 'Patient consult');
    const decide = () =>
      services.guests.decideAccess({
        teamId: T,
        actorUserId: HOST,
        meetId: meeting.meetId,
        requesterId: GUEST.id,
        requestId: null,
        approve: true,
      });
    expect((await decide())?.text).toBe(
      `<@${HOST}> approved <@${GUEST.id}>: they got their personal link for "Patient consult".`,
    );
    expect(await decide()).toBeNull();
    const decision = `access-decision:${T}:${meeting.meetId}:${GUEST.id}:legacy`;
    expect((await db.store.getLease(decision))?.expiresAt).toEqual(new Date(NOW.getTime() + 10 * MINUTE));
    expect(dmsTo(GUEST.id)).toHaveLength(1);
  });
});

describe('webinar registration', () => {
  test('registering gives a personal link privately; pressing again gives the same one', async () => {
    const meeting = await createMeeting('webinar', 'Launch');
    const register = () =>
      services.guests.register({
        teamId: T,
        userId: GUEST.id,
        meetId: meeting.meetId,
        channelId: W.channelId,
      });
    stub.clearCalls();
    await register();
    // The card counts registrants: refreshed after a registration, not after a press that changed nothing.
    expect(stub.calls('chat.update').map((c) => c.args.ts)).toEqual([meeting.messageTs]);
    await register();
    expect(stub.calls('chat.update')).toHaveLength(1);
    expect(
      w
        .logs()
        .filter((l) => l.msg === 'registered for a webinar')
        .map((l) => [l.meetId, l.user]),
    ).toEqual([[meeting.meetId, GUEST.id]]);
    const [guest] = emu.state.guestsOf(meeting.meetId);
    expect(emu.state.guestsOf(meeting.meetId)).toHaveLength(1);
    const shown = stub.ephemeralMessages({ user: GUEST.id });
    expect(shown.map((m) => m.text)).toEqual([
      'You are registered for "Launch". Your personal join button is below.',
      'You are already on the guest list of "Launch". Your personal join button is below.',
    ]);
    expect(JSON.stringify(shown)).toContain(personalLink(String(guest?.key)));
    const [stored] = await db.store.listGuests(T, meeting.meetId);
    expect([stored?.role, stored?.email, stored?.name]).toEqual([
      'registrant',
      'bob@example.com',
      'Bob Guest',
    ]);
  });

  test('no webinar by that ID, an ended one, or a profile without an email: refused, nobody registered', async () => {
    const secure = await createMeeting('secure', 'Patient consult');
    const webinar = await createMeeting('webinar', 'Launch');
    const notWebinar = await refusal(
      services.guests.register({ teamId: T, userId: GUEST.id, meetId: secure.meetId, channelId: null }),
    );
    expect([notWebinar.code, notWebinar.userMessage]).toEqual([
      'not_found',
      `I don't know a webinar with ID ${secure.meetId} in this workspace.`,
    ]);
    const unknown = await refusal(
      services.guests.register({ teamId: T, userId: GUEST.id, meetId: '7777777', channelId: null }),
    );
    expect([unknown.code, unknown.userMessage]).toEqual([
      'not_found',
      "I don't know a webinar with ID 7777777 in this workspace.",
    ]);
    const noEmail = await refusal(
      services.guests.register({ teamId: T, userId: NO_EMAIL.id, meetId: webinar.meetId, channelId: null }),
    );
    expect([noEmail.code, noEmail.userMessage]).toEqual([
      'invalid_input',
      'MegaMeeting needs an email address to register you, and your Slack profile shows none. Ask your Slack admin to let the app read emails (users:read.email).',
    ]);
    await services.meetings.end(T, webinar.meetId, HOST);
    const ended = await refusal(
      services.guests.register({ teamId: T, userId: GUEST.id, meetId: webinar.meetId, channelId: null }),
    );
    expect([ended.code, ended.userMessage]).toEqual([
      'already_ended',
      `"Launch" (${webinar.meetId}) has ended.`,
    ]);
    expect(emu.state.guestsOf(webinar.meetId)).toEqual([]);
  });
});
