import type {
  BlockAction,
  ButtonAction,
  PlainTextInputAction,
  StaticSelectAction,
  UsersSelectAction,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { LoginAction, PeopleAdminService } from '../services/people-admin.js';
import { userMessageFor } from '../services/user-messages.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { actionSuffix, suffixedActionPattern } from '../views/ids.js';
import {
  buildLoadingModal,
  buildNoticeModal,
  PEOPLE_ADMIN_IDS as IDS,
  ROLE_CHOICES,
} from '../views/people-admin.js';
import { teamOf } from './payload.js';

/**
 * `/meet admin`'s modals: paging, search, a login's actions (link, unlink, role, delete, API token create and
 * revoke), "create a login for a Slack user", and App Home's "Manage people". Each handler acks, reads the payload
 * with zod and calls the people admin service, which re-checks admin rights every time (payloads can be crafted).
 * A refusal or failure the modal cannot show goes to the presser privately.
 */

const loginIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const userIdSchema = z.string().regex(/^[UW][A-Z0-9]+$/);
const listMetaSchema = z.object({ p: z.number().int().min(0).max(10_000), q: z.string().max(100) });
const loginMetaSchema = listMetaSchema.extend({ l: loginIdSchema, v: z.string().max(40).nullable() });
const pageSchema = z.coerce.number().int().min(0).max(10_000);
const searchStateSchema = z.object({
  [IDS.search.block]: z.object({ [IDS.search.action]: z.object({ value: z.string().nullish() }) }).optional(),
});
const createStateSchema = z.object({
  [IDS.createUser.block]: z.object({ [IDS.createUser.action]: z.object({ selected_user: userIdSchema }) }),
});

export interface PeopleAdminListenersDeps {
  peopleAdmin: Pick<
    PeopleAdminService,
    | 'open'
    | 'showPage'
    | 'openLogin'
    | 'link'
    | 'unlink'
    | 'changeRole'
    | 'deleteLogin'
    | 'revokeToken'
    | 'createToken'
    | 'openCreate'
    | 'createForSlackUser'
  >;
  slack: Pick<SlackGateway, 'tellPrivately' | 'updateView'>;
  logger: AppLogger;
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return null;
  }
}

