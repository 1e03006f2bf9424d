/**
 * `/meet connect` and `/meet disconnect`, in both modes (design.md, "Other contract additions"):
 *
 * - Single-workspace mode (`EnvironmentConnectionCommands`): the connection comes from the environment
 *   (MEGAMEETING_URL, MEGAMEETING_API_TOKEN); both commands say so, and show admins which account and login.
 * - Multi-workspace mode (`WorkspaceConnectionCommands`, wired in src/workspaces/app.ts on each workspace's token):
 *   workspace admins open the connect form, submit it (checked by ConnectionService before anything is saved),
 *   and disconnect after Slack's confirmation dialog.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AppLogger } from '../logger.js';
import type { SlackGateway } from '../slack/gateway.js';
import {
  buildCheckingModal,
  buildConnectedModal,
  buildConnectionNoticeModal,
  buildConnectionStatusMessage,
  buildConnectModal,
  buildDisconnectedMessage,
  buildDisconnectPrompt,
  buildEnvironmentConnectionMessage,
  connectFormErrors,
  readConnectForm,
} from '../views/connection.js';
import type { ConnectionService, ConnectResult } from './connections.js';
import type { HomeService } from './home.js';
import type { IdentityService } from './identity.js';
import { userMessageFor } from './user-messages.js';

export interface ConnectionCommandRequest {
  teamId: string;
  userId: string;
  triggerId: string;
  responseUrl: string;
}

/** What `/meet connect` and `/meet disconnect` do; the mode decides which implementation. */
export interface ConnectionCommands {
  connect(req: ConnectionCommandRequest): Promise<void>;
  disconnect(req: ConnectionCommandRequest): Promise<void>;
}

type Message = { text: string; blocks: KnownBlock[] };

/** How long the admin check may wait for MegaMeeting (a linked MegaMeeting admin) before answering without details. */
const ADMIN_CHECK_MS = 2_000;

/** Single-workspace mode: the connection is the environment's. */
export class EnvironmentConnectionCommands implements ConnectionCommands {
  constructor(
    private readonly deps: {
      home: Pick<HomeService, 'connection'>;
      identity: Pick<IdentityService, 'isAdmin'>;
      slack: Pick<SlackGateway, 'respond'>;
      logger: AppLogger;
    },
  ) {}

  connect(req: ConnectionCommandRequest): Promise<void> {
    return this.answer('connect', req);
  }

  disconnect(req: ConnectionCommandRequest): Promise<void> {
    return this.answer('disconnect', req);
  }

  /** Everyone learns where the connection comes from; admins (as on App Home) also see the account and login. */
  private async answer(command: 'connect' | 'disconnect', req: ConnectionCommandRequest): Promise<void> {
    let admin = false;
    try {
      admin = await this.deps.identity.isAdmin(req.teamId, req.userId, { maxWaitMs: ADMIN_CHECK_MS });
    } catch (err) {
      this.deps.logger.info(
        { err, teamId: req.teamId, userId: req.userId },
        `/meet ${command}: admin check failed`,
      );
    }
    const connection = admin ? await this.deps.home.connection() : null;
    await this.deps.slack.respond(req.responseUrl, {
      ...buildEnvironmentConnectionMessage(command, connection),
      response_type: 'ephemeral',
    });
  }
}

/** What a submitted connect form answers Slack at once, and the work left after that answer. */
export interface ConnectSubmission {
  /** For `ack()`: inline errors, the result, or the "checking" modal. */
  response:
    | { response_action: 'errors'; errors: Record<string, string> }
    | { response_action: 'update'; view: ModalView };
  /** Run after the ack (the check outlived the budget): puts the result in the modal. */
  rest?: () => Promise<void>;
}

/**
 * Slack closes a view submission unanswered after 3 s; inline errors (`response_action: "errors"`, which keep
 * what was typed) only work in that answer. The check gets this long; past it the modal shows "checking" and
 * is updated with the result.
 */
export const CONNECT_ANSWER_BUDGET_MS = 2_000;

/** Multi-workspace mode: each workspace's own account. */
export class WorkspaceConnectionCommands implements ConnectionCommands {
  constructor(
    private readonly deps: {
      connections: Pick<
        ConnectionService,
        'isWorkspaceAdmin' | 'requireWorkspaceAdmin' | 'status' | 'connect' | 'disconnect'
      >;
      /** The Slack adapter of a workspace (its own bot token). */
      slackFor(teamId: string): Pick<SlackGateway, 'openView' | 'updateView' | 'respond'>;
      logger: AppLogger;
      answerBudgetMs?: number;
    },
  ) {}

