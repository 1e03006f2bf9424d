/**
 * Multi-workspace listeners of phase 1: uninstall and revocation delete that workspace's tokens at once (Bolt
 * skips `authorize` for these two events and never deletes on its own) and record when, so the workspace's
 * other data is purged after UNINSTALL_RETENTION_DAYS unless it re-installs (src/jobs/workspace-purge.ts);
 * `/meet` answers that MegaMeeting is not connected yet (not-connected.ts).
 */
import type { App } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { InstallationLookup, InstallationRepository, Store } from '../store/types.js';
import { notConnectedReply } from './not-connected.js';

export interface WorkspaceListenerDeps {
  installations: InstallationRepository;
  store: Pick<Store, 'markWorkspaceUninstalled'>;
  logger: AppLogger;
  clock: Clock;
}

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

  bolt.event('app_uninstalled', async ({ context }) => {
    const lookup = lookupOf(context);
    const deleted = await uninstall(lookup);
    logger.info({ ...lookup, deleted }, 'app uninstalled: the workspace tokens are deleted');
  });

  bolt.event('tokens_revoked', async ({ event, context }) => {
    const lookup = lookupOf(context);
    const bots = event.tokens.bot ?? [];
    const users = event.tokens.oauth ?? [];
    // The bot token gone means the installation is: delete it. User tokens alone leave the workspace be.
    if (bots.length > 0) {
      const deleted = await uninstall(lookup);
      logger.info({ ...lookup, deleted }, 'bot token revoked: the workspace tokens are deleted');
    }
    if (users.length > 0 && bots.length === 0) {
      const forgotten = await installations.deleteUserTokens(lookup, users, clock.now());
      logger.info({ ...lookup, users: users.length, forgotten }, 'user tokens revoked');
    }
  });

  bolt.command('/meet', async ({ ack }) => {
    await ack(notConnectedReply());
  });

  bolt.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener (multi-workspace mode)');
  });
}
