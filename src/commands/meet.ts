import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { MAX_TITLE_LENGTH } from '../domain/meeting.js';
import { isAppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { ConnectionCommands } from '../services/connection-commands.js';
import type { GuestsService } from '../services/guests/index.js';
import type { IdentityService } from '../services/identity.js';
import type { MeetingListService } from '../services/meeting-list.js';
import type { MeetingsService } from '../services/meetings.js';
import type { PeopleAdminService } from '../services/people-admin.js';
import type { RecordingsService } from '../services/recordings/index.js';
import type { SchedulingService } from '../services/scheduling.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import { parseMeetingText } from '../time/plain-english.js';
import { unmappedReply } from '../views/admin-requests.js';
import { buildHelp, buildMeetingList, textMessage } from '../views/messages.js';
import { withOpenMegaMeeting } from '../views/sign-in.js';
import { userText } from '../views/text.js';
import { type MeetIntent, parseMeetCommand } from './meet-grammar.js';

export interface MeetCommandDeps {
  meetings: MeetingsService;
  meetingList: MeetingListService;
  identity: IdentityService;
  scheduling: SchedulingService;
  guests: GuestsService;
  recordings: RecordingsService;
  peopleAdmin: Pick<PeopleAdminService, 'open'>;
  /** `/meet connect` and `/meet disconnect`: the mode's implementation. */
  connectionCommands: ConnectionCommands;
  slack: SlackGateway;
  logger: AppLogger;
  clock: Clock;
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const DOING: Record<MeetIntent['kind'], string> = {
  help: 'show help',
  list: 'list your meetings',
  recordings: 'list your recordings',
  end: 'end the meeting',
  guests: 'open the guest list',
  account: 'look up your MegaMeeting login',
  account_set: 'link that account',
  admin: 'open the people admin',
  connect: 'show the MegaMeeting connection',
  disconnect: 'disconnect MegaMeeting',
  schedule: 'open the scheduling form',
  create: 'create the meeting',
};

/** `/meet`: acknowledge at once, then do the work and answer through the card or the response_url. */
export function makeMeetCommand(deps: MeetCommandDeps) {
  const reply = (responseUrl: string, message: { text: string; blocks?: unknown[] }) =>
    deps.slack.respond(responseUrl, { ...(message as { text: string }), response_type: 'ephemeral' });

  return async function meetCommand({ command, ack }: CommandArgs): Promise<void> {
    await ack();
    const intent = parseMeetCommand(command.text);
    const teamId = command.team_id;
    const userId = command.user_id;
    const log = deps.logger.child({ command: 'meet', intent: intent.kind, teamId, userId });
    try {
      await run(intent);
    } catch (err) {
      log.warn({ err }, 'the /meet command failed');
      const text = userMessageFor(err, DOING[intent.kind]);
      // Someone without a login gets the button that asks their admins for one: no dead end.
      const message =
        isAppError(err) && err.code === 'unmapped_user' ? unmappedReply(text) : textMessage(text);
      await reply(command.response_url, message).catch((e) =>
        log.error({ err: e }, 'could not tell the user about the failure'),
      );
    }

    /**
     * The reply to an action that has already happened: if Slack refuses it, the action still stands, so the
     * user must not be told it failed (the catch below would say "I couldn't …"); it is logged instead.
     */
    async function confirmDone(
      what: string,
      responseUrl: string,
      message: { text: string; blocks?: unknown[] },
    ): Promise<void> {
      await reply(responseUrl, message).catch((err: unknown) =>
        log.warn({ err, action: what }, 'done, but Slack refused the confirmation'),
      );
    }

    async function run(intent: MeetIntent): Promise<void> {
      switch (intent.kind) {
        case 'help':
          return reply(command.response_url, buildHelp());
        case 'schedule':
          return deps.scheduling.openModal({
            triggerId: command.trigger_id,
            teamId,
            userId,
            channelId: command.channel_id,
            preset: intent.preset,
            title: intent.title,
          });
        case 'list': {
          const { items, stale } = await deps.meetingList.listWithStatus(teamId, userId);
          return reply(command.response_url, buildMeetingList(items, { stale }));
        }
        case 'end': {
          const ended = await deps.meetings.end(teamId, intent.meetId, userId);
          return confirmDone(
            '/meet end',
            command.response_url,
            textMessage(`Ended "${userText(ended.title, MAX_TITLE_LENGTH)}" (${ended.meetId}).`),
          );
        }
        case 'guests':
          return deps.guests.openManageModal({
            triggerId: command.trigger_id,
            teamId,
            userId,
            meetId: intent.meetId,
          });
        case 'recordings':
          return reply(command.response_url, await deps.recordings.listForUser(teamId, userId));
        case 'account': {
          const host = await deps.identity.resolveHost(teamId, userId);
          const how =
            host.link.source === 'admin'
              ? `set by <@${host.link.linkedBy ?? 'an admin'}>`
              : `matched by your email ${host.link.email ?? ''}`.trim();
          return reply(
            command.response_url,
            withOpenMegaMeeting(`You are linked to the MegaMeeting login \`${host.loginId}\` (${how}).`),
          );
        }
        case 'account_set': {
          const login = await deps.identity.setLink(teamId, userId, intent.slackUserId, intent.loginId);
          return confirmDone(
            '/meet account',
            command.response_url,
            textMessage(
              `<@${intent.slackUserId}> is now linked to the MegaMeeting login \`${login.loginId}\` (${login.email}).`,
            ),
          );
        }
        case 'admin':
          return deps.peopleAdmin.open({ triggerId: command.trigger_id, teamId, userId });
        case 'connect':
        case 'disconnect':
          return deps.connectionCommands[intent.kind]({
            teamId,
            userId,
            triggerId: command.trigger_id,
            responseUrl: command.response_url,
          });
        case 'create':
          return create(intent);
      }
    }

    async function create(intent: Extract<MeetIntent, { kind: 'create' }>): Promise<void> {
      // Bounded wait: an unclear time opens the form, which must happen within Slack's trigger window.
      const timeZone = await deps.scheduling.userTimeZone(userId);
      const parsed = intent.title
        ? parseMeetingText(intent.title, { now: deps.clock.now(), timeZone })
        : ({ kind: 'none', title: '' } as const);
      if (parsed.kind === 'ambiguous') {
        // Not sure when: let the user confirm in the form rather than guess.
        return deps.scheduling.openModal({
          triggerId: command.trigger_id,
          teamId,
          userId,
          channelId: command.channel_id,
          preset: 'meeting',
          title: parsed.title,
          ...(parsed.start ? { start: parsed.start } : {}),
          notice: `I wasn't sure when you meant (${parsed.reason}). Check the time below.`,
        });
      }
      const base = {
        teamId,
        channelId: command.channel_id,
        hostUserId: userId,
        invitees: intent.mentions,
        responseUrl: command.response_url,
      };
      if (parsed.kind === 'scheduled') {
        await deps.meetings.create({
          ...base,
          title: parsed.title,
          kind: 'scheduled',
          start: parsed.start,
          end: parsed.end,
          timeZone,
        });
        return;
      }
      await deps.meetings.create({ ...base, title: intent.title, kind: 'instant', timeZone });
    }
  };
}
