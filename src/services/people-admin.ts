// Over 300 lines on purpose: one use case (the people admin modal) whose every action re-checks admin rights,
// acts, and re-renders the modal with what happened.
import { AppError } from '../errors.js';
import { type AppLogger, scrubFromLogs } from '../logger.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { Store } from '../store/types.js';
import {
  buildCreateLoginModal,
  buildLoadingModal,
  buildLoginModal,
  buildNoticeModal,
  buildPeopleListModal,
  buildTokenOnceModal,
  displayName,
  type ListMetadata,
  type LoginDetail,
  type LoginMetadata,
  type LoginPage,
  type LoginRow,
  PEOPLE_PAGE_SIZE,
  type RoleChoice,
  roleOf,
  type TokenStatus,
} from '../views/people-admin.js';
import { escapeMrkdwn, userText } from '../views/text.js';
import type { AppLoginService } from './app-login.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import { deleteLoginGuarded, readTokenStatus, refuseAppLogin, revokeTokenGuarded } from './login-guards.js';
import { shortReasonFor, userMessageFor } from './user-messages.js';

/**
 * `/meet admin`: MegaMeeting admins manage the account's logins from Slack (list, search, link and unlink Slack
 * users, change role, create a login for a Slack user with MegaMeeting's activation email, delete) and their API
 * tokens (status with the last four characters, create shown once, revoke).
 *
 * Every entry point checks admin rights first (today's check: IdentityService.isAdmin) and does nothing else for
 * anyone else: a crafted payload from a non-admin gets `not_allowed`. The app's own login (AppLoginService) is
 * never deleted or demoted, and its token never revoked or replaced. Modals open with "Loading…" before any
 * MegaMeeting call, then are updated; MegaMeeting's errors are shown in the modal and logged.
 */

/** Admin checks made before opening or pushing a modal wait at most this long for MegaMeeting (trigger: 3 s). */
const PRE_MODAL_CHECK_MS = 1_500;

export interface PeopleAdminDeps {
  store: Pick<Store, 'findUserLinksByLoginId' | 'getUserLink' | 'deleteUserLink'>;
  megameeting: Pick<
    MegaMeetingApi,
    | 'createLogin'
    | 'updateLogin'
    | 'deleteLogin'
    | 'userInvitation'
    | 'createAPIToken'
    | 'revokeAPIToken'
    | 'apiTokenDetails'
  >;
  identity: Pick<IdentityService, 'isAdmin' | 'logins' | 'setLink'>;
  appLogin: Pick<AppLoginService, 'loginId' | 'isAppLogin'>;
  slack: Pick<SlackGateway, 'openView' | 'updateView' | 'pushView' | 'userInfo'>;
  logger: AppLogger;
  clock: Clock;
}

export interface Actor {
  teamId: string;
  userId: string;
}

/** An action inside a login's modal. */
export interface LoginAction extends Actor {
  viewId: string;
  meta: LoginMetadata;
}

/** Logins matching `query` (name, user name, email or login ID, without case), sorted by name. */
export function searchLogins(logins: readonly Login[], query: string): Login[] {
  const q = query.trim().toLowerCase();
  return logins
    .filter(
      (l) =>
        q === '' ||
        [l.fullName, l.userName, l.email, l.loginId].some((field) => field.toLowerCase().includes(q)),
    )
    .sort(
      (a, b) =>
        displayName(a).localeCompare(displayName(b), 'en', { sensitivity: 'base' }) ||
        a.loginId.localeCompare(b.loginId),
    );
}

/** The login with this email (compared without case), if any. */
export function loginWithEmail(logins: readonly Login[], email: string): Login | undefined {
  const wanted = email.toLowerCase();
  return logins.find((l) => l.email.toLowerCase() === wanted);
}

/** Logins matching `query` (see searchLogins), page `page` of them. */
export function pageOfLogins(
  logins: readonly Login[],
  query: string,
  page: number,
): { logins: Login[]; page: number; pageCount: number; total: number } {
  const matching = searchLogins(logins, query);
  const pageCount = Math.max(1, Math.ceil(matching.length / PEOPLE_PAGE_SIZE));
  const p = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return {
    logins: matching.slice(p * PEOPLE_PAGE_SIZE, (p + 1) * PEOPLE_PAGE_SIZE),
    page: p,
    pageCount,
    total: matching.length,
  };
}

const REFUSAL =
  'Only MegaMeeting admins can manage people and API tokens (`/meet admin`). Ask your MegaMeeting admin if you need a change.';

export class PeopleAdminService {
  private readonly log: AppLogger;

  constructor(private readonly deps: PeopleAdminDeps) {
    this.log = deps.logger.child({ component: 'people-admin' });
  }