export function register(app: ListenerApp, deps: PeopleAdminListenersDeps): void {
  const { peopleAdmin, slack, logger } = deps;

  /** A refusal or failure outside the modal's own notices: told privately (DM), and logged. */
  const tellFailure = async (userId: string, err: unknown, doing: string) => {
    logger.warn({ err, userId }, `people admin: could not ${doing}`);
    await slack
      .tellPrivately(null, userId, { text: userMessageFor(err, doing) })
      .catch((e) => logger.error({ err: e }, 'could not tell the user about the failure'));
  };

  /** Runs a block action with the common ack / failure handling. */
  const on = <A extends BlockAction['actions'][number]>(
    actionId: string | RegExp,
    doing: string,
    run: (body: BlockAction<A>, action: A) => Promise<void>,
  ) => {
    app.action<BlockAction<A>>(actionId, async ({ ack, body, action }) => {
      await ack();
      try {
        await run(body, action);
      } catch (err) {
        await tellFailure(body.user.id, err, doing);
      }
    });
  };

  const actor = (body: BlockAction) => ({ teamId: teamOf(body), userId: body.user.id });
  const viewIdOf = (body: BlockAction) => z.string().min(1).parse(body.view?.id);
  const loginAction = (body: BlockAction): LoginAction => ({
    ...actor(body),
    viewId: viewIdOf(body),
    meta: loginMetaSchema.parse(parseJson(body.view?.private_metadata)),
  });

  // App Home's "Manage people".
  on<ButtonAction>(IDS.openFromHome, 'open the people admin', (body) =>
    peopleAdmin.open({ ...actor(body), triggerId: body.trigger_id }),
  );

  // The list: Previous / Next, a search (Enter in the box, or the Search button below), Manage, Create.
  for (const actionId of [IDS.next, IDS.previous]) {
    on<ButtonAction>(actionId, 'show that page', (body, action) => {
      const meta = listMetaSchema.parse(parseJson(body.view?.private_metadata));
      return peopleAdmin.showPage({
        ...actor(body),
        viewId: viewIdOf(body),
        page: pageSchema.parse(action.value),
        query: meta.q,
      });
    });
  }
  on<PlainTextInputAction>(IDS.search.action, 'search the logins', (body, action) =>
    peopleAdmin.showPage({
      ...actor(body),
      viewId: viewIdOf(body),
      page: 0,
      query: z
        .string()
        .max(100)
        .parse((action.value ?? '').trim()),
    }),
  );
  app.view<ViewSubmitAction>(IDS.listView, async ({ ack, body, view }) => {
    await ack({ response_action: 'update', view: buildLoadingModal() });
    try {
      const state = searchStateSchema.parse(view.state.values);
      const query = (state[IDS.search.block]?.[IDS.search.action]?.value ?? '').trim().slice(0, 100);
      await peopleAdmin.showPage({
        teamId: teamOf(body),
        userId: body.user.id,
        viewId: view.id,
        page: 0,
        query,
      });
    } catch (err) {
      logger.warn({ err, userId: body.user.id }, 'people admin: could not search the logins');
      await slack
        .updateView(view.id, buildNoticeModal(userMessageFor(err, 'search the logins')))
        .catch((e) => logger.error({ err: e }, 'could not show the failure in the modal'));
    }
  });
  on<ButtonAction>(suffixedActionPattern(IDS.openLogin), 'open that login', (body, action) =>
    peopleAdmin.openLogin({
      ...actor(body),
      triggerId: body.trigger_id,
      loginId: loginIdSchema.parse(action.value ?? actionSuffix(action.action_id)),
      list: listMetaSchema.parse(parseJson(body.view?.private_metadata)),
      listViewId: body.view?.id ?? null,
    }),
  );
  on<ButtonAction>(IDS.openCreate, 'open the form', (body) =>
    peopleAdmin.openCreate({ ...actor(body), triggerId: body.trigger_id }),
  );

  // One login.
  on<UsersSelectAction>(IDS.link.action, 'link that person', (body, action) =>
    peopleAdmin.link({ ...loginAction(body), slackUserId: userIdSchema.parse(action.selected_user) }),
  );
  on<ButtonAction>(suffixedActionPattern(IDS.unlink), 'unlink that person', (body, action) =>
    peopleAdmin.unlink({ ...loginAction(body), slackUserId: userIdSchema.parse(action.value) }),
  );
  on<StaticSelectAction>(IDS.role.action, 'change the role', (body, action) =>
    peopleAdmin.changeRole({
      ...loginAction(body),
      role: z.enum(ROLE_CHOICES).parse(action.selected_option?.value),
    }),
  );
  on<ButtonAction>(IDS.deleteLogin, 'delete the login', (body) => peopleAdmin.deleteLogin(loginAction(body)));
  on<ButtonAction>(IDS.revokeToken, 'revoke the API token', (body) =>
    peopleAdmin.revokeToken(loginAction(body)),
  );
  on<ButtonAction>(IDS.createToken, 'create the API token', (body) =>
    peopleAdmin.createToken({ ...loginAction(body), triggerId: body.trigger_id }),
  );

  // "Create a login for a Slack user": the form's submission.
  app.view<ViewSubmitAction>(IDS.createView, async ({ ack, body, view }) => {
    const parsed = createStateSchema.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: { [IDS.createUser.block]: 'Pick a Slack user.' } });
      return;
    }
    await ack({ response_action: 'update', view: buildLoadingModal('Create a login') });
    try {
      await peopleAdmin.createForSlackUser({
        teamId: teamOf(body),
        userId: body.user.id,
        viewId: view.id,
        slackUserId: parsed.data[IDS.createUser.block][IDS.createUser.action].selected_user,
      });
    } catch (err) {
      logger.warn({ err, userId: body.user.id }, 'people admin: could not create the login');
      await slack
        .updateView(view.id, buildNoticeModal(userMessageFor(err, 'create the login'), 'Create a login'))
        .catch((e) => logger.error({ err: e }, 'could not show the failure in the modal'));
    }
  });
}
