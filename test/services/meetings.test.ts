/**
 * The meetings service without Bolt (./world.ts): who may manage and end a meeting (the host or an admin), each
 * refusal word for word, ending (MegaMeeting's "already gone" and nothing else), the open list, creating (nothing
 * half-made when MegaMeeting refuses; the card, invitations and their fallbacks), and adopting a meeting whose
 * create answer was lost only when it can be nobody else's. Fast enough for mutation testing (docs/mutation.md,
 * `meetings-unit` scope).
 */

import Sqlite from 'better-sqlite3';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import type { Services } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import type { MeetingKind, MeetingStatus } from '../../src/store/types.js';
import { type LosingProxy, startLosingProxy } from '../support/losing-proxy.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const OTHER = { id: 'U0OTHER001', real_name: 'Olga Other', email: 'olga@example.com' };
const ADMIN = { id: 'U0ADMIN001', real_name: 'Ada Admin', email: 'ada@example.com', is_admin: true };
const MM_ADMIN = { id: 'U0MMADMIN1', real_name: 'Max Admin', email: 'max@example.com' };
const INVITEE = { id: 'U0INVITEE1', real_name: 'Ivy Invitee', email: 'ivy@example.com' };
// The app's clock stands still at the start of the file (near the real time: Slack's stand-in schedules reminders
// at most 120 days ahead of its own clock).
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});

