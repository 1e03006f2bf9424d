/**
 * Recordings: request processing (startRemux) of new recordings, DM the host exactly once when processing has
 * finished (or failed), and list a user's recordings for `/meet recordings`.
 *
 * ## Exactly once
 *
 * One tick = one `recordings` query to MegaMeeting, one snapshot of every known recording's state
 * (`getRecordingStates`) and one read of the open ones (`listOpenRecordings`). Recordings already finished with
 * (`notified`, `skipped`, `deleted`) cost nothing more; only new or unfinished recordings are touched.
 *
 * Announcing a recording (ready, or failed) is:
 *   1. `claimRecording(recId, holder, now, CLAIM_TTL)` with a holder name unique to this claim
 *      (`<instanceId>/<n>`): one conditional UPDATE; exactly one claimer wins, an expired claim can be taken
 *      over, a notified recording can never be claimed.
 *   2. If the recording was already claimed by someone before us (a holder that crashed, or whose "mark"
 *      failed), that holder may have sent the DM: read the host's DM history and look for a message whose
 *      metadata is `{event_type: 'megameeting_recording_ready', event_payload: {rec_id}}` (the failed DM uses
 *      `megameeting_recording_failed` with `rec_id` and `attempt`). Found → record that message's ts, no DM.
 *   3. Otherwise send the DM, carrying that metadata.
 *   4. `markRecordingNotified(recId, holder, {channel, ts})` (failed DMs: state `failed` with the ts).
 * A crash between 3 and 4 leaves the claim in place; once it expires the next claimer finds the DM in the
 * history (step 2) and only marks it. A crash between 1 and 3 leaves a claim and no DM: the next claimer
 * finds nothing and sends. A DM that Slack refused for sure (a platform error such as `user_not_found`) gives
 * the claim back at once; an ambiguous failure (timeout, connection reset) keeps it, so the history check runs.
 *
 * Only one replica polls at a time: each tick first takes/renews the `recordings-poller` lease
 * (`acquireLease`, TTL 2.5 intervals); if its holder dies, another replica takes over once it expires. The
 * claims keep the guarantee even if two pollers ever overlap (e.g. a lease lost mid-tick).
 *
 * ## Hosts nobody maps to
 *
 * The host is the Slack user who created the meeting through the app, else the Slack user linked to the
 * recording's `alId`. When there is none, the recording is not dropped (the user may be linked later): it is
 * logged once (`lastError = 'unmapped'`), re-checked every UNMAPPED_RECHECK_MS, and given up (`skipped`,
 * logged) when it is older than UNMAPPED_GIVE_UP_MS. Processing is still requested for it.
 *
 * Over 300 lines on purpose: a pass and its exactly-once announce share per-pass state (the Slack 429 pause,
 * the claim sequence) that splitting the class would have to pass around. The poller is poller.ts, the
 * lookups lookup.ts, "Try again" retry.ts, `/meet recordings` list.ts, delete and share manage.ts.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RECORDING_FAILED_EVENT, RECORDING_READY_EVENT } from '../../domain/recording.js';
import type { AppLogger } from '../../logger.js';
import type { MegaMeetingApi, Recording } from '../../megameeting/types.js';
import { SlackCallError, type SlackGateway } from '../../slack/gateway.js';
import { recordingMessageKey } from '../../slack/message-keys.js';
import type { RecordingRecord, RecordingState, Store } from '../../store/types.js';
import { sleep } from '../../util/async.js';
import {
  buildRecordingFailedMessage,
  buildRecordingReadyMessage,
  type RecordingListItem,
  type SlackMessage,
} from '../../views/recordings.js';
import type { ChangeFeed } from '../changes.js';
import type { Clock } from '../clock.js';
import type { IdentityService } from '../identity.js';
import { listRecordings, recentRecordings } from './list.js';
import { type Host, messageData, newPassCache, type PassCache, resolveHost } from './lookup.js';
import {
  type Actor,
  type DeleteOutcome,
  deleteRecording,
  openShareModal,
  type ShareOutcome,
  shareRecording,
} from './manage.js';
import { retryRemux } from './retry.js';

/** How long a notification claim lasts: far longer than one DM, short enough to recover from a crash. */
export const DEFAULT_CLAIM_TTL_MS = 5 * 60_000;
export const UNMAPPED_RECHECK_MS = 60 * 60_000;
export const UNMAPPED_GIVE_UP_MS = 7 * 24 * 60 * 60_000;
/** A DM Slack refused, or a startRemux MegaMeeting refused: try again after this (doubling, capped). */
const RETRY_BASE_MS = 5 * 60_000;
const RETRY_MAX_MS = 6 * 60 * 60_000;
/** How often one send waits through a Slack 429 before leaving the recording to the next tick. */
const MAX_RATE_LIMIT_WAITS = 3;
const FINISHED: ReadonlySet<RecordingState> = new Set(['notified', 'skipped', 'deleted']);
/** A recording still `waiting` this long after startRemux is asked for again, up to MAX_REMUX_REQUESTS times. */
export const REMUX_STALL_MS = 60 * 60_000;
const MAX_REMUX_REQUESTS = 3;

