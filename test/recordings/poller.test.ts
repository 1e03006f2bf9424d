import { afterEach, describe, expect, it } from '@jest/globals';
import { REMUX_STALL_MS, RecordingsPoller, RecordingsService } from '../../src/services/recordings/index.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import {
  HOST,
  INTERVAL_S,
  linkHost,
  type RecApp,
  recordingDms,
  recordingsQueries,
  remuxRequests,
  seedRecordings,
  startRecApp,
} from './setup.js';

let t: RecApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const step = INTERVAL_S * 1000;

describe('recordings poller (emulator + Slack stub + SQLite)', () => {
  it('requests processing of a new recording once and DMs the host once, with Download and Play', async () => {
    t = await startRecApp();
    const { meetId, recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { title: 'Design sync' });
    const recId = recIds[0] as string;

    const first = await t.poller.tick();
    expect(first).toMatchObject({ status: 'ok', added: 1, remuxRequested: 1, notifiedReady: 0 });
    expect(remuxRequests(t.emulator)).toBe(1);
    expect((await t.store.getRecording(recId))?.state).toBe('remux_requested');
    expect((await t.store.getRecording(recId))?.attempts).toBe(1);

    // remuxDelayMs 0: completed on the next read.
    t.clock.advance(step);
    const second = await t.poller.tick();
    expect(second).toMatchObject({ status: 'ok', notifiedReady: 1 });
    for (let i = 0; i < 3; i++) {
      t.clock.advance(step);
      expect(await t.poller.tick()).toMatchObject({ status: 'ok', notifiedReady: 0, added: 0 });
    }
    expect(remuxRequests(t.emulator)).toBe(1);
    const dms = recordingDms(t.slack, recId);
    expect(dms).toHaveLength(1);
    const dm = dms[0];
    expect(dm?.args.channel).toBe(t.slack.dmChannelFor(HOST));
    assertValidMessageBlocks(dm?.args.blocks);

    const node = t.emulator.state.snapshot().recordings.find((r) => r.recId === recId);
    const buttons = JSON.stringify(dm?.args.blocks);
    // The documented URLs written out from the recording's own fields (not with the app's URL builders).
    expect(node?.recPackage).toMatch(/^[\w-]+\/\d+\/\d+\/P2P-Recording-[\w-]+\.mp4$/);
    const dl = `${t.emulator.url}/getweb?recordingkey=/${node?.recPackage}`;
    expect(buttons).toContain(JSON.stringify(dl).slice(1, -1));
    expect(node?.recPlay).toBe(`videoplayer/?key=${meetId}&session=${node?.session}`);
    const play = `${t.emulator.url}/videoplayer/?key=${meetId}&session=${node?.session}`;
    expect(buttons).toContain(JSON.stringify(play).slice(1, -1));
    expect(buttons).toContain('Design sync');
    expect(buttons).toMatch(/<!date\^\d+\^/);
    expect(buttons).toContain(meetId);

    const stored = await t.store.getRecording(recId);
    expect(stored).toMatchObject({
      state: 'notified',
      notifiedChannel: dm?.response.channel,
      notifiedTs: dm?.response.ts,
    });
  });

  it('makes one recordings query per tick and no per-recording work once finished with', async () => {
    t = await startRecApp();
    seedRecordings(t.emulator, t.hostLoginId, 25, { remuxStatus: 'completed' });
    await t.poller.tick();
    expect(recordingDms(t.slack)).toHaveLength(25);
    // The host never opened Home, so the DMs republish nothing (a viewer's republish would read recordings).
    await t.running.services.home.idle();
    expect(t.slack.calls('views.publish')).toHaveLength(0);
    t.emulator.state.clearRequests();
    t.slack.clearCalls();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(step);
      expect(await t.poller.tick()).toMatchObject({ status: 'ok', listed: 25, added: 0, errors: 0 });
    }
    expect(recordingsQueries(t.emulator)).toBe(3);
    expect(t.emulator.state.requests()).toHaveLength(3);
    expect(t.slack.calls()).toHaveLength(0);
  });

  it('with AUTO_REMUX=false does not request processing', async () => {
    t = await startRecApp({ env: { AUTO_REMUX: 'false' } });
    seedRecordings(t.emulator, t.hostLoginId, 2);
    await t.poller.tick();
    t.clock.advance(step);
    await t.poller.tick();
    expect(remuxRequests(t.emulator)).toBe(0);
    expect(recordingDms(t.slack)).toHaveLength(0);
  });

  it('skips ticks while MegaMeeting fails, backing off exponentially, then recovers', async () => {
    t = await startRecApp();
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { remuxStatus: 'completed' });
    t.emulator.state.injectFaults('error500', 2);
    t.emulator.state.injectFaults('garbage', 1);
    const statuses: string[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await t.poller.tick()).status);
      t.clock.advance(step);
    }
    // fail (wait 2) · fail (wait 4) · fail (wait 8) · ok
    expect(statuses).toEqual([
      'megameeting_failed',
      'backoff',
      'megameeting_failed',
      'backoff',
      'backoff',
      'backoff',
      'megameeting_failed',
      'backoff',
      'backoff',
      'backoff',
      'backoff',
      'backoff',
    ]);
    for (let i = 0; i < 3; i++) {
      await t.poller.tick();
      t.clock.advance(step);
    }
    expect(t.poller.consecutiveFailures).toBe(0);
    expect(
      t.emulator.state.requests().filter((r) => r.fields.includes('recordings') || r.fault),
    ).toHaveLength(4);
    expect(recordingDms(t.slack, recIds[0])).toHaveLength(1);
    // One log line per failed tick, none for the skipped ones.
    expect(t.logLines('MegaMeeting recordings could not be read')).toHaveLength(3);
  });

  it('logs an unmapped host once, re-checks rarely, and DMs once the host is linked', async () => {
    t = await startRecApp();
    const stranger = t.emulator.state.addLogin({ email: 'zoe@example.com', roles: ['host'] });
    const { recIds } = seedRecordings(t.emulator, stranger.loginId, 1, { remuxStatus: 'completed' });
    const recId = recIds[0] as string;
    for (let i = 0; i < 5; i++) {
      await t.poller.tick();
      t.clock.advance(step);
    }
    expect(recordingDms(t.slack)).toHaveLength(0);
    expect(t.logLines('no Slack user is linked')).toHaveLength(1);
    expect(await t.store.getRecording(recId)).toMatchObject({ state: 'seen', lastError: 'unmapped' });

    t.slack.addUser({ id: 'U0ZOE00001', email: 'zoe@example.com' });
    await linkHost(t.store, stranger.loginId, t.clock.now(), 'U0ZOE00001');
    await t.poller.tick();
    expect(recordingDms(t.slack)).toHaveLength(0); // not re-checked before the hour is up
    t.clock.advance(60 * 60_000);
    await t.poller.tick();
    const dms = recordingDms(t.slack, recId);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.args.channel).toBe(t.slack.dmChannelFor('U0ZOE00001'));
    expect(t.logLines('no Slack user is linked')).toHaveLength(1);
  });

  it('one bad recording does not stop the others', async () => {
    t = await startRecApp();
    const gone = t.emulator.state.addLogin({ email: 'gone@example.com', roles: ['host'] });
    await linkHost(t.store, gone.loginId, t.clock.now(), 'U0GONE0001'); // not a Slack user: user_not_found
    const bad = seedRecordings(t.emulator, gone.loginId, 1, { remuxStatus: 'completed' });
    const good = seedRecordings(t.emulator, t.hostLoginId, 2, { remuxStatus: 'completed' });
    const r = await t.poller.tick();
    expect(r).toMatchObject({ status: 'ok', notifiedReady: 2, errors: 1 });
    expect(recordingDms(t.slack)).toHaveLength(2);
    for (const id of good.recIds) expect((await t.store.getRecording(id))?.state).toBe('notified');
    const failed = await t.store.getRecording(bad.recIds[0] as string);
    expect(failed?.state).toBe('seen');
    expect(failed?.claimedBy).toBeNull(); // Slack refused for sure: the claim was given back
    expect(failed?.lastError).toMatch(/^dm_user_not_found/);
  });

  it('waits as Slack asks on a 429 before sending again', async () => {
    t = await startRecApp();
    const slept: number[] = [];
    const services = t.running.services;
    const recordings = new RecordingsService({
      ...services,
      megameetingUrl: services.config.megameeting.url,
      autoRemux: true,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    const poller = new RecordingsPoller({ ...services, recordings, intervalSeconds: INTERVAL_S });
    seedRecordings(t.emulator, t.hostLoginId, 2, { remuxStatus: 'completed' });
    // Retry-After 30 s: longer than the gateway waits inline, so the poller must wait itself.
    t.slack.rateLimitNext('chat.postMessage', 30, 1);
    const r = await poller.tick();
    expect(r).toMatchObject({ status: 'ok', notifiedReady: 2, errors: 0 });
    expect(slept).toEqual([30_000]);
    expect(recordingDms(t.slack)).toHaveLength(2);
    await poller.stop();
  });

  it('never overlaps itself, and stop() waits for the tick in progress', async () => {
    t = await startRecApp();
    seedRecordings(t.emulator, t.hostLoginId, 3, { remuxStatus: 'completed' });
    t.slack.setLatency('chat.postMessage', 100);
    const running = t.poller.tick();
    const second = await t.poller.tick();
    expect(second.status).toBe('busy');
    await t.poller.stop();
    expect(recordingDms(t.slack)).toHaveLength(3);
    expect((await running).status).toBe('ok');
    expect((await t.poller.tick()).status).toBe('stopped');
    expect(await t.store.getLease('recordings-poller')).toBeNull();
  });

  it('announces a failed remux once, with Try again', async () => {
    t = await startRecApp();
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1);
    const recId = recIds[0] as string;
    await t.poller.tick(); // startRemux
    t.emulator.state.failRecording(recId);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(step);
      await t.poller.tick();
    }
    const dms = recordingDms(t.slack, recId, 'megameeting_recording_failed');
    expect(dms).toHaveLength(1);
    assertValidMessageBlocks(dms[0]?.args.blocks);
    expect(JSON.stringify(dms[0]?.args.blocks)).toContain('recording_retry');
    expect(await t.store.getRecording(recId)).toMatchObject({
      state: 'failed',
      notifiedTs: dms[0]?.response.ts,
    });
  });
});

