import type { BlockAction, ButtonAction, CheckboxesAction, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { type GuestSpec, parseExternalGuests } from '../domain/guest-spec.js';
import { DEFAULT_GUEST_PERMISSIONS } from '../domain/meeting.js';
import { isAppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import { GUEST_PERMISSIONS } from '../megameeting/types.js';
import type { GuestsService } from '../services/guests/index.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import type { buildGuestManagerModal } from '../views/guests.js';
import {
  ACTIONS,
  actionPattern,
  actionSuffix,
  GUEST_IDS,
  suffixedActionPattern,
  VIEWS,
} from '../views/ids.js';
import { teamOf } from './payload.js';

const metadataSchema = z.object({ meetId: z.string().min(1).max(40) });
const meetIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const accessValueSchema = z.object({
  m: meetIdSchema,
  u: z.string().regex(/^[UW][A-Z0-9]+$/),
  r: z
    .string()
    .regex(/^[0-9a-f-]{36}$/)
    .optional(),
});

/** The guest manager's add form, as Slack sends view.state.values. */
const addStateSchema = z.object({
  [GUEST_IDS.addUsersBlock]: z
    .object({ [GUEST_IDS.addUsersAction]: z.object({ selected_users: z.array(z.string()).nullish() }) })
    .optional(),
  [GUEST_IDS.addExternalBlock]: z
    .object({ [GUEST_IDS.addExternalAction]: z.object({ value: z.string().nullish() }) })
    .optional(),
  [GUEST_IDS.addPermissionsBlock]: z
    .object({
      [GUEST_IDS.addPermissionsAction]: z.object({
        selected_options: z.array(z.object({ value: z.enum(GUEST_PERMISSIONS) })).nullish(),
      }),
    })
    .optional(),
});

/** Guest management, access requests and webinar registration. */
export interface GuestListenersDeps {
  guests: Pick<
    GuestsService,
    | 'register'
    | 'requestAccess'
    | 'decideAccess'
    | 'openManageModal'
    | 'busyManagerView'
    | 'addFromModal'
    | 'removeGuest'
    | 'changePermissions'
    | 'retryInvites'
    | 'showManagerProblem'
  >;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

export function register(app: ListenerApp, deps: GuestListenersDeps): void {
  const { guests, slack, logger } = deps;

  /** Tell the presser privately why something failed (ephemeral in the channel, else DM). */
  const tellFailure = async (channelId: string | null, userId: string, err: unknown, doing: string) => {
    logger.warn({ err, userId }, `guests: could not ${doing}`);
    await slack
      .tellPrivately(channelId, userId, { text: userMessageFor(err, doing) })
      .catch((e) => logger.error({ err: e }, 'could not tell the user about the failure'));
  };

  const channelOf = (body: BlockAction) => body.channel?.id ?? body.container?.channel_id ?? null;

  // A webinar's Register and a secure meeting's Request access: the same button shape, one service call each.
  const cardButtons = [
    { actionId: ACTIONS.register, run: guests.register.bind(guests), doing: 'register you' },
    { actionId: ACTIONS.requestAccess, run: guests.requestAccess.bind(guests), doing: 'send your request' },
  ];
  for (const { actionId, run, doing } of cardButtons) {
    app.action<BlockAction<ButtonAction>>(actionPattern(actionId), async ({ ack, body, action }) => {
      await ack();
      const channelId = channelOf(body);
      try {
        await run({
          teamId: teamOf(body),
          userId: body.user.id,
          meetId: meetIdSchema.parse(action.value),
          channelId,
        });
      } catch (err) {
        await tellFailure(channelId, body.user.id, err, doing);
      }
    });
  }

  for (const approve of [true, false]) {
    app.action<BlockAction<ButtonAction>>(
      approve ? ACTIONS.approveAccess : ACTIONS.denyAccess,
      async ({ ack, body, action, respond }) => {
        await ack();
        const channelId = channelOf(body);
        const doing = approve ? 'approve the request' : 'deny the request';
        try {
          const value = accessValueSchema.parse(JSON.parse(action.value ?? ''));
          const message = await guests.decideAccess({
            teamId: teamOf(body),
            actorUserId: body.user.id,
            meetId: value.m,
            requesterId: value.u,
            requestId: value.r ?? null,
            approve,
          });
          // null: this request was already answered (a double click): the first press replaces the message.
          if (message) await respond({ ...message, replace_original: true });
        } catch (err) {
          await tellFailure(channelId, body.user.id, err, doing);
        }
      },
    );
  }

  app.action<BlockAction<ButtonAction>>(
    actionPattern(ACTIONS.manageGuests),
    async ({ ack, body, action }) => {
      await ack();
      const channelId = channelOf(body);
      try {
        await guests.openManageModal({
          triggerId: body.trigger_id,
          teamId: teamOf(body),
          userId: body.user.id,
          meetId: meetIdSchema.parse(action.value),
        });
      } catch (err) {
        await tellFailure(channelId, body.user.id, err, 'open the guest list');
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(GUEST_IDS.retryInvites, async ({ ack, body, action }) => {
    await ack();
    try {
      await guests.retryInvites({ teamId: teamOf(body), userId: body.user.id, value: action.value ?? '' });
    } catch (err) {
      await tellFailure(channelOf(body), body.user.id, err, 'add those guests');
    }
  });

  // Inside the guest manager: Remove (a button per guest) and permissions (checkboxes per guest).
  app.action<BlockAction<ButtonAction>>(
    suffixedActionPattern(ACTIONS.removeGuest),
    async ({ ack, body, action }) => {
      await ack();
      try {
        const { meetId } = metadataSchema.parse(JSON.parse(body.view?.private_metadata ?? ''));
        await guests.removeGuest({
          teamId: teamOf(body),
          userId: body.user.id,
          meetId,
          ref: actionSuffix(action.action_id),
          viewId: body.view?.id ?? null,
        });
      } catch (err) {
        await tellFailure(null, body.user.id, err, 'remove that guest');
      }
    },
  );

  app.action<BlockAction<CheckboxesAction>>(
    suffixedActionPattern(ACTIONS.guestPermissions),
    async ({ ack, body, action }) => {
      await ack();
      try {
        const { meetId } = metadataSchema.parse(JSON.parse(body.view?.private_metadata ?? ''));
        const permissions = z
          .array(z.object({ value: z.enum(GUEST_PERMISSIONS) }))
          .parse(action.selected_options ?? [])
          .map((o) => o.value);
        await guests.changePermissions({
          teamId: teamOf(body),
          userId: body.user.id,
          meetId,
          ref: actionSuffix(action.action_id),
          permissions,
          viewId: body.view?.id ?? null,
        });
      } catch (err) {
        await tellFailure(null, body.user.id, err, 'change those permissions');
      }
    },
  );

  // Add guests: validate inline (bad email lines) before anything is created; then work behind a busy view.
  app.view<ViewSubmitAction>(VIEWS.guests, async ({ ack, body, view }) => {
    const teamId = teamOf(body);
    const userId = body.user.id;
    const meta = metadataSchema.safeParse(safeJson(view.private_metadata));
    const state = addStateSchema.safeParse(view.state.values);
    if (!meta.success || !state.success) {
      logger.warn({ userId }, 'guest manager submission did not match the form');
      await ack({
        response_action: 'errors',
        errors: {
          [GUEST_IDS.addExternalBlock]: 'Something in this form was unexpected. Close it and try again.',
        },
      });
      return;
    }
    const values = state.data;
    const selectedPermissions =
      values[GUEST_IDS.addPermissionsBlock]?.[GUEST_IDS.addPermissionsAction]?.selected_options;
    const permissions = selectedPermissions
      ? selectedPermissions.map((o) => o.value)
      : DEFAULT_GUEST_PERMISSIONS;
    const users = values[GUEST_IDS.addUsersBlock]?.[GUEST_IDS.addUsersAction]?.selected_users ?? [];
    const externalText = values[GUEST_IDS.addExternalBlock]?.[GUEST_IDS.addExternalAction]?.value ?? '';
    const external = parseExternalGuests(externalText, permissions);
    if (external.problems.length > 0) {
      await ack({
        response_action: 'errors',
        errors: { [GUEST_IDS.addExternalBlock]: external.problems.join(' · ').slice(0, 1900) },
      });
      return;
    }
    const specs: GuestSpec[] = [
      ...users.map((u) => ({ slackUserId: u, name: '', email: null, permissions })),
      ...external.guests,
    ];
    if (specs.length === 0) {
      await ack({
        response_action: 'errors',
        errors: {
          [GUEST_IDS.addUsersBlock]: 'Choose people or type external guests to add (or press Done).',
        },
      });
      return;
    }
    // Who is asking comes first: someone who may not manage this meeting gets the refusal inline and never its
    // guest list. Then keep the modal open, without its submit button, while MegaMeeting works.
    let busyView: ReturnType<typeof buildGuestManagerModal> | null = null;
    try {
      busyView = await guests.busyManagerView({
        teamId,
        userId,
        meetId: meta.data.meetId,
        notice: `Adding ${specs.length}…`,
      });
    } catch (err) {
      if (isAppError(err)) {
        logger.info({ userId, meetId: meta.data.meetId, code: err.code }, 'guest manager submission refused');
        await ack({
          response_action: 'errors',
          errors: { [GUEST_IDS.addExternalBlock]: err.userMessage.slice(0, 1900) },
        });
        return;
      }
      logger.warn({ err }, 'could not build the busy guest manager');
    }
    await ack(busyView ? { response_action: 'update', view: busyView } : undefined);
    try {
      await guests.addFromModal({ teamId, userId, meetId: meta.data.meetId, viewId: view.id, specs });
    } catch (err) {
      await tellFailure(null, userId, err, 'add those guests');
      await guests
        .showManagerProblem({
          teamId,
          userId,
          meetId: meta.data.meetId,
          viewId: view.id,
          notice: `:warning: ${userMessageFor(err, 'add those guests')}`,
        })
        .catch((e) => logger.warn({ err: e }, 'could not show the problem in the guest manager'));
    }
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