  /** Throws `not_allowed` unless the user is a MegaMeeting admin; `bounded` before opening a modal. */
  async requireAdmin(actor: Actor, opts: { bounded?: boolean } = {}): Promise<void> {
    const ok = await this.deps.identity.isAdmin(
      actor.teamId,
      actor.userId,
      opts.bounded ? { maxWaitMs: PRE_MODAL_CHECK_MS } : {},
    );
    if (!ok) {
      this.log.warn({ teamId: actor.teamId, userId: actor.userId }, 'people admin refused: not an admin');
      throw new AppError('not_allowed', REFUSAL);
    }
  }

  /** Throws `not_allowed` when `loginId` is the app's own login (fails closed when that cannot be told). */
  private assertNotAppLogin(loginId: string, doing: string): Promise<void> {
    return refuseAppLogin(this.deps.appLogin, loginId, doing, this.log);
  }

  // -------------------------------------------------------------------------------------------------------
  // The list

  /** `/meet admin` and App Home's "Manage people": check, open "Loading…", then show the first page. */
  async open(req: Actor & { triggerId: string }): Promise<void> {
    await this.requireAdmin(req, { bounded: true });
    const { viewId } = await this.deps.slack.openView(req.triggerId, buildLoadingModal());
    await this.renderList(req.teamId, viewId, { p: 0, q: '' });
  }

  /** Next, Previous, a search. */
  async showPage(req: Actor & { viewId: string; page: number; query: string }): Promise<void> {
    await this.requireAdmin(req);
    await this.renderList(req.teamId, req.viewId, { p: req.page, q: req.query });
  }

  private async loadPage(teamId: string, meta: ListMetadata): Promise<LoginPage> {
    const all = await this.deps.identity.logins(0);
    const found = pageOfLogins(all, meta.q, meta.p);
    const rows = await Promise.all(found.logins.map((l) => this.rowOf(teamId, l)));
    return { rows, page: found.page, pageCount: found.pageCount, total: found.total, query: meta.q };
  }

  private async rowOf(teamId: string, login: Login): Promise<LoginRow> {
    const links = await this.deps.store.findUserLinksByLoginId(teamId, login.loginId);
    return {
      loginId: login.loginId,
      fullName: login.fullName,
      userName: login.userName,
      email: login.email,
      active: login.active,
      roles: login.roles,
      slackUserIds: links.map((l) => l.slackUserId),
    };
  }

  private async renderList(
    teamId: string,
    viewId: string,
    meta: ListMetadata,
    notice?: string,
  ): Promise<void> {
    let view: ReturnType<typeof buildPeopleListModal>;
    try {
      view = buildPeopleListModal(await this.loadPage(teamId, meta), { notice: notice ?? null });
    } catch (err) {
      this.log.warn({ err, teamId }, 'people admin: could not load the logins');
      view = buildNoticeModal(`:warning: ${userMessageFor(err, 'load the MegaMeeting logins')}`);
    }
    await this.deps.slack.updateView(viewId, view);
  }

  // -------------------------------------------------------------------------------------------------------
  // One login

  /** "Manage" on a row: push the login's modal ("Loading…" first). */
  async openLogin(
    req: Actor & { triggerId: string; loginId: string; list: ListMetadata; listViewId: string | null },
  ): Promise<void> {
    await this.requireAdmin(req, { bounded: true });
    const { viewId } = await this.deps.slack.pushView(req.triggerId, buildLoadingModal('MegaMeeting login'));
    await this.renderLogin(req.teamId, viewId, { ...req.list, l: req.loginId, v: req.listViewId });
  }

  private async loadDetail(teamId: string, loginId: string): Promise<LoginDetail | null> {
    const login = (await this.deps.identity.logins(0)).find((l) => l.loginId === loginId);
    if (!login) return null;
    const [row, token, appLoginId] = await Promise.all([
      this.rowOf(teamId, login),
      this.tokenStatus(loginId),
      this.deps.appLogin.loginId().catch((err: unknown) => {
        this.log.warn({ err }, "people admin: could not find the app's own login");
        return null;
      }),
    ]);
    return { row, token, isAppLogin: appLoginId === loginId };
  }

  private tokenStatus(loginId: string): Promise<TokenStatus> {
    return readTokenStatus(this.deps.megameeting, loginId, this.log);
  }

  private async renderLogin(
    teamId: string,
    viewId: string,
    meta: LoginMetadata,
    notice?: string,
  ): Promise<void> {
    let view: ReturnType<typeof buildLoginModal>;
    try {
      const detail = await this.loadDetail(teamId, meta.l);
      view = detail
        ? buildLoginModal(detail, { p: meta.p, q: meta.q, v: meta.v }, { notice: notice ?? null })
        : buildNoticeModal(
            `${notice ? `${notice}\n\n` : ''}There is no MegaMeeting login with ID \`${escapeMrkdwn(meta.l)}\` (any more).`,
            'MegaMeeting login',
          );
    } catch (err) {
      this.log.warn({ err, teamId, loginId: meta.l }, 'people admin: could not load the login');
      view = buildNoticeModal(
        `${notice ? `${notice}\n\n` : ''}:warning: ${userMessageFor(err, 'load this login')}`,
        'MegaMeeting login',
      );
    }
    await this.deps.slack.updateView(viewId, view);
  }

