import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import * as commands from './commands/index.js';
import type { Config } from './config.js';
import * as listeners from './listeners/index.js';
import { type AppLogger, boltLogger } from './logger.js';
import { MegaMeetingClient } from './megameeting/client.js';
import type { MegaMeetingApi } from './megameeting/types.js';
import { type Clock, systemClock } from './services/clock.js';
import { GuestsService } from './services/guests.js';
import { IdentityService } from './services/identity.js';
import { MeetingsService } from './services/meetings.js';
import { RecordingsPoller, RecordingsService } from './services/recordings.js';
import { RemindersService } from './services/reminders.js';
import { SchedulingService } from './services/scheduling.js';
import { eventDedupe } from './slack/event-dedupe.js';
import { SlackGateway } from './slack/gateway.js';
import { isFreshSlackTimestamp } from './slack/request-guard.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { warmTimeZoneSearch } from './time/zones.js';
import { sleep } from './util/async.js';

/**
 * Wiring only: config → adapters → services → listeners → server. Behaviour lives in services.
 */

export interface Services {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  meetings: MeetingsService;
  reminders: RemindersService;
  scheduling: SchedulingService;
  guests: GuestsService;
  recordings: RecordingsService;
  poller: RecordingsPoller;
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
}

/**
 * Web API options shared by the app's own client and Bolt's. Interactive flows must not hang for Slack's default
 * 30 minutes of retries: the gateway and the poller wait as Slack asks on a 429 themselves.
 */
function slackClientOptions(config: Config) {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
  };
}

export function buildServices(config: Config, logger: AppLogger, store: Store, clock: Clock): Services {
  const slackClient = new WebClient(config.slack.botToken, {
    ...slackClientOptions(config),
    timeout: 10_000,
    logger: boltLogger(logger),
  });
  const slack = new SlackGateway(slackClient, logger, undefined, undefined, clock);
  const megameeting = new MegaMeetingClient({
    baseUrl: config.megameeting.url,
    apiToken: config.megameeting.apiToken,
    logger: logger.child({ component: 'megameeting' }),
  });
  const identity = new IdentityService({ store, megameeting, slack, logger, clock });
  const reminders = new RemindersService({
    store,
    slack,
    logger,
    clock,
    reminderMinutes: config.reminderMinutes,
    megameetingUrl: config.megameeting.url,
  });
  const meetings = new MeetingsService({
    store,
    megameeting,
    slack,
    identity,
    reminders,
    logger,
    clock,
    megameetingUrl: config.megameeting.url,
    defaultTimeZone: config.defaultTimeZone,
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
  });
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
    meetings,
    reminders,
    scheduling,
    guests,
    recordings,
    poller,
    logger,
    clock,
    config,
  };
}

