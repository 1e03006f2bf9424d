import type { Button, KnownBlock, ModalView } from '@slack/types';
import { ACTIONS, VIEWS } from './ids.js';
import { plainText } from './text.js';

/**
 * One-click sign-in: the "Open MegaMeeting" button (App Home, `/meet account`, the recording DM) and the modal that
 * shows its one-time link to the user who pressed it. The link itself is a secret (it signs that user in): it
 * only ever goes into this modal, which only that user sees.
 */

/** Slack's limit on a button's `url`. */
export const MAX_BUTTON_URL_LENGTH = 3000;

/** The button that asks for a sign-in link when pressed (not a link itself: the link is made on demand). */
export function openMegaMeetingButton(): Button {
  return {
    type: 'button',
    text: plainText('Open MegaMeeting'),
    action_id: ACTIONS.openMegaMeeting,
    value: 'sign_in',
  };
}

/** A private reply with "Open MegaMeeting" beside it (`/meet account`). */
export function withOpenMegaMeeting(text: string): { text: string; blocks: KnownBlock[] } {
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: 'account_link',
        text: { type: 'mrkdwn', text },
        accessory: openMegaMeetingButton(),
      },
    ],
  };
}

export type SignInState =
  | { kind: 'loading' }
  | { kind: 'ready'; url: string }
  /** Why there is no link (not linked to a login, MegaMeeting down…), already in the user's words. */
  | { kind: 'refused'; message: string };

function modal(blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.signIn,
    title: plainText('MegaMeeting'),
    close: plainText('Close'),
    blocks,
  };
}

export function buildSignInModal(state: SignInState): ModalView {
  switch (state.kind) {
    case 'loading':
      return modal([
        {
          type: 'section',
          block_id: 'sign_in_loading',
          text: {
            type: 'mrkdwn',
            text: ':hourglass_flowing_sand: Getting your sign-in link from MegaMeeting…',
          },
        },
      ]);
    case 'refused':
      return modal([
        { type: 'section', block_id: 'sign_in_refused', text: { type: 'mrkdwn', text: state.message } },
      ]);
    case 'ready':
      return modal([
        {
          type: 'section',
          block_id: 'sign_in_ready',
          text: {
            type: 'mrkdwn',
            text:
              ':key: Your one-time sign-in link is ready. It signs *you* in to MegaMeeting and works once: ' +
              "don't share it. Need another later? Press *Open MegaMeeting* again.",
          },
        },
        {
          type: 'actions',
          block_id: 'sign_in_link',
          elements: [
            {
              type: 'button',
              text: plainText('Sign in to MegaMeeting'),
              action_id: ACTIONS.signInLink,
              url: state.url,
              style: 'primary',
            },
          ],
        },
      ]);
  }
}
