/**
 * The recordings service without Bolt (./world.ts): the announcer's guarantees (one DM per recording to its host,
 * across two services on one store and across claims left by a crash; a refused DM given back with a backoff, an
 * ambiguous one kept for the history check; Slack's 429; hosts nobody maps to; startRemux once, asked again when
 * lost, given back when refused), "Try again", `/meet recordings`, deleting and sharing (who may, each refusal word
 * for word), and nothing secret in a DM or a log line. Fast enough for mutation testing (docs/mutation.md,
 * `recordings-unit` scope).
 */

import { hostname } from 'node:os';
import { jest } from '@jest/globals';
import { AppError } from '../../src/errors.js';
import {
  type RecordingsDeps,
  RecordingsPoller,
  RecordingsService,
} from '../../src/services/recordings/index.js';
import { SlackCallError, type SlackGateway } from '../../src/slack/gateway.js';
import { recordingDms, recordingsQueries } from '../recordings/setup.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const OTHER = { id: 'U0OTHER001', real_name: 'Olga Other', email: 'olga@example.com' };
const ADMIN = { id: 'U0ADMIN001', real_name: 'Ada Admin', email: 'ada@example.com', is_admin: true };
const ZOE = { id: 'U0ZOE00001', real_name: 'Zoe Host', email: 'zoe@example.com' };
const READY = 'megameeting_recording_ready';
const FAILED = 'megameeting_recording_failed';
const MIN = 60_000;
// The service's documented timings, written out (not imported) so that a changed constant fails here.
const HOUR = 60 * MIN;
/** A claim's default lifetime. */
const CLAIM_TTL = 5 * MIN;

