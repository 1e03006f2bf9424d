import type { Button, KnownBlock } from '@slack/types';
import { plainText } from './text.js';

/** The smallest Block Kit pieces the builders share: a mrkdwn section, a context line, a button. */

export function mrkdwnSection(text: string, blockId?: string): KnownBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text } };
}

export function contextLine(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

export function buttonElement(
  text: string,
  actionId: string,
  value: string,
  extra: Partial<Button> = {},
): Button {
  return { type: 'button', text: plainText(text), action_id: actionId, value, ...extra };
}
