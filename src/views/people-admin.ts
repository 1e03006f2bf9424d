// Over 300 lines on purpose: the people admin's five modals (list, login, create, token once, plain notice) share
// their IDs, rows and wording.
import type {
  ActionsBlock,
  Button,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { slackDateToken } from '../time/slack-date.js';
import { suffixedActionId } from './ids.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * Pure Block Kit builders for `/meet admin` (MegaMeeting admins): the paged, searchable list of MegaMeeting logins,
 * one login's page (Slack links, role, API token, delete), the "create a login for a Slack user" form, and the
 * modal that shows a new API token once.
 *
 * API tokens: only `buildTokenOnceModal` ever takes a whole token, and it goes only into that private modal. Every
 * other view gets `lastFour` at most. No token is put in an ID, a value or private_metadata.
 */

/** Every callback_id, block_id and action_id of the people admin, shared by these builders and the listener. */
export const PEOPLE_ADMIN_IDS = {
  listView: 'people_admin',
  loginView: 'people_admin_login',
  createView: 'people_admin_create',
  tokenView: 'people_admin_token',
  noticeView: 'people_admin_notice',
  search: { block: 'pa_search', action: 'pa_search_input' },
  next: 'pa_page_next',
  previous: 'pa_page_previous',
  /** One per row (`pa_open_login:<loginId>`); the value is the loginId. */
  openLogin: 'pa_open_login',
  openCreate: 'pa_open_create',
  /** The App Home's "Manage people" button. */
  openFromHome: 'pa_open_home',
  createUser: { block: 'pa_create_user', action: 'pa_create_user_select' },
  link: { block: 'pa_link', action: 'pa_link_select' },
  /** One per linked Slack user (`pa_unlink:<userId>`); the value is the Slack user ID. */
  unlink: 'pa_unlink',
  role: { block: 'pa_role', action: 'pa_role_select' },
  deleteLogin: 'pa_delete_login',
  createToken: 'pa_token_create',
  revokeToken: 'pa_token_revoke',
} as const;

export const PEOPLE_PAGE_SIZE = 10;
export const ROLE_CHOICES = ['host', 'admin'] as const;
export type RoleChoice = (typeof ROLE_CHOICES)[number];

export interface LoginRow {
  loginId: string;
  fullName: string;
  userName: string;
  email: string;
  active: boolean;
  roles: string[];
  /** Slack users linked to this login in the store. */
  slackUserIds: string[];
}

export interface LoginPage {
  rows: LoginRow[];
  /** 0-based. */
  page: number;
  pageCount: number;
  /** Logins matching the search. */
  total: number;
  query: string;
}

export type TokenStatus =
  | { kind: 'none' }
  | { kind: 'present'; lastFour: string; createdAt: Date | null; lastUsed: Date | null }
  | { kind: 'unknown'; reason: string };

export interface LoginDetail {
  row: LoginRow;
  token: TokenStatus;
  /** The login whose token the app itself uses: never deleted, demoted, or its token revoked or replaced. */
  isAppLogin: boolean;
}

/** What the list modal carries in private_metadata: the page and the search. */
export interface ListMetadata {
  p: number;
  q: string;
}

/** What a login's modal carries: the login, and the list under it (to refresh it after a change). */
export interface LoginMetadata extends ListMetadata {
  l: string;
  /** The list modal's view ID. */
  v: string | null;
}

const TITLE = 'People admin';
const MAX_NAME = 120;
const MAX_QUERY = 100;

export function roleOf(roles: readonly string[]): 'owner' | 'admin' | 'host' {
  if (roles.includes('owner')) return 'owner';
  if (roles.includes('admin')) return 'admin';
  return 'host';
}

const ROLE_LABELS: Record<'owner' | RoleChoice, string> = { owner: 'Owner', admin: 'Admin', host: 'Host' };

/** The person's name as shown: the full name, else the user name, else the email. */
export function displayName(row: Pick<LoginRow, 'fullName' | 'userName' | 'email'>): string {
  return row.fullName.trim() || row.userName.trim() || row.email;
}

function notice(text: string | null | undefined): KnownBlock[] {
  return text ? [{ type: 'section', text: { type: 'mrkdwn', text } }] : [];
}

function linkedText(ids: readonly string[]): string {
  return ids.length > 0 ? ids.map((id) => `<@${id}>`).join(', ') : '_not linked_';
}

function rowText(row: LoginRow): string {
  const state = row.active ? ROLE_LABELS[roleOf(row.roles)] : `${ROLE_LABELS[roleOf(row.roles)]}, inactive`;
  return (
    `*${userText(displayName(row), MAX_NAME)}* · ${escapeMrkdwn(row.email)} · ${state}\n` +
    `Slack: ${linkedText(row.slackUserIds)}`
  );
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plainText(text), action_id: actionId, value, ...(style ? { style } : {}) };
}

