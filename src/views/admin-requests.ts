import type { ActionsBlockElement, Button, KnownBlock } from '@slack/types';
import { slackDateToken } from '../time/slack-date.js';
import { buttonElement, contextLine, mrkdwnSection } from './blocks.js';
import { suffixedActionId } from './ids.js';
import { type TokenStatus, tokenText } from './people-admin.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * Pure Block Kit builders for what the workspace's MegaMeeting admins are asked in a DM, and what the people
 * concerned are told: a person asking for a login (create one, link to an existing one, or decline) and a
 * deactivated member's login (revoke its API token, delete it, or keep it). Every admin gets the same DM; once
 * one decides, all of them are updated to the decided version, which names who did what.
 *
 * Buttons carry the request ID only (in their value and action_id suffix): who is concerned, which login, and
 * whether the request is still open are read from the store when pressed.
 */

export const ADMIN_REQUEST_IDS = {
  /** The "Request a MegaMeeting login" button under the unmapped message (/meet, App Home). */
  requestLogin: 'access_request_login',
  accessCreate: 'access_create',
  /** external_select of logins (`access_link:<requestId>`); its options come from the app (block_suggestion). */
  accessLink: 'access_link',
  accessDecline: 'access_decline',
  offboardRevoke: 'offboard_revoke',
  offboardDelete: 'offboard_delete',
  offboardKeep: 'offboard_keep',
} as const;

const MAX_NAME = 120;

/** Who a request is about, as the DMs show it. */
export interface RequestSubject {
  userId: string;
  name: string;
  email: string | null;
}

/** What the decided DMs say: which outcome, by whom, on which login. */
export interface DecidedRequest {
  kind: 'access' | 'offboarding';
  subject: RequestSubject;
  outcome: string;
  decidedBy: string;
  /** The login created or linked (access), or the person's login (offboarding). */
  login: ShownLogin | null;
}

/** A login as the DMs name it (its email unknown once MegaMeeting no longer knows it). */
export interface ShownLogin {
  loginId: string;
  name: string;
  email: string | null;
}

const section = mrkdwnSection;
const context = contextLine;
const button = buttonElement;

function who(subject: RequestSubject): string {
  return `<@${subject.userId}> (${userText(subject.name, MAX_NAME)})`;
}

function emailText(email: string | null): string {
  return email ? escapeMrkdwn(email) : '_no email on their Slack profile_';
}

function loginText(login: ShownLogin | null): string {
  if (!login) return 'a login';
  const email = login.email ? `${escapeMrkdwn(login.email)}, ` : '';
  return `*${userText(login.name, MAX_NAME)}* (${email}login \`${escapeMrkdwn(login.loginId)}\`)`;
}

// ---------------------------------------------------------------------------------------------------------------
// The person without a login

/** The "Request a MegaMeeting login" button (its value is ignored: the presser is the one asking). */
export function requestLoginButton(): Button {
  return button('Request a MegaMeeting login', ADMIN_REQUEST_IDS.requestLogin, 'request', {
    style: 'primary',
  });
}