let stub: SlackStub;
let w: ServiceWorld;
let now: number;
const clock = { now: () => new Date(now) };
const advance = (ms: number) => {
  now += ms;
};

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  for (const u of [OTHER, ADMIN, ZOE]) stub.addUser(u);
  now = Date.parse('2026-03-02T15:00:00Z');
  w = await startServiceWorld(stub, { clock });
  await link(HOST, w.hostLoginId);
});
afterEach(async () => {
  await w.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

async function link(slackUserId: string, loginId: string): Promise<void> {
  await w.db.store.upsertUserLink({
    teamId: T,
    slackUserId,
    loginId,
    email: null,
    source: 'admin',
    linkedBy: null,
    linkedAt: clock.now(),
  });
}

/** A meeting in the emulator owned by `loginId` and `count` recordings of it. */
function seed(
  count: number,
  opts: {
    loginId?: string;
    title?: string;
    remuxStatus?: 'waiting' | 'processing' | 'completed' | 'failed';
    createdAt?: string;
  } = {},
) {
  const loginId = opts.loginId ?? w.hostLoginId;
  const meeting = w.emu.state.addMeeting({ name: opts.title ?? 'Design sync', loginId });
  const recIds = w.emu.state.addRecordings(count, {
    meetId: meeting.meetId,
    ...(opts.remuxStatus ? { remuxStatus: opts.remuxStatus } : {}),
    createdAt: new Date(opts.createdAt ?? '2026-03-02T14:00:00Z'),
  });
  return { meetId: meeting.meetId, recIds, recId: recIds[0] as string };
}

/** A RecordingsService on the world's store and adapters, with its own name (another replica) and overrides. */
function service(overrides: Partial<RecordingsDeps> = {}): RecordingsService {
  const s = w.services;
  return new RecordingsService({
    store: s.store,
    megameeting: s.megameeting,
    slack: s.slack,
    identity: s.identity,
    logger: s.logger,
    clock,
    megameetingUrl: w.emu.url,
    autoRemux: true,
    ...overrides,
  });
}

/** DMs carrying the recording metadata (ready or failed) the stand-in accepted. */
const dms = (event = READY, recId?: string) => recordingDms(stub, recId, event);

/** Holds a recording in MegaMeeting at `status` (the emulator would otherwise finish processing on the next read). */
function hold(recId: string, status: 'waiting' | 'processing'): void {
  const node = w.emu.state.recordings.get(recId);
  if (!node) throw new Error(`no recording ${recId}`);
  node.remuxStatus = status;
  node.remuxRequestedAt = null;
}

const remuxRequests = () => w.emu.state.requests().filter((r) => r.fields.includes('startRemux')).length;

/** The gateway, with postMessage answering `fail()`'s error instead while it returns one. */
function failingPosts(fail: () => Error | null): SlackGateway {
  const real = w.services.slack;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'postMessage') {
        return (...args: Parameters<SlackGateway['postMessage']>) => {
          const err = fail();
          return err ? Promise.reject(err) : target.postMessage(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The MegaMeeting client, with startRemux failing as a dropped connection would (no code of MegaMeeting's). */
function failingStartRemux(): typeof w.services.megameeting {
  return new Proxy(w.services.megameeting, {
    get: (target, prop) =>
      prop === 'startRemux'
        ? async () => {
            throw new Error('socket hang up');
          }
        : Reflect.get(target, prop, target).bind(target),
  });
}

/** The world's store, recording the name of every method a pass calls on it (internal calls not counted). */
function countingStore(): { store: typeof w.services.store; calls: string[] } {
  const calls: string[] = [];
  const real = w.services.store;
  const store = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}

/** A pass's report where nothing happened to `listed` recordings. */
const idle = (listed: number) => ({
  listed,
  added: 0,
  remuxRequested: 0,
  notifiedReady: 0,
  notifiedFailed: 0,
  recovered: 0,
  unmapped: 0,
  errors: 0,
});

describe('announcing a recording', () => {
  it('a ready recording: one DM to the host with its metadata, marked notified; later passes do nothing', async () => {
    const { recId, meetId } = seed(1, { remuxStatus: 'completed' });
    const rec = service();
    const first = await rec.processOnce();
    expect(first).toEqual({
      listed: 1,
      added: 1,
      remuxRequested: 0,
      notifiedReady: 1,
      notifiedFailed: 0,
      recovered: 0,
      unmapped: 0,
      errors: 0,
    });
    const sent = dms(READY, recId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args.channel).toBe(stub.dmChannelFor(HOST));
    expect(sent[0]?.args.metadata?.event_payload).toEqual({
      rec_id: recId,
      idempotency_key: expect.any(String),
    });
    expect(sent[0]?.args.text).toContain('Design sync');
    expect(sent[0]?.args.text).not.toContain('could not process');
    // A first claim: no history to search.
    expect(stub.calls('conversations.history')).toHaveLength(0);
    const stored = await w.db.store.getRecording(recId);
    expect(stored).toMatchObject({
      state: 'notified',
      meetId,
      teamId: T,
      hostSlackUserId: HOST,
      notifiedChannel: stub.dmChannelFor(HOST),
      notifiedTs: sent[0]?.response.ts,
      claimedBy: null,
    });
    expect(w.logs().find((l) => l.msg === 'sent the recording DM')).toMatchObject({
      recId,
      hostSlackUserId: HOST,
      kind: 'ready',
      recovered: false,
    });
    // Its host was known from the start: not looked up again; its claim was still ours when marked.
    expect(w.logs().filter((l) => l.msg === 'recording host is now mapped')).toEqual([]);
    expect(w.logs().filter((l) => String(l.msg).includes('claim was taken over'))).toEqual([]);
    for (let i = 0; i < 2; i++) {
      advance(MIN);
      expect(await rec.processOnce()).toMatchObject({ listed: 1, added: 0, notifiedReady: 0 });
    }
    expect(dms()).toHaveLength(1);
  });

  it('two services on one store (two replicas) passing at once: each recording is announced exactly once', async () => {
    const { recIds } = seed(10, { remuxStatus: 'completed' });
    const a = service({ instanceId: 'replica-a' });
    const b = service({ instanceId: 'replica-b' });
    const [ra, rb] = await Promise.all([a.processOnce(), b.processOnce()]);
    expect(ra.notifiedReady + rb.notifiedReady).toBe(10);
    for (const id of recIds) expect(dms(READY, id)).toHaveLength(1);
    // One service with a concurrency of 1 and another of 8 on more of them: the same.
    const more = seed(6, { remuxStatus: 'completed', title: 'Retro' });
    const c = service({ instanceId: 'replica-c', concurrency: 8 });
    const d = service({ instanceId: 'replica-d', concurrency: 1 });
    await Promise.all([c.processOnce(), d.processOnce(), c.processOnce()]);
    for (const id of more.recIds) expect(dms(READY, id)).toHaveLength(1);
  });

  it('one process passing twice at once (a slow pass and the next): one DM, each claim under its own name', async () => {
    const { recIds } = seed(4, { remuxStatus: 'completed' });
    const rec = service({ instanceId: 'one' });
    stub.setLatency('chat.postMessage', 30);
    await Promise.all([rec.processOnce(), rec.processOnce()]);
    stub.setLatency('chat.postMessage', 0);
    for (const id of recIds) expect(dms(READY, id)).toHaveLength(1);
  });

  it('the host is who created the meeting through the app, before whoever is linked to its login', async () => {
    const { recId, meetId } = seed(1, { remuxStatus: 'completed', title: 'Board review' });
    await w.db.store.insertMeeting({
      teamId: T,
      meetId,
      channelId: W.channelId,
      messageTs: null,
      cardDelivery: 'none',
      hostSlackUserId: ZOE.id,
      hostLoginId: w.hostLoginId,
      title: 'Board review (from Slack)',
      kind: 'scheduled',
      startAt: clock.now(),
      endAt: null,
      timeZone: 'UTC',
      status: 'ended',
      reminders: [],
      options: {},
    });
    await service().processOnce();
    const sent = dms(READY, recId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args.channel).toBe(stub.dmChannelFor(ZOE.id));
    expect(sent[0]?.args.text).toContain('Board review (from Slack)');
    expect(await w.db.store.getRecording(recId)).toMatchObject({ hostSlackUserId: ZOE.id, teamId: T });
  });

  it('a claim left by a crash: the DM found in the history is marked, not sent again; a missing one is sent', async () => {
    const { recIds } = seed(2, { remuxStatus: 'completed' });
    const [sentBefore, neverSent] = recIds as [string, string];
    for (const id of recIds) {
      await w.db.store.upsertSeenRecording(
        { recId: id, meetId: '0', accId: 'acc', alId: w.hostLoginId, teamId: T, hostSlackUserId: HOST },
        clock.now(),
      );
      expect(await w.db.store.claimRecording(id, 'crashed/1', clock.now(), CLAIM_TTL)).toBe(true);
    }
    const earlier = stub.addMessage(HOST, {
      text: 'Your recording is ready.',
      metadata: { event_type: READY, event_payload: { rec_id: sentBefore } },
    } as Parameters<SlackStub['addMessage']>[1]);
    // Another recording's DM and another event for this one do not count.
    stub.addMessage(HOST, {
      text: 'failed',
      metadata: { event_type: FAILED, event_payload: { rec_id: neverSent } },
    } as Parameters<SlackStub['addMessage']>[1]);
    const rec = service();
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 0, recovered: 0 });
    expect(dms()).toHaveLength(0); // the claims have not expired yet

    advance(CLAIM_TTL);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 1, recovered: 1, errors: 0 });
    expect(dms(READY, sentBefore)).toHaveLength(0);
    expect(dms(READY, neverSent)).toHaveLength(1);
    expect(await w.db.store.getRecording(sentBefore)).toMatchObject({
      state: 'notified',
      notifiedTs: earlier.ts,
    });
    expect(
      w.logs().filter((l) => l.msg === 'found the recording DM sent before a crash; marked it'),
    ).toHaveLength(1);
  });

  it('a DM Slack refused for sure: the claim is given back and retried after 5, then 10 minutes', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    const rec = service();
    stub.failNext('chat.postMessage', 'channel_not_found', { count: 2 });
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 0, errors: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'seen',
      claimedBy: null,
      lastError: 'dm_channel_not_found:1',
      nextAttemptAt: new Date(now + 5 * MIN),
    });
    expect(w.logs().find((l) => l.msg === 'recording DM failed; will try again later')).toMatchObject({
      recId,
      definite: true,
    });
    advance(5 * MIN - 1);
    expect(await rec.processOnce()).toMatchObject({ errors: 0, notifiedReady: 0 });
    advance(1);
    expect(await rec.processOnce()).toMatchObject({ errors: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      lastError: 'dm_channel_not_found:2',
      nextAttemptAt: new Date(now + 10 * MIN),
    });
    advance(10 * MIN);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 1, errors: 0 });
    expect(dms(READY, recId)).toHaveLength(1);
  });

  it('refused again and again: the wait doubles from 5 minutes and stops growing at 6 hours', async () => {
    const { recId, meetId } = seed(1, { remuxStatus: 'completed' });
    // Six refusals already behind it (as six earlier passes would have left it).
    await w.db.store.upsertSeenRecording(
      { recId, meetId, accId: 'acc', alId: w.hostLoginId, teamId: T, hostSlackUserId: HOST },
      clock.now(),
    );
    await w.db.store.updateRecording(recId, { lastError: 'dm_channel_not_found:6' }, clock.now());
    const rec = service();
    stub.failNext('chat.postMessage', 'channel_not_found', { count: 2 });
    expect(await rec.processOnce()).toMatchObject({ errors: 1 });
    // The seventh: 5 minutes · 2⁶ = 320 minutes, under the cap.
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      lastError: 'dm_channel_not_found:7',
      nextAttemptAt: new Date(now + 320 * MIN),
    });
    advance(320 * MIN);
    expect(await rec.processOnce()).toMatchObject({ errors: 1 });
    // The eighth would be 640 minutes: 6 hours instead.
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      lastError: 'dm_channel_not_found:8',
      nextAttemptAt: new Date(now + 6 * 60 * MIN),
    });
    advance(6 * 60 * MIN);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 1, errors: 0 });
  });

  it('a DM that may have reached Slack keeps the claim: the next claimer checks the history and sends once', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    let failures = 1;
    const ambiguous = () =>
      failures-- > 0 ? new SlackCallError('chat.postMessage', 'ETIMEDOUT', undefined, 'maybe') : null;
    const rec = service({ slack: failingPosts(ambiguous), claimTtlMs: 10 * MIN, instanceId: 'first' });
    expect(await rec.processOnce()).toMatchObject({ errors: 1 });
    const kept = await w.db.store.getRecording(recId);
    expect(kept).toMatchObject({
      state: 'seen',
      lastError: 'dm_ETIMEDOUT:1',
      claimedBy: 'first/1',
      claimExpiresAt: new Date(now + 10 * MIN),
    });
    expect(w.logs().find((l) => l.msg === 'recording DM failed; will try again later')).toMatchObject({
      definite: false,
    });
    // After the backoff, but before the claim expires: nobody else may send it.
    advance(5 * MIN);
    const other = service({ instanceId: 'other' });
    expect(await other.processOnce()).toMatchObject({ notifiedReady: 0, errors: 0 });
    expect(stub.calls('conversations.history')).toHaveLength(0);
    advance(5 * MIN);
    expect(await other.processOnce()).toMatchObject({ notifiedReady: 1 });
    expect(stub.calls('conversations.history')).toHaveLength(1);
    expect(dms(READY, recId)).toHaveLength(1);
  });

  it('an error that is not Slack’s keeps the claim too, counted as the first DM failure', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    let failures = 1;
    const rec = service({ slack: failingPosts(() => (failures-- > 0 ? new Error('socket hang up') : null)) });
    await rec.processOnce();
    // Kept for the default claim lifetime: nobody else sends before it expires.
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      lastError: 'dm_error:1',
      claimedBy: `${rec.instanceId}/1`,
      claimExpiresAt: new Date(now + CLAIM_TTL),
    });
  });

  it('Slack’s 429: each send waits as asked (the pause shared); after three waits the recording is left to a later pass', async () => {
    seed(2, { remuxStatus: 'completed' });
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    const rec = service({ sleep, concurrency: 1 });
    stub.rateLimitNext('chat.postMessage', 30, 1);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 2, errors: 0 });
    expect(slept).toEqual([30_000]);
    expect(w.logs().find((l) => l.msg === 'Slack rate limit: waiting as asked')).toMatchObject({
      method: 'chat.postMessage',
      retryAfterSeconds: 30,
    });

    const { recId } = seed(1, { remuxStatus: 'completed', title: 'Retro' });
    slept.length = 0;
    stub.rateLimitNext('chat.postMessage', 20, 4);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 0, errors: 1 });
    expect(slept).toEqual([20_000, 20_000, 20_000]);
    // Rate limited: no backoff of its own, the next pass tries again.
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      lastError: 'dm_ratelimited:1',
      nextAttemptAt: new Date(now),
      claimedBy: null,
    });
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 1 });
  });

  it('Slack’s 429 answered to two workers at once: one pause, shared; nothing is sent until it ends', async () => {
    seed(3, { remuxStatus: 'completed' });
    const slept: number[] = [];
    let endPause = () => {};
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        slept.push(ms);
        endPause = resolve;
      });
    const rec = service({ sleep, concurrency: 2 });
    // Slow answers: both workers' first sends are out before either 429 comes back.
    stub.setLatency('chat.postMessage', 100);
    stub.rateLimitNext('chat.postMessage', 30, 2);
    const pass = rec.processOnce();
    for (let i = 0; i < 400 && slept.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    // Long enough for the other worker's 429 and, were the pause not shared, its next sends.
    await new Promise((r) => setTimeout(r, 300));
    expect(slept).toEqual([30_000]);
    expect(stub.calls('chat.postMessage')).toHaveLength(2);
    endPause();
    expect(await pass).toMatchObject({ notifiedReady: 3, errors: 0 });
    stub.setLatency('chat.postMessage', 0);
    expect(slept).toEqual([30_000]);
    expect(dms()).toHaveLength(3);
  });

  it('a failed remux: one failure DM per attempt, with its attempt; processing again makes a new failure news', async () => {
    const { recId } = seed(1);
    const rec = service();
    expect(await rec.processOnce()).toMatchObject({ added: 1, remuxRequested: 1 });
    w.emu.state.failRecording(recId);
    expect(await rec.processOnce()).toMatchObject({ notifiedFailed: 1 });
    expect(await rec.processOnce()).toMatchObject({ notifiedFailed: 0 });
    const first = dms(FAILED, recId);
    expect(first).toHaveLength(1);
    expect(first[0]?.args.text).toMatch(/^MegaMeeting could not process your recording of Design sync/);
    expect(first[0]?.args.metadata?.event_payload).toMatchObject({ rec_id: recId, attempt: '1' });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'failed',
      lastError: 'remux_failed',
      notifiedTs: first[0]?.response.ts,
      claimedBy: null,
    });
  });

  it('processing restarted elsewhere (MegaMeeting lists it processing) makes a failed or new recording requested again', async () => {
    const { recIds } = seed(2, { remuxStatus: 'processing' });
    const [fresh, failedBefore] = recIds as [string, string];
    for (const id of recIds) hold(id, 'processing');
    const rec = service();
    await rec.processOnce();
    expect(await w.db.store.getRecording(fresh)).toMatchObject({ state: 'remux_requested', attempts: 0 });
    await w.db.store.updateRecording(failedBefore, { state: 'failed' }, clock.now());
    await rec.processOnce();
    expect(await w.db.store.getRecording(failedBefore)).toMatchObject({ state: 'remux_requested' });
    // A failure after that is news again.
    w.emu.state.failRecording(failedBefore);
    expect(await rec.processOnce()).toMatchObject({ notifiedFailed: 1 });
    expect(dms(FAILED, failedBefore)).toHaveLength(1);
    expect(remuxRequests()).toBe(0);
  });

  it('claims are held under a name of this process: its host, its pid and a random part, so two never share one', () => {
    const [a, b] = [service().instanceId, service().instanceId];
    expect(a.split(':')).toEqual([hostname(), String(process.pid), expect.stringMatching(/^[0-9a-f]{8}$/)]);
    expect(a).not.toBe(b);
  });

  it('recordings finished with cost one snapshot read; a known one waiting for its retry is not stored again', async () => {
    seed(1, { remuxStatus: 'completed' });
    await service().processOnce();
    const { store, calls } = countingStore();
    const rec = service({ store });
    expect(await rec.processOnce()).toEqual(idle(1));
    expect(calls).toEqual(['getRecordingStates']);
    // Another one, its DM refused: known and open, its retry 5 minutes away.
    seed(1, { remuxStatus: 'completed', title: 'Retro' });
    stub.failNext('chat.postMessage', 'channel_not_found');
    expect(await rec.processOnce()).toMatchObject({ added: 1, errors: 1 });
    calls.length = 0;
    expect(await rec.processOnce()).toEqual(idle(2));
    expect(calls).toEqual(['getRecordingStates', 'listOpenRecordings']);
  });

  it('the host’s DM is opened once a pass; a failed open is forgotten, so the next recording opens it again', async () => {
    seed(3, { remuxStatus: 'completed' });
    stub.failNext('conversations.open', 'user_not_found');
    expect(await service({ concurrency: 1 }).processOnce()).toMatchObject({ notifiedReady: 2, errors: 1 });
    expect(stub.calls('conversations.open')).toHaveLength(2);
  });

  it('a failure announced meanwhile by another pass: a pass working from an older snapshot sends no second DM', async () => {
    const { recId } = seed(1, { remuxStatus: 'failed' });
    const a = service({ instanceId: 'a' });
    const b = service({ instanceId: 'b' });
    // b has read its snapshot; at its leader check, just before announcing, a's whole pass runs.
    expect(await b.processOnce(async () => (await a.processOnce()).notifiedFailed === 1)).toMatchObject({
      notifiedFailed: 0,
      errors: 0,
    });
    expect(dms(FAILED, recId)).toHaveLength(1);
    expect(await w.db.store.getRecording(recId)).toMatchObject({ state: 'failed', claimedBy: null });

    // Failed again after "Try again" (attempt 1): b's snapshot says attempt 1 is news, but meanwhile a announced
    // it and the host pressed "Try again" once more (attempt 2).
    await a.retryRemux(T, HOST, recId);
    w.emu.state.failRecording(recId);
    const meanwhile = async () => {
      await a.processOnce();
      await a.retryRemux(T, HOST, recId);
      return true;
    };
    expect(await b.processOnce(meanwhile)).toMatchObject({ notifiedFailed: 0 });
    expect(dms(FAILED, recId).map((d) => d.args.metadata?.event_payload.attempt)).toEqual(['0', '1']);
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'remux_requested',
      attempts: 2,
      claimedBy: null,
    });
  });

  it('a failure DM left by a crash is matched by its attempt: an earlier attempt’s DM does not count', async () => {
    const { recIds } = seed(2, { remuxStatus: 'failed' });
    const [earlierOnly, sentBefore] = recIds as [string, string];
    for (const id of recIds) {
      await w.db.store.upsertSeenRecording(
        { recId: id, meetId: '0', accId: 'acc', alId: w.hostLoginId, teamId: T, hostSlackUserId: HOST },
        clock.now(),
      );
      await w.db.store.updateRecording(id, { state: 'remux_requested', attempts: 2 }, clock.now());
      expect(await w.db.store.claimRecording(id, 'crashed/1', clock.now(), CLAIM_TTL)).toBe(true);
    }
    const failedDm = (recId: string, attempt: string) =>
      stub.addMessage(HOST, {
        text: 'Processing failed.',
        metadata: { event_type: FAILED, event_payload: { rec_id: recId, attempt } },
      } as Parameters<SlackStub['addMessage']>[1]);
    failedDm(earlierOnly, '1');
    const found = failedDm(sentBefore, '2');
    stub.addMessage(HOST, { text: 'A message without metadata' });
    advance(CLAIM_TTL);
    expect(await service().processOnce()).toMatchObject({ notifiedFailed: 1, recovered: 1, errors: 0 });
    expect(dms(FAILED, earlierOnly).map((d) => d.args.metadata?.event_payload.attempt)).toEqual(['2']);
    expect(dms(FAILED, sentBefore)).toHaveLength(0);
    expect(await w.db.store.getRecording(sentBefore)).toMatchObject({
      state: 'failed',
      notifiedTs: found.ts,
    });
  });

  it('a failure announced, then MegaMeeting lists it completed (processed again in its UI): the ready DM goes out', async () => {
    const recId = await failedAndAnnounced();
    (w.emu.state.recordings.get(recId) as { remuxStatus: string }).remuxStatus = 'completed';
    expect(await service().processOnce()).toMatchObject({ notifiedReady: 1 });
    expect(dms(READY, recId)).toHaveLength(1);
  });

  it('one recording the store fails on: counted and logged, the others announced', async () => {
    const { recIds } = seed(3, { remuxStatus: 'completed' });
    const broken = recIds[1] as string;
    const store = new Proxy(w.services.store, {
      get(target, prop) {
        if (prop === 'upsertSeenRecording')
          return async (...args: Parameters<typeof target.upsertSeenRecording>) => {
            if (args[0].recId === broken) throw new Error('disk I/O error');
            return target.upsertSeenRecording(...args);
          };
        return Reflect.get(target, prop, target).bind(target);
      },
    });
    expect(await service({ store }).processOnce()).toMatchObject({ notifiedReady: 2, errors: 1 });
    expect(
      w.logs().find((l) => l.msg === 'recording could not be processed; the others go on'),
    ).toMatchObject({
      recId: broken,
      err: { message: 'disk I/O error' },
    });
  });

  it('a DM sent while another claimer took the recording over: not marked by us, and said so', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    const store = new Proxy(w.services.store, {
      get(target, prop) {
        if (prop === 'markRecordingNotified') return async () => false;
        return Reflect.get(target, prop, target).bind(target);
      },
    });
    await service({ store }).processOnce();
    expect(w.logs().find((l) => String(l.msg).includes('claim was taken over; not marking'))).toMatchObject({
      recId,
    });
  });

  it('App Home is told whose recording was announced', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    const told: unknown[] = [];
    await service({ changes: { notify: (c) => told.push(c) } }).processOnce();
    expect(told).toEqual([{ teamId: T, slackUserIds: [HOST], what: 'recording_ready' }]);
    w.emu.state.failRecording(seed(1, { title: 'Retro' }).recId);
    await service({ changes: { notify: (c) => told.push(c) } }).processOnce();
    expect(told[1]).toEqual({ teamId: T, slackUserIds: [HOST], what: 'recording_failed' });
    expect(dms(READY, recId)).toHaveLength(1);
  });
});

