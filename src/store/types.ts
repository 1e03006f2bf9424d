// Over 300 lines on purpose: the Store interface and every record it returns, the contract both dialects
// implement.
/**
 * The store in the app's own terms. No SQL leaves src/store/. Every record is keyed by Slack team ID so that
 * several workspaces can share one deployment. Instants are JS Dates (stored as UTC); where the wall-clock
 * zone matters it is kept beside them as an IANA name.
 */

export type LinkSource = 'email_match' | 'admin' | 'provisioned';

export interface UserLink {
  teamId: string;
  slackUserId: string;
  loginId: string;
  /** The email that was matched (lower-cased), or null when an admin set the link without one. */
  email: string | null;
  source: LinkSource;
  /** Slack user who made the link (admins), or null for automatic links. */
  linkedBy: string | null;
  linkedAt: Date;
}

import type { MeetingKind, MeetingStatus } from '../domain/meeting.js';
import type { SecretBox } from '../secrets/index.js';

export type { MeetingKind, MeetingStatus };
/** How the channel card was delivered: a real message we can update, a response_url post, or nothing yet. */
export type CardDelivery = 'chat' | 'response_url' | 'none';

export interface ScheduledReminder {
  channelId: string;
  scheduledMessageId: string;
  postAt: Date;
}

/**
 * Where a meeting's Slack call stands: null (none asked for yet), `adding` (calls.add claimed or in flight: never
 * sent again, its answer may be lost), `added` (callId set, live in Slack), `ending` (calls.end claimed),
 * `ended`, `failed` (Calls refused or timed out: the card went without it), `none` (never gets one).
 */
export type MeetingCallState = 'adding' | 'added' | 'ending' | 'ended' | 'failed' | 'none';

export interface MeetingRecord {
  teamId: string;
  meetId: string;
  channelId: string | null;
  /** ts of the channel card when delivered with chat.postMessage. */
  messageTs: string | null;
  cardDelivery: CardDelivery;
  hostSlackUserId: string;
  hostLoginId: string;
  title: string;
  kind: MeetingKind;
  startAt: Date;
  endAt: Date | null;
  timeZone: string;
  status: MeetingStatus;
  reminders: ScheduledReminder[];
  /** Documented createMeeting options used (webinar switches, requireVerification). */
  options: Record<string, boolean>;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  /**
   * When MegaMeeting's `meetings` first left this meeting out, since it was last listed (null: listed, or not
   * asked yet). A meeting counts as ended elsewhere only when it is still left out minutes later.
   */
  absentSince: Date | null;
  /** The Slack call (calls.add `call.id`, `R…`) shown in the card, once Slack gave one. */
  callId: string | null;
  callState: MeetingCallState | null;
}

export type NewMeeting = Omit<
  MeetingRecord,
  'createdAt' | 'updatedAt' | 'endedAt' | 'absentSince' | 'callId' | 'callState'
> & {
  createdAt?: Date;
};

export type MeetingPatch = Partial<
  Pick<
    MeetingRecord,
    | 'channelId'
    | 'messageTs'
    | 'cardDelivery'
    | 'title'
    | 'startAt'
    | 'endAt'
    | 'timeZone'
    | 'status'
    | 'reminders'
    | 'options'
    | 'endedAt'
    | 'absentSince'
    | 'callId'
    | 'callState'
  >
>;

export type GuestRole = 'guest' | 'registrant';

export interface GuestRecord {
  teamId: string;
  meetId: string;
  /** Slack user, when the guest is a member of the workspace. */
  slackUserId: string | null;
  /** External guest's email (lower-cased), or the Slack user's email when known. */
  email: string | null;
  name: string;
  permissions: string[];
  role: GuestRole;
  /** The personal guest key: a secret. Stored so links can be resent; never logged. */
  guestKey: string;
  addedBy: string | null;
  addedAt: Date;
}

