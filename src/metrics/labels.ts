/**
 * Label values for /metrics come from closed sets only: a value outside the set becomes `other`, so a user's
 * text, an ID or a token can never reach a label, whatever Slack or MegaMeeting sends.
 */
import { operations } from '../megameeting/operations.js';
import { ACTIONS, GUEST_IDS, SCHEDULE_IDS, VIEWS } from '../views/ids.js';

const OTHER = 'other';

export const REQUEST_TYPES = [
  'command',
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'event',
  'other',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

const COMMANDS = new Set(['/meet']);
const ACTION_IDS = new Set<string>([
  ...Object.values(ACTIONS),
  ...Object.values(SCHEDULE_IDS).flatMap((ids) => ('action' in ids ? [ids.action] : [])),
  GUEST_IDS.addUsersAction,
  GUEST_IDS.addExternalAction,
  GUEST_IDS.addPermissionsAction,
  GUEST_IDS.retryInvites,
  'guest_row',
]);
const VIEW_IDS = new Set<string>(Object.values(VIEWS));
const EVENT_TYPES = new Set([
  'app_home_opened',
  'app_mention',
  'app_uninstalled',
  'tokens_revoked',
  'message',
]);

export const OPERATIONS = new Set<string>(Object.keys(operations));
export const MEGAMEETING_ERROR_CODES = new Set<string>([
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_input',
  'unavailable',
  'timeout',
  'unexpected_response',
]);
export const SLACK_METHODS = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.scheduleMessage',
  'chat.deleteScheduledMessage',
  'chat.scheduledMessages.list',
  'auth.test',
  'conversations.open',
  'conversations.history',
  'users.info',
  'views.open',
  'views.update',
  'views.push',
  'response_url',
]);
export const SLACK_ERROR_KINDS = new Set([
  'ratelimited',
  'platform_error',
  'http_error',
  'request_error',
  'connect_failed',
  'unknown_error',
]);

export function closed(value: unknown, allowed: ReadonlySet<string>): string {
  return typeof value === 'string' && allowed.has(value) ? value : OTHER;
}

/** `meeting_end:1234567` → `meeting_end`; `guest_row_<hash>` → `guest_row`. */
function actionName(actionId: unknown): string {
  if (typeof actionId !== 'string') return OTHER;
  const base = actionId.replace(/:.*$/, '');
  return closed(base.startsWith(GUEST_IDS.rowPrefix) ? 'guest_row' : base, ACTION_IDS);
}

interface SlackBodyLike {
  command?: unknown;
  type?: unknown;
  action_id?: unknown;
  actions?: Array<{ action_id?: unknown }>;
  view?: { callback_id?: unknown };
  event?: { type?: unknown };
}

/** What kind of request a Bolt body is, as two closed-set labels. */
export function requestLabels(body: unknown): { type: RequestType; name: string } {
  const b = (body ?? {}) as SlackBodyLike;
  if (typeof b.command === 'string') return { type: 'command', name: closed(b.command, COMMANDS) };
  switch (b.type) {
    case 'block_actions':
      return { type: 'block_actions', name: actionName(b.actions?.[0]?.action_id) };
    case 'block_suggestion':
      return { type: 'block_suggestion', name: actionName(b.action_id) };
    case 'view_submission':
    case 'view_closed':
      return { type: b.type, name: closed(b.view?.callback_id, VIEW_IDS) };
    case 'event_callback':
      return { type: 'event', name: closed(b.event?.type, EVENT_TYPES) };
    default:
      return { type: 'other', name: OTHER };
  }
}
