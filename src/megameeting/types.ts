/**
 * Plain data the MegaMeeting client returns, and the client's interface. The client (client.ts) validates
 * every response with zod and returns these shapes; services depend on `MegaMeetingApi` only.
 */

/** The documented verified-guest permissions, plus moderator (a co-host). GraphQL enum values. */
export const GUEST_PERMISSIONS = [
  'webcam',
  'microphone',
  'screenSharing',
  'chat',
  'fileUpload',
  'fileDownload',
  'webVideoPlayer',
  'moderator',
] as const;
export type GuestPermission = (typeof GUEST_PERMISSIONS)[number];

export interface Meeting {
  meetId: string;
  name: string;
}

export interface Login {
  loginId: string;
  userName: string;
  email: string;
  fullName: string;
  active: boolean;
  /** "owner,admin,host" split and lower-cased. */
  roles: string[];
}

/** Documented `waiting`, then `processing`, `completed`, `failed` (compared without case); others kept as-is. */
export type RemuxStatus = 'waiting' | 'processing' | 'completed' | 'failed' | 'unknown';

export interface Recording {
  accId: string;
  /** The host's loginId. */
  alId: string;
  recId: string;
  meetId: string;
  recPackage: string;
  recPlay: string | null;
  recCreateDateTime: Date | null;
  /** The raw string, kept for display when it does not parse. */
  recCreateDateTimeRaw: string | null;
  remuxStatus: RemuxStatus;
}

export interface ApiTokenDetails {
  domain: string;
  apiToken: string;
  createdAt: Date | null;
  lastUsed: Date | null;
}

export interface VerifiedGuest {
  guestName: string;
  /** Secret: anyone with it joins as this guest. */
  key: string;
  meetingLink: string;
}

export interface MutationResult {
  status: string;
  message: string;
  result: string | null;
}

export interface CreateMeetingInput {
  meetingName: string;
  /** `Fri Feb 12 2021 10:00:00 -0600` (see src/time/megameeting-time.ts). */
  scheduledDateTime?: string;
  /** `CST/UTC-06:00` */
  scheduledTimeZone?: string;
  endDateTime?: string;
  /** Create on behalf of this host (admin token). */
  loginId?: string;
  requireVerification?: boolean;
  enableRegistration?: boolean;
  disableVideo?: boolean;
  disableAudio?: boolean;
  disableScreen?: boolean;
  disableFileUpload?: boolean;
  disableWebVideoPlayer?: boolean;
  enableRestrictedUserList?: boolean;
  enableRestrictedChat?: boolean;
}

export interface UpdateMeetingInput {
  meetId: string;
  meetName?: string;
  scheduledDateTime?: string;
  scheduledTimeZone?: string;
  endDateTime?: string;
}

export interface AddVerifiedGuestInput {
  meetId: string;
  guestName: string;
  email: string;
  permissions: GuestPermission[];
}

export interface UpdateVerifiedGuestInput {
  meetId: string;
  key: string;
  guestName?: string;
  permissions?: GuestPermission[];
}

export interface CreateLoginInput {
  email: string;
  fullName?: string;
  phoneNumber?: string;
  password?: string;
  roles?: { host?: boolean; admin?: boolean };
}

export interface UpdateLoginInput {
  loginId: string;
  email?: string;
  fullName?: string;
  phoneNumber?: string;
  roles?: { host?: boolean; admin?: boolean };
}

export interface StartRemuxInput {
  accountId: string;
  loginId: string;
  meetId: string;
  recordingId: string;
}

export interface MegaMeetingApi {
  meetings(): Promise<Meeting[]>;
  logins(): Promise<Login[]>;
  recordings(): Promise<Recording[]>;
  startRemux(input: StartRemuxInput): Promise<MutationResult>;
  apiTokenDetails(loginId: string): Promise<ApiTokenDetails>;
  getVerifiedGuests(meetId: string): Promise<VerifiedGuest[]>;
  /** Returns the new meeting's ID (the documented `result`). */
  createMeeting(input: CreateMeetingInput): Promise<{ meetId: string; message: string }>;
  updateMeeting(input: UpdateMeetingInput): Promise<MutationResult>;
  endMeeting(meetId: string): Promise<MutationResult>;
  addVerifiedGuest(input: AddVerifiedGuestInput): Promise<MutationResult>;
  updateVerifiedGuest(input: UpdateVerifiedGuestInput): Promise<MutationResult>;
  removeVerifiedGuest(input: { meetId: string; key: string }): Promise<MutationResult>;
  /** Returns the new loginId (the documented `result`). */
  createLogin(input: CreateLoginInput): Promise<{ loginId: string; message: string }>;
  updateLogin(input: UpdateLoginInput): Promise<MutationResult>;
  deleteLogin(loginId: string): Promise<MutationResult>;
  createAPIToken(loginId: string): Promise<MutationResult>;
  revokeAPIToken(loginId: string): Promise<MutationResult>;
  userInvitation(email: string): Promise<MutationResult>;
  /** One-time single-sign-on URL (the documented `result`). */
  login(loginId: string): Promise<{ url: string; message: string }>;
  deleteRecording(input: { recId: string; accId: string }): Promise<MutationResult>;
}

export type MegaMeetingErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_input'
  | 'unavailable'
  | 'timeout'
  | 'unexpected_response';
