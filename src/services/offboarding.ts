import { randomUUID } from 'node:crypto';
import type { AppLogger } from '../logger.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { Store } from '../store/types.js';
import { buildOffboardingRequest, type OffboardingMeeting } from '../views/admin-requests.js';
import { displayName, roleOf } from '../views/people-admin.js';
import { type AdminDesk, type DeskActor, subjectOf } from './admin-desk.js';
import type { AppLoginService } from './app-login.js';
import type { IdentityService } from './identity.js';
import { deleteLoginGuarded, readTokenStatus, revokeTokenGuarded } from './login-guards.js';
import { loginWithEmail } from './people-admin.js';

/**
 * Offboarding: when Slack reports a member deactivated (`user_change` with `deleted: true`), their link to
 * MegaMeeting is removed at once (nobody acts as them from Slack), and if they still have a MegaMeeting login the
 * workspace's MegaMeeting admins get a DM (admin-desk.ts): the login, its API token (last four, last used), the
 * scheduled meetings they host, and three choices: revoke the token, delete the login, or keep it. The first admin
 * to answer decides. The app's own login is never deleted nor its token revoked, the owner's never deleted
 * (login-guards.ts).
 */

/** How long the question stays open. */
export const OFFBOARDING_TTL_MS = 30 * 24 * 3_600_000;

export interface OffboardingDeps {
  desk: AdminDesk;
  store: Pick<Store, 'getUserLink' | 'deleteUserLink' | 'listMeetings' | 'findUserLinksByLoginId'>;
  identity: Pick<IdentityService, 'logins'>;
  megameeting: Pick<MegaMeetingApi, 'deleteLogin' | 'revokeAPIToken' | 'apiTokenDetails'>;
  appLogin: Pick<AppLoginService, 'isAppLogin'>;
  logger: AppLogger;
}

/** The deactivated member, as the event describes them. */
export interface DeactivatedMember {
  teamId: string;
  userId: string;
  name: string;
  email: string | null;
}

export class OffboardingService {
  private readonly log: AppLogger;

  constructor(private readonly deps: OffboardingDeps) {
    this.log = deps.logger.child({ component: 'offboarding' });
  }

  /** A member was deactivated: unlink now, then ask the admins about their login (once). */
  async deactivated(member: DeactivatedMember): Promise<void> {
    const { teamId, userId } = member;
    const log = this.log.child({ teamId, userId });
    const link = await this.deps.store.getUserLink(teamId, userId);
    if (link) {
      await this.deps.store.deleteUserLink(teamId, userId);
      log.info({ loginId: link.loginId }, 'offboarding: deactivated member unlinked from their login');
    }
    const logins = await this.deps.identity.logins(0);
    const login = link
      ? logins.find((l) => l.loginId === link.loginId)
      : member.email
        ? loginWithEmail(logins, member.email)
        : undefined;
    if (!login) {
      log.info('offboarding: the deactivated member has no MegaMeeting login; nothing to ask');
      return;
    }
    const recipients = await this.deps.desk.recipients(teamId, userId);
    if (recipients.length === 0) {
      log.warn({ loginId: login.loginId }, 'offboarding: nobody to ask about the login');
      return;
    }
    const { request, created } = await this.deps.desk.open({
      id: randomUUID(),
      teamId,
      kind: 'offboarding',
      subjectUserId: userId,
      subjectName: member.name,
      subjectEmail: member.email,
      loginId: login.loginId,
      ttlMs: OFFBOARDING_TTL_MS,
    });
    if (!created && request.messages.length > 0) {
      log.info({ requestId: request.id }, 'offboarding: admins already asked');
      return;
    }
    const [token, isAppLogin, meetings] = await Promise.all([
      readTokenStatus(this.deps.megameeting, login.loginId, log),
      this.deps.appLogin.isAppLogin(login.loginId).catch((err: unknown) => {
        log.warn({ err }, "offboarding: could not tell whether this is the app's own login");
        return false;
      }),
      this.scheduledMeetings(teamId, login.loginId, userId),
    ]);
    await this.deps.desk.notify(
      request,
      recipients,
      buildOffboardingRequest({
        requestId: request.id,
        subject: subjectOf(request),
        login: {
          loginId: login.loginId,
          name: displayName(login),
          email: login.email,
          role: roleOf(login.roles),
        },
        token,
        meetings,
        isAppLogin,
      }),
    );
  }

  /** Scheduled meetings of the team the login (or the member) hosts, soonest first. */
  private async scheduledMeetings(
    teamId: string,
    loginId: string,
    userId: string,
  ): Promise<OffboardingMeeting[]> {
    const all = await this.deps.store.listMeetings(teamId, ['scheduled']);
    return all
      .filter((m) => m.hostLoginId === loginId || m.hostSlackUserId === userId)
      .map((m) => ({ meetId: m.meetId, title: m.title, startAt: m.startAt }));
  }

  async revokeToken(actor: DeskActor, requestId: string): Promise<void> {
    await this.decideOnLogin(actor, requestId, 'revoked', (login) =>
      revokeTokenGuarded(this.deps, login, this.log),
    );
  }

  async deleteLogin(actor: DeskActor, requestId: string): Promise<void> {
    await this.decideOnLogin(actor, requestId, 'deleted', (login) =>
      deleteLoginGuarded(this.deps, actor.teamId, login, this.log),
    );
  }

  async keep(actor: DeskActor, requestId: string): Promise<void> {
    await this.decideOnLogin(actor, requestId, 'kept', async () => {});
  }

  /** The first admin's answer on the member's login (read fresh: it may have changed since the DM). */
  private async decideOnLogin(
    actor: DeskActor,
    requestId: string,
    outcome: 'revoked' | 'deleted' | 'kept',
    act: (login: Login) => Promise<void>,
  ): Promise<void> {
    await this.deps.desk.decide(actor, requestId, 'offboarding', async (req) => {
      const login = (await this.deps.identity.logins(0)).find((l) => l.loginId === req.loginId);
      if (!login) {
        // Deleted in MegaMeeting meanwhile: nothing is left to decide, and the DMs say so.
        this.log.info({ requestId, loginId: req.loginId }, 'offboarding: the login is already gone');
        return { outcome: 'gone', login: { loginId: req.loginId ?? '', name: req.subjectName, email: null } };
      }
      await act(login);
      return {
        outcome,
        login: { loginId: login.loginId, name: displayName(login), email: login.email },
      };
    });
  }
}