describe('hosts nobody maps to', () => {
  it('logged once, re-checked hourly, announced once linked; given up after 7 days', async () => {
    const zoe = w.emu.state.addLogin({ email: ZOE.email, roles: ['host'] });
    const { recId } = seed(1, { loginId: zoe.loginId, remuxStatus: 'completed' });
    const rec = service();
    expect(await rec.processOnce()).toMatchObject({ unmapped: 1, notifiedReady: 0 });
    expect(w.logs().filter((l) => String(l.msg).includes('no Slack user is linked'))).toHaveLength(1);
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'seen',
      lastError: 'unmapped',
      nextAttemptAt: new Date(now + HOUR),
    });
    advance(HOUR);
    expect(await rec.processOnce()).toMatchObject({ unmapped: 1 });
    const warned = w.logs().filter((l) => String(l.msg).includes('no Slack user is linked'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ recId, alId: zoe.loginId });
    expect(w.logs().filter((l) => l.msg === 'recording host still unmapped')).toEqual([
      expect.objectContaining({ recId, alId: zoe.loginId, level: 20 }),
    ]);

    await link(ZOE.id, zoe.loginId);
    advance(HOUR - 1);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 0 });
    advance(1);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 1 });
    expect(dms(READY, recId)[0]?.args.channel).toBe(stub.dmChannelFor(ZOE.id));
    expect(w.logs().filter((l) => l.msg === 'recording host is now mapped')).toEqual([
      expect.objectContaining({ recId, hostSlackUserId: ZOE.id }),
    ]);
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'notified',
      hostSlackUserId: ZOE.id,
      teamId: T,
      lastError: null,
    });
  });

  it('still unmapped after 7 days: skipped and never announced, even once linked', async () => {
    const zoe = w.emu.state.addLogin({ email: ZOE.email, roles: ['host'] });
    const { recId } = seed(1, { loginId: zoe.loginId, remuxStatus: 'completed' });
    const rec = service();
    await rec.processOnce();
    advance(7 * 24 * HOUR);
    expect(await rec.processOnce()).toMatchObject({ unmapped: 1 });
    expect((await w.db.store.getRecording(recId))?.state).toBe('seen');
    advance(HOUR);
    expect(await rec.processOnce()).toMatchObject({ unmapped: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'skipped',
      lastError: 'unmapped',
      nextAttemptAt: null,
    });
    expect(w.logs().find((l) => String(l.msg).includes('still unmapped after 7 days'))).toMatchObject({
      recId,
      alId: zoe.loginId,
    });
    await link(ZOE.id, zoe.loginId);
    advance(HOUR);
    expect(await rec.processOnce()).toMatchObject({ notifiedReady: 0, unmapped: 0 });
    expect(dms()).toHaveLength(0);
    // Not even looked at again: its host stays unknown.
    expect(w.logs().filter((l) => l.msg === 'recording host is now mapped')).toEqual([]);
    expect((await w.db.store.getRecording(recId))?.hostSlackUserId).toBeNull();
  });
});

