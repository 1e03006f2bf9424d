import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import * as commands from './commands/index.js';
import type { Config } from './config.js';
import { createHttpServer, listen } from './http/server.js';
import { startCallsSweep } from './jobs/calls-sweep.js';
import { startReminderSweep } from './jobs/reminder-sweep.js';
import * as listeners from './listeners/index.js';
import { type AppLogger, boltLogger } from './logger.js';
import { MegaMeetingClient } from './megameeting/client.js';
import type { MegaMeetingApi } from './megameeting/types.js';
import { AccessRequestsService } from './services/access-requests.js';
import { AdminDesk } from './services/admin-desk.js';
import { AppLoginService } from './services/app-login.js';
import { CallsService } from './services/calls.js';
import { ChangeFeed } from './services/changes.js';
import { type Clock, systemClock } from './services/clock.js';
import { type ConnectionCommands, EnvironmentConnectionCommands } from './services/connection-commands.js';
import { GuestsService } from './services/guests/index.js';
import { HomeService } from './services/home.js';
import { IdentityService } from './services/identity.js';
import { IntentRecovery } from './services/intent-recovery.js';
import { IntentJournal, newHolderId } from './services/intents.js';
import { MeetAboutService } from './services/meet-about.js';
import { MeetingListService } from './services/meeting-list.js';
import { MeetingsService } from './services/meetings.js';
import { OffboardingService } from './services/offboarding.js';
import { PeopleAdminService } from './services/people-admin.js';
import { RecordingsPoller, RecordingsService } from './services/recordings/index.js';
import { RemindersService } from './services/reminders.js';
import { SchedulingService } from './services/scheduling.js';
import { SignInService } from './services/sign-in.js';
import { UnfurlService } from './services/unfurls.js';
import { createBolt, describeSlackStartupError } from './slack/bolt-app.js';
import { eventDedupe } from './slack/event-dedupe.js';
import { createSlackWebClient, SlackGateway } from './slack/gateway.js';
import { trackInFlight } from './slack/in-flight.js';
import { ListenerRouter } from './slack/listener-router.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { preloadTimeParser } from './time/plain-english.js';

/**
 * Wiring only: config → adapters → services → listeners → server. Behaviour lives in services; the HTTP server
 * (src/http/server.ts), Bolt (src/slack/bolt-app.ts), the reminder sweep (src/jobs/) and the in-flight drain
 * (src/slack/in-flight.ts) in their own modules.
 */

/**
 * Everything startApp built, for RunningApp (tests and the sandbox reach in). Listeners and commands never get
 * this bag: each `register(app, deps)` names what it uses.
 */
export interface Services {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  /** Which MegaMeeting login is the app's own (its token's): never deleted, demoted or revoked from Slack. */
  appLogin: AppLoginService;
  /** `/meet connect` and `/meet disconnect` (this mode: the connection is the environment's). */
  connectionCommands: ConnectionCommands;
  meetings: MeetingsService;
  /** Meeting creations in progress, recorded in the store (crash recovery). */
  intents: IntentJournal;
  recovery: IntentRecovery;
  reminders: RemindersService;
  /** Slack calls on meeting cards. */
  calls: CallsService;
  scheduling: SchedulingService;
  meetingList: MeetingListService;
  guests: GuestsService;
  recordings: RecordingsService;
  poller: RecordingsPoller;
  peopleAdmin: PeopleAdminService;
  /** Questions put to the workspace's MegaMeeting admins (first to answer decides). */
  adminDesk: AdminDesk;
  /** "Request a MegaMeeting login" and the admins' answers. */
  accessRequests: AccessRequestsService;
  /** Deactivated members: unlinked at once, the admins asked about their login. */
  offboarding: OffboardingService;
  /** What changed for whom (meetings, recordings): App Home listens. */
  changes: ChangeFeed;
  home: HomeService;
  signIn: SignInService;
  /** Shared meeting links unfurled into cards. */
  unfurls: UnfurlService;
  /** The message shortcut "Meet about this". */
  meetAbout: MeetAboutService;
  logger: AppLogger;
  clock: Clock;
  config: Config;
}

export interface RunningApp {
  services: Services;
  bolt: App;
  /** The HTTP port actually bound (useful with PORT=0). */
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Start the recordings poller (tests drive ticks themselves). Defaults to RECORDINGS_POLL_SECONDS > 0. */
  startPoller?: boolean;
  /** An already-open store (tests share one); otherwise DATABASE_URL is opened and closed with the app. */
  store?: Store;
  tuning?: Tuning;
  /** Recover interrupted meeting creations at start-up and periodically (default true). */
  recovery?: boolean;
}

/**
 * How long a stop (SIGTERM) waits for work in flight: above the MegaMeeting client's 10-second timeout plus the
 * steps around it, below the usual 30-second grace of orchestrators before they kill.
 */
