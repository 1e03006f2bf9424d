// Over 300 lines on purpose: every guest surface (manager modal, access request, personal link, invite
// report) shares the guest rows and their wording.
import type {
  ActionsBlock,
  Button,
  Checkboxes,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { MAX_TITLE_LENGTH, type MeetingKind } from '../domain/meeting.js';
import { GUEST_PERMISSIONS, type GuestPermission } from '../megameeting/types.js';
import { slackDateToken } from '../time/slack-date.js';
import { truncate } from '../util/text.js';
import { ACTIONS, GUEST_IDS, suffixedActionId, VIEWS } from './ids.js';
import { PERMISSION_LABELS } from './labels.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * Pure Block Kit builders for verified guests: the guest manager modal, the access request the host approves,
 * the personal-link messages (DM or ephemeral to their owner only) and the host's report after inviting.
 *
 * Personal links are credentials: the builders that take one (`buildPersonalLink`, `buildInviteReport`) are only
 * ever sent to a DM or as an ephemeral to the person concerned. Nothing here puts a guest key in an ID or value.
 */

/** How many guests the modal lists (2 blocks each; a modal holds 100 blocks). */
export const MAX_LISTED_GUESTS = 40;

/** The action_id of a guest row's Remove button and permission checkboxes: unique per row. */
export const removeActionId = (ref: string) => suffixedActionId(ACTIONS.removeGuest, ref);
export const permissionsActionId = (ref: string) => suffixedActionId(ACTIONS.guestPermissions, ref);

export interface GuestListItem {
  /** Opaque reference to the guest (never the key). */
  ref: string;
  name: string;
  slackUserId: string | null;
  email: string | null;
  permissions: GuestPermission[];
  role: 'guest' | 'registrant';
}

export interface GuestManagerData {
  meetId: string;
  title: string;
  kind: MeetingKind;
  hostSlackUserId: string;
  guests: GuestListItem[];
  /** A line at the top: what just happened (added, removed, an error). */
  notice?: string | null;
  /** Work in progress: the form is shown without its submit button. */
  busy?: boolean;
}

/** What a guest manager modal carries in private_metadata. */
export interface GuestManagerMetadata {
  meetId: string;
}

function permissionOption(p: GuestPermission): PlainTextOption {
  return { text: plainText(PERMISSION_LABELS[p]), value: p };
}

function permissionCheckboxes(actionId: string, selected: readonly GuestPermission[]): Checkboxes {
  const initial = GUEST_PERMISSIONS.filter((p) => selected.includes(p)).map(permissionOption);
  return {
    type: 'checkboxes',
    action_id: actionId,
    options: GUEST_PERMISSIONS.map(permissionOption),
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  };
}

function who(guest: Pick<GuestListItem, 'slackUserId' | 'email'>): string {
  if (guest.slackUserId) return `<@${guest.slackUserId}>`;
  return guest.email ? escapeMrkdwn(guest.email) : 'no email';
}

export function describeMeeting(data: { title: string; meetId: string }): string {
  return `*${userText(data.title, MAX_TITLE_LENGTH)}* (meeting ID ${data.meetId})`;
}

/** The guest manager: every guest with Remove and their permissions, then a form to add more. */
export function buildGuestManagerModal(data: GuestManagerData): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${describeMeeting(data)}\nHost: <@${data.hostSlackUserId}>. Each guest joins with a personal link sent to them privately.`,
      },
    },
  ];
  if (data.notice) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(data.notice, 2900) }] });
  }
  blocks.push({ type: 'divider' });

  if (data.guests.length === 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '_No guests yet._' } });
  }
  for (const guest of data.guests.slice(0, MAX_LISTED_GUESTS)) {
    const role = guest.role === 'registrant' ? ' · registered' : '';
    const section: SectionBlock = {
      type: 'section',
      block_id: `guest_info_${guest.ref}`,
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeMrkdwn(guest.name)}* · ${who(guest)}${role}`, 2900),
      },
      accessory: {
        type: 'button',
        text: plainText('Remove'),
        action_id: removeActionId(guest.ref),
        value: guest.ref,
        style: 'danger',
        confirm: {
          title: plainText('Remove this guest?'),
          text: plainText(`${truncate(guest.name, 200)}'s personal link stops working at once.`),
          confirm: plainText('Remove'),
          deny: plainText('Cancel'),
          style: 'danger',
        },
      },
    };
    const permissions: ActionsBlock = {
      type: 'actions',
      block_id: GUEST_IDS.row(guest.ref),
      elements: [permissionCheckboxes(permissionsActionId(guest.ref), guest.permissions)],
    };
    blocks.push(section, permissions);
  }
  if (data.guests.length > MAX_LISTED_GUESTS) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${data.guests.length - MAX_LISTED_GUESTS} more guests not listed here.`,
        },
      ],
    });
  }

  if (data.busy) {
    // Inputs need a submit button: while working, the form is left out and comes back with the result.
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: ':hourglass_flowing_sand: Working on it…' }],
    });
  } else {
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: plainText('Add guests') },
      {
        type: 'input',
        block_id: GUEST_IDS.addUsersBlock,
        optional: true,
        label: plainText('People in this workspace'),
        hint: plainText('They get their personal link by DM.'),
        element: {
          type: 'multi_users_select',
          action_id: GUEST_IDS.addUsersAction,
          placeholder: plainText('Choose people'),
          max_selected_items: 20,
        },
      },
      {
        type: 'input',
        block_id: GUEST_IDS.addExternalBlock,
        optional: true,
        label: plainText('External guests'),
        hint: plainText(
          'One per line: Jane Doe <jane@example.com>. Their links come to you by DM to forward.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: GUEST_IDS.addExternalAction,
          multiline: true,
          placeholder: plainText('Jane Doe <jane@example.com>'),
          max_length: 3000,
        },
      },
      {
        type: 'input',
        block_id: GUEST_IDS.addPermissionsBlock,
        optional: true,
        label: plainText('Permissions for the new guests'),
        element: permissionCheckboxes(
          GUEST_IDS.addPermissionsAction,
          GUEST_PERMISSIONS.filter((p) => p !== 'moderator'),
        ),
      },
    );
  }

  const metadata: GuestManagerMetadata = { meetId: data.meetId };
  return {
    type: 'modal',
    callback_id: VIEWS.guests,
    title: plainText('Guests'),
    close: plainText('Done'),
    ...(data.busy ? {} : { submit: plainText('Add guests') }),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Personal links (DM or ephemeral to their owner only)

export type PersonalLinkReason = 'invited' | 'registered' | 'approved' | 'again';

export interface PersonalLinkData {
  meetId: string;
  title: string;
  hostSlackUserId: string;
  start: Date;
  kind: MeetingKind;
  /** The personal `/meeting/?key=` link: a secret. */
  link: string;
  reason: PersonalLinkReason;
}

const LINK_INTRO: Record<PersonalLinkReason, (host: string) => string> = {
  invited: (host) => `:lock: <@${host}> invited you as a verified guest to`,
  registered: () => ':white_check_mark: You are registered for',
  approved: (host) => `:white_check_mark: <@${host}> approved your request to join`,
  again: () => ':repeat: You are already on the guest list of',
};

/** The message with someone's personal Join button. Send it only to that person (DM or ephemeral). */
export function buildPersonalLink(data: PersonalLinkData): { text: string; blocks: KnownBlock[] } {
  const intro = LINK_INTRO[data.reason](data.hostSlackUserId);
  const what = data.kind === 'webinar' ? 'webinar' : 'meeting';
  const text = `${intro.replace(/^:[a-z_]+: /, '')} "${userText(data.title, 200)}". Your personal join button is below.`;
  const join: Button = {
    type: 'button',
    text: plainText(data.kind === 'webinar' ? 'Join webinar' : 'Join meeting'),
    action_id: ACTIONS.join,
    value: data.meetId,
    url: data.link,
    style: 'primary',
  };
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${intro} ${describeMeeting(data)}, ${slackDateToken(data.start)}.` },
      },
      { type: 'actions', elements: [join] },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `This ${what} link is personal: anyone who has it joins as you. Please don't share it.`,
          },
        ],
      },
    ],
  };
}