describe('requesting processing (startRemux)', () => {
  it('a new waiting recording: requested once; with AUTO_REMUX off, never', async () => {
    const { recId } = seed(1);
    const off = service({ autoRemux: false });
    expect(await off.processOnce()).toMatchObject({ added: 1, remuxRequested: 0 });
    expect(remuxRequests()).toBe(0);
    const rec = service();
    expect(await rec.processOnce()).toMatchObject({ added: 0, remuxRequested: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({ state: 'remux_requested', attempts: 1 });
    expect(w.logs().find((l) => l.msg === 'requested processing of a new recording')).toMatchObject({
      recId,
    });
    hold(recId, 'waiting');
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 0 });
    expect(remuxRequests()).toBe(1);
  });

  it('refused by MegaMeeting: given back with its attempt counted and a 5-minute backoff', async () => {
    const { recId } = seed(1);
    const rec = service();
    // The listing read first (as multi-workspace mode hands it over), then MegaMeeting fails the request.
    const listing = await w.services.megameeting.recordings();
    w.emu.state.injectFaults('error500', 1);
    expect(await rec.processOnce(undefined, listing)).toMatchObject({ errors: 1, remuxRequested: 0 });
    expect(w.logs().find((l) => l.msg === 'startRemux failed; will try again later')).toMatchObject({
      recId,
      attempts: 1,
    });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'seen',
      attempts: 1,
      lastError: 'remux_unavailable',
      nextAttemptAt: new Date(now + 5 * MIN),
    });
    // A failure that carries no code of MegaMeeting's (the connection, say): the second attempt, 10 minutes.
    advance(5 * MIN);
    const broken = failingStartRemux();
    expect(await service({ megameeting: broken }).processOnce()).toMatchObject({ errors: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'seen',
      attempts: 2,
      lastError: 'remux_error',
      nextAttemptAt: new Date(now + 10 * MIN),
    });
    advance(10 * MIN);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 1 });
    expect(await w.db.store.getRecording(recId)).toMatchObject({ state: 'remux_requested', attempts: 3 });
  });

  it('a failure already announced is asked again only by its host’s “Try again”, however long it waits', async () => {
    const recId = await failedAndAnnounced();
    hold(recId, 'waiting');
    advance(HOUR);
    expect(await service().processOnce()).toMatchObject({ remuxRequested: 0 });
    expect(remuxRequests()).toBe(0);
    expect((await w.db.store.getRecording(recId))?.state).toBe('failed');
  });

  it('an hour counts from the request: passes that saw it processing meanwhile do not restart the wait', async () => {
    const { recId } = seed(1);
    const rec = service();
    await rec.processOnce();
    hold(recId, 'processing');
    advance(30 * MIN);
    await rec.processOnce();
    hold(recId, 'waiting');
    advance(30 * MIN);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 1 });
  });

  it('a pass working from an older snapshot loses the claim to the request already made: no second startRemux', async () => {
    const { recId } = seed(1);
    await service({ autoRemux: false }).processOnce();
    const store = w.services.store;
    const [states, open] = [await store.getRecordingStates(), await store.listOpenRecordings()];
    await service().processOnce();
    hold(recId, 'waiting');
    const stale = new Proxy(store, {
      get(target, prop) {
        if (prop === 'getRecordingStates') return async () => states;
        if (prop === 'listOpenRecordings') return async () => open;
        return Reflect.get(target, prop, target).bind(target);
      },
    });
    expect(await service({ store: stale }).processOnce()).toMatchObject({ remuxRequested: 0, errors: 0 });
    expect(remuxRequests()).toBe(1);
    expect(w.logs().find((l) => l.msg === 'processing already requested by another pass')).toMatchObject({
      recId,
    });
  });

  it('still waiting an hour after the request: asked again, three requests at most', async () => {
    const { recId } = seed(1);
    const rec = service();
    await rec.processOnce();
    hold(recId, 'waiting');
    advance(HOUR - 1);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 0 });
    advance(1);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 1 });
    hold(recId, 'waiting');
    expect(w.logs().find((l) => l.msg === 'still waiting after startRemux; asking again')).toMatchObject({
      recId,
      attempts: 1,
    });
    advance(HOUR);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 1 });
    hold(recId, 'waiting');
    advance(HOUR);
    expect(await rec.processOnce()).toMatchObject({ remuxRequested: 0 });
    expect(remuxRequests()).toBe(3);
    expect(await w.db.store.getRecording(recId)).toMatchObject({ attempts: 3 });
  });
});

/** A recording announced as failed to the host: its id. */
async function failedAndAnnounced(title = 'Design sync'): Promise<string> {
  const { recId } = seed(1, { remuxStatus: 'failed', title });
  await service().processOnce();
  expect(dms(FAILED, recId)).toHaveLength(1);
  return recId;
}

describe('"Try again" on a failed recording', () => {
  it('the host: processing requested once, the DM turns into "requested again"; a second press is refused', async () => {
    const recId = await failedAndAnnounced();
    const rec = service();
    const message = await rec.retryRemux(T, HOST, recId);
    expect(message.text).toBe('Processing of your recording of Design sync was requested again.');
    expect(remuxRequests()).toBe(1);
    expect(await w.db.store.getRecording(recId)).toMatchObject({ state: 'remux_requested', attempts: 1 });
    expect(w.logs().find((l) => l.msg === 'processing requested again by the host')).toMatchObject({
      recId,
      userId: HOST,
    });
    const again = await refusal(rec.retryRemux(T, HOST, recId));
    expect(again.message).toBe(
      "Processing of this recording was already requested again. I'll DM you when it's ready.",
    );
    expect(remuxRequests()).toBe(1);
  });

  it('two presses at once: one startRemux, the other told it was already requested', async () => {
    const recId = await failedAndAnnounced();
    const results = await Promise.allSettled([
      service().retryRemux(T, HOST, recId),
      service().retryRemux(T, HOST, recId),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('invalid_input');
    expect(remuxRequests()).toBe(1);
  });

  it('refused for anyone but the host (another user, the host in another workspace) and for a recording not failed', async () => {
    const recId = await failedAndAnnounced();
    const rec = service();
    for (const [team, user] of [
      [T, OTHER.id],
      ['T0ELSEWHERE', HOST],
    ] as const) {
      const err = await refusal(rec.retryRemux(team, user, recId));
      expect(err.code).toBe('not_allowed');
      expect(err.message).toBe('Only the host of this recording can request its processing again.');
    }
    const unknown = await refusal(rec.retryRemux(T, HOST, 'no-such-recording'));
    expect([unknown.code, unknown.message]).toEqual(['not_found', "I don't know that recording."]);
    const { recId: ready } = seed(1, { remuxStatus: 'completed', title: 'Retro' });
    await rec.processOnce();
    const notFailed = await refusal(rec.retryRemux(T, HOST, ready));
    expect([notFailed.code, notFailed.message]).toEqual([
      'invalid_input',
      'This recording is not in a failed state, so there is nothing to try again.',
    ]);
    expect(remuxRequests()).toBe(0);
  });

  it('MegaMeeting no longer has it, or refuses: the claim is given back so the host can press again', async () => {
    const recId = await failedAndAnnounced();
    const rec = service();
    w.emu.state.recordings.delete(recId);
    const gone = await refusal(rec.retryRemux(T, HOST, recId));
    expect([gone.code, gone.message]).toEqual(['not_found', 'MegaMeeting no longer has this recording.']);
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'remux_not_found',
      nextAttemptAt: null,
    });
    // Pressed again: claimable again (and refused again for the same reason, not as "already requested").
    expect((await refusal(rec.retryRemux(T, HOST, recId))).code).toBe('not_found');

    // A failure with no code of MegaMeeting's (the connection, say): the same, recorded as remux_error.
    const other = await failedAndAnnounced('Retro');
    const broken = failingStartRemux();
    await expect(service({ megameeting: broken }).retryRemux(T, HOST, other)).rejects.toThrow(
      'socket hang up',
    );
    expect(await w.db.store.getRecording(other)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'remux_error',
    });
  });
});