/** `deleted`: deleted from Slack (deleteRecording); finished with like `notified` and `skipped`, never announced. */
export type RecordingState =
  | 'seen'
  | 'remux_requested'
  | 'ready'
  | 'notified'
  | 'failed'
  | 'skipped'
  | 'deleted';

export interface RecordingRecord {
  recId: string;
  meetId: string;
  accId: string;
  alId: string;
  teamId: string | null;
  hostSlackUserId: string | null;
  state: RecordingState;
  attempts: number;
  nextAttemptAt: Date | null;
  /** Holder and expiry of an in-progress notification claim. */
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** DM channel and ts once Slack confirmed the notification. */
  notifiedChannel: string | null;
  notifiedTs: string | null;
  notifiedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewRecording {
  recId: string;
  meetId: string;
  accId: string;
  alId: string;
  teamId?: string | null;
  hostSlackUserId?: string | null;
  state?: RecordingState;
}

export type RecordingPatch = Partial<
  Pick<
    RecordingRecord,
    | 'state'
    | 'attempts'
    | 'nextAttemptAt'
    | 'teamId'
    | 'hostSlackUserId'
    | 'lastError'
    | 'claimedBy'
    | 'claimExpiresAt'
    | 'notifiedChannel'
    | 'notifiedTs'
    | 'notifiedAt'
  >
>;

export interface Lease {
  name: string;
  holder: string;
  expiresAt: Date;
}

/**
 * Where a meeting creation stands (see MeetingIntent): `creating` (recorded, createMeeting may be in flight),
 * `created` (the meetId is known), `posting` (the card post may be in flight), `posted` (its ts is stored), and
 * the finished states `done` and `failed` (the user was told it did not complete).
 */
export type IntentState = 'creating' | 'created' | 'posting' | 'posted' | 'done' | 'failed';
export const FINISHED_INTENT_STATES: readonly IntentState[] = ['done', 'failed'];

/** What a meeting creation needs to be finished by another process: the request as resolved before the create. */
export interface IntentRequest {
  kind: MeetingKind;
  hostLoginId: string;
  /** ISO-8601 UTC. */
  startAt: string;
  endAt: string | null;
  timeZone: string;
  options: Record<string, boolean>;
  invitees: string[];
  /** The card goes in this thread of the channel (a message shortcut's message). */
  threadTs?: string;
}

/**
 * A meeting creation recorded in the store before createMeeting and updated at every step, so that a crash at
 * any point leaves enough to finish it (or tell the user) from any replica. Claimed like recordings.
 */
export interface MeetingIntent {
  id: string;
  teamId: string;
  channelId: string | null;
  /** The Slack user who asked (the host). */
  userId: string;
  meetingName: string;
  request: IntentRequest;
  /** The command's response_url (Slack accepts posts to it for 30 minutes), if any. */
  responseUrl: string | null;
  /** Meeting IDs MegaMeeting listed just before createMeeting (null: could not list). */
  beforeIds: string[] | null;
  state: IntentState;
  meetId: string | null;
  messageChannel: string | null;
  messageTs: string | null;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** How many times recovery took it up. */
  attempts: number;
  /** A short machine word for how it ended (e.g. 'posted', 'recovered', 'not_created', 'unknown'). */
  outcome: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewMeetingIntent = Pick<
  MeetingIntent,
  'id' | 'teamId' | 'channelId' | 'userId' | 'meetingName' | 'request' | 'responseUrl' | 'beforeIds'
>;

/**
 * What an intent's update can change, as stored after it: the rest (the request, the list taken before the
 * create, which can be hundreds of IDs) never changes and is not read back at every step.
 */
export type IntentProgress = Pick<
  MeetingIntent,
  | 'state'
  | 'meetId'
  | 'messageChannel'
  | 'messageTs'
  | 'claimedBy'
  | 'claimExpiresAt'
  | 'attempts'
  | 'outcome'
  | 'updatedAt'
>;

export type IntentPatch = Partial<
  Pick<MeetingIntent, 'state' | 'meetId' | 'messageChannel' | 'messageTs' | 'outcome' | 'attempts'>
>;

/** What admins are asked: a person's login request, or a deactivated member's login to offboard. */
export type AdminRequestKind = 'access' | 'offboarding';

/** A DM sent to one admin about a request (updated when someone decides). */
export interface AdminMessageRef {
  userId: string;
  channel: string;
  ts: string;
}

/**
 * A question put to a workspace's MegaMeeting admins, answered by the first admin to act. At most one per person
 * and kind is open (and unexpired) at a time.
 */
export interface AdminRequest {
  id: string;
  teamId: string;
  kind: AdminRequestKind;
  /** The Slack user it is about (who asked for a login; who was deactivated). */
  subjectUserId: string;
  subjectName: string;
  subjectEmail: string | null;
  /** The login concerned: the one created or linked (access), the person's login (offboarding). */
  loginId: string | null;
  state: 'open' | 'done';
  /** How it ended, a short word: created, linked, declined (access); revoked, deleted, kept (offboarding). */
  outcome: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  messages: AdminMessageRef[];
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}

export type NewAdminRequest = Pick<
  AdminRequest,
  'id' | 'teamId' | 'kind' | 'subjectUserId' | 'subjectName' | 'subjectEmail' | 'loginId'
> & { ttlMs: number };

export interface AdminRequestDecision {
  outcome: string;
  decidedBy: string;
  loginId?: string | null;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  /**
   * A view of this store limited to one workspace (multi-workspace mode: each workspace's services get one), on
   * the same database connection and cheap to make. In it:
   * - the "any team" queries (findMeetingByMeetId, findUserLinksByLoginId with null, the meeting sweeps,
   *   listRecoverableIntents, intents and admin requests by id) see only `teamId`'s rows;
   * - a method given another team's id reads nothing (null, [], 0, false) and refuses to write (throws
   *   TeamScopeError, writing nothing);
   * - recordings are a separate set (scope `teamId`; the unscoped store's scope is ''), so the same recId in two
   *   workspaces is two records;
   * - leases, Slack events, installations, MegaMeeting connections, uninstalled workspaces (and their purge) and
   *   the pruning of finished intents stay global.
   * `forTeam` of a view returns that view for its own team and throws TeamScopeError for another; `close()` of a
   * view does nothing (the unscoped store owns the connection).
   */
  forTeam(teamId: string): Store;