/** A modal with only a message (loading, a refusal, an error with nothing else to show). */
export function buildNoticeModal(text: string, title = TITLE): ModalView {
  return {
    type: 'modal',
    callback_id: PEOPLE_ADMIN_IDS.noticeView,
    title: plainText(title),
    close: plainText('Close'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

export function buildLoadingModal(title = TITLE): ModalView {
  return buildNoticeModal(':hourglass_flowing_sand: Loading from MegaMeeting…', title);
}

/** The list: search, "create a login", one row per login with Manage, then Previous / Next. */
export function buildPeopleListModal(page: LoginPage, opts: { notice?: string | null } = {}): ModalView {
  const meta: ListMetadata = { p: page.page, q: page.query.slice(0, MAX_QUERY) };
  const blocks: KnownBlock[] = [
    ...notice(opts.notice),
    {
      type: 'actions',
      elements: [button('Create a login for a Slack user', PEOPLE_ADMIN_IDS.openCreate, 'create', 'primary')],
    },
    {
      type: 'input',
      block_id: PEOPLE_ADMIN_IDS.search.block,
      optional: true,
      dispatch_action: true,
      label: plainText('Search by name, email or login ID (press Enter)'),
      element: {
        type: 'plain_text_input',
        action_id: PEOPLE_ADMIN_IDS.search.action,
        max_length: MAX_QUERY,
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        ...(page.query ? { initial_value: page.query.slice(0, MAX_QUERY) } : {}),
      },
    },
    { type: 'divider' },
  ];
  if (page.rows.length === 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: page.query
          ? `No MegaMeeting login matches “${userText(page.query, MAX_QUERY)}”.`
          : 'This MegaMeeting account has no logins.',
      },
    });
  }
  for (const row of page.rows) {
    const section: SectionBlock = {
      type: 'section',
      text: { type: 'mrkdwn', text: rowText(row) },
      accessory: button('Manage', suffixedActionId(PEOPLE_ADMIN_IDS.openLogin, row.loginId), row.loginId),
    };
    blocks.push(section);
  }
  const shown = page.rows.length;
  const first = page.page * PEOPLE_PAGE_SIZE + (shown > 0 ? 1 : 0);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Page ${page.page + 1} of ${Math.max(page.pageCount, 1)} · logins ${first}–${page.page * PEOPLE_PAGE_SIZE + shown} of ${page.total}`,
      },
    ],
  });
  const paging: Button[] = [];
  if (page.page > 0) paging.push(button('Previous', PEOPLE_ADMIN_IDS.previous, String(page.page - 1)));
  if (page.page + 1 < page.pageCount)
    paging.push(button('Next', PEOPLE_ADMIN_IDS.next, String(page.page + 1)));
  if (paging.length > 0) blocks.push({ type: 'actions', elements: paging });
  return {
    type: 'modal',
    callback_id: PEOPLE_ADMIN_IDS.listView,
    title: plainText(TITLE),
    submit: plainText('Search'),
    close: plainText('Close'),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

export function tokenText(token: TokenStatus): string {
  switch (token.kind) {
    case 'none':
      return '*API token:* none';
    case 'unknown':
      return `*API token:* couldn't be read (${escapeMrkdwn(token.reason)})`;
    case 'present': {
      const created = token.createdAt
        ? `created ${slackDateToken(token.createdAt)}`
        : 'creation date unknown';
      const used = token.lastUsed ? `last used ${slackDateToken(token.lastUsed)}` : 'never used';
      return `*API token:* ending in \`${escapeMrkdwn(token.lastFour)}\` · ${created} · ${used}`;
    }
  }
}