export const SHUTDOWN_GRACE_MS = 25_000;

/** Waits that tests shorten; production keeps the defaults. */
export interface Tuning {
  /** How long one Slack Web API call may take before it counts as lost (default 10 s). */
  slackTimeoutMs?: number;
  /** Pause between a send's lost answer and looking it up in Slack (default 1 s). */
  slackLookupDelayMs?: number;
  /** How long a card waits for calls.add before going out without the call (default 2.5 s). */
  callAddWaitMs?: number;
  /** How long App Home waits for a burst of changes to settle before republishing (default 750 ms). */
  homeDebounceMs?: number;
}

/**
 * What a workspace's services talk to, when not the environment's: multi-workspace mode builds one services graph
 * per connected workspace (src/workspaces/runtimes.ts) on that workspace's Slack client, MegaMeeting account and
 * `/meet connect` handling.
 */
export interface ServiceAdapters {
  slackClient?: WebClient;
  megameeting?: MegaMeetingApi;
  connectionCommands?: ConnectionCommands;
}

export function buildServices(
  config: Config,
  logger: AppLogger,
  store: Store,
  clock: Clock,
  tuning: Tuning = {},
  adapters: ServiceAdapters = {},
): Services {
  const slackClient =
    adapters.slackClient ??
    createSlackWebClient(config.slack.botToken, {
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      timeoutMs: tuning.slackTimeoutMs ?? 10_000,
      logger: boltLogger(logger),
    });
  const slack = new SlackGateway(slackClient, logger, {
    clock,
    ...(tuning.slackLookupDelayMs !== undefined ? { lookupDelayMs: tuning.slackLookupDelayMs } : {}),
  });
  const megameeting =
    adapters.megameeting ??
    new MegaMeetingClient({
      baseUrl: config.megameeting.url,
      apiToken: config.megameeting.apiToken,
      logger: logger.child({ component: 'megameeting' }),
    });
  const identity = new IdentityService({ store, megameeting, slack, logger, clock });
  const appLogin = new AppLoginService({ megameeting, apiToken: config.megameeting.apiToken, logger, clock });
  const changes = new ChangeFeed(logger);
  const intents = new IntentJournal({ store, logger, clock, holder: newHolderId() });
  const reminders = new RemindersService({
    store,
    slack,
    logger,
    clock,
    reminderMinutes: config.reminderMinutes,
    megameetingUrl: config.megameeting.url,
  });
  const calls = new CallsService({
    store,
    slack,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
    reminderMinutes: config.reminderMinutes,
    ...(tuning.callAddWaitMs !== undefined ? { addWaitMs: tuning.callAddWaitMs } : {}),
  });
  const meetings = new MeetingsService({
    store,
    intents,
    megameeting,
    slack,
    identity,
    reminders,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
    defaultTimeZone: config.defaultTimeZone,
    calls,
    changes,
  });
  const guests = new GuestsService({
    store,
    megameeting,
    slack,
    identity,
    meetings,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
  });
  const scheduling = new SchedulingService({
    store,
    megameeting,
    slack,
    identity,
    meetings,
    reminders,
    logger,
    clock,
    defaultTimeZone: config.defaultTimeZone,
    guests,
    calls,
    changes,
  });
  const meetingList = new MeetingListService({
    store,
    megameeting,
    meetings,
    reminders,
    logger,
    clock,
    calls,
    changes,
  });
  const recordings = new RecordingsService({
    store,
    megameeting,
    slack,
    identity,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
    autoRemux: config.autoRemux,
    changes,
  });
  const peopleAdmin = new PeopleAdminService({
    store,
    megameeting,
    identity,
    appLogin,
    slack,
    logger,
    clock,
  });
  const adminDesk = new AdminDesk({ store, identity, slack, logger, clock });
  const accessRequests = new AccessRequestsService({
    desk: adminDesk,
    identity,
    megameeting,
    slack,
    logger,
    clock,
  });
  const offboarding = new OffboardingService({
    desk: adminDesk,
    store,
    identity,
    megameeting,
    appLogin,
    logger,
  });
  const home = new HomeService({
    identity,
    meetingList,
    recordings,
    meetings,
    scheduling,
    appLogin,
    slack,
    changes,
    store,
    logger,
    clock,
    connection: { accountUrl: config.megameeting.url },
    ...(tuning.homeDebounceMs !== undefined ? { debounceMs: tuning.homeDebounceMs } : {}),
  });
  const signIn = new SignInService({ identity, megameeting, slack, logger });
  const connectionCommands =
    adapters.connectionCommands ?? new EnvironmentConnectionCommands({ home, identity, slack, logger });
  const unfurls = new UnfurlService({
    store,
    megameeting,
    slack,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
  });
  const meetAbout = new MeetAboutService({ meetings, slack });
  const recovery = new IntentRecovery({ store, meetings, intents, slack, logger, clock });
  const poller = new RecordingsPoller({
    recordings,
    store,
    logger,
    clock,
    intervalSeconds: config.recordingsPollSeconds,
  });
  return {
    store,
    megameeting,
    slack,
    identity,
    appLogin,
    meetings,
    intents,
    recovery,
    reminders,
    calls,
    scheduling,
    meetingList,
    guests,
    recordings,
    poller,
    peopleAdmin,
    adminDesk,
    accessRequests,
    offboarding,
    changes,
    home,
    connectionCommands,
    signIn,
    unfurls,
    meetAbout,
    logger,
    clock,
    config,
  };
}