/** DM to a Slack guest whose key was removed. */
export function buildGuestRemoved(data: { meetId: string; title: string; hostSlackUserId: string }): {
  text: string;
  blocks: KnownBlock[];
} {
  const text = `You were removed from the guest list of "${userText(data.title, 200)}": your personal link no longer works.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:no_entry: You were removed from the guest list of ${describeMeeting(data)} and your personal link no longer works. Questions? Ask <@${data.hostSlackUserId}>.`,
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Access requests

/** The Approve/Deny buttons carry this (JSON) as their value. */
export interface AccessRequestValue {
  m: string;
  u: string;
  /** The request's ID: one decision per request (absent on buttons sent before it existed). */
  r?: string;
}

export function buildAccessRequest(data: {
  meetId: string;
  title: string;
  requesterId: string;
  requestId?: string;
}): {
  text: string;
  blocks: KnownBlock[];
} {
  const value = JSON.stringify({
    m: data.meetId,
    u: data.requesterId,
    ...(data.requestId ? { r: data.requestId } : {}),
  } satisfies AccessRequestValue);
  return {
    text: `<@${data.requesterId}> asks to join "${userText(data.title, 200)}".`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:raising_hand: <@${data.requesterId}> asks to join ${describeMeeting(data)}. Approving adds them as a verified guest and sends them a personal link.`,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plainText('Approve'),
            action_id: ACTIONS.approveAccess,
            value,
            style: 'primary',
          },
          { type: 'button', text: plainText('Deny'), action_id: ACTIONS.denyAccess, value },
        ],
      },
    ],
  };
}

/** Replaces the access request once decided (or when deciding failed and the buttons stay). */
export function buildAccessDecided(data: {
  meetId: string;
  title: string;
  requesterId: string;
  decidedBy: string;
  approved: boolean;
}): { text: string; blocks: KnownBlock[] } {
  const text = data.approved
    ? `<@${data.decidedBy}> approved <@${data.requesterId}>: they got their personal link for "${userText(data.title, 200)}".`
    : `<@${data.decidedBy}> denied <@${data.requesterId}>'s request to join "${userText(data.title, 200)}".`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: data.approved
            ? `:white_check_mark: <@${data.decidedBy}> approved <@${data.requesterId}> for ${describeMeeting(data)}. They got their personal link by DM.`
            : `:x: <@${data.decidedBy}> denied <@${data.requesterId}>'s request to join ${describeMeeting(data)}.`,
        },
      },
    ],
  };
}