/** One login: who it is, its Slack links, role, API token, and delete. */
export function buildLoginModal(
  detail: LoginDetail,
  meta: Omit<LoginMetadata, 'l'>,
  opts: { notice?: string | null } = {},
): ModalView {
  const { row, token, isAppLogin } = detail;
  const name = userText(displayName(row), MAX_NAME);
  const role = roleOf(row.roles);
  const blocks: KnownBlock[] = [
    ...notice(opts.notice),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          `*${name}*\n${escapeMrkdwn(row.email)} · user name ${userText(row.userName, MAX_NAME)}\n` +
          `Login ID \`${escapeMrkdwn(row.loginId)}\` · ${ROLE_LABELS[role]} · ${row.active ? 'active' : 'inactive'}`,
      },
    },
  ];
  if (isAppLogin) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ":lock: This Slack app uses this login's API token, so the login can't be deleted or demoted here and its token can't be revoked or replaced.",
        },
      ],
    });
  }
  blocks.push({ type: 'divider' });

  // Slack links: one row per linked user with Unlink, then a picker to link someone.
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*Slack:* ${linkedText(row.slackUserIds)}` },
  });
  for (const userId of row.slackUserIds) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `<@${userId}>` },
      accessory: button('Unlink', suffixedActionId(PEOPLE_ADMIN_IDS.unlink, userId), userId),
    });
  }
  blocks.push({
    type: 'actions',
    block_id: PEOPLE_ADMIN_IDS.link.block,
    elements: [
      {
        type: 'users_select',
        action_id: PEOPLE_ADMIN_IDS.link.action,
        placeholder: plainText('Link to a Slack user…'),
      },
    ],
  });

  // Role: owners stay owners; the app's own login is not demoted.
  if (role === 'owner' || isAppLogin) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            role === 'owner'
              ? `*Role:* Owner (the account owner's role can't be changed)`
              : `*Role:* ${ROLE_LABELS[role]}`,
        },
      ],
    });
  } else {
    const options: PlainTextOption[] = ROLE_CHOICES.map((r) => ({
      text: plainText(ROLE_LABELS[r]),
      value: r,
    }));
    blocks.push({
      type: 'section',
      block_id: PEOPLE_ADMIN_IDS.role.block,
      text: { type: 'mrkdwn', text: '*Role*' },
      accessory: {
        type: 'static_select',
        action_id: PEOPLE_ADMIN_IDS.role.action,
        options,
        initial_option: options.find((o) => o.value === role) as PlainTextOption,
      },
    });
  }
  blocks.push({ type: 'divider' });

  // API token.
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: tokenText(token) } });
  if (!isAppLogin) {
    const tokenButtons: Button[] = [];
    const create = button(
      token.kind === 'present' ? 'Replace API token' : 'Create API token',
      PEOPLE_ADMIN_IDS.createToken,
      row.loginId,
    );
    if (token.kind === 'present') {
      create.confirm = {
        title: plainText('Replace the API token?'),
        text: {
          type: 'mrkdwn',
          text: `${name}'s current API token (ending in ${escapeMrkdwn(token.lastFour)}) stops working at once. This cannot be undone.`,
        },
        confirm: plainText('Replace'),
        deny: plainText('Cancel'),
        style: 'danger',
      };
    }
    tokenButtons.push(create);
    if (token.kind === 'present') {
      tokenButtons.push({
        ...button('Revoke API token', PEOPLE_ADMIN_IDS.revokeToken, row.loginId, 'danger'),
        confirm: {
          title: plainText('Revoke the API token?'),
          text: {
            type: 'mrkdwn',
            text: `${name}'s API token (ending in ${escapeMrkdwn(token.lastFour)}) stops working at once. This cannot be undone.`,
          },
          confirm: plainText('Revoke'),
          deny: plainText('Cancel'),
          style: 'danger',
        },
      });
    }
    blocks.push({ type: 'actions', elements: tokenButtons } satisfies ActionsBlock);
  }

  if (!isAppLogin && role !== 'owner') {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'actions',
      elements: [
        {
          ...button('Delete login', PEOPLE_ADMIN_IDS.deleteLogin, row.loginId, 'danger'),
          confirm: {
            title: plainText('Delete this login?'),
            text: {
              type: 'mrkdwn',
              // The confirm text holds 300 characters: the name and email are cut to fit, the warning is kept.
              text: `Delete the MegaMeeting login of ${userText(displayName(row), 60)} (${userText(row.email, 80)})? They can no longer sign in. This cannot be undone.`,
            },
            confirm: plainText('Delete'),
            deny: plainText('Cancel'),
            style: 'danger',
          },
        },
      ],
    });
  }
  const metadata: LoginMetadata = { ...meta, l: row.loginId };
  return {
    type: 'modal',
    callback_id: PEOPLE_ADMIN_IDS.loginView,
    title: plainText('MegaMeeting login'),
    close: plainText('Back'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** "Create a login for a Slack user": pick the person; their Slack name and email make the login. */
export function buildCreateLoginModal(opts: { notice?: string | null } = {}): ModalView {
  return {
    type: 'modal',
    callback_id: PEOPLE_ADMIN_IDS.createView,
    title: plainText('Create a login'),
    submit: plainText('Create login'),
    close: plainText('Back'),
    blocks: [
      ...notice(opts.notice),
      {
        type: 'input',
        block_id: PEOPLE_ADMIN_IDS.createUser.block,
        label: plainText('Slack user'),
        element: {
          type: 'users_select',
          action_id: PEOPLE_ADMIN_IDS.createUser.action,
          placeholder: plainText('Pick a person'),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'The login gets their Slack name and email and the host role; MegaMeeting then emails them an activation link to set their password.',
          },
        ],
      },
    ],
  };
}

/**
 * A new API token, shown once to the admin who created it. The only builder that takes a whole token: the modal is
 * private to that admin, and neither Slack messages nor logs ever carry it.
 */
export function buildTokenOnceModal(data: { name: string; email: string; token: string }): ModalView {
  return {
    type: 'modal',
    callback_id: PEOPLE_ADMIN_IDS.tokenView,
    title: plainText('New API token'),
    close: plainText('Done'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `New MegaMeeting API token for *${userText(data.name, MAX_NAME)}* (${escapeMrkdwn(data.email)}):`,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${data.token}\`\`\`` } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ":warning: *Copy it now: it won't be shown again.* Neither Slack nor this app keeps it. Anyone with it can act as this login in MegaMeeting: store it like a password.",
        },
      },
    ],
  };
}
