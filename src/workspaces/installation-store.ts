/**
 * Bolt's InstallationStore (@slack/oauth) on our store: the OAuth callback and token rotation call
 * `storeInstallation` (an upsert that never puts an older token over a newer one), `authorize` calls
 * `fetchInstallation` for every request. Tokens are encrypted by the store (src/store/installations.ts).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock } from '../services/clock.js';
import type {
  InstallationLookup,
  InstallationRepository,
  NewSlackInstallation,
  SlackInstallation,
} from '../store/types.js';

/** Bolt's seconds since the epoch ↔ our Dates. */
const fromSeconds = (s: number | undefined) => (s === undefined ? null : new Date(s * 1000));
const toSeconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : undefined);

export class NotInstalledError extends Error {
  readonly code = 'not_installed';
  constructor(lookup: InstallationLookup) {
    super(
      `MegaMeeting for Slack is not installed in ${
        lookup.isEnterpriseInstall ? `enterprise ${lookup.enterpriseId}` : `workspace ${lookup.teamId}`
      } (install it from /slack/install)`,
    );
    this.name = 'NotInstalledError';
  }
}

export function lookupOf(query: InstallationQuery<boolean>): InstallationLookup {
  return {
    teamId: query.teamId,
    enterpriseId: query.enterpriseId,
    isEnterpriseInstall: query.isEnterpriseInstall === true,
  };
}

export function fromBolt(installation: Installation): NewSlackInstallation {
  const bot = installation.bot;
  // Our app always asks for bot scopes: an installation without a bot token cannot serve anyone.
  if (!bot) throw new Error('the installation carries no bot token (the app asks for bot scopes)');
  const details: NewSlackInstallation['details'] = {};
  if (installation.enterpriseUrl) details.enterpriseUrl = installation.enterpriseUrl;
  if (installation.tokenType) details.tokenType = installation.tokenType;
  if (installation.authVersion) details.authVersion = installation.authVersion;
  if (installation.metadata !== undefined) details.metadata = installation.metadata;
  return {
    teamId: installation.team?.id ?? null,
    teamName: installation.team?.name ?? null,
    enterpriseId: installation.enterprise?.id ?? null,
    enterpriseName: installation.enterprise?.name ?? null,
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
    appId: installation.appId ?? null,
    botId: bot.id ?? null,
    botUserId: bot.userId,
    botScopes: bot.scopes ?? [],
    botToken: bot.token,
    botRefreshToken: bot.refreshToken ?? null,
    botExpiresAt: fromSeconds(bot.expiresAt),
    userId: installation.user?.id ?? null,
    userScopes: installation.user?.scopes ?? [],
    userToken: installation.user?.token ?? null,
    userRefreshToken: installation.user?.refreshToken ?? null,
    userExpiresAt: fromSeconds(installation.user?.expiresAt),
    // Incoming webhooks are not asked for; their URL (a secret) is never kept.
    details,
  };
}

export function toBolt(i: SlackInstallation): Installation<'v2', boolean> {
  const optional = <T>(v: T | null | undefined) => v ?? undefined;
  return {
    team: i.teamId ? { id: i.teamId, ...(i.teamName ? { name: i.teamName } : {}) } : undefined,
    enterprise: i.enterpriseId
      ? { id: i.enterpriseId, ...(i.enterpriseName ? { name: i.enterpriseName } : {}) }
      : undefined,
    isEnterpriseInstall: i.isEnterpriseInstall,
    appId: optional(i.appId),
    enterpriseUrl: i.details.enterpriseUrl,
    tokenType: i.details.tokenType === 'bot' ? 'bot' : undefined,
    metadata: i.details.metadata,
    // Token rotation needs it; every installation we keep came from OAuth v2.
    authVersion: 'v2',
    bot: {
      token: i.botToken,
      ...(i.botRefreshToken ? { refreshToken: i.botRefreshToken } : {}),
      ...(i.botExpiresAt ? { expiresAt: toSeconds(i.botExpiresAt) } : {}),
      scopes: i.botScopes,
      id: i.botId ?? '',
      userId: i.botUserId,
    },
    user: {
      token: optional(i.userToken),
      ...(i.userRefreshToken ? { refreshToken: i.userRefreshToken } : {}),
      ...(i.userExpiresAt ? { expiresAt: toSeconds(i.userExpiresAt) } : {}),
      scopes: i.userScopes.length ? i.userScopes : undefined,
      id: i.userId ?? '',
    },
  } as Installation<'v2', boolean>;
}

export class StoreInstallationStore implements InstallationStore {
  constructor(
    private readonly installations: InstallationRepository,
    private readonly clock: Clock,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    // False means a newer token is already stored (another replica refreshed later): keeping it is right.
    await this.installations.upsert(fromBolt(installation as Installation), this.clock.now());
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const lookup = lookupOf(query);
    const found = await this.installations.find(lookup, this.clock.now());
    if (!found) throw new NotInstalledError(lookup);
    return toBolt(found);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.installations.deleteInstallation(lookupOf(query));
  }
}