async function world(opts: { emulator?: Emulator; megameetingUrl?: string } = {}): Promise<void> {
  stub.reset();
  for (const u of [OTHER, ADMIN, MM_ADMIN, INVITEE]) stub.addUser(u);
  w = await startServiceWorld(stub, { clock: { now: () => NOW }, ...opts });
  services = w.services;
}
afterEach(async () => {
  await w.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

async function createMeeting(
  title = 'Design sync',
  extra: { invitees?: string[]; responseUrl?: string } = {},
) {
  const start = new Date(NOW.getTime() + 24 * 3600_000);
  return services.meetings.create({
    teamId: T,
    channelId: W.channelId,
    hostUserId: HOST,
    title,
    kind: 'scheduled',
    start,
    end: new Date(start.getTime() + 3600_000),
    timeZone: 'America/Chicago',
    ...extra,
  });
}

/** A meeting straight into the store (no MegaMeeting, no card): for the open list. */
async function stored(
  meetId: string,
  status: MeetingStatus,
  startAt: Date,
  endAt: Date | null,
  kind: MeetingKind = 'scheduled',
) {
  return w.db.store.insertMeeting({
    teamId: T,
    meetId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none',
    hostSlackUserId: HOST,
    hostLoginId: w.hostLoginId,
    title: `Meeting ${meetId}`,
    kind,
    startAt,
    endAt,
    timeZone: 'UTC',
    status,
    reminders: [],
    options: {},
  });
}

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

function logged(msg: string) {
  return w.logs().filter((l) => l.msg === msg);
}

describe('who may manage a meeting', () => {
  beforeEach(() => world());

  test('someone else is refused, naming the host and what they tried', async () => {
    const meeting = await createMeeting();
    const err = await refusal(
      services.meetings.loadManageable(T, meeting.meetId, OTHER.id, 'end this meeting'),
    );
    expect([err.code, err.userMessage]).toEqual([
      'not_allowed',
      `Only the host (<@${HOST}>) or an admin can end this meeting.`,
    ]);
  });

  test('the host, a workspace admin and an active MegaMeeting admin may', async () => {
    const meeting = await createMeeting();
    const admin = w.emu.state.addLogin({ email: MM_ADMIN.email, roles: ['admin'] });
    await services.identity.setLink(T, ADMIN.id, MM_ADMIN.id, admin.loginId);
    for (const who of [HOST, ADMIN.id, MM_ADMIN.id]) {
      const record = await services.meetings.loadManageable(T, meeting.meetId, who, 'x');
      expect(record.meetId).toBe(meeting.meetId);
    }
  });

  test('a meeting this workspace does not know is refused with its ID', async () => {
    const err = await refusal(services.meetings.loadManageable(T, '7777777', HOST, 'x'));
    expect([err.code, err.userMessage]).toEqual([
      'not_found',
      "I don't know a meeting with ID 7777777 in this workspace. `/meet list` shows yours.",
    ]);
    const otherTeam = await createMeeting();
    await expect(
      services.meetings.loadManageable('T0ELSEWHER', otherTeam.meetId, HOST, 'x'),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  test("before a modal, a MegaMeeting admin's rights that are slow to confirm are refused in time", async () => {
    await stored('1000001', 'scheduled', minutes(60), minutes(120));
    const admin = w.emu.state.addLogin({ email: MM_ADMIN.email, roles: ['admin'] });
    await w.db.store.upsertUserLink({
      teamId: T,
      slackUserId: MM_ADMIN.id,
      loginId: admin.loginId,
      email: null,
      source: 'admin',
      linkedBy: ADMIN.id,
      linkedAt: NOW,
    });
    // Longer than the pre-modal wait (1.2 s): without that bound the answer would come and let the admin in.
    w.emu.state.setLatency(2000);
    const err = await refusal(
      services.meetings.loadManageable(T, '1000001', MM_ADMIN.id, 'x', { beforeModal: true }),
    );
    w.emu.state.setLatency(0);
    expect([err.code, err.userMessage]).toEqual([
      'megameeting_unavailable',
      'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
    ]);
    // Without the bound the same check waits for MegaMeeting and lets the admin in.
    w.emu.state.setLatency(1500);
    await expect(services.meetings.loadManageable(T, '1000001', MM_ADMIN.id, 'x')).resolves.toMatchObject({
      meetId: '1000001',
    });
    w.emu.state.setLatency(0);
  });
});

describe('ending a meeting', () => {
  beforeEach(() => world());

  test('the host ends it: MegaMeeting and the store say ended, at the clock; the card says ended; reminders go', async () => {
    const meeting = await createMeeting();
    expect(stub.scheduledMessages(W.channelId).length).toBeGreaterThan(0);
    const ended = await services.meetings.end(T, meeting.meetId, HOST);
    expect([ended.status, ended.endedAt]).toEqual(['ended', NOW]);
    const row = await w.db.store.getMeeting(T, meeting.meetId);
    expect([row?.status, row?.endedAt]).toEqual(['ended', NOW]);
    expect(w.emu.state.snapshot().meetings.find((m) => m.meetId === meeting.meetId)?.ended).toBe(true);
    expect(stub.scheduledMessages(W.channelId)).toEqual([]);
    const update = stub.lastCall('chat.update');
    expect([update?.args.channel, update?.args.ts]).toEqual([W.channelId, meeting.messageTs]);
    expect(JSON.stringify(update?.args.blocks)).toContain(`<@${HOST}>`);
    expect(logged('meeting ended').map((l) => [l.meetId, l.by])).toEqual([[meeting.meetId, HOST]]);
  });

  test('someone else cannot end it: refused word for word, and it stays live on MegaMeeting and here', async () => {
    const meeting = await createMeeting();
    const err = await refusal(services.meetings.end(T, meeting.meetId, OTHER.id));
    expect([err.code, err.userMessage]).toEqual([
      'not_allowed',
      `Only the host (<@${HOST}>) or an admin can end this meeting.`,
    ]);
    expect(w.emu.state.snapshot().meetings.find((m) => m.meetId === meeting.meetId)?.ended).toBe(false);
    expect((await w.db.store.getMeeting(T, meeting.meetId))?.status).toBe('scheduled');
  });

  test('a workspace admin may end it', async () => {
    const meeting = await createMeeting();
    expect((await services.meetings.end(T, meeting.meetId, ADMIN.id)).status).toBe('ended');
    // The card says who ended it.
    expect(JSON.stringify(stub.lastCall('chat.update')?.args.blocks)).toContain(`by <@${ADMIN.id}>`);
  });

  test('ending it twice says it has already ended', async () => {
    const meeting = await createMeeting('Budget "review"');
    await services.meetings.end(T, meeting.meetId, HOST);
    const err = await refusal(services.meetings.end(T, meeting.meetId, HOST));
    expect([err.code, err.userMessage]).toEqual([
      'already_ended',
      `"Budget "review"" (${meeting.meetId}) has already ended.`,
    ]);
  });

  test('already gone on MegaMeeting: it is marked ended here, and that is logged', async () => {
    const meeting = await createMeeting();
    w.emu.state.endMeeting(meeting.meetId);
    const ended = await services.meetings.end(T, meeting.meetId, HOST);
    expect(ended.status).toBe('ended');
    expect((await w.db.store.getMeeting(T, meeting.meetId))?.status).toBe('ended');
    expect(logged('meeting was already gone on MegaMeeting; marking it ended').map((l) => l.meetId)).toEqual([
      meeting.meetId,
    ]);
  });

  test('MegaMeeting failing to end it is not "already gone": the error stands and the meeting stays open', async () => {
    const meeting = await createMeeting();
    w.emu.state.injectFaults('error500', 10);
    await expect(services.meetings.end(T, meeting.meetId, HOST)).rejects.toMatchObject({
      code: 'unavailable',
    });
    w.emu.state.clearFaults();
    expect((await w.db.store.getMeeting(T, meeting.meetId))?.status).toBe('scheduled');
    expect(w.emu.state.snapshot().meetings.find((m) => m.meetId === meeting.meetId)?.ended).toBe(false);
  });
});

describe('the open list', () => {
  beforeEach(() => world());

  test('scheduled and live meetings only, and not those whose planned end is two hours past or more', async () => {
    await stored('1000001', 'scheduled', minutes(60), minutes(120));
    await stored('1000002', 'live', minutes(-30), minutes(30));
    await stored('1000003', 'ended', minutes(60), minutes(120));
    await stored('1000004', 'scheduled', minutes(-180), minutes(-120));
    await stored('1000005', 'scheduled', minutes(-180), new Date(minutes(-120).getTime() + 1));
    await stored('1000006', 'live', minutes(-119), null, 'instant');
    await stored('1000007', 'live', minutes(-120), null, 'instant');
    const open = await services.meetings.listOpen(T, HOST);
    expect(open.map((m) => m.meetId).sort()).toEqual(['1000001', '1000002', '1000005', '1000006']);
    expect(await services.meetings.listOpen(T, OTHER.id)).toEqual([]);
  });
});

describe('creating a meeting', () => {
  beforeEach(() => world());

  test('stored as scheduled with what was asked, its card posted once with its ID, reminders scheduled', async () => {
    const meeting = await createMeeting();
    const row = await w.db.store.getMeeting(T, meeting.meetId);
    expect(row).toMatchObject({
      teamId: T,
      channelId: W.channelId,
      hostSlackUserId: HOST,
      hostLoginId: w.hostLoginId,
      title: 'Design sync',
      kind: 'scheduled',
      status: 'scheduled',
      cardDelivery: 'chat',
      startAt: new Date(NOW.getTime() + 24 * 3600_000),
      endAt: new Date(NOW.getTime() + 25 * 3600_000),
      timeZone: 'America/Chicago',
    });
    const posts = stub.calls('chat.postMessage').filter((c) => c.args.channel === W.channelId);
    expect(posts).toHaveLength(1);
    expect(row?.messageTs).toBe(posts[0]?.response.ts);
    expect(posts[0]?.args.metadata).toMatchObject({
      event_type: 'megameeting_card',
      event_payload: { meet_id: meeting.meetId },
    });
    expect(row?.reminders.length).toBeGreaterThan(0);
    expect(w.emu.state.snapshot().meetings.find((m) => m.meetId === meeting.meetId)?.name).toBe(
      'Design sync',
    );
    expect(logged('meeting created').map((l) => [l.meetId, l.host, l.kind])).toEqual([
      [meeting.meetId, HOST, 'scheduled'],
    ]);
  });

  test('a title of 150 characters is taken as it is', async () => {
    const meeting = await createMeeting(`  ${'é'.repeat(150)} `);
    expect(meeting.title).toBe('é'.repeat(150));
  });

  test('an instant meeting is live and gets no reminders', async () => {
    const meeting = await services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: '',
      kind: 'instant',
    });
    expect([meeting.status, meeting.reminders, meeting.title]).toEqual(['live', [], "Ana Alvarez's meeting"]);
    expect(meeting.startAt).toEqual(NOW);
    expect(meeting.endAt).toEqual(new Date(NOW.getTime() + 60 * 60_000));
  });

  test("without a zone asked for, the meeting is in the host's Slack zone", async () => {
    const start = new Date(NOW.getTime() + 24 * 3600_000);
    const meeting = await services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: 'Zone',
      kind: 'scheduled',
      start,
      end: new Date(start.getTime() + 3600_000),
    });
    expect(W.userTz).toBe('America/Chicago');
    expect(meeting.timeZone).toBe('America/Chicago');
  });

  test('a title that is too long is refused before anything is made', async () => {
    const err = await refusal(createMeeting('é'.repeat(151)));
    expect([err.code, err.userMessage]).toEqual([
      'invalid_input',
      'Titles can be up to 150 characters; yours has 151.',
    ]);
    expect(w.emu.state.snapshot().meetings).toEqual([]);
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test('MegaMeeting refusing the create itself: nothing stored, no card, the error stands', async () => {
    // A first meeting: the host's login is then known (cached), so the failure below is createMeeting's own.
    const first = await createMeeting('First');
    stub.clearCalls();
    w.emu.state.clearRequests();
    w.emu.state.injectFaults('error500', 10);
    await expect(createMeeting('Refused')).rejects.toMatchObject({ code: 'unavailable' });
    w.emu.state.clearFaults();
    expect(w.emu.state.requests().some((r) => r.fault === 'error500')).toBe(true);
    expect((await services.meetings.listOpen(T, HOST)).map((m) => m.meetId)).toEqual([first.meetId]);
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test('invitees get a DM (not the host); those that cannot be DMed are named to the host', async () => {
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(OTHER.id) });
    stub.failNext('chat.postMessage', 'channel_not_found', { channel: stub.dmChannelFor(MM_ADMIN.id) });
    const meeting = await createMeeting('Design sync', {
      invitees: [INVITEE.id, HOST, OTHER.id, MM_ADMIN.id],
    });
    expect(
      stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(INVITEE.id)),
    ).toHaveLength(1);
    expect(stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(HOST))).toEqual(
      [],
    );
    expect(stub.ephemeralMessages({ user: HOST }).map((m) => m.text)).toEqual([
      `I couldn't send the invitation to <@${OTHER.id}>, <@${MM_ADMIN.id}>. Share the meeting link with them yourself.`,
    ]);
    expect(logged('could not DM an invitation').map((l) => [l.user, l.meetId])).toEqual([
      [OTHER.id, meeting.meetId],
      [MM_ADMIN.id, meeting.meetId],
    ]);
  });

  test('invitations that all went out: the host is told nothing more', async () => {
    await createMeeting('Design sync', { invitees: [INVITEE.id] });
    expect(
      stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(INVITEE.id)),
    ).toHaveLength(1);
    expect(stub.ephemeralMessages({ user: HOST })).toEqual([]);
  });

  test('a Slack refusal other than "cannot post here" is not worked around through response_url', async () => {
    stub.failNext('chat.postMessage', 'invalid_blocks', { channel: W.channelId });
    const responseUrl = stub.responseUrl();
    const meeting = await createMeeting('Design sync', { responseUrl });
    expect(meeting.cardDelivery).toBe('none');
    expect(stub.responses(responseUrl)).toEqual([]);
    expect(stub.ephemeralMessages({ user: HOST }).map((m) => m.text)).toEqual([
      `I created "Design sync" (meeting ID ${meeting.meetId}) but couldn't post its card in the channel. Join: ${w.emu.url}/meeting/?id=${meeting.meetId}`,
    ]);
  });

  test.each(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'cannot_dm_bot'])(
    'Slack answering %s to the card: it goes through response_url instead',
    async (code) => {
      stub.failNext('chat.postMessage', code, { channel: W.channelId });
      const responseUrl = stub.responseUrl();
      const meeting = await createMeeting('Design sync', { responseUrl });
      expect(meeting.cardDelivery).toBe('response_url');
      expect(stub.responses(responseUrl).map((r) => r.body.response_type)).toEqual([
        'in_channel',
        'ephemeral',
      ]);
    },
  );

  test('where the bot cannot post, the card goes through the command’s response_url and the host is told why', async () => {
    stub.failNext('chat.postMessage', 'not_in_channel', { channel: W.channelId });
    const responseUrl = stub.responseUrl();
    const meeting = await createMeeting('Design sync', { responseUrl });
    expect(meeting.cardDelivery).toBe('response_url');
    expect((await w.db.store.getMeeting(T, meeting.meetId))?.cardDelivery).toBe('response_url');
    const answers = stub.responses(responseUrl);
    expect(answers.map((r) => r.body.response_type)).toEqual(['in_channel', 'ephemeral']);
    expect(String(answers[0]?.body.text)).toContain('Design sync');
    expect(answers[1]?.body.text).toBe(
      'I\'m not a member of this conversation, so I posted the card as a reply to your command: I can\'t update it when the meeting changes or ends, and I can’t post reminders here. Add me to the channel (mention me and choose "Add to channel") to get both.',
    );
  });

  test('a card that cannot be posted at all does not undo the meeting: the host is told where it is', async () => {
    stub.failNext('chat.postMessage', 'not_in_channel', { channel: W.channelId });
    const meeting = await createMeeting();
    expect(meeting.cardDelivery).toBe('none');
    expect((await w.db.store.getMeeting(T, meeting.meetId))?.status).toBe('scheduled');
    expect(stub.ephemeralMessages({ user: HOST }).map((m) => m.text)).toEqual([
      `I created "Design sync" (meeting ID ${meeting.meetId}) but couldn't post its card in the channel. Join: ${w.emu.url}/meeting/?id=${meeting.meetId}`,
    ]);
  });

  test('a secure meeting whose card cannot be posted: the host is sent to /meet list, not to a Join link', async () => {
    stub.failNext('chat.postMessage', 'not_in_channel', { channel: W.channelId });
    const start = new Date(NOW.getTime() + 24 * 3600_000);
    const meeting = await services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: 'Patient consult',
      kind: 'secure',
      start,
      end: new Date(start.getTime() + 3600_000),
      timeZone: 'America/Chicago',
      options: { requireVerification: true },
    });
    expect(meeting.cardDelivery).toBe('none');
    expect(stub.ephemeralMessages({ user: HOST }).map((m) => m.text)).toEqual([
      `I created "Patient consult" (meeting ID ${meeting.meetId}) but couldn't post its card in the channel. Manage it with \`/meet list\`.`,
    ]);
  });

  test('a card that was posted is refreshed in place; one that never was is left alone', async () => {
    const meeting = await createMeeting();
    stub.clearCalls();
    await services.meetings.refreshCard(meeting);
    expect(stub.calls('chat.update').map((c) => [c.args.channel, c.args.ts])).toEqual([
      [W.channelId, meeting.messageTs],
    ]);
    await services.meetings.refreshCard({ ...meeting, cardDelivery: 'response_url' });
    await services.meetings.refreshCard({ ...meeting, messageTs: null });
    expect(stub.calls('chat.update')).toHaveLength(1);
    stub.failNext('chat.update', 'message_not_found');
    await services.meetings.refreshCard(meeting);
    expect(logged('could not update the channel card').map((l) => l.meetId)).toEqual([meeting.meetId]);
  });
});