function registerListeners(bolt: App, services: Services): void {
  commands.register(bolt, services);
  listeners.register(bolt, services);
  bolt.error(async (error) => {
    services.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
}

const REMINDER_SWEEP_MS = 60 * 60_000;
const REMINDER_SWEEP_LEASE = 'reminders-sweep';

/**
 * Hourly, one replica at a time (a lease): reminders of meetings that were more than 120 days ahead when made.
 */
function startReminderSweep(services: Services, enabled: boolean): NodeJS.Timeout | null {
  if (!enabled || services.config.reminderMinutes <= 0) return null;
  const holder = `sweep:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const run = async () => {
    try {
      const now = services.clock.now();
      if (!(await services.store.acquireLease(REMINDER_SWEEP_LEASE, holder, REMINDER_SWEEP_MS * 1.5, now)))
        return;
      await services.reminders.sweep();
    } catch (err) {
      services.logger.warn({ err }, 'the reminder sweep failed; it runs again in an hour');
    }
  };
  const timer = setInterval(run, REMINDER_SWEEP_MS);
  timer.unref();
  return timer;
}

function describeSlackStartupError(err: unknown, apiUrl: string): string {
  const e = err as { code?: string; data?: { error?: string } };
  if (e?.data?.error) {
    return `Slack refused SLACK_BOT_TOKEN (${e.data.error}); check the bot token of the installed app.`;
  }
  return `Cannot reach Slack's Web API at ${apiUrl} to check SLACK_BOT_TOKEN (${e?.code ?? 'network error'}).`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startApp(
  config: Config,
  logger: AppLogger,
  opts: StartOptions = {},
): Promise<RunningApp> {
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.databaseUrl, { logger }));
  const services = buildServices(config, logger, store, clock);
  // Loaded only when METRICS=true: by default no metrics code (nor prom-client) is loaded at all.
  const metrics = config.metrics
    ? (await import('./metrics/index.js')).startMetrics({ store, logger })
    : null;
  // Build the zone search index now: Slack gives the zone picker's options request only 3 seconds.
  warmTimeZoneSearch(clock.now());
  let inFlight = 0;
  let stopping = false;

  const common = {
    token: config.slack.botToken,
    logger: boltLogger(logger),
    clientOptions: slackClientOptions(config),
  };

  let bolt: App;
  let receiver: HTTPReceiver | null = null;
  if (config.slack.mode === 'socket') {
    // Built here rather than by Bolt so that apps.connections.open also honours SLACK_API_URL.
    const socketReceiver = new SocketModeReceiver({
      appToken: config.slack.appToken as string,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: common.clientOptions },
    });
    bolt = new App({ ...common, receiver: socketReceiver, deferInitialization: true });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret as string,
      endpoints: '/slack/events',
      logger: boltLogger(logger),
      processBeforeResponse: false,
    });
    bolt = new App({ ...common, receiver, deferInitialization: true });
  }
  try {
    // Checks the bot token with auth.test now: a bad token or an unreachable Slack stops start-up with one line
    // instead of an unhandled rejection later.
    await bolt.init();
  } catch (err) {
    if (!opts.store) await store.close();
    throw new Error(describeSlackStartupError(err, config.slack.apiUrl ?? 'https://slack.com/api/'));
  }
  // Count work in flight (listeners keep running after their ack) so that SIGTERM can let it finish.
  bolt.use(async ({ next }) => {
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  });
  if (metrics) bolt.use(metrics.middleware);
  // Events API retries (same event_id) reach the listeners once, on any replica.
  bolt.use(eventDedupe({ store, clock, logger }));
  registerListeners(bolt, services);

  const httpReceiver = receiver;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (metrics?.handle(req, res, path)) return;
    if (req.method === 'GET' && path === '/healthz') {
      return sendJson(res, stopping ? 503 : 200, {
        status: stopping ? 'stopping' : 'ok',
        mode: config.slack.mode,
        store: store.dialect,
      });
    }
    if (httpReceiver && path === '/slack/events') {
      // Bolt accepts timestamps from the future; Slack's rule is 5 minutes either way, and so is ours.
      if (!isFreshSlackTimestamp(req.headers['x-slack-request-timestamp'], new Date())) {
        logger.warn({ path }, 'rejected a request whose Slack timestamp is missing or outside 5 minutes');
        res.writeHead(401).end();
        return;
      }
      if (stopping) {
        res.writeHead(503, { 'retry-after': '5' }).end();
        return;
      }
      try {
        httpReceiver.requestListener(req, res);
      } catch (err) {
        logger.warn({ err, path }, 'request could not be handled');
        if (!res.headersSent) res.writeHead(404).end();
      }
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (config.slack.mode === 'socket') await bolt.start();
  const startPoller = opts.startPoller ?? config.recordingsPollSeconds > 0;
  if (startPoller) services.poller.start();
  const reminderSweep = startReminderSweep(services, opts.startPoller ?? true);
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
      if (reminderSweep) clearInterval(reminderSweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + 15_000;
      while (inFlight > 0 && Date.now() < deadline) await sleep(50);
      if (config.slack.mode === 'socket') await bolt.stop().catch(() => {});
      server.closeAllConnections();
      await closed;
      metrics?.stop();
      if (!opts.store) await store.close();
      logger.info('stopped');
    },
  };
}
