import type { Button, KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH } from '../domain/meeting.js';
import { slackDateToken } from '../time/slack-date.js';
import { truncate } from '../util/text.js';
import { ACTIONS, suffixedActionId } from './ids.js';
import { openMegaMeetingButton } from './sign-in.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * Recording messages: pure builders. The ready DM (Download + Play URL buttons, Share, Delete), the failed DM
 * ("Try again", Delete), the "processing again" state of that DM after a retry, the DM once the recording was
 * deleted, and the `/meet recordings` list (App Home's recordings use the same rows).
 */

export interface RecordingMessageData {
  recId: string;
  meetId: string;
  /** The meeting's title (from the store, else from the recording's file name, else "Meeting <id>"). */
  title: string;
  /** When it was recorded; null when MegaMeeting's date did not parse (then `recordedAtRaw` is shown). */
  recordedAt: Date | null;
  recordedAtRaw: string | null;
  /** prefix + `getweb?recordingkey=/` + recPackage. */
  downloadUrl: string;
  /** prefix + recPlay; null until processing has finished. */
  playUrl: string | null;
}

export type RecordingListStatus = 'ready' | 'processing' | 'waiting' | 'failed' | 'unknown';

export interface RecordingListItem extends RecordingMessageData {
  status: RecordingListStatus;
  /** Whether the viewer may press "Try again" (the host). */
  canRetry: boolean;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack allows 50 blocks in a message; the list uses a header, up to 2 blocks per item and a footer. */
export const RECORDING_LIST_MAX = 20;

function titleOf(data: Pick<RecordingMessageData, 'title'>): string {
  return userText(data.title, MAX_TITLE_LENGTH);
}

/** `<!date^…>` (each reader's own zone), or MegaMeeting's raw text when it did not parse. */
export function recordingDateText(data: Pick<RecordingMessageData, 'recordedAt' | 'recordedAtRaw'>): string {
  if (data.recordedAt && !Number.isNaN(data.recordedAt.getTime())) return slackDateToken(data.recordedAt);
  if (data.recordedAtRaw) return userText(data.recordedAtRaw, 60);
  return 'an unknown date';
}

function plainDate(data: Pick<RecordingMessageData, 'recordedAt' | 'recordedAtRaw'>): string {
  if (data.recordedAt && !Number.isNaN(data.recordedAt.getTime()))
    return data.recordedAt.toISOString().slice(0, 10);
  return data.recordedAtRaw ? userText(data.recordedAtRaw, 60) : 'unknown date';
}

function linkButtons(data: RecordingMessageData, suffix: boolean): Button[] {
  const id = (base: string) => (suffix ? suffixedActionId(base, data.recId) : base);
  const buttons: Button[] = [
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Download', emoji: true },
      action_id: id(ACTIONS.download),
      value: data.recId,
      url: data.downloadUrl,
      style: 'primary',
    },
  ];
  if (data.playUrl) {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Play', emoji: true },
      action_id: id(ACTIONS.play),
      value: data.recId,
      url: data.playUrl,
    });
  }
  return buttons;
}

function retryButton(recId: string, suffix: boolean): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: 'Try again', emoji: true },
    action_id: suffix ? suffixedActionId(ACTIONS.retryRemux, recId) : ACTIONS.retryRemux,
    value: recId,
  };
}

/**
 * What the host (or an admin) may do with a recording: Share (only once it can be played) and Delete, behind
 * Slack's confirmation dialog. The handlers check who pressed; these buttons are only the way in.
 */
export function manageButtons(
  data: Pick<RecordingMessageData, 'recId' | 'title' | 'playUrl'>,
  suffix: boolean,
): Button[] {
  const id = (base: string) => (suffix ? suffixedActionId(base, data.recId) : base);
  const buttons: Button[] = [];
  if (data.playUrl) {
    buttons.push({
      type: 'button',
      text: plainText('Share…'),
      action_id: id(ACTIONS.shareRecording),
      value: data.recId,
    });
  }
  buttons.push({
    type: 'button',
    text: plainText('Delete'),
    action_id: id(ACTIONS.deleteRecording),
    value: data.recId,
    style: 'danger',
    confirm: {
      title: plainText('Delete this recording?'),
      // Plain text (300 characters at most): the title as typed, cut to fit.
      text: plainText(
        `"${truncate(data.title, 100)}" is deleted from MegaMeeting for good: its Download and Play links stop ` +
          'working for everyone. This cannot be undone.',
      ),
      confirm: plainText('Delete'),
      deny: plainText('Cancel'),
      style: 'danger',
    },
  });
  return buttons;
}

/** The DM sent once when a recording has finished processing. */
export function buildRecordingReadyMessage(data: RecordingMessageData): SlackMessage {
  const text =
    `Your recording of ${titleOf(data)} (${plainDate(data)}) is ready. ` +
    `Download: ${data.downloadUrl}${data.playUrl ? ` Play: ${data.playUrl}` : ''}`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: 'recording_ready',
        text: {
          type: 'mrkdwn',
          text: `:movie_camera: Your recording of *${titleOf(data)}* from ${recordingDateText(data)} is ready.`,
        },
      },
      {
        type: 'actions',
        block_id: 'recording_links',
        // "Open MegaMeeting" asks for the host's own sign-in link only when pressed (never put in the DM).
        elements: [...linkButtons(data, false), openMegaMeetingButton(), ...manageButtons(data, false)],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Meeting ID ${escapeMrkdwn(data.meetId)}` }],
      },
    ],
  };
}

/** The DM sent once when MegaMeeting could not process a recording, with a "Try again" button. */
export function buildRecordingFailedMessage(data: RecordingMessageData): SlackMessage {
  const text = `MegaMeeting could not process your recording of ${titleOf(data)} (${plainDate(data)}).`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: 'recording_failed',
        text: {
          type: 'mrkdwn',
          text:
            `:warning: MegaMeeting could not process your recording of *${titleOf(data)}* from ` +
            `${recordingDateText(data)}. Press *Try again* to request processing again.`,
        },
      },
      {
        type: 'actions',
        block_id: 'recording_retry',
        elements: [retryButton(data.recId, false), ...manageButtons(data, false)],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Meeting ID ${escapeMrkdwn(data.meetId)}` }],
      },
    ],
  };
}

