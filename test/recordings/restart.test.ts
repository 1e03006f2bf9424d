import { afterEach, describe, expect, it } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { DEFAULT_CLAIM_TTL_MS, RecordingsService } from '../../src/services/recordings/index.js';
import type { Store } from '../../src/store/types.js';
import { HOST_EMAIL } from '../app/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/helpers.js';
import {
  HOST,
  INTERVAL_S,
  manualClock,
  type RecApp,
  recordingDms,
  remuxRequests,
  SlackStub,
  seedRecordings,
  startRecApp,
} from './setup.js';

const step = INTERVAL_S * 1000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups.length = 0;
});

interface World {
  emulator: Emulator;
  slack: SlackStub;
  db: TestDatabase;
  hostLoginId: string;
}

async function world(): Promise<World> {
  const emulator = await startEmulator({ remuxDelayMs: 0 });
  const slack = await SlackStub.start();
  const db = await createTestDatabase('sqlite');
  const hostLoginId = emulator.state.addLogin({ email: HOST_EMAIL, roles: ['host'] }).loginId;
  cleanups.push(async () => {
    await slack.close();
    await emulator.close();
    await db.drop();
  });
  return { emulator, slack, db, hostLoginId };
}

async function instance(w: World, clock = manualClock()): Promise<RecApp> {
  const app = await startRecApp({
    emulator: w.emulator,
    slack: w.slack,
    databaseUrl: w.db.url,
    hostLoginId: w.hostLoginId,
    clock,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  cleanups.push(close);
  return { ...app, close };
}

/** A store whose markRecordingNotified "crashes" (throws) after Slack has confirmed the DM. */
function crashingOnMark(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'markRecordingNotified') {
        return async () => {
          throw new Error('simulated crash between the DM and the mark');
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('restarts (a new app instance on the same database)', () => {
  it('no duplicate and no loss across a restart mid-way', async () => {
    const w = await world();
    const clock = manualClock();
    const a = await instance(w, clock);
    const first = seedRecordings(w.emulator, w.hostLoginId, 3);
    await a.poller.tick(); // remux requested for 3
    await a.close(); // restart before they are announced

    const b = await instance(w, clock);
    clock.advance(step);
    const more = seedRecordings(w.emulator, w.hostLoginId, 2, { title: 'Later' });
    const r = await b.poller.tick();
    expect(r).toMatchObject({ status: 'ok', notifiedReady: 3, remuxRequested: 2 });
    await b.close();

    const c = await instance(w, clock);
    clock.advance(step);
    await c.poller.tick();
    clock.advance(step);
    await c.poller.tick();
    for (const id of [...first.recIds, ...more.recIds]) expect(recordingDms(w.slack, id)).toHaveLength(1);
    expect(remuxRequests(w.emulator)).toBe(5);
  });

  it('a crash after the DM and before the mark: the next instance finds the DM by its metadata, no second DM', async () => {
    const w = await world();
    const clock = manualClock();
    const a = await instance(w, clock);
    const { recIds } = seedRecordings(w.emulator, w.hostLoginId, 1, { remuxStatus: 'completed' });
    const recId = recIds[0] as string;
    const s = a.running.services;
    const crashing = new RecordingsService({
      ...s,
      store: crashingOnMark(s.store),
      megameetingUrl: s.config.megameeting.url,
      autoRemux: true,
      instanceId: 'instance-a',
    });
    expect(await crashing.processOnce()).toMatchObject({ errors: 1 });
    expect(recordingDms(w.slack, recId)).toHaveLength(1);
    expect((await a.store.getRecording(recId))?.claimedBy).toMatch(/^instance-a\//);
    await a.close(); // the process dies with its claim in the store

    const b = await instance(w, clock);
    // While the dead claim lasts, nobody announces the recording.
    expect(await b.poller.tick()).toMatchObject({ status: 'ok', notifiedReady: 0, recovered: 0 });
    clock.advance(DEFAULT_CLAIM_TTL_MS + step);
    expect(await b.poller.tick()).toMatchObject({ status: 'ok', recovered: 1, notifiedReady: 0 });
    const dms = recordingDms(w.slack, recId);
    expect(dms).toHaveLength(1);
    expect(w.slack.calls('conversations.history')).toHaveLength(1);
    expect(await b.store.getRecording(recId)).toMatchObject({
      state: 'notified',
      notifiedTs: dms[0]?.response.ts,
      notifiedChannel: w.slack.dmChannelFor(HOST),
    });
  });

  it('a crash after the claim and before the DM: the next instance sends it (once the claim expires)', async () => {
    const w = await world();
    const clock = manualClock();
    const a = await instance(w, clock);
    const { recIds } = seedRecordings(w.emulator, w.hostLoginId, 1, { remuxStatus: 'completed' });
    const recId = recIds[0] as string;
    await a.poller.tick();
    expect(recordingDms(w.slack, recId)).toHaveLength(1);
    // Stage: a fresh recording claimed by a dead instance that never sent anything.
    const second = seedRecordings(w.emulator, w.hostLoginId, 1, {
      remuxStatus: 'completed',
      title: 'Second',
    });
    const secondId = second.recIds[0] as string;
    const node = w.emulator.state.snapshot().recordings.find((r) => r.recId === secondId);
    await a.store.upsertSeenRecording(
      {
        recId: secondId,
        meetId: second.meetId,
        accId: node?.accId ?? '',
        alId: w.hostLoginId,
        teamId: 'T0TESTTEAM',
        hostSlackUserId: HOST,
      },
      clock.now(),
    );
    expect(await a.store.claimRecording(secondId, 'dead-instance', clock.now(), DEFAULT_CLAIM_TTL_MS)).toBe(
      true,
    );
    await a.close();

    const b = await instance(w, clock);
    clock.advance(step);
    await b.poller.tick();
    expect(recordingDms(w.slack, secondId)).toHaveLength(0);
    clock.advance(DEFAULT_CLAIM_TTL_MS);
    expect(await b.poller.tick()).toMatchObject({ notifiedReady: 1, recovered: 0 });
    expect(recordingDms(w.slack, secondId)).toHaveLength(1);
    expect(recordingDms(w.slack, recId)).toHaveLength(1);
  });

  it('a replica whose lease holder died takes over within a few intervals', async () => {
    const w = await world();
    const clock = manualClock();
    const a = await instance(w, clock);
    const b = await instance(w, clock);
    expect((await a.poller.tick()).status).toBe('ok');
    expect((await b.poller.tick()).status).toBe('not_leader');
    // a dies without releasing its lease (no stop()).
    seedRecordings(w.emulator, w.hostLoginId, 1, { remuxStatus: 'completed' });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(step);
      statuses.push((await b.poller.tick()).status);
    }
    expect(statuses.slice(0, 2)).toEqual(['not_leader', 'not_leader']);
    expect(statuses.at(-1)).toBe('ok');
    expect(recordingDms(w.slack)).toHaveLength(1);
  });

  it('a pass working from a stale snapshot does not send a failure DM twice', async () => {
    const w = await world();
    const a = await instance(w);
    const { recIds } = seedRecordings(w.emulator, w.hostLoginId, 1);
    const recId = recIds[0] as string;
    await a.poller.tick(); // seen → remux_requested
    w.emulator.state.failRecording(recId);
    const staleStates = await a.store.getRecordingStates();
    const staleOpen = await a.store.listOpenRecordings();
    expect(await a.recordings.processOnce()).toMatchObject({ notifiedFailed: 1 });
    const s = a.running.services;
    const stale = new Proxy(s.store, {
      get(target, prop, receiver) {
        if (prop === 'getRecordingStates') return async () => staleStates;
        if (prop === 'listOpenRecordings') return async () => staleOpen;
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const late = new RecordingsService({
      ...s,
      store: stale,
      megameetingUrl: s.config.megameeting.url,
      autoRemux: true,
    });
    expect(await late.processOnce()).toMatchObject({ notifiedFailed: 0, errors: 0 });
    expect(recordingDms(w.slack, recId, 'megameeting_recording_failed')).toHaveLength(1);
    expect((await a.store.getRecording(recId))?.claimedBy).toBeNull();
  });
});
