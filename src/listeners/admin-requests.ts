import type { BlockAction, ButtonAction, ExternalSelectAction } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { AccessRequestsService } from '../services/access-requests.js';
import type { OffboardingService } from '../services/offboarding.js';
import { userMessageFor } from '../services/user-messages.js';
import { type SlackGateway, slackUserSchema, toSlackUser } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
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
  offboarding: Pick<OffboardingService, 'deactivated' | 'revokeToken' | 'deleteLogin' | 'keep'>;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

const requestIdSchema = z.string().uuid();
const loginIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** `user_change`: the member, read like a users.info answer. */
const userChangeSchema = z.object({ user: slackUserSchema });

export function register(app: ListenerApp, deps: AdminRequestListenersDeps): void {
  const { accessRequests, offboarding, slack, logger } = deps;

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

  // Offboarding: a member deactivated in Slack. Bolt has acknowledged the event; the work is awaited so that the
  // event's claim (event-dedupe.ts) covers it and a failure leaves the event to Slack's retry.
  app.event('user_change', async ({ event, body }) => {
    const parsed = userChangeSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.length }, 'user_change: unreadable event; ignored');
      return;
    }
    const user = toSlackUser(parsed.data.user);
    if (!user.deleted || user.isBot) {
      logger.debug({ userId: user.id }, 'user_change: not a deactivation; ignored');
      return;
    }
    await offboarding.deactivated({
      teamId: (body as { team_id?: string }).team_id ?? '',
      userId: user.id,
      name: user.realName,
      email: user.email,
    });
  });

  on<ButtonAction>(suffixedActionPattern(IDS.offboardRevoke), 'revoke the API token', (ctx, action) =>
    offboarding.revokeToken(ctx, requestIdSchema.parse(action.value)),
  );
  on<ButtonAction>(suffixedActionPattern(IDS.offboardDelete), 'delete the login', (ctx, action) =>
    offboarding.deleteLogin(ctx, requestIdSchema.parse(action.value)),
  );
  on<ButtonAction>(suffixedActionPattern(IDS.offboardKeep), 'keep the login', (ctx, action) =>
    offboarding.keep(ctx, requestIdSchema.parse(action.value)),
  );
}
