import type { AppLogger } from '../logger.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { MeetingRecord, ScheduledReminder, Store } from '../store/types.js';
import { buildReminder } from '../views/invitation.js';
import type { Clock } from './clock.js';
import { meetingCardData } from './meeting-card-data.js';

/** Slack refuses chat.scheduleMessage more than 120 days ahead. */
export const MAX_SCHEDULE_AHEAD_MS = 120 * 24 * 60 * 60_000;
/** Slack may refuse a post_at too close to now; a reminder under a minute away is pointless anyway. */
const MIN_LEAD_MS = 60_000;

/**
 * Channel reminders a few minutes before a scheduled start, via chat.scheduleMessage. Ending or rescheduling a
 * meeting deletes or replaces them. Reminder failures never fail the meeting itself: they are logged.
 */
export class RemindersService {
  constructor(
    private readonly deps: {
      store: Store;
      slack: SlackGateway;
      logger: AppLogger;
      clock: Clock;
      reminderMinutes: number;
      megameetingUrl: string;
    },
  ) {}

  /** When the reminder would post, or null when none should (off, too soon, beyond Slack's limit). */
  reminderTime(record: MeetingRecord): Date | null {
    const { reminderMinutes, clock } = this.deps;
    if (reminderMinutes <= 0 || !record.channelId || record.status === 'ended') return null;
    // A card that went out through a response_url means the bot cannot post in that channel.
    if (record.cardDelivery === 'response_url') return null;
    const postAt = new Date(record.startAt.getTime() - reminderMinutes * 60_000);
    const now = clock.now().getTime();
    if (postAt.getTime() < now + MIN_LEAD_MS) return null;
    if (postAt.getTime() > now + MAX_SCHEDULE_AHEAD_MS) return null;
    return postAt;
  }

  async schedule(record: MeetingRecord): Promise<MeetingRecord> {
    const postAt = this.reminderTime(record);
    if (!postAt || !record.channelId) return record;
    try {
      const id = await this.deps.slack.scheduleMessage(
        record.channelId,
        postAt,
        buildReminder(meetingCardData(this.deps.megameetingUrl, record), this.deps.reminderMinutes),
      );
      const reminders: ScheduledReminder[] = [
        ...record.reminders,
        { channelId: record.channelId, scheduledMessageId: id, postAt },
      ];
      return (await this.deps.store.updateMeeting(record.teamId, record.meetId, { reminders })) ?? record;
    } catch (err) {
      this.deps.logger.warn({ err, meetId: record.meetId }, 'could not schedule the reminder');
      return record;
    }
  }

  async cancel(record: MeetingRecord): Promise<MeetingRecord> {
    if (record.reminders.length === 0) return record;
    const kept: ScheduledReminder[] = [];
    for (const reminder of record.reminders) {
      try {
        await this.deps.slack.deleteScheduledMessage(reminder.channelId, reminder.scheduledMessageId);
      } catch (err) {
        // Already posted or too close to posting: Slack says invalid_scheduled_message_id; nothing to keep.
        this.deps.logger.info(
          { err, meetId: record.meetId },
          'reminder could not be deleted (probably already sent)',
        );
      }
    }
    return (await this.deps.store.updateMeeting(record.teamId, record.meetId, { reminders: kept })) ?? record;
  }

  /**
   * Schedule the reminders Slack could not take when the meeting was made (more than 120 days ahead): meetings
   * without one whose reminder now fits in Slack's window. Returns how many were scheduled.
   */
  async sweep(limit = 200): Promise<number> {
    if (this.deps.reminderMinutes <= 0) return 0;
    const now = this.deps.clock.now().getTime();
    const lead = this.deps.reminderMinutes * 60_000;
    const due = await this.deps.store.listMeetingsWithoutReminder(
      new Date(now + lead + MIN_LEAD_MS),
      new Date(now + lead + MAX_SCHEDULE_AHEAD_MS),
      limit,
    );
    let scheduled = 0;
    for (const meeting of due) {
      const updated = await this.schedule(meeting);
      if (updated.reminders.length > 0) scheduled++;
    }
    if (scheduled > 0)
      this.deps.logger.info({ scheduled }, 'scheduled reminders that were too far ahead before');
    return scheduled;
  }

  async reschedule(record: MeetingRecord): Promise<MeetingRecord> {
    return this.schedule(await this.cancel(record));
  }
}
