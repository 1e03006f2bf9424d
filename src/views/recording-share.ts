import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { MAX_TITLE_LENGTH } from '../domain/meeting.js';
import { ACTIONS, SHARE_RECORDING_IDS as IDS, VIEWS } from './ids.js';
import { type RecordingMessageData, recordingDateText, type SlackMessage } from './recordings.js';
import { readMetadata } from './schedule-form.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * Sharing a recording to a channel: the modal (a conversation picker; its states while sharing and once shared,
 * or the form again with the reason it failed) and the card posted by the bot, with Play and a note that everyone
 * in the channel can watch it. Pure builders; the form reader validates what Slack sends back (zod at the edge).
 */

/** What the modal shows of the recording (from the store: the modal opens before any MegaMeeting call). */
export interface ShareModalInput {
  recId: string;
  /** The meeting's title when known, else null ("this recording"). */
  title: string | null;
  /** The channel picked before (shown again with `problem`). */
  channelId?: string;
  /** Why the last share did not go out, shown above the picker. */
  problem?: string;
}

const NOTE =
  'Everyone in the channel you pick can watch it: the card has a Play button, and the Play link works for ' +
  'anyone who has it.';

function recordingName(title: string | null): string {
  return title ? `*${userText(title, MAX_TITLE_LENGTH)}*` : 'this recording';
}

function shell(
  meta: { recId: string; title: string | null },
  blocks: KnownBlock[],
  submit: boolean,
): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.shareRecording,
    private_metadata: JSON.stringify({ recId: meta.recId, title: meta.title }),
    title: plainText('Share recording'),
    ...(submit ? { submit: plainText('Share') } : {}),
    close: plainText(submit ? 'Cancel' : 'Close'),
    blocks,
  };
}

/** The picker (again with the reason when the last try failed). */
export function buildShareRecordingModal(input: ShareModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.problem) {
    blocks.push({
      type: 'section',
      block_id: 'share_problem',
      text: { type: 'mrkdwn', text: `:warning: ${input.problem}` },
    });
  }
  blocks.push(
    {
      type: 'section',
      block_id: 'share_what',
      text: { type: 'mrkdwn', text: `Post ${recordingName(input.title)} to a channel.` },
    },
    {
      type: 'input',
      block_id: IDS.channel.block,
      label: plainText('Channel'),
      element: {
        type: 'conversations_select',
        action_id: IDS.channel.action,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(input.channelId ? { initial_conversation: input.channelId } : {}),
      },
      hint: plainText('For a private channel, add the MegaMeeting app to it first.'),
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: NOTE }] },
  );
  return shell(input, blocks, true);
}

/** While the card goes out (the submission's immediate answer). */
export function buildShareSendingView(meta: ShareMetadata, channelId: string): ModalView {
  return shell(
    meta,
    [
      {
        type: 'section',
        block_id: 'share_sending',
        text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: Sharing in <#${channelId}>…` },
      },
    ],
    false,
  );
}

/** Once the card is in the channel. */
export function buildShareDoneView(recId: string, channelId: string, title: string): ModalView {
  return shell(
    { recId, title },
    [
      {
        type: 'section',
        block_id: 'share_done',
        text: {
          type: 'mrkdwn',
          text:
            `:white_check_mark: Shared ${recordingName(title)} in <#${channelId}>. ` +
            'Everyone in that channel can watch it.',
        },
      },
    ],
    false,
  );
}

/** The card in the channel: what was recorded, who shared it, Play, and who can watch it. */
export function buildSharedRecordingCard(
  data: RecordingMessageData & { playUrl: string },
  sharedBy: string,
): SlackMessage {
  const title = userText(data.title, MAX_TITLE_LENGTH);
  return {
    text: `<@${sharedBy}> shared the recording of ${title}. Play: ${data.playUrl}`,
    blocks: [
      {
        type: 'section',
        block_id: 'shared_recording',
        text: {
          type: 'mrkdwn',
          text: `:movie_camera: <@${sharedBy}> shared the recording of *${title}* from ${recordingDateText(data)}.`,
        },
        accessory: {
          type: 'button',
          text: plainText('Play'),
          action_id: ACTIONS.play,
          value: data.recId,
          url: data.playUrl,
          style: 'primary',
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `:eyes: Everyone in this channel can watch it. Meeting ID ${escapeMrkdwn(data.meetId)}`,
          },
        ],
      },
    ],
  };
}

const metadataSchema = z.object({
  recId: z.string().min(1).max(200),
  title: z
    .string()
    .max(500)
    .nullish()
    .transform((t) => t ?? null),
});

/** What the modal carries in private_metadata. */
export type ShareMetadata = z.infer<typeof metadataSchema>;

const stateSchema = z.record(
  z.string(),
  z.record(z.string(), z.object({ selected_conversation: z.string().nullish() }).passthrough()),
);

export type ShareForm =
  | { ok: true; meta: ShareMetadata; channelId: string }
  | { ok: false; errors: Record<string, string> };

/** The submitted form, or inline errors keyed by block_id (for `response_action: "errors"`). */
export function readShareForm(values: unknown, privateMetadata: string): ShareForm {
  const recording = readMetadata(metadataSchema, privateMetadata);
  const parsed = stateSchema.safeParse(values);
  const channelId = (parsed.success ? parsed.data : {})[IDS.channel.block]?.[IDS.channel.action]
    ?.selected_conversation;
  if (!recording) {
    return {
      ok: false,
      errors: { [IDS.channel.block]: 'This form lost its recording. Close it and try again.' },
    };
  }
  if (!channelId || !/^[CG][A-Z0-9]{2,}$/.test(channelId)) {
    return { ok: false, errors: { [IDS.channel.block]: 'Pick the channel to share the recording in.' } };
  }
  return { ok: true, meta: recording, channelId };
}