/** The failed DM after "Try again": processing was requested again; a new DM follows when it is ready. */
export function buildRecordingRetryingMessage(data: RecordingMessageData): SlackMessage {
  const text = `Processing of your recording of ${titleOf(data)} was requested again.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: 'recording_retrying',
        text: {
          type: 'mrkdwn',
          text:
            `:hourglass_flowing_sand: Processing of your recording of *${titleOf(data)}* from ` +
            `${recordingDateText(data)} was requested again. I'll send you a message when it's ready.`,
        },
      },
    ],
  };
}

/** Who deleted a recording, for its DM once deleted. */
export interface RecordingDeletion {
  deletedBy: string;
  deletedAt: Date;
  /** MegaMeeting no longer had it (deleted there, or by an earlier press whose answer was lost). */
  alreadyGone: boolean;
}

/** The recording DM (ready or failed) once the recording was deleted: what it was, who deleted it, no buttons. */
export function buildRecordingDeletedMessage(
  data: Pick<RecordingMessageData, 'title' | 'meetId' | 'recordedAt' | 'recordedAtRaw'>,
  deletion: RecordingDeletion,
): SlackMessage {
  const known = data.recordedAt !== null || data.recordedAtRaw !== null;
  const from = known ? ` from ${recordingDateText(data)}` : '';
  const how = deletion.alreadyGone
    ? 'MegaMeeting no longer has it (it was deleted there)'
    : `<@${deletion.deletedBy}> deleted it ${slackDateToken(deletion.deletedAt)}`;
  return {
    text: `The recording of ${titleOf(data)} was deleted.`,
    blocks: [
      {
        type: 'section',
        block_id: 'recording_deleted',
        text: {
          type: 'mrkdwn',
          text: `:wastebasket: The recording of *${titleOf(data)}*${from} was deleted: ${how}. Its Download and Play links no longer work.`,
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Meeting ID ${escapeMrkdwn(data.meetId)}` }],
      },
    ],
  };
}

const STATUS_TEXT: Record<RecordingListStatus, string> = {
  ready: ':white_check_mark: Ready',
  processing: ':hourglass_flowing_sand: Processing',
  waiting: ':clock3: Waiting to be processed',
  failed: ':warning: Processing failed',
  unknown: ':grey_question: Status unknown',
};

/**
 * One recording of a list (`/meet recordings`, App Home): its title, date and state, and its buttons (Download,
 * Play and Share when ready, "Try again" for its host when processing failed, Delete always). Two blocks.
 */
export function recordingItemBlocks(item: RecordingListItem): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: `rec_${item.recId}`.slice(0, 255),
      text: {
        type: 'mrkdwn',
        text: `*${titleOf(item)}*\n${recordingDateText(item)} · ${STATUS_TEXT[item.status]}`,
      },
    },
  ];
  const ready = item.status === 'ready';
  const elements: Button[] = [
    ...(ready ? linkButtons(item, true) : []),
    ...(item.status === 'failed' && item.canRetry ? [retryButton(item.recId, true)] : []),
    // Share needs a Play link, which only a ready recording has.
    ...manageButtons(ready ? item : { ...item, playUrl: null }, true),
  ];
  blocks.push({ type: 'actions', block_id: `rec_actions_${item.recId}`.slice(0, 255), elements });
  return blocks;
}

/** `/meet recordings`: the user's recent recordings, newest first (at most RECORDING_LIST_MAX). */
export function buildRecordingList(items: RecordingListItem[]): SlackMessage {
  if (items.length === 0) {
    const text =
      "You have no recordings in MegaMeeting yet. Recordings of your meetings show up here once they're made.";
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = items.slice(0, RECORDING_LIST_MAX);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your recent recordings' } },
  ];
  for (const item of shown) blocks.push(...recordingItemBlocks(item));
  if (items.length > shown.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown.length} older recording(s).` }],
    });
  }
  const ready = items.filter((i) => i.status === 'ready').length;
  return { text: `You have ${items.length} recording(s), ${ready} ready.`, blocks };
}

/**
 * A readable title from a recording's file name, `…/P2P-Recording-<meetId>-Tech-Meeting-02-08-2021-10-50-20.mp4`
 * → "Tech Meeting"; null when the name does not have that shape.
 */
export function titleFromPackage(recPackage: string, meetId: string): string | null {
  const file = recPackage.split('/').at(-1) ?? '';
  const prefix = `P2P-Recording-${meetId}-`;
  if (!file.startsWith(prefix)) return null;
  const rest = file
    .slice(prefix.length)
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-\d{2}$/, '');
  const title = rest.replace(/[-_]+/g, ' ').trim();
  return title === '' ? null : title;
}
