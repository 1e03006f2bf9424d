/**
 * The Slack-call part of the store, on both engines: a meeting's call moves between states by compare-and-set
 * (so a retry or a second replica never adds or ends a call twice), and the calls sweep's two look-ups.
 */
import type { NewMeeting, Store } from '../../src/store/types.js';
import { testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const ROUNDS = 30;
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

function meeting(over: Partial<NewMeeting> = {}): NewMeeting {
  return {
    teamId: 'T1',
    meetId: '2001',
    channelId: 'C1',
    messageTs: '1700000000.000100',
    cardDelivery: 'chat',
    hostSlackUserId: 'U1',
    hostLoginId: 'L1',
    title: 'Planning',
    kind: 'scheduled',
    startAt: at(30 * MIN),
    endAt: at(90 * MIN),
    timeZone: 'Europe/Paris',
    status: 'scheduled',
    reminders: [],
    options: {},
    createdAt: T0,
    ...over,
  };
}

describe.each(DIALECTS)('meeting calls on %s', (dialect) => {
  let store: Store;
  /** A second instance on the same database: its own connection (SQLite) or pool (Postgres). */
  let other: Store;
  useStorePair(dialect, (pair) => ({ store, other } = pair));

  test('a new meeting has no call; the call moves only from the state the caller read', async () => {
    const m = await store.insertMeeting(meeting());
    expect(m).toMatchObject({ callId: null, callState: null });

    expect(await store.moveMeetingCall('T1', '2001', 'added', { callState: 'ending' }, at(1))).toBeNull();
    const adding = await store.moveMeetingCall('T1', '2001', null, { callState: 'adding' }, at(1));
    expect(adding).toMatchObject({ callState: 'adding', callId: null, updatedAt: at(1) });
    // A second claimant (a retry, another replica) finds it taken.
    expect(await other.moveMeetingCall('T1', '2001', null, { callState: 'adding' }, at(2))).toBeNull();

    const added = await other.moveMeetingCall(
      'T1',
      '2001',
      'adding',
      { callState: 'added', callId: 'R0001' },
      at(3),
    );
    expect(added).toMatchObject({ callState: 'added', callId: 'R0001' });
    expect(await store.getMeeting('T1', '2001')).toMatchObject({ callState: 'added', callId: 'R0001' });

    // Moving on keeps the id unless told otherwise.
    expect(await store.moveMeetingCall('T1', '2001', 'added', { callState: 'ending' }, at(4))).toMatchObject({
      callState: 'ending',
      callId: 'R0001',
    });
    expect(await store.moveMeetingCall('T1', '2001', 'ending', { callState: 'ended' }, at(5))).toMatchObject({
      callState: 'ended',
      callId: 'R0001',
    });
    // Unknown meeting or team: null.
    expect(await store.moveMeetingCall('T2', '2001', 'ended', { callState: 'added' }, at(6))).toBeNull();
    expect(await store.moveMeetingCall('T1', '9999', null, { callState: 'adding' }, at(6))).toBeNull();
  });

  test('updateMeeting sets and clears the call fields; other patches leave them alone', async () => {
    await store.insertMeeting(meeting());
    await store.updateMeeting('T1', '2001', { callId: 'R9', callState: 'added' }, at(1));
    expect(await store.updateMeeting('T1', '2001', { title: 'Renamed' }, at(2))).toMatchObject({
      title: 'Renamed',
      callId: 'R9',
      callState: 'added',
    });
    expect(await store.updateMeeting('T1', '2001', { callId: null, callState: null }, at(3))).toMatchObject({
      callId: null,
      callState: null,
    });
  });

  test('listMeetingsDueForCall: scheduled, not ended, no call yet, card updatable, start in the window', async () => {
    await store.insertMeeting(meeting({ meetId: 'due-2', startAt: at(9 * MIN) }));
    await store.insertMeeting(meeting({ meetId: 'due-1', teamId: 'T2', startAt: at(5 * MIN) }));
    await store.insertMeeting(meeting({ meetId: 'late', startAt: at(11 * MIN) }));
    await store.insertMeeting(meeting({ meetId: 'too-old', startAt: at(-130 * MIN) }));
    await store.insertMeeting(
      meeting({ meetId: 'instant', kind: 'instant', status: 'live', startAt: at(0) }),
    );
    await store.insertMeeting(meeting({ meetId: 'secure', kind: 'secure', startAt: at(0) }));
    await store.insertMeeting(meeting({ meetId: 'webinar', kind: 'webinar', startAt: at(0) }));
    await store.insertMeeting(meeting({ meetId: 'ended', status: 'ended', startAt: at(0) }));
    await store.insertMeeting(meeting({ meetId: 'fallback', cardDelivery: 'response_url', startAt: at(0) }));
    await store.insertMeeting(meeting({ meetId: 'no-card', cardDelivery: 'none', startAt: at(0) }));
    await store.insertMeeting(meeting({ meetId: 'has-call', startAt: at(0) }));
    await store.moveMeetingCall('T1', 'has-call', null, { callState: 'failed' }, at(0));

    const due = await other.listMeetingsDueForCall(at(-120 * MIN), at(10 * MIN), 10);
    expect(due.map((m) => m.meetId)).toEqual(['due-1', 'due-2']);
    expect(
      (await store.listMeetingsDueForCall(at(-120 * MIN), at(10 * MIN), 1)).map((m) => m.meetId),
    ).toEqual(['due-1']);
  });

  test('listMeetingsWithCallToEnd: ended meetings whose call is added, or stuck ending', async () => {
    const add = async (meetId: string, state: 'added' | 'ending' | 'ended' | 'adding', when: number) => {
      await store.insertMeeting(meeting({ meetId, status: 'ended', kind: 'instant' }));
      await store.updateMeeting('T1', meetId, { callId: `R-${meetId}`, callState: state }, at(when));
    };
    await add('added', 'added', 2 * MIN);
    await add('stuck', 'ending', 1 * MIN);
    await add('ending-now', 'ending', 9 * MIN);
    await add('done', 'ended', 1 * MIN);
    await add('adding', 'adding', 1 * MIN);
    // Not ended: its call stays while its planned end (90 min) is not before `overBefore`...
    await store.insertMeeting(meeting({ meetId: 'live', status: 'live', kind: 'instant' }));
    await store.updateMeeting('T1', 'live', { callId: 'R-live', callState: 'added' }, at(1 * MIN));

    const toEnd = await other.listMeetingsWithCallToEnd(at(5 * MIN), at(90 * MIN), 10);
    expect(toEnd.map((m) => m.meetId)).toEqual(['stuck', 'added']);
    // ... and is ended once it is (nobody ended the meeting, but it is long over).
    const over = await other.listMeetingsWithCallToEnd(at(5 * MIN), at(90 * MIN + 1), 10);
    expect(over.map((m) => m.meetId)).toEqual(['live', 'stuck', 'added']);
  });

  test(`two instances claiming the same call: exactly one wins, ${ROUNDS} rounds`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const meetId = `race-${i}`;
      await store.insertMeeting(meeting({ meetId }));
      const [a, b] = await Promise.all([
        store.moveMeetingCall('T1', meetId, null, { callState: 'adding' }, at(i)),
        other.moveMeetingCall('T1', meetId, null, { callState: 'adding' }, at(i)),
      ]);
      expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    }
  });
});