  /** `/meet connect`: admins get the form at once (only Slack is asked first); others the status. */
  async connect(req: ConnectionCommandRequest): Promise<void> {
    if (!(await this.deps.connections.isWorkspaceAdmin(req.teamId, req.userId))) {
      const current = await this.deps.connections.status(req.teamId);
      return this.reply(req, buildConnectionStatusMessage(current, { isAdmin: false }));
    }
    await this.openForm(req);
  }

  /** The form (from `/meet connect` or a "Connect MegaMeeting" button): admins only. */
  async openForm(req: Pick<ConnectionCommandRequest, 'teamId' | 'userId' | 'triggerId'>): Promise<void> {
    await this.deps.connections.requireWorkspaceAdmin(req.teamId, req.userId);
    const current = await this.deps.connections.status(req.teamId);
    await this.deps
      .slackFor(req.teamId)
      .openView(
        req.triggerId,
        buildConnectModal({ ...(current ? { accountUrl: current.accountUrl } : {}), current }),
      );
  }

  /** `/meet disconnect`: admins see what would go, with the Disconnect button (Slack asks to confirm). */
  async disconnect(req: ConnectionCommandRequest): Promise<void> {
    await this.deps.connections.requireWorkspaceAdmin(req.teamId, req.userId);
    const current = await this.deps.connections.status(req.teamId);
    await this.reply(
      req,
      current ? buildDisconnectPrompt(current) : buildConnectionStatusMessage(null, { isAdmin: true }),
    );
  }

  /** The Disconnect button, confirmed: removes the connection and replaces the prompt with what happened. */
  async confirmDisconnect(req: { teamId: string; userId: string; responseUrl: string }): Promise<void> {
    const before = await this.deps.connections.disconnect(req);
    await this.deps.slackFor(req.teamId).respond(req.responseUrl, {
      ...buildDisconnectedMessage(before, req.userId),
      replace_original: true,
    });
  }

  /** The connect form submitted. Empty fields are refused at once; the check runs within the answer budget. */
  async submit(req: {
    teamId: string;
    userId: string;
    viewId: string;
    values: unknown;
  }): Promise<ConnectSubmission> {
    const form = readConnectForm(req.values);
    if (!form.ok) return { response: { response_action: 'errors', errors: connectFormErrors(form.errors) } };
    const log = this.deps.logger.child({ teamId: req.teamId, userId: req.userId });
    type Outcome = { result: ConnectResult } | { error: unknown };
    const check: Promise<Outcome> = this.deps.connections
      .connect({
        teamId: req.teamId,
        userId: req.userId,
        accountUrl: form.accountUrl,
        apiToken: form.apiToken,
      })
      .then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      check,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), this.deps.answerBudgetMs ?? CONNECT_ANSWER_BUDGET_MS);
      }),
    ]);
    clearTimeout(timer);
    if (early) {
      if ('error' in early) log.warn({ err: early.error }, 'connect: the check failed');
      return { response: answerNow(early) };
    }
    return {
      response: { response_action: 'update', view: buildCheckingModal() },
      rest: async () => {
        const outcome = await check;
        if ('error' in outcome) log.warn({ err: outcome.error }, 'connect: the check failed');
        await this.deps
          .slackFor(req.teamId)
          .updateView(req.viewId, answerLater(outcome, form.accountUrl))
          .catch((err: unknown) => log.error({ err }, 'connect: could not show the result in the modal'));
      },
    };
  }

  private reply(req: ConnectionCommandRequest, message: Message): Promise<void> {
    return this.deps
      .slackFor(req.teamId)
      .respond(req.responseUrl, { ...message, response_type: 'ephemeral' });
  }
}

const DOING = 'connect MegaMeeting';

/** Within the budget: a refusal goes under its field, keeping what was typed. */
function answerNow(outcome: { result: ConnectResult } | { error: unknown }): ConnectSubmission['response'] {
  if ('error' in outcome) {
    return {
      response_action: 'update',
      view: buildConnectionNoticeModal(userMessageFor(outcome.error, DOING)),
    };
  }
  const r = outcome.result;
  if (!r.ok) return { response_action: 'errors', errors: connectFormErrors({ [r.field]: r.message }) };
  return { response_action: 'update', view: buildConnectedModal(r.connection) };
}

/** After the budget: the form again with the refusal under its field (the token must be pasted again). */
function answerLater(outcome: { result: ConnectResult } | { error: unknown }, accountUrl: string): ModalView {
  if ('error' in outcome) return buildConnectionNoticeModal(userMessageFor(outcome.error, DOING));
  const r = outcome.result;
  if (!r.ok) return buildConnectModal({ accountUrl, errors: { [r.field]: r.message } });
  return buildConnectedModal(r.connection);
}
