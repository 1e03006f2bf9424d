import { timingSafeEqual } from 'node:crypto';
import type { AppLogger } from '../logger.js';
import { MegaMeetingError } from '../megameeting/errors.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { Clock } from './clock.js';

/**
 * Which MegaMeeting login is the app's own: the login whose API token is MEGAMEETING_API_TOKEN. MegaMeeting has
 * no "who am I", so the token is compared (constant time, never logged) with `apiTokenDetails` of each admin or
 * owner login (an admin token belongs to one of them). Deleting, demoting or revoking the token of that login
 * would cut the app off from MegaMeeting: callers refuse it with `APP_LOGIN_REASON`.
 */

/** Why an action on the app's own login is refused (shown to admins). */
export const APP_LOGIN_REASON =
  "this is the login whose API token the app itself uses (MEGAMEETING_API_TOKEN): without it the app can't reach MegaMeeting at all. Change MEGAMEETING_API_TOKEN to another admin's token first.";

/** How long the app's own login ID is remembered (a token does not move between logins). */
const OWN_LOGIN_CACHE_MS = 10 * 60_000;

export function isAdminLogin(login: Pick<Login, 'roles'>): boolean {
  return login.roles.some((r) => r === 'admin' || r === 'owner');
}

export class AppLoginService {
  private cached: { loginId: string | null; at: number } | null = null;

  constructor(
    private readonly deps: {
      megameeting: Pick<MegaMeetingApi, 'logins' | 'apiTokenDetails'>;
      /** MEGAMEETING_API_TOKEN (compared, never logged nor shown). */
      apiToken: string;
      logger: AppLogger;
      clock: Clock;
    },
  ) {}

  /** The app's own loginId, or null when no admin login carries its token. MegaMeeting errors propagate. */
  async loginId(): Promise<string | null> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < OWN_LOGIN_CACHE_MS) return this.cached.loginId;
    const logins = await this.deps.megameeting.logins();
    let found: string | null = null;
    for (const login of logins.filter(isAdminLogin)) {
      if (await this.tokenIsOurs(login.loginId)) {
        found = login.loginId;
        break;
      }
    }
    if (!found) this.deps.logger.warn('no MegaMeeting admin login carries the app token');
    this.cached = { loginId: found, at: now };
    return found;
  }

  /**
   * Whether `loginId` is the app's own login. Checked directly against that login's token when the cached answer
   * says no, so a login created since (or a stale cache) can never slip through. MegaMeeting errors propagate:
   * callers refuse when they cannot tell.
   */
  async isAppLogin(loginId: string): Promise<boolean> {
    const own = await this.loginId();
    if (own !== null) return own === loginId;
    return this.tokenIsOurs(loginId);
  }

  private async tokenIsOurs(loginId: string): Promise<boolean> {
    try {
      const details = await this.deps.megameeting.apiTokenDetails(loginId);
      return sameSecret(details.apiToken, this.deps.apiToken);
    } catch (err) {
      // No token at all: not ours.
      if (err instanceof MegaMeetingError && err.code === 'not_found') return false;
      throw err;
    }
  }
}

/** Compares two secrets in constant time (for equal lengths). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
