/**
 * `/meet list`'s data, the service without Bolt (./world.ts): a user's open meetings (not someone else's, not
 * another workspace's) with their join links, and the reconciling against MegaMeeting's `meetings` answer: a meeting
 * left out of two answers at least 5 minutes apart is marked ended here (its reminders cancelled, its Slack call
 * ended, its card redrawn, App Home told), one listed again is cleared, and an empty or failed answer changes
 * nothing and says the list may be stale. Fast enough for mutation testing (docs/mutation.md, `surfaces-unit`).
 */
import type { Change } from '../../src/services/changes.js';
import { ABSENCE_CONFIRM_MS, MeetingListService } from '../../src/services/meeting-list.js';
import type { MeetingKind, Store } from '../../src/store/types.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const MIN = 60_000;
// A whole second near the real time (the stand-in schedules reminders at most 120 days ahead of its own clock).
const T0 = Math.floor(Date.now() / 1000) * 1000;
let now = T0;
const clock = { now: () => new Date(now) };
const at = (minutes: number) => new Date(T0 + minutes * MIN);

let stub: SlackStub;
let w: ServiceWorld;
/** The meetings-ended changes App Home was told of. */
let changes: Change[];

beforeAll(async () => {
  stub = await SlackStub.start({ now: () => now });
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  now = T0;
  stub.reset();
  w = await startServiceWorld(stub, { clock });
  changes = [];
  w.services.changes.subscribe((c) => {
    if (c.what === 'meeting_ended') changes.push(c);
  });
});
afterEach(async () => {
  await w.close();
});

/** A meeting made from Slack (its card in the channel; a scheduled one's reminder; an instant one's call). */
async function create(title: string, kind: 'instant' | 'scheduled' = 'scheduled', startIn = 60) {
  const start = at(startIn);
  return w.services.meetings.create({
    teamId: T,
    channelId: W.channelId,
    hostUserId: HOST,
    title,
    kind,
    ...(kind === 'scheduled' ? { start, end: new Date(start.getTime() + 30 * MIN), timeZone: 'UTC' } : {}),
  });
}

/** A meeting straight into the store (and MegaMeeting), for who sees what. */
async function stored(opts: { host?: string; teamId?: string; kind?: MeetingKind; start?: Date } = {}) {
  const { meetId } = w.emu.state.addMeeting({ name: 'Stored', loginId: w.hostLoginId });
  const start = opts.start ?? at(30);
  return w.db.store.insertMeeting({
    teamId: opts.teamId ?? T,
    meetId,
    channelId: W.channelId,
    messageTs: null,
    cardDelivery: 'none',
    hostSlackUserId: opts.host ?? HOST,
    hostLoginId: w.hostLoginId,
    title: `Stored ${meetId}`,
    kind: opts.kind ?? 'scheduled',
    startAt: start,
    endAt: new Date(start.getTime() + 30 * MIN),
    timeZone: 'UTC',
    status: 'scheduled',
    reminders: [],
    options: {},
  });
}

const list = () => w.services.meetingList.listWithStatus(T, HOST);
const ids = async () => (await list()).items.map((i) => i.meetId);
const row = (meetId: string) => w.db.store.getMeeting(T, meetId);
const logged = (msg: string) => w.logs().filter((l) => l.msg === msg);
const MISSING = 'meeting missing from MegaMeeting’s list; ended only if still missing minutes from now';
const MARKED = 'meeting missing from MegaMeeting in two answers minutes apart; marked ended';

describe('what the list shows', () => {
  test("the user's open meetings, soonest first, with their join links; not someone else's or another workspace's", async () => {
    const later = await create('Later', 'scheduled', 120);
    const sooner = await create('Sooner', 'scheduled', 60);
    const secure = await stored({ kind: 'secure', start: at(90) });
    await stored({ host: 'U0OTHER001' });
    await stored({ teamId: 'T0ELSEWHER' });
    const result = await list();
    expect(result.stale).toBe(false);
    expect(result.items).toEqual([
      {
        meetId: sooner.meetId,
        title: 'Sooner',
        kind: 'scheduled',
        status: 'scheduled',
        start: at(60),
        end: at(90),
        joinUrl: `${w.emu.url}/meeting/?id=${sooner.meetId}`,
      },
      {
        meetId: secure.meetId,
        title: secure.title,
        kind: 'secure',
        status: 'scheduled',
        start: at(90),
        end: at(120),
        joinUrl: null,
      },
      expect.objectContaining({ meetId: later.meetId, title: 'Later', start: at(120) }),
    ]);
  });

  test('nothing open: MegaMeeting is not asked', async () => {
    w.emu.state.clearRequests();
    expect(await list()).toEqual({ items: [], stale: false });
    expect(w.emu.state.requests()).toEqual([]);
  });
});