describe('the intent journal a restart would read', () => {
  beforeEach(() => world());

  /** Every intent written, read back through the store (their IDs from the table; the clock stands still). */
  async function intents() {
    const sqlite = new Sqlite(w.db.url.replace(/^sqlite:/, ''), { readonly: true });
    const ids = sqlite.prepare('SELECT id FROM meeting_intents ORDER BY created_at').all() as Array<{
      id: string;
    }>;
    sqlite.close();
    return Promise.all(ids.map((r) => w.db.store.getIntent(r.id)));
  }

  test('a create that went through ends done, with the meeting, its card and everything asked', async () => {
    const older = w.emu.state.addMeeting({ name: 'Older' }).meetId;
    const responseUrl = stub.responseUrl();
    const start = new Date(NOW.getTime() + 24 * 3600_000);
    const meeting = await services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: 'Design sync',
      kind: 'secure',
      start,
      end: new Date(start.getTime() + 3600_000),
      timeZone: 'America/Chicago',
      invitees: [INVITEE.id],
      responseUrl,
      options: { requireVerification: true },
    });
    const [intent] = await intents();
    expect(intent).toMatchObject({
      teamId: T,
      channelId: W.channelId,
      userId: HOST,
      meetingName: 'Design sync',
      responseUrl,
      beforeIds: [older],
      state: 'done',
      outcome: 'posted',
      meetId: meeting.meetId,
      messageChannel: W.channelId,
      messageTs: meeting.messageTs,
    });
    expect(intent?.request).toMatchObject({
      kind: 'secure',
      hostLoginId: w.hostLoginId,
      startAt: start.toISOString(),
      timeZone: 'America/Chicago',
      options: { requireVerification: true },
      invitees: [INVITEE.id],
    });
  });

  test('an instant meeting with nobody invited goes straight to done with its card', async () => {
    const meeting = await services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: 'Now',
      kind: 'instant',
    });
    const [intent] = await intents();
    expect(intent).toMatchObject({
      state: 'done',
      outcome: 'posted',
      meetId: meeting.meetId,
      messageTs: meeting.messageTs,
      responseUrl: null,
    });
  });

  test('MegaMeeting refusing: failed, create_failed; a card that could not be posted: done, no_card', async () => {
    await createMeeting('First'); // the host's login is then cached: the failure below is createMeeting's
    w.emu.state.injectFaults('error500', 10);
    await expect(createMeeting('Refused')).rejects.toMatchObject({ code: 'unavailable' });
    w.emu.state.clearFaults();
    stub.failNext('chat.postMessage', 'not_in_channel', { channel: W.channelId });
    await createMeeting('No card');
    const all = await intents();
    const refused = all.find((i) => i?.meetingName === 'Refused');
    const noCard = all.find((i) => i?.meetingName === 'No card');
    expect([refused?.state, refused?.outcome, refused?.meetId]).toEqual(['failed', 'create_failed', null]);
    expect([noCard?.state, noCard?.outcome]).toEqual(['done', 'no_card']);
  });
});

