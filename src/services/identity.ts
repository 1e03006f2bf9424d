import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway, SlackUser } from '../slack/gateway.js';
import type { Store, UserLink } from '../store/types.js';
import type { Clock } from './clock.js';

/**
 * Slack users ↔ MegaMeeting logins. A user's login is found by matching their Slack profile email against
 * MegaMeeting's `logins` (case-insensitive, active logins only), remembered in the store, and can be set by an
 * admin (a Slack workspace admin/owner, or a user mapped to a MegaMeeting admin login).
 */

export interface HostIdentity {
  loginId: string;
  link: UserLink;
  slackUser: SlackUser;
}

const LOGINS_CACHE_MS = 60_000;
/** Admin rights are read from a Slack profile at most this old, so a demoted admin loses them quickly. */
const ADMIN_CHECK_MAX_AGE_MS = 30_000;

export class IdentityService {
  private loginsCache: { logins: Login[]; at: number } | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      megameeting: MegaMeetingApi;
      slack: SlackGateway;
      logger: AppLogger;
      clock: Clock;
    },
  ) {}

  /** All logins, cached briefly: email matching happens on every first use and must not hammer MegaMeeting. */
  async logins(force = false): Promise<Login[]> {
    const now = this.deps.clock.now().getTime();
    if (!force && this.loginsCache && now - this.loginsCache.at < LOGINS_CACHE_MS)
      return this.loginsCache.logins;
    const logins = await this.deps.megameeting.logins();
    this.loginsCache = { logins, at: now };
    return logins;
  }

  async findLogin(loginId: string): Promise<Login | null> {
    const cached = (await this.logins()).find((l) => l.loginId === loginId);
    if (cached) return cached;
    return (await this.logins(true)).find((l) => l.loginId === loginId) ?? null;
  }

  /** The MegaMeeting login a Slack user acts as; throws `unmapped_user` with a message saying what to do. */
  async resolveHost(teamId: string, slackUserId: string): Promise<HostIdentity> {
    const slackUser = await this.deps.slack.userInfo(slackUserId);
    const existing = await this.deps.store.getUserLink(teamId, slackUserId);
    if (existing) return { loginId: existing.loginId, link: existing, slackUser };

    if (!slackUser.email) {
      throw new AppError(
        'unmapped_user',
        "I can't see an email address on your Slack profile, so I can't find your MegaMeeting login. " +
          'Ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
      );
    }
    const email = slackUser.email.toLowerCase();
    const matches = (await this.logins()).filter((l) => l.email.toLowerCase() === email);
    const active = matches.find((l) => l.active);
    if (!active) {
      const why = matches.length > 0 ? 'is inactive' : 'does not exist';
      throw new AppError(
        'unmapped_user',
        `Your MegaMeeting login for ${email} ${why}, so I can't create meetings for you yet. ` +
          'Ask your MegaMeeting admin to add (or activate) a login with that email, ' +
          'or ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
      );
    }
    const link = await this.deps.store.upsertUserLink({
      teamId,
      slackUserId,
      loginId: active.loginId,
      email,
      source: 'email_match',
      linkedBy: null,
      linkedAt: this.deps.clock.now(),
    });
    this.deps.logger.info(
      { teamId, slackUserId, loginId: active.loginId },
      'linked Slack user to MegaMeeting login by email',
    );
    return { loginId: active.loginId, link, slackUser };
  }

  /**
   * A Slack workspace admin/owner, or a user whose linked MegaMeeting login has the admin or owner role.
   * `maxWaitMs` bounds the MegaMeeting part (checks made before opening a modal must not outlive the trigger).
   */
  async isAdmin(teamId: string, slackUserId: string, opts: { maxWaitMs?: number } = {}): Promise<boolean> {
    const slackUser = await this.deps.slack.userInfo(slackUserId, ADMIN_CHECK_MAX_AGE_MS);
    if (slackUser.isAdmin || slackUser.isOwner) return true;
    const link = await this.deps.store.getUserLink(teamId, slackUserId);
    if (!link) return false;
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      if (opts.maxWaitMs !== undefined) timer = setTimeout(() => resolve('slow'), opts.maxWaitMs);
    });
    try {
      const login = await Promise.race([this.findLogin(link.loginId), slow]);
      if (login === 'slow') {
        throw new AppError(
          'megameeting_unavailable',
          'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
        );
      }
      return Boolean(login?.roles.some((r) => r === 'admin' || r === 'owner'));
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.deps.logger.warn({ err }, 'could not read MegaMeeting logins to check admin role');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** An admin links a Slack user to a login explicitly. */
  async setLink(teamId: string, actorUserId: string, targetUserId: string, loginId: string): Promise<Login> {
    if (!(await this.isAdmin(teamId, actorUserId))) {
      throw new AppError(
        'not_allowed',
        'Only Slack workspace admins and MegaMeeting admins can link other people. `/meet account` shows your own link.',
      );
    }
    const login = await this.findLogin(loginId);
    if (!login) throw new AppError('not_found', `There is no MegaMeeting login with ID ${loginId}.`);
    await this.deps.store.upsertUserLink({
      teamId,
      slackUserId: targetUserId,
      loginId,
      email: login.email.toLowerCase(),
      source: 'admin',
      linkedBy: actorUserId,
      linkedAt: this.deps.clock.now(),
    });
    this.deps.logger.info(
      { teamId, targetUserId, loginId, by: actorUserId },
      'admin linked Slack user to login',
    );
    return login;
  }

  /** The Slack user linked to a MegaMeeting login (for recordings, which know only the host's loginId). */
  async slackUserForLogin(teamId: string | null, loginId: string): Promise<UserLink | null> {
    const links = await this.deps.store.findUserLinksByLoginId(teamId, loginId);
    return links[0] ?? null;
  }
}