describe('/meet recordings', () => {
  it('the user’s recordings newest first with their state; failed ones retryable by their host only', async () => {
    const at = (h: number) => `2026-03-01T${h}:00:00Z`;
    const ready = seed(1, { remuxStatus: 'completed', title: 'Ready one', createdAt: at(10) });
    const failed = seed(1, { remuxStatus: 'failed', title: 'Failed one', createdAt: at(12) });
    const waiting = seed(1, { title: 'Waiting one', createdAt: '2026-03-01T09:00:00Z' });
    const processing = seed(1, { remuxStatus: 'processing', title: 'Processing one', createdAt: at(11) });
    hold(processing.recId, 'processing');
    const zoe = w.emu.state.addLogin({ email: ZOE.email, roles: ['host'] });
    seed(1, { loginId: zoe.loginId, remuxStatus: 'completed', title: 'Not mine' });
    const rec = service({ autoRemux: false });
    await rec.processOnce();
    const { items, total } = await rec.recent(T, HOST, 20);
    expect(total).toBe(4);
    expect(items.map((i) => [i.recId, i.status, i.canRetry])).toEqual([
      [failed.recId, 'failed', true],
      [processing.recId, 'processing', false],
      [ready.recId, 'ready', false],
      [waiting.recId, 'waiting', false],
    ]);
    expect(items.map((i) => i.title)).toEqual(['Failed one', 'Processing one', 'Ready one', 'Waiting one']);
    // Requested by us and still listed as waiting: processing, as far as the user is concerned.
    await w.db.store.updateRecording(waiting.recId, { state: 'remux_requested' }, clock.now());
    expect((await rec.recent(T, HOST, 20)).items[3]?.status).toBe('processing');
    expect((await rec.recent(T, HOST, 2)).items).toHaveLength(2);
    const message = await rec.listForUser(T, HOST);
    expect(message.text).toBe('You have 4 recording(s), 1 ready.');
  });

  it('a meeting made in Slack by someone else on my login: listed for both, retryable by its Slack host only', async () => {
    const zoe = w.emu.state.addLogin({ email: ZOE.email, roles: ['host'] });
    await link(ZOE.id, zoe.loginId);
    // Two recordings on the default user's login, of a meeting Zoe created through the app.
    const { recIds, meetId } = seed(2, { remuxStatus: 'failed', title: 'Board review' });
    const [failed, requested] = recIds as [string, string];
    hold(requested, 'waiting');
    await w.db.store.insertMeeting({
      teamId: T,
      meetId,
      channelId: W.channelId,
      messageTs: null,
      cardDelivery: 'none',
      hostSlackUserId: ZOE.id,
      hostLoginId: w.hostLoginId,
      title: 'Board review',
      kind: 'scheduled',
      startAt: clock.now(),
      endAt: null,
      timeZone: 'UTC',
      status: 'ended',
      reminders: [],
      options: {},
    });
    const rec = service();
    const listed = async (user: string) =>
      Object.fromEntries((await rec.recent(T, user, 20)).items.map((i) => [i.recId, [i.status, i.canRetry]]));
    // Before the poller has seen them: failed, but nothing to try again until the failure is recorded.
    expect(await listed(HOST)).toEqual({ [failed]: ['failed', false], [requested]: ['waiting', false] });
    expect(await listed(ZOE.id)).toEqual({});
    await rec.processOnce();
    hold(requested, 'waiting');
    expect(dms(FAILED, failed)[0]?.args.channel).toBe(stub.dmChannelFor(ZOE.id));
    expect(await listed(ZOE.id)).toEqual({ [failed]: ['failed', true], [requested]: ['processing', false] });
    expect(await listed(HOST)).toEqual({ [failed]: ['failed', false], [requested]: ['processing', false] });
  });

  it('a status MegaMeeting does not document: listed as unknown, and the poller leaves it alone', async () => {
    const { recId } = seed(1, { title: 'Odd one' });
    const node = w.emu.state.recordings.get(recId) as { remuxStatus: string };
    node.remuxStatus = 'archived';
    const rec = service();
    expect(await rec.processOnce()).toMatchObject({
      added: 1,
      remuxRequested: 0,
      notifiedReady: 0,
      errors: 0,
    });
    expect((await rec.recent(T, HOST, 20)).items.map((i) => i.status)).toEqual(['unknown']);
  });

  it('exactly 20: all of them, and no note', async () => {
    seed(20, { remuxStatus: 'completed' });
    const message = await service().listForUser(T, HOST);
    expect(message.text).toBe('You have 20 recording(s), 20 ready.');
  });

  it('more than 20: the 20 most recent, and the text says so', async () => {
    seed(21, { remuxStatus: 'completed' });
    const message = await service().listForUser(T, HOST);
    expect(message.text).toBe('You have 20 recording(s), 20 ready. Showing the 20 most recent.');
  });
});

/** A completed recording announced to the host: its id, meeting and ready DM. */
async function announced(title = 'Design sync') {
  const { recId, meetId } = seed(1, { remuxStatus: 'completed', title });
  await service().processOnce();
  const dm = dms(READY, recId)[0];
  if (!dm) throw new Error('no ready DM');
  return { recId, meetId, dm: { channel: String(dm.response.channel), ts: String(dm.response.ts) } };
}

const deletes = () => w.emu.state.requests().filter((r) => r.fields.includes('deleteRecording')).length;
const NOT_ALLOWED_DELETE = 'Only the host of this recording or an admin can delete it.';