describe('App Home is told', () => {
  beforeEach(() => world());

  test('of a meeting created (its host) and ended (its host and who ended it)', async () => {
    const changes: unknown[] = [];
    services.changes.subscribe((c) => changes.push(c));
    const meeting = await createMeeting();
    await services.meetings.end(T, meeting.meetId, ADMIN.id);
    expect(changes).toEqual([
      { teamId: T, slackUserIds: [HOST], what: 'meeting_created' },
      { teamId: T, slackUserIds: [HOST, ADMIN.id], what: 'meeting_ended' },
    ]);
  });
});

describe('the card', () => {
  beforeEach(() => world());

  async function create(kind: MeetingKind, extra: { threadTs?: string } = {}) {
    const start = new Date(NOW.getTime() + 24 * 3600_000);
    return services.meetings.create({
      teamId: T,
      channelId: W.channelId,
      hostUserId: HOST,
      title: 'Town hall',
      kind,
      start,
      end: new Date(start.getTime() + 3600_000),
      timeZone: 'UTC',
      ...extra,
    });
  }

  test("a secure meeting's card says whether it has verified guests, a webinar's how many registered", async () => {
    const secure = await create('secure');
    const secureCard = JSON.stringify(await services.meetings.cardBlocks(secure));
    expect(secureCard).toContain('No verified guests yet');
    await services.guests.inviteGuests(
      secure,
      [{ slackUserId: null, name: 'Jane', email: 'jane@example.com', permissions: [] }],
      HOST,
      { notifyActor: false },
    );
    expect(JSON.stringify(await services.meetings.cardBlocks(secure))).toContain(
      'Verified guests join with the personal link sent to them privately.',
    );
    const webinar = await create('webinar');
    await services.guests.register({
      teamId: T,
      userId: INVITEE.id,
      meetId: webinar.meetId,
      channelId: null,
    });
    await services.guests.inviteGuests(
      webinar,
      [{ slackUserId: null, name: 'Panel', email: 'panel@example.com', permissions: [] }],
      HOST,
      { notifyActor: false },
    );
    expect(JSON.stringify(await services.meetings.cardBlocks(webinar))).toContain('*Registered*\\n1');
  });

  test('a card asked for in a thread is posted in that thread, and found there again by its key', async () => {
    const parent = await stub.addMessage(W.channelId, { text: 'Shall we meet?' });
    const meeting = await create('scheduled', { threadTs: parent.ts });
    const post = stub.calls('chat.postMessage').find((c) => c.args.channel === W.channelId);
    expect(post?.args.thread_ts).toBe(parent.ts);
    expect(await services.meetings.findCard(meeting, parent.ts)).toEqual({
      channel: W.channelId,
      ts: meeting.messageTs,
    });
  });

  test('a posted card is found by its key; none for a meeting without a channel; unsearchable (logged) when Slack refuses', async () => {
    const meeting = await create('scheduled');
    expect(await services.meetings.findCard(meeting)).toEqual({
      channel: W.channelId,
      ts: meeting.messageTs,
    });
    expect(await services.meetings.findCard({ ...meeting, channelId: null })).toBeNull();
    expect(await services.meetings.findCard({ ...meeting, meetId: '1234321' })).toBeNull();
    stub.failNext('conversations.history', 'channel_not_found');
    expect(await services.meetings.findCard(meeting)).toBe('unsearchable');
    expect(logged('could not look for the card of a recovered meeting').map((l) => l.meetId)).toEqual([
      meeting.meetId,
    ]);
  });
});

