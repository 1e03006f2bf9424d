import type { KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH, type MeetingKind, type MeetingStatus } from '../domain/meeting.js';
import { slackDateToken } from '../time/slack-date.js';
import { truncate } from '../util/text.js';
import { ACTIONS, BLOCKS, suffixedActionId } from './ids.js';
import { escapeMrkdwn } from './text.js';

/** Ephemeral and DM messages: pure builders. */

export const HELP_TEXT = [
  '*MegaMeeting for Slack*',
  '`/meet` start a meeting now, posted here with a Join button',
  '`/meet Design sync` start one with a title',
  '`/meet @ana @ben Design sync` start one and DM an invitation to each person mentioned',
  '`/meet Design review tomorrow at 3pm for 45m` schedule one (times read in your Slack time zone)',
  '`/meet schedule [title]` open the scheduling form',
  '`/meet webinar [title]` schedule a webinar with registration',
  '`/meet secure [title]` schedule a secure meeting with verified guests',
  '`/meet list` your upcoming and live meetings',
  '`/meet end <meeting ID>` end a meeting (host or admin)',
  '`/meet guests <meeting ID>` manage verified guests (host or admin)',
  '`/meet recordings` your recent recordings',
  '`/meet account` which MegaMeeting login you are linked to (admins: `/meet account @user <loginId>`)',
  '`/meet admin` manage MegaMeeting logins and API tokens (MegaMeeting admins)',
  '`/meet connect` which MegaMeeting account this workspace uses (workspace admins: connect it)',
  '`/meet disconnect` disconnect this workspace from MegaMeeting (workspace admins)',
  '`/meet help` this help',
].join('\n');

export function buildHelp(): { text: string; blocks: KnownBlock[] } {
  return { text: HELP_TEXT, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: HELP_TEXT } }] };
}

export const MAX_LISTED = 23;

export interface ListItem {
  meetId: string;
  title: string;
  kind: MeetingKind;
  status: MeetingStatus;
  start: Date;
  end: Date | null;
  joinUrl: string | null;
}

/**
 * `/meet list`: soonest first. Two blocks a meeting, so at most 23 fit in Slack's 50 blocks; action_ids carry the
 * meeting ID because Slack wants them unique within a message (listeners match on the prefix).
 */
/** Why a list may be out of date: MegaMeeting could not be asked. */
const STALE_LIST_NOTE =
  "I couldn't check these with MegaMeeting right now, so this list may include meetings that have already ended.";

/** `/meet list`; `stale` adds a note that MegaMeeting could not confirm the list. */
export function buildMeetingList(
  items: ListItem[],
  opts: { stale?: boolean } = {},
): { text: string; blocks: KnownBlock[] } {
  const message = buildFreshMeetingList(items);
  if (!opts.stale) return message;
  return {
    text: `${message.text} ${STALE_LIST_NOTE}`,
    blocks: [
      ...message.blocks,
      { type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${STALE_LIST_NOTE}` }] },
    ],
  };
}

function buildFreshMeetingList(items: ListItem[]): { text: string; blocks: KnownBlock[] } {
  if (items.length === 0) {
    const text =
      'You have no upcoming or live meetings. Start one with `/meet` or schedule one with `/meet schedule`.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = items.slice(0, MAX_LISTED);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your upcoming and live meetings' } },
  ];
  for (const item of shown) {
    const state = item.status === 'live' ? ':red_circle: Live' : ':calendar: Scheduled';
    const buttons = [];
    if (item.joinUrl) {
      buttons.push({
        type: 'button' as const,
        text: { type: 'plain_text' as const, text: 'Join' },
        action_id: suffixedActionId(ACTIONS.join, item.meetId),
        value: item.meetId,
        url: item.joinUrl,
      });
    }
    if (item.status === 'scheduled' && item.kind !== 'instant') {
      buttons.push({
        type: 'button' as const,
        text: { type: 'plain_text' as const, text: 'Edit' },
        action_id: suffixedActionId(ACTIONS.edit, item.meetId),
        value: item.meetId,
      });
    }
    buttons.push({
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: 'End' },
      action_id: suffixedActionId(ACTIONS.end, item.meetId),
      value: item.meetId,
      style: 'danger' as const,
    });
    blocks.push({
      type: 'section',
      block_id: BLOCKS.listItem(item.meetId),
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(truncate(item.title, MAX_TITLE_LENGTH))}*\n${state} · ${slackDateToken(item.start)} · ID ${item.meetId}`,
      },
    });
    blocks.push({ type: 'actions', block_id: `${BLOCKS.listItem(item.meetId)}_actions`, elements: buttons });
  }
  if (items.length > shown.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown.length} more.` }],
    });
  }
  return { text: `You have ${items.length} upcoming or live meeting(s).`, blocks };
}

export function textMessage(text: string): { text: string; blocks: KnownBlock[] } {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
