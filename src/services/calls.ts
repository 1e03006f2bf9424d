/**
 * Slack calls on meeting cards (the Calls API): a call per meeting with a shared join link, added once, renamed
 * with its meeting, ended once with its duration. Instant meetings get theirs with their card; scheduled ones when
 * their reminder goes out (or at their start when reminders are off), from the calls sweep (src/jobs/calls-sweep.ts),
 * which also ends calls whose end failed or was interrupted. Secure meetings and webinars never get one: their
 * links are personal.
 *
 * Never two calls for one meeting: calls.add is not idempotent, and Slack documents no error for a repeated
 * `external_unique_id` and no look-up by it. So the store is claimed first (call state null → `adding`, one
 * compare-and-set: of a retry, a recovery and another replica exactly one wins), and calls.add is a "send" for the
 * gateway (never re-sent after a lost answer). A lost answer leaves the card without a call; should the answer
 * come after we stopped waiting, that call is ended at once rather than left live in Slack.
 *
 * Calls failing (`missing_scope` when the app lacks `calls:write`, `not_allowed`, `not_authed`, a timeout, …)
 * never stops a card: it goes out without the call, and the reason is logged once per process.
 */
import type { AppLogger } from '../logger.js';
import { SlackCallError, type SlackGateway } from '../slack/gateway.js';
import type { MeetingRecord, Store } from '../store/types.js';
import { TIMED_OUT, withTimeout } from '../util/async.js';
import type { Clock } from './clock.js';
import { meetingJoinUrl } from './meeting-card-data.js';

/** How long a card waits for calls.add before going out without the call. */
export const CALL_ADD_WAIT_MS = 2500;
/** A scheduled meeting that started longer ago than this gets no call any more (it was missed). */
export const CALL_MISSED_AFTER_MS = 2 * 60 * 60_000;
/** A call whose meeting nobody ended is ended this long after the meeting's planned end. */
export const CALL_OVER_AFTER_MS = 2 * 60 * 60_000;
/** A calls.end claimed longer ago than this without finishing (its process died) is tried again. */
export const CALL_ENDING_STALE_MS = 5 * 60_000;
const SWEEP_LIMIT = 100;

/** What a Slack call is registered with: also for other surfaces (an unfurled meeting link). */
export interface CallInput {
  /** Unique per call across this app: the MegaMeeting meeting ID. */
  externalUniqueId: string;
  joinUrl: string;
  title: string;
  /** The host's Slack user ID: required by Slack with a bot token. */
  createdBy: string;
  start: Date;
  /** The human-readable meeting ID shown on the call. */
  displayId?: string;
  /** For the logs. */
  meetId?: string;
}

export interface CallsDeps {
  store: Pick<
    Store,
    'getMeeting' | 'moveMeetingCall' | 'listMeetingsDueForCall' | 'listMeetingsWithCallToEnd'
  >;
  slack: Pick<SlackGateway, 'addCall' | 'updateCall' | 'endCall'>;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
  /** Minutes before a scheduled start that its reminder goes out (0: off, the call comes at the start). */
  reminderMinutes: number;
  /** Wait for calls.add before giving up on the call (default CALL_ADD_WAIT_MS). */
  addWaitMs?: number;
}

/** Why Calls failed, as a short code for the log: Slack's error code, `timeout`, or `unexpected`. */
function reasonOf(err: unknown): string {
  if (err instanceof SlackCallError) return err.code;
  return 'unexpected';
}