  /**
   * An action on one login: check, act, then show the login again with what happened (or MegaMeeting's error, also
   * logged), and refresh the list underneath. `run` returns the success line.
   */
  private async act(req: LoginAction, doing: string, run: (login: Login) => Promise<string>): Promise<void> {
    await this.requireAdmin(req);
    const log = this.log.child({ teamId: req.teamId, userId: req.userId, loginId: req.meta.l });
    let notice: string;
    try {
      const login = (await this.deps.identity.logins(0)).find((l) => l.loginId === req.meta.l);
      if (!login)
        throw new AppError('not_found', `There is no MegaMeeting login with ID ${req.meta.l} any more.`);
      notice = `:white_check_mark: ${await run(login)}`;
      log.info({ doing }, 'people admin: done');
    } catch (err) {
      log.warn({ err, doing }, 'people admin: failed');
      notice = `:warning: ${userMessageFor(err, doing)}`;
    }
    await this.renderLogin(req.teamId, req.viewId, req.meta, notice);
    if (req.meta.v) {
      await this.renderList(req.teamId, req.meta.v, { p: req.meta.p, q: req.meta.q }).catch((err: unknown) =>
        log.info({ err }, 'people admin: could not refresh the list under the login'),
      );
    }
  }

  async link(req: LoginAction & { slackUserId: string }): Promise<void> {
    await this.act(req, 'link that person', async (login) => {
      await this.deps.identity.setLink(req.teamId, req.userId, req.slackUserId, login.loginId);
      return `<@${req.slackUserId}> is now linked to this login.`;
    });
  }

  async unlink(req: LoginAction & { slackUserId: string }): Promise<void> {
    await this.act(req, 'unlink that person', async (login) => {
      const link = await this.deps.store.getUserLink(req.teamId, req.slackUserId);
      if (!link || link.loginId !== login.loginId) {
        throw new AppError('not_found', `<@${req.slackUserId}> isn't linked to this login.`);
      }
      await this.deps.store.deleteUserLink(req.teamId, req.slackUserId);
      // Their Slack profile's email, not the link's: an admin's link stores the login's email whatever theirs is.
      const slackEmail = await this.deps.slack.userInfo(req.slackUserId).then(
        (u) => u.email,
        () => null,
      );
      const sameEmail = slackEmail !== null && slackEmail.toLowerCase() === login.email.toLowerCase();
      return (
        `<@${req.slackUserId}> is no longer linked to this login.` +
        (sameEmail && login.active
          ? ' Their Slack email matches it, so their next `/meet` links them again: change the email or the login to stop that.'
          : '')
      );
    });
  }

  async changeRole(req: LoginAction & { role: RoleChoice }): Promise<void> {
    await this.act(req, 'change the role', async (login) => {
      const current = roleOf(login.roles);
      if (current === 'owner') {
        throw new AppError('not_allowed', "The account owner's role can't be changed.");
      }
      if (current === req.role) return `Already ${req.role === 'admin' ? 'an admin' : 'a host'}.`;
      if (current === 'admin') await this.assertNotAppLogin(login.loginId, 'demote this login');
      await this.deps.megameeting.updateLogin({
        loginId: login.loginId,
        roles: { host: true, admin: req.role === 'admin' },
      });
      return `${userText(displayName(login), 120)} is now ${req.role === 'admin' ? 'an admin' : 'a host'}.`;
    });
  }

  async deleteLogin(req: LoginAction): Promise<void> {
    await this.act(req, 'delete the login', async (login) => {
      await deleteLoginGuarded(this.deps, req.teamId, login, this.log);
      return `Deleted the MegaMeeting login of ${userText(displayName(login), 120)} (${escapeMrkdwn(login.email)}).`;
    });
  }

  async revokeToken(req: LoginAction): Promise<void> {
    await this.act(req, 'revoke the API token', async (login) => {
      await revokeTokenGuarded(this.deps, login, this.log);
      return `Revoked the API token of ${userText(displayName(login), 120)}.`;
    });
  }

