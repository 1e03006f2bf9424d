/**
 * Slack calls on meeting cards, the service without Bolt (./world.ts): Slack's Calls API payloads (calls.add,
 * calls.update, calls.end) as the stand-in records them, one call per meeting (the store's claim), which meetings
 * may carry one (never secure meetings, webinars or ended ones), the call's duration, what happens when Slack
 * refuses or is slow (the card goes without it, the reason logged once; a late call ended at once), and the sweep's
 * windows. Fast enough for mutation testing (docs/mutation.md, `surfaces-unit` scope); calls.http.test.ts drives
 * the same over signed HTTP.
 */
import type { CallsService } from '../../src/services/calls.js';
import type { MeetingCallState, MeetingKind, MeetingRecord, MeetingStatus } from '../../src/store/types.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const MIN = 60_000;
// A whole second near the real time, moved by the tests.
const T0 = Math.floor(Date.now() / 1000) * 1000;
let now = T0;
const clock = { now: () => new Date(now) };
// Times written out (not the module's constants): a mutated constant must move the edges the tests check.
const at = (minutes: number) => new Date(T0 + minutes * MIN);

let stub: SlackStub;
let w: ServiceWorld;
let calls: CallsService;

beforeAll(async () => {
  stub = await SlackStub.start({ now: () => now });
});
afterAll(async () => {
  await stub.close();
});
afterEach(async () => {
  await w.close();
});

async function world(opts: { reminderMinutes?: number; addWaitMs?: number } = {}): Promise<void> {
  now = T0;
  stub.reset();
  w = await startServiceWorld(stub, {
    clock,
    env: { REMINDER_MINUTES: String(opts.reminderMinutes ?? 10) },
    ...(opts.addWaitMs ? { tuning: { callAddWaitMs: opts.addWaitMs } } : {}),
  });
  calls = w.services.calls;
}

let seq = 0;
/** A meeting straight into the store (its card posted in the channel), with its call where given. */
async function stored(
  opts: {
    kind?: MeetingKind;
    status?: MeetingStatus;
    start?: Date;
    end?: Date | null;
    endedAt?: Date;
    channelId?: string | null;
    callState?: MeetingCallState;
    callId?: string;
    title?: string;
  } = {},
): Promise<MeetingRecord> {
  const meetId = String(4_000_000 + ++seq);
  const start = opts.start ?? at(0);
  const record = await w.db.store.insertMeeting({
    teamId: T,
    meetId,
    channelId: opts.channelId === undefined ? W.channelId : opts.channelId,
    messageTs: '1700000000.000100',
    cardDelivery: 'chat',
    hostSlackUserId: HOST,
    hostLoginId: w.hostLoginId,
    title: opts.title ?? `Meeting ${meetId}`,
    kind: opts.kind ?? 'instant',
    startAt: start,
    endAt: opts.end === undefined ? new Date(start.getTime() + 60 * MIN) : opts.end,
    timeZone: 'UTC',
    status: opts.status ?? 'live',
    reminders: [],
    options: {},
  });
  const patch = {
    ...(opts.endedAt ? { endedAt: opts.endedAt } : {}),
    ...(opts.callState ? { callState: opts.callState } : {}),
    ...(opts.callId ? { callId: opts.callId } : {}),
  };
  if (Object.keys(patch).length === 0) return record;
  const updated = await w.db.store.updateMeeting(T, meetId, patch, clock.now());
  if (!updated) throw new Error('not stored');
  return updated;
}

/** A meeting whose call is live in Slack (added through the service), then changed as given. */
async function withCall(opts: Parameters<typeof stored>[0] = {}): Promise<MeetingRecord> {
  const { status, endedAt, ...rest } = opts;
  const added = await calls.attach(await stored({ ...rest, status: 'live' }));
  if (added.callState !== 'added' || !added.callId) throw new Error('no call');
  const patch = { ...(status ? { status } : {}), ...(endedAt ? { endedAt } : {}) };
  const updated =
    Object.keys(patch).length > 0
      ? await w.db.store.updateMeeting(T, added.meetId, patch, clock.now())
      : added;
  if (!updated) throw new Error('not stored');
  stub.clearCalls();
  return updated;
}