export class CallsService {
  /** Failure reasons already logged at warn level (once per process each). */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: CallsDeps) {}

  /**
   * The shared join link a call may carry: instant and scheduled meetings only (secure meetings and webinars have
   * personal links, never put in a call), and not once ended.
   */
  callJoinUrl(record: MeetingRecord): string | null {
    if (record.status === 'ended' || !record.channelId) return null;
    if (record.kind !== 'instant' && record.kind !== 'scheduled') return null;
    return meetingJoinUrl(this.deps.megameetingUrl, record);
  }

  /**
   * Registers a Slack call and returns its id, or null when Calls failed or did not answer within the wait (the
   * reason logged once per process). Reusable by any surface that shows a call. Never throws.
   */
  async register(input: CallInput): Promise<string | null> {
    const { deps } = this;
    const work = deps.slack.addCall({
      externalUniqueId: input.externalUniqueId,
      joinUrl: input.joinUrl,
      title: input.title,
      createdBy: input.createdBy,
      dateStart: input.start,
      ...(input.displayId ? { externalDisplayId: input.displayId } : {}),
    });
    try {
      const id = await withTimeout(work, deps.addWaitMs ?? CALL_ADD_WAIT_MS);
      if (id !== TIMED_OUT) return id;
      this.reportFailure('timeout', input.meetId);
      // Whatever Slack made after we stopped waiting is ended at once: no call is ever left live in Slack.
      void work.then(
        (late) => this.endOrphan(late, input.meetId),
        () => {},
      );
      return null;
    } catch (err) {
      this.reportFailure(reasonOf(err), input.meetId, err);
      return null;
    }
  }

  /**
   * The call of an instant meeting's new card (scheduled meetings get theirs from the sweep). Returns the record
   * as it now stands: with `callId` when the call was added.
   */
  async attachToNewCard(record: MeetingRecord): Promise<MeetingRecord> {
    return record.kind === 'instant' ? this.attach(record) : record;
  }

  /**
   * Adds the meeting's call once: claims it in the store (null → adding), calls.add, stores the id (adding →
   * added) or the failure (adding → failed). A meeting whose call was already claimed is returned as stored.
   */
  async attach(record: MeetingRecord): Promise<MeetingRecord> {
    const { deps } = this;
    const joinUrl = this.callJoinUrl(record);
    if (!joinUrl || record.callState !== null) return record;
    const claimed = await deps.store.moveMeetingCall(
      record.teamId,
      record.meetId,
      null,
      { callState: 'adding' },
      deps.clock.now(),
    );
    if (!claimed) return (await deps.store.getMeeting(record.teamId, record.meetId)) ?? record;
    const id = await this.register({
      externalUniqueId: record.meetId,
      joinUrl,
      title: record.title,
      createdBy: record.hostSlackUserId,
      start: record.startAt,
      displayId: record.meetId,
      meetId: record.meetId,
    });
    const moved = await deps.store.moveMeetingCall(
      record.teamId,
      record.meetId,
      'adding',
      id ? { callState: 'added', callId: id } : { callState: 'failed' },
      deps.clock.now(),
    );
    if (id) deps.logger.info({ meetId: record.meetId, callId: id }, 'Slack call added to the meeting card');
    return moved ?? claimed;
  }

  /** After a rename or an edit: calls.update with the title (and join link). Failures are logged only. */
  async rename(record: MeetingRecord): Promise<void> {
    const joinUrl = this.callJoinUrl(record);
    if (record.callState !== 'added' || !record.callId || !joinUrl) return;
    try {
      await this.deps.slack.updateCall(record.callId, { title: record.title, joinUrl });
    } catch (err) {
      this.deps.logger.warn({ err, meetId: record.meetId }, 'could not update the Slack call');
    }
  }

  /**
   * Ends the meeting's call once (added → ending → ended) with its duration in seconds. When Slack refuses (other
   * than "already ended"), the call goes back to `added` and the sweep tries again. Returns the record as stored.
   */
  async end(record: MeetingRecord): Promise<MeetingRecord> {
    const { deps } = this;
    if (!record.callId || (record.callState !== 'added' && record.callState !== 'ending')) return record;
    const now = deps.clock.now();
    const claimed = await deps.store.moveMeetingCall(
      record.teamId,
      record.meetId,
      record.callState,
      { callState: 'ending' },
      now,
    );
    if (!claimed) return (await deps.store.getMeeting(record.teamId, record.meetId)) ?? record;
    // Never ended but long over (see sweep): it lasted as planned.
    const plannedEnd = record.status !== 'ended' && record.endAt && record.endAt < now ? record.endAt : null;
    const endedAt = record.endedAt ?? plannedEnd ?? now;
    const duration = Math.max(0, Math.round((endedAt.getTime() - record.startAt.getTime()) / 1000));
    // The claimed `ending` settles as `ended`, or back to `added` for the sweep to retry.
    const settle = async (to: 'ended' | 'added') =>
      (await deps.store.moveMeetingCall(
        record.teamId,
        record.meetId,
        'ending',
        { callState: to },
        deps.clock.now(),
      )) ?? claimed;
    try {
      await deps.slack.endCall(record.callId, duration);
      deps.logger.info({ meetId: record.meetId, callId: record.callId, duration }, 'Slack call ended');
    } catch (err) {
      const gone = err instanceof SlackCallError && err.code === 'invalid_call_id';
      deps.logger.warn(
        { err, meetId: record.meetId, callId: record.callId },
        gone
          ? 'Slack no longer knows the call; counting it ended'
          : 'could not end the Slack call; will retry',
      );
      if (!gone) return settle('added');
    }
    return settle('ended');
  }

  /**
   * One pass of the calls sweep: scheduled meetings whose reminder time (or start) has come get their call, and
   * `refreshCard` shows it; calls still live on meetings that ended (or whose planned end is CALL_OVER_AFTER_MS
   * past) are ended. Returns what it did.
   */
  async sweep(
    refreshCard: (record: MeetingRecord) => Promise<void>,
  ): Promise<{ added: number; ended: number }> {
    const { deps } = this;
    const now = deps.clock.now().getTime();
    const lead = Math.max(0, deps.reminderMinutes) * 60_000;
    let added = 0;
    let ended = 0;
    const due = await deps.store.listMeetingsDueForCall(
      new Date(now - CALL_MISSED_AFTER_MS),
      new Date(now + lead),
      SWEEP_LIMIT,
    );
    for (const meeting of due) {
      const after = await this.attach(meeting);
      if (after.callState === 'added') {
        added++;
        await refreshCard(after);
      }
    }
    // A meeting nobody ended (MegaMeeting keeps it listed) still gets its call ended once its planned end is
    // long past: a call card left "live" forever was hackclub/slash-z's bug.
    const live = await deps.store.listMeetingsWithCallToEnd(
      new Date(now - CALL_ENDING_STALE_MS),
      new Date(now - CALL_OVER_AFTER_MS),
      SWEEP_LIMIT,
    );
    for (const meeting of live) {
      if ((await this.end(meeting)).callState === 'ended') ended++;
    }
    return { added, ended };
  }

  private async endOrphan(callId: string, meetId: string | undefined): Promise<void> {
    try {
      await this.deps.slack.endCall(callId, 0);
      this.deps.logger.info({ meetId, callId }, 'ended a Slack call whose answer came too late for its card');
    } catch (err) {
      this.deps.logger.warn({ err, meetId, callId }, 'could not end a Slack call that came too late');
    }
  }

  private reportFailure(reason: string, meetId: string | undefined, err?: unknown): void {
    const first = !this.reported.has(reason);
    this.reported.add(reason);
    const fields = { reason, meetId, ...(err instanceof SlackCallError ? { method: err.method } : {}) };
    if (first) {
      this.deps.logger.warn(
        fields,
        reason === 'missing_scope'
          ? 'Slack Calls unavailable: the app lacks the calls:write scope (reinstall it from manifest.yml); meeting cards go out without a call'
          : 'Slack Calls unavailable; meeting cards go out without a call (logged once per reason)',
      );
    } else {
      this.deps.logger.debug(fields, 'Slack call not added');
    }
  }
}
