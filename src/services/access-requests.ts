import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { Login, MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { AdminRequest } from '../store/types.js';
import { slackDateToken } from '../time/slack-date.js';
import { accessOutcomeMessage, buildAccessRequest, type ShownLogin } from '../views/admin-requests.js';
import { displayName } from '../views/people-admin.js';
import { escapeMrkdwn } from '../views/text.js';
import { type AdminDesk, type DeskActor, subjectOf } from './admin-desk.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import { loginWithEmail, searchLogins } from './people-admin.js';

/**
 * "Request a MegaMeeting login": a Slack user without a login asks; the workspace's MegaMeeting admins get a DM
 * (admin-desk.ts) and the first to answer creates a login for them (createLogin with their Slack name and email,
 * host role, then userInvitation: MegaMeeting's activation email), links them to an existing login, or declines.
 * The person is told the outcome in a DM, and after a create or a link their `/meet` works at once (the link is in
 * the store). One open request per person: pressing again says it is pending instead of asking the admins again.
 */

/** How long a request stays open. */
export const ACCESS_REQUEST_TTL_MS = 7 * 24 * 3_600_000;
/** A request whose DMs were never recorded (the app stopped while sending) is sent again after this long. */
const RESEND_UNSENT_AFTER_MS = 2 * 60_000;
/** Options of the "Link to an existing login" list (Slack shows at most 100). */
const MAX_LOGIN_OPTIONS = 100;
/** The options list must answer within Slack's 3 s: the admin check waits at most this long for MegaMeeting. */
const OPTIONS_CHECK_MS = 1_500;

export interface AccessRequestsDeps {
  desk: AdminDesk;
  identity: Pick<IdentityService, 'resolveHost' | 'logins' | 'setLink'>;
  megameeting: Pick<MegaMeetingApi, 'createLogin' | 'userInvitation'>;
  slack: Pick<SlackGateway, 'userInfo' | 'dm'>;
  logger: AppLogger;
  clock: Clock;
}

/** One option of the login list. */
export interface LoginOption {
  text: string;
  value: string;
}

function shown(login: Pick<Login, 'loginId' | 'email' | 'fullName' | 'userName'>): ShownLogin {
  return { loginId: login.loginId, name: displayName(login), email: login.email };
}

export class AccessRequestsService {
  private readonly log: AppLogger;

  constructor(private readonly deps: AccessRequestsDeps) {
    this.log = deps.logger.child({ component: 'access-requests' });
  }

  /** The person pressed "Request a MegaMeeting login": ask the admins (once); returns what to tell the person. */
  async request(actor: DeskActor): Promise<string> {
    const { teamId, userId } = actor;
    try {
      const host = await this.deps.identity.resolveHost(teamId, userId);
      return `You already have a MegaMeeting login (\`${escapeMrkdwn(host.loginId)}\`): \`/meet\` works for you.`;
    } catch (err) {
      if (!isAppError(err) || err.code !== 'unmapped_user') throw err;
    }
    const person = await this.deps.slack.userInfo(userId, 0);
    const recipients = await this.deps.desk.recipients(teamId, userId);
    if (recipients.length === 0) {
      this.log.warn({ teamId, userId }, 'login request: nobody to ask');
      return "I couldn't find a MegaMeeting admin to ask in this workspace. Ask your Slack admin to set up a MegaMeeting admin in Slack (`/meet account`).";
    }
    const { request, created } = await this.deps.desk.open({
      id: randomUUID(),
      teamId,
      kind: 'access',
      subjectUserId: userId,
      subjectName: person.realName,
      subjectEmail: person.email,
      loginId: null,
      ttlMs: ACCESS_REQUEST_TTL_MS,
    });
    const now = this.deps.clock.now().getTime();
    const unsent =
      request.messages.length === 0 && now - request.createdAt.getTime() >= RESEND_UNSENT_AFTER_MS;
    if (!created && !unsent) {
      this.log.info({ teamId, userId, requestId: request.id }, 'login request: already pending');
      return (
        `You already asked for a MegaMeeting login ${slackDateToken(request.createdAt)}, and your admins haven't answered yet. ` +
        "I won't ask them again; you'll get a message here as soon as one of them answers."
      );
    }
    const refs = await this.deps.desk.notify(
      request,
      recipients,
      buildAccessRequest({
        requestId: request.id,
        subject: subjectOf(request),
        expiresAt: request.expiresAt,
      }),
    );
    if (refs.length === 0) {
      await this.deps.desk.abandon(request, 'undelivered');
      return "I couldn't reach any of your MegaMeeting admins in Slack just now. Please try again later.";
    }
    return `I asked your MegaMeeting admins (${refs.map((r) => `<@${r.userId}>`).join(', ')}) for a login for you. You'll get a message here as soon as one of them answers.`;
  }

  /** "Create a login": createLogin (host) with their Slack name and email, the activation email, and the link. */
  async create(actor: DeskActor, requestId: string): Promise<void> {
    const { request, decision } = await this.deps.desk.decide(actor, requestId, 'access', async (req) => {
      const email = req.subjectEmail;
      if (!email) {
        throw new AppError(
          'invalid_input',
          `<@${req.subjectUserId}> has no email on their Slack profile, so I can't create a login: link them to an existing one instead.`,
        );
      }
      const existing = loginWithEmail(await this.deps.identity.logins(0), email);
      if (existing) {
        throw new AppError(
          'invalid_input',
          `There is already a MegaMeeting login for ${escapeMrkdwn(email)} (\`${escapeMrkdwn(existing.loginId)}\`${existing.active ? '' : ', inactive'}): pick it under "Link to an existing login" instead.`,
        );
      }
      const { loginId } = await this.deps.megameeting.createLogin({
        email,
        fullName: req.subjectName,
        roles: { host: true },
      });
      this.log.info({ requestId, loginId, by: actor.userId }, 'login request: login created');
      let invitationSent = true;
      try {
        await this.deps.megameeting.userInvitation(email);
      } catch (err) {
        invitationSent = false;
        this.log.warn({ err, requestId, loginId }, 'login request: the activation email was not sent');
      }
      await this.deps.identity.setLink(req.teamId, actor.userId, req.subjectUserId, loginId);
      return { outcome: 'created', login: { loginId, name: req.subjectName, email }, invitationSent };
    });
    await this.tellSubject(request, 'created', decision.login, decision.invitationSent);
  }

  /** "Link to an existing login": the chosen login (active) becomes theirs. */
  async link(actor: DeskActor, requestId: string, loginId: string): Promise<void> {
    const { request, decision } = await this.deps.desk.decide(actor, requestId, 'access', async (req) => {
      const login = await this.deps.identity.setLink(req.teamId, actor.userId, req.subjectUserId, loginId);
      return { outcome: 'linked', login: shown(login) };
    });
    await this.tellSubject(request, 'linked', decision.login);
  }

  async decline(actor: DeskActor, requestId: string): Promise<void> {
    const { request } = await this.deps.desk.decide(actor, requestId, 'access', async () => ({
      outcome: 'declined',
      login: null,
    }));
    await this.tellSubject(request, 'declined', null);
  }

  /** The "Link to an existing login" list: active logins matching what the admin typed. Empty for non-admins. */
  async loginOptions(actor: DeskActor, query: string): Promise<LoginOption[]> {
    try {
      await this.deps.desk.requireAdmin(actor, { maxWaitMs: OPTIONS_CHECK_MS });
    } catch (err) {
      this.log.info({ err, userId: actor.userId }, 'login list refused');
      return [];
    }
    const logins = searchLogins(
      (await this.deps.identity.logins()).filter((l) => l.active),
      query.slice(0, 100),
    );
    return logins.slice(0, MAX_LOGIN_OPTIONS).map((l) => ({
      // Slack cuts option text at 75 characters.
      text: `${displayName(l)} · ${l.email}`.slice(0, 75),
      value: l.loginId,
    }));
  }

  /** The outcome, to the person who asked (the decision stands even if Slack refuses the DM). */
  private async tellSubject(
    req: AdminRequest,
    outcome: 'created' | 'linked' | 'declined',
    login: ShownLogin | null,
    invitationSent?: boolean,
  ): Promise<void> {
    await this.deps.slack
      .dm(
        req.subjectUserId,
        accessOutcomeMessage({
          outcome,
          decidedBy: req.decidedBy ?? '',
          login: login ? { loginId: login.loginId, email: login.email ?? '' } : null,
          ...(invitationSent !== undefined ? { invitationSent } : {}),
        }),
      )
      .catch((err: unknown) =>
        this.log.warn({ err, requestId: req.id }, 'login request: could not tell the person the outcome'),
      );
  }
}
