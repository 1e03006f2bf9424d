import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { View } from '@slack/types';
import type { AppLogger } from '../logger.js';
import type { RecordingsService } from '../services/recordings/index.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { ACTIONS, actionPattern, VIEWS } from '../views/ids.js';
import {
  buildShareDoneView,
  buildShareRecordingModal,
  buildShareSendingView,
  readShareForm,
} from '../views/recording-share.js';
import { userText } from '../views/text.js';
import { buttonContext, teamOf } from './payload.js';

/**
 * Recording buttons (Download/Play links, Try again, Share, Delete) in DMs, `/meet recordings` and App Home, and
 * the share modal. Who may press them is checked by the service.
 */
export interface RecordingListenersDeps {
  recordings: Pick<RecordingsService, 'retryRemux' | 'deleteRecording' | 'openShareModal' | 'share'>;
  slack: Pick<SlackGateway, 'respond' | 'updateMessage' | 'tellPrivately' | 'updateView'>;
  logger: AppLogger;
}

type ButtonBody = BlockAction<ButtonAction>;

/** The message the button sits in, unless it is ephemeral (`/meet recordings`) or a view (App Home). */
function pressedMessage(body: ButtonBody, channelId: string | null): { channel: string; ts: string } | null {
  const ts = body.message?.ts ?? body.container?.message_ts ?? null;
  if (body.container?.is_ephemeral || !channelId || !ts) return null;
  return { channel: channelId, ts };
}

export function register(app: ListenerApp, deps: RecordingListenersDeps): void {
  const { recordings, slack, logger } = deps;

  /** A private answer to whoever pressed: through the response_url when there is one, else ephemeral or DM. */
  const tellPresser = (body: ButtonBody, channelId: string | null, text: string, log: AppLogger) => {
    const reply = body.response_url
      ? slack.respond(body.response_url, { text, response_type: 'ephemeral', replace_original: false })
      : slack.tellPrivately(channelId, body.user.id, { text });
    return reply.catch((e) => log.error({ err: e }, 'could not answer the user'));
  };

  // URL buttons still send an action; acknowledge it so Slack shows no error.
  app.action(actionPattern(ACTIONS.download), async ({ ack }) => {
    await ack();
  });
  app.action(actionPattern(ACTIONS.play), async ({ ack }) => {
    await ack();
  });

  app.action<ButtonBody>(actionPattern(ACTIONS.retryRemux), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: recId } = buttonContext(body, action);
    const log = logger.child({ action: 'recording_retry', recId, userId });
    try {
      const message = await recordings.retryRemux(teamId, userId, recId);
      const pressed = pressedMessage(body, channelId);
      if (pressed) await slack.updateMessage(pressed.channel, pressed.ts, message);
      else if (body.response_url)
        await slack.respond(body.response_url, { ...message, replace_original: true });
    } catch (err) {
      log.warn({ err }, 'retrying the processing of a recording failed');
      await tellPresser(
        body,
        channelId,
        userMessageFor(err, 'request processing of the recording again'),
        log,
      );
    }
  });

  app.action<ButtonBody>(actionPattern(ACTIONS.deleteRecording), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: recId } = buttonContext(body, action);
    const log = logger.child({ action: 'recording_delete', recId, userId });
    try {
      const outcome = await recordings.deleteRecording(
        { teamId, userId },
        recId,
        pressedMessage(body, channelId),
      );
      // A DM or channel message pressed now says "deleted"; App Home is republished. The ephemeral list is told.
      if (body.container?.is_ephemeral && body.response_url) {
        await tellPresser(
          body,
          channelId,
          `Deleted the recording of "${userText(outcome.title, 150)}".`,
          log,
        );
      }
    } catch (err) {
      log.warn({ err }, 'deleting a recording failed');
      await tellPresser(body, channelId, userMessageFor(err, 'delete the recording'), log);
    }
  });

  app.action<ButtonBody>(actionPattern(ACTIONS.shareRecording), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: recId } = buttonContext(body, action);
    const log = logger.child({ action: 'recording_share', recId, userId });
    try {
      await recordings.openShareModal(body.trigger_id, { teamId, userId }, recId);
    } catch (err) {
      log.warn({ err }, 'could not open the share modal');
      await tellPresser(body, channelId, userMessageFor(err, 'share the recording'), log);
    }
  });

  app.view(VIEWS.shareRecording, async ({ ack, body, view }) => {
    const form = readShareForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const { meta, channelId } = form;
    await ack({ response_action: 'update', view: buildShareSendingView(meta, channelId) });
    const userId = body.user.id;
    const log = logger.child({ action: 'recording_share', recId: meta.recId, userId });
    let next: View;
    let text: string;
    try {
      const shared = await recordings.share({ teamId: teamOf(body), userId }, meta.recId, channelId);
      next = buildShareDoneView(meta.recId, shared.channel, shared.title);
      text = `Shared the recording of "${userText(shared.title, 150)}" in <#${shared.channel}>.`;
    } catch (err) {
      log.warn({ err, channelId }, 'sharing a recording failed');
      text = userMessageFor(err, 'share the recording');
      // The form again, with the reason: pick another channel, or add the app and press Share again.
      next = buildShareRecordingModal({ ...meta, channelId, problem: text });
    }
    await slack.updateView(view.id, next).catch(async (err) => {
      // The modal was closed meanwhile: say it in a DM instead.
      log.info({ err }, 'the share modal could not be updated; telling the user in a DM');
      await slack
        .tellPrivately(null, userId, { text })
        .catch((e) => log.error({ err: e }, 'could not tell the user'));
    });
  });
}