export interface RecordingsDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
  autoRemux: boolean;
  /** Claims and the poller lease are held under this name; unique per process by default. */
  instanceId?: string;
  /** Waits out Slack 429s; tests inject one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  claimTtlMs?: number;
  /** Recordings worked on at a time within one pass (default 4). */
  concurrency?: number;
  /** Told when a recording's host got its ready DM (App Home republishes). */
  changes?: Pick<ChangeFeed, 'notify'>;
}

/** What one pass did (the poller's tick report, logs and tests). */
export interface ProcessReport {
  /** Recordings MegaMeeting listed. */
  listed: number;
  /** Recordings seen for the first time (stored). */
  added: number;
  remuxRequested: number;
  notifiedReady: number;
  notifiedFailed: number;
  /** DMs found in Slack's history after a crash (marked without a second DM). */
  recovered: number;
  unmapped: number;
  errors: number;
}

function emptyReport(listed: number): ProcessReport {
  return {
    listed,
    added: 0,
    remuxRequested: 0,
    notifiedReady: 0,
    notifiedFailed: 0,
    recovered: 0,
    unmapped: 0,
    errors: 0,
  };
}

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

function backoffMs(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

/** Recordings: processing, ready DMs, `/meet recordings`. */
export class RecordingsService {
  readonly instanceId: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly claimTtlMs: number;
  private claimSeq = 0;
  private readonly concurrency: number;
  /** While Slack asked us to wait (429), every send waits for this. */
  private slackPause: Promise<void> | null = null;

  constructor(private readonly deps: RecordingsDeps) {
    this.instanceId = deps.instanceId ?? defaultInstanceId();
    this.sleep = deps.sleep ?? sleep;
    this.claimTtlMs = deps.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.concurrency = deps.concurrency ?? 4;
  }

  private get log(): AppLogger {
    return this.deps.logger;
  }

  /**
   * One pass over MegaMeeting's recordings. Throws only when MegaMeeting (or the store snapshot) fails as a
   * whole; a failure with one recording is logged and counted, and the others go on.
   * `stillLeader` is asked before each DM in long passes: false stops the pass (another replica took over).
   * `listing`: the account's recordings, when already read (multi-workspace mode reads each account once per tick
   * for all the workspaces that share it).
   */
  async processOnce(
    stillLeader: () => Promise<boolean> = async () => true,
    listing?: Recording[],
  ): Promise<ProcessReport> {
    const remote = listing ?? (await this.deps.megameeting.recordings());
    const states = await this.deps.store.getRecordingStates();
    const report = emptyReport(remote.length);
    const anyOpen = remote.some((r) => !FINISHED.has(states.get(r.recId) as RecordingState));
    if (!anyOpen) return report;
    const open = new Map((await this.deps.store.listOpenRecordings()).map((r) => [r.recId, r]));
    const cache = newPassCache();
    const todo = remote.filter((r) => {
      const state = states.get(r.recId);
      return state === undefined || !FINISHED.has(state);
    });
    let next = 0;
    let stop = false;
    // A few recordings at a time: each needs a MegaMeeting or Slack round trip, and those are latency-bound.
    const worker = async () => {
      while (!stop && next < todo.length) {
        const rec = todo[next++] as Recording;
        const state = states.get(rec.recId);
        try {
          const known = state === undefined ? null : (open.get(rec.recId) ?? null);
          const outcome = await this.processRecording(rec, known, cache, stillLeader);
          if (outcome === 'lost_lease') {
            stop = true;
            break;
          }
          if (outcome) report[outcome]++;
          if (state === undefined) report.added++;
        } catch (err) {
          report.errors++;
          this.log.warn(
            { err, recId: rec.recId, meetId: rec.meetId },
            'recording could not be processed; the others go on',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
    return report;
  }

  private async processRecording(
    rec: Recording,
    known: RecordingRecord | null,
    cache: PassCache,
    stillLeader: () => Promise<boolean>,
  ): Promise<keyof ProcessReport | 'lost_lease' | null> {
    const { store, clock } = this.deps;
    let record = known;
    if (!record) {
      const host = await resolveHost(this.deps, rec, cache);
      const res = await store.upsertSeenRecording(
        {
          recId: rec.recId,
          meetId: rec.meetId,
          accId: rec.accId,
          alId: rec.alId,
          teamId: host?.teamId ?? null,
          hostSlackUserId: host?.slackUserId ?? null,
        },
        clock.now(),
      );
      record = res.record;
      if (FINISHED.has(record.state)) return null;
    }
    const now = clock.now();
    if (record.nextAttemptAt && record.nextAttemptAt.getTime() > now.getTime()) return null;

    switch (rec.remuxStatus) {
      case 'waiting':
        if (!this.deps.autoRemux) return null;
        if (record.state === 'seen') return this.requestRemux(rec, record);
        // Still waiting long after our request: MegaMeeting lost it. Ask again, a few times at most.
        if (
          record.state === 'remux_requested' &&
          record.attempts < MAX_REMUX_REQUESTS &&
          now.getTime() - record.updatedAt.getTime() >= REMUX_STALL_MS
        ) {
          this.log.info(
            { recId: rec.recId, attempts: record.attempts },
            'still waiting after startRemux; asking again',
          );
          return this.requestRemux(rec, record);
        }
        return null;
      case 'processing':
        if (record.state === 'failed' || record.state === 'seen') {
          // Processing was (re)started elsewhere (MegaMeeting's UI): a later failure is news again.
          await store.updateRecording(rec.recId, { state: 'remux_requested' }, now);
        }
        return null;
      case 'completed':
        if (!(await stillLeader())) return 'lost_lease';
        return this.announce(rec, record, 'ready', cache);
      case 'failed':
        if (record.state === 'failed') return null;
        if (!(await stillLeader())) return 'lost_lease';
        return this.announce(rec, record, 'failed', cache);
      default:
        return null;
    }
  }

  /**
   * Claim, then startRemux. The claim (a compare-and-set on the state and attempts this pass read) lets exactly
   * one of several passes (two replicas, a slow pass whose lease lapsed) send the request; the others find the
   * recording claimed and leave it. A refused or failed request puts the recording back as it was (the attempt
   * counted, with a backoff), so a later pass asks again; a crash after the claim leaves `remux_requested`,
   * which the stall check (REMUX_STALL_MS) asks again.
   */
  private async requestRemux(rec: Recording, record: RecordingRecord): Promise<keyof ProcessReport | null> {
    const { store, clock, megameeting } = this.deps;
    const attempts = record.attempts + 1;
    const seen = { state: record.state, attempts: record.attempts };
    if (!(await store.claimRemuxRequest(rec.recId, seen, clock.now()))) {
      this.log.debug({ recId: rec.recId }, 'processing already requested by another pass');
      return null;
    }
    try {
      await megameeting.startRemux({
        accountId: rec.accId,
        loginId: rec.alId,
        meetId: rec.meetId,
        recordingId: rec.recId,
      });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      await store.releaseRemuxRequest(
        rec.recId,
        attempts,
        {
          state: record.state,
          lastError: `remux_${code}`,
          nextAttemptAt: new Date(clock.now().getTime() + backoffMs(attempts)),
        },
        clock.now(),
      );
      this.log.warn({ err, recId: rec.recId, attempts }, 'startRemux failed; will try again later');
      return 'errors';
    }
    this.log.info({ recId: rec.recId, meetId: rec.meetId }, 'requested processing of a new recording');
    return 'remuxRequested';
  }

  /** Claim → (history check) → DM → mark. See the comment at the top of this file. */
  private async announce(
    rec: Recording,
    record: RecordingRecord,
    kind: 'ready' | 'failed',
    cache: PassCache,
  ): Promise<keyof ProcessReport | null> {
    const { store, clock } = this.deps;
    let host: Host | null = record.hostSlackUserId
      ? { teamId: record.teamId, slackUserId: record.hostSlackUserId }
      : null;
    if (!host) {
      host = await resolveHost(this.deps, rec, cache);
      if (!host) return this.unmapped(rec, record);
      await store.updateRecording(
        rec.recId,
        { teamId: host.teamId, hostSlackUserId: host.slackUserId, lastError: null, nextAttemptAt: null },
        clock.now(),
      );
      this.log.info({ recId: rec.recId, hostSlackUserId: host.slackUserId }, 'recording host is now mapped');
    }

    // Each claim has its own holder name: the store lets a holder re-claim what it holds, so two passes of
    // this process sharing one name could both "win" the same recording.
    const holder = `${this.instanceId}/${++this.claimSeq}`;
    const claimedBefore = record.claimedBy !== null;
    if (!(await store.claimRecording(rec.recId, holder, clock.now(), this.claimTtlMs))) return null;
    if (kind === 'failed') {
      // A failure DM leaves the recording open (state `failed`, claim cleared), so a pass working from an
      // older snapshot could claim it again: re-read under our claim.
      const fresh = await store.getRecording(rec.recId);
      if (!fresh || fresh.state === 'failed' || fresh.attempts !== record.attempts) {
        await store.releaseRecordingClaim(rec.recId, holder, clock.now());
        return null;
      }
    }

    const event = kind === 'ready' ? RECORDING_READY_EVENT : RECORDING_FAILED_EVENT;
    const payload: Record<string, string> = { rec_id: rec.recId };
    if (kind === 'failed') payload.attempt = String(record.attempts);
    let delivery: { channel: string; ts: string } | null = null;
    let recovered = false;
    try {
      const channel = await this.dmChannel(host.slackUserId, cache);
      if (claimedBefore) {
        // An earlier claim was never released nor marked (a crash, or a mark that failed): its DM may be out.
        delivery = await this.findEarlierDm(channel, event, payload);
        recovered = delivery !== null;
      }
      if (!delivery) {
        const data = await messageData(this.deps, rec, cache);
        const content =
          kind === 'ready' ? buildRecordingReadyMessage(data) : buildRecordingFailedMessage(data);
        const message = { ...content, metadata: { event_type: event, event_payload: payload } };
        // Keyed per recording (and attempt): a lost answer is looked up in the DM's history, not re-sent.
        const idempotencyKey = recordingMessageKey(kind, rec.recId, record.attempts);
        delivery = await this.withRateLimit(() =>
          this.deps.slack.postMessage(channel, message, { idempotencyKey }),
        );
      }
    } catch (err) {
      await this.afterFailedSend(rec, record, holder, err);
      return 'errors';
    }

    const now = clock.now();
    if (kind === 'ready') {
      const marked = await store.markRecordingNotified(rec.recId, holder, delivery, now);
      if (!marked)
        this.log.warn({ recId: rec.recId }, 'recording DM sent but our claim was taken over; not marking');
    } else {
      await store.updateRecording(
        rec.recId,
        {
          state: 'failed',
          notifiedChannel: delivery.channel,
          notifiedTs: delivery.ts,
          notifiedAt: now,
          claimedBy: null,
          claimExpiresAt: null,
          lastError: 'remux_failed',
        },
        now,
      );
    }
    this.log.info(
      {
        recId: rec.recId,
        hostSlackUserId: host.slackUserId,
        channel: delivery.channel,
        ts: delivery.ts,
        kind,
        recovered,
      },
      recovered ? 'found the recording DM sent before a crash; marked it' : 'sent the recording DM',
    );
    if (host.teamId) {
      this.deps.changes?.notify({
        teamId: host.teamId,
        slackUserIds: [host.slackUserId],
        what: kind === 'ready' ? 'recording_ready' : 'recording_failed',
      });
    }
    if (recovered) return 'recovered';
    return kind === 'ready' ? 'notifiedReady' : 'notifiedFailed';
  }

  private async unmapped(rec: Recording, record: RecordingRecord): Promise<keyof ProcessReport> {
    const { store, clock } = this.deps;
    const now = clock.now();
    if (now.getTime() - record.createdAt.getTime() > UNMAPPED_GIVE_UP_MS) {
      await store.updateRecording(
        rec.recId,
        { state: 'skipped', lastError: 'unmapped', nextAttemptAt: null },
        now,
      );
      this.log.warn(
        { recId: rec.recId, alId: rec.alId },
        'recording host still unmapped after 7 days; not announcing it',
      );
      return 'unmapped';
    }
    const first = record.lastError !== 'unmapped';
    await store.updateRecording(
      rec.recId,
      { lastError: 'unmapped', nextAttemptAt: new Date(now.getTime() + UNMAPPED_RECHECK_MS) },
      now,
    );
    if (first) {
      this.log.warn(
        { recId: rec.recId, meetId: rec.meetId, alId: rec.alId },
        'recording is ready but no Slack user is linked to its MegaMeeting host; will re-check hourly (link with /meet account)',
      );
    } else {
      this.log.debug({ recId: rec.recId, alId: rec.alId }, 'recording host still unmapped');
    }
    return 'unmapped';
  }

  private async afterFailedSend(
    rec: Recording,
    record: RecordingRecord,
    holder: string,
    err: unknown,
  ): Promise<void> {
    const { store, clock } = this.deps;
    // Slack answered, or the DM provably never left: nothing went out. Anything else may have reached Slack.
    const definite = err instanceof SlackCallError && err.delivery !== 'maybe';
    const code = err instanceof SlackCallError ? err.code : 'error';
    const failures =
      (record.lastError?.startsWith('dm_') ? Number(record.lastError.split(':')[1] ?? 1) : 0) + 1;
    const now = clock.now();
    if (definite) await store.releaseRecordingClaim(rec.recId, holder, now);
    // An ambiguous failure keeps the claim: the DM may have gone out, and the next claimer checks the history.
    await store.updateRecording(
      rec.recId,
      {
        lastError: `dm_${code}:${failures}`,
        nextAttemptAt: new Date(now.getTime() + (code === 'ratelimited' ? 0 : backoffMs(failures))),
      },
      now,
    );
    this.log.warn({ err, recId: rec.recId, definite }, 'recording DM failed; will try again later');
  }

  /** The host's DM channel, opened once per pass (a failed open is forgotten so the next try opens again). */
  private dmChannel(user: string, cache: PassCache): Promise<string> {
    let channel = cache.dmChannels.get(user);
    if (!channel) {
      channel = this.withRateLimit(() => this.deps.slack.openDm(user));
      cache.dmChannels.set(user, channel);
      channel.catch(() => cache.dmChannels.delete(user));
    }
    return channel;
  }

  /** Looks for a DM sent before a crash: its metadata names the event and the recording. */
  private async findEarlierDm(
    channel: string,
    event: string,
    payload: Record<string, string>,
  ): Promise<{ channel: string; ts: string } | null> {
    const messages = await this.withRateLimit(() => this.deps.slack.history(channel, 100));
    const found = messages.find(
      (m) =>
        m.metadata?.event_type === event &&
        Object.entries(payload).every(([k, v]) => String(m.metadata?.event_payload[k]) === v),
    );
    return found ? { channel, ts: found.ts } : null;
  }

  /**
   * Slack 429: wait as long as Slack asks (Retry-After), then try again; a few times at most. The pause is
   * shared: while one send waits, the others (same pass, other workers) wait too instead of hammering Slack.
   */
  private async withRateLimit<T>(call: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      if (this.slackPause) await this.slackPause;
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof SlackCallError) || err.code !== 'ratelimited' || waits >= MAX_RATE_LIMIT_WAITS)
          throw err;
        const seconds = err.retryAfterSeconds ?? 1;
        if (!this.slackPause) {
          this.log.warn(
            { method: err.method, retryAfterSeconds: seconds },
            'Slack rate limit: waiting as asked',
          );
          const pause = this.sleep(seconds * 1000).finally(() => {
            if (this.slackPause === pause) this.slackPause = null;
          });
          this.slackPause = pause;
        }
      }
    }
  }

  /**
   * Requests processing again (the failed DM's button). Only the host may; the recording must have failed.
   * Returns the message that replaces the failed DM (retry.ts).
   */
  retryRemux(teamId: string, userId: string, recId: string): Promise<SlackMessage> {
    return retryRemux(this.deps, teamId, userId, recId);
  }

  /** Delete (the host or an admin): deleteRecording, marked deleted, its DM updated (manage.ts). */
  deleteRecording(
    actor: Actor,
    recId: string,
    pressedIn: { channel: string; ts: string } | null,
  ): Promise<DeleteOutcome> {
    return deleteRecording(this.deps, actor, recId, pressedIn);
  }

  /** The share modal (manage.ts). */
  openShareModal(triggerId: string, actor: Actor, recId: string): Promise<void> {
    return openShareModal(this.deps, triggerId, actor, recId);
  }

  /** Posts the recording's card in a channel (manage.ts). */
  share(actor: Actor, recId: string, channelId: string): Promise<ShareOutcome> {
    return shareRecording(this.deps, actor, recId, channelId);
  }

  /** `/meet recordings` (list.ts). */
  listForUser(teamId: string, userId: string): Promise<SlackMessage> {
    return listRecordings(this.deps, teamId, userId);
  }

  /** The user's recent recordings as data (App Home). */
  recent(
    teamId: string,
    userId: string,
    limit: number,
  ): Promise<{ items: RecordingListItem[]; total: number }> {
    return recentRecordings(this.deps, teamId, userId, limit);
  }
}
