import type { Button, KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { ACCOUNT_URL_EXAMPLE } from '../megameeting/account-url.js';
import { slackDateToken } from '../time/slack-date.js';
import { contextLine as context, mrkdwnSection as section } from './blocks.js';
import { connectionState, type HomeConnection } from './home.js';
import { CONNECTION_IDS } from './ids.js';
import { escapeMrkdwn, plainText } from './text.js';

/**
 * The workspace's MegaMeeting connection: the `/meet connect` modal (account URL, API token) with its inline
 * errors, the "checking" and "connected" modals, the status message, the disconnect confirmation, and the
 * single-workspace answer (the connection comes from the environment). Pure builders; no token ever goes into
 * any of them (the token field is never pre-filled).
 */

/** A workspace's saved connection, without its token. */
export interface WorkspaceConnection {
  accountUrl: string;
  loginId: string;
  loginEmail: string;
  /** The Slack user who connected it. */
  connectedBy: string;
  connectedAt: Date;
}

export type ConnectField = 'url' | 'token';
export type ConnectErrors = Partial<Record<ConnectField, string>>;

const TITLE = 'Connect MegaMeeting';
/** Slack's limit on an input's `max_length` is 3000; an account URL or a token is far shorter. */
const MAX_URL = 200;
const MAX_TOKEN = 200;

const FIELD_BLOCKS: Record<ConnectField, string> = {
  url: CONNECTION_IDS.url.block,
  token: CONNECTION_IDS.token.block,
};

function errorLine(field: ConnectField, message: string): KnownBlock {
  return {
    type: 'context',
    block_id: `${FIELD_BLOCKS[field]}_error`,
    elements: [{ type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(message)}` }],
  };
}

/** "<url> · API token of <email> (`<loginId>`)" */
function accountLine(c: Pick<WorkspaceConnection, 'accountUrl' | 'loginId' | 'loginEmail'>): string {
  return `${escapeMrkdwn(c.accountUrl)} · API token of ${escapeMrkdwn(c.loginEmail)} (\`${escapeMrkdwn(c.loginId)}\`)`;
}

function connectedLine(c: WorkspaceConnection): string {
  return `Connected by <@${c.connectedBy}> ${slackDateToken(c.connectedAt)}`;
}

export interface ConnectModalInput {
  /** What the URL field starts with (what was typed before, or the current account's URL). */
  accountUrl?: string;
  /** The account connected now (the form replaces it). */
  current?: WorkspaceConnection | null;
  /** Refusals to show under their fields (after a check that took longer than Slack's 3 seconds). */
  errors?: ConnectErrors;
}

/** The form: account URL and an admin API token. The token field is never pre-filled. */
export function buildConnectModal(input: ConnectModalInput = {}): ModalView {
  const errors = input.errors ?? {};
  const blocks: KnownBlock[] = [
    section(
      'Connect this Slack workspace to your MegaMeeting account. The app checks the URL and the token with ' +
        'MegaMeeting before saving anything.',
    ),
  ];
  if (input.current) {
    blocks.push(context(`Connected now: ${accountLine(input.current)}. Saving replaces it.`));
  }
  blocks.push({
    type: 'input',
    block_id: CONNECTION_IDS.url.block,
    label: plainText('Account URL'),
    hint: plainText('The address you sign in to MegaMeeting at.'),
    element: {
      type: 'url_text_input',
      action_id: CONNECTION_IDS.url.action,
      placeholder: plainText(ACCOUNT_URL_EXAMPLE),
      ...(input.accountUrl ? { initial_value: input.accountUrl.slice(0, MAX_URL) } : {}),
    },
  });
  if (errors.url) blocks.push(errorLine('url', errors.url));
  blocks.push({
    type: 'input',
    block_id: CONNECTION_IDS.token.block,
    label: plainText('Admin API token'),
    hint: plainText(
      'An API token of an admin or owner login of that account. It is stored encrypted and never shown again.',
    ),
    element: {
      type: 'plain_text_input',
      action_id: CONNECTION_IDS.token.action,
      max_length: MAX_TOKEN,
      placeholder: plainText('Paste the token'),
    },
  });
  if (errors.token) blocks.push(errorLine('token', errors.token));
  blocks.push(
    context(
      'Only Slack workspace admins and owners can connect or disconnect. Everyone in the workspace then ' +
        'meets through this account; each person is matched to their own MegaMeeting login by email.',
    ),
  );
  return {
    type: 'modal',
    callback_id: CONNECTION_IDS.view,
    title: plainText(TITLE),
    submit: plainText('Check and connect'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** `block_id → message` for `response_action: "errors"`. */
export function connectFormErrors(errors: ConnectErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as Array<[ConnectField, string | undefined]>) {
    if (message) out[FIELD_BLOCKS[field]] = message;
  }
  return out;
}

const valueSchema = z.object({ value: z.string().nullish() }).passthrough();
const stateSchema = z.record(z.string(), z.record(z.string(), valueSchema));

export type ConnectForm =
  | { ok: true; accountUrl: string; apiToken: string }
  | { ok: false; errors: ConnectErrors };

/** Reads the submitted form (`view.state.values`); empty fields are inline errors. */
export function readConnectForm(values: unknown): ConnectForm {
  const parsed = stateSchema.safeParse(values);
  const state = parsed.success ? parsed.data : {};
  const accountUrl = (state[CONNECTION_IDS.url.block]?.[CONNECTION_IDS.url.action]?.value ?? '').trim();
  const apiToken = (state[CONNECTION_IDS.token.block]?.[CONNECTION_IDS.token.action]?.value ?? '').trim();
  const errors: ConnectErrors = {};
  if (!accountUrl) errors.url = `Enter your MegaMeeting account URL, e.g. ${ACCOUNT_URL_EXAMPLE}`;
  if (!apiToken) errors.token = 'Paste an API token of an admin login of your MegaMeeting account.';
  return errors.url || errors.token ? { ok: false, errors } : { ok: true, accountUrl, apiToken };
}

/** Shown while MegaMeeting is being asked (when that takes longer than Slack waits for an answer). */
export function buildCheckingModal(): ModalView {
  return buildConnectionNoticeModal(':hourglass_flowing_sand: Checking the account with MegaMeeting…');
}

/** A modal with only a message (a refusal, a failure). */
export function buildConnectionNoticeModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: CONNECTION_IDS.noticeView,
    title: plainText(TITLE),
    close: plainText('Close'),
    blocks: [section(text)],
  };
}

/** After a successful connect. */
export function buildConnectedModal(c: WorkspaceConnection): ModalView {
  return {
    type: 'modal',
    callback_id: CONNECTION_IDS.noticeView,
    title: plainText(TITLE),
    close: plainText('Done'),
    blocks: [
      section(`:white_check_mark: *MegaMeeting is connected.*\n${accountLine(c)}`, 'connect_done'),
      context('Everyone in this workspace can now use `/meet`. `/meet connect` shows this connection again.'),
    ],
  };
}

/** The primary "Connect MegaMeeting" button (opens the connect form; admins only). */
export function connectActions(): KnownBlock {
  return { type: 'actions', elements: [{ ...connectButton('Connect MegaMeeting'), style: 'primary' }] };
}

function connectButton(text: string): Button {
  return { type: 'button', text: plainText(text), action_id: CONNECTION_IDS.openConnect, value: 'connect' };
}

function disconnectButton(c: WorkspaceConnection): Button {
  return {
    type: 'button',
    text: plainText('Disconnect'),
    action_id: CONNECTION_IDS.disconnect,
    value: 'disconnect',
    style: 'danger',
    confirm: {
      title: plainText('Disconnect MegaMeeting?'),
      text: plainText(
        `/meet stops working in this workspace until an admin connects an account again. The token is deleted from the app (it stays valid in MegaMeeting: revoke it there if it should stop working). Account: ${c.accountUrl.slice(0, 200)}`,
      ),
      confirm: plainText('Disconnect'),
      deny: plainText('Keep it'),
      style: 'danger',
    },
  };
}

/**
 * The connection as it stands (multi-workspace mode), ephemeral. Admins get "Connect another account" and
 * "Disconnect"; others are told who can change it.
 */
export function buildConnectionStatusMessage(
  c: WorkspaceConnection | null,
  opts: { isAdmin: boolean },
): { text: string; blocks: KnownBlock[] } {
  if (!c) {
    const text = opts.isAdmin
      ? 'This workspace is not connected to MegaMeeting yet. Connect it with an admin API token of your account.'
      : 'This workspace is not connected to MegaMeeting yet. A Slack workspace admin or owner can connect it with `/meet connect`.';
    return {
      text,
      blocks: [section(text, 'connection_status'), ...(opts.isAdmin ? [connectActions()] : [])],
    };
  }
  const text = `MegaMeeting is connected: ${accountLine(c)}.`;
  return {
    text,
    blocks: [
      section(`:large_green_circle: *MegaMeeting is connected*\n${accountLine(c)}`, 'connection_status'),
      context(connectedLine(c)),
      opts.isAdmin
        ? ({
            type: 'actions',
            elements: [connectButton('Connect another account'), disconnectButton(c)],
          } as KnownBlock)
        : context('A Slack workspace admin or owner can change or remove it.'),
    ],
  };
}

/** `/meet disconnect` by an admin: what will be removed, and the button that does it (with Slack's confirm). */
export function buildDisconnectPrompt(c: WorkspaceConnection): { text: string; blocks: KnownBlock[] } {
  const text = `Disconnect MegaMeeting (${c.accountUrl})? /meet stops working here until an admin connects again.`;
  return {
    text,
    blocks: [
      section(
        `*Disconnect MegaMeeting?*\n${accountLine(c)}\n/meet stops working in this workspace until an admin connects an account again.`,
        'disconnect_prompt',
      ),
      context(connectedLine(c)),
      { type: 'actions', elements: [disconnectButton(c)] },
    ],
  };
}

/** After a disconnect (replaces the prompt). */
export function buildDisconnectedMessage(
  c: WorkspaceConnection | null,
  by: string,
): { text: string; blocks: KnownBlock[] } {
  const text = c
    ? `<@${by}> disconnected MegaMeeting (${escapeMrkdwn(c.accountUrl)}). /meet needs a new connection (\`/meet connect\`) before it works again here.`
    : 'This workspace was not connected to MegaMeeting (anymore): nothing to disconnect.';
  return { text, blocks: [section(text, 'disconnect_done')] };
}

/**
 * Single-workspace mode: `/meet connect` and `/meet disconnect` explain that the connection comes from the
 * environment; admins also see which account and whose token (as the App Home shows them).
 */
export function buildEnvironmentConnectionMessage(
  command: 'connect' | 'disconnect',
  c: HomeConnection | null,
): { text: string; blocks: KnownBlock[] } {
  const lead =
    command === 'connect'
      ? 'This app serves one workspace, connected to MegaMeeting by its environment: nothing to connect here.'
      : 'This app serves one workspace, connected to MegaMeeting by its environment: it cannot be disconnected from Slack.';
  const how =
    'The operator sets `MEGAMEETING_URL` and `MEGAMEETING_API_TOKEN` and restarts the app to change it. ' +
    '(`/meet connect` and `/meet disconnect` are for installations offered to many workspaces.)';
  const blocks: KnownBlock[] = [section(`${lead}\n${how}`, 'connection_environment')];
  if (c) {
    const { state, fields } = connectionState(c);
    blocks.push({
      type: 'section',
      block_id: 'connection_status',
      text: { type: 'mrkdwn', text: state },
      fields,
    });
  } else {
    blocks.push(context('Workspace admins see which account and login here.'));
  }
  return { text: `${lead} ${how}`, blocks };
}