  /**
   * Create (or replace) a login's API token and show it once, in a modal pushed for this admin only. The token is
   * added to the log scrubber before it goes anywhere, and is kept nowhere.
   */
  async createToken(req: LoginAction & { triggerId: string }): Promise<void> {
    await this.requireAdmin(req, { bounded: true });
    const { viewId: onceViewId } = await this.deps.slack.pushView(
      req.triggerId,
      buildLoadingModal('New API token'),
    );
    let shown = false;
    await this.act(req, 'create the API token', async (login) => {
      await this.assertNotAppLogin(login.loginId, "replace this login's API token");
      await this.deps.megameeting.createAPIToken(login.loginId);
      try {
        const { apiToken } = await this.deps.megameeting.apiTokenDetails(login.loginId);
        scrubFromLogs(this.deps.logger, apiToken);
        await this.deps.slack.updateView(
          onceViewId,
          buildTokenOnceModal({ name: displayName(login), email: login.email, token: apiToken }),
        );
      } catch (err) {
        throw new AppError(
          'megameeting_rejected',
          `The API token was created, but I couldn't show it to you (${shortReasonFor(err)}). Revoke it and create another.`,
          { cause: err },
        );
      }
      shown = true;
      return `Created a new API token for ${userText(displayName(login), 120)}: it is shown once, in the window above.`;
    });
    if (!shown) {
      // The pushed modal still says "Loading…": point to the reason, shown on the login under it.
      await this.deps.slack
        .updateView(
          onceViewId,
          buildNoticeModal(':warning: No token to show: see why on the login (Back).', 'New API token'),
        )
        .catch((err: unknown) => this.log.info({ err }, 'people admin: could not update the token modal'));
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Create a login for a Slack user

  /** "Create a login for a Slack user": push the form. */
  async openCreate(req: Actor & { triggerId: string }): Promise<void> {
    await this.requireAdmin(req, { bounded: true });
    await this.deps.slack.pushView(req.triggerId, buildCreateLoginModal());
  }

  /**
   * The form's submission, after the modal was switched to "Creating…": createLogin with the person's Slack name
   * and email (host role), then userInvitation (MegaMeeting's activation email), then link them. A failure after
   * the login exists says what was done and what was not.
   */
  async createForSlackUser(req: Actor & { viewId: string; slackUserId: string }): Promise<void> {
    const title = 'Create a login';
    try {
      await this.requireAdmin(req);
    } catch (err) {
      await this.deps.slack.updateView(
        req.viewId,
        buildNoticeModal(userMessageFor(err, 'create a login'), title),
      );
      return;
    }
    const log = this.log.child({ teamId: req.teamId, userId: req.userId, target: req.slackUserId });
    const who = `<@${req.slackUserId}>`;
    let loginId: string | null = null;
    let text: string;
    try {
      const person = await this.deps.slack.userInfo(req.slackUserId, 0);
      if (person.isBot)
        throw new AppError('invalid_input', `${who} is a bot: bots don't get MegaMeeting logins.`);
      if (person.deleted) throw new AppError('invalid_input', `${who} is deactivated in Slack.`);
      if (!person.email) {
        throw new AppError(
          'invalid_input',
          `I can't see an email address on ${who}'s Slack profile, and a MegaMeeting login needs one.`,
        );
      }
      const email = person.email;
      const existing = loginWithEmail(await this.deps.identity.logins(0), email);
      if (existing) {
        throw new AppError(
          'invalid_input',
          `There is already a MegaMeeting login for ${escapeMrkdwn(email)} (\`${escapeMrkdwn(existing.loginId)}\`): open it in the list to link ${who} to it.`,
        );
      }
      loginId = (
        await this.deps.megameeting.createLogin({
          email,
          fullName: person.realName,
          roles: { host: true },
        })
      ).loginId;
      log.info({ loginId }, 'people admin: created a login for a Slack user');
      const done = [
        `Created the MegaMeeting login \`${escapeMrkdwn(loginId)}\` for ${who} (${escapeMrkdwn(email)}, host).`,
      ];
      try {
        await this.deps.megameeting.userInvitation(email);
        done.push('MegaMeeting emailed them an activation link to set their password.');
      } catch (err) {
        log.warn({ err, loginId }, 'people admin: the activation email was not sent');
        done.push(
          `:warning: But MegaMeeting didn't send the activation email (${shortReasonFor(err)}): they can't sign in to MegaMeeting until it is sent. Send it from MegaMeeting, or delete the login and try again.`,
        );
      }
      try {
        await this.deps.identity.setLink(req.teamId, req.userId, req.slackUserId, loginId);
        done.push(`${who} can use \`/meet\` now.`);
      } catch (err) {
        log.warn({ err, loginId }, 'people admin: the new login was not linked');
        done.push(
          `:warning: I couldn't link ${who} to it yet (${shortReasonFor(err)}); use the list to link them.`,
        );
      }
      text = done.join('\n');
    } catch (err) {
      log.warn({ err, loginId }, 'people admin: could not create the login');
      text = `:warning: ${userMessageFor(err, 'create the login')}`;
    }
    await this.deps.slack.updateView(req.viewId, buildNoticeModal(text, title));
  }
}
