import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { validateTitle } from '../domain/meeting.js';
import { truncate } from '../util/text.js';
import { MEET_ABOUT_IDS as IDS, VIEWS } from './ids.js';
import { readMetadata } from './schedule-form.js';
import { titleInput } from './start-now.js';
import { escapeMrkdwn, plainText } from './text.js';

/**
 * The message shortcut "Meet about this": a form with the title taken from the message (editable); submitting
 * starts an instant meeting whose card goes in the message's thread and whose author is invited by DM.
 */

/** Titles drawn from a message stop at a word boundary before this many characters. */
export const MESSAGE_TITLE_MAX = 80;

/**
 * A title from a message's text: its first non-empty line, Slack's markup turned into what readers see (links to
 * their label or address, channel names, no user or broadcast mentions, no bold/italic/code marks), spaces
 * collapsed, cut at a word boundary before MESSAGE_TITLE_MAX with "…". Empty when nothing readable is left.
 */
export function titleFromMessage(text: string): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<([^<>|]+)\|([^<>]*)>/g, (_m, target: string, label: string) =>
      target.startsWith('#') ? `#${label}` : label,
    )
    .replace(/<([@!#][^<>]*)>/g, '')
    .replace(/<(?:https?:\/\/|mailto:)([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const line =
    plain
      .split(/\r?\n/)
      .map((l) =>
        l
          .replace(/^\s*(?:>|&gt;|[-•*]\s)\s*/, '')
          .replace(/(^|\s)[*_~`]+(?=\S)/g, '$1')
          .replace(/(\S)[*_~`]+(?=\s|$|[.,!?:;])/g, '$1')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((l) => l.length > 0) ?? '';
  if (Array.from(line).length <= MESSAGE_TITLE_MAX) return line;
  const cut = Array.from(line)
    .slice(0, MESSAGE_TITLE_MAX - 1)
    .join('');
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${(atWord.length >= MESSAGE_TITLE_MAX / 2 ? atWord : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

export interface MeetAboutInput {
  title: string;
  channelId: string;
  /** The thread the card goes in: the message's own thread, or the message itself. */
  threadTs: string;
  /** The message's author (invited by DM); null for a bot's message. */
  authorId: string | null;
  /** Who pressed the shortcut (not invited: they host it). */
  userId: string;
  /** The shortcut's response_url (the card's way in where the bot is not a member). */
  responseUrl: string | null;
  /** A few words of the message, quoted at the top. */
  excerpt: string;
}

const metadataSchema = z.object({
  c: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  t: z.string().regex(/^\d+\.\d+$/),
  a: z.string().nullable(),
  r: z.string().url().nullable(),
});

export function buildMeetAboutModal(input: MeetAboutInput): ModalView {
  const author = input.authorId && input.authorId !== input.userId ? input.authorId : null;
  const blocks: KnownBlock[] = [];
  if (input.excerpt) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `>${escapeMrkdwn(truncate(input.excerpt, 280)).replace(/\n/g, '\n>')}` },
      ],
    });
  }
  blocks.push(
    titleInput(IDS.title, {
      placeholder: 'What is it about?',
      ...(input.title ? { initialValue: input.title } : {}),
    }),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Starts now. The card goes in this message's thread${author ? `, and <@${author}> gets an invitation by DM` : ''}.`,
        },
      ],
    },
  );
  const meta: z.infer<typeof metadataSchema> = {
    c: input.channelId,
    t: input.threadTs,
    a: author,
    r: input.responseUrl,
  };
  return {
    type: 'modal',
    callback_id: VIEWS.meetAbout,
    title: plainText('Meet about this'),
    submit: plainText('Start'),
    close: plainText('Cancel'),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

const stateSchema = z.record(
  z.string(),
  z.record(z.string(), z.object({ value: z.string().nullish() }).passthrough()),
);

export type MeetAboutForm =
  | {
      ok: true;
      title: string;
      channelId: string;
      threadTs: string;
      /** Invited by DM (never the host). */
      invitees: string[];
      responseUrl: string | null;
    }
  | { ok: false; errors: Record<string, string> };

/** The submitted form with where it goes (from private_metadata), or inline errors keyed by block_id. */
export function readMeetAboutForm(values: unknown, privateMetadata: string | undefined): MeetAboutForm {
  const parsed = stateSchema.safeParse(values);
  const title = (
    (parsed.success ? parsed.data : {})[IDS.title.block]?.[IDS.title.action]?.value ?? ''
  ).trim();
  const problem = validateTitle(title);
  if (problem) return { ok: false, errors: { [IDS.title.block]: problem } };
  const meta = readMetadata(metadataSchema, privateMetadata);
  if (!meta) {
    return {
      ok: false,
      errors: {
        [IDS.title.block]: 'This form lost track of its message. Close it and use the shortcut again.',
      },
    };
  }
  return {
    ok: true,
    title,
    channelId: meta.c,
    threadTs: meta.t,
    invitees: meta.a ? [meta.a] : [],
    responseUrl: meta.r,
  };
}
