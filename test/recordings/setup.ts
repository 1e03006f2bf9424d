/**
 * Helpers for the recordings tests: a manual clock, a started test app whose default Slack user is linked to a
 * MegaMeeting host login, and meetings/recordings seeded in the emulator.
 */
import type { Emulator } from '../../emulator/index.js';
import type { RecordingsPoller, RecordingsService } from '../../src/services/recordings/index.js';
import type { Store } from '../../src/store/types.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../app/harness.js';
import { SlackStub, type StubCall } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

export const T0 = new Date('2026-03-02T15:00:00Z');

export interface ManualClock {
  now(): Date;
  set(d: Date): void;
  advance(ms: number): void;
}

export function manualClock(start = T0): ManualClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = d.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const HOST = TEST_WORKSPACE.userId;
export const TEAM = TEST_WORKSPACE.teamId;
export const INTERVAL_S = 60;

export interface RecApp extends TestApp {
  clock: ManualClock;
  hostLoginId: string;
  poller: RecordingsPoller;
  recordings: RecordingsService;
  /** Log lines (parsed) whose msg contains `text`. */
  logLines(text: string): Record<string, unknown>[];
}

/**
 * The app (HTTP, emulator, Slack stub, store) with the default Slack user linked to the emulator host login.
 * Pass `emulator`/`slack`/`databaseUrl` to start a second instance on the same world.
 */
export async function startRecApp(
  opts: TestAppOptions & { clock?: ManualClock; hostLoginId?: string; link?: boolean } = {},
): Promise<RecApp> {
  const clock = opts.clock ?? manualClock();
  const t = await startTestApp({
    ...opts,
    clock,
    env: { RECORDINGS_POLL_SECONDS: String(INTERVAL_S), ...opts.env },
  });
  const hostLoginId = opts.hostLoginId ?? t.hostLogin?.loginId;
  if (!hostLoginId) throw new Error('no host login');
  if (opts.link !== false) await linkHost(t.store, hostLoginId, clock.now());
  return {
    ...t,
    clock,
    hostLoginId,
    poller: t.running.services.poller,
    recordings: t.running.services.recordings,
    logLines: (text) =>
      t.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => String(l.msg ?? '').includes(text)),
  };
}

export async function linkHost(
  store: Store,
  loginId: string,
  at: Date,
  slackUserId: string = HOST,
): Promise<void> {
  await store.upsertUserLink({
    teamId: TEAM,
    slackUserId,
    loginId,
    email: null,
    source: 'admin',
    linkedBy: null,
    linkedAt: at,
  });
}

/** A meeting in the emulator owned by `loginId`, and `count` recordings of it. */
export function seedRecordings(
  emulator: Emulator,
  loginId: string,
  count: number,
  opts: {
    title?: string;
    remuxStatus?: 'waiting' | 'processing' | 'completed' | 'failed';
    createdAt?: Date;
  } = {},
): { meetId: string; recIds: string[] } {
  const meeting = emulator.state.addMeeting({ name: opts.title ?? 'Design sync', loginId });
  const recIds = emulator.state.addRecordings(count, {
    meetId: meeting.meetId,
    ...(opts.remuxStatus ? { remuxStatus: opts.remuxStatus } : {}),
    createdAt: opts.createdAt ?? new Date('2026-03-02T14:00:00Z'),
  });
  return { meetId: meeting.meetId, recIds };
}

/** startRemux requests the emulator answered (GraphQL field), optionally for one recording. */
export function remuxRequests(emulator: Emulator): number {
  return emulator.state.requests().filter((r) => r.fields.includes('startRemux')).length;
}

export function recordingsQueries(emulator: Emulator): number {
  return emulator.state.requests().filter((r) => r.fields.includes('recordings')).length;
}

/** DMs (chat.postMessage to D…) carrying our recording metadata for `recId`. */
export function recordingDms(
  slack: SlackStub,
  recId?: string,
  event = 'megameeting_recording_ready',
): StubCall[] {
  return slack
    .calls('chat.postMessage')
    .filter(
      (c) =>
        c.response.ok === true &&
        c.args.metadata?.event_type === event &&
        (recId === undefined || c.args.metadata?.event_payload?.rec_id === recId),
    );
}

export { SlackStub };
