/**
 * The meeting vocabulary every layer shares: the kinds and states of a meeting, what `/meet schedule|webinar|
 * secure` asks for, the title limit, a webinar's switches and a guest's default permissions. Plain data with no
 * imports from services, views or the store, so that all of them may import it.
 */
import { GUEST_PERMISSIONS, type GuestPermission } from '../megameeting/types.js';

export type MeetingKind = 'instant' | 'scheduled' | 'webinar' | 'secure';
export type MeetingStatus = 'scheduled' | 'live' | 'ended';

/** What the scheduling form creates: any kind but an instant meeting. */
export type ScheduleType = Exclude<MeetingKind, 'instant'>;
export const SCHEDULE_TYPES = ['scheduled', 'webinar', 'secure'] as const satisfies readonly ScheduleType[];

/** The word after `/meet` that opens the scheduling form, and the type it preselects. */
export type SchedulePreset = 'meeting' | 'webinar' | 'secure';
export const PRESET_TYPES: Readonly<Record<SchedulePreset, ScheduleType>> = {
  meeting: 'scheduled',
  webinar: 'webinar',
  secure: 'secure',
};

/** The longest title we accept: Slack's header block shows at most 150 characters. */
export const MAX_TITLE_LENGTH = 150;

/** Why a title is refused, or null when it is fine. */
export function validateTitle(title: string): string | null {
  if (Array.from(title).length > MAX_TITLE_LENGTH) {
    return `Titles can be up to ${MAX_TITLE_LENGTH} characters; yours has ${Array.from(title).length}.`;
  }
  return null;
}

/** The documented createMeeting switches a webinar may set (their wording for people is in the modal). */
export const WEBINAR_OPTIONS = [
  'disableVideo',
  'disableAudio',
  'disableScreen',
  'disableFileUpload',
  'disableWebVideoPlayer',
  'enableRestrictedUserList',
  'enableRestrictedChat',
] as const;
export type WebinarOption = (typeof WEBINAR_OPTIONS)[number];
/** A broadcast by default: attendees watch and listen, chat stays open. */
export const DEFAULT_WEBINAR_OPTIONS: WebinarOption[] = [
  'disableVideo',
  'disableAudio',
  'disableScreen',
  'disableFileUpload',
  'enableRestrictedUserList',
];

/** Attendee defaults: everything but moderator (co-host), which the host grants on purpose. */
export const DEFAULT_GUEST_PERMISSIONS: GuestPermission[] = GUEST_PERMISSIONS.filter(
  (p) => p !== 'moderator',
);
