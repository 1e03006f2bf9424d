import type { Button, HomeView, KnownBlock } from '@slack/types';
import { MAX_TITLE_LENGTH, type MeetingKind, type MeetingStatus } from '../domain/meeting.js';
import { slackDateToken } from '../time/slack-date.js';
import { requestLoginButton } from './admin-requests.js';
import { buttonElement, contextLine, mrkdwnSection } from './blocks.js';
import { ACTIONS, suffixedActionId } from './ids.js';
import { PEOPLE_ADMIN_IDS } from './people-admin.js';
import { type RecordingListItem, recordingItemBlocks } from './recordings.js';
import { openMegaMeetingButton } from './sign-in.js';
import { escapeMrkdwn, plainText, userText } from './text.js';

/**
 * App Home: pure builders from plain data (HomeData) to the Home tab. The tab is a list of sections, each built by
 * its own function (`homeSections`); to add one, give HomeData an optional field and add a function to the list.
 * Slack allows 100 blocks in a Home tab: fixed sections are kept whole, list sections (meetings, recordings)
 * share what is left and end with a "more" note pointing to the slash command that lists everything.
 */

/** Slack's limit on blocks in a Home tab. */
export const HOME_MAX_BLOCKS = 100;

export interface HomeMeeting {
  meetId: string;
  title: string;
  kind: MeetingKind;
  status: MeetingStatus;
  start: Date;
  /** Public join link; null for secure meetings and webinars (personal links only). */
  joinUrl: string | null;
  /** What the viewer may do (the host, or an admin). */
  canEnd: boolean;
  canEdit: boolean;
  canManageGuests: boolean;
}

export type HomeAccount =
  | {
      kind: 'mapped';
      loginId: string;
      email: string | null;
      fullName: string | null;
      /** How the link was made: by email match, or by an admin (`linkedBy`). */
      source: 'email_match' | 'admin';
      linkedBy: string | null;
    }
  /** Not linked to a usable MegaMeeting login; `message` says why and what to do. */
  | { kind: 'unmapped'; message: string }
  /** MegaMeeting (or Slack) could not be asked just now. */
  | { kind: 'unknown'; message: string };

/** The app's MegaMeeting connection, shown to MegaMeeting admins and Slack workspace admins only. */
export interface HomeConnection {
  accountUrl: string;
  /** Where the connection comes from: the environment (single-workspace mode). */
  source: 'environment';
  /** Whether MegaMeeting answered the app's token just now. */
  reachable: boolean;
  /** The login whose API token the app uses; null when it could not be found (`tokenLoginNote` says why). */
  tokenLogin: { loginId: string; email: string; fullName: string | null } | null;
  tokenLoginNote?: string;
}

export interface HomeData {
  userId: string;
  account: HomeAccount;
  /** Live and upcoming meetings, soonest first; null when they could not be read. */
  meetings: HomeMeeting[] | null;
  /** True when MegaMeeting could not confirm the list (it may hold meetings that have ended). */
  meetingsStale?: boolean;
  /** Recent recordings, newest first; null when they could not be read. */
  recordings: RecordingListItem[] | null;
  /** How many recordings the user has in all (more than `recordings` holds when it was cut short). */
  recordingsTotal?: number;
  /** Set for admins only. */
  connection?: HomeConnection | null;
}

/** A block group kept whole. */
export interface FixedSection {
  key: string;
  kind: 'fixed';
  blocks: KnownBlock[];
}

/** A list trimmed to the space left: `head`, then as many `items` as fit, then `more(hidden)` if any are left out. */
export interface ListSection {
  key: string;
  kind: 'list';
  head: KnownBlock[];
  items: KnownBlock[][];
  /** Items that exist but were not even read (counted in the "more" note). */
  unread?: number;
  more: (hidden: number) => KnownBlock;
}

export type HomeSection = FixedSection | ListSection;

const divider: KnownBlock = { type: 'divider' };

const mrkdwn = mrkdwnSection;
const context = contextLine;
const button = buttonElement;

function isMapped(data: HomeData): boolean {
  return data.account.kind === 'mapped';
}

/** The title, and the two ways to make a meeting (mapped users only: nobody else can create one). */
export function startSection(data: HomeData): FixedSection {
  const blocks: KnownBlock[] = [{ type: 'header', text: plainText('MegaMeeting') }];
  if (isMapped(data)) {
    blocks.push({
      type: 'actions',
      block_id: 'home_start',
      elements: [
        button('Start a meeting now', ACTIONS.homeStartNow, 'now', { style: 'primary' }),
        button('Schedule a meeting', ACTIONS.homeSchedule, 'schedule'),
      ],
    });
    blocks.push(context('Or type `/meet` in any channel. `/meet help` lists everything.'));
  }
  return { key: 'start', kind: 'fixed', blocks };
}

