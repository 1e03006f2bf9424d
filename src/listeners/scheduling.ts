import type { AckFn, BlockAction, ButtonAction, RadioButtonsAction, ViewResponseAction } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { SchedulingService } from '../services/scheduling.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { searchTimeZones } from '../time/zones.js';
import { ACTIONS, actionPattern, SCHEDULE_IDS, VIEWS } from '../views/ids.js';
import { type Validated, validateEditForm, validateScheduleForm } from '../views/schedule-form.js';
import { buttonContext, teamOf } from './payload.js';

/** `response_urls` that Slack adds to a view_submission for a conversations_select with response_url_enabled. */
const responseUrlsSchema = z
  .array(z.object({ response_url: z.string().url(), channel_id: z.string().optional() }))
  .optional()
  .catch(undefined);

/** Acks a submission: inline errors when it is invalid (then null), else a plain ack and the validated form. */
async function ackForm<T>(
  ack: AckFn<void> | AckFn<ViewResponseAction>,
  result: Validated<T>,
): Promise<T | null> {
  if (!result.ok) {
    await ack({ response_action: 'errors', errors: result.errors });
    return null;
  }
  await ack();
  return result.form;
}

/**
 * The scheduling modal's submission, its type switch and zone search; the Edit button and the edit modal.
 * Submissions validate before the ack (inline errors) and do the MegaMeeting work after it.
 */
export interface SchedulingListenersDeps {
  scheduling: Pick<
    SchedulingService,
    'createFromForm' | 'applyEdit' | 'openEditModal' | 'switchType' | 'preferredZone'
  >;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
  clock: Clock;
}

export function register(app: ListenerApp, deps: SchedulingListenersDeps): void {
  const { scheduling, logger, slack, clock } = deps;

  app.view(VIEWS.schedule, async ({ ack, body, view }) => {
    const form = await ackForm(
      ack,
      validateScheduleForm(view.state.values, view.private_metadata, clock.now()),
    );
    if (!form) return;
    const teamId = teamOf(body);
    const urls = responseUrlsSchema.parse((body as { response_urls?: unknown }).response_urls);
    const responseUrl = urls?.find((u) => !u.channel_id || u.channel_id === form.channelId)?.response_url;
    await scheduling.createFromForm(form, {
      teamId,
      userId: body.user.id,
      metaChannelId: form.channelId,
      ...(responseUrl ? { responseUrl } : {}),
    });
  });

  app.view(VIEWS.edit, async ({ ack, body, view }) => {
    const form = await ackForm(ack, validateEditForm(view.state.values, view.private_metadata, clock.now()));
    if (!form) return;
    await scheduling.applyEdit(form, {
      teamId: teamOf(body),
      userId: body.user.id,
    });
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.edit), async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId, value: meetId } = buttonContext(body, action);
    try {
      await scheduling.openEditModal({ triggerId: body.trigger_id, teamId, userId, meetId, channelId });
    } catch (err) {
      logger.info({ err, meetId, userId }, 'could not open the edit form');
      await slack
        .tellPrivately(channelId, userId, { text: userMessageFor(err, 'edit the meeting') })
        .catch((e) => logger.error({ err: e }, 'could not tell the user why editing failed'));
    }
  });

  // The type radio dispatches an action: re-render the form for that type.
  app.action<BlockAction<RadioButtonsAction>>(SCHEDULE_IDS.type.action, async ({ ack, body, action }) => {
    await ack();
    if (!body.view) return;
    try {
      await scheduling.switchType({
        viewId: body.view.id,
        hash: body.view.hash,
        privateMetadata: body.view.private_metadata,
        values: body.view.state?.values,
        type: action.selected_option?.value,
      });
    } catch (err) {
      // The form still works: the submission reads the chosen type whatever fields are shown.
      logger.warn({ err }, 'could not update the scheduling form for the chosen type');
    }
  });

  // The zone picker's search (external_select, min_query_length 0): at most 100 options, the user's zone first.
  app.options(SCHEDULE_IDS.zone.action, async ({ ack, body }) => {
    const view = (body as { view?: { private_metadata?: string } }).view;
    const zones = searchTimeZones(
      body.value ?? '',
      clock.now(),
      100,
      scheduling.preferredZone(view?.private_metadata),
    );
    await ack({
      options: zones.map((z) => ({ text: { type: 'plain_text' as const, text: z.label }, value: z.value })),
    });
  });
}
