import type { KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH } from '../domain/meeting.js';
import { slackDateToken } from '../time/slack-date.js';
import { joinButton } from './meeting-card.js';
import { userText } from './text.js';

/**
 * The compact card a shared meeting link unfurls into (`chat.unfurl`): title, host, start in each reader's own
 * zone, state, and Join while the meeting is open. Also the private note to someone who shared a personal link.
 */

/** `open`: MegaMeeting lists the meeting, but Slack did not make it (no host, start or state known). */
export type UnfurlState = 'upcoming' | 'live' | 'ended' | 'open';

export interface MeetingUnfurlData {
  meetId: string;
  title: string;
  hostSlackUserId: string | null;
  start: Date | null;
  state: UnfurlState;
  /** The public join link; null for secure meetings and webinars (personal links only) and ended meetings. */
  joinUrl: string | null;
  /** Secure meeting or webinar: only personal links open it. */
  personalLinksOnly?: boolean;
}

const STATE_LABELS: Record<UnfurlState, string> = {
  upcoming: ':calendar: Upcoming',
  live: ':red_circle: Live',
  ended: ':white_check_mark: Ended',
  open: ':large_green_circle: Open',
};

export function buildMeetingUnfurl(data: MeetingUnfurlData): KnownBlock[] {
  const facts = [STATE_LABELS[data.state]];
  if (data.hostSlackUserId) facts.push(`Host <@${data.hostSlackUserId}>`);
  if (data.start) {
    facts.push(
      data.state === 'upcoming' ? slackDateToken(data.start) : `Started ${slackDateToken(data.start)}`,
    );
  }
  const open = data.state !== 'ended';
  const section: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*${userText(data.title, MAX_TITLE_LENGTH)}*\n${facts.join('  ·  ')}`,
    },
    ...(open && data.joinUrl ? { accessory: joinButton(data.meetId, data.joinUrl) } : {}),
  };
  const note = !open
    ? 'This meeting has ended; the link no longer opens it.'
    : data.personalLinksOnly
      ? ':lock: Guests join with the personal link sent to them privately.'
      : null;
  return [
    section,
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `MegaMeeting · Meeting ID ${data.meetId}${note ? ` · ${note}` : ''}` },
      ],
    },
  ];
}

/** To the person who shared a personal (`?key=`) link, privately: why it was not previewed, and what to do. */
export const PERSONAL_LINK_NOTE =
  ':lock: That MegaMeeting link is personal: its key lets whoever opens it join as the person it was made for, ' +
  "so I didn't preview it. If it wasn't meant for everyone here, delete the message and share the meeting's " +
  'public link instead (or ask the host to invite people from Slack).';
