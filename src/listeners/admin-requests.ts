import type { App, BlockAction, ButtonAction, ExternalSelectAction } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { AccessRequestsService } from '../services/access-requests.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import { ADMIN_REQUEST_IDS as IDS } from '../views/admin-requests.js';
import { actionSuffix, suffixedActionPattern } from '../views/ids.js';
import { buttonContext, teamOf } from './payload.js';

/**
 * The admins' DMs (admin-desk.ts) and the button that starts a login request. Each handler acks at once, reads the
 * payload with zod and calls a service, which re-checks admin rights on every answer (payloads can be crafted). What
 * the presser must know (a refusal, "already answered", a failure) is told privately where they pressed.
 */

export interface AdminRequestListenersDeps {
  accessRequests: Pick<AccessRequestsService, 'request' | 'create' | 'link' | 'decline' | 'loginOptions'>;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

const requestIdSchema = z.string().uuid();
const loginIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export function register(app: App, deps: AdminRequestListenersDeps): void {
  const { accessRequests, slack, logger } = deps;

  /** Runs a block action after its ack; a failure is told privately to the presser, and logged. */
  const on = <A extends BlockAction['actions'][number]>(
    actionId: string | RegExp,
    doing: string,
    run: (ctx: { teamId: string; userId: string; channelId: string | null }, action: A) => Promise<void>,
  ) => {
    app.action<BlockAction<A>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const ctx = buttonContext(body, { value: '' });
      try {
        await run(ctx, action);
      } catch (err) {
        logger.warn(
          { err, userId: ctx.userId, action: action.action_id },
          `admin request: could not ${doing}`,
        );
        await slack
          .tellPrivately(ctx.channelId, ctx.userId, { text: userMessageFor(err, doing) })
          .catch((e: unknown) => logger.error({ err: e }, 'could not tell the user about the failure'));
      }
    });
  };
  const tell = (ctx: { channelId: string | null; userId: string }, text: string) =>
    slack.tellPrivately(ctx.channelId, ctx.userId, { text });

  // The person without a login. The presser is who asks: nothing in the payload names anyone else.
  on<ButtonAction>(IDS.requestLogin, 'ask your admins for a login', async (ctx) =>
    tell(ctx, await accessRequests.request(ctx)),
  );

  // The admins' answers.
  on<ButtonAction>(suffixedActionPattern(IDS.accessCreate), 'create the login', (ctx, action) =>
    accessRequests.create(ctx, requestIdSchema.parse(action.value)),
  );
  on<ButtonAction>(suffixedActionPattern(IDS.accessDecline), 'decline the request', (ctx, action) =>
    accessRequests.decline(ctx, requestIdSchema.parse(action.value)),
  );
  on<ExternalSelectAction>(suffixedActionPattern(IDS.accessLink), 'link that login', (ctx, action) =>
    accessRequests.link(
      ctx,
      requestIdSchema.parse(actionSuffix(action.action_id)),
      loginIdSchema.parse(action.selected_option?.value),
    ),
  );
  app.options(suffixedActionPattern(IDS.accessLink), async ({ ack, body }) => {
    try {
      const options = await accessRequests.loginOptions(
        { teamId: teamOf(body), userId: body.user.id },
        z.string().max(200).catch('').parse(body.value),
      );
      await ack({
        options: options.map((o) => ({ text: { type: 'plain_text', text: o.text }, value: o.value })),
      });
    } catch (err) {
      logger.warn({ err, userId: body.user.id }, 'admin request: could not list the logins');
      await ack({ options: [] });
    }
  });
}
