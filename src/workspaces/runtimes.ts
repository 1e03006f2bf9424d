/**
 * Each connected workspace's own app (issue 12, "Every request runs in its workspace"): the services graph of
 * single-workspace mode (src/app.ts buildServices) on that workspace's Slack bot token, its MegaMeeting account
 * and a store view limited to it, with the single-workspace listeners registered on a Bolt app of its own that has
 * no receiver. The multi-workspace app's receiver verifies each request and the router (router.ts) hands it to
 * the team's app; background jobs (jobs.ts) use the same graphs.
 *
 * Built on a workspace's first request or background pass and kept in a bounded LRU: an evicted workspace is
 * stopped and rebuilt on its next use. The connection is read again after `revalidateMs` (another replica may
 * have disconnected or re-connected it); a changed connection gets a new graph, a removed one none.
 */
import { App, type Receiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { buildServices, registerListeners, type Services, type Tuning } from '../app.js';
import type { Config, MultiModeConfig } from '../config.js';
import { type AppLogger, boltLogger, scrubFromLogs } from '../logger.js';
import { MegaMeetingClient } from '../megameeting/client.js';
import type { Clock } from '../services/clock.js';
import type { ConnectionCommands } from '../services/connection-commands.js';
import { causeKeepingFetch } from '../slack/gateway.js';
import type { ConnectionRepository, MegaMeetingConnection, Store } from '../store/types.js';
import { LruCache } from '../util/lru.js';

/** Most workspaces whose app is kept built; the least recently used is stopped (and rebuilt when next needed). */
export const WORKSPACE_RUNTIMES_MAX = 200;
/** How long a built workspace trusts its connection before reading it again (other replicas may change it). */
export const CONNECTION_REVALIDATE_MS = 30_000;

/** What Bolt's `authorize` found for the workspace's latest request (or a background token refresh). */
export interface WorkspaceAuth {
  botToken: string;
  botId?: string | undefined;
  botUserId?: string | undefined;
}

export interface WorkspaceRuntime {
  readonly teamId: string;
  /** The MegaMeeting account this graph talks to (its API token is a secret: never log this object). */
  readonly accountUrl: string;
  readonly services: Services;
  /** The workspace's Bolt app: the single-workspace listeners, fed by the router. */
  readonly bolt: App;
  auth: WorkspaceAuth;
}

export interface WorkspaceRuntimesDeps {
  config: MultiModeConfig;
  logger: AppLogger;
  clock: Clock;
  connections: Pick<ConnectionRepository, 'get'>;
  /** The store view the workspace's services get: only that workspace's rows. */
  storeFor(teamId: string): Store;
  /** `/meet connect` and `/meet disconnect` of this mode (the workspace's own account). */
  connectionCommands: ConnectionCommands;
  /** The workspace's current bot token, for background work (Bolt's installer: refreshed when it rotates). */
  botTokenFor(teamId: string): Promise<WorkspaceAuth | null>;
  tuning?: Tuning;
  max?: number;
  revalidateMs?: number;
}

/** A receiver that receives nothing: the multi-workspace app's receiver feeds this app through the router. */
class RouterFedReceiver implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * A Web API client whose calls carry the workspace's current bot token: a rotated token (Slack's token rotation
 * refreshes bot tokens every 12 hours) is used from the next call on, without rebuilding the services.
 */
class WorkspaceWebClient extends WebClient {
  constructor(
    private readonly currentToken: () => string,
    options: WebClientOptions,
  ) {
    super(undefined, options);
  }

  override apiCall(method: string, options: Record<string, unknown> = {}) {
    return super.apiCall(method, { ...options, token: options.token ?? this.currentToken() });
  }
}

function fingerprint(connection: MegaMeetingConnection): string {
  return `${connection.accountUrl}\n${connection.loginId}\n${connection.connectedAt.getTime()}`;
}

interface Entry {
  runtime: WorkspaceRuntime;
  fingerprint: string;
  checkedAt: number;
}

export class WorkspaceRuntimes {
  readonly #entries: LruCache<string, Entry>;
  readonly #building = new Map<string, Promise<WorkspaceRuntime | null>>();
  readonly #stopping = new Set<Promise<void>>();