describe('deleting a recording', () => {
  it('by the host from the DM: deleted in MegaMeeting, marked deleted, the DM says who; App Home told', async () => {
    const { recId, meetId, dm } = await announced();
    const listedBefore = await w.services.megameeting.recordings();
    const told: unknown[] = [];
    const rec = service({ changes: { notify: (c) => told.push(c) } });
    const outcome = await rec.deleteRecording({ teamId: T, userId: HOST }, recId, dm);
    expect(outcome).toEqual({ title: 'Design sync', alreadyGone: false, updated: [dm] });
    expect(w.emu.state.recordings.has(recId)).toBe(false);
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'deleted',
      meetId,
      hostSlackUserId: HOST,
    });
    const update = stub.calls('chat.update').at(-1);
    expect(update?.args).toMatchObject({ channel: dm.channel, ts: dm.ts });
    expect(update?.args.text).toBe('The recording of Design sync was deleted.');
    expect(JSON.stringify(update?.args.blocks)).toContain(`<@${HOST}> deleted it`);
    expect(told).toEqual([{ teamId: T, slackUserIds: [HOST], what: 'recording_deleted' }]);
    expect(w.logs().find((l) => l.msg === 'recording deleted')).toMatchObject({
      recId,
      userId: HOST,
      alreadyGone: false,
    });
    // Never announced again, nor even looked at, from a listing read before the delete either.
    advance(MIN);
    const { store, calls } = countingStore();
    expect(await service({ store }).processOnce(undefined, listedBefore)).toEqual(idle(1));
    expect(calls).toEqual(['getRecordingStates']);
    expect(dms(READY, recId)).toHaveLength(1);
  });

  it('by an admin from another message: both that message and the host’s DM say deleted; both told', async () => {
    const { recId, dm } = await announced();
    const list = stub.addMessage(W.channelId, { text: 'Your recent recordings', user: W.botUserId });
    const pressedIn = { channel: W.channelId, ts: list.ts };
    const told: Array<{ slackUserIds: string[] }> = [];
    const rec = service({ changes: { notify: (c) => told.push(c) } });
    const outcome = await rec.deleteRecording({ teamId: T, userId: ADMIN.id }, recId, pressedIn);
    expect(outcome.updated).toEqual([dm, pressedIn]);
    expect(told[0]?.slackUserIds).toEqual([ADMIN.id, HOST]);
    expect(JSON.stringify(stub.calls('chat.update')[0]?.args.blocks)).toContain(`<@${ADMIN.id}> deleted it`);
  });

  it('refused for anyone else, whatever they send: nothing deleted, nothing changed', async () => {
    const { recId, dm } = await announced();
    const rec = service();
    for (const actor of [
      { teamId: T, userId: OTHER.id },
      { teamId: 'T0ELSEWHERE', userId: HOST },
    ]) {
      const err = await refusal(rec.deleteRecording(actor, recId, dm));
      expect([err.code, err.message]).toEqual(['not_allowed', NOT_ALLOWED_DELETE]);
    }
    expect(deletes()).toBe(0);
    expect(stub.calls('chat.update')).toHaveLength(0);
    expect((await w.db.store.getRecording(recId))?.state).toBe('notified');
  });

  it('a recording the store does not know yet: its host by the login link may, anyone else may not', async () => {
    const { recId } = seed(1, { remuxStatus: 'completed' });
    const rec = service();
    const err = await refusal(rec.deleteRecording({ teamId: T, userId: OTHER.id }, recId, null));
    expect([err.code, err.message]).toEqual(['not_allowed', NOT_ALLOWED_DELETE]);
    expect(deletes()).toBe(0);
    const outcome = await rec.deleteRecording({ teamId: T, userId: HOST }, recId, null);
    expect(outcome).toEqual({ title: 'Design sync', alreadyGone: false, updated: [] });
    expect(await w.db.store.getRecording(recId)).toMatchObject({
      state: 'deleted',
      hostSlackUserId: HOST,
      teamId: T,
    });
    // It had no DM to update, and none was tried.
    expect(w.logs().filter((l) => l.msg === 'could not mark the recording DM deleted')).toEqual([]);
  });

  it('a recording whose host nobody maps: an admin may delete it from the list it was pressed in, nobody else', async () => {
    const zoe = w.emu.state.addLogin({ email: ZOE.email, roles: ['host'] });
    const { recId } = seed(1, { loginId: zoe.loginId, remuxStatus: 'completed' });
    const list = stub.addMessage(W.channelId, { text: 'Recordings', user: W.botUserId });
    const pressedIn = { channel: W.channelId, ts: list.ts };
    const rec = service();
    for (const userId of [OTHER.id, HOST]) {
      const err = await refusal(rec.deleteRecording({ teamId: T, userId }, recId, pressedIn));
      expect([err.code, err.message]).toEqual(['not_allowed', NOT_ALLOWED_DELETE]);
    }
    const outcome = await rec.deleteRecording({ teamId: T, userId: ADMIN.id }, recId, pressedIn);
    expect(outcome).toEqual({ title: 'Design sync', alreadyGone: false, updated: [pressedIn] });
    expect(await w.db.store.getRecording(recId)).toMatchObject({ state: 'deleted', hostSlackUserId: null });
  });

  it('MegaMeeting no longer has it: marked deleted all the same, the DM says so', async () => {
    const { recId, meetId, dm } = await announced();
    w.emu.state.recordings.delete(recId);
    const outcome = await service().deleteRecording({ teamId: T, userId: HOST }, recId, null);
    expect(outcome).toEqual({ title: `Meeting ${meetId}`, alreadyGone: true, updated: [dm] });
    expect(JSON.stringify(stub.calls('chat.update')[0]?.args.blocks)).toContain(
      'MegaMeeting no longer has it (it was deleted there)',
    );
    expect((await w.db.store.getRecording(recId))?.state).toBe('deleted');
    const unknown = await refusal(service().deleteRecording({ teamId: T, userId: HOST }, 'nope', null));
    expect([unknown.code, unknown.message]).toEqual([
      'not_found',
      "MegaMeeting doesn't have that recording (it may have been deleted already).",
    ]);
  });

  it('MegaMeeting lost it between its listing and the delete (not_found): marked deleted all the same', async () => {
    const { recId, dm } = await announced();
    const real = w.services.megameeting;
    const listing = await real.recordings();
    w.emu.state.recordings.delete(recId);
    const stale = {
      recordings: async () => listing,
      deleteRecording: (input: Parameters<typeof real.deleteRecording>[0]) => real.deleteRecording(input),
    } as unknown as typeof real; // the two calls deleteRecording makes
    const outcome = await service({ megameeting: stale }).deleteRecording(
      { teamId: T, userId: HOST },
      recId,
      null,
    );
    expect(outcome).toEqual({ title: 'Design sync', alreadyGone: true, updated: [dm] });
    expect((await w.db.store.getRecording(recId))?.state).toBe('deleted');
    expect(JSON.stringify(stub.calls('chat.update')[0]?.args.blocks)).toContain(
      'MegaMeeting no longer has it (it was deleted there)',
    );
    expect(
      w.logs().find((l) => l.msg === 'recording marked deleted (MegaMeeting no longer had it)'),
    ).toMatchObject({ recId, alreadyGone: true });
  });

  it('MegaMeeting failing the delete itself (not a not_found): nothing marked, the error reaches the user', async () => {
    const { recId } = await announced();
    const real = w.services.megameeting;
    const listing = await real.recordings();
    const failing = {
      recordings: async () => listing,
      deleteRecording: (input: Parameters<typeof real.deleteRecording>[0]) => {
        w.emu.state.injectFaults('error500', 5);
        return real.deleteRecording(input);
      },
    } as unknown as typeof real; // the two calls deleteRecording makes
    await expect(
      service({ megameeting: failing }).deleteRecording({ teamId: T, userId: HOST }, recId, null),
    ).rejects.toMatchObject({ code: 'unavailable' });
    w.emu.state.clearFaults();
    expect((await w.db.store.getRecording(recId))?.state).toBe('notified');
    expect(w.emu.state.recordings.has(recId)).toBe(true);
  });

  it('pressed in another message of the host’s DM (the recordings list): that message and the DM both say deleted', async () => {
    const { recId, dm } = await announced();
    const list = stub.addMessage(HOST, { text: 'Your recent recordings', user: W.botUserId });
    const pressedIn = { channel: dm.channel, ts: list.ts };
    const outcome = await service().deleteRecording({ teamId: T, userId: HOST }, recId, pressedIn);
    expect(outcome.updated).toEqual([dm, pressedIn]);
    expect(stub.calls('chat.update').map((c) => c.args.ts)).toEqual([dm.ts, list.ts]);
  });

  it('MegaMeeting failing: nothing marked, the DM untouched; a DM that cannot be updated does not undo the delete', async () => {
    const { recId, dm } = await announced();
    const rec = service();
    const listing = await w.services.megameeting.recordings();
    const failing = { ...w.services.megameeting, recordings: async () => listing };
    failing.deleteRecording = async () => {
      throw new Error('MegaMeeting is down');
    };
    await expect(
      service({ megameeting: failing as typeof w.services.megameeting }).deleteRecording(
        { teamId: T, userId: HOST },
        recId,
        dm,
      ),
    ).rejects.toThrow('MegaMeeting is down');
    expect((await w.db.store.getRecording(recId))?.state).toBe('notified');
    expect(stub.calls('chat.update')).toHaveLength(0);

    stub.failNext('chat.update', 'message_not_found');
    const outcome = await rec.deleteRecording({ teamId: T, userId: HOST }, recId, null);
    expect(outcome.updated).toEqual([]);
    expect((await w.db.store.getRecording(recId))?.state).toBe('deleted');
    expect(w.logs().find((l) => l.msg === 'could not mark the recording DM deleted')).toMatchObject({
      recId,
      channel: dm.channel,
    });
  });
});

const SHARE_CHANNEL = 'C0SHARE001';

