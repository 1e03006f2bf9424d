/**
 * Each workspace's Slack adapter in multi-workspace mode: a SlackGateway on that workspace's own bot token, the
 * one Bolt's `authorize` found for the request (the installation's, refreshed when it rotates). A middleware
 * remembers it per team before any listener runs; `for(teamId)` hands it out, never another team's. Bounded.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import { createSlackWebClient, SlackGateway } from '../slack/gateway.js';
import { LruCache } from '../util/lru.js';

/** Most workspaces whose adapter is kept; the least recently used is dropped (and rebuilt on its next request). */
export const WORKSPACE_SLACK_MAX = 500;

export class WorkspaceSlackClients {
  readonly #byTeam: LruCache<string, { token: string; gateway: SlackGateway }>;

  constructor(private readonly opts: { apiUrl: string | undefined; logger: AppLogger; max?: number }) {
    this.#byTeam = new LruCache(opts.max ?? WORKSPACE_SLACK_MAX);
  }

  /** The request's team and bot token (from `authorize`); a new token (a refresh) gets a new adapter. */
  remember(teamId: string, botToken: string): void {
    if (this.#byTeam.get(teamId)?.token === botToken) return;
    const client = createSlackWebClient(botToken, this.opts.apiUrl ? { apiUrl: this.opts.apiUrl } : {});
    this.#byTeam.set(teamId, { token: botToken, gateway: new SlackGateway(client, this.opts.logger) });
  }

  /** The adapter of the team whose request is being handled; throws for a team with no request seen. */
  for(teamId: string): SlackGateway {
    const entry = this.#byTeam.get(teamId);
    if (!entry) throw new Error(`no Slack bot token for workspace ${teamId} in this request`);
    return entry.gateway;
  }

  /** After an uninstall or a revoked bot token. */
  forget(teamId: string): void {
    this.#byTeam.delete(teamId);
  }

  /** Bolt middleware: remembers each authorized request's team and bot token before the listeners run. */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async ({ context, next }) => {
      if (context.teamId && context.botToken) this.remember(context.teamId, context.botToken);
      await next();
    };
  }
}