describe('a create whose answer was lost', () => {
  beforeEach(() => world());

  function add(name: string): string {
    return w.emu.state.addMeeting({ name }).meetId;
  }

  test('without the list taken before, nothing can be told apart', async () => {
    add('Design sync');
    expect(await services.meetings.findCreatedMeeting('Design sync', null)).toEqual({ kind: 'unknown' });
  });

  test('the one new meeting of that name, stored by nobody, is ours', async () => {
    const older = add('Design sync');
    add('Other name');
    const before = new Set(w.emu.state.snapshot().meetings.map((m) => m.meetId));
    const ours = add('Design sync');
    add('Design sync (2)');
    expect(await services.meetings.findCreatedMeeting('Design sync', before)).toEqual({
      kind: 'one',
      meetId: ours,
    });
    expect(older).not.toBe(ours);
  });

  test('two new meetings of that name: neither is adopted, and that is logged', async () => {
    const before = new Set<string>();
    add('Design sync');
    add('Design sync');
    expect(await services.meetings.findCreatedMeeting('Design sync', before)).toEqual({ kind: 'unknown' });
    expect(logged('several new meetings of that name; adopting none').map((l) => l.count)).toEqual([2]);
  });

  test('a new meeting someone here already stored is not ours; none new is none', async () => {
    const before = new Set<string>();
    expect(await services.meetings.findCreatedMeeting('Design sync', before)).toEqual({ kind: 'none' });
    const theirs = add('Design sync');
    await stored(theirs, 'scheduled', minutes(60), minutes(120));
    expect(await services.meetings.findCreatedMeeting('Design sync', before)).toEqual({ kind: 'none' });
  });

  test('MegaMeeting failing to list: unknown, marked as a failed look-up, and logged', async () => {
    w.emu.state.injectFaults('error500', 10);
    expect(await services.meetings.findCreatedMeeting('Design sync', new Set())).toEqual({
      kind: 'unknown',
      lookupFailed: true,
    });
    w.emu.state.clearFaults();
    expect(logged('could not look for a meeting created despite an error')).toHaveLength(1);
  });
});

