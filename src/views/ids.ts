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
  openSchedule: 'schedule_open',
} as const;

export const VIEWS = {
  schedule: 'schedule_meeting',
  edit: 'edit_meeting',
  guests: 'manage_guests',
} as const;

export const BLOCKS = {
  cardActions: 'meeting_actions',
  listItem: (meetId: string) => `list_${meetId}`,
} as const;
