import type { KnownBlock } from '@slack/types';
import { slackDateToken } from '../time/slack-date.js';
import { joinButton, type MeetingCardData } from './meeting-card.js';
import { userText } from './text.js';

/** The DM a mentioned user gets: who invites them to what, and a Join button. */
export function buildInvitation(
  card: MeetingCardData,
  joinUrl: string | null,
): { text: string; blocks: KnownBlock[] } {
  const title = userText(card.title, 200);
  const when = card.kind === 'instant' ? 'now' : slackDateToken(card.start);
  const text = `<@${card.hostSlackUserId}> invited you to the MegaMeeting "${title}" (${when}).`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:wave: <@${card.hostSlackUserId}> invited you to *${title}*, ${when}.\nMeeting ID: ${card.meetId}`,
      },
    },
  ];
  if (joinUrl) {
    blocks.push({
      type: 'actions',
      elements: [joinButton(card.meetId, joinUrl)],
    });
  }
  return { text, blocks };
}

/** The reminder posted in the channel shortly before a scheduled start. */
export function buildReminder(
  card: MeetingCardData,
  minutes: number,
): { text: string; blocks: KnownBlock[] } {
  const title = userText(card.title, 200);
  const text = `Reminder: "${title}" starts in ${minutes} minutes.`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:alarm_clock: *${title}* starts ${slackDateToken(card.start, '{time}')} (in ${minutes} minutes). Host: <@${card.hostSlackUserId}>. Meeting ID: ${card.meetId}`,
      },
    },
  ];
  if (card.joinUrl) {
    blocks.push({
      type: 'actions',
      elements: [joinButton(card.meetId, card.joinUrl)],
    });
  }
  return { text, blocks };
}