/** The unmapped message (why, and what to do) with the button that asks the admins. */
export function unmappedReply(message: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: message,
    blocks: [
      section(message),
      { type: 'actions', block_id: 'access_request', elements: [requestLoginButton()] },
      context('The button asks your MegaMeeting admins in Slack; you get a message here when one answers.'),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A login request, as the admins see it

export interface AccessRequestView {
  requestId: string;
  subject: RequestSubject;
  expiresAt: Date;
}

/** The admins' DM while the request is open: create, link (a searchable list of logins) or decline. */
export function buildAccessRequest(req: AccessRequestView): { text: string; blocks: KnownBlock[] } {
  const { subject, requestId } = req;
  const elements: ActionsBlockElement[] = [];
  if (subject.email) {
    elements.push(
      button('Create a login', suffixedActionId(ADMIN_REQUEST_IDS.accessCreate, requestId), requestId, {
        style: 'primary',
      }),
    );
  }
  elements.push({
    type: 'external_select',
    action_id: suffixedActionId(ADMIN_REQUEST_IDS.accessLink, requestId),
    placeholder: plainText('Link to an existing login…'),
    min_query_length: 0,
  });
  elements.push(
    button('Decline', suffixedActionId(ADMIN_REQUEST_IDS.accessDecline, requestId), requestId, {
      confirm: {
        title: plainText('Decline the request?'),
        text: {
          type: 'mrkdwn',
          text: `${userText(subject.name, 60)} is told that you declined, and can ask again later.`,
        },
        confirm: plainText('Decline'),
        deny: plainText('Cancel'),
      },
    }),
  );
  const createHelp = subject.email
    ? '*Create a login* makes a MegaMeeting login (host) with their Slack name and email, and MegaMeeting emails them an activation link.'
    : "Without an email on their Slack profile a login can't be created for them here: link them to an existing one.";
  return {
    text: `${subject.name} asks for a MegaMeeting login`,
    blocks: [
      section(
        `:wave: ${who(subject)} asks for a MegaMeeting login.\n*Slack email:* ${emailText(subject.email)}`,
      ),
      { type: 'actions', block_id: `access_${requestId}`, elements },
      context(
        `${createHelp} The first admin to answer decides; the other admins' messages then say who did what. ` +
          `Open until ${slackDateToken(req.expiresAt)}.`,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A deactivated member's login, as the admins see it

export interface OffboardingMeeting {
  meetId: string;
  title: string;
  startAt: Date;
}

export interface OffboardingView {
  requestId: string;
  subject: RequestSubject;
  login: { loginId: string; name: string; email: string; role: 'owner' | 'admin' | 'host' };
  token: TokenStatus;
  meetings: OffboardingMeeting[];
  /** The login whose token the app itself uses: never deleted here, its token never revoked. */
  isAppLogin: boolean;
}

/** Meetings listed in full; more are counted. */
export const MAX_MEETINGS_LISTED = 10;

function meetingLines(meetings: readonly OffboardingMeeting[]): string {
  if (meetings.length === 0) return '*Scheduled meetings they host:* none';
  const lines = meetings
    .slice(0, MAX_MEETINGS_LISTED)
    .map((m) => `• ${userText(m.title, 100)} · ${slackDateToken(m.startAt)} · \`${escapeMrkdwn(m.meetId)}\``);
  if (meetings.length > MAX_MEETINGS_LISTED) lines.push(`…and ${meetings.length - MAX_MEETINGS_LISTED} more`);
  return `*Scheduled meetings they host (${meetings.length}):*\n${lines.join('\n')}`;
}

/** The admins' DM after a member was deactivated in Slack: revoke the token, delete the login, or keep it. */
export function buildOffboardingRequest(req: OffboardingView): { text: string; blocks: KnownBlock[] } {
  const { subject, login, requestId } = req;
  const name = userText(login.name, 60);
  const buttons: Button[] = [];
  if (!req.isAppLogin && req.token.kind === 'present') {
    buttons.push(
      button('Revoke API token', suffixedActionId(ADMIN_REQUEST_IDS.offboardRevoke, requestId), requestId, {
        style: 'danger',
        confirm: {
          title: plainText('Revoke the API token?'),
          text: {
            type: 'mrkdwn',
            text: `${name}'s API token stops working at once; the login stays. This cannot be undone.`,
          },
          confirm: plainText('Revoke'),
          deny: plainText('Cancel'),
          style: 'danger',
        },
      }),
    );
  }
  if (!req.isAppLogin && login.role !== 'owner') {
    buttons.push(
      button('Delete login', suffixedActionId(ADMIN_REQUEST_IDS.offboardDelete, requestId), requestId, {
        style: 'danger',
        confirm: {
          title: plainText('Delete this login?'),
          text: {
            type: 'mrkdwn',
            text: `Delete the MegaMeeting login of ${name} (${userText(login.email, 80)})? This cannot be undone.`,
          },
          confirm: plainText('Delete'),
          deny: plainText('Cancel'),
          style: 'danger',
        },
      }),
    );
  }
  buttons.push(button('Keep', suffixedActionId(ADMIN_REQUEST_IDS.offboardKeep, requestId), requestId));
  const notes: string[] = [];
  if (req.isAppLogin) {
    notes.push(
      ":lock: This Slack app uses this login's API token, so it can't be deleted nor its token revoked here.",
    );
  } else if (login.role === 'owner') {
    notes.push(":lock: This is the account owner's login: it can't be deleted.");
  }
  notes.push(
    "Their link to this login is already removed: nobody acts as them from Slack. The first admin to answer decides; the other admins' messages then say who did what.",
  );
  return {
    text: `${subject.name} was deactivated in Slack and still has a MegaMeeting login`,
    blocks: [
      section(
        `:bust_in_silhouette: ${who(subject)} was deactivated in Slack and still has the MegaMeeting login ${loginText(login)}.\n` +
          tokenText(req.token),
      ),
      section(meetingLines(req.meetings)),
      { type: 'actions', block_id: `offboard_${requestId}`, elements: buttons },
      context(notes.join(' ')),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Decided: every admin's DM, and the person's

const OUTCOMES: Record<string, (d: DecidedRequest) => string> = {
  created: (d) =>
    `:white_check_mark: <@${d.decidedBy}> created the MegaMeeting login ${loginText(d.login)} for ${who(d.subject)}.`,
  linked: (d) =>
    `:white_check_mark: <@${d.decidedBy}> linked ${who(d.subject)} to the MegaMeeting login ${loginText(d.login)}.`,
  declined: (d) => `:no_entry_sign: <@${d.decidedBy}> declined ${who(d.subject)}'s request for a login.`,
  revoked: (d) =>
    `:white_check_mark: <@${d.decidedBy}> revoked the API token of ${loginText(d.login)} (deactivated member ${who(d.subject)}).`,
  deleted: (d) =>
    `:white_check_mark: <@${d.decidedBy}> deleted the MegaMeeting login ${loginText(d.login)} of deactivated member ${who(d.subject)}.`,
  gone: (d) =>
    `:information_source: The MegaMeeting login ${loginText(d.login)} of deactivated member ${who(d.subject)} no longer exists (deleted in MegaMeeting meanwhile): nothing left to do. <@${d.decidedBy}> closed the question.`,
  kept: (d) =>
    `:white_check_mark: <@${d.decidedBy}> kept the MegaMeeting login ${loginText(d.login)} of deactivated member ${who(d.subject)}.`,
};

/** One sentence saying who did what (also told to an admin who pressed too late). */
export function decidedSentence(d: DecidedRequest): string {
  const sentence = OUTCOMES[d.outcome];
  return sentence ? sentence(d) : `<@${d.decidedBy}> already answered the request about ${who(d.subject)}.`;
}

/** Every admin's DM once someone decided. */
export function buildDecided(d: DecidedRequest): { text: string; blocks: KnownBlock[] } {
  const sentence = decidedSentence(d);
  return { text: sentence, blocks: [section(sentence)] };
}

/** Every admin's DM once an open request expired unanswered. */
export function buildExpired(
  subject: RequestSubject,
  kind: 'access' | 'offboarding',
): {
  text: string;
  blocks: KnownBlock[];
} {
  const text =
    kind === 'access'
      ? `:hourglass: ${who(subject)}'s request for a MegaMeeting login expired unanswered; they can ask again.`
      : `:hourglass: The question about deactivated member ${who(subject)}'s MegaMeeting login expired unanswered; manage the login with \`/meet admin\`.`;
  return { text, blocks: [section(text)] };
}

/** What the person who asked is told once an admin answered. */
export function accessOutcomeMessage(d: {
  outcome: 'created' | 'linked' | 'declined';
  decidedBy: string;
  login: { loginId: string; email: string } | null;
  invitationSent?: boolean;
}): { text: string; blocks: KnownBlock[] } {
  let text: string;
  const login = d.login ? `\`${escapeMrkdwn(d.login.loginId)}\` (${escapeMrkdwn(d.login.email)})` : '';
  if (d.outcome === 'declined') {
    text = `<@${d.decidedBy}> declined your request for a MegaMeeting login. Ask them if you think this is a mistake.`;
  } else if (d.outcome === 'created') {
    text =
      `:tada: <@${d.decidedBy}> created your MegaMeeting login ${login}. ` +
      (d.invitationSent === false
        ? "MegaMeeting didn't send the activation email yet: ask them to send it so that you can set your password. "
        : 'MegaMeeting emailed you an activation link to set your password. ') +
      '`/meet` works for you now.';
  } else {
    text = `:tada: <@${d.decidedBy}> linked you to the MegaMeeting login ${login}. \`/meet\` works for you now.`;
  }
  return { text, blocks: [section(text)] };
}
