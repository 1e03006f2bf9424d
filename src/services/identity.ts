import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway, SlackUser } from '../slack/gateway.js';
import type { Store, UserLink } from '../store/types.js';
import { TIMED_OUT, withTimeout } from '../util/async.js';
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
/**
 * Powers (acting as a host through a stored link, MegaMeeting admin rights) are read from a `logins` answer at most
 * this old, so a login deactivated in MegaMeeting stops acting from Slack within half a minute.
 */
const LOGIN_POWERS_MAX_AGE_MS = 30_000;
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

  /** All logins, cached (at most `maxAgeMs` old): matching happens on every first use and must not hammer MegaMeeting. */
  async logins(maxAgeMs = LOGINS_CACHE_MS): Promise<Login[]> {
    const now = this.deps.clock.now().getTime();
    if (this.loginsCache && now - this.loginsCache.at < maxAgeMs) return this.loginsCache.logins;
    const logins = await this.deps.megameeting.logins();
    this.loginsCache = { logins, at: now };
    return logins;
  }

  /** A login by ID (the cache first, then a fresh read when it is not there). */
  async findLogin(loginId: string, maxAgeMs = LOGINS_CACHE_MS): Promise<Login | null> {
    const cached = (await this.logins(maxAgeMs)).find((l) => l.loginId === loginId);
    if (cached) return cached;
    return (await this.logins(0)).find((l) => l.loginId === loginId) ?? null;
  }

  /**
   * The MegaMeeting login a Slack user acts as; throws `unmapped_user` with a message saying what to do. A stored
   * link is re-checked against `logins`: only an active login acts (one deactivated or deleted in MegaMeeting does
   * not, even though the link was made while it was active).
   */
  async resolveHost(teamId: string, slackUserId: string): Promise<HostIdentity> {
    const slackUser = await this.deps.slack.userInfo(slackUserId);
    const existing = await this.deps.store.getUserLink(teamId, slackUserId);
    if (existing) {
      const login = await this.findLogin(existing.loginId, LOGIN_POWERS_MAX_AGE_MS);
      if (login?.active) return { loginId: existing.loginId, link: existing, slackUser };
      // An automatic link follows the email: a new active login with it (the old one replaced) is found below.
      if (existing.source !== 'email_match') throw inactiveLink(existing.loginId, login);
      this.deps.logger.info(
        { teamId, slackUserId, loginId: existing.loginId, found: Boolean(login) },
        'stored link names a login that cannot act; matching by email again',
      );
    }

    if (!slackUser.email) {
      if (existing) throw inactiveLink(existing.loginId, null);
      throw new AppError(
        'unmapped_user',
        "I can't see an email address on your Slack profile, so I can't find your MegaMeeting login. " +
          'Ask a Slack admin to link you with `/meet account @you <MegaMeeting loginId>`.',
      );
    }
    const email = slackUser.email.toLowerCase();
    const matches = (await this.logins(existing ? LOGIN_POWERS_MAX_AGE_MS : LOGINS_CACHE_MS)).filter(
      (l) => l.email.toLowerCase() === email,
    );
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
   * A Slack workspace admin/owner, or a user whose linked MegaMeeting login is active and has the admin or owner
   * role. `maxWaitMs` bounds the MegaMeeting part (checks made before opening a modal must not outlive the trigger).
   */
  async isAdmin(teamId: string, slackUserId: string, opts: { maxWaitMs?: number } = {}): Promise<boolean> {
    const slackUser = await this.deps.slack.userInfo(slackUserId, ADMIN_CHECK_MAX_AGE_MS);
    if (slackUser.isAdmin || slackUser.isOwner) return true;
    const link = await this.deps.store.getUserLink(teamId, slackUserId);
    if (!link) return false;
    try {
      const login = await withTimeout(this.findLogin(link.loginId, LOGIN_POWERS_MAX_AGE_MS), opts.maxWaitMs);
      if (login === TIMED_OUT) {
        throw new AppError(
          'megameeting_unavailable',
          'MegaMeeting is slow to confirm your admin rights right now; please try again in a moment.',
        );
      }
      if (login && !login.active && login.roles.some((r) => r === 'admin' || r === 'owner')) {
        this.deps.logger.info(
          { teamId, slackUserId, loginId: link.loginId },
          'admin rights refused: the MegaMeeting login is inactive',
        );
      }
      return Boolean(login?.active && login.roles.some((r) => r === 'admin' || r === 'owner'));
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.deps.logger.warn({ err }, 'could not read MegaMeeting logins to check admin role');
      return false;
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
    const login = await this.findLogin(loginId, LOGIN_POWERS_MAX_AGE_MS);
    if (!login) throw new AppError('not_found', `There is no MegaMeeting login with ID ${loginId}.`);
    if (!login.active) {
      throw new AppError(
        'invalid_input',
        `The MegaMeeting login ${loginId} is inactive: activate it in MegaMeeting first, or pick an active one.`,
      );
    }
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

/** A stored link whose login may not act (deactivated, or deleted): what the user sees. */
function inactiveLink(loginId: string, login: Login | null): AppError {
  const state = login ? 'is inactive' : 'no longer exists';
  return new AppError(
    'unmapped_user',
    `Your MegaMeeting login (${loginId}) ${state}, so I can't act for you in MegaMeeting. ` +
      'Ask your MegaMeeting admin to activate it, or a Slack admin to link you to an active login with ' +
      '`/meet account @you <MegaMeeting loginId>`.',
  );
}