const row = (meetId: string) => w.db.store.getMeeting(T, meetId);
const logged = (msg: string) => w.logs().filter((l) => l.msg === msg);
const WARN = 40;
const joinUrl = (meetId: string) => `${w.emu.url}/meeting/?id=${meetId}`;

/** Waits (briefly) for something the service does after it has answered. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('never happened');
}

describe('which meetings may carry a call', () => {
  beforeEach(() => world());

  test('instant and scheduled meetings: their public join link', async () => {
    for (const kind of ['instant', 'scheduled'] as const) {
      const m = await stored({ kind, status: 'scheduled' });
      expect(calls.callJoinUrl(m)).toBe(joinUrl(m.meetId));
    }
  });

  test('never secure meetings or webinars (personal links), ended meetings, or meetings without a channel', async () => {
    const none = [
      await stored({ kind: 'secure' }),
      await stored({ kind: 'webinar' }),
      await stored({ status: 'ended' }),
      await stored({ channelId: null }),
    ];
    for (const m of none) {
      expect(calls.callJoinUrl(m)).toBeNull();
      expect(await calls.attach(m)).toEqual(m);
    }
    expect(stub.calls('calls.add')).toEqual([]);
  });
});

describe('adding the call of a card', () => {
  beforeEach(() => world());

  test('calls.add with the meeting ID, join link, title, host and start in seconds; stored once as added', async () => {
    const m = await stored({ title: 'Design review', start: at(-3) });
    const after = await calls.attach(m);
    const [add, ...more] = stub.calls('calls.add');
    expect(more).toEqual([]);
    expect(add?.args).toEqual({
      external_unique_id: m.meetId,
      external_display_id: m.meetId,
      join_url: joinUrl(m.meetId),
      title: 'Design review',
      created_by: HOST,
      date_start: String((T0 - 3 * MIN) / 1000),
    });
    const [call] = stub.slackCalls.all();
    expect(after).toMatchObject({ callState: 'added', callId: call?.id });
    expect(await row(m.meetId)).toMatchObject({ callState: 'added', callId: call?.id });
    expect(logged('Slack call added to the meeting card').map((l) => [l.meetId, l.callId])).toEqual([
      [m.meetId, call?.id],
    ]);
    // Attached again (a retry, the sweep): nothing more is asked of Slack.
    expect(await calls.attach(after)).toEqual(after);
    expect(await calls.attach(m)).toMatchObject({ callState: 'added', callId: call?.id });
    expect(stub.calls('calls.add')).toHaveLength(1);
  });

  test("a call claimed elsewhere (another replica's `adding`) is left to it: the stored state comes back", async () => {
    const m = await stored();
    await w.db.store.moveMeetingCall(T, m.meetId, null, { callState: 'adding' }, clock.now());
    expect(await calls.attach(m)).toMatchObject({ meetId: m.meetId, callState: 'adding', callId: null });
    expect(stub.calls('calls.add')).toEqual([]);
  });

  test('a meeting the store does not hold (another workspace) gets no call and comes back as given', async () => {
    const m = await stored();
    const elsewhere = { ...m, teamId: 'T0ELSEWHER' };
    expect(await calls.attach(elsewhere)).toBe(elsewhere);
    expect(stub.calls('calls.add')).toEqual([]);
  });

  test('only a new instant card gets its call at once; a scheduled one waits for the sweep', async () => {
    const instant = await stored({ kind: 'instant' });
    const scheduled = await stored({ kind: 'scheduled', status: 'scheduled', start: at(60) });
    expect(await calls.attachToNewCard(scheduled)).toBe(scheduled);
    expect(stub.calls('calls.add')).toEqual([]);
    expect(await calls.attachToNewCard(instant)).toMatchObject({ callState: 'added' });
    expect(stub.calls('calls.add')).toHaveLength(1);
  });

  test('Slack refusing Calls (no calls:write): the card goes without it, said once with how to fix it', async () => {
    stub.slackCalls.refuseAll('missing_scope');
    const first = await stored();
    const second = await stored();
    const after = await calls.attach(first);
    expect(after).toMatchObject({ callState: 'failed', callId: null });
    expect(await row(first.meetId)).toMatchObject({ callState: 'failed', callId: null });
    expect(await calls.attach(second)).toMatchObject({ callState: 'failed' });
    const warned = w.logs().filter((l) => l.level === WARN);
    expect(warned.map((l) => [l.msg, l.reason, l.meetId, l.method])).toEqual([
      [
        'Slack Calls unavailable: the app lacks the calls:write scope (reinstall it from manifest.yml); meeting cards go out without a call',
        'missing_scope',
        first.meetId,
        'calls.add',
      ],
    ]);
    expect(logged('Slack call not added').map((l) => [l.reason, l.meetId, l.method])).toEqual([
      ['missing_scope', second.meetId, 'calls.add'],
    ]);
    expect(logged('Slack call added to the meeting card')).toEqual([]);
  });

  test('each other reason is said once too, without the scope advice', async () => {
    stub.slackCalls.refuseAll('not_allowed');
    const m = await stored();
    expect(await calls.attach(m)).toMatchObject({ callState: 'failed' });
    stub.slackCalls.refuseAll(null);
    // An answer the app cannot read: "unexpected", no Slack method to name.
    stub.setHandler('calls.add', () => ({ ok: true, call: {} }));
    const odd = await stored();
    expect(await calls.attach(odd)).toMatchObject({ callState: 'failed' });
    const generic = 'Slack Calls unavailable; meeting cards go out without a call (logged once per reason)';
    expect(logged(generic).map((l) => [l.reason, l.meetId, 'method' in l])).toEqual([
      ['not_allowed', m.meetId, true],
      ['unexpected', odd.meetId, false],
    ]);
  });
});

describe('registering a call for any surface', () => {
  test('without a display ID none is sent; the call id comes back', async () => {
    await world();
    const id = await calls.register({
      externalUniqueId: '5550001',
      joinUrl: joinUrl('5550001'),
      title: 'Shared link',
      createdBy: HOST,
      start: at(0),
    });
    expect(id).toBe(stub.slackCalls.all()[0]?.id);
    expect(stub.lastCall('calls.add')?.args).not.toHaveProperty('external_display_id');
  });

  test('Slack slow to answer: no call for the card, and the call Slack made late is ended at once', async () => {
    await world({ addWaitMs: 150 });
    stub.delayNext('calls.add', 600);
    const m = await stored();
    const after = await calls.attach(m);
    expect(after).toMatchObject({ callState: 'failed', callId: null });
    expect(
      logged('Slack Calls unavailable; meeting cards go out without a call (logged once per reason)'),
    ).toEqual([expect.objectContaining({ reason: 'timeout', meetId: m.meetId })]);
    const late = 'ended a Slack call whose answer came too late for its card';
    await until(() => logged(late).length > 0);
    const [call] = stub.slackCalls.all();
    expect(stub.calls('calls.end').map((c) => c.args)).toEqual([{ id: call?.id, duration: '0' }]);
    expect(call).toMatchObject({ ended: true, duration: 0 });
    expect(logged(late).map((l) => [l.meetId, l.callId])).toEqual([[m.meetId, call?.id]]);
  });

  test('a late call Slack will not end is logged; one Slack never made is left alone', async () => {
    await world({ addWaitMs: 150 });
    stub.delayNext('calls.add', 600);
    stub.failNext('calls.end', 'not_authed');
    const m = await stored();
    await calls.attach(m);
    const warning = 'could not end a Slack call that came too late';
    await until(() => logged(warning).length > 0);
    expect(logged(warning).map((l) => [l.meetId, l.callId, l.err?.code])).toEqual([
      [m.meetId, stub.slackCalls.all()[0]?.id, 'not_authed'],
    ]);
    // A slow refusal: nothing to end, and nothing thrown into the void.
    stub.delayNext('calls.add', 600);
    stub.failNext('calls.add', 'not_allowed');
    await calls.attach(await stored());
    await until(() => stub.calls('calls.add').length === 2);
    await new Promise((r) => setTimeout(r, 700));
    expect(stub.calls('calls.end')).toHaveLength(1);
  });
});

describe('renaming', () => {
  beforeEach(() => world());

  test('calls.update with the new title and the join link', async () => {
    const m = await withCall();
    await calls.rename({ ...m, title: 'Renamed' });
    expect(stub.calls('calls.update').map((c) => c.args)).toEqual([
      { id: m.callId, title: 'Renamed', join_url: joinUrl(m.meetId) },
    ]);
    expect(stub.slackCalls.get(m.callId ?? '')).toMatchObject({ title: 'Renamed', updates: 1 });
  });

  test('nothing for a meeting without a live call, or once ended', async () => {
    const m = await withCall();
    await calls.rename({ ...m, callState: 'ending' });
    await calls.rename({ ...m, callId: null });
    await calls.rename({ ...m, status: 'ended' });
    await calls.rename(await stored());
    expect(stub.calls('calls.update')).toEqual([]);
  });

  test('Slack refusing the update is logged, never thrown', async () => {
    const m = await withCall();
    stub.failNext('calls.update', 'invalid_call_id');
    await calls.rename(m);
    expect(logged('could not update the Slack call').map((l) => [l.meetId, l.err?.code])).toEqual([
      [m.meetId, 'invalid_call_id'],
    ]);
  });
});

describe('ending', () => {
  beforeEach(() => world());

  test('an ended meeting: calls.end once with its length in seconds, stored ended', async () => {
    const m = await withCall({ start: at(0), status: 'ended', endedAt: new Date(T0 + 25 * MIN + 30_400) });
    now = T0 + 90 * MIN;
    const after = await calls.end(m);
    expect(stub.calls('calls.end').map((c) => c.args)).toEqual([{ id: m.callId, duration: '1530' }]);
    expect(after).toMatchObject({ callState: 'ended', callId: m.callId });
    expect(await row(m.meetId)).toMatchObject({ callState: 'ended' });
    expect(logged('Slack call ended').map((l) => [l.meetId, l.callId, l.duration])).toEqual([
      [m.meetId, m.callId, 1530],
    ]);
    // Ended again (a second press, the sweep): Slack is not asked.
    expect(await calls.end(after)).toBe(after);
    expect(await calls.end(m)).toMatchObject({ callState: 'ended' });
    expect(stub.calls('calls.end')).toHaveLength(1);
  });

  test('rounded to the nearest second, never negative', async () => {
    const m = await withCall({ start: at(0), status: 'ended', endedAt: new Date(T0 + 1500) });
    // Ended before it started (a clock skew between replicas): zero.
    const early = await withCall({ start: at(10), status: 'ended', endedAt: at(5) });
    await calls.end(m);
    await calls.end(early);
    expect(stub.calls('calls.end').map((c) => c.args.duration)).toEqual(['2', '0']);
  });

  test('a meeting nobody ended, long over: it lasted as planned; one still within its time: until now', async () => {
    const over = await withCall({ start: at(0), end: at(45) });
    const running = await withCall({ start: at(0), end: at(120) });
    const endless = await withCall({ start: at(0), end: null });
    now = T0 + 100 * MIN;
    await calls.end(over);
    await calls.end(running);
    await calls.end(endless);
    expect(stub.calls('calls.end').map((c) => c.args.duration)).toEqual([
      String(45 * 60),
      String(100 * 60),
      String(100 * 60),
    ]);
    // Marked ended since (its planned end past): its real end, not the plan.
    const ended = await withCall({ start: at(0), end: at(30), status: 'ended', endedAt: at(50) });
    await calls.end(ended);
    expect(stub.calls('calls.end').at(-1)?.args.duration).toBe(String(50 * 60));
    // Marked ended without a time (the store stamps one; a record without it): until now, not the plan.
    const untimed = await withCall({ start: at(0), end: at(30), status: 'ended' });
    await calls.end({ ...untimed, endedAt: null });
    expect(stub.calls('calls.end').at(-1)?.args.duration).toBe(String(100 * 60));
  });

  test("a stale `ending` (its process died) is ended; a meeting without a live call isn't", async () => {
    const withoutId = { ...(await withCall({ status: 'ended' })), callId: null };
    const m = await withCall({ status: 'ended', endedAt: at(10) });
    const stale = await w.db.store.moveMeetingCall(
      T,
      m.meetId,
      'added',
      { callState: 'ending' },
      clock.now(),
    );
    if (!stale) throw new Error('not moved');
    now = T0 + 20 * MIN;
    expect(await calls.end(stale)).toMatchObject({ callState: 'ended' });
    const none = [
      await stored({ status: 'ended', callState: 'failed' }),
      await stored({ status: 'ended', callState: 'ended', callId: 'R00000077' }),
      await stored({ status: 'ended', callState: 'adding' }),
      withoutId,
    ];
    for (const r of none) expect(await calls.end(r)).toBe(r);
    expect(stub.calls('calls.end').map((c) => c.args.id)).toEqual([m.callId]);
  });

  test('ended elsewhere meanwhile (the claim lost): the stored record comes back, Slack is not asked', async () => {
    const m = await withCall({ status: 'ended' });
    await w.db.store.moveMeetingCall(T, m.meetId, 'added', { callState: 'ending' }, clock.now());
    expect(await calls.end(m)).toMatchObject({ meetId: m.meetId, callState: 'ending' });
    const elsewhere = { ...m, teamId: 'T0ELSEWHER' };
    expect(await calls.end(elsewhere)).toBe(elsewhere);
    expect(stub.calls('calls.end')).toEqual([]);
  });

  test('Slack refusing the end: back to added for the sweep to retry, said so', async () => {
    const m = await withCall({ status: 'ended' });
    stub.failNext('calls.end', 'not_authed');
    const after = await calls.end(m);
    expect(after).toMatchObject({ callState: 'added', callId: m.callId });
    expect(await row(m.meetId)).toMatchObject({ callState: 'added' });
    expect(
      logged('could not end the Slack call; will retry').map((l) => [l.meetId, l.callId, l.err?.code]),
    ).toEqual([[m.meetId, m.callId, 'not_authed']]);
    expect(logged('Slack call ended')).toEqual([]);
    // The retry ends it.
    expect(await calls.end(after)).toMatchObject({ callState: 'ended' });
    expect(stub.slackCalls.get(m.callId ?? '')).toMatchObject({ ended: true });
  });

  test('a call Slack no longer knows counts as ended', async () => {
    const m = await withCall({ status: 'ended' });
    const gone = { ...m, callId: 'R99999999' };
    await w.db.store.moveMeetingCall(
      T,
      m.meetId,
      'added',
      { callState: 'added', callId: gone.callId },
      clock.now(),
    );
    expect(await calls.end(gone)).toMatchObject({ callState: 'ended' });
    expect(
      logged('Slack no longer knows the call; counting it ended').map((l) => [l.meetId, l.err?.code]),
    ).toEqual([[m.meetId, 'invalid_call_id']]);
    expect(logged('could not end the Slack call; will retry')).toEqual([]);
  });
});

describe('the calls sweep', () => {
  const refreshed: string[] = [];
  const refresh = async (r: MeetingRecord) => {
    refreshed.push(`${r.meetId}:${r.callState}:${r.callId}`);
  };
  beforeEach(() => {
    refreshed.length = 0;
  });

  const scheduled = (start: Date) => stored({ kind: 'scheduled', status: 'scheduled', start });

  test('scheduled meetings get their call from their reminder time (10 minutes ahead) until 2 hours in', async () => {
    await world({ reminderMinutes: 10 });
    const soon = await scheduled(at(10));
    const later = await scheduled(at(11));
    const started = await scheduled(at(-119));
    const missed = await scheduled(at(-120));
    expect(await calls.sweep(refresh)).toEqual({ added: 2, ended: 0 });
    const byId = new Map(stub.slackCalls.all().map((c) => [c.external_unique_id, c.id]));
    expect([...byId.keys()].sort()).toEqual([soon.meetId, started.meetId].sort());
    expect(refreshed.sort()).toEqual(
      [
        `${started.meetId}:added:${byId.get(started.meetId)}`,
        `${soon.meetId}:added:${byId.get(soon.meetId)}`,
      ].sort(),
    );
    expect((await row(later.meetId))?.callState).toBeNull();
    expect((await row(missed.meetId))?.callState).toBeNull();
    // The next pass adds nothing again.
    expect(await calls.sweep(refresh)).toEqual({ added: 0, ended: 0 });
  });

  test('with reminders off, at the start only; a refused call is neither counted nor shown', async () => {
    await world({ reminderMinutes: 0 });
    const atStart = await scheduled(at(0));
    await scheduled(at(1));
    expect(await calls.sweep(refresh)).toEqual({ added: 1, ended: 0 });
    expect(stub.slackCalls.all().map((c) => c.external_unique_id)).toEqual([atStart.meetId]);
    now = T0 + MIN;
    stub.slackCalls.refuseAll('not_allowed');
    refreshed.length = 0;
    expect(await calls.sweep(refresh)).toEqual({ added: 0, ended: 0 });
    expect(refreshed).toEqual([]);
  });

  test('calls of ended meetings, of meetings 2 hours past their planned end and stale ends are ended', async () => {
    await world();
    const ended = await withCall({ status: 'ended', endedAt: at(0) });
    const over = await withCall({ start: at(-181), end: at(-121) });
    const notYet = await withCall({ start: at(-179), end: at(-119) });
    // Claimed (its calls.end begun) a little more, and a little less, than 5 minutes ago.
    const stale = await withCall({ status: 'ended', endedAt: at(0) });
    await w.db.store.moveMeetingCall(
      T,
      stale.meetId,
      'added',
      { callState: 'ending' },
      new Date(T0 - 5 * MIN - 1000),
    );
    const fresh = await withCall({ status: 'ended', endedAt: at(0) });
    await w.db.store.moveMeetingCall(
      T,
      fresh.meetId,
      'added',
      { callState: 'ending' },
      new Date(T0 - 5 * MIN + 1000),
    );
    // Refused once: tried again by the next pass.
    stub.failNext('calls.end', 'not_authed', { when: (a) => a.id === ended.callId });
    expect(await calls.sweep(refresh)).toEqual({ added: 0, ended: 2 });
    const endedIds = () =>
      stub.slackCalls
        .all()
        .filter((c) => c.ended)
        .map((c) => c.id)
        .sort();
    expect(endedIds()).toEqual([over.callId, stale.callId].sort());
    expect((await row(notYet.meetId))?.callState).toBe('added');
    expect((await row(fresh.meetId))?.callState).toBe('ending');
    expect(await calls.sweep(refresh)).toEqual({ added: 0, ended: 1 });
    expect(endedIds()).toEqual([ended.callId, over.callId, stale.callId].sort());
    expect(refreshed).toEqual([]);
  });
});