describe('sharing a recording', () => {
  it('the host: the modal opens; the card goes to the channel with Play and who shared it', async () => {
    const { recId, meetId } = await announced();
    stub.addChannel({ id: SHARE_CHANNEL, name: 'share' });
    const rec = service();
    await rec.openShareModal(stub.issueTriggerId(), { teamId: T, userId: HOST }, recId);
    expect(JSON.stringify(stub.views().at(-1))).toContain(recId);
    const shared = await rec.share({ teamId: T, userId: HOST }, recId, SHARE_CHANNEL);
    expect(shared).toMatchObject({ title: 'Design sync', channel: SHARE_CHANNEL });
    const card = stub.calls('chat.postMessage').at(-1);
    const node = w.emu.state.snapshot().recordings.find((r) => r.recId === recId);
    expect(JSON.stringify(card?.args.blocks)).toContain(
      `${w.emu.url}/videoplayer/?key=${meetId}&session=${node?.session}`,
    );
    expect(JSON.stringify(card?.args.blocks)).toContain(`<@${HOST}>`);
    expect(w.logs().find((l) => l.msg === 'recording shared to a channel')).toMatchObject({
      recId,
      userId: HOST,
      channel: SHARE_CHANNEL,
    });
  });

  it('refused for anyone else before the modal opens and at submission; an admin may', async () => {
    const { recId } = await announced();
    const rec = service();
    const other = { teamId: T, userId: OTHER.id };
    const before = await refusal(rec.openShareModal(stub.issueTriggerId(), other, recId));
    expect([before.code, before.message]).toEqual([
      'not_allowed',
      'Only the host of this recording or an admin can share it.',
    ]);
    expect(stub.calls('views.open')).toHaveLength(0);
    const after = await refusal(rec.share(other, recId, W.channelId));
    expect(after.message).toBe('Only the host of this recording or an admin can share it.');
    await rec.openShareModal(stub.issueTriggerId(), { teamId: T, userId: ADMIN.id }, recId);
    expect(stub.calls('views.open')).toHaveLength(1);
    await rec.share({ teamId: T, userId: ADMIN.id }, recId, W.channelId);
    expect(stub.calls('chat.postMessage').at(-1)?.args.channel).toBe(W.channelId);
  });

  it('the modal names a meeting made through the app; one the store does not know yet opens for anyone, checked at submission', async () => {
    const { recId, meetId } = await announced();
    await w.db.store.insertMeeting({
      teamId: T,
      meetId,
      channelId: W.channelId,
      messageTs: null,
      cardDelivery: 'none',
      hostSlackUserId: HOST,
      hostLoginId: w.hostLoginId,
      title: 'Board review',
      kind: 'scheduled',
      startAt: clock.now(),
      endAt: null,
      timeZone: 'UTC',
      status: 'ended',
      reminders: [],
      options: {},
    });
    const rec = service();
    await rec.openShareModal(stub.issueTriggerId(), { teamId: T, userId: HOST }, recId);
    expect(JSON.stringify(stub.views().at(-1))).toContain('Post *Board review* to a channel.');

    const { recId: unknown } = seed(1, { remuxStatus: 'completed', title: 'Retro' });
    const other = { teamId: T, userId: OTHER.id };
    await rec.openShareModal(stub.issueTriggerId(), other, unknown);
    expect(stub.calls('views.open')).toHaveLength(2);
    expect(JSON.stringify(stub.views().at(-1))).toContain('Post this recording to a channel.');
    const refused = await refusal(rec.share(other, unknown, W.channelId));
    expect(refused.code).toBe('not_allowed');
  });

  it("a MegaMeeting admin's rights that are slow to confirm are refused before the trigger expires", async () => {
    const { recId } = await announced();
    // Two MegaMeeting admins (not Slack admins): each login is read once and cached, so the slow answer given
    // late for the first must not serve the second.
    const [slow, fast] = [
      { id: 'U0MMADMIN1', real_name: 'Mia Admin', email: 'mia@example.com' },
      { id: 'U0MMADMIN2', real_name: 'Max Admin', email: 'max@example.com' },
    ];
    for (const u of [slow, fast]) {
      stub.addUser(u);
      await link(u.id, w.emu.state.addLogin({ email: u.email, roles: ['admin'] }).loginId);
    }
    const rec = service();
    // Longer than the wait before the modal (1.2 s): without that bound the answer would come and open it.
    w.emu.state.setLatency(2000);
    const err = await refusal(
      rec.openShareModal(stub.issueTriggerId(), { teamId: T, userId: slow.id }, recId),
    );
    w.emu.state.setLatency(0);
    expect([err.code, err.userMessage]).toEqual([
      'megameeting_unavailable',
      'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
    ]);
    expect(stub.calls('views.open')).toHaveLength(0);
    // Answered in time: a MegaMeeting admin may share.
    await rec.openShareModal(stub.issueTriggerId(), { teamId: T, userId: fast.id }, recId);
    expect(stub.calls('views.open')).toHaveLength(1);
  });

  it('a channel the bot cannot post in: the reason and what to do; a recording not processed yet or gone', async () => {
    const { recId } = await announced();
    const rec = service();
    const cases: Array<[string, string]> = [
      ['not_in_channel', `I'm not in <#${SHARE_CHANNEL}>, so I can't post there.`],
      ['channel_not_found', `I can't see <#${SHARE_CHANNEL}>: it's private`],
      [
        'is_archived',
        `<#${SHARE_CHANNEL}> is archived, so nothing can be posted there. Pick another channel.`,
      ],
      [
        'restricted_action',
        `Slack doesn't let me post in <#${SHARE_CHANNEL}> (the channel's posting permissions).`,
      ],
      ['restricted_action_read_only_channel', "Slack doesn't let me post in"],
      ['restricted_action_thread_only_channel', "Slack doesn't let me post in"],
      ['restricted_action_non_threadable_channel', "Slack doesn't let me post in"],
    ];
    for (const [code, reason] of cases) {
      stub.failNext('chat.postMessage', code);
      const err = await refusal(rec.share({ teamId: T, userId: HOST }, recId, SHARE_CHANNEL));
      expect(err.code).toBe('slack_failed');
      expect(err.message.startsWith(reason)).toBe(true);
      expect(err.cause).toMatchObject({ code });
    }
    stub.failNext('chat.postMessage', 'msg_too_long');
    await expect(rec.share({ teamId: T, userId: HOST }, recId, SHARE_CHANNEL)).rejects.toMatchObject({
      code: 'msg_too_long',
    });

    const { recId: waiting } = seed(1, { title: 'Retro' });
    hold(waiting, 'waiting');
    const notYet = await refusal(rec.share({ teamId: T, userId: HOST }, waiting, SHARE_CHANNEL));
    expect([notYet.code, notYet.message]).toEqual([
      'invalid_input',
      "MegaMeeting hasn't finished processing this recording, so it can't be played yet. Share it once it's ready.",
    ]);
    w.emu.state.recordings.delete(recId);
    const gone = await refusal(rec.share({ teamId: T, userId: HOST }, recId, SHARE_CHANNEL));
    expect([gone.code, gone.message]).toEqual([
      'not_found',
      'MegaMeeting no longer has this recording, so there is nothing to share.',
    ]);
  });
});