/** Who the viewer is in MegaMeeting, with "Open MegaMeeting"; an unmapped user reads what to do instead. */
export function accountSection(data: HomeData): FixedSection {
  const { account } = data;
  if (account.kind === 'mapped') {
    const name = account.fullName ? `${userText(account.fullName, 100)} · ` : '';
    const email = account.email ? `${escapeMrkdwn(account.email)} · ` : '';
    const how =
      account.source === 'admin'
        ? `linked by ${account.linkedBy ? `<@${account.linkedBy}>` : 'an admin'}`
        : 'matched by your email';
    return {
      key: 'account',
      kind: 'fixed',
      blocks: [
        {
          type: 'section',
          block_id: 'home_account',
          text: {
            type: 'mrkdwn',
            text: `*Your MegaMeeting login*\n${name}${email}\`${escapeMrkdwn(account.loginId)}\` (${how})`,
          },
          accessory: openMegaMeetingButton(),
        },
      ],
    };
  }
  if (account.kind === 'unknown') {
    return {
      key: 'account',
      kind: 'fixed',
      blocks: [mrkdwn(`:warning: ${account.message}`, 'home_account')],
    };
  }
  return { key: 'account', kind: 'fixed', blocks: unmappedBlocks(account.message) };
}

/** What an unmapped user sees: why, and what to do. */
export function unmappedBlocks(message: string): KnownBlock[] {
  return [
    mrkdwn(`*You're not linked to a MegaMeeting login yet*\n${message}`, 'home_unmapped'),
    { type: 'actions', block_id: 'home_request_login', elements: [requestLoginButton()] },
    context(
      'Once you are linked, this page shows buttons to start and schedule meetings, your live and upcoming ' +
        'meetings and your recordings. `/meet account` shows your link at any time.',
    ),
  ];
}

function meetingState(m: HomeMeeting): string {
  return m.status === 'live' ? ':red_circle: Live' : ':calendar: Scheduled';
}

/** One meeting: its line, and Join / Edit / Guests / End as the viewer may. */
export function homeMeetingBlocks(m: HomeMeeting): KnownBlock[] {
  const buttons: Button[] = [];
  if (m.joinUrl)
    buttons.push(
      button('Join', suffixedActionId(ACTIONS.join, m.meetId), m.meetId, {
        url: m.joinUrl,
        style: 'primary',
      }),
    );
  if (m.canEdit) buttons.push(button('Edit', suffixedActionId(ACTIONS.edit, m.meetId), m.meetId));
  if (m.canManageGuests) {
    const label = m.kind === 'webinar' ? 'Registrants' : 'Guests';
    buttons.push(button(label, suffixedActionId(ACTIONS.manageGuests, m.meetId), m.meetId));
  }
  if (m.canEnd)
    buttons.push(button('End', suffixedActionId(ACTIONS.end, m.meetId), m.meetId, { style: 'danger' }));
  const blocks: KnownBlock[] = [
    mrkdwn(
      `*${userText(m.title, MAX_TITLE_LENGTH)}*\n${meetingState(m)} · ${slackDateToken(m.start)} · ID ${escapeMrkdwn(m.meetId)}`,
      `home_meeting_${m.meetId}`.slice(0, 255),
    ),
  ];
  if (buttons.length > 0)
    blocks.push({
      type: 'actions',
      block_id: `home_meeting_actions_${m.meetId}`.slice(0, 255),
      elements: buttons,
    });
  return blocks;
}

export function meetingsSection(data: HomeData): HomeSection | null {
  if (!isMapped(data)) return null;
  const head: KnownBlock[] = [divider, mrkdwn('*Your live and upcoming meetings*', 'home_meetings')];
  if (data.meetings === null) {
    return {
      key: 'meetings',
      kind: 'fixed',
      blocks: [
        ...head,
        context(":warning: I couldn't read your meetings just now. `/meet list` shows them."),
      ],
    };
  }
  if (data.meetings.length === 0) {
    return {
      key: 'meetings',
      kind: 'fixed',
      blocks: [...head, context('Nothing live or upcoming. Start or schedule one above.')],
    };
  }
  if (data.meetingsStale) {
    head.push(
      context(":warning: I couldn't check these with MegaMeeting just now; some may have ended already."),
    );
  }
  return {
    key: 'meetings',
    kind: 'list',
    head,
    items: data.meetings.map(homeMeetingBlocks),
    more: (hidden) => context(`…and ${hidden} more. \`/meet list\` shows all your meetings.`),
  };
}

export function recordingsSection(data: HomeData): HomeSection | null {
  if (!isMapped(data)) return null;
  const head: KnownBlock[] = [divider, mrkdwn('*Your recent recordings*', 'home_recordings')];
  if (data.recordings === null) {
    return {
      key: 'recordings',
      kind: 'fixed',
      blocks: [
        ...head,
        context(
          ":warning: I couldn't read your recordings from MegaMeeting just now. `/meet recordings` lists them.",
        ),
      ],
    };
  }
  if (data.recordings.length === 0) {
    return {
      key: 'recordings',
      kind: 'fixed',
      blocks: [
        ...head,
        context('No recordings yet. Recordings of your meetings show up here once they are made.'),
      ],
    };
  }
  return {
    key: 'recordings',
    kind: 'list',
    head,
    items: data.recordings.map(recordingItemBlocks),
    unread: Math.max(0, (data.recordingsTotal ?? 0) - data.recordings.length),
    more: (hidden) => context(`…and ${hidden} older. \`/meet recordings\` lists them.`),
  };
}