  // User links
  getUserLink(teamId: string, slackUserId: string): Promise<UserLink | null>;
  findUserLinksByLoginId(teamId: string | null, loginId: string): Promise<UserLink[]>;
  /** Insert or replace the link of (teamId, slackUserId). */
  upsertUserLink(link: UserLink): Promise<UserLink>;
  deleteUserLink(teamId: string, slackUserId: string): Promise<boolean>;

  // Meetings
  /** Inserts; throws StoreConflictError when (teamId, meetId) exists. */
  insertMeeting(meeting: NewMeeting): Promise<MeetingRecord>;
  getMeeting(teamId: string, meetId: string): Promise<MeetingRecord | null>;
  /** Any team (a team's view: its own): for recordings, which know only the meetId. */
  findMeetingByMeetId(meetId: string): Promise<MeetingRecord | null>;
  updateMeeting(
    teamId: string,
    meetId: string,
    patch: MeetingPatch,
    now?: Date,
  ): Promise<MeetingRecord | null>;
  /** A host's meetings whose status is in `statuses`, soonest start first. */
  listMeetingsByHost(
    teamId: string,
    hostSlackUserId: string,
    statuses: MeetingStatus[],
  ): Promise<MeetingRecord[]>;
  /**
   * Scheduled meetings of every team, starting between `from` and `to`, that still have no reminder (Slack could
   * not take it yet, e.g. more than 120 days ahead) and whose channel the bot can post in, soonest first.
   */
  listMeetingsWithoutReminder(from: Date, to: Date, limit: number): Promise<MeetingRecord[]>;
  /** All of a team's meetings in `statuses` (admins' views, reconciliation), soonest first. */
  listMeetings(teamId: string, statuses: MeetingStatus[]): Promise<MeetingRecord[]>;
  /**
   * Moves a meeting's call from state `from` (null: none yet) to `patch.callState` (and `callId` when given) in one
   * conditional statement: the record when it moved, null when the call was not in `from` (someone else moved it
   * first). Of several callers from the same state, exactly one wins.
   */
  moveMeetingCall(
    teamId: string,
    meetId: string,
    from: MeetingCallState | null,
    patch: { callState: MeetingCallState; callId?: string | null },
    now: Date,
  ): Promise<MeetingRecord | null>;
  /**
   * Scheduled meetings (kind `scheduled`) of every team starting after `from` and at or before `to`, not ended,
   * whose card is a message we can update, and with no call asked for yet: soonest first.
   */
  listMeetingsDueForCall(from: Date, to: Date, limit: number): Promise<MeetingRecord[]>;
  /**
   * Meetings of every team whose call is still live in Slack although the meeting is over (ended, or its planned
   * end before `overBefore`): call `added`, or `ending` claimed before `staleBefore` (its ender crashed). Oldest
   * update first.
   */
  listMeetingsWithCallToEnd(staleBefore: Date, overBefore: Date, limit: number): Promise<MeetingRecord[]>;

