/**
 * Hands each verified request of a connected workspace to that workspace's own app (runtimes.ts), so `/meet`,
 * buttons, forms, App Home, unfurls and shortcuts run on its Slack token, its MegaMeeting account and its rows
 * only. What concerns the installation itself stays on the multi-workspace app: uninstall and revocation, and the
 * connect form and its buttons. A workspace without a connection stays there too (`/meet` says an admin must
 * connect it; its Home tab says the same).
 */
import type { AckFn, AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import { CONNECTION_IDS } from '../views/ids.js';
import type { WorkspaceRuntimes } from './runtimes.js';

const INSTALLATION_EVENTS = new Set(['app_uninstalled', 'tokens_revoked']);
const CONNECTION_ACTIONS = new Set<string>([CONNECTION_IDS.openConnect, CONNECTION_IDS.disconnect]);
const CONNECTION_VIEWS = new Set<string>([CONNECTION_IDS.view, CONNECTION_IDS.noticeView]);

interface RoutedBody {
  type?: string;
  event?: { type?: string };
  actions?: Array<{ action_id?: string }>;
  view?: { callback_id?: string };
}

/** Requests about the installation or the connection, which the multi-workspace app answers itself. */
export function isInstallationRequest(body: RoutedBody): boolean {
  if (body.type === 'event_callback') return INSTALLATION_EVENTS.has(body.event?.type ?? '');
  if (body.type === 'block_actions')
    return (body.actions ?? []).some((a) => CONNECTION_ACTIONS.has(a.action_id ?? ''));
  if (body.type === 'view_submission' || body.type === 'view_closed')
    return CONNECTION_VIEWS.has(body.view?.callback_id ?? '');
  return false;
}

const alreadyAcked: AckFn<unknown> = async () => {};

export function workspaceRouter(deps: {
  runtimes: WorkspaceRuntimes;
  logger: AppLogger;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const teamId = context.teamId;
    if (!teamId || !context.botToken || isInstallationRequest(body as RoutedBody)) return next();
    const runtime = await deps.runtimes
      .get(teamId, { botToken: context.botToken, botId: context.botId, botUserId: context.botUserId })
      .catch((err: unknown) => {
        // The connection could not be read (the store, or a token no key reads): answer as not connected,
        // which names what to do, rather than leave the request unanswered.
        deps.logger.error({ err, teamId }, 'could not read the workspace MegaMeeting connection');
        return null;
      });
    if (!runtime) return next();
    // Bolt acknowledges Events API deliveries before middleware runs; everything else is acknowledged by the
    // workspace's listeners, within Slack's 3 seconds as in single-workspace mode.
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as AckFn<unknown>) : alreadyAcked;
    await runtime.bolt.processEvent({
      body,
      ack,
      ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}),
      ...(context.retryReason !== undefined ? { retryReason: context.retryReason } : {}),
    });
  };
}