  constructor(private readonly deps: WorkspaceRuntimesDeps) {
    this.#entries = new LruCache(deps.max ?? WORKSPACE_RUNTIMES_MAX, (teamId, entry) => {
      this.#stopRuntime(entry.runtime, `evicted: more than ${this.#entries.max} workspaces in use`);
      deps.logger.debug({ teamId }, 'workspace app evicted');
    });
  }

  /** How many workspaces are built now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The built workspace, without reading the store (null when not built). */
  peek(teamId: string): WorkspaceRuntime | null {
    return this.#entries.get(teamId)?.runtime ?? null;
  }

  /**
   * The workspace's app, built when needed; null when the workspace has no MegaMeeting connection. `auth` (from
   * the request) becomes the token its Slack calls use. Concurrent calls for one workspace share one build.
   */
  async get(teamId: string, auth?: WorkspaceAuth): Promise<WorkspaceRuntime | null> {
    const entry = this.#entries.get(teamId);
    const now = this.deps.clock.now().getTime();
    if (entry && now - entry.checkedAt < (this.deps.revalidateMs ?? CONNECTION_REVALIDATE_MS)) {
      if (auth) entry.runtime.auth = auth;
      return entry.runtime;
    }
    let pending = this.#building.get(teamId);
    if (!pending) {
      pending = this.#load(teamId, auth).finally(() => this.#building.delete(teamId));
      this.#building.set(teamId, pending);
    }
    const runtime = await pending;
    if (runtime && auth) runtime.auth = auth;
    return runtime;
  }

  /** After a disconnect, an uninstall or a revoked token here: the workspace's app is stopped now. */
  forget(teamId: string, why: string): void {
    const entry = this.#entries.get(teamId);
    if (!entry) return;
    this.#entries.delete(teamId);
    this.#stopRuntime(entry.runtime, why);
  }

  /** Stops every workspace's app (the process is stopping). */
  async stop(): Promise<void> {
    for (const teamId of this.#entries.keys()) this.forget(teamId, 'stopping');
    await Promise.allSettled([...this.#building.values()]);
    for (const teamId of this.#entries.keys()) this.forget(teamId, 'stopping');
    await Promise.allSettled([...this.#stopping]);
  }

  async #load(teamId: string, auth: WorkspaceAuth | undefined): Promise<WorkspaceRuntime | null> {
    const connection = await this.deps.connections.get(teamId);
    const entry = this.#entries.get(teamId);
    const now = this.deps.clock.now().getTime();
    if (!connection) {
      if (entry) this.forget(teamId, 'MegaMeeting disconnected');
      return null;
    }
    const print = fingerprint(connection);
    if (entry && entry.fingerprint === print) {
      entry.checkedAt = now;
      return entry.runtime;
    }
    if (entry) this.forget(teamId, 'MegaMeeting connection changed');
    const current = auth ?? (await this.deps.botTokenFor(teamId));
    if (!current) return null;
    const runtime = this.#build(teamId, connection, current);
    this.#entries.set(teamId, { runtime, fingerprint: print, checkedAt: now });
    return runtime;
  }

  #build(teamId: string, connection: MegaMeetingConnection, auth: WorkspaceAuth): WorkspaceRuntime {
    const { config, clock } = this.deps;
    const logger = this.deps.logger.child({ teamId });
    scrubFromLogs(logger, connection.apiToken);
    const teamConfig: Config = {
      ...config,
      slack: {
        botToken: '',
        signingSecret: config.slack.signingSecret,
        appToken: undefined,
        apiUrl: config.slack.apiUrl,
        mode: 'http',
      },
      megameeting: { url: connection.accountUrl, apiToken: connection.apiToken },
    };
    let runtime: WorkspaceRuntime | null = null;
    const slackClient = new WorkspaceWebClient(() => runtime?.auth.botToken ?? auth.botToken, {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      fetch: causeKeepingFetch,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.deps.tuning?.slackTimeoutMs ?? 10_000,
      logger: boltLogger(logger),
    });
    const megameeting = new MegaMeetingClient({
      baseUrl: connection.accountUrl,
      apiToken: connection.apiToken,
      logger: logger.child({ component: 'megameeting' }),
    });
    const services = buildServices(teamConfig, logger, this.deps.storeFor(teamId), clock, this.deps.tuning, {
      slackClient,
      megameeting,
      connectionCommands: this.deps.connectionCommands,
    });
    const bolt = new App({
      receiver: new RouterFedReceiver(),
      logger: boltLogger(logger),
      // The router has already authorized the request on the main app: this hands its answer on.
      authorize: async () => ({ ...(runtime?.auth ?? auth), teamId }),
    });
    registerListeners(bolt, services);
    runtime = { teamId, accountUrl: connection.accountUrl, services, bolt, auth };
    logger.info({ accountUrl: connection.accountUrl }, 'workspace app built');
    return runtime;
  }

  #stopRuntime(runtime: WorkspaceRuntime, why: string): void {
    const stopping = runtime.services.home
      .stop()
      .then(() => runtime.services.intents.idle(10_000))
      .then(() => undefined)
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, teamId: runtime.teamId }, 'stopping a workspace app failed'),
      )
      .finally(() => this.#stopping.delete(stopping));
    this.#stopping.add(stopping);
    this.deps.logger.info({ teamId: runtime.teamId, why }, 'workspace app stopped');
  }
}