describe('a processing request MegaMeeting lost', () => {
  it('is asked for again after an hour of waiting, at most three times in all', async () => {
    t = await startRecApp();
    const app = t;
    const { recIds } = seedRecordings(app.emulator, app.hostLoginId, 1);
    const recId = recIds[0] as string;
    const loseRequest = () => {
      const node = app.emulator.state.recordings.get(recId);
      if (node) node.remuxStatus = 'waiting';
    };
    await app.poller.tick();
    expect(remuxRequests(app.emulator)).toBe(1);
    loseRequest();

    app.clock.advance(step);
    await app.poller.tick();
    expect(remuxRequests(app.emulator)).toBe(1); // not on every tick

    for (const expected of [2, 3, 3]) {
      app.clock.advance(REMUX_STALL_MS);
      await app.poller.tick();
      expect(remuxRequests(app.emulator)).toBe(expected);
      loseRequest();
    }
    expect((await app.store.getRecording(recId))?.attempts).toBe(3);
  });
});

describe('recordings poller on real timers', () => {
  it('start() ticks every RECORDINGS_POLL_SECONDS and stop() ends it', async () => {
    t = await startRecApp({ startPoller: true, env: { RECORDINGS_POLL_SECONDS: '1' } });
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1);
    // Tick 1 requests processing, tick 2 (a second later) announces it.
    await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.metadata?.event_payload?.rec_id === recIds[0],
      8000,
    );
    await t.running.services.poller.stop();
    // The host never opened Home: the DM republishes nothing that would read recordings once more.
    await t.running.services.home.idle();
    expect(t.slack.calls('views.publish')).toHaveLength(0);
    const queries = recordingsQueries(t.emulator);
    await new Promise((r) => setTimeout(r, 1500));
    expect(recordingsQueries(t.emulator)).toBe(queries);
    expect(remuxRequests(t.emulator)).toBe(1);
    expect(recordingDms(t.slack, recIds[0])).toHaveLength(1);
  });
});
