/**
 * One-click sign-in: MegaMeeting's `login` makes a one-time link that signs a user in to their own login. Asked for
 * only when the user presses "Open MegaMeeting", shown only to that user (a modal opened with their trigger_id),
 * never stored, never posted in a conversation, never logged: the link is as good as the user's password until
 * it is used. Only a Slack user linked to an active MegaMeeting login gets one; anyone else reads why not.
 */
import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import { buildSignInModal, MAX_BUTTON_URL_LENGTH, type SignInState } from '../views/sign-in.js';
import type { IdentityService } from './identity.js';
import { userMessageFor } from './user-messages.js';

export interface SignInDeps {
  identity: Pick<IdentityService, 'resolveHost'>;
  megameeting: Pick<MegaMeetingApi, 'login'>;
  slack: Pick<SlackGateway, 'openView' | 'updateView'>;
  logger: AppLogger;
}

/**
 * A one-time sign-in link for the MegaMeeting login this Slack user is linked to. Throws `unmapped_user` (with
 * what to do) for a user without a usable login. The caller shows the link to that user only and forgets it.
 */
export async function signInLinkFor(
  deps: Pick<SignInDeps, 'identity' | 'megameeting'>,
  teamId: string,
  slackUserId: string,
): Promise<string> {
  const { loginId } = await deps.identity.resolveHost(teamId, slackUserId);
  const { url } = await deps.megameeting.login(loginId);
  return url;
}

export class SignInService {
  constructor(private readonly deps: SignInDeps) {}

  /** See signInLinkFor. */
  linkFor(teamId: string, slackUserId: string): Promise<string> {
    return signInLinkFor(this.deps, teamId, slackUserId);
  }

  /**
   * "Open MegaMeeting" pressed: the modal opens at once (the trigger_id dies after 3 seconds), then shows the link
   * once MegaMeeting has made it, or why there is none.
   */
  async openModal(req: { triggerId: string; teamId: string; userId: string }): Promise<void> {
    const { slack, logger } = this.deps;
    const opened = await slack.openView(req.triggerId, buildSignInModal({ kind: 'loading' }));
    let state: SignInState;
    try {
      const url = await this.linkFor(req.teamId, req.userId);
      if (url.length > MAX_BUTTON_URL_LENGTH || !/^https?:\/\//i.test(url)) {
        // Never log the link itself: only that it could not be used.
        logger.warn(
          { userId: req.userId, length: url.length },
          'MegaMeeting gave a sign-in link Slack cannot show',
        );
        state = {
          kind: 'refused',
          message:
            'MegaMeeting answered something unexpected, so I have no sign-in link for you. Please try again later.',
        };
      } else {
        state = { kind: 'ready', url };
        logger.info({ teamId: req.teamId, userId: req.userId }, 'showed a one-time sign-in link to its user');
      }
    } catch (err) {
      logger.warn({ err, userId: req.userId }, 'no sign-in link for this user');
      state = { kind: 'refused', message: userMessageFor(err, 'get your MegaMeeting sign-in link') };
    }
    await slack.updateView(opened.viewId, buildSignInModal(state));
  }
}
