/**
 * Multi-workspace mode's start-up (design.md "Multi-workspace mode"), apart from src/app.ts, which stays today's
 * single-workspace app: the store and its key check, Bolt with OAuth (oauth.ts) on our installation store,
 * the uninstall/revocation listeners, the HTTP server with the install routes, and the purge of workspaces
 * uninstalled longer than UNINSTALL_RETENTION_DAYS ago (src/jobs/workspace-purge.ts).
 */
import { App } from '@slack/bolt';
import { SHUTDOWN_GRACE_MS, type Tuning } from '../app.js';
import type { MultiModeConfig } from '../config.js';
import { createHttpServer, listen } from '../http/server.js';
import { startWorkspacePurge } from '../jobs/workspace-purge.js';
import { register as registerConnectionListeners } from '../listeners/connection.js';
import { type AppLogger, boltLogger } from '../logger.js';
import type { AccountUrlOptions } from '../megameeting/account-url.js';
import { SecretBox } from '../secrets/index.js';
import { type Clock, systemClock } from '../services/clock.js';
import { WorkspaceConnectionCommands } from '../services/connection-commands.js';
import { ConnectionService, checkingClients } from '../services/connections.js';
import { eventDedupe } from '../slack/event-dedupe.js';
import { trackInFlight } from '../slack/in-flight.js';
import { openStore } from '../store/index.js';
import type { InstallationRepository, Store } from '../store/types.js';
import { preloadTimeParser } from '../time/plain-english.js';
import { StoreInstallationStore } from './installation-store.js';
import { WorkspaceJobs } from './jobs.js';
import { registerWorkspaceListeners } from './listeners.js';
import { createOAuthReceiver, INSTALL_PATH, REDIRECT_PATH } from './oauth.js';
import { workspaceRouter } from './router.js';
import { WorkspaceRuntimes } from './runtimes.js';
import { WorkspaceSlackClients } from './slack-clients.js';

export interface MultiWorkspaceStartOptions {
  clock?: Clock;
  /** An already-open store (tests share one); otherwise DATABASE_URL is opened and closed with the app. */
  store?: Store;
  /** Waits that tests shorten (each workspace's services); production keeps the defaults. */
  tuning?: Tuning;
  /** Most workspace apps kept built (default WORKSPACE_RUNTIMES_MAX). */
  maxWorkspaceApps?: number;
  /** Run the background jobs on timers (default true; tests drive them through `jobs`). */
  startJobs?: boolean;
  /**
   * How account URLs typed in the connect form are read. `allowLoopbackHttp` (http:// to a loopback host) is for
   * tests and the local emulator only: given explicitly here, never read from the environment.
   */
  megameetingUrls?: AccountUrlOptions;
}

export interface RunningMultiWorkspaceApp {
  bolt: App;
  installations: InstallationRepository;
  /** Each connected workspace's own services and Bolt app (tests reach in). */
  workspaces: WorkspaceRuntimes;
  /** Recordings, calls, reminders and recovery for every connected workspace. */
  jobs: WorkspaceJobs;
  port: number;
  stop(): Promise<void>;
}

