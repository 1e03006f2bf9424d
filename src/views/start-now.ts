import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { MAX_TITLE_LENGTH, validateTitle } from '../domain/meeting.js';
import { START_NOW_IDS as IDS, VIEWS } from './ids.js';
import { plainText } from './text.js';

/**
 * App Home's "Start a meeting now": a title and a channel; submitting posts the meeting card to that channel like
 * `/meet` does there. The form reader validates what Slack sends back (zod at the edge).
 */

export function buildStartNowModal(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.startNow,
    title: plainText('Start a meeting'),
    submit: plainText('Start'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: IDS.title.block,
        optional: true,
        label: plainText('Title'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.title.action,
          max_length: MAX_TITLE_LENGTH,
          placeholder: plainText('Design sync'),
        },
        hint: plainText('Optional. Without one, the meeting is named after you.'),
      },
      {
        type: 'input',
        block_id: IDS.channel.block,
        label: plainText('Post in'),
        element: {
          type: 'conversations_select',
          action_id: IDS.channel.action,
          filter: { include: ['public', 'private', 'mpim', 'im'], exclude_bot_users: true },
          // Where the bot is not a member, the card goes out through this URL (as with /meet).
          response_url_enabled: true,
        },
        hint: plainText('The meeting card with its Join button goes to this conversation.'),
      },
    ],
  };
}

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ value: z.string().nullish(), selected_conversation: z.string().nullish() }).passthrough(),
  ),
);

export type StartNowForm =
  | { ok: true; title: string; channelId: string }
  | { ok: false; errors: Record<string, string> };

/** The submitted form, or inline errors keyed by block_id (for `response_action: "errors"`). */
export function readStartNowForm(values: unknown): StartNowForm {
  const parsed = stateSchema.safeParse(values);
  const state = parsed.success ? parsed.data : {};
  const title = (state[IDS.title.block]?.[IDS.title.action]?.value ?? '').trim();
  const channelId = state[IDS.channel.block]?.[IDS.channel.action]?.selected_conversation ?? '';
  const errors: Record<string, string> = {};
  const titleProblem = validateTitle(title);
  if (titleProblem) errors[IDS.title.block] = titleProblem;
  if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId))
    errors[IDS.channel.block] = 'Pick the conversation to post the meeting in.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, title, channelId };
}