describe('reconciling with MegaMeeting', () => {
  test('left out once: still listed, the time noted; left out 5 minutes later: ended here, everywhere', async () => {
    const gone = await create('Gone elsewhere', 'instant');
    const stays = await create('Still on');
    expect(gone.callState).toBe('added');
    w.emu.state.endMeeting(gone.meetId);

    expect(await ids()).toEqual([gone.meetId, stays.meetId]);
    expect((await row(gone.meetId))?.absentSince).toEqual(at(0));
    expect(logged(MISSING).map((l) => l.meetId)).toEqual([gone.meetId]);

    // Just under 5 minutes: one more sighting proves nothing yet, and does not move the first.
    now = T0 + ABSENCE_CONFIRM_MS - 1000;
    expect(await ids()).toEqual([gone.meetId, stays.meetId]);
    expect((await row(gone.meetId))?.absentSince).toEqual(at(0));
    expect(logged(MISSING)).toHaveLength(1);
    expect(stub.calls('calls.end')).toEqual([]);

    now = T0 + ABSENCE_CONFIRM_MS;
    expect(await ids()).toEqual([stays.meetId]);
    const ended = await row(gone.meetId);
    expect(ended).toMatchObject({ status: 'ended', endedAt: new Date(now), callState: 'ended' });
    expect(stub.calls('calls.end').map((c) => c.args.id)).toEqual([gone.callId]);
    const update = stub.calls('chat.update').find((c) => c.args.ts === gone.messageTs);
    expect(String(update?.args.text)).toBe('MegaMeeting "Gone elsewhere" has ended.');
    expect(changes).toEqual([{ teamId: T, slackUserIds: [HOST], what: 'meeting_ended' }]);
    expect(logged(MARKED).map((l) => [l.meetId, l.absentSince])).toEqual([
      [gone.meetId, at(0).toISOString()],
    ]);
    // The meeting that stays was never marked.
    expect(await row(stays.meetId)).toMatchObject({ status: 'scheduled', absentSince: null });
  });

  test('a scheduled meeting ended elsewhere loses its channel reminder', async () => {
    const gone = await create('Cancelled on the web', 'scheduled', 60);
    await create('Still on');
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(2);
    w.emu.state.endMeeting(gone.meetId);
    await list();
    now = T0 + ABSENCE_CONFIRM_MS;
    await list();
    expect((await row(gone.meetId))?.reminders).toEqual([]);
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(1);
  });

  test('listed again: the sighting is cleared, and a listed meeting is not written to', async () => {
    const m = await create('Flaky');
    const other = await create('Steady', 'scheduled', 90);
    await w.db.store.updateMeeting(T, m.meetId, { absentSince: at(-30) }, at(-30));
    const before = await row(other.meetId);
    now = T0 + 10 * MIN;
    expect(await ids()).toEqual([m.meetId, other.meetId]);
    expect(await row(m.meetId)).toMatchObject({
      absentSince: null,
      updatedAt: new Date(now),
      status: 'scheduled',
    });
    expect((await row(other.meetId))?.updatedAt).toEqual(before?.updatedAt);
  });

  test('an empty answer while meetings are open proves nothing: shown as stored, marked stale, said so', async () => {
    const m = await create('Open one');
    await w.db.store.updateMeeting(T, m.meetId, { absentSince: at(-30) }, at(-30));
    w.emu.state.endMeeting(m.meetId);
    const result = await list();
    expect(result.stale).toBe(true);
    expect(result.items.map((i) => i.meetId)).toEqual([m.meetId]);
    expect(await row(m.meetId)).toMatchObject({ status: 'scheduled', absentSince: at(-30) });
    expect(
      logged('MegaMeeting listed no meetings at all while some are open; not reconciling on that answer').map(
        (l) => [l.teamId, l.open, l.level],
      ),
    ).toEqual([[T, 1, 40]]);
  });

  test('MegaMeeting failing: the store is shown, marked stale, said so', async () => {
    const m = await create('Open one');
    w.emu.state.injectFaults('error500', 10);
    const result = await list();
    w.emu.state.clearFaults();
    expect(result).toEqual({ stale: true, items: [expect.objectContaining({ meetId: m.meetId })] });
    expect(
      logged('could not reconcile /meet list with MegaMeeting; showing the store').map((l) => [
        l.teamId,
        l.level,
      ]),
    ).toEqual([[T, 40]]);
  });
});

