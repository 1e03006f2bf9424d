import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { HOST_EMAIL } from '../app/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/helpers.js';
import {
  INTERVAL_S,
  manualClock,
  type RecApp,
  recordingDms,
  remuxRequests,
  SlackStub,
  seedRecordings,
  startRecApp,
} from './setup.js';

/** Two app instances, each with its own store (pool), on one Postgres database. */
describe('two replicas on one Postgres database', () => {
  let emulator: Emulator;
  let slack: SlackStub;
  let db: TestDatabase;
  let a: RecApp;
  let b: RecApp;
  let hostLoginId: string;
  const clock = manualClock();

  beforeAll(async () => {
    emulator = await startEmulator({ remuxDelayMs: 0 });
    slack = await SlackStub.start();
    db = await createTestDatabase('postgres');
    hostLoginId = emulator.state.addLogin({ email: HOST_EMAIL, roles: ['host'] }).loginId;
    const shared = { emulator, slack, databaseUrl: db.url, hostLoginId, clock };
    a = await startRecApp(shared);
    b = await startRecApp(shared);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await slack?.close();
    await emulator?.close();
    await db?.drop();
  });

  it('ticking concurrently, they announce each recording exactly once (one holds the lease)', async () => {
    const { recIds } = seedRecordings(emulator, hostLoginId, 12);
    const done = seedRecordings(emulator, hostLoginId, 8, { remuxStatus: 'completed', title: 'Retro' });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [ra, rb] = await Promise.all([a.poller.tick(), b.poller.tick()]);
      statuses.push(`${ra.status}/${rb.status}`);
      clock.advance(INTERVAL_S * 1000);
    }
    // Exactly one of the two works each tick.
    for (const s of statuses) expect(s.split('/').filter((x) => x === 'ok')).toHaveLength(1);
    for (const id of [...recIds, ...done.recIds]) expect(recordingDms(slack, id)).toHaveLength(1);
    expect(remuxRequests(emulator)).toBe(12);
  });

  it('even without the lease (both passes at once), the claims announce each recording exactly once', async () => {
    const { recIds } = seedRecordings(emulator, hostLoginId, 30, { remuxStatus: 'completed', title: 'Race' });
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.recordings.processOnce(), b.recordings.processOnce(), a.recordings.processOnce()]);
    }
    for (const id of recIds) expect(recordingDms(slack, id)).toHaveLength(1);
    for (const id of recIds) expect((await a.store.getRecording(id))?.state).toBe('notified');
  });
});

describe('failure DMs with overlapping passes (Postgres)', () => {
  it('a failed remux is announced once even when passes overlap', async () => {
    const emulator = await startEmulator({ remuxDelayMs: 0 });
    const slack = await SlackStub.start();
    const db = await createTestDatabase('postgres');
    const hostLoginId = emulator.state.addLogin({ email: HOST_EMAIL, roles: ['host'] }).loginId;
    const shared = { emulator, slack, databaseUrl: db.url, hostLoginId, clock: manualClock() };
    const a = await startRecApp(shared);
    const b = await startRecApp(shared);
    try {
      const { recIds } = seedRecordings(emulator, hostLoginId, 10, { remuxStatus: 'failed' });
      for (let i = 0; i < 3; i++) {
        await Promise.all([
          a.recordings.processOnce(),
          b.recordings.processOnce(),
          a.recordings.processOnce(),
        ]);
      }
      for (const id of recIds) {
        expect(recordingDms(slack, id, 'megameeting_recording_failed')).toHaveLength(1);
        expect((await a.store.getRecording(id))?.state).toBe('failed');
      }
    } finally {
      await a.close();
      await b.close();
      await slack.close();
      await emulator.close();
      await db.drop();
    }
  });
});