/** Whether MegaMeeting answers, and the account and token's login as section fields (Home, `/meet connect`). */
export function connectionState(c: HomeConnection): {
  state: string;
  fields: Array<{ type: 'mrkdwn'; text: string }>;
} {
  const login = c.tokenLogin
    ? `${c.tokenLogin.fullName ? `${userText(c.tokenLogin.fullName, 100)} · ` : ''}${escapeMrkdwn(c.tokenLogin.email)} (\`${escapeMrkdwn(c.tokenLogin.loginId)}\`)`
    : escapeMrkdwn(c.tokenLoginNote ?? 'unknown');
  return {
    state: c.reachable ? ':large_green_circle: Connected' : ':red_circle: MegaMeeting is not answering',
    fields: [
      { type: 'mrkdwn', text: `*Account*\n${escapeMrkdwn(c.accountUrl)}` },
      { type: 'mrkdwn', text: `*API token of*\n${login}` },
    ],
  };
}

/** The app's MegaMeeting connection: admins only. */
export function connectionSection(data: HomeData): FixedSection | null {
  const c = data.connection;
  if (!c) return null;
  const { state, fields } = connectionState(c);
  return {
    key: 'connection',
    kind: 'fixed',
    blocks: [
      divider,
      {
        type: 'section',
        block_id: 'home_connection',
        text: {
          type: 'mrkdwn',
          text: `*MegaMeeting connection* (admins only)\n${state}`,
        },
        fields,
      },
      context(
        'Set from the environment (`MEGAMEETING_URL`, `MEGAMEETING_API_TOKEN`): change it there and restart the app.',
      ),
      // People admin (the same modal as `/meet admin`; its handler re-checks admin rights).
      {
        type: 'actions',
        block_id: 'home_people_admin',
        elements: [
          {
            type: 'button',
            text: plainText('Manage people'),
            action_id: PEOPLE_ADMIN_IDS.openFromHome,
            value: 'open',
          },
        ],
      },
    ],
  };
}

/** The Home tab's sections, top to bottom. */
export function homeSections(data: HomeData): HomeSection[] {
  return [
    startSection(data),
    accountSection(data),
    meetingsSection(data),
    recordingsSection(data),
    connectionSection(data),
  ].filter((s): s is HomeSection => s !== null);
}

function hiddenCount(s: ListSection, shown: number): number {
  return s.items.length - shown + (s.unread ?? 0);
}

function listSize(s: ListSection, shown: number): number {
  let n = s.head.length + (hiddenCount(s, shown) > 0 ? 1 : 0);
  for (let i = 0; i < shown; i++) n += s.items[i]?.length ?? 0;
  return n;
}

/**
 * How many items of each list fit in `budget` blocks besides the fixed sections: items are handed out one at a
 * time to each list in turn, so a long list of meetings does not push the recordings off the page.
 */
export function fitSections(sections: HomeSection[], budget = HOME_MAX_BLOCKS): KnownBlock[][] {
  const lists = sections.filter((s): s is ListSection => s.kind === 'list');
  const shown = new Map<ListSection, number>(lists.map((s) => [s, 0]));
  const size = () =>
    sections.reduce((n, s) => n + (s.kind === 'fixed' ? s.blocks.length : listSize(s, shown.get(s) ?? 0)), 0);
  let total = size();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of lists) {
      const k = shown.get(s) ?? 0;
      if (k >= s.items.length) continue;
      const next = total - listSize(s, k) + listSize(s, k + 1);
      if (next <= budget) {
        shown.set(s, k + 1);
        total = next;
        grew = true;
      }
    }
  }
  return sections.map((s) => {
    if (s.kind === 'fixed') return s.blocks;
    const k = shown.get(s) ?? 0;
    const hidden = hiddenCount(s, k);
    return [...s.head, ...s.items.slice(0, k).flat(), ...(hidden > 0 ? [s.more(hidden)] : [])];
  });
}

/** The Home tab for `data`, at most HOME_MAX_BLOCKS blocks (fixed sections past the limit are dropped, last first). */
export function buildHomeView(data: HomeData, extraSections: HomeSection[] = []): HomeView {
  let sections = [...homeSections(data), ...extraSections];
  const fixedSize = () =>
    sections.reduce((n, s) => n + (s.kind === 'fixed' ? s.blocks.length : s.head.length + 1), 0);
  while (fixedSize() > HOME_MAX_BLOCKS && sections.length > 1) sections = sections.slice(0, -1);
  return { type: 'home', blocks: fitSections(sections).flat() };
}
