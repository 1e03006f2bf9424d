/**
 * Requests as Slack sends them to the app: signing, payload factories and a small sender.
 *
 * ```ts
 * const body = slashCommandBody({ text: 'Design sync tomorrow 3pm', response_url: stub.responseUrl() });
 * const res = await postToApp(appUrl, body, { secret: TEST_WORKSPACE.signingSecret });
 * expect(res.status).toBe(200);
 *
 * const card = stub.messagesIn('C0TESTCHAN')[0];
 * await postToApp(appUrl, interactivityBody(blockActionsPayload({ message: card, actionId: 'meeting_end' })), opts);
 *
 * const view = stub.lastView('schedule');
 * await postToApp(appUrl, interactivityBody(viewSubmissionPayload({
 *   view,
 *   values: { title: { value: stateValue.plainTextInput('Design sync') },
 *             when: { value: stateValue.datetimepicker(1767261600) } },
 * })), opts);
 * ```
 *
 * Wire formats (Bolt 5.1 `HTTPModuleFunctions.parseHTTPRequestBody`; /work/shared/slack/protocol.md):
 * - slash commands: `application/x-www-form-urlencoded`, one field per key, in Slack's order;
 * - interactivity (block_actions, view_submission, view_closed): urlencoded with one field `payload=<JSON>`;
 * - Events API: `application/json`.
 * Form encoding is `URLSearchParams` (space → `+`, `/` → `%2F`), which reproduces Slack's signing-vector body
 * byte for byte (see the self-test). Bolt compares the content-type with `===`, so never add `; charset=…`.
 *
 * Every factory takes camelCase conveniences (`userId`, `channelId`, `actionId`, …) and raw snake_case overrides
 * (`user`, `channel`, `actions`, `response_url`, …), which win. A key set to `undefined` is left out.
 */

import { createHmac, randomBytes } from 'node:crypto';
import type {
  BlockAction,
  SlashCommand,
  ViewClosedAction,
  ViewOutput,
  ViewStateSelectedOption,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Block, KnownBlock } from '@slack/types';
import { postOnce } from './http-post.js';
import { TEST_WORKSPACE } from './slack-workspace.js';

