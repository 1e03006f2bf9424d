import type { Button, KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH, type MeetingKind, type MeetingStatus } from '../domain/meeting.js';
import { slackDateToken } from '../time/slack-date.js';
import { timeZoneLabel } from '../time/zones.js';
import { truncate } from '../util/text.js';
import { ACTIONS, BLOCKS } from './ids.js';
import { escapeMrkdwn, formatDuration, userText } from './text.js';

/** Plain data the channel card is built from. */
export interface MeetingCardData {
  meetId: string;
  title: string;
  hostSlackUserId: string;
  kind: MeetingKind;
  status: MeetingStatus;
  start: Date;
  end: Date | null;
  /** The host's chosen zone, shown in words for reference. */
  timeZone: string;
  /** Public join link; null for secure meetings and webinars with registration (personal links only). */
  joinUrl: string | null;
  registrantCount?: number;
  /** Verified guests of a secure meeting, when known (0 makes the card say nobody can join yet). */
  guestCount?: number;
  endedBy?: string | null;
  endedAt?: Date | null;
  /** The Slack call (calls.add `R…` id) the card shows, live or ended; null or absent: none. */
  callId?: string | null;
}

export const KIND_LABELS: Record<MeetingKind, string> = {
  instant: 'Video meeting',
  scheduled: 'Video meeting',
  webinar: 'Webinar with registration',
  secure: 'Secure meeting (verified guests)',
};

export function cardFallbackText(card: MeetingCardData): string {
  const title = userText(card.title, 200);
  if (card.status === 'ended') return `MegaMeeting "${title}" has ended.`;
  if (card.kind === 'instant') return `MegaMeeting "${title}" started by <@${card.hostSlackUserId}>.`;
  return `MegaMeeting "${title}" scheduled by <@${card.hostSlackUserId}> for ${slackDateToken(card.start)}.`;
}

function durationMinutes(card: MeetingCardData): number | null {
  return card.end ? Math.round((card.end.getTime() - card.start.getTime()) / 60_000) : null;
}

/** The Join button: a link that Slack also reports as an action (acknowledged by the listener). */
export function joinButton(meetId: string, url: string): Button {
  return button('Join meeting', ACTIONS.join, meetId, { url, style: 'primary' });
}

function button(text: string, actionId: string, value: string, extra: Partial<Button> = {}): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...extra,
  };
}

/**
 * The Calls API's block (Slack renders the call: join, participants, then "ended" with its duration). @slack/types
 * has no type for it, hence the cast.
 */
export function callBlock(callId: string): KnownBlock {
  return { type: 'call', call_id: callId } as unknown as KnownBlock;
}

/** The channel card: title, host, time every reader sees in their own zone, meeting ID, and buttons. */
export function buildMeetingCard(card: MeetingCardData): KnownBlock[] {
  const ended = card.status === 'ended';
  const minutes = durationMinutes(card);
  const headerPrefix = ended ? 'Ended: ' : '';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${headerPrefix}${card.title}`, MAX_TITLE_LENGTH),
        emoji: true,
      },
    },
  ];

  const when =
    card.kind === 'instant' && card.status !== 'scheduled'
      ? `Started ${slackDateToken(card.start)}`
      : `${slackDateToken(card.start)}${card.end ? ` – ${slackDateToken(card.end, '{time}')}` : ''}`;
  const fields = [
    `*Host*\n<@${card.hostSlackUserId}>`,
    `*When*\n${when}`,
    `*Meeting ID*\n${card.meetId}`,
    `*Type*\n${KIND_LABELS[card.kind]}`,
  ];
  if (minutes !== null && card.kind !== 'instant') fields.push(`*Duration*\n${formatDuration(minutes)}`);
  if (card.kind === 'webinar' && card.registrantCount !== undefined) {
    fields.push(`*Registered*\n${card.registrantCount}`);
  }
  blocks.push({ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) });
  // The call stays on the ended card: Slack shows it ended, with its duration.
  if (card.callId) blocks.push(callBlock(card.callId));

  if (card.kind !== 'instant' && !ended) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Times show in your own time zone. Host's zone: ${escapeMrkdwn(timeZoneLabel(card.timeZone, card.start))}.`,
        },
      ],
    });
  }

  if (ended) {
    const by = card.endedBy ? ` by <@${card.endedBy}>` : '';
    const at = card.endedAt ? ` ${slackDateToken(card.endedAt)}` : '';
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:white_check_mark: This meeting has ended${by}${at}.` }],
    });
    return blocks;
  }

  const actions: Button[] = [];
  if (card.joinUrl) actions.push(joinButton(card.meetId, card.joinUrl));
  if (card.kind === 'webinar') {
    actions.push(button('Register', ACTIONS.register, card.meetId, { style: 'primary' }));
    actions.push(button('Manage registrants', ACTIONS.manageGuests, card.meetId));
  }
  if (card.kind === 'secure') {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            card.guestCount === 0
              ? ':lock: No verified guests yet: the host adds them with Manage guests. Need in? Request access.'
              : ':lock: Verified guests join with the personal link sent to them privately. Need in? Request access.',
        },
      ],
    });
    actions.push(button('Request access', ACTIONS.requestAccess, card.meetId));
    actions.push(button('Manage guests', ACTIONS.manageGuests, card.meetId));
  }
  if (card.status === 'scheduled' && card.kind !== 'instant')
    actions.push(button('Edit', ACTIONS.edit, card.meetId));
  actions.push(
    button('End meeting', ACTIONS.end, card.meetId, {
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'End this meeting?' },
        text: { type: 'plain_text', text: 'Everyone is disconnected and the meeting link stops working.' },
        confirm: { type: 'plain_text', text: 'End meeting' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    }),
  );
  blocks.push({ type: 'actions', block_id: BLOCKS.cardActions, elements: actions });
  return blocks;
}