describe('the poller', () => {
  const poller = (rec: RecordingsService, intervalSeconds = 60, store = w.services.store) =>
    new RecordingsPoller({ recordings: rec, store, logger: w.services.logger, clock, intervalSeconds });

  it('one replica at a time: the other skips while the lease lives (2.5 intervals) and takes over after', async () => {
    const { recIds } = seed(3, { remuxStatus: 'completed' });
    const a = poller(service({ instanceId: 'a' }));
    const b = poller(service({ instanceId: 'b' }));
    expect(a.leaseTtlMs).toBe(150_000);
    expect((await a.tick()).status).toBe('ok');
    expect(await w.db.store.getLease('recordings-poller')).toMatchObject({
      holder: 'a',
      expiresAt: new Date(now + 150_000),
    });
    expect((await b.tick()).status).toBe('not_leader');
    advance(150_000 - 1);
    expect((await b.tick()).status).toBe('not_leader');
    advance(1);
    expect((await b.tick()).status).toBe('ok');
    expect((await a.tick()).status).toBe('not_leader');
    for (const id of recIds) expect(dms(READY, id)).toHaveLength(1);
    await b.stop();
    expect(await w.db.store.getLease('recordings-poller')).toBeNull();
    expect((await a.tick()).status).toBe('ok');
    expect((await b.tick()).status).toBe('stopped');
    // A short interval keeps a lease of at least 5 s.
    expect(poller(service(), 1).leaseTtlMs).toBe(5000);
    expect(poller(service(), 0).intervalMs).toBe(1000);
  });

  it('MegaMeeting failing: backs off 2, 4, 8 intervals (capped at 15 minutes), then reads again and says so', async () => {
    const p = poller(service(), 60);
    expect(p.maxBackoffMs).toBe(15 * MIN);
    w.emu.state.injectFaults('error500', 20);
    const first = await p.tick();
    expect(first).toMatchObject({
      status: 'megameeting_failed',
      failures: 1,
      backoffUntil: new Date(now + 2 * MIN),
    });
    advance(2 * MIN - 1);
    expect((await p.tick()).status).toBe('backoff');
    advance(1);
    expect(await p.tick()).toMatchObject({
      status: 'megameeting_failed',
      backoffUntil: new Date(now + 4 * MIN),
    });
    advance(4 * MIN);
    expect(await p.tick()).toMatchObject({
      status: 'megameeting_failed',
      backoffUntil: new Date(now + 8 * MIN),
    });
    advance(8 * MIN);
    expect(await p.tick()).toMatchObject({
      status: 'megameeting_failed',
      backoffUntil: new Date(now + 15 * MIN),
    });
    expect(p.consecutiveFailures).toBe(4);
    expect(p.nextMegaMeetingReadAt).toEqual(new Date(now + 15 * MIN));
    expect(
      w
        .logs()
        .filter((l) => String(l.msg).includes('could not be read; backing off'))
        .at(-1),
    ).toMatchObject({
      failures: 4,
      backoffSeconds: 900,
    });
    w.emu.state.clearFaults();
    advance(15 * MIN);
    expect(await p.tick()).toMatchObject({ status: 'ok', failures: 0, backoffUntil: null });
    expect(w.logs().find((l) => l.msg === 'MegaMeeting recordings readable again')).toMatchObject({
      afterFailures: 4,
    });
    // A longer interval: ten intervals at most.
    expect(poller(service(), 300).maxBackoffMs).toBe(3000_000);
  });

  it('a store that cannot give the lease: the tick says error and reads nothing', async () => {
    seed(1, { remuxStatus: 'completed' });
    const broken = Object.create(w.services.store) as typeof w.services.store;
    broken.acquireLease = async () => {
      throw new Error('database is locked');
    };
    const p = poller(service(), 60, broken);
    expect((await p.tick()).status).toBe('error');
    expect(dms()).toHaveLength(0);
    expect(w.logs().find((l) => l.msg === 'recordings tick skipped: the store is unavailable')).toMatchObject(
      {
        err: { message: 'database is locked' },
      },
    );
  });

  it('a long pass renews the lease once a third of its life has passed, and stops when renewing fails', async () => {
    seed(3, { remuxStatus: 'completed' });
    const { store, calls } = countingStore();
    let renewals = 0;
    let failRenewals = false;
    // Each claim takes a minute of the hand clock (a slow pass): the 150 s lease wants renewing after 50 s.
    const slow = new Proxy(store, {
      get(target, prop) {
        if (prop === 'claimRecording')
          return async (...args: Parameters<typeof store.claimRecording>) => {
            const won = await target.claimRecording(...args);
            advance(MIN);
            return won;
          };
        if (prop === 'acquireLease' && failRenewals)
          return async (...args: Parameters<typeof store.acquireLease>) => {
            if (renewals++ > 0) throw new Error('database is locked');
            return target.acquireLease(...args);
          };
        return Reflect.get(target, prop, target);
      },
    });
    const p = poller(service({ store: slow, concurrency: 1 }), 60, slow);
    expect(await p.tick()).toMatchObject({ status: 'ok', notifiedReady: 3 });
    // At the tick's start, then before the second and third DMs (a minute after the last renewal each).
    expect(calls.filter((c) => c === 'acquireLease')).toHaveLength(3);

    seed(3, { remuxStatus: 'completed', title: 'Retro' });
    failRenewals = true;
    advance(5 * MIN);
    expect(await p.tick()).toMatchObject({ status: 'ok', notifiedReady: 1, errors: 0 });
    expect(dms()).toHaveLength(4);
  });

  it('what a tick says: info when it did something or failed one, debug when idle; its duration; a lease not given back', async () => {
    const p = poller(service({ instanceId: 'p' }), 60);
    const summaries = () => w.logs().filter((l) => l.msg === 'recordings tick');
    const before = performance.now();
    const idleTick = await p.tick();
    const took = performance.now() - before;
    expect(idleTick.durationMs).toBeGreaterThanOrEqual(0);
    expect(idleTick.durationMs).toBeLessThanOrEqual(Math.ceil(took));
    expect(summaries().map((l) => [l.level, l.listed])).toEqual([[20, 0]]);
    seed(1, { remuxStatus: 'completed' });
    advance(MIN);
    await p.tick();
    stub.failNext('chat.postMessage', 'channel_not_found');
    seed(1, { remuxStatus: 'completed', title: 'Retro' });
    advance(MIN);
    await p.tick();
    expect(summaries().map((l) => [l.level, l.notifiedReady, l.errors])).toEqual([
      [20, 0, 0],
      [30, 1, 0],
      [30, 0, 1],
    ]);
    expect(summaries()[1]?.durationMs).toEqual(expect.any(Number));
    // Nothing had failed before: no "readable again".
    expect(w.logs().filter((l) => l.msg === 'MegaMeeting recordings readable again')).toEqual([]);

    const stuck = Object.create(w.services.store) as typeof w.services.store;
    stuck.releaseLease = async () => {
      throw new Error('database is locked');
    };
    const q = poller(service({ instanceId: 'q' }), 60, stuck);
    await q.stop();
    expect(w.logs().find((l) => l.msg === 'could not release the recordings poller lease')).toMatchObject({
      err: { message: 'database is locked' },
    });
  });

  it('start(): the first tick after a second, then one an interval; stop() waits for the tick and ends them', async () => {
    // Jest's fake setTimeout drives the poller's timer; the ticks themselves (HTTP, SQLite) run for real.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'queueMicrotask',
        'Date',
        'performance',
        'hrtime',
      ],
    });
    try {
      const p = poller(service({ instanceId: 'timed' }), 60);
      const ticks = () => w.logs().filter((l) => l.msg === 'recordings tick').length;
      /** Lets the tick the timer started run to its end (it schedules the next one when done). */
      const tickDone = async (count: number) => {
        for (let i = 0; i < 5000 && (ticks() < count || jest.getTimerCount() === 0); i++)
          await new Promise((r) => setImmediate(r));
      };
      p.start();
      p.start();
      expect(jest.getTimerCount()).toBe(1);
      expect(w.logs().filter((l) => l.msg === 'recordings poller started')).toEqual([
        expect.objectContaining({ intervalSeconds: 60, instanceId: 'timed' }),
      ]);
      jest.advanceTimersByTime(999);
      expect(recordingsQueries(w.emu)).toBe(0);
      jest.advanceTimersByTime(1);
      await tickDone(1);
      expect([recordingsQueries(w.emu), ticks(), jest.getTimerCount()]).toEqual([1, 1, 1]);
      expect(await w.db.store.getLease('recordings-poller')).toMatchObject({ holder: 'timed' });
      jest.advanceTimersByTime(60_000 - 1);
      expect(recordingsQueries(w.emu)).toBe(1);
      jest.advanceTimersByTime(1);
      await tickDone(2);
      expect(recordingsQueries(w.emu)).toBe(2);

      // stop() while a tick runs: it waits for that tick, gives the lease back, and nothing is scheduled after.
      jest.advanceTimersByTime(60_000);
      await p.stop();
      expect(ticks()).toBe(3);
      expect(jest.getTimerCount()).toBe(0);
      expect(await w.db.store.getLease('recordings-poller')).toBeNull();
      jest.advanceTimersByTime(10 * 60_000);
      expect(recordingsQueries(w.emu)).toBe(3);

      // Started again after stop(): it ticks again.
      p.start();
      jest.advanceTimersByTime(1000);
      await tickDone(4);
      expect(recordingsQueries(w.emu)).toBe(4);
      await p.stop();
      expect(jest.getTimerCount()).toBe(0);
      // An interval of 0 turns the poller off.
      poller(service(), 0).start();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a tick in progress makes another one busy; a pass that lost the lease stops before its next DM', async () => {
    seed(3, { remuxStatus: 'completed' });
    stub.setLatency('chat.postMessage', 50);
    const p = poller(service({ concurrency: 1 }));
    const running = p.tick();
    expect((await p.tick()).status).toBe('busy');
    expect(await running).toMatchObject({ status: 'ok', notifiedReady: 3 });
    stub.setLatency('chat.postMessage', 0);

    // A pass that lost the lease stops every worker, even if the lease looks held again for the next recording.
    const retro = seed(3, { remuxStatus: 'completed', title: 'Board' });
    let asked = 0;
    const lostOnce = async () => ++asked !== 2;
    expect(await service({ concurrency: 2 }).processOnce(lostOnce)).toMatchObject({ notifiedReady: 1 });
    expect(retro.recIds.filter((id) => dms(READY, id).length > 0)).toHaveLength(1);
    expect(asked).toBe(2);
    expect(await service().processOnce()).toMatchObject({ notifiedReady: 2 });

    // A pass told it is no longer the leader before its first DM sends nothing.
    seed(2, { remuxStatus: 'completed', title: 'Retro' });
    const report = await service().processOnce(async () => false);
    expect(report).toMatchObject({ notifiedReady: 0, errors: 0 });
    expect(dms()).toHaveLength(6);
  });
});

it('nothing secret leaves: no API or bot token in a DM, a card or a log line, failures included', async () => {
  const { recId } = seed(2, { remuxStatus: 'completed' });
  seed(1, { remuxStatus: 'failed', title: 'Retro' });
  stub.failNext('chat.postMessage', 'channel_not_found');
  const rec = service();
  await rec.processOnce();
  advance(5 * MIN);
  await rec.processOnce();
  await rec.share({ teamId: T, userId: HOST }, recId, W.channelId);
  w.emu.state.injectFaults('error500', 1);
  await poller(rec).tick();
  const secrets = [w.emu.adminToken, W.botToken, W.signingSecret];
  const out = JSON.stringify([stub.calls('chat.postMessage').map((c) => c.args), w.logs()]);
  expect(out).toContain(recId);
  for (const secret of secrets) expect(out).not.toContain(secret);
});

function poller(rec: RecordingsService) {
  return new RecordingsPoller({
    recordings: rec,
    store: w.db.store,
    logger: w.services.logger,
    clock,
    intervalSeconds: 60,
  });
}