export function buildAccessDenied(data: { meetId: string; title: string }): {
  text: string;
  blocks: KnownBlock[];
} {
  const text = `Your request to join "${userText(data.title, 200)}" wasn't approved this time.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Sorry, your request to join ${describeMeeting(data)} wasn't approved this time. If you think you should be there, reach out to the host.`,
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The inviter's report

export interface ReportGuest {
  name: string;
  slackUserId: string | null;
  email: string | null;
}

export interface InviteReportData {
  meetId: string;
  title: string;
  /** Guests added now. External ones carry their personal link for the inviter to forward. */
  added: Array<ReportGuest & { link: string | null }>;
  /** Already guests before: nothing changed. */
  existing: ReportGuest[];
  failed: Array<ReportGuest & { reason: string }>;
  /** Added, but their DM with the link could not be sent. */
  notDelivered: ReportGuest[];
  /** Value of a Retry button for the failed guests, when it fits in a button. */
  retryValue?: string | null;
}

/** Lines grouped into sections of at most ~2900 characters (a section's text holds 3000). */
function sections(lines: string[]): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    const piece = truncate(line, 2800);
    if (current && current.length + piece.length + 1 > 2900) {
      out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return out;
}

function label(g: ReportGuest): string {
  if (g.slackUserId) return `<@${g.slackUserId}>`;
  return `${escapeMrkdwn(g.name)}${g.email ? ` (${escapeMrkdwn(g.email)})` : ''}`;
}

/**
 * What happened when guests were invited: exactly who was added and who was not (and why), and the external
 * guests' personal links to forward. A DM to the inviter only (it can hold links).
 */
export function buildInviteReport(data: InviteReportData): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  const text =
    data.failed.length > 0
      ? `Guests for "${userText(data.title, 200)}": ${data.added.length} added, ${data.failed.length} not added.`
      : `Guests for "${userText(data.title, 200)}": ${data.added.length} added.`;
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `${data.failed.length > 0 ? ':warning:' : ':white_check_mark:'} Verified guests for ${describeMeeting(data)}`,
    },
  });

  const slackAdded = data.added.filter((g) => g.slackUserId);
  const externalAdded = data.added.filter((g) => !g.slackUserId);
  if (slackAdded.length > 0) {
    blocks.push(
      ...sections([
        `*Added (${slackAdded.length}), personal link sent by DM:* ${slackAdded.map(label).join(', ')}`,
      ]),
    );
  }
  if (externalAdded.length > 0) {
    blocks.push(
      ...sections([
        `*Added (${externalAdded.length}), forward each their own link, privately:*`,
        ...externalAdded.map(
          (g) => `• ${label(g)}: ${g.link ? `<${g.link}|personal link>` : 'link not available'}`,
        ),
      ]),
    );
  }
  if (data.existing.length > 0) {
    blocks.push(...sections([`*Already guests, unchanged:* ${data.existing.map(label).join(', ')}`]));
  }
  if (data.notDelivered.length > 0) {
    blocks.push(
      ...sections([
        `*Added, but I couldn't DM them their link:* ${data.notDelivered.map(label).join(', ')}. They can press Request access on the meeting card to get it again.`,
      ]),
    );
  }
  if (data.failed.length > 0) {
    blocks.push(
      ...sections([
        `*Not added (${data.failed.length}):*`,
        ...data.failed.map((g) => `• ${label(g)}: ${escapeMrkdwn(g.reason)}`),
      ]),
    );
    if (data.retryValue) {
      blocks.push({
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plainText(`Retry the ${data.failed.length} not added`),
            action_id: GUEST_IDS.retryInvites,
            value: data.retryValue,
          },
        ],
      });
    } else {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Add them again with \`/meet guests ${data.meetId}\`.` }],
      });
    }
  }
  // A message holds 50 blocks; sections hold many lines each, so this only trims pathological cases.
  return { text, blocks: blocks.slice(0, 50) };
}
