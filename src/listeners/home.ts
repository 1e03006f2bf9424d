import type { BlockAction, ButtonAction, GlobalShortcut, RadioButtonsAction } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { HomeService } from '../services/home.js';
import type { SignInService } from '../services/sign-in.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { ACTIONS, SHORTCUTS, START_NOW_IDS, VIEWS } from '../views/ids.js';
import { readStartNowForm } from '../views/start-now.js';
import { buttonContext, teamOf } from './payload.js';
import { failureTeller } from './tell-failure.js';

/**
 * App Home (`app_home_opened` → the Home tab), its buttons (start now, schedule) and the "Start a meeting now"
 * modal, which the global shortcut "Start a MegaMeeting" opens too (with a now-or-later choice); "Open
 * MegaMeeting" (Home, `/meet account`, the recording DM) and its one-time sign-in link.
 */
export interface HomeListenersDeps {
  home: Pick<
    HomeService,
    'opened' | 'openStartNow' | 'openSchedule' | 'startNow' | 'scheduleInstead' | 'scheduleForm'
  >;
  signIn: Pick<SignInService, 'openModal'>;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

const responseUrlsSchema = z
  .array(z.object({ response_url: z.string().url(), channel_id: z.string().optional() }))
  .optional()
  .catch(undefined);

const homeOpenedSchema = z.object({
  user: z.string().min(1),
  tab: z.string().optional(),
  view: z.object({ hash: z.string().optional() }).passthrough().nullish(),
});

export function register(app: ListenerApp, deps: HomeListenersDeps): void {
  const { home, signIn, logger } = deps;

  const tellFailure = failureTeller(deps);

  // Events are acknowledged by Bolt before this runs. The publish is queued, not awaited: the event is handled
  // once it is queued (a slow MegaMeeting must not hold the event's claim), and the Home service logs failures.
  app.event('app_home_opened', async ({ event, body }) => {
    const parsed = homeOpenedSchema.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    void home.opened(teamId, parsed.data.user, parsed.data.view?.hash);
  });

  // One opener for the Home button and the global shortcut: ack first, then the modal, nothing before it.
  const openStartForm = async (triggerId: string, userId: string, askWhen: boolean) => {
    try {
      await home.openStartNow(triggerId, { askWhen });
    } catch (err) {
      logger.warn({ err, userId }, 'could not open the start-now modal');
      await tellFailure(null, userId, err, 'open the meeting form');
    }
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeStartNow, async ({ ack, body }) => {
    await ack();
    await openStartForm(body.trigger_id, body.user.id, false);
  });

  app.shortcut<GlobalShortcut>(SHORTCUTS.startMeeting, async ({ ack, shortcut }) => {
    await ack();
    await openStartForm(shortcut.trigger_id, shortcut.user.id, true);
  });

  // "Later" in the start form: it turns into the scheduling form at once.
  app.action<BlockAction<RadioButtonsAction>>(START_NOW_IDS.when.action, async ({ ack, body, action }) => {
    await ack();
    if (action.selected_option?.value !== 'later' || !body.view) return;
    try {
      await home.scheduleInstead({
        view: { viewId: body.view.id, hash: body.view.hash },
        teamId: teamOf(body),
        userId: body.user.id,
        values: body.view.state?.values,
      });
    } catch (err) {
      // The form still works: submitting it with Later chosen opens the scheduling form then.
      logger.warn({ err, userId: body.user.id }, 'could not turn the start form into the scheduling form');
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeSchedule, async ({ ack, body }) => {
    await ack();
    try {
      await home.openSchedule({ triggerId: body.trigger_id, teamId: teamOf(body), userId: body.user.id });
    } catch (err) {
      logger.warn({ err, userId: body.user.id }, 'could not open the scheduling modal from Home');
      await tellFailure(null, body.user.id, err, 'open the scheduling form');
    }
  });

  app.view(VIEWS.startNow, async ({ ack, body, view }) => {
    const form = readStartNowForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const userId = body.user.id;
    if (form.when === 'later') {
      // Only Slack is asked (users.info, bounded): the update answers within the submission's 3 seconds.
      const view = await home.scheduleForm({
        teamId: teamOf(body),
        userId,
        title: form.title,
        channelId: form.channelId,
      });
      await ack({ response_action: 'update', view });
      return;
    }
    await ack();
    const urls = responseUrlsSchema.parse((body as { response_urls?: unknown }).response_urls);
    const responseUrl = urls?.find((u) => !u.channel_id || u.channel_id === form.channelId)?.response_url;
    try {
      await home.startNow({
        teamId: teamOf(body),
        userId,
        title: form.title,
        channelId: form.channelId,
        ...(responseUrl ? { responseUrl } : {}),
      });
    } catch (err) {
      logger.warn({ err, userId }, 'starting a meeting from Home failed');
      await tellFailure(form.channelId, userId, err, 'start the meeting');
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.openMegaMeeting, async ({ ack, body, action }) => {
    await ack();
    const { teamId, userId, channelId } = buttonContext(body, action);
    try {
      await signIn.openModal({ triggerId: body.trigger_id, teamId, userId });
    } catch (err) {
      logger.warn({ err, userId }, 'could not show the sign-in modal');
      await tellFailure(channelId, userId, err, 'open MegaMeeting for you');
    }
  });

  // The link button in the sign-in modal opens the URL itself; Slack still reports the press.
  app.action(ACTIONS.signInLink, async ({ ack }) => {
    await ack();
  });
}
