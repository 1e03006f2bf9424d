/**
 * Every callback_id, block_id and action_id the app uses, shared by the Block Kit builders and the listeners
 * so that a renamed ID cannot silently disconnect a button from its handler.
 */
export const ACTIONS = {
  join: 'meeting_join',
  end: 'meeting_end',
  edit: 'meeting_edit',
  register: 'webinar_register',
  requestAccess: 'secure_request_access',
  manageGuests: 'guests_manage',
  approveAccess: 'access_approve',
  denyAccess: 'access_deny',
  removeGuest: 'guest_remove',
  guestPermissions: 'guest_permissions',
  download: 'recording_download',
  play: 'recording_play',
  retryRemux: 'recording_retry',
  /** The host's (or an admin's) recording buttons: share to a channel (a modal), delete (with a confirmation). */
  shareRecording: 'recording_share',
  deleteRecording: 'recording_delete',
  openSchedule: 'schedule_open',
  /** "Open MegaMeeting" (App Home, `/meet account`, the recording DM): a one-time sign-in link, privately. */
  openMegaMeeting: 'megameeting_open',
  /** The sign-in modal's link button (a URL button: Slack reports the press, the listener only acknowledges). */
  signInLink: 'megameeting_sign_in_link',
  /** App Home: start a meeting now (a modal with a channel picker) and schedule one (the scheduling modal). */
  homeStartNow: 'home_start_now',
  homeSchedule: 'home_schedule',
} as const;

export const VIEWS = {
  schedule: 'schedule_meeting',
  edit: 'edit_meeting',
  guests: 'manage_guests',
  /** "Start a meeting": App Home's "Start a meeting now" and the global shortcut (with its now-or-later choice). */
  startNow: 'home_start_meeting',
  /** The message shortcut's form: an instant meeting about a message, its card in the message's thread. */
  meetAbout: 'meet_about_message',
  /** The modal that shows a one-time MegaMeeting sign-in link to the user who asked for it. */
  signIn: 'megameeting_sign_in',
  /** Share a recording to a channel: a conversation picker; the card with Play goes there. */
  shareRecording: 'recording_share_modal',
} as const;

/** The shortcuts declared in manifest.yml (`features.shortcuts`): their callback_ids. */
export const SHORTCUTS = {
  /** Global: "Start a MegaMeeting". */
  startMeeting: 'start_megameeting',
  /** Message: "Meet about this". */
  meetAboutThis: 'meet_about_this',
} as const;

/** The workspace's MegaMeeting connection (multi-workspace mode): the connect form and its buttons. */
export const CONNECTION_IDS = {
  view: 'megameeting_connect',
  noticeView: 'megameeting_connect_notice',
  url: { block: 'connect_url', action: 'connect_url_input' },
  token: { block: 'connect_token', action: 'connect_token_input' },
  /** "Connect MegaMeeting" / "Connect another account": opens the form (admins). */
  openConnect: 'megameeting_connect_open',
  /** "Disconnect", behind Slack's confirmation dialog. */
  disconnect: 'megameeting_disconnect',
} as const;

export const BLOCKS = {
  cardActions: 'meeting_actions',
  listItem: (meetId: string) => `list_${meetId}`,
} as const;

/** App Home's "Start a meeting now" modal: block_id → action_id pairs. */
export const START_NOW_IDS = {
  title: { block: 'start_title', action: 'start_title_input' },
  channel: { block: 'start_channel', action: 'start_channel_select' },
  /** Only from the global shortcut: now, or later (the scheduling form). */
  when: { block: 'start_when', action: 'start_when_choice' },
} as const;

/** The message shortcut's form ("Meet about this"). */
export const MEET_ABOUT_IDS = {
  title: { block: 'about_title', action: 'about_title_input' },
} as const;

/** The share-a-recording modal: block_id → action_id. */
export const SHARE_RECORDING_IDS = {
  channel: { block: 'share_channel', action: 'share_channel_select' },
} as const;

/** The scheduling and edit modals: block_id → action_id pairs (one action_id per block, unique per view). */
export const SCHEDULE_IDS = {
  notice: { block: 'sched_notice' },
  title: { block: 'sched_title', action: 'sched_title_input' },
  date: { block: 'sched_date', action: 'sched_date_pick' },
  time: { block: 'sched_time', action: 'sched_time_pick' },
  zone: { block: 'sched_zone', action: 'sched_zone_select' },
  duration: { block: 'sched_duration', action: 'sched_duration_select' },
  endTime: { block: 'sched_end_time', action: 'sched_end_time_pick' },
  channel: { block: 'sched_channel', action: 'sched_channel_select' },
  type: { block: 'sched_type', action: 'sched_type_choice' },
  webinarOptions: { block: 'sched_webinar_options', action: 'sched_webinar_options_check' },
  guestUsers: { block: 'sched_guest_users', action: 'sched_guest_users_select' },
  guestExternal: { block: 'sched_guest_external', action: 'sched_guest_external_input' },
  guestPermissions: { block: 'sched_guest_permissions', action: 'sched_guest_permissions_check' },
} as const;

/**
 * An action_id made unique within its message or view (Slack requires it): `meeting_end:1234567` in `/meet list`,
 * `recording_play:<recId>` in `/meet recordings`, `guest_remove:<ref>` per guest row. Handlers read what they act
 * on from the button's value or the view, never from the suffix, except the guest rows (`actionSuffix`).
 */
export function suffixedActionId(actionId: string, suffix: string): string {
  return `${actionId}:${suffix}`;
}

/** Matches an action_id with or without its suffix (`meeting_end` and `meeting_end:1234567`). */
export function actionPattern(actionId: string): RegExp {
  return new RegExp(`^${actionId}(?::.+)?$`);
}

/** Matches only the suffixed variants of an action_id (one per row, as in the guest manager). */
export function suffixedActionPattern(actionId: string): RegExp {
  return new RegExp(`^${actionId}:.+$`);
}

/** The suffix of a suffixed action_id (`guest_remove:abc` → `abc`). */
export function actionSuffix(actionId: string): string {
  return actionId.slice(actionId.indexOf(':') + 1);
}

/** The guest manager modal's inputs and rows, and the host's Retry button (guests feature). */
export const GUEST_IDS = {
  addUsersBlock: 'guests_add_users',
  addUsersAction: 'guests_add_users_input',
  addExternalBlock: 'guests_add_external',
  addExternalAction: 'guests_add_external_input',
  addPermissionsBlock: 'guests_add_permissions',
  addPermissionsAction: 'guests_add_permissions_input',
  /** One row per guest; the suffix is an opaque reference (a hash), never the guest key. */
  rowPrefix: 'guest_row_',
  row: (ref: string) => `guest_row_${ref}`,
  retryInvites: 'guests_retry',
} as const;