// ---------------------------------------------------------------------------------------------------------------
// Signing

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<body>`), as Slack computes `X-Slack-Signature`. */
export function computeSlackSignature(
  body: string,
  secret: string,
  timestampSeconds: number | string,
): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`, 'utf8').digest('hex')}`;
}

/** JSON bodies (events) start with `{`; everything else Slack sends is a form. */
export function contentTypeFor(body: string): string {
  return body.trimStart().startsWith('{') ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The headers Slack sends with `body`. `timestampSeconds` defaults to now; the content-type to the one that fits
 * the body (form, or JSON for a body starting with `{`).
 */
export function signSlackRequest(
  body: string,
  secret: string,
  timestampSeconds: number = nowSeconds(),
  contentType: string = contentTypeFor(body),
): SlackSignatureHeaders {
  return {
    'x-slack-signature': computeSlackSignature(body, secret, timestampSeconds),
    'x-slack-request-timestamp': String(timestampSeconds),
    'content-type': contentType,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

/** Applies overrides; a key whose value is `undefined` is removed. Keeps the base's key order. */
function applyOverrides<T extends object>(base: T, overrides: object): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

/** Drops keys whose value is undefined. */
function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** `application/x-www-form-urlencoded` of the fields in order (space → `+`). */
export function formEncode(fields: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

/** A trigger_id shaped like Slack's (`398738663015.47445629121.803a0bc8…`), unique per call. */
export function newTriggerId(): string {
  const a = 100000000000 + Math.floor(Math.random() * 899999999999);
  const b = 10000000000 + Math.floor(Math.random() * 89999999999);
  return `${a}.${b}.${randomBytes(16).toString('hex')}`;
}

/**
 * A placeholder response_url. It points at 127.0.0.1 port 1, which fetch refuses at once ("bad port"), so a test
 * that forgot to pass `stub.responseUrl()` fails fast instead of reaching hooks.slack.com; the path says why.
 */
export function placeholderResponseUrl(kind: 'commands' | 'actions'): string {
  const id = `${Date.now()}/${randomBytes(12).toString('hex')}`;
  return `http://127.0.0.1:1/no-response-url-given-use-stub.responseUrl/${kind}/${TEST_WORKSPACE.teamId}/${id}`;
}

/** `1700000000.123456`-style action_ts / message ts for now. */
export function slackTs(ms = Date.now()): string {
  const micros = Math.floor(ms * 1000);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function plainText(text: string): { type: 'plain_text'; text: string; emoji: boolean } {
  return { type: 'plain_text', text, emoji: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Slash commands

/** The fields of a slash command, in the order Slack sends them. */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  enterprise_id?: string;
  enterprise_name?: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export type SlashCommandOverrides = Overrides<SlashCommandFields> & { [field: string]: string | undefined };

/**
 * A slash command (`/meet` from the default user in the default channel) as the object Bolt hands listeners.
 * `enterprise_id`/`enterprise_name` appear only when given; `{ api_app_id: undefined }` removes a field.
 */
export function slashCommand(overrides: SlashCommandOverrides = {}): SlashCommand {
  const base: SlashCommandFields = {
    token: TEST_WORKSPACE.verificationToken,
    team_id: TEST_WORKSPACE.teamId,
    team_domain: TEST_WORKSPACE.teamDomain,
    channel_id: TEST_WORKSPACE.channelId,
    channel_name: TEST_WORKSPACE.channelName,
    user_id: TEST_WORKSPACE.userId,
    user_name: TEST_WORKSPACE.userName,
    command: '/meet',
    text: '',
    enterprise_id: undefined,
    enterprise_name: undefined,
    api_app_id: TEST_WORKSPACE.appId,
    is_enterprise_install: 'false',
    response_url: placeholderResponseUrl('commands'),
    trigger_id: newTriggerId(),
  };
  return defined(applyOverrides(base, overrides)) as SlashCommand;
}

/** The urlencoded body of {@link slashCommand}. */
export function slashCommandBody(overrides: SlashCommandOverrides = {}): string {
  return formEncode(slashCommand(overrides) as unknown as Record<string, string>);
}

// ---------------------------------------------------------------------------------------------------------------
// view_submission state values, exactly as Slack sends them

type OptionInput =
  | ViewStateSelectedOption
  | { text: string | ViewStateSelectedOption['text']; value: string };
function option(input: OptionInput): ViewStateSelectedOption {
  return { text: typeof input.text === 'string' ? plainText(input.text) : input.text, value: input.value };
}

export interface PlainTextInputState {
  type: 'plain_text_input';
  value: string | null;
}
export interface DatepickerState {
  type: 'datepicker';
  selected_date: string | null;
}
export interface TimepickerState {
  type: 'timepicker';
  selected_time: string | null;
  timezone?: string;
}
export interface DatetimepickerState {
  type: 'datetimepicker';
  selected_date_time: number | null;
}
export interface SelectOptionState<T extends string> {
  type: T;
  selected_option: ViewStateSelectedOption | null;
}
export interface MultiSelectOptionsState<T extends string> {
  type: T;
  selected_options: ViewStateSelectedOption[];
}
export interface UsersSelectState {
  type: 'users_select';
  selected_user: string | null;
}
export interface MultiUsersSelectState {
  type: 'multi_users_select';
  selected_users: string[];
}
export interface ConversationsSelectState {
  type: 'conversations_select';
  selected_conversation: string | null;
}
export interface MultiConversationsSelectState {
  type: 'multi_conversations_select';
  selected_conversations: string[];
}
export interface ChannelsSelectState {
  type: 'channels_select';
  selected_channel: string | null;
}
export interface TextLikeInputState<T extends string> {
  type: T;
  value: string | null;
}

/**
 * Builders for `view.state.values[block_id][action_id]`, one per element type, in Slack's shapes. An empty
 * optional input is `null` (or `[]` for multi-selects), as Slack sends it.
 */
export const stateValue = {
  plainTextInput: (value: string | null): PlainTextInputState => ({ type: 'plain_text_input', value }),
  emailTextInput: (value: string | null): TextLikeInputState<'email_text_input'> => ({
    type: 'email_text_input',
    value,
  }),
  urlTextInput: (value: string | null): TextLikeInputState<'url_text_input'> => ({
    type: 'url_text_input',
    value,
  }),
  /** Slack sends the number as a string. */
  numberInput: (value: string | number | null): TextLikeInputState<'number_input'> => ({
    type: 'number_input',
    value: value === null ? null : String(value),
  }),
  /** `YYYY-MM-DD`. */
  datepicker: (selectedDate: string | null): DatepickerState => ({
    type: 'datepicker',
    selected_date: selectedDate,
  }),
  /** `HH:mm` (24 h); `timezone` is sent back when the element had one. */
  timepicker: (selectedTime: string | null, timezone?: string): TimepickerState =>
    timezone === undefined
      ? { type: 'timepicker', selected_time: selectedTime }
      : { type: 'timepicker', selected_time: selectedTime, timezone },
  /** Unix seconds. */
  datetimepicker: (selectedDateTime: number | null): DatetimepickerState => ({
    type: 'datetimepicker',
    selected_date_time: selectedDateTime,
  }),
  staticSelect: (selected: OptionInput | null): SelectOptionState<'static_select'> => ({
    type: 'static_select',
    selected_option: selected === null ? null : option(selected),
  }),
  externalSelect: (selected: OptionInput | null): SelectOptionState<'external_select'> => ({
    type: 'external_select',
    selected_option: selected === null ? null : option(selected),
  }),
  multiStaticSelect: (selected: OptionInput[]): MultiSelectOptionsState<'multi_static_select'> => ({
    type: 'multi_static_select',
    selected_options: selected.map(option),
  }),
  multiExternalSelect: (selected: OptionInput[]): MultiSelectOptionsState<'multi_external_select'> => ({
    type: 'multi_external_select',
    selected_options: selected.map(option),
  }),
  usersSelect: (selectedUser: string | null): UsersSelectState => ({
    type: 'users_select',
    selected_user: selectedUser,
  }),
  multiUsersSelect: (selectedUsers: string[]): MultiUsersSelectState => ({
    type: 'multi_users_select',
    selected_users: selectedUsers,
  }),
  conversationsSelect: (selected: string | null): ConversationsSelectState => ({
    type: 'conversations_select',
    selected_conversation: selected,
  }),
  multiConversationsSelect: (selected: string[]): MultiConversationsSelectState => ({
    type: 'multi_conversations_select',
    selected_conversations: selected,
  }),
  channelsSelect: (selected: string | null): ChannelsSelectState => ({
    type: 'channels_select',
    selected_channel: selected,
  }),
  /** Option text may be mrkdwn for checkboxes; pass the full option object to keep it. */
  checkboxes: (selected: OptionInput[]): MultiSelectOptionsState<'checkboxes'> => ({
    type: 'checkboxes',
    selected_options: selected.map(option),
  }),
  radioButtons: (selected: OptionInput | null): SelectOptionState<'radio_buttons'> => ({
    type: 'radio_buttons',
    selected_option: selected === null ? null : option(selected),
  }),
} as const;

/**
 * `view.state.values`: block_id → action_id → value. Build the leaves with {@link stateValue} for Slack's exact
 * shapes; leaves are typed `unknown` so hand-written JSON fits too.
 */
export type StateValues = Record<string, Record<string, unknown>>;

/** One leaf of {@link StateValues} as Bolt types it. */
export type { ViewStateValue };

// ---------------------------------------------------------------------------------------------------------------
// Interactivity: block_actions, view_submission, view_closed

/** The parts of a message these factories read (a `StubMessage` from the stub fits). */
export interface MessageLike {
  ts: string;
  text?: string;
  blocks?: (KnownBlock | Block)[];
  user?: string;
  bot_id?: string;
  [field: string]: unknown;
}

/** The parts of a view these factories read (a `StubView` from the stub, or a view you built, fits). */
export interface ViewLike {
  id?: string;
  type?: string;
  callback_id?: string;
  private_metadata?: string;
  blocks?: (KnownBlock | Block)[];
  title?: { type: 'plain_text'; text: string; emoji?: boolean };
  close?: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  submit?: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  hash?: string;
  root_view_id?: string | null;
  previous_view_id?: string | null;
  external_id?: string;
  clear_on_close?: boolean;
  notify_on_close?: boolean;
  [field: string]: unknown;
}

export interface ActionInput {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  text?: { type: 'plain_text'; text: string; emoji?: boolean };
  action_ts?: string;
  [field: string]: unknown;
}

export interface BlockActionsInput {
  /** The element pressed: looked up in `message.blocks` / `view.blocks` for its block_id, type, text and value. */
  actionId?: string;
  blockId?: string;
  value?: string;
  /** Element type when it cannot be found in the blocks (default `button`). */
  actionType?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
  /** ts of the message the button is on (default: `message.ts`, else a fresh ts). */
  messageTs?: string;
  /** Ephemeral messages come with `container.is_ephemeral: true` and no `message`. */
  isEphemeral?: boolean;
  responseUrl?: string;
  triggerId?: string;
  /** The message the element is on (its blocks are searched and echoed back, as Slack does). */
  message?: MessageLike;
  /** For an element inside a modal or Home tab: the view (container becomes `{type: 'view'}`; no response_url). */
  view?: ViewLike;
  /** State of the view's inputs when `view` is given. */
  values?: StateValues;

  // Raw overrides of the payload's own fields (win over the conveniences).
  type?: 'block_actions';
  user?: BlockAction['user'];
  api_app_id?: string;
  token?: string;
  container?: Record<string, unknown>;
  trigger_id?: string;
  team?: BlockAction['team'];
  enterprise?: BlockAction['enterprise'] | null;
  is_enterprise_install?: boolean;
  channel?: BlockAction['channel'];
  state?: BlockAction['state'];
  response_url?: string;
  actions?: ActionInput[];
  [field: string]: unknown;
}

/** Finds an element by action_id in blocks (accessories, input elements, actions elements). */
export function findElement(
  blocks: readonly unknown[] | undefined,
  actionId: string,
): { blockId: string | undefined; element: Record<string, unknown> } | undefined {
  for (const block of blocks ?? []) {
    if (typeof block !== 'object' || block === null) continue;
    const b = block as Record<string, unknown>;
    const candidates: unknown[] = [b.accessory, b.element, ...(Array.isArray(b.elements) ? b.elements : [])];
    for (const el of candidates) {
      if (typeof el === 'object' && el !== null && (el as Record<string, unknown>).action_id === actionId) {
        return {
          blockId: typeof b.block_id === 'string' ? b.block_id : undefined,
          element: el as Record<string, unknown>,
        };
      }
    }
  }
  return undefined;
}

function actionFromElement(input: BlockActionsInput, blocks: readonly unknown[] | undefined): ActionInput {
  const actionId = input.actionId ?? 'action';
  const found = findElement(blocks, actionId);
  const el = found?.element ?? {};
  const type = input.actionType ?? (typeof el.type === 'string' ? el.type : 'button');
  const action: ActionInput = {
    action_id: actionId,
    block_id: input.blockId ?? found?.blockId ?? 'block',
  };
  if (type === 'button') {
    const text = el.text as ActionInput['text'] | undefined;
    action.text = text ? { ...text, emoji: text.emoji ?? true } : plainText('Button');
    const value = input.value ?? (typeof el.value === 'string' ? el.value : undefined);
    if (value !== undefined) action.value = value;
    if (typeof el.style === 'string') action.style = el.style;
    if (typeof el.url === 'string') action.url = el.url;
  } else if (input.value !== undefined) {
    action.value = input.value;
  }
  action.type = type;
  action.action_ts = slackTs();
  return action;
}

function viewOutput(view: ViewLike, values: StateValues | undefined): ViewOutput {
  const id = view.id ?? 'V0TESTVIEW1';
  return {
    id,
    team_id: TEST_WORKSPACE.teamId,
    type: view.type ?? 'modal',
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: (values ?? {}) as ViewOutput['state']['values'] },
    hash: view.hash ?? `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
    title: view.title ?? plainText('MegaMeeting'),
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: view.previous_view_id ?? null,
    root_view_id: view.root_view_id ?? id,
    app_id: TEST_WORKSPACE.appId,
    external_id: view.external_id ?? '',
    app_installed_team_id: TEST_WORKSPACE.teamId,
    bot_id: TEST_WORKSPACE.botId,
  };
}

/**
 * A `block_actions` payload (a button press by default), with the fields in the order Slack sends them:
 * type, user, api_app_id, token, container, trigger_id, team, enterprise, is_enterprise_install, channel,
 * message, state, response_url, actions.
 */
export function blockActionsPayload(input: BlockActionsInput = {}): BlockAction {
  const {
    actionId: _a,
    blockId: _b,
    value: _v,
    actionType: _t,
    userId,
    userName,
    teamId,
    teamDomain,
    channelId,
    channelName,
    messageTs,
    isEphemeral,
    responseUrl,
    triggerId,
    message,
    view,
    values,
    ...raw
  } = input;
  const user = {
    id: userId ?? TEST_WORKSPACE.userId,
    username: userName ?? TEST_WORKSPACE.userName,
    name: userName ?? TEST_WORKSPACE.userName,
    team_id: teamId ?? TEST_WORKSPACE.teamId,
  };
  const team = { id: teamId ?? TEST_WORKSPACE.teamId, domain: teamDomain ?? TEST_WORKSPACE.teamDomain };
  const ts = messageTs ?? message?.ts ?? slackTs();
  const channel =
    channelId ?? (typeof message?.channel === 'string' ? message.channel : TEST_WORKSPACE.channelId);
  const action = actionFromElement(input, view ? view.blocks : message?.blocks);

  let base: Record<string, unknown>;
  if (view) {
    const output = viewOutput(view, values);
    base = {
      type: 'block_actions',
      user,
      api_app_id: TEST_WORKSPACE.appId,
      token: TEST_WORKSPACE.verificationToken,
      container: { type: 'view', view_id: output.id },
      trigger_id: triggerId ?? newTriggerId(),
      team,
      enterprise: null,
      is_enterprise_install: false,
      view: output,
      actions: [action],
    };
  } else {
    const echoed: Record<string, unknown> | undefined = isEphemeral
      ? undefined
      : {
          user: message?.user ?? TEST_WORKSPACE.botUserId,
          type: 'message',
          ts,
          bot_id: message?.bot_id ?? TEST_WORKSPACE.botId,
          app_id: TEST_WORKSPACE.appId,
          text: message?.text ?? '',
          team: TEST_WORKSPACE.teamId,
          blocks: message?.blocks ?? [],
          ...(message?.edited ? { edited: message.edited } : {}),
        };
    base = defined({
      type: 'block_actions',
      user,
      api_app_id: TEST_WORKSPACE.appId,
      token: TEST_WORKSPACE.verificationToken,
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: isEphemeral ?? false },
      trigger_id: triggerId ?? newTriggerId(),
      team,
      enterprise: null,
      is_enterprise_install: false,
      channel: {
        id: channel,
        name:
          channelName ??
          (channel === TEST_WORKSPACE.channelId ? TEST_WORKSPACE.channelName : channel.toLowerCase()),
      },
      message: echoed,
      state: { values: values ?? {} },
      response_url: responseUrl ?? placeholderResponseUrl('actions'),
      actions: [action],
    });
  }
  return applyOverrides(base, raw) as unknown as BlockAction;
}

export interface ViewSubmissionInput {
  /** The view being submitted (e.g. `stub.lastView('schedule')`); its id, blocks, hash, title… are echoed. */
  view?: ViewLike;
  callbackId?: string;
  privateMetadata?: string;
  viewId?: string;
  /** `view.state.values` (build leaves with {@link stateValue}). */
  values?: StateValues;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  triggerId?: string;
  /** Only for modals with a conversations_select/channels_select that has `response_url_enabled`. */
  responseUrls?: ViewSubmitAction['response_urls'];

  // Raw overrides.
  callback_id?: string;
  private_metadata?: string;
  view_id?: string;
  state?: { values: StateValues };
  user?: ViewSubmitAction['user'] & { username?: string };
  team?: ViewSubmitAction['team'];
  api_app_id?: string;
  token?: string;
  trigger_id?: string;
  response_urls?: ViewSubmitAction['response_urls'];
  is_enterprise_install?: boolean;
  enterprise?: ViewSubmitAction['enterprise'] | null;
  [field: string]: unknown;
}

function viewPayloadParts(input: ViewSubmissionInput) {
  const view: ViewLike = { ...(input.view ?? {}) };
  const callbackId = input.callback_id ?? input.callbackId;
  const privateMetadata = input.private_metadata ?? input.privateMetadata;
  const viewId = input.view_id ?? input.viewId;
  if (callbackId !== undefined) view.callback_id = callbackId;
  if (privateMetadata !== undefined) view.private_metadata = privateMetadata;
  if (viewId !== undefined) view.id = viewId;
  const values = input.state?.values ?? input.values;
  const user = input.user ?? {
    id: input.userId ?? TEST_WORKSPACE.userId,
    username: input.userName ?? TEST_WORKSPACE.userName,
    name: input.userName ?? TEST_WORKSPACE.userName,
    team_id: input.teamId ?? TEST_WORKSPACE.teamId,
  };
  const team = input.team ?? {
    id: input.teamId ?? TEST_WORKSPACE.teamId,
    domain: input.teamDomain ?? TEST_WORKSPACE.teamDomain,
  };
  return { view: viewOutput(view, values), user, team };
}

const VIEW_CONVENIENCE_KEYS = [
  'view',
  'callbackId',
  'privateMetadata',
  'viewId',
  'values',
  'userId',
  'userName',
  'teamId',
  'teamDomain',
  'triggerId',
  'responseUrls',
  'callback_id',
  'private_metadata',
  'view_id',
  'state',
  'user',
  'team',
];

function rawViewOverrides(input: ViewSubmissionInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !VIEW_CONVENIENCE_KEYS.includes(k)));
}

/**
 * A `view_submission` payload, fields in Slack's order: type, team, user, api_app_id, token, trigger_id, view,
 * response_urls, is_enterprise_install, enterprise.
 */
export function viewSubmissionPayload(input: ViewSubmissionInput = {}): ViewSubmitAction {
  const { view, user, team } = viewPayloadParts(input);
  const base = {
    type: 'view_submission',
    team,
    user,
    api_app_id: TEST_WORKSPACE.appId,
    token: TEST_WORKSPACE.verificationToken,
    trigger_id: input.triggerId ?? newTriggerId(),
    view,
    response_urls: input.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return applyOverrides(base, rawViewOverrides(input)) as unknown as ViewSubmitAction;
}

/** A `view_closed` payload (sent when the modal has `notify_on_close: true`). */
export function viewClosedPayload(
  input: ViewSubmissionInput & { isCleared?: boolean } = {},
): ViewClosedAction {
  const { view, user, team } = viewPayloadParts(input);
  const { isCleared, triggerId: _t, responseUrls: _r, ...rest } = input;
  const base = {
    type: 'view_closed',
    team,
    user,
    api_app_id: TEST_WORKSPACE.appId,
    token: TEST_WORKSPACE.verificationToken,
    view,
    is_cleared: isCleared ?? false,
    is_enterprise_install: false,
    enterprise: null,
  };
  return applyOverrides(base, rawViewOverrides(rest)) as unknown as ViewClosedAction;
}

// ---------------------------------------------------------------------------------------------------------------
// Shortcuts (global: `shortcut`; on a message: `message_action`), shaped like Slack's reference examples

export interface ShortcutInput {
  callbackId: string;
  userId?: string;
  triggerId?: string;
}

/** A global shortcut's payload (`type: "shortcut"`). */
export function globalShortcutPayload(input: ShortcutInput): Record<string, unknown> {
  return {
    type: 'shortcut',
    token: TEST_WORKSPACE.verificationToken,
    action_ts: slackTs(),
    team: { id: TEST_WORKSPACE.teamId, domain: TEST_WORKSPACE.teamDomain },
    user: {
      id: input.userId ?? TEST_WORKSPACE.userId,
      username: TEST_WORKSPACE.userName,
      team_id: TEST_WORKSPACE.teamId,
    },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? newTriggerId(),
  };
}

/** A message shortcut's payload (`type: "message_action"`) on `message` in `channelId`. */
export function messageShortcutPayload(
  input: ShortcutInput & {
    channelId?: string;
    responseUrl?: string;
    message: { ts: string; text: string; user?: string; thread_ts?: string; bot_id?: string };
  },
): Record<string, unknown> {
  const channelId = input.channelId ?? TEST_WORKSPACE.channelId;
  return {
    ...globalShortcutPayload(input),
    type: 'message_action',
    channel: { id: channelId, name: channelId.toLowerCase() },
    message_ts: input.message.ts,
    message: { type: 'message', ...input.message },
    response_url: input.responseUrl ?? placeholderResponseUrl('actions'),
  };
}

/** The urlencoded interactivity body: `payload=<urlencoded JSON>`. */
export function interactivityBody(payload: object): string {
  return formEncode({ payload: JSON.stringify(payload) });
}

// ---------------------------------------------------------------------------------------------------------------
// Events API

export interface EventEnvelope<E extends { type: string } = { type: string; [field: string]: unknown }> {
  token: string;
  team_id: string;
  context_team_id: string;
  context_enterprise_id: string | null;
  api_app_id: string;
  event: E;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: {
    enterprise_id: string | null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }[];
  is_ext_shared_channel: boolean;
  event_context: string;
  [field: string]: unknown;
}

/** The Events API envelope around `event` (authorizations name the bot user, as for a bot-token install). */
export function eventCallback<E extends { type: string }>(
  event: E,
  overrides: Overrides<EventEnvelope<E>> & { [field: string]: unknown } = {},
): EventEnvelope<E> {
  const base: EventEnvelope<E> = {
    token: TEST_WORKSPACE.verificationToken,
    team_id: TEST_WORKSPACE.teamId,
    context_team_id: TEST_WORKSPACE.teamId,
    context_enterprise_id: null,
    api_app_id: TEST_WORKSPACE.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEST_WORKSPACE.teamId,
        user_id: TEST_WORKSPACE.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  };
  return applyOverrides(base, overrides);
}

/** The JSON body of {@link eventCallback}. */
export function eventCallbackBody<E extends { type: string }>(
  event: E,
  overrides: Overrides<EventEnvelope<E>> & { [field: string]: unknown } = {},
): string {
  return JSON.stringify(eventCallback(event, overrides));
}

/** An `app_home_opened` event (shape of the real capture in test/fixtures/slack.app_home_opened.*.json). */
export function appHomeOpenedEvent(
  input: { userId?: string; tab?: 'home' | 'messages'; view?: Record<string, unknown> } = {},
): {
  type: 'app_home_opened';
  user: string;
  channel: string;
  tab: 'home' | 'messages';
  event_ts: string;
  view?: object;
} {
  const userId = input.userId ?? TEST_WORKSPACE.userId;
  const event = {
    type: 'app_home_opened' as const,
    user: userId,
    channel: userId.startsWith('U') ? `D${userId.slice(1)}` : `D${userId}`,
    tab: input.tab ?? 'home',
    event_ts: slackTs(),
  };
  return input.view ? { ...event, view: input.view } : event;
}

/** The body Slack sends to verify a Request URL (`{token, challenge, type: "url_verification"}`). */
export function urlVerificationBody(challenge = randomBytes(16).toString('hex')): string {
  return JSON.stringify({ token: TEST_WORKSPACE.verificationToken, challenge, type: 'url_verification' });
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

export interface PostToAppOptions {
  /** Signing secret (default `TEST_WORKSPACE.signingSecret`). */
  secret?: string;
  /** Default: JSON for a body starting with `{`, else urlencoded. */
  contentType?: string;
  /** Unix seconds for `X-Slack-Request-Timestamp` (default now); sign with it unless `signature` is given. */
  timestamp?: number | string;
  /** Send this `X-Slack-Signature` instead of the correct one, or `false` to send none. */
  signature?: string | false;
  /** Extra headers, e.g. `{ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }`. */
  headers?: Record<string, string>;
  /** Abort after this many ms (default 10 000). */
  timeoutMs?: number;
}

export interface AppResponse {
  status: number;
  /** Response body as text (Bolt acks with an empty body, or JSON when `ack()` got an argument). */
  body: string;
  headers: Record<string, string>;
  /** Time from sending to the full answer: Slack wants it under 3000 ms. */
  elapsedMs: number;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

/** POSTs `body` to the app (`http://127.0.0.1:<port>/slack/events`), signed like Slack, and times the answer. */
export async function postToApp(
  appUrl: string,
  body: string,
  options: PostToAppOptions = {},
): Promise<AppResponse> {
  const timestamp = options.timestamp ?? nowSeconds();
  const secret = options.secret ?? TEST_WORKSPACE.signingSecret;
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? contentTypeFor(body),
    'x-slack-request-timestamp': String(timestamp),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(options.signature === false
      ? {}
      : { 'x-slack-signature': options.signature ?? computeSlackSignature(body, secret, timestamp) }),
    ...options.headers,
  };
  const res = await postOnce(appUrl, body, headers, options.timeoutMs ?? 10_000);
  const text = res.body;
  const elapsedMs = res.elapsedMs;
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    body: text,
    headers: res.headers,
    elapsedMs,
    json,
  };
}

/**
 * A client bound to one app URL and secret: `const slack = new SlackRequestClient(appUrl)`, then
 * `await slack.command({ text: 'help' })`, `slack.action({ message, actionId })`, `slack.submitView({...})`.
 */
export class SlackRequestClient {
  constructor(
    readonly appUrl: string,
    readonly defaults: PostToAppOptions = {},
  ) {}

  post(body: string, options: PostToAppOptions = {}): Promise<AppResponse> {
    return postToApp(this.appUrl, body, { ...this.defaults, ...options });
  }

  command(overrides: SlashCommandOverrides = {}, options?: PostToAppOptions): Promise<AppResponse> {
    return this.post(slashCommandBody(overrides), options);
  }

  action(input: BlockActionsInput = {}, options?: PostToAppOptions): Promise<AppResponse> {
    return this.post(interactivityBody(blockActionsPayload(input)), options);
  }

  submitView(input: ViewSubmissionInput = {}, options?: PostToAppOptions): Promise<AppResponse> {
    return this.post(interactivityBody(viewSubmissionPayload(input)), options);
  }

  closeView(
    input: ViewSubmissionInput & { isCleared?: boolean } = {},
    options?: PostToAppOptions,
  ): Promise<AppResponse> {
    return this.post(interactivityBody(viewClosedPayload(input)), options);
  }

  event<E extends { type: string }>(event: E, options?: PostToAppOptions): Promise<AppResponse> {
    return this.post(eventCallbackBody(event), options);
  }
}
