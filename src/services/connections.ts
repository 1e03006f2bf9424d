/**
 * Each workspace connects its own MegaMeeting account (multi-workspace mode, design.md; issue 12): a Slack
 * workspace admin or owner gives the account URL and an admin API token; the app checks them against MegaMeeting
 * before saving anything, and answers every failure with a sentence for the form field it concerns.
 *
 * The check (MegaMeeting has no "who am I"): the URL is read (megameeting/account-url.ts); `logins` must answer
 * with the token (a network failure or a non-GraphQL answer is the URL's fault, UNAUTHENTICATED the token's,
 * FORBIDDEN means a host token: `logins` is admin-only); then the token is compared (constant time) with
 * `apiTokenDetails` of the account's active admin and owner logins, which finds the login it belongs to.
 *
 * The token is never logged, never put in an error or a message, and stored only through the store's
 * encryption (store/connections.ts). Nothing is stored unless every check passed.
 */

import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import { type AccountUrlOptions, parseAccountUrl } from '../megameeting/account-url.js';
import { MegaMeetingClient } from '../megameeting/client.js';
import { MegaMeetingError } from '../megameeting/errors.js';
import { type HostLookup, privateHostProblem } from '../megameeting/public-host.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ConnectionRepository, MegaMeetingConnection } from '../store/types.js';
import type { WorkspaceConnection } from '../views/connection.js';
import { isAdminLogin, sameSecret } from './app-login.js';
import type { Clock } from './clock.js';

/** Which field of the connect form a refusal concerns. */
export type ConnectionField = 'url' | 'token';

export interface VerifiedAccount {
  accountUrl: string;
  loginId: string;
  loginEmail: string;
  loginName: string | null;
}

export type VerifyResult =
  | { ok: true; account: VerifiedAccount }
  | { ok: false; field: ConnectionField; message: string };

export type ConnectResult =
  | { ok: true; connection: WorkspaceConnection }
  | { ok: false; field: ConnectionField; message: string };

/** Longer than any MegaMeeting token we know of (32 characters), short enough to refuse pasted paragraphs. */
const MAX_TOKEN_LENGTH = 200;
/** Admin rights are read from a Slack profile at most this old: connecting is rare and must be current. */
const ADMIN_CHECK_MAX_AGE_MS = 0;

export const NOT_WORKSPACE_ADMIN =
  'Only a Slack workspace admin or owner can connect or disconnect MegaMeeting. Ask one of them to run `/meet connect`.';

export interface ConnectionServiceDeps {
  /** The workspaces' connections (`store.megameetingConnections(box)`: tokens encrypted at rest). */
  connections: Pick<ConnectionRepository, 'get' | 'upsert' | 'delete'>;
  /** A MegaMeeting client for an account being checked (short timeout, few retries: a person is waiting). */
  megameetingFor(accountUrl: string, apiToken: string): Pick<MegaMeetingApi, 'logins' | 'apiTokenDetails'>;
  /** The Slack adapter of a workspace (its own bot token in multi-workspace mode). */
  slackFor(teamId: string): Pick<SlackGateway, 'userInfo'>;
  urls?: AccountUrlOptions;
  /** How host names are resolved for the private-network check (tests); default the system's. */
  lookup?: HostLookup;
  /** Hears of each connect or disconnect saved (the workspace's app is rebuilt on the new account, or stopped). */
  onChange?(teamId: string): void;
  logger: AppLogger;
  clock: Clock;
}

/**
 * The clients a check uses (`megameetingFor`): one attempt per request and 5 s each, since a person is waiting on
 * the form and an address that does not answer should be said quickly.
 */
export function checkingClients(logger: AppLogger): ConnectionServiceDeps['megameetingFor'] {
  const log = logger.child({ component: 'megameeting-check' });
  return (baseUrl, apiToken) =>
    new MegaMeetingClient({ baseUrl, apiToken, timeoutMs: 5_000, retries: 0, logger: log });
}

export class ConnectionService {
  constructor(private readonly deps: ConnectionServiceDeps) {}

  /** A Slack workspace admin or owner (users.info, read fresh). */
  async isWorkspaceAdmin(teamId: string, userId: string): Promise<boolean> {
    const user = await this.deps.slackFor(teamId).userInfo(userId, ADMIN_CHECK_MAX_AGE_MS);
    return user.isAdmin || user.isOwner;
  }

  /** Throws AppError('not_allowed') for anyone but a workspace admin or owner. */
  async requireWorkspaceAdmin(teamId: string, userId: string): Promise<void> {
    if (!(await this.isWorkspaceAdmin(teamId, userId)))
      throw new AppError('not_allowed', NOT_WORKSPACE_ADMIN);
  }

  /** The team's connection without its token, or null. */
  async status(teamId: string): Promise<WorkspaceConnection | null> {
    const c = await this.deps.connections.get(teamId);
    return c ? toStatus(c) : null;
  }

