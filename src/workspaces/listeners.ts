/**
 * The multi-workspace app's own listeners: uninstall and revocation delete that workspace's tokens at once (Bolt
 * skips `authorize` for these two events and never deletes on its own), stop its app, and record when, so the
 * workspace's other data is purged after UNINSTALL_RETENTION_DAYS unless it re-installs
 * (src/jobs/workspace-purge.ts); in a workspace not connected yet, `/meet connect` and `/meet disconnect` manage
 * the MegaMeeting account (WorkspaceConnectionCommands, on the workspace's own bot token) and any other `/meet`
 * answers from not-connected.ts. A connected workspace's requests run in its own app (router.ts).
 */
import type { App } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type {
  ConnectionCommandRequest,
  WorkspaceConnectionCommands,
} from '../services/connection-commands.js';
import type { ConnectionService } from '../services/connections.js';
import { userMessageFor } from '../services/user-messages.js';
import type {
  ConnectionRepository,
  InstallationLookup,
  InstallationRepository,
  Store,
} from '../store/types.js';
import { withTimeout } from '../util/async.js';
import { connectedReply, notConnectedHome, notConnectedReply } from './not-connected.js';
import type { WorkspaceSlackClients } from './slack-clients.js';

export interface WorkspaceListenerDeps {
  installations: InstallationRepository;
  store: Pick<Store, 'markWorkspaceUninstalled'>;
  /** The workspace's MegaMeeting account: its credentials go at uninstall, with the Slack tokens. */
  connections: Pick<ConnectionRepository, 'delete'>;
  connectionService: Pick<ConnectionService, 'status' | 'isWorkspaceAdmin'>;
  connectionCommands: Pick<WorkspaceConnectionCommands, 'connect' | 'disconnect'>;
  slack: WorkspaceSlackClients;
  /** Stops the workspace's own app (runtimes.ts) when its tokens go. */
  forgetWorkspaceApp(teamId: string, why: string): void;
  logger: AppLogger;
  clock: Clock;
}

/**
 * The admin check behind a not-connected `/meet` (for the Connect button) is answered in the command's ack; past
 * this, the answer goes without the button (its text still names `/meet connect`), well within Slack's 3 s.
 */
export const MEET_ADMIN_CHECK_MS = 1_500;

function lookupOf(context: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): InstallationLookup {
  return {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  };
}

export function registerWorkspaceListeners(bolt: App, deps: WorkspaceListenerDeps): void {
  const { installations, store, logger, clock } = deps;

  /**
   * The uninstall is recorded before the tokens go: a failure in between leaves the installation with a record,
   * which the purge never acts on (it requires no installation), and Slack's retry completes it. An org-wide
   * uninstall without a team is not recorded: its workspaces' data is kept.
   */
  async function uninstall(lookup: InstallationLookup): Promise<boolean> {
    if (lookup.teamId) await store.markWorkspaceUninstalled(lookup.teamId, clock.now());
    return installations.deleteInstallation(lookup);
  }

  /**
   * The workspace's Slack tokens and MegaMeeting credentials go at once, and its Slack adapter with them; its other
   * data stays for the retention (a re-install connects MegaMeeting again).
   */
  const forgetWorkspace = async (lookup: InstallationLookup, why: string) => {
    const deleted = await uninstall(lookup);
    const disconnected = lookup.teamId ? await deps.connections.delete(lookup.teamId) : false;
    if (lookup.teamId) {
      deps.slack.forget(lookup.teamId);
      deps.forgetWorkspaceApp(lookup.teamId, why);
    }
    logger.info({ ...lookup, deleted, disconnected }, `${why}: the workspace tokens are deleted`);
  };

  bolt.event('app_uninstalled', async ({ context }) => {
    await forgetWorkspace(lookupOf(context), 'app uninstalled');
  });

  bolt.event('tokens_revoked', async ({ event, context }) => {
    const lookup = lookupOf(context);
    const bots = event.tokens.bot ?? [];
    const users = event.tokens.oauth ?? [];
    // The bot token gone means the installation is: delete it. User tokens alone leave the workspace be.
    if (bots.length > 0) await forgetWorkspace(lookup, 'bot token revoked');
    if (users.length > 0 && bots.length === 0) {
      const forgotten = await installations.deleteUserTokens(lookup, users, clock.now());
      logger.info({ ...lookup, users: users.length, forgotten }, 'user tokens revoked');
    }
  });

  /**
   * A `/meet` of a connected workspace runs in its own app (router.ts); one that reaches here is of a workspace not
   * connected (an admin must connect: the button), or one whose connection could not be read a moment ago.
   */
  const meetAnswer = async (req: ConnectionCommandRequest) => {
    const current = await deps.connectionService.status(req.teamId);
    if (current) return connectedReply(current.accountUrl);
    const isAdmin = await withTimeout(
      deps.connectionService.isWorkspaceAdmin(req.teamId, req.userId),
      MEET_ADMIN_CHECK_MS,
    ).then(
      (answer) => answer === true,
      (err: unknown) => {
        logger.info({ err, teamId: req.teamId, userId: req.userId }, '/meet: admin check failed');
        return false;
      },
    );
    return notConnectedReply({ isAdmin });
  };

  // A connected workspace's Home tab is its own app's; a workspace not connected gets what to do, not an empty page.
  bolt.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home' || !context.teamId) return;
    const teamId = context.teamId;
    try {
      const isAdmin = await withTimeout(
        deps.connectionService.isWorkspaceAdmin(teamId, event.user),
        MEET_ADMIN_CHECK_MS,
      ).then(
        (answer) => answer === true,
        () => false,
      );
      await deps.slack.for(teamId).publishHome(event.user, notConnectedHome({ isAdmin }));
    } catch (err) {
      logger.warn({ err, teamId, userId: event.user }, 'could not publish the not-connected Home tab');
    }
  });

  bolt.command('/meet', async ({ ack, command }) => {
    const sub = command.text.trim().toLowerCase();
    const req: ConnectionCommandRequest = {
      teamId: command.team_id,
      userId: command.user_id,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
    };
    if (sub === 'connect' || sub === 'disconnect') {
      await ack();
      try {
        await deps.connectionCommands[sub](req);
      } catch (err) {
        logger.warn({ err, teamId: req.teamId, userId: req.userId }, `/meet ${sub} failed`);
        const doing = sub === 'connect' ? 'open the connect form' : 'disconnect MegaMeeting';
        await deps.slack
          .for(req.teamId)
          .respond(req.responseUrl, { response_type: 'ephemeral', text: userMessageFor(err, doing) })
          .catch((e: unknown) => logger.error({ err: e }, `/meet ${sub}: could not tell the user`));
      }
      return;
    }
    const answer = await meetAnswer(req).catch((err: unknown) => {
      logger.error({ err, teamId: req.teamId }, '/meet: could not read the MegaMeeting connection');
      return { response_type: 'ephemeral' as const, text: userMessageFor(err, 'answer `/meet`') };
    });
    await ack(answer);
  });

  bolt.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener (multi-workspace mode)');
  });
}