  // Verified guests and registrants
  /** Insert or update by (teamId, meetId, guestKey). */
  upsertGuest(guest: GuestRecord): Promise<GuestRecord>;
  listGuests(teamId: string, meetId: string): Promise<GuestRecord[]>;
  findGuestBySlackUser(teamId: string, meetId: string, slackUserId: string): Promise<GuestRecord | null>;
  findGuestByEmail(teamId: string, meetId: string, email: string): Promise<GuestRecord | null>;
  getGuestByKey(teamId: string, meetId: string, guestKey: string): Promise<GuestRecord | null>;
  deleteGuest(teamId: string, meetId: string, guestKey: string): Promise<boolean>;
  countGuests(teamId: string, meetId: string, role?: GuestRole): Promise<number>;

  // Recordings: each store's own set (forTeam: scope `teamId`; unscoped: scope ''), keyed by recId within it
  /** Insert when absent (unique recId); returns the stored record either way and whether it was new. */
  upsertSeenRecording(rec: NewRecording, now: Date): Promise<{ record: RecordingRecord; created: boolean }>;
  getRecording(recId: string): Promise<RecordingRecord | null>;
  /** Every known recording's state in one query: the poller's per-tick snapshot. */
  getRecordingStates(): Promise<Map<string, RecordingState>>;
  /** Recordings not yet finished with (anything but notified/skipped/deleted), oldest first. */
  listOpenRecordings(): Promise<RecordingRecord[]>;
  listRecordingsByHost(teamId: string, hostSlackUserId: string, limit: number): Promise<RecordingRecord[]>;
  updateRecording(recId: string, patch: RecordingPatch, now: Date): Promise<RecordingRecord | null>;
  /**
   * The recording was deleted: state `deleted` (inserted so when the store did not know it), any claim and
   * planned attempt cleared, its DM (notifiedChannel/Ts) kept. One statement; a deleted recording is never
   * claimed, so the poller never announces it, even from a listing read before the delete.
   */
  markRecordingDeleted(rec: NewRecording, now: Date): Promise<RecordingRecord>;
  /**
   * Claim a recording for notification. Exactly one concurrent caller wins. A claim whose claimExpiresAt has
   * passed may be taken over. Notified recordings can never be claimed.
   */
  claimRecording(recId: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Record that Slack confirmed the DM; clears the claim. Only the current holder may do it. */
  markRecordingNotified(
    recId: string,
    holder: string,
    delivery: { channel: string; ts: string },
    now: Date,
  ): Promise<boolean>;
  /** Give a claim back without notifying (e.g. the DM failed); the next tick may try again. */
  releaseRecordingClaim(recId: string, holder: string, now: Date): Promise<void>;
  /**
   * Claim the request of processing (startRemux) before sending it: one compare-and-set that moves the
   * recording from what the caller read (`seen`: state and attempts) to `remux_requested` with attempts + 1,
   * clearing nextAttemptAt and lastError. Among callers that read the same record exactly one wins; a caller whose read is
   * stale (anyone claimed since: attempts only grow) loses. Finished recordings are never claimed.
   */
  claimRemuxRequest(
    recId: string,
    seen: { state: RecordingState; attempts: number },
    now: Date,
  ): Promise<boolean>;
  /**
   * startRemux failed for sure: put the recording back in `back.state` (what it was before the claim), keeping
   * the counted attempt, with the error and the next attempt's time. Only while the claim made with
   * `claimedAttempts` is still the latest (state `remux_requested`, same attempts).
   */
  releaseRemuxRequest(
    recId: string,
    claimedAttempts: number,
    back: { state: RecordingState; lastError: string; nextAttemptAt: Date | null },
    now: Date,
  ): Promise<boolean>;

  // Home tab viewers
  /** Remember that this user opened the Home tab now (insert or move `opened_at` forward). */
  markHomeOpened(teamId: string, userId: string, now: Date): Promise<void>;
  /** Which of these users opened the Home tab at or after `since`. */
  homeViewersSince(teamId: string, userIds: string[], since: Date): Promise<string[]>;

  // Leases
  /** Acquire when free, expired, or already held by `holder` (which renews it). */
  acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  getLease(name: string): Promise<Lease | null>;

  // Handled Slack events (Events API retries carry the same event_id)
  /**
   * Claim an event for handling until `now + ttlMs`. Exactly one concurrent caller wins; a claim (or a handled
   * record) that has expired may be taken again; the holder itself may renew.
   */
  claimSlackEvent(eventId: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** The holder handled it: keep the record until `now + ttlMs` so that retries are recognised. */
  completeSlackEvent(eventId: string, holder: string, ttlMs: number, now: Date): Promise<void>;
  /** Handling failed: forget the claim so that Slack's next retry is handled. Only the holder may. */
  releaseSlackEvent(eventId: string, holder: string): Promise<void>;
  /** Delete records that expired before `now`; returns how many went. */
  pruneSlackEvents(now: Date): Promise<number>;

  // Meeting intents (crash recovery of meeting creation)
  /** Records a new intent in state `creating`, claimed by `holder` until `now + ttlMs`. */
  insertIntent(intent: NewMeetingIntent, holder: string, ttlMs: number, now: Date): Promise<MeetingIntent>;
  getIntent(id: string): Promise<MeetingIntent | null>;
  /**
   * Applies `patch` only while `holder` holds the claim (even expired, as long as nobody took it over); a
   * finished state clears the claim. Null when the claim was lost (or the intent is unknown); else what changes.
   */
  updateIntent(id: string, holder: string, patch: IntentPatch, now: Date): Promise<IntentProgress | null>;
  /**
   * Claim (or, for its holder, renew) an unfinished intent until `now + ttlMs`: when unclaimed, expired, or
   * already `holder`'s. Exactly one of concurrent callers wins; finished intents are never claimed.
   */
  claimIntent(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** claimIntent for many intents at once (the journal's renewals); returns the ids claimed. */
  renewIntentClaims(ids: readonly string[], holder: string, ttlMs: number, now: Date): Promise<string[]>;
  releaseIntent(id: string, holder: string, now: Date): Promise<void>;
  /** Unfinished intents nobody holds (unclaimed or claim expired at `now`), oldest first. */
  listRecoverableIntents(now: Date, limit: number): Promise<MeetingIntent[]>;
  /** Deletes finished intents last updated before `before`; returns how many went. */
  pruneIntents(before: Date): Promise<number>;

  // Admin requests (login requests, offboarding): admin-requests.ts
  /**
   * Opens a request unless the person already has an open, unexpired one of that kind (then returns it with
   * `created: false`). Exactly one of concurrent openers creates.
   */
  openAdminRequest(req: NewAdminRequest, now: Date): Promise<{ request: AdminRequest; created: boolean }>;
  getAdminRequest(id: string): Promise<AdminRequest | null>;
  setAdminRequestMessages(id: string, messages: AdminMessageRef[]): Promise<void>;
  /** Claims an open, unexpired request for deciding until `now + ttlMs`: exactly one of concurrent claimers wins. */
  claimAdminRequest(id: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Records the decision (state done); only the claim's holder may. Null when it may not. */
  finishAdminRequest(
    id: string,
    holder: string,
    decision: AdminRequestDecision,
    now: Date,
  ): Promise<AdminRequest | null>;
  /** Gives a claim back undecided (the action failed); holder only. */
  releaseAdminRequest(id: string, holder: string): Promise<void>;

  // Uninstalled workspaces (multi-workspace mode): workspace-retention.ts
  /** Records that the workspace uninstalled the app (a repeat keeps the first time); a re-install clears it. */
  markWorkspaceUninstalled(teamId: string, now: Date): Promise<void>;
  /** When the workspace uninstalled, or null (installed, never installed, or purged). */
  getUninstalledWorkspace(teamId: string): Promise<UninstalledWorkspace | null>;
  /** Workspaces uninstalled at or before `before`, longest ago first. */
  listWorkspacesUninstalledBefore(before: Date, limit: number): Promise<UninstalledWorkspace[]>;
  /**
   * Deletes every team-scoped row of the workspace (meetings, links, guests, recordings by team or by its view's
   * scope, intents, admin requests, Home viewers, the MegaMeeting connection) and its uninstall record, in one transaction; the rows deleted per table. Null, deleting nothing,
   * unless the workspace is still recorded as uninstalled at or before `uninstalledBefore` with no installation.
   */
  purgeWorkspace(teamId: string, uninstalledBefore: Date): Promise<WorkspacePurgeCounts | null>;
  /** Deletes leases that expired at or before `now` (an expired lease is free anyway); how many went. */
  pruneExpiredLeases(now: Date): Promise<number>;

  // Slack installations (multi-workspace mode)
  /** The installations, their tokens encrypted and decrypted with `box` (see installations.ts). */
  installations(box: SecretBox): InstallationRepository;

  // MegaMeeting connections (multi-workspace mode)
  /** Each workspace's MegaMeeting account, its API token encrypted and decrypted with `box` (see connections.ts). */
  megameetingConnections(box: SecretBox): ConnectionRepository;

  close(): Promise<void>;
}

export class StoreConflictError extends Error {
  readonly code = 'conflict';
}

// ---------------------------------------------------------------------------------------------------------------
// Uninstalled workspaces (multi-workspace mode): see workspace-retention.ts

export interface UninstalledWorkspace {
  teamId: string;
  uninstalledAt: Date;
}

/** Rows a purge deleted, per table. */
export interface WorkspacePurgeCounts {
  user_links: number;
  meetings: number;
  guests: number;
  recordings: number;
  meeting_intents: number;
  admin_requests: number;
  home_viewers: number;
  megameeting_connections: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Slack installations (multi-workspace mode): see installations.ts

/** What an installation is looked up by (Bolt's InstallationQuery, in our terms). */
export interface InstallationLookup {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall: boolean;
}

/** An installation as the OAuth flow or a token refresh produced it. Tokens in clear: the store encrypts them. */
export interface NewSlackInstallation {
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botId: string | null;
  botUserId: string;
  botScopes: string[];
  botToken: string;
  /** Token rotation: the single-use refresh token and when the bot token expires; null without rotation. */
  botRefreshToken: string | null;
  botExpiresAt: Date | null;
  /** The installing user. */
  userId: string | null;
  userScopes: string[];
  userToken: string | null;
  userRefreshToken: string | null;
  userExpiresAt: Date | null;
  /** Non-secret extras kept as they came (enterprise URL, token type, auth version, state metadata). */
  details: { enterpriseUrl?: string; tokenType?: string; authVersion?: string; metadata?: string };
}

export interface SlackInstallation extends NewSlackInstallation {
  installedAt: Date;
  updatedAt: Date;
  /** Counts the writes: 1 at the first install. */
  version: number;
}

/** The installations of multi-workspace mode, their tokens encrypted with the SecretBox it was opened with. */
export interface InstallationRepository {
  /**
   * Inserts, or updates in place (a re-install, a token refresh). Never replaces a newer bot token with an
   * older one: false (nothing written) when the stored token expires later than this one.
   */
  upsert(installation: NewSlackInstallation, now: Date): Promise<boolean>;
  /** By enterprise for an org-wide install; by team, then by the team's enterprise, otherwise. */
  find(lookup: InstallationLookup, now: Date): Promise<SlackInstallation | null>;
  /** Deletes the installation and so all its tokens (uninstall, bot token revoked). */
  deleteInstallation(lookup: InstallationLookup): Promise<boolean>;
  /** Forgets the user token when its user is among `userIds` (tokens_revoked for users); the bot stays. */
  deleteUserTokens(lookup: InstallationLookup, userIds: string[], now: Date): Promise<boolean>;
  /**
   * The start-up key check: keeps one known value encrypted in the database; throws EncryptionKeyMismatchError
   * (one line naming key ids) when neither configured key reads it.
   */
  verifyKey(now: Date): Promise<void>;
  /** Installations still holding a value under ENCRYPTION_KEY_PREVIOUS (0 when it is unset). */
  countUnderPreviousKey(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------------------
// MegaMeeting connections (multi-workspace mode): see connections.ts

/**
 * A workspace's own MegaMeeting account: what `/meet connect` checked and saved. The API token is kept encrypted
 * and returned here in clear: never log or show it.
 */
export interface MegaMeetingConnection {
  teamId: string;
  /** The account URL, e.g. `https://myaccount.megameeting.com` (no trailing slash). */
  accountUrl: string;
  /** An admin API token of that account: a secret. */
  apiToken: string;
  /** The login the token belongs to, and its email (as MegaMeeting listed them when connected). */
  loginId: string;
  loginEmail: string;
  /** The Slack user (a workspace admin or owner) who connected it. */
  connectedBy: string;
  connectedAt: Date;
}

/** The MegaMeeting connections, their tokens encrypted with the SecretBox the repository was made with. */
export interface ConnectionRepository {
  /**
   * The team's connection with its token decrypted, or null. A token written under ENCRYPTION_KEY_PREVIOUS is
   * stored again under ENCRYPTION_KEY as it is read. Throws SecretUnreadableError when no configured key reads it.
   */
  get(teamId: string): Promise<MegaMeetingConnection | null>;
  /** Insert or replace the team's connection (the token is encrypted before it is written). */
  upsert(connection: MegaMeetingConnection): Promise<void>;
  /** True when there was one (whether or not its token can be read). */
  delete(teamId: string): Promise<boolean>;
  /**
   * Every connection, by team, for background work. A row no configured key reads is left out (and logged, with
   * its team and key id), so one bad row never stops the others.
   */
  list(): Promise<MegaMeetingConnection[]>;
  /** Connections whose token is still under ENCRYPTION_KEY_PREVIOUS (0 when it is unset). */
  countUnderPreviousKey(): Promise<number>;
}
