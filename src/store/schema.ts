/**
 * Table shapes as Kysely sees them. Internal to src/store/: the rest of the app speaks the record types of
 * types.ts.
 *
 * Instants are integer epoch milliseconds (UTC) on both engines: BIGINT on Postgres (read back as numbers,
 * see kysely-store.ts), INTEGER affinity on SQLite. Where the wall-clock zone matters, an IANA zone name sits
 * beside them (meetings.time_zone). Lists and option bags are JSON text; instants inside JSON are ISO-8601
 * UTC strings.
 */

/** Epoch milliseconds. Postgres BIGINT arrives as a number thanks to the pool's int8 parser. */
export type EpochMs = number;

export interface UserLinksTable {
  team_id: string;
  slack_user_id: string;
  login_id: string;
  email: string | null;
  source: string;
  linked_by: string | null;
  linked_at: EpochMs;
}

export interface MeetingsTable {
  team_id: string;
  meet_id: string;
  channel_id: string | null;
  message_ts: string | null;
  card_delivery: string;
  host_slack_user_id: string;
  host_login_id: string;
  title: string;
  kind: string;
  start_at: EpochMs;
  end_at: EpochMs | null;
  time_zone: string;
  status: string;
  /** JSON: [{ channelId, scheduledMessageId, postAt: ISO-8601 }] */
  reminders: string;
  /** JSON: { [option]: boolean } */
  options: string;
  created_at: EpochMs;
  updated_at: EpochMs;
  ended_at: EpochMs | null;
  /** First time MegaMeeting's `meetings` answer left the meeting out (since it was last listed). */
  absent_since: EpochMs | null;
  /** The Slack call's id (calls.add), once Slack gave one. */
  call_id: string | null;
  /** null: no call asked for yet; adding, added, ending, ended, failed, none (see MeetingCallState). */
  call_state: string | null;
}

export interface GuestsTable {
  team_id: string;
  meet_id: string;
  guest_key: string;
  slack_user_id: string | null;
  email: string | null;
  name: string;
  /** JSON: string[] */
  permissions: string;
  role: string;
  added_by: string | null;
  added_at: EpochMs;
}

export interface RecordingsTable {
  /** Whose set of recordings (migration 11): '' for the unscoped store, the team ID for a team's view. */
  scope: string;
  rec_id: string;
  meet_id: string;
  acc_id: string;
  al_id: string;
  team_id: string | null;
  host_slack_user_id: string | null;
  state: string;
  attempts: number;
  next_attempt_at: EpochMs | null;
  claimed_by: string | null;
  claim_expires_at: EpochMs | null;
  notified_channel: string | null;
  notified_ts: string | null;
  notified_at: EpochMs | null;
  last_error: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: EpochMs;
}

/** An Events API delivery claimed (being handled) or handled, until expires_at. */
export interface SlackEventsTable {
  event_id: string;
  holder: string;
  expires_at: EpochMs;
}

/** A meeting creation in progress (or finished), written before createMeeting: what crash recovery reads. */
export interface MeetingIntentsTable {
  id: string;
  team_id: string;
  channel_id: string | null;
  user_id: string;
  meeting_name: string;
  /** JSON: the resolved request (see IntentRequest in types.ts). */
  request: string;
  response_url: string | null;
  /** JSON: string[] of meeting IDs listed just before createMeeting, or null when they could not be read. */
  before_ids: string | null;
  state: string;
  meet_id: string | null;
  message_channel: string | null;
  message_ts: string | null;
  claimed_by: string | null;
  claim_expires_at: EpochMs | null;
  attempts: number;
  outcome: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface AdminRequestsTable {
  id: string;
  team_id: string;
  /** 'access' | 'offboarding' */
  kind: string;
  subject_user_id: string;
  subject_name: string;
  subject_email: string | null;
  login_id: string | null;
  /** 'open' | 'done' */
  state: string;
  outcome: string | null;
  decided_by: string | null;
  decided_at: EpochMs | null;
  /** JSON: AdminMessageRef[] (the admins' DMs). */
  messages: string;
  claimed_by: string | null;
  claim_expires_at: EpochMs | null;
  created_at: EpochMs;
  expires_at: EpochMs;
}

export interface MegaMeetingConnectionsTable {
  team_id: string;
  account_url: string;
  /** SecretBox ciphertext (src/secrets): never the token in clear. */
  api_token: string;
  login_id: string;
  login_email: string;
  connected_by: string;
  connected_at: EpochMs;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: EpochMs;
}

/** Multi-workspace mode's installations (installations.ts). Token columns hold SecretBox ciphertexts only. */
export interface SlackInstallationsTable {
  /** `T:<team>` or `E:<enterprise>` (org-wide install). */
  install_key: string;
  team_id: string | null;
  team_name: string | null;
  enterprise_id: string | null;
  enterprise_name: string | null;
  /** 0 or 1. */
  is_enterprise_install: number;
  app_id: string | null;
  bot_id: string | null;
  bot_user_id: string;
  /** Comma-separated. */
  bot_scopes: string;
  bot_token: string;
  bot_refresh_token: string | null;
  bot_expires_at: EpochMs | null;
  user_id: string | null;
  user_scopes: string | null;
  user_token: string | null;
  user_refresh_token: string | null;
  user_expires_at: EpochMs | null;
  /** JSON: NewSlackInstallation['details']. */
  details: string;
  version: number;
  installed_at: EpochMs;
  updated_at: EpochMs;
}

/** Known values encrypted with the current key, to detect a wrong ENCRYPTION_KEY at start. */
export interface KeyChecksTable {
  name: string;
  value: string;
  updated_at: EpochMs;
}

/** Who has opened the app's Home tab, and when last: only they get it republished when something changes. */
export interface HomeViewersTable {
  team_id: string;
  user_id: string;
  opened_at: EpochMs;
}

/** Multi-workspace mode: workspaces that uninstalled the app, until re-installed or purged. */
export interface UninstalledWorkspacesTable {
  team_id: string;
  uninstalled_at: EpochMs;
}

export interface Database {
  user_links: UserLinksTable;
  meetings: MeetingsTable;
  guests: GuestsTable;
  recordings: RecordingsTable;
  leases: LeasesTable;
  slack_events: SlackEventsTable;
  meeting_intents: MeetingIntentsTable;
  admin_requests: AdminRequestsTable;
  slack_installations: SlackInstallationsTable;
  key_checks: KeyChecksTable;
  home_viewers: HomeViewersTable;
  megameeting_connections: MegaMeetingConnectionsTable;
  uninstalled_workspaces: UninstalledWorkspacesTable;
  schema_migrations: SchemaMigrationsTable;
}
