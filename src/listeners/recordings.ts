import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { RecordingsService } from '../services/recordings/index.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import { ACTIONS, actionPattern } from '../views/ids.js';
import { buttonContext } from './payload.js';

/** Recording DM buttons (Download/Play links, Try again), in DMs and in `/meet recordings`. */
export interface RecordingListenersDeps {
  recordings: Pick<RecordingsService, 'retryRemux'>;
  slack: Pick<SlackGateway, 'respond' | 'updateMessage' | 'tellPrivately'>;
  logger: AppLogger;
}

export function register(app: App, deps: RecordingListenersDeps): void {
  const { recordings, slack, logger } = deps;
  // URL buttons still send an action; acknowledge it so Slack shows no error.
  app.action(actionPattern(ACTIONS.download), async ({ ack }) => {
    await ack();
  });
  app.action(actionPattern(ACTIONS.play), async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.retryRemux), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: recId } = buttonContext(body, action);
    const messageTs = body.message?.ts ?? body.container?.message_ts ?? null;
    const log = logger.child({ action: 'recording_retry', recId, userId });
    try {
      const message = await recordings.retryRemux(teamId, userId, recId);
      if (body.container?.is_ephemeral || !channelId || !messageTs) {
        if (body.response_url) await slack.respond(body.response_url, { ...message, replace_original: true });
      } else {
        await slack.updateMessage(channelId, messageTs, message);
      }
    } catch (err) {
      log.warn({ err }, 'retrying the processing of a recording failed');
      const text = userMessageFor(err, 'request processing of the recording again');
      const reply = body.response_url
        ? slack.respond(body.response_url, {
            text,
            response_type: 'ephemeral',
            replace_original: false,
          })
        : slack.tellPrivately(channelId, userId, { text });
      await reply.catch((e) => log.error({ err: e }, 'could not tell the user why the retry failed'));
    }
  });
}