  /**
   * Checks an account URL and API token against MegaMeeting. Never throws for what MegaMeeting or the person did
   * wrong (that is a refusal for a field); a bug still throws.
   */
  async verify(rawUrl: string, rawToken: string): Promise<VerifyResult> {
    const url = parseAccountUrl(rawUrl, this.deps.urls);
    if (!url.ok) return { ok: false, field: 'url', message: url.problem };
    const hostProblem = await privateHostProblem(url.url, {
      allowLoopback: this.deps.urls?.allowLoopbackHttp === true,
      ...(this.deps.lookup ? { lookup: this.deps.lookup } : {}),
    });
    if (hostProblem) return { ok: false, field: 'url', message: hostProblem };
    const token = rawToken.trim();
    const tokenProblem = checkTokenShape(token);
    if (tokenProblem) return { ok: false, field: 'token', message: tokenProblem };

    const megameeting = this.deps.megameetingFor(url.url, token);
    try {
      const admins = (await megameeting.logins()).filter((l) => l.active && isAdminLogin(l));
      for (const login of admins) {
        const details = await megameeting.apiTokenDetails(login.loginId).catch((err: unknown) => {
          // A login without a token is not the one.
          if (err instanceof MegaMeetingError && err.code === 'not_found') return null;
          throw err;
        });
        if (details && sameSecret(details.apiToken, token)) {
          return {
            ok: true,
            account: {
              accountUrl: url.url,
              loginId: login.loginId,
              loginEmail: login.email,
              loginName: login.fullName || null,
            },
          };
        }
      }
      this.deps.logger.info(
        { accountUrl: url.url, admins: admins.length },
        'connect: the token works but belongs to no active admin login',
      );
      return {
        ok: false,
        field: 'token',
        message:
          'MegaMeeting accepted this token, but it belongs to none of the active admin or owner logins of the account. Use an API token of an active admin login.',
      };
    } catch (err) {
      if (!(err instanceof MegaMeetingError)) throw err;
      const refusal = refusalFor(err, url.url);
      // The code and status only: never the token (the client's messages are redacted, but say nothing more).
      this.deps.logger.info(
        {
          accountUrl: url.url,
          field: refusal.field,
          code: err.code,
          operation: err.operation,
          httpStatus: err.httpStatus,
        },
        'connect: MegaMeeting refused the account',
      );
      return refusal;
    }
  }

  /** A workspace admin connects (or re-connects) the team: checked, then saved; nothing saved on a refusal. */
  async connect(req: {
    teamId: string;
    userId: string;
    accountUrl: string;
    apiToken: string;
  }): Promise<ConnectResult> {
    await this.requireWorkspaceAdmin(req.teamId, req.userId);
    const verified = await this.verify(req.accountUrl, req.apiToken);
    if (!verified.ok) return verified;
    const connection: MegaMeetingConnection = {
      teamId: req.teamId,
      accountUrl: verified.account.accountUrl,
      apiToken: req.apiToken.trim(),
      loginId: verified.account.loginId,
      loginEmail: verified.account.loginEmail,
      connectedBy: req.userId,
      connectedAt: this.deps.clock.now(),
    };
    await this.deps.connections.upsert(connection);
    this.deps.onChange?.(req.teamId);
    this.deps.logger.info(
      {
        teamId: req.teamId,
        userId: req.userId,
        accountUrl: connection.accountUrl,
        loginId: connection.loginId,
      },
      'connect: MegaMeeting account connected',
    );
    return { ok: true, connection: toStatus(connection) };
  }

  /** A workspace admin removes the team's connection; the former one (null when there was none). */
  async disconnect(req: { teamId: string; userId: string }): Promise<WorkspaceConnection | null> {
    await this.requireWorkspaceAdmin(req.teamId, req.userId);
    const before = await this.status(req.teamId).catch(() => null);
    const removed = await this.deps.connections.delete(req.teamId);
    if (!removed) return null;
    this.deps.onChange?.(req.teamId);
    this.deps.logger.info(
      { teamId: req.teamId, userId: req.userId, accountUrl: before?.accountUrl },
      'connect: MegaMeeting account disconnected',
    );
    return before;
  }
}

function toStatus(c: MegaMeetingConnection): WorkspaceConnection {
  return {
    accountUrl: c.accountUrl,
    loginId: c.loginId,
    loginEmail: c.loginEmail,
    connectedBy: c.connectedBy,
    connectedAt: c.connectedAt,
  };
}

function checkTokenShape(token: string): string | null {
  if (token === '') return 'Paste an API token of an admin login of your MegaMeeting account.';
  if (/\s/.test(token)) return 'An API token has no spaces or line breaks: paste the token alone.';
  if (token.length > MAX_TOKEN_LENGTH) return 'That is too long for an API token: paste the token alone.';
  return null;
}

function refusalFor(
  err: MegaMeetingError,
  url: string,
): { ok: false; field: ConnectionField; message: string } {
  switch (err.code) {
    case 'unauthorized':
      return {
        ok: false,
        field: 'token',
        message: `The MegaMeeting account at ${url} did not accept this API token. Check that you copied it whole and that it is a token of this account.`,
      };
    case 'forbidden':
      return {
        ok: false,
        field: 'token',
        message:
          'This API token belongs to a login without the admin role. Use an API token of an admin or owner login.',
      };
    case 'unavailable':
    case 'timeout':
      return {
        ok: false,
        field: 'url',
        message: `MegaMeeting did not answer at ${url}${err.code === 'timeout' ? ' in time' : ''}. Check the account URL.`,
      };
    default:
      return {
        ok: false,
        field: 'url',
        message: `${url} answered, but not like a MegaMeeting account. Check the account URL (the address you sign in at).`,
      };
  }
}