describe('a create whose answer was lost, end to end (a proxy garbles the answer)', () => {
  let emulator: Emulator;
  let proxy: LosingProxy;

  beforeEach(async () => {
    emulator = await startEmulator({ remuxDelayMs: 0 });
    proxy = await startLosingProxy(emulator);
    await world({ emulator, megameetingUrl: proxy.url });
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  test('made despite the garbled answer: adopted, stored, carded, and logged', async () => {
    proxy.lose('createMeeting', 'forward');
    const meeting = await createMeeting();
    expect(emulator.state.snapshot().meetings.map((m) => m.meetId)).toEqual([meeting.meetId]);
    expect(meeting.cardDelivery).toBe('chat');
    expect(
      logged('createMeeting answer was lost; adopted the meeting').map((l) => [l.meetId, l.code]),
    ).toEqual([[meeting.meetId, 'unexpected_response']]);
  });

  test('not made: the error stands, nothing is stored', async () => {
    proxy.lose('createMeeting', 'drop');
    await expect(createMeeting()).rejects.toMatchObject({ code: 'unexpected_response' });
    expect(await services.meetings.listOpen(T, HOST)).toEqual([]);
    expect(stub.calls('chat.postMessage')).toEqual([]);
  });

  test('another meeting of that name made meanwhile: neither is adopted, the error stands', async () => {
    proxy.lose('createMeeting', 'forward', () => emulator.state.addMeeting({ name: 'Design sync' }));
    await expect(createMeeting()).rejects.toMatchObject({ code: 'unexpected_response' });
    expect(emulator.state.snapshot().meetings).toHaveLength(2);
    expect(await services.meetings.listOpen(T, HOST)).toEqual([]);
  });
});

describe('the meetings listed before a create', () => {
  beforeEach(() => world());

  test('are every meeting ID on the account; null (and logged) when MegaMeeting cannot list them', async () => {
    const a = w.emu.state.addMeeting({ name: 'A' }).meetId;
    const b = w.emu.state.addMeeting({ name: 'B' }).meetId;
    expect([...((await services.meetings.meetingIdsNow()) ?? [])].sort()).toEqual([a, b].sort());
    w.emu.state.injectFaults('error500', 10);
    expect(await services.meetings.meetingIdsNow()).toBeNull();
    w.emu.state.clearFaults();
    expect(logged('could not list meetings before creating one')).toHaveLength(1);
  });
});
