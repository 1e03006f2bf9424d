/**
 * What `/meet` answers in a multi-workspace install that cannot run it in the workspace's own app (router.ts): not
 * connected yet (admins get the Connect button), or connected but the connection could not be read just now.
 * Said in this one place.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { mrkdwnSection } from '../views/blocks.js';
import { connectActions } from '../views/connection.js';

export const NOT_CONNECTED_TEXT =
  ':warning: MegaMeeting is not connected to this workspace yet, so `/meet` cannot start or schedule meetings ' +
  "here. A workspace admin or owner connects the workspace's MegaMeeting account (its URL and an admin API " +
  'token) with `/meet connect`; until then, ask your Slack admin.';

export const NOT_CONNECTED_ADMIN_TEXT =
  ':warning: MegaMeeting is not connected to this workspace yet, so `/meet` cannot start or schedule meetings ' +
  "here. As a workspace admin, you can connect it: you need your MegaMeeting account's URL and an API token of " +
  'one of its admin logins.';

type Reply = { response_type: 'ephemeral'; text: string; blocks?: KnownBlock[] };

export function notConnectedReply(opts: { isAdmin: boolean } = { isAdmin: false }): Reply {
  if (!opts.isAdmin) return { response_type: 'ephemeral', text: NOT_CONNECTED_TEXT };
  return {
    response_type: 'ephemeral',
    text: NOT_CONNECTED_ADMIN_TEXT,
    blocks: [mrkdwnSection(NOT_CONNECTED_ADMIN_TEXT, 'not_connected'), connectActions()],
  };
}

/**
 * Connected, yet the request reached the multi-workspace app instead of the workspace's own (the connection could
 * not be read a moment ago, or it was made while the request was on its way): a retry goes through.
 */
export function connectedText(accountUrl: string): string {
  return (
    `This workspace is connected to MegaMeeting (${accountUrl}), but \`/meet\` could not be handled just now. ` +
    'Please try again in a moment; `/meet connect` shows the connection.'
  );
}

export function connectedReply(accountUrl: string): Reply {
  return { response_type: 'ephemeral', text: connectedText(accountUrl) };
}

/** The Home tab of a workspace not connected yet: what to do instead of an empty page (admins get the button). */
export function notConnectedHome(opts: { isAdmin: boolean }): HomeView {
  const text = opts.isAdmin ? NOT_CONNECTED_ADMIN_TEXT : NOT_CONNECTED_TEXT;
  return {
    type: 'home',
    blocks: [mrkdwnSection(text, 'not_connected'), ...(opts.isAdmin ? [connectActions()] : [])],
  };
}
