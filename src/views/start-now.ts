import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { MAX_TITLE_LENGTH, validateTitle } from '../domain/meeting.js';
import { START_NOW_IDS as IDS, VIEWS } from './ids.js';
import { plainText } from './text.js';

/**
 * "Start a meeting": a title and a channel; submitting posts the meeting card to that channel like `/meet` does
 * there. App Home's "Start a meeting now" button opens it as it is; the global shortcut "Start a MegaMeeting" adds
 * a choice of now or later (`askWhen`: Later turns the form into the scheduling form). The form reader validates
 * what Slack sends back (zod at the edge).
 */

export type StartWhen = 'now' | 'later';

const WHEN_OPTIONS: Record<StartWhen, PlainTextOption> = {
  now: { text: plainText('Now'), value: 'now' },
  later: { text: plainText('Later: schedule it'), value: 'later' },
};

/**
 * The optional meeting title of the instant-meeting forms (App Home's start form, the shortcuts). Without a
 * title, MeetingsService names the meeting after its host.
 */
export function titleInput(
  ids: { block: string; action: string },
  opts: { placeholder: string; initialValue?: string },
): KnownBlock {
  return {
    type: 'input',
    block_id: ids.block,
    optional: true,
    label: plainText('Title'),
    element: {
      type: 'plain_text_input',
      action_id: ids.action,
      max_length: MAX_TITLE_LENGTH,
      ...(opts.initialValue ? { initial_value: opts.initialValue } : {}),
      placeholder: plainText(opts.placeholder),
    },
    hint: plainText('Optional. Without one, the meeting is named after you.'),
  };
}

export function buildStartNowModal(opts: { askWhen?: boolean } = {}): ModalView {
  const blocks: KnownBlock[] = [
    titleInput(IDS.title, { placeholder: 'Design sync' }),
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
  ];
  if (opts.askWhen) {
    blocks.push({
      type: 'input',
      block_id: IDS.when.block,
      // Choosing Later turns this form into the scheduling form at once (block_actions → views.update).
      dispatch_action: true,
      label: plainText('When'),
      element: {
        type: 'radio_buttons',
        action_id: IDS.when.action,
        options: [WHEN_OPTIONS.now, WHEN_OPTIONS.later],
        initial_option: WHEN_OPTIONS.now,
      },
    });
  }
  return {
    type: 'modal',
    callback_id: VIEWS.startNow,
    title: plainText('Start a meeting'),
    submit: plainText('Start'),
    close: plainText('Cancel'),
    blocks,
  };
}

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z
      .object({
        value: z.string().nullish(),
        selected_conversation: z.string().nullish(),
        selected_option: z.object({ value: z.string() }).nullish(),
      })
      .passthrough(),
  ),
);

/** What is typed so far, unchecked: carried into the scheduling form when Later is chosen. */
export function readStartNowDraft(values: unknown): { title: string; channelId: string; when: StartWhen } {
  const parsed = stateSchema.safeParse(values);
  const state = parsed.success ? parsed.data : {};
  const when = state[IDS.when.block]?.[IDS.when.action]?.selected_option?.value === 'later' ? 'later' : 'now';
  return {
    title: (state[IDS.title.block]?.[IDS.title.action]?.value ?? '').trim(),
    channelId: state[IDS.channel.block]?.[IDS.channel.action]?.selected_conversation ?? '',
    when,
  };
}

export type StartNowForm =
  | { ok: true; when: StartWhen; title: string; channelId: string }
  | { ok: false; errors: Record<string, string> };

/**
 * The submitted form, or inline errors keyed by block_id (for `response_action: "errors"`). With Later chosen the
 * channel may still be empty: the scheduling form asks for it.
 */
export function readStartNowForm(values: unknown): StartNowForm {
  const { title, channelId, when } = readStartNowDraft(values);
  const errors: Record<string, string> = {};
  const titleProblem = validateTitle(title);
  if (titleProblem) errors[IDS.title.block] = titleProblem;
  const validChannel = /^[CGD][A-Z0-9]{2,}$/.test(channelId);
  if (!validChannel && when === 'now')
    errors[IDS.channel.block] = 'Pick the conversation to post the meeting in.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, when, title, channelId: validChannel ? channelId : '' };
}
