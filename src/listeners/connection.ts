import type { BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { WorkspaceConnectionCommands } from '../services/connection-commands.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { CONNECTION_IDS } from '../views/ids.js';
import { teamOf } from './payload.js';

/**
 * Multi-workspace mode: the "Connect MegaMeeting" buttons, the connect form's submission and the confirmed
 * Disconnect button. Registered by the multi-workspace app (src/workspaces/app.ts); single-workspace mode has no
 * such buttons or form (`/meet connect` explains the environment instead).
 */
export interface ConnectionListenersDeps {
  connectionCommands: Pick<WorkspaceConnectionCommands, 'openForm' | 'submit' | 'confirmDisconnect'>;
  slackFor(teamId: string): Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

export function register(app: ListenerApp, deps: ConnectionListenersDeps): void {
  const { connectionCommands, logger } = deps;

  const tellFailure = (
    teamId: string,
    channelId: string | null,
    userId: string,
    err: unknown,
    doing: string,
  ) =>
    deps
      .slackFor(teamId)
      .tellPrivately(channelId, userId, { text: userMessageFor(err, doing) })
      .catch((e) => logger.error({ err: e, userId }, `could not tell the user we could not ${doing}`));

  app.action<BlockAction<ButtonAction>>(CONNECTION_IDS.openConnect, async ({ ack, body }) => {
    await ack();
    const teamId = teamOf(body);
    try {
      await connectionCommands.openForm({ teamId, userId: body.user.id, triggerId: body.trigger_id });
    } catch (err) {
      logger.warn({ err, teamId, userId: body.user.id }, 'could not open the connect form');
      await tellFailure(teamId, body.channel?.id ?? null, body.user.id, err, 'open the connect form');
    }
  });

  app.view<ViewSubmitAction>(CONNECTION_IDS.view, async ({ ack, body, view }) => {
    const teamId = teamOf(body);
    const { response, rest } = await connectionCommands.submit({
      teamId,
      userId: body.user.id,
      viewId: view.id,
      values: view.state.values,
    });
    await ack(response);
    await rest?.();
  });

  app.action<BlockAction<ButtonAction>>(CONNECTION_IDS.disconnect, async ({ ack, body }) => {
    await ack();
    const teamId = teamOf(body);
    try {
      await connectionCommands.confirmDisconnect({
        teamId,
        userId: body.user.id,
        responseUrl: body.response_url,
      });
    } catch (err) {
      logger.warn({ err, teamId, userId: body.user.id }, 'could not disconnect MegaMeeting');
      await tellFailure(teamId, body.channel?.id ?? null, body.user.id, err, 'disconnect MegaMeeting');
    }
  });
}