describe('when the store fails or changes underneath', () => {
  /** The service on the app's store, with `updateMeeting` replaced (a database failing mid-way). */
  function listWith(updateMeeting: Store['updateMeeting'], opts: { calls?: boolean } = {}) {
    const s = w.services;
    return new MeetingListService({
      store: { updateMeeting },
      megameeting: s.megameeting,
      meetings: s.meetings,
      reminders: s.reminders,
      logger: s.logger,
      clock,
      ...(opts.calls === false ? {} : { calls: s.calls }),
    });
  }
  const real = (): Store['updateMeeting'] => w.db.store.updateMeeting.bind(w.db.store);

  test('noting an absence fails: the meeting is kept and it is logged', async () => {
    const m = await create('Gone');
    await create('Still on');
    w.emu.state.endMeeting(m.meetId);
    const service = listWith(async () => {
      throw new Error('disk I/O error');
    });
    const result = await service.listWithStatus(T, HOST);
    expect(result.items).toHaveLength(2);
    expect(result.stale).toBe(false);
    expect(
      logged('could not record a meeting missing from MegaMeeting').map((l) => [l.meetId, l.err?.message]),
    ).toEqual([[m.meetId, 'disk I/O error']]);
  });

  test('marking it ended fails: kept, nothing else done, logged', async () => {
    const m = await create('Gone', 'instant');
    await create('Still on');
    w.emu.state.endMeeting(m.meetId);
    await list();
    now = T0 + ABSENCE_CONFIRM_MS;
    const write = real();
    const service = listWith(async (teamId, meetId, patch, when) => {
      if (patch.status === 'ended') throw new Error('disk I/O error');
      return write(teamId, meetId, patch, when);
    });
    expect((await service.listWithStatus(T, HOST)).items.map((i) => i.meetId)).toContain(m.meetId);
    expect(logged('could not mark a meeting ended').map((l) => [l.meetId, l.err?.message])).toEqual([
      [m.meetId, 'disk I/O error'],
    ]);
    expect(stub.calls('calls.end')).toEqual([]);
    expect(changes).toEqual([]);
  });

  test('gone from the store meanwhile: dropped from the list, nothing more to redraw or end', async () => {
    const m = await create('Gone', 'instant');
    await create('Still on');
    w.emu.state.endMeeting(m.meetId);
    await list();
    now = T0 + ABSENCE_CONFIRM_MS;
    const write = real();
    const service = listWith(async (teamId, meetId, patch, when) =>
      patch.status === 'ended' ? null : write(teamId, meetId, patch, when),
    );
    stub.clearCalls();
    expect((await service.listWithStatus(T, HOST)).items.map((i) => i.meetId)).not.toContain(m.meetId);
    expect(stub.calls('calls.end')).toEqual([]);
    expect(stub.calls('chat.update')).toEqual([]);
    expect(changes).toEqual([]);
  });

  test('without Slack calls configured, the card is still redrawn ended and nothing asks Slack to end a call', async () => {
    const m = await create('Gone', 'instant');
    await create('Still on');
    w.emu.state.endMeeting(m.meetId);
    const service = listWith(real(), { calls: false });
    await service.listWithStatus(T, HOST);
    now = T0 + ABSENCE_CONFIRM_MS;
    stub.clearCalls();
    expect((await service.listWithStatus(T, HOST)).items.map((i) => i.meetId)).not.toContain(m.meetId);
    expect(stub.calls('calls.end')).toEqual([]);
    const update = stub.calls('chat.update').find((c) => c.args.ts === m.messageTs);
    expect(String(update?.args.text)).toBe('MegaMeeting "Gone" has ended.');
    // No change feed given: nobody is told, and nothing breaks.
    expect(changes).toEqual([]);
    expect((await row(m.meetId))?.status).toBe('ended');
  });
});
