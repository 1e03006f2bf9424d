import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import { MegaMeetingError } from '../megameeting/errors.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { Store } from '../store/types.js';
import { roleOf, type TokenStatus } from '../views/people-admin.js';
import { APP_LOGIN_REASON, type AppLoginService } from './app-login.js';
import { shortReasonFor } from './user-messages.js';

/**
 * The guarded login operations shared by `/meet admin` and the admins' DMs (offboarding): the app's own login and
 * the account owner's are never deleted nor (the app's) its token revoked, and an API token is read as its last
 * four characters at most.
 */

export interface LoginGuardDeps {
  megameeting: Pick<MegaMeetingApi, 'deleteLogin' | 'revokeAPIToken' | 'apiTokenDetails'>;
  appLogin: Pick<AppLoginService, 'isAppLogin'>;
  store: Pick<Store, 'findUserLinksByLoginId' | 'deleteUserLink'>;
}

/**
 * Throws `not_allowed` (with the reason) when `loginId` is the app's own login, and `megameeting_unavailable`
 * when that cannot be told: a protective check fails closed.
 */
export async function refuseAppLogin(
  appLogin: Pick<AppLoginService, 'isAppLogin'>,
  loginId: string,
  doing: string,
  log: AppLogger,
): Promise<void> {
  let own: boolean;
  try {
    own = await appLogin.isAppLogin(loginId);
  } catch (err) {
    log.warn({ err, loginId }, "could not tell whether this is the app's own login");
    throw new AppError(
      'megameeting_unavailable',
      `I couldn't check whether this is the login the app itself uses, so I didn't ${doing}. Please try again in a moment.`,
      { cause: err },
    );
  }
  if (own) throw new AppError('not_allowed', `I can't ${doing}: ${APP_LOGIN_REASON}`);
}

/** Deletes a login (never the owner's nor the app's), and every Slack link to it in `teamId`. */
export async function deleteLoginGuarded(
  deps: LoginGuardDeps,
  teamId: string,
  login: Login,
  log: AppLogger,
): Promise<void> {
  if (roleOf(login.roles) === 'owner') {
    throw new AppError('not_allowed', "The account owner's login can't be deleted.");
  }
  await refuseAppLogin(deps.appLogin, login.loginId, 'delete this login', log);
  await deps.megameeting.deleteLogin(login.loginId);
  // Nobody acts as a deleted login: its Slack links go with it.
  const links = await deps.store.findUserLinksByLoginId(teamId, login.loginId);
  for (const l of links) await deps.store.deleteUserLink(teamId, l.slackUserId);
}

/** Revokes a login's API token (never the app's own). */
export async function revokeTokenGuarded(deps: LoginGuardDeps, login: Login, log: AppLogger): Promise<void> {
  await refuseAppLogin(deps.appLogin, login.loginId, "revoke this login's API token", log);
  await deps.megameeting.revokeAPIToken(login.loginId);
}

/** Whether the login has a token, with its last four characters at most: the token itself goes no further. */
export async function readTokenStatus(
  megameeting: Pick<MegaMeetingApi, 'apiTokenDetails'>,
  loginId: string,
  log: AppLogger,
): Promise<TokenStatus> {
  try {
    const details = await megameeting.apiTokenDetails(loginId);
    return {
      kind: 'present',
      lastFour: details.apiToken.slice(-4),
      createdAt: details.createdAt,
      lastUsed: details.lastUsed,
    };
  } catch (err) {
    if (err instanceof MegaMeetingError && err.code === 'not_found') {
      // The client's not_found for "no token"; an unknown login is caught by the logins read before.
      return { kind: 'none' };
    }
    log.warn({ err, loginId }, 'could not read the API token details');
    return { kind: 'unknown', reason: shortReasonFor(err) };
  }
}
