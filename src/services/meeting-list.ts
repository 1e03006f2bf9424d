/**
 * `/meet list`: a user's meetings that have not ended, soonest first, reconciled against MegaMeeting (a meeting
 * missing from two of its answers minutes apart is marked ended here, its reminders cancelled and its card
 * refreshed). Returns data; buildMeetingList in src/views/messages.ts makes the message.
 */
import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { MeetingRecord, Store } from '../store/types.js';
import type { ListItem } from '../views/messages.js';
import type { CallsService } from './calls.js';
import type { ChangeFeed } from './changes.js';
import type { Clock } from './clock.js';
import type { MeetingsService } from './meetings.js';
import type { RemindersService } from './reminders.js';

/**
 * How long a meeting must stay missing from MegaMeeting's `meetings` (two answers at least this far apart)
 * before it counts as ended elsewhere.
 */
export const ABSENCE_CONFIRM_MS = 5 * 60_000;

export interface MeetingListDeps {
  store: Pick<Store, 'updateMeeting'>;
  megameeting: Pick<MegaMeetingApi, 'meetings'>;
  meetings: Pick<MeetingsService, 'listOpen' | 'joinUrl' | 'refreshCard'>;
  reminders: Pick<RemindersService, 'cancel'>;
  logger: AppLogger;
  clock: Clock;
  /** Ends the meeting's Slack call (absent: no calls). */
  calls?: Pick<CallsService, 'end'>;
  /** Told when a meeting is found ended in MegaMeeting (App Home republishes). */
  changes?: Pick<ChangeFeed, 'notify'>;
}

export class MeetingListService {
  constructor(private readonly deps: MeetingListDeps) {}

  /**
   * The user's meetings that have not ended, soonest first, reconciled against MegaMeeting's `meetings` (one
   * call). MegaMeeting offers no lookup of one meeting, so "ended elsewhere" needs two answers that agree minutes
   * apart: the first answer that leaves a meeting out only records when (absentSince, in the store, shared by
   * replicas); a later answer at least ABSENCE_CONFIRM_MS after that, still leaving it out, marks it ended; any
   * answer listing it again clears the sighting. An empty answer (null or []) while meetings are open proves
   * nothing (a proxy, a bad page, a hiccup) and changes nothing. `stale` is true when MegaMeeting could not be
   * asked or gave nothing usable (the store's view is shown as is).
   */
  async listWithStatus(teamId: string, userId: string): Promise<{ items: ListItem[]; stale: boolean }> {
    const { deps } = this;
    let records = await deps.meetings.listOpen(teamId, userId);
    let stale = false;
    if (records.length > 0) {
      try {
        const listed = await deps.megameeting.meetings();
        if (listed.length === 0) {
          stale = true;
          deps.logger.warn(
            { teamId, open: records.length },
            'MegaMeeting listed no meetings at all while some are open; not reconciling on that answer',
          );
        } else {
          const live = new Set(listed.map((m) => m.meetId));
          const kept: MeetingRecord[] = [];
          for (const r of records) {
            if (!(await this.reconcileOne(r, live.has(r.meetId)))) kept.push(r);
          }
          records = kept;
        }
      } catch (err) {
        stale = true;
        deps.logger.warn(
          { err, teamId },
          'could not reconcile /meet list with MegaMeeting; showing the store',
        );
      }
    }
    return {
      stale,
      items: records.map((r) => ({
        meetId: r.meetId,
        title: r.title,
        kind: r.kind,
        status: r.status,
        start: r.startAt,
        end: r.endAt,
        joinUrl: deps.meetings.joinUrl(r),
      })),
    };
  }

  /** One open meeting against one non-empty `meetings` answer; true when it is now marked ended. */
  private async reconcileOne(record: MeetingRecord, listed: boolean): Promise<boolean> {
    const { deps } = this;
    const now = deps.clock.now();
    try {
      if (listed) {
        if (record.absentSince) {
          await deps.store.updateMeeting(record.teamId, record.meetId, { absentSince: null }, now);
        }
        return false;
      }
      if (!record.absentSince) {
        await deps.store.updateMeeting(record.teamId, record.meetId, { absentSince: now }, now);
        deps.logger.info(
          { meetId: record.meetId },
          'meeting missing from MegaMeeting’s list; ended only if still missing minutes from now',
        );
        return false;
      }
      if (now.getTime() - record.absentSince.getTime() < ABSENCE_CONFIRM_MS) return false;
    } catch (err) {
      deps.logger.warn({ err, meetId: record.meetId }, 'could not record a meeting missing from MegaMeeting');
      return false;
    }
    return this.markEndedElsewhere(record);
  }

  private async markEndedElsewhere(record: MeetingRecord): Promise<boolean> {
    const { deps } = this;
    try {
      const now = deps.clock.now();
      const ended = await deps.store.updateMeeting(
        record.teamId,
        record.meetId,
        { status: 'ended', endedAt: now },
        now,
      );
      deps.logger.info(
        { meetId: record.meetId, absentSince: record.absentSince },
        'meeting missing from MegaMeeting in two answers minutes apart; marked ended',
      );
      if (ended) {
        const cleared = await deps.reminders.cancel(ended);
        await deps.meetings.refreshCard(deps.calls ? await deps.calls.end(cleared) : cleared);
        deps.changes?.notify({
          teamId: ended.teamId,
          slackUserIds: [ended.hostSlackUserId],
          what: 'meeting_ended',
        });
      }
      return true;
    } catch (err) {
      deps.logger.warn({ err, meetId: record.meetId }, 'could not mark a meeting ended');
      return false;
    }
  }
}