export async function startMultiWorkspaceApp(
  config: MultiModeConfig,
  logger: AppLogger,
  opts: MultiWorkspaceStartOptions = {},
): Promise<RunningMultiWorkspaceApp> {
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.databaseUrl, { logger }));
  const box = new SecretBox(config.workspaces.encryptionKey, config.workspaces.encryptionKeyPrevious ?? null);
  const installations = store.installations(box);
  try {
    // A wrong ENCRYPTION_KEY: one line now (EncryptionKeyMismatchError), not a failure per request later.
    await installations.verifyKey(clock.now());
  } catch (err) {
    if (!opts.store) await store.close();
    throw err;
  }
  const underPrevious = await installations.countUnderPreviousKey();
  if (box.previousKeyId) {
    logger.info(
      { installations: underPrevious },
      underPrevious === 0
        ? 'no installation holds a value under ENCRYPTION_KEY_PREVIOUS any more: it can be unset'
        : 'installations still hold values under ENCRYPTION_KEY_PREVIOUS (re-encrypted as they are read)',
    );
  }

  // Loaded only when METRICS=true, as in single-workspace mode.
  const metrics = config.metrics
    ? (await import('../metrics/index.js')).startMetrics({ store, logger })
    : null;
  const installationStore = new StoreInstallationStore(installations, clock);
  const receiver = createOAuthReceiver(config, { logger, store, installationStore });
  const bolt = new App({ receiver, logger: boltLogger(logger) });
  const inFlight = trackInFlight();
  bolt.use(inFlight.middleware);
  if (metrics) bolt.use(metrics.middleware);
  bolt.use(eventDedupe({ store, clock, logger }));
  // Each workspace's requests run on its own bot token (the one `authorize` found), remembered before listeners.
  const slack = new WorkspaceSlackClients({ apiUrl: config.slack.apiUrl, logger });
  bolt.use(slack.middleware());
  const connections = store.megameetingConnections(box);
  const connectionService = new ConnectionService({
    connections,
    megameetingFor: checkingClients(logger),
    slackFor: (teamId) => slack.for(teamId),
    ...(opts.megameetingUrls ? { urls: opts.megameetingUrls } : {}),
    // A connect or disconnect saved here rebuilds or stops the workspace's app at once (other replicas notice
    // within CONNECTION_REVALIDATE_MS).
    onChange: (teamId) => workspaces.forget(teamId, 'MegaMeeting connection changed'),
    logger,
    clock,
  });
  const connectionCommands = new WorkspaceConnectionCommands({
    connections: connectionService,
    slackFor: (teamId) => slack.for(teamId),
    logger,
  });
  const installer = receiver.installer;
  // Background work (no request to take the token from): Bolt's installer reads the installation and refreshes a
  // rotating token that is about to expire.
  const botTokenFor = async (teamId: string) => {
    if (!installer) return null;
    const found = await installer.authorize({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    return found.botToken
      ? { botToken: found.botToken, botId: found.botId, botUserId: found.botUserId }
      : null;
  };
  const workspaces = new WorkspaceRuntimes({
    config,
    logger,
    clock,
    connections,
    storeFor: (teamId) => store.forTeam(teamId),
    connectionCommands,
    // Background work (no request to take the token from): Bolt's installer reads the installation and
    // refreshes a rotating token that is about to expire.
    botTokenFor: async (teamId) => {
      if (!installer) return null;
      const found = await installer.authorize({
        teamId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      return found.botToken
        ? { botToken: found.botToken, botId: found.botId, botUserId: found.botUserId }
        : null;
    },
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
    ...(opts.maxWorkspaceApps ? { max: opts.maxWorkspaceApps } : {}),
  });
  // Every other request of a connected workspace runs in that workspace's own app.
  bolt.use(workspaceRouter({ runtimes: workspaces, logger }));
  registerConnectionListeners(bolt, { connectionCommands, slackFor: (teamId) => slack.for(teamId), logger });
  registerWorkspaceListeners(bolt, {
    installations,
    store,
    connections,
    connectionService,
    connectionCommands,
    slack,
    forgetWorkspaceApp: (teamId, why) => workspaces.forget(teamId, why),
    logger,
    clock,
  });

  let stopping = false;
  const server = createHttpServer({
    receiver,
    logger,
    health: { mode: 'multi', store: store.dialect },
    isStopping: () => stopping,
    // The install page and the OAuth redirect are Bolt's too (GET, no Slack signature: a browser's).
    extraRoute: (req, res, path) => {
      if (metrics?.handle(req, res, path)) return true;
      if (req.method !== 'GET' || (path !== INSTALL_PATH && path !== REDIRECT_PATH)) return false;
      receiver.requestListener(req, res);
      return true;
    },
  });
  const port = await listen(server, config.port);
  // Off the first `/meet`'s path: loading the time parser freezes the event loop (plain-english.ts).
  setImmediate(preloadTimeParser);
  const jobs = new WorkspaceJobs({
    runtimes: workspaces,
    connections,
    store,
    botTokenFor,
    clock,
    logger,
    recordingsPollSeconds: config.recordingsPollSeconds,
    reminderMinutes: config.reminderMinutes,
  });
  if (opts.startJobs ?? true) jobs.start();
  const stopPurge = startWorkspacePurge({
    store,
    retentionDays: config.workspaces.uninstallRetentionDays,
    clock,
    logger,
  });
  logger.info(
    { port, mode: 'multi', store: store.dialect, install: `${config.workspaces.publicUrl}${INSTALL_PATH}` },
    'MegaMeeting for Slack is running for many workspaces',
  );

  return {
    bolt,
    installations,
    workspaces,
    jobs,
    port,
    async stop() {
      if (stopping) return;
      stopping = true;
      stopPurge();
      await jobs.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drain(SHUTDOWN_GRACE_MS);
      await workspaces.stop();
      server.closeAllConnections();
      await closed;
      metrics?.stop();
      if (!opts.store) await store.close();
      logger.info('stopped');
    },
  };
}