/** The slash command, actions, views and events of one workspace's services, on a Bolt app. */
export function registerListeners(bolt: App, services: Services): void {
  // One Bolt listener per kind of payload, not per handler (listener-router.ts: Bolt runs every listener's chain).
  const router = new ListenerRouter();
  commands.register(router.app, services);
  listeners.register(router.app, services);
  router.mount(bolt);
  bolt.error(async (error) => {
    services.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
}

export async function startApp(
  config: Config,
  logger: AppLogger,
  opts: StartOptions = {},
): Promise<RunningApp> {
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.databaseUrl, { logger }));
  const services = buildServices(config, logger, store, clock, opts.tuning);
  // Loaded only when METRICS=true: by default no metrics code (nor prom-client) is loaded at all.
  const metrics = config.metrics
    ? (await import('./metrics/index.js')).startMetrics({ store, logger })
    : null;
  let stopping = false;

  const { bolt, receiver } = createBolt(config, logger);
  try {
    // Checks the bot token with auth.test now: a bad token or an unreachable Slack stops start-up with one line
    // instead of an unhandled rejection later.
    await bolt.init();
  } catch (err) {
    if (!opts.store) await store.close();
    throw new Error(describeSlackStartupError(err, config.slack.apiUrl ?? 'https://slack.com/api/'));
  }
  // Count work in flight (listeners keep running after their ack) so that SIGTERM can let it finish.
  const inFlight = trackInFlight();
  bolt.use(inFlight.middleware);
  if (metrics) bolt.use(metrics.middleware);
  // Events API retries (same event_id) reach the listeners once, on any replica.
  bolt.use(eventDedupe({ store, clock, logger }));
  registerListeners(bolt, services);

  const server = createHttpServer({
    receiver,
    logger,
    health: { mode: config.slack.mode, store: store.dialect },
    isStopping: () => stopping,
    extraRoute: metrics ? (req, res, path) => metrics.handle(req, res, path) : undefined,
  });
  const port = await listen(server, config.port);
  // Off the first `/meet`'s path: loading the time parser freezes the event loop (plain-english.ts).
  setImmediate(preloadTimeParser);
  if (config.slack.mode === 'socket') await bolt.start();
  const startPoller = opts.startPoller ?? config.recordingsPollSeconds > 0;
  if (startPoller) services.poller.start();
  const stopReminderSweep =
    (opts.startPoller ?? true) && config.reminderMinutes > 0 ? startReminderSweep(services) : null;
  const stopCallsSweep = (opts.startPoller ?? true) ? startCallsSweep(services) : null;
  // Any replica, at start-up and then periodically: creations interrupted by a crash are finished or reported.
  if (opts.recovery ?? true) services.recovery.start();
  logger.info({ port, mode: config.slack.mode, store: store.dialect }, 'MegaMeeting for Slack is running');

  return {
    services,
    bolt,
    port,
    async stop() {
      if (stopping) return;
      stopping = true;
      logger.info('stopping: no new requests; finishing work in flight');
      await services.poller.stop();
      stopReminderSweep?.();
      stopCallsSweep?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Listeners run on after their ack (a /meet waiting on a slow createMeeting): let them, and the meeting
      // creations they recorded, finish rather than exit under them. What is left at the deadline, recovery
      // finishes after the restart (or on another replica).
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      // No new recovery pass; the intents a running one holds are waited for below like any other.
      void services.recovery.stop();
      await inFlight.drain(SHUTDOWN_GRACE_MS);
      await services.home.stop();
      const idle = await services.intents.idle(deadline - Date.now());
      if (inFlight.count > 0 || !idle) {
        logger.warn(
          { inFlight: inFlight.count, creations: services.intents.inProgress },
          'stopping with work in flight; interrupted meeting creations are recovered at the next start',
        );
      }
      if (config.slack.mode === 'socket') await bolt.stop().catch(() => {});
      server.closeAllConnections();
      await closed;
      metrics?.stop();
      if (!opts.store) await store.close();
      logger.info('stopped');
    },
  };
}
