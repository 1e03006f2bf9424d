import { joinUrlForMeeting } from '../megameeting/urls.js';
import type { MeetingRecord } from '../store/types.js';
import type { MeetingCardData } from '../views/meeting-card.js';

/**
 * From a stored meeting to the plain data the card, reminder and invitation builders take. Pure, so that the
 * meetings and reminders services share it without depending on each other.
 */

/** The public join link; null for secure meetings and webinars, which only personal links open. */
export function meetingJoinUrl(
  megameetingUrl: string,
  record: Pick<MeetingRecord, 'meetId' | 'kind'>,
): string | null {
  return record.kind === 'secure' || record.kind === 'webinar'
    ? null
    : joinUrlForMeeting(megameetingUrl, record.meetId);
}

export function meetingCardData(
  megameetingUrl: string,
  record: MeetingRecord,
  extra: Partial<MeetingCardData> = {},
): MeetingCardData {
  return {
    meetId: record.meetId,
    title: record.title,
    hostSlackUserId: record.hostSlackUserId,
    kind: record.kind,
    status: record.status,
    start: record.startAt,
    end: record.endAt,
    timeZone: record.timeZone,
    joinUrl: meetingJoinUrl(megameetingUrl, record),
    endedAt: record.endedAt,
    callId:
      record.callState === 'added' || record.callState === 'ending' || record.callState === 'ended'
        ? record.callId
        : null,
    ...extra,
  };
}
