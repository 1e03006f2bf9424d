import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { MeetingListService } from '../services/meeting-list.js';
import type { MeetingsService } from '../services/meetings.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { ACTIONS, actionPattern } from '../views/ids.js';
import { buildMeetingCard, cardFallbackText } from '../views/meeting-card.js';
import { buildMeetingList } from '../views/messages.js';
import { buttonContext } from './payload.js';

/** Buttons on the channel card and in `/meet list`: Join (a link: only acknowledged) and End. */
export interface MeetingActionsDeps {
  meetings: Pick<MeetingsService, 'end' | 'cardData'>;
  meetingList: Pick<MeetingListService, 'listWithStatus'>;
  slack: Pick<SlackGateway, 'respond' | 'tellPrivately'>;
  logger: AppLogger;
}

export function register(app: ListenerApp, deps: MeetingActionsDeps): void {
  const { meetings, meetingList, slack, logger } = deps;
  // URL buttons still send an action; acknowledge it so Slack shows no error.
  app.action(actionPattern(ACTIONS.join), async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.end), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: meetId } = buttonContext(body, action);
    try {
      const ended = await meetings.end(teamId, meetId, userId);
      if (body.container?.is_ephemeral && body.response_url) {
        // Pressed in `/meet list`: refresh that private list rather than leave a stale End button.
        const { items, stale } = await meetingList.listWithStatus(teamId, userId);
        const list = buildMeetingList(items, { stale });
        await slack.respond(body.response_url, {
          ...list,
          replace_original: true,
        });
      } else if (ended.cardDelivery !== 'chat' && body.response_url) {
        const data = meetings.cardData(ended, { endedBy: userId });
        await slack.respond(body.response_url, {
          text: cardFallbackText(data),
          blocks: buildMeetingCard(data),
          replace_original: true,
        });
      }
    } catch (err) {
      logger.warn({ err, meetId, userId }, 'ending a meeting from a button failed');
      await slack
        .tellPrivately(channelId, userId, { text: userMessageFor(err, 'end the meeting') })
        .catch((e) => logger.error({ err: e }, 'could not tell the user why ending failed'));
    }
  });
}
