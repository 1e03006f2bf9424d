import type { AppLogger } from '../logger.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';

/**
 * Tells a user privately (ephemeral in the channel, else a DM) that something they asked for failed, in the one
 * wording of user-messages.ts; a failure to tell them is logged, never thrown.
 */
export function failureTeller(deps: { slack: Pick<SlackGateway, 'tellPrivately'>; logger: AppLogger }) {
  return (channelId: string | null, userId: string, err: unknown, doing: string): Promise<void> =>
    deps.slack
      .tellPrivately(channelId, userId, { text: userMessageFor(err, doing) })
      .catch((e) => deps.logger.error({ err: e, userId }, `could not tell the user we could not ${doing}`));
}
