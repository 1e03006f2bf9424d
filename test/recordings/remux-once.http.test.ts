/**
 * Processing (startRemux) is requested once per recording and request, whoever asks: two replicas on one
 * Postgres database whose "Try again" presses cross (and a double click), and a slow pass whose poller lease
 * lapsed while the next replica's pass runs. MegaMeeting answers slowly (the emulator's latency) so that the
 * requests overlap; the count is the emulator's request log.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { ACTIONS } from '../../src/views/ids.js';
import { eventually, HOST_EMAIL } from '../app/harness.js';
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

const LATENCY_MS = 300;

describe('startRemux once, with two replicas on one Postgres database', () => {
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
    emulator?.state.setLatency(0);
    await a?.close();
    await b?.close();
    await slack?.close();
    await emulator?.close();
    await db?.drop();
  });

  it('"Try again" pressed twice on one replica and once on the other: processing is requested once', async () => {
    const { recIds } = seedRecordings(emulator, hostLoginId, 1, { title: 'Board meeting' });
    const recId = recIds[0] as string;
    await a.poller.tick(); // startRemux #1
    emulator.state.failRecording(recId);
    clock.advance(INTERVAL_S * 1000);
    await a.poller.tick(); // the failed DM, with its Try again button
    const failed = recordingDms(slack, recId, 'megameeting_recording_failed');
    expect(failed).toHaveLength(1);
    const channelId = String(failed[0]?.response.channel);
    const messageTs = String(failed[0]?.response.ts);
    const before = remuxRequests(emulator);
    const updatesBefore = slack.calls('chat.update').length;

    emulator.state.setLatency(LATENCY_MS);
    const presses = await Promise.all([
      a.action(ACTIONS.retryRemux, recId, { channelId, messageTs }),
      a.action(ACTIONS.retryRemux, recId, { channelId, messageTs }),
      b.action(ACTIONS.retryRemux, recId, { channelId, messageTs }),
    ]);
    for (const p of presses) expect(p.status).toBe(200);
    // Every press answers: one updates the DM, the others are told privately that it was already requested.
    const replies = () => presses.flatMap((p) => slack.responses(p.responseUrl));
    await eventually(() => slack.calls('chat.update').length - updatesBefore + replies().length >= 3, 10_000);
    emulator.state.setLatency(0);

    expect(remuxRequests(emulator) - before).toBe(1);
    expect(slack.calls('chat.update')).toHaveLength(updatesBefore + 1);
    expect(replies()).toHaveLength(2);
    for (const r of replies()) expect(r.body.text).toContain('already requested');
    expect(await a.store.getRecording(recId)).toMatchObject({ state: 'remux_requested', attempts: 2 });
  });

  it('a slow pass whose lease lapsed and the pass of the replica that took over: requested once', async () => {
    const { recIds } = seedRecordings(emulator, hostLoginId, 3, { title: 'Slow pass' });
    const before = remuxRequests(emulator);
    emulator.state.setLatency(LATENCY_MS);
    // A takes the poller lease and waits on MegaMeeting…
    const slow = a.poller.tick();
    await eventually(
      async () => (await a.store.getLease('recordings-poller'))?.holder === a.recordings.instanceId,
    );
    // …long enough for its lease to lapse: B takes over and runs its own pass over the same recordings.
    clock.advance(a.poller.leaseTtlMs + 1);
    const [ra, rb] = await Promise.all([slow, b.poller.tick()]);
    emulator.state.setLatency(0);
    expect([ra.status, rb.status]).toEqual(['ok', 'ok']);
    expect((ra.remuxRequested ?? 0) + (rb.remuxRequested ?? 0)).toBe(3);

    expect(remuxRequests(emulator) - before).toBe(3);
    for (const id of recIds) {
      expect(await b.store.getRecording(id)).toMatchObject({ state: 'remux_requested', attempts: 1 });
    }
  });
});
