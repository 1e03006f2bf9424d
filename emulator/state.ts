/**
 * The emulator's in-memory MegaMeeting account: logins, API tokens, meetings, verified guests, recordings,
 * plus the test knobs (faults, latency, request log). The GraphQL resolvers (resolvers.ts) call the `api*`
 * methods with the authenticated login; tests and the control API call the helpers (addLogin, addRecording…).
 */

import {
  formatFileDate,
  formatRecordingDate,
  formatTokenDate,
  offsetOfTimeZoneLabel,
  parseMeetingTime,
} from './dates.js';
import { badInput, forbidden, notFound, unauthenticated } from './errors.js';
import * as ids from './ids.js';

export const PERMISSIONS = [
  'webcam',
  'microphone',
  'screenSharing',
  'chat',
  'fileUpload',
  'fileDownload',
  'webVideoPlayer',
  'moderator',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'host'] as const;
export type Role = (typeof ROLES)[number];

export const REMUX_STATUSES = ['waiting', 'processing', 'completed', 'failed'] as const;
export type RemuxStatus = (typeof REMUX_STATUSES)[number];

export const FAULT_MODES = ['error500', 'hang', 'garbage', 'status503'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** The boolean meeting options of createMeeting (all stored, default false). */
export const MEETING_FLAGS = [
  'requireVerification',
  'enableRegistration',
  'disableVideo',
  'disableAudio',
  'disableScreen',
  'disableFileUpload',
  'disableWebVideoPlayer',
  'enableRestrictedUserList',
  'enableRestrictedChat',
] as const;
export type MeetingFlag = (typeof MEETING_FLAGS)[number];
export type MeetingOptions = Record<MeetingFlag, boolean>;

export interface LoginRecord {
  loginId: string;
  userName: string;
  email: string;
  fullName: string;
  phoneNumber: string | null;
  /** Stored only so that tests can see that one was set; never returned by the API. */
  hasPassword: boolean;
  /** 1 or 0, as the documented `active`. */
  active: number;
  roles: Role[];
  createdAt: Date;
}

export interface TokenRecord {
  token: string;
  loginId: string;
  createdAt: Date;
  lastUsed: Date | null;
}

export interface MeetingRecord {
  meetId: string;
  name: string;
  /** The owning host. */
  loginId: string;
  /** Raw strings as sent, and the instants they name. */
  scheduledDateTime: string | null;
  scheduledStart: Date | null;
  scheduledTimeZone: string | null;
  endDateTime: string | null;
  scheduledEnd: Date | null;
  options: MeetingOptions;
  createdAt: Date;
  updatedAt: Date;
  /** Set by endMeeting: the meeting leaves `meetings` and cannot be changed or joined. */
  endedAt: Date | null;
}

export interface GuestRecord {
  key: string;
  meetId: string;
  guestName: string;
  email: string | null;
  permissions: Permission[];
  createdAt: Date;
}

export interface RecordingRecord {
  recId: string;
  accId: string;
  /** The host's loginId. */
  alId: string;
  meetId: string;
  title: string;
  /** The recording session's epoch milliseconds (in recPackage and recPlay). */
  session: number;
  /** When it was recorded (recCreateDateTime, the file name's date). */
  createdAt: Date;
  /** createdAt as `Feb 8, 2021 10:50:20` (formatted once). */
  recCreateDateTime: string;
  recPackage: string;
  remuxStatus: RemuxStatus;
  /** When startRemux moved it to `processing`. */
  remuxRequestedAt: Date | null;
  completedAt: Date | null;
}

export interface InvitationRecord {
  loginId: string;
  email: string;
  sentAt: Date;
}

export interface RequestLogEntry {
  /** ISO time (from the injected clock). */
  at: string;
  method: string;
  operationType: 'query' | 'mutation' | 'subscription' | null;
  operationName: string | null;
  /** Top-level field names of the operation, in order (aliases resolved to field names). */
  fields: string[];
  /** The loginId owning the token sent, or null (missing/unknown token). */
  loginId: string | null;
  httpStatus: number;
  /** `extensions.code` of each error in the response. */
  errorCodes: string[];
  /** The injected fault that answered this request, if any. */
  fault: FaultMode | null;
}

/** The API shapes (what GraphQL returns). */
export interface MeetingNode {
  meetId: string;
  name: string;
}
export interface LoginNode {
  userName: string;
  loginId: string;
  email: string;
  fullName: string;
  active: number;
  roles: string;
}
export interface RecordingNode {
  accId: string;
  alId: string;
  recId: string;
  meetId: string;
  recPackage: string;
  recPlay: string | null;
  recCreateDateTime: string;
  remuxStatus: RemuxStatus;
}
export interface ApiTokenDetailsNode {
  domain: string;
  apiToken: string | null;
  createdAt: string | null;
  lastUsed: string | null;
}
export interface VerifiedGuestNode {
  guestName: string;
  key: string;
  meetingLink: string;
}
export interface MutationResponse {
  message: string;
  result: string | null;
  status: string;
}

/** GraphQL arguments (as coerced by graphql-js: absent optional fields are missing or null). */
type Opt<T> = T | null | undefined;
export interface CreateMeetingArgs extends Partial<Record<MeetingFlag, Opt<boolean>>> {
  meetingName?: Opt<string>;
  scheduledDateTime?: Opt<string>;
  scheduledTimeZone?: Opt<string>;
  endDateTime?: Opt<string>;
  loginId?: Opt<string>;
}
export interface UpdateMeetingArgs {
  meetId: string;
  meetName?: Opt<string>;
  scheduledDateTime?: Opt<string>;
  scheduledTimeZone?: Opt<string>;
  endDateTime?: Opt<string>;
}
export interface AddVerifiedGuestArgs {
  meetId: string;
  guestName?: Opt<string>;
  email?: Opt<string>;
  permissions?: Opt<Permission[]>;
}
export interface UpdateVerifiedGuestArgs {
  key: string;
  meetId: string;
  permissions?: Opt<Permission[]>;
  guestName?: Opt<string>;
}
export interface RolesArgs {
  host?: Opt<boolean>;
  admin?: Opt<boolean>;
}
export interface CreateLoginArgs {
  email: string;
  fullName?: Opt<string>;
  userName?: Opt<string>;
  phoneNumber?: Opt<string>;
  password?: Opt<string>;
  roles?: Opt<RolesArgs>;
}
export interface UpdateLoginArgs {
  loginId: string;
  email?: Opt<string>;
  fullName?: Opt<string>;
  userName?: Opt<string>;
  phoneNumber?: Opt<string>;
  password?: Opt<string>;
  roles?: Opt<RolesArgs>;
}
export interface StartRemuxArgs {
  accountId: string;
  loginId: string;
  meetId: string;
  recordingId: string;
}

/** Helper inputs (programmatic API and control API). */
export interface AddLoginInput {
  email: string;
  /** A fixed loginId (seeding); generated when absent. */
  loginId?: string;
  /** A fixed API token (seeding); generated when absent. */
  apiToken?: string;
  fullName?: string;
  userName?: string;
  roles?: Role[];
  active?: boolean | number;
  phoneNumber?: string;
}
export interface AddLoginResult {
  loginId: string;
  apiToken: string;
  userName: string;
}
export interface AddMeetingInput extends Partial<MeetingOptions> {
  name: string;
  /** A fixed meeting id (seeding); a random unused 7-digit id when absent. */
  meetId?: string;
  loginId?: string;
  scheduledDateTime?: string;
  scheduledTimeZone?: string;
  endDateTime?: string;
}
export interface AddRecordingInput {
  meetId: string;
  /** The host (alId); defaults to the meeting's owner. */
  loginId?: string;
  /** Used in the file name; defaults to the meeting's name. */
  title?: string;
  remuxStatus?: RemuxStatus;
  /** When the recording was made (recCreateDateTime and the file name); defaults to now. */
  createdAt?: Date;
  /** A fixed recId (seeding). */
  recId?: string;
  /** The session epoch ms in recPackage / recPlay; defaults to createdAt (kept unique per meeting). */
  session?: number;
}

export interface AddGuestInput {
  meetId: string;
  guestName: string;
  email?: string;
  permissions?: Permission[];
  /** A fixed key (seeding); 12 random lowercase letters and digits when absent. */
  key?: string;
}

export interface EmulatorStateOptions {
  adminToken?: string;
  /** Time from startRemux to `completed`; 0 completes on the next read. Default 2000. */
  remuxDelayMs?: number;
  /** Public account URL used in links (meetingLink, login URL, apiTokenDetails.domain). */
  baseUrl?: string;
  now?: () => Date;
  /** Licenses of the account: createLogin fails with status "failed" when all are used. Default 50. */
  licenses?: number;
  /** The account id (accId); 24 random hex digits when absent. */
  accountId?: string;
  /** The owner login (roles owner,admin,host). */
  owner?: OwnerOptions;
}

export interface OwnerOptions {
  loginId?: string;
  email?: string;
  fullName?: string;
  userName?: string;
}

export interface StateSnapshot {
  accountId: string;
  baseUrl: string;
  adminLoginId: string;
  licenses: number;
  remuxDelayMs: number;
  latencyMs: number;
  faults: { mode: FaultMode; remaining: number }[];
  logins: LoginRecord[];
  tokens: TokenRecord[];
  meetings: (MeetingRecord & { ended: boolean })[];
  guests: GuestRecord[];
  recordings: (RecordingRecord & { recPlay: string | null; recCreateDateTime: string })[];
  invitations: InvitationRecord[];
  loginLinks: { token: string; loginId: string; used: boolean }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REQUEST_LOG_LIMIT = 10_000;
const OWNER_ROLES: Role[] = ['owner', 'admin', 'host'];

const ok = (message: string, result: string | null = '1'): MutationResponse => ({
  message,
  result,
  status: 'completed',
});
const failed = (message: string): MutationResponse => ({ message, result: null, status: 'failed' });

function rolesString(roles: readonly Role[]): string {
  return ROLES.filter((r) => roles.includes(r)).join(',');
}

function rolesFromArgs(args: RolesArgs | null | undefined, fallback: Role[]): Role[] {
  if (!args) return fallback;
  const roles: Role[] = [];
  if (args.admin) roles.push('admin');
  if (args.host) roles.push('host');
  return roles.length > 0 ? roles : ['host'];
}

/** A file-name-safe title: runs of anything but letters, digits, `_` become one dash. */
function fileTitle(title: string): string {
  const t = title
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/g, '');
  return t || 'Meeting';
}

export class EmulatorState {
  readonly accountId: string;
  readonly adminLoginId: string;
  readonly adminToken: string;
  baseUrl: string;
  remuxDelayMs: number;
  licenses: number;
  readonly now: () => Date;
  private readonly owner: Required<OwnerOptions>;

  logins = new Map<string, LoginRecord>();
  /** token → record */
  tokens = new Map<string, TokenRecord>();
  /** Tokens that were revoked or replaced, to say so in the error message. */
  revokedTokens = new Set<string>();
  meetings = new Map<string, MeetingRecord>();
  /** key → guest */
  guests = new Map<string, GuestRecord>();
  recordings = new Map<string, RecordingRecord>();
  invitations: InvitationRecord[] = [];
  loginLinks = new Map<string, { loginId: string; used: boolean }>();
  /** meetId → highest recording session epoch used, to keep sessions unique per meeting. */
  private sessions = new Map<string, { used: Set<number>; max: number }>();

  faults: { mode: FaultMode; remaining: number }[] = [];
  latencyMs = 0;
  /** Per-operation answer delays (setAnswerLatency). */
  readonly answerLatency = new Map<string, number>();
  private log: RequestLogEntry[] = [];

  constructor(opts: EmulatorStateOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.accountId = opts.accountId ?? ids.objectId();
    const email = opts.owner?.email ?? 'owner@example.com';
    this.owner = {
      loginId: opts.owner?.loginId ?? ids.objectId(),
      email,
      fullName: opts.owner?.fullName ?? 'Account Owner',
      userName: opts.owner?.userName ?? email.split('@')[0] ?? 'owner',
    };
    this.adminLoginId = this.owner.loginId;
    this.adminToken = opts.adminToken ?? ids.apiToken();
    this.baseUrl = (opts.baseUrl ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
    this.remuxDelayMs = opts.remuxDelayMs ?? 2000;
    this.licenses = opts.licenses ?? 50;
    if (!Number.isFinite(this.remuxDelayMs) || this.remuxDelayMs < 0) {
      throw new Error('remuxDelayMs must be a non-negative number');
    }
    if (!Number.isInteger(this.licenses) || this.licenses < 1)
      throw new Error('licenses must be a positive integer');
    if (!/^\S+$/.test(this.accountId)) throw new Error('accountId must be a non-empty string without spaces');
    this.seed();
  }

  private seed(): void {
    const at = this.now();
    this.logins.set(this.adminLoginId, {
      loginId: this.adminLoginId,
      userName: this.owner.userName,
      email: this.owner.email,
      fullName: this.owner.fullName,
      phoneNumber: null,
      hasPassword: true,
      active: 1,
      roles: [...OWNER_ROLES],
      createdAt: at,
    });
    this.tokens.set(this.adminToken, {
      token: this.adminToken,
      loginId: this.adminLoginId,
      createdAt: at,
      lastUsed: null,
    });
  }

  /** Back to a fresh account: only the owner login and its admin token (same ids and token as before). */
  reset(): void {
    this.logins.clear();
    this.tokens.clear();
    this.revokedTokens.clear();
    this.meetings.clear();
    this.guests.clear();
    this.recordings.clear();
    this.sessions.clear();
    this.invitations = [];
    this.loginLinks.clear();
    this.faults = [];
    this.latencyMs = 0;
    this.answerLatency.clear();
    this.log = [];
    this.seed();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Authentication and authorization

  /** The login owning `token`; throws UNAUTHENTICATED. Marks the token as used. */
  authenticate(token: string | null | undefined): LoginRecord {
    if (!token) throw unauthenticated('Missing API token: send it in the apiToken header');
    const rec = this.tokens.get(token);
    if (!rec) {
      throw unauthenticated(
        this.revokedTokens.has(token) ? 'API token has been revoked' : 'Invalid API token',
      );
    }
    const login = this.logins.get(rec.loginId);
    if (!login) throw unauthenticated('Invalid API token');
    if (login.active !== 1) throw unauthenticated('The login of this API token is not active');
    rec.lastUsed = this.now();
    return login;
  }

  /** The loginId owning a token, without side effects (for the request log). */
  tokenOwner(token: string | null | undefined): string | null {
    if (!token) return null;
    return this.tokens.get(token)?.loginId ?? null;
  }

  isAdmin(login: LoginRecord): boolean {
    return login.roles.includes('admin') || login.roles.includes('owner');
  }

  private requireAdmin(actor: LoginRecord, operation: string): void {
    if (!this.isAdmin(actor)) throw forbidden(`${operation} is only available to admin users`);
  }

  private findLogin(loginId: string): LoginRecord {
    const login = this.logins.get(loginId);
    if (!login) throw notFound(`Login ${loginId} not found`);
    return login;
  }

  /** A meeting the actor may see (admin: any; host: own). `change`: also refuse ended meetings. */
  private meetingFor(actor: LoginRecord, meetId: string, change: boolean): MeetingRecord {
    const meeting = this.meetings.get(meetId);
    if (!meeting) throw notFound(`Meeting ${meetId} not found`);
    if (!this.isAdmin(actor) && meeting.loginId !== actor.loginId) {
      throw forbidden(`Meeting ${meetId} belongs to another host`);
    }
    if (change && meeting.endedAt) throw notFound(`Meeting ${meetId} has ended`, { reason: 'MEETING_ENDED' });
    return meeting;
  }

  private recordingFor(actor: LoginRecord, recId: string): RecordingRecord {
    const rec = this.recordings.get(recId);
    if (!rec) throw notFound(`Recording ${recId} not found`);
    if (!this.isAdmin(actor) && rec.alId !== actor.loginId) {
      throw forbidden(`Recording ${recId} belongs to another host`);
    }
    return rec;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Views

  meetingLink(key: string): string {
    return `${this.baseUrl}/meeting/?key=${key}`;
  }

  /** Moves a processing recording to completed once the remux delay has passed (lazily, on every read). */
  private settle(rec: RecordingRecord, nowMs: number): void {
    if (rec.remuxStatus === 'processing' && rec.remuxRequestedAt) {
      if (nowMs - rec.remuxRequestedAt.getTime() >= this.remuxDelayMs) {
        rec.remuxStatus = 'completed';
        rec.completedAt = new Date(Math.max(nowMs, rec.remuxRequestedAt.getTime()));
      }
    }
  }

  recPlay(rec: RecordingRecord): string | null {
    return rec.remuxStatus === 'completed' ? `videoplayer/?key=${rec.meetId}&session=${rec.session}` : null;
  }

  recordingNode(rec: RecordingRecord): RecordingNode {
    this.settle(rec, this.now().getTime());
    return {
      accId: rec.accId,
      alId: rec.alId,
      recId: rec.recId,
      meetId: rec.meetId,
      recPackage: rec.recPackage,
      recPlay: this.recPlay(rec),
      recCreateDateTime: rec.recCreateDateTime,
      remuxStatus: rec.remuxStatus,
    };
  }

  private loginNode(l: LoginRecord): LoginNode {
    return {
      userName: l.userName,
      loginId: l.loginId,
      email: l.email,
      fullName: l.fullName,
      active: l.active,
      roles: rolesString(l.roles),
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Queries

  apiMeetings(actor: LoginRecord): MeetingNode[] {
    const admin = this.isAdmin(actor);
    const out: MeetingNode[] = [];
    for (const m of this.meetings.values()) {
      if (m.endedAt) continue;
      if (!admin && m.loginId !== actor.loginId) continue;
      out.push({ meetId: m.meetId, name: m.name });
    }
    return out;
  }

  apiLogins(actor: LoginRecord): LoginNode[] {
    this.requireAdmin(actor, 'logins');
    return [...this.logins.values()].map((l) => this.loginNode(l));
  }

  apiRecordings(actor: LoginRecord): RecordingNode[] {
    const admin = this.isAdmin(actor);
    const out: RecordingNode[] = [];
    for (const rec of this.recordings.values()) {
      if (!admin && rec.alId !== actor.loginId) continue;
      out.push(this.recordingNode(rec));
    }
    return out;
  }

  apiStartRemux(actor: LoginRecord, input: StartRemuxArgs): MutationResponse {
    if (input.accountId !== this.accountId) throw notFound(`Account ${input.accountId} not found`);
    const rec = this.recordingFor(actor, input.recordingId);
    if (rec.meetId !== input.meetId) {
      throw badInput(`Recording ${rec.recId} does not belong to meeting ${input.meetId}`);
    }
    if (rec.alId !== input.loginId) {
      throw badInput(`Recording ${rec.recId} does not belong to login ${input.loginId}`);
    }
    this.settle(rec, this.now().getTime());
    if (rec.remuxStatus === 'waiting' || rec.remuxStatus === 'failed') {
      rec.remuxStatus = 'processing';
      rec.remuxRequestedAt = this.now();
      rec.completedAt = null;
    }
    return { status: 'Completed', message: 'Remux request made successfully.', result: null };
  }

  apiTokenDetails(actor: LoginRecord, loginId: string): ApiTokenDetailsNode {
    this.requireAdmin(actor, 'apiTokenDetails');
    this.findLogin(loginId);
    const rec = this.tokenRecordOf(loginId);
    return {
      domain: this.baseUrl,
      apiToken: rec?.token ?? null,
      createdAt: rec ? formatTokenDate(rec.createdAt) : null,
      lastUsed: rec?.lastUsed ? formatTokenDate(rec.lastUsed) : null,
    };
  }

  apiGetVerifiedGuest(actor: LoginRecord, meetId: string): VerifiedGuestNode[] {
    this.meetingFor(actor, meetId, false);
    return this.guestsOf(meetId).map((g) => ({
      guestName: g.guestName,
      key: g.key,
      meetingLink: this.meetingLink(g.key),
    }));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Meetings

  private checkName(value: string | null | undefined, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw badInput(`${field} must not be empty`);
    return value;
  }

  private checkTime(value: string, field: string): Date {
    const parsed = parseMeetingTime(value);
    if (typeof parsed === 'string') throw badInput(`${field}: ${parsed}`, { field });
    return parsed.instant;
  }

  /** Validates the schedule fields against the current values; returns the new values (not yet stored). */
  private schedule(
    current: Pick<
      MeetingRecord,
      'scheduledDateTime' | 'scheduledStart' | 'scheduledTimeZone' | 'endDateTime' | 'scheduledEnd'
    >,
    input: { scheduledDateTime?: Opt<string>; scheduledTimeZone?: Opt<string>; endDateTime?: Opt<string> },
  ) {
    const next = { ...current };
    if (input.scheduledDateTime != null) {
      next.scheduledStart = this.checkTime(input.scheduledDateTime, 'scheduledDateTime');
      next.scheduledDateTime = input.scheduledDateTime;
    }
    if (input.endDateTime != null) {
      next.scheduledEnd = this.checkTime(input.endDateTime, 'endDateTime');
      next.endDateTime = input.endDateTime;
    }
    if (input.scheduledTimeZone != null) {
      if (input.scheduledTimeZone.trim() === '') throw badInput('scheduledTimeZone must not be empty');
      next.scheduledTimeZone = input.scheduledTimeZone;
    }
    if (next.scheduledEnd && !next.scheduledStart) {
      throw badInput('endDateTime needs a scheduledDateTime', { field: 'endDateTime' });
    }
    if (
      next.scheduledEnd &&
      next.scheduledStart &&
      next.scheduledEnd.getTime() <= next.scheduledStart.getTime()
    ) {
      throw badInput('endDateTime must be after scheduledDateTime', { field: 'endDateTime' });
    }
    if (next.scheduledTimeZone && next.scheduledDateTime) {
      const labelOffset = offsetOfTimeZoneLabel(next.scheduledTimeZone);
      const parsed = parseMeetingTime(next.scheduledDateTime);
      if (labelOffset !== null && typeof parsed !== 'string' && labelOffset !== parsed.offsetMinutes) {
        throw badInput(
          `scheduledTimeZone ${next.scheduledTimeZone} does not match the UTC offset of scheduledDateTime`,
          { field: 'scheduledTimeZone' },
        );
      }
    }
    return next;
  }

  /** Set by addMeeting to seed a fixed id for the next meeting created. */
  private nextMeetingId: string | null = null;

  private newMeetingId(): string {
    if (this.nextMeetingId !== null) {
      const id = this.nextMeetingId;
      this.nextMeetingId = null;
      return id;
    }
    for (;;) {
      const id = ids.meetingId();
      if (!this.meetings.has(id)) return id;
    }
  }

  apiCreateMeeting(actor: LoginRecord, input: CreateMeetingArgs): MutationResponse {
    const name = this.checkName(input.meetingName, 'meetingName');
    let owner = actor;
    if (input.loginId != null && input.loginId !== actor.loginId) {
      this.requireAdmin(actor, 'createMeeting on behalf of another login');
      owner = this.findLogin(input.loginId);
    }
    const sched = this.schedule(
      {
        scheduledDateTime: null,
        scheduledStart: null,
        scheduledTimeZone: null,
        endDateTime: null,
        scheduledEnd: null,
      },
      input,
    );
    const options = {} as MeetingOptions;
    for (const flag of MEETING_FLAGS) options[flag] = input[flag] === true;
    const at = this.now();
    const meeting: MeetingRecord = {
      meetId: this.newMeetingId(),
      name,
      loginId: owner.loginId,
      ...sched,
      options,
      createdAt: at,
      updatedAt: at,
      endedAt: null,
    };
    this.meetings.set(meeting.meetId, meeting);
    return ok(`createMeeting() succeeded. New Meet_ID:${meeting.meetId}`, meeting.meetId);
  }

  apiUpdateMeeting(actor: LoginRecord, input: UpdateMeetingArgs): MutationResponse {
    const meeting = this.meetingFor(actor, input.meetId, true);
    const name = input.meetName != null ? this.checkName(input.meetName, 'meetName') : meeting.name;
    const sched = this.schedule(meeting, input);
    Object.assign(meeting, sched, { name, updatedAt: this.now() });
    return ok('Meeting updated');
  }

  apiEndMeeting(actor: LoginRecord, meetId: string): MutationResponse {
    const meeting = this.meetingFor(actor, meetId, true);
    meeting.endedAt = this.now();
    return ok('Meeting ended');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Verified guests

  guestsOf(meetId: string): GuestRecord[] {
    return [...this.guests.values()].filter((g) => g.meetId === meetId);
  }

  private checkPermissions(perms: Opt<Permission[]>): Permission[] {
    return [...new Set(perms ?? [])];
  }

  private checkEmail(email: string, field = 'email'): string {
    if (email.length > 254 || !EMAIL.test(email))
      throw badInput(`${field} is not a valid email address`, { field });
    return email;
  }

  /** Adds a verified guest to a meeting that has not ended (like addVerifiedGuest, with an optional fixed key). */
  addGuest(input: AddGuestInput): GuestRecord {
    const meeting = this.meetings.get(input.meetId);
    if (!meeting) throw notFound(`Meeting ${input.meetId} not found`);
    if (input.key !== undefined && (!/^\S+$/.test(input.key) || this.guests.has(input.key))) {
      throw badInput(`key ${input.key} is empty or taken`);
    }
    const owner = this.findLogin(meeting.loginId);
    this.nextGuestKey = input.key ?? null;
    try {
      this.apiAddVerifiedGuest(owner, input);
    } finally {
      this.nextGuestKey = null;
    }
    const guests = this.guestsOf(meeting.meetId);
    const guest = guests[guests.length - 1];
    if (!guest) throw new Error('addGuest: guest was not created');
    return guest;
  }

  private nextGuestKey: string | null = null;

  private newGuestKey(): string {
    if (this.nextGuestKey !== null) return this.nextGuestKey;
    for (;;) {
      const key = ids.guestKey();
      if (!this.guests.has(key)) return key;
    }
  }

  apiAddVerifiedGuest(actor: LoginRecord, input: AddVerifiedGuestArgs): MutationResponse {
    const meeting = this.meetingFor(actor, input.meetId, true);
    const guestName = this.checkName(input.guestName, 'guestName');
    const email = input.email != null && input.email !== '' ? this.checkEmail(input.email) : null;
    const guest: GuestRecord = {
      key: this.newGuestKey(),
      meetId: meeting.meetId,
      guestName,
      email,
      permissions: this.checkPermissions(input.permissions),
      createdAt: this.now(),
    };
    this.guests.set(guest.key, guest);
    return ok('Records added successfully');
  }

  private guestFor(actor: LoginRecord, meetId: string, key: string): GuestRecord {
    this.meetingFor(actor, meetId, true);
    const guest = this.guests.get(key);
    if (!guest || guest.meetId !== meetId) throw notFound(`Verified guest not found in meeting ${meetId}`);
    return guest;
  }

  apiUpdateVerifiedGuest(actor: LoginRecord, input: UpdateVerifiedGuestArgs): MutationResponse {
    const guest = this.guestFor(actor, input.meetId, input.key);
    const guestName =
      input.guestName != null ? this.checkName(input.guestName, 'guestName') : guest.guestName;
    guest.guestName = guestName;
    if (input.permissions != null) guest.permissions = this.checkPermissions(input.permissions);
    return ok('Record updated successfully');
  }

  apiRemoveVerifiedGuest(actor: LoginRecord, input: { key: string; meetId: string }): MutationResponse {
    const guest = this.guestFor(actor, input.meetId, input.key);
    this.guests.delete(guest.key);
    return ok('Removed successfully');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Logins and tokens

  private loginByEmail(email: string): LoginRecord | undefined {
    const e = email.toLowerCase();
    for (const l of this.logins.values()) if (l.email.toLowerCase() === e) return l;
    return undefined;
  }

  private uniqueUserName(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]+/g, '').slice(0, 40) || 'user';
    const taken = new Set([...this.logins.values()].map((l) => l.userName.toLowerCase()));
    if (!taken.has(base.toLowerCase())) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}${i}`.toLowerCase())) return `${base}${i}`;
  }

  tokenRecordOf(loginId: string): TokenRecord | undefined {
    for (const t of this.tokens.values()) if (t.loginId === loginId) return t;
    return undefined;
  }

  private issueToken(loginId: string, token = ids.apiToken()): string {
    const old = this.tokenRecordOf(loginId);
    if (old) {
      this.tokens.delete(old.token);
      this.revokedTokens.add(old.token);
    }
    this.tokens.set(token, { token, loginId, createdAt: this.now(), lastUsed: null });
    return token;
  }

  private createLoginRecord(input: {
    loginId?: string | undefined;
    email: string;
    fullName?: Opt<string>;
    userName?: Opt<string>;
    phoneNumber?: Opt<string>;
    hasPassword: boolean;
    roles: Role[];
    active: number;
  }): LoginRecord {
    const login: LoginRecord = {
      loginId: input.loginId ?? ids.objectId(),
      userName: this.uniqueUserName(input.userName ?? input.email.split('@')[0] ?? 'user'),
      email: input.email,
      fullName: input.fullName ?? '',
      phoneNumber: input.phoneNumber ?? null,
      hasPassword: input.hasPassword,
      active: input.active,
      roles: input.roles,
      createdAt: this.now(),
    };
    this.logins.set(login.loginId, login);
    return login;
  }

  apiCreateLogin(actor: LoginRecord, input: CreateLoginArgs): MutationResponse {
    this.requireAdmin(actor, 'createLogin');
    const email = this.checkEmail(input.email.trim());
    if (input.fullName != null && input.fullName.length > 10_000) throw badInput('fullName is too long');
    if (this.loginByEmail(email)) return failed(`A login with email ${email} already exists`);
    if (this.logins.size >= this.licenses)
      return failed('No licenses available: purchase more to add logins');
    const login = this.createLoginRecord({
      email,
      fullName: input.fullName,
      userName: input.userName,
      phoneNumber: input.phoneNumber,
      hasPassword: input.password != null && input.password !== '',
      roles: rolesFromArgs(input.roles, ['host']),
      active: 1,
    });
    return ok('Login Created successfully!', login.loginId);
  }

  apiUpdateLogin(actor: LoginRecord, input: UpdateLoginArgs): MutationResponse {
    this.requireAdmin(actor, 'updateLogin');
    const login = this.findLogin(input.loginId);
    if (input.email != null) {
      const email = this.checkEmail(input.email.trim());
      const other = this.loginByEmail(email);
      if (other && other.loginId !== login.loginId)
        return failed(`A login with email ${email} already exists`);
      login.email = email;
    }
    if (input.userName != null) {
      if (input.userName.trim() === '') throw badInput('userName must not be empty');
      if (input.userName !== login.userName) login.userName = this.uniqueUserName(input.userName);
    }
    if (input.fullName != null) login.fullName = input.fullName;
    if (input.phoneNumber != null) login.phoneNumber = input.phoneNumber;
    if (input.password != null && input.password !== '') login.hasPassword = true;
    if (input.roles != null) {
      const roles = rolesFromArgs(input.roles, login.roles);
      login.roles = login.roles.includes('owner') ? [...OWNER_ROLES] : roles;
    }
    return ok('Details updated successfully!');
  }

  apiDeleteLogin(actor: LoginRecord, loginId: string): MutationResponse {
    this.requireAdmin(actor, 'deleteLogin');
    const login = this.findLogin(loginId);
    if (login.roles.includes('owner')) return failed('The account owner cannot be deleted');
    if (login.loginId === actor.loginId) return failed('You cannot delete your own login');
    const token = this.tokenRecordOf(loginId);
    if (token) {
      this.tokens.delete(token.token);
      this.revokedTokens.add(token.token);
    }
    this.logins.delete(loginId);
    return ok('Login deleted successfully');
  }

  apiCreateAPIToken(actor: LoginRecord, loginId: string): MutationResponse {
    this.requireAdmin(actor, 'createAPIToken');
    this.findLogin(loginId);
    this.issueToken(loginId);
    return ok('API token created successfully');
  }

  apiRevokeAPIToken(actor: LoginRecord, loginId: string): MutationResponse {
    this.requireAdmin(actor, 'revokeAPIToken');
    this.findLogin(loginId);
    const rec = this.tokenRecordOf(loginId);
    if (!rec) return failed('This login has no API token');
    this.tokens.delete(rec.token);
    this.revokedTokens.add(rec.token);
    return ok('API token revoked successfully');
  }

  apiUserInvitation(
    actor: LoginRecord,
    input: { email?: Opt<string>; loginId?: Opt<string> },
  ): MutationResponse {
    this.requireAdmin(actor, 'userInvitation');
    let login: LoginRecord | undefined;
    if (input.email != null && input.email !== '') {
      const email = this.checkEmail(input.email.trim());
      login = this.loginByEmail(email);
      if (!login) throw notFound(`No login with email ${email}`);
      if (input.loginId != null && input.loginId !== login.loginId) {
        throw badInput('email and loginId name different logins');
      }
    } else if (input.loginId != null && input.loginId !== '') {
      login = this.findLogin(input.loginId);
    } else {
      throw badInput('userInvitation needs an email (or a loginId)');
    }
    this.invitations.push({ loginId: login.loginId, email: login.email, sentAt: this.now() });
    return ok('Email sent successfully');
  }

  apiLogin(actor: LoginRecord, loginId: string): MutationResponse {
    this.requireAdmin(actor, 'login');
    const login = this.findLogin(loginId);
    const token = ids.loginToken();
    this.loginLinks.set(token, { loginId, used: false });
    return {
      message: 'success',
      result: `${this.baseUrl}/?token=${token}&u=${encodeURIComponent(login.userName)}&skipSetting=true`,
      status: '200',
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Recordings

  apiDeleteRecording(actor: LoginRecord, input: { recId: string; accId: string }): MutationResponse {
    if (input.accId !== this.accountId) throw notFound(`Account ${input.accId} not found`);
    const rec = this.recordingFor(actor, input.recId);
    this.recordings.delete(rec.recId);
    return ok('Recording removed successfully');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers for tests and the control API (no authorization: they act as the emulator's operator)

  /** Adds a login with an API token. Throws BAD_USER_INPUT on an invalid or duplicate email. */
  addLogin(input: AddLoginInput): AddLoginResult {
    const email = this.checkEmail(input.email.trim());
    if (this.loginByEmail(email)) throw badInput(`A login with email ${email} already exists`);
    if (input.loginId !== undefined && (!/^\S+$/.test(input.loginId) || this.logins.has(input.loginId))) {
      throw badInput(`loginId ${input.loginId} is empty or taken`);
    }
    if (
      input.apiToken !== undefined &&
      (!/^\S{8,}$/.test(input.apiToken) || this.tokens.has(input.apiToken))
    ) {
      throw badInput('apiToken must be 8+ characters without spaces and not in use');
    }
    const roles =
      input.roles && input.roles.length > 0 ? ROLES.filter((r) => input.roles?.includes(r)) : ['host'];
    const login = this.createLoginRecord({
      loginId: input.loginId,
      email,
      fullName: input.fullName,
      userName: input.userName,
      phoneNumber: input.phoneNumber,
      hasPassword: false,
      roles: roles as Role[],
      active: input.active === false || input.active === 0 ? 0 : 1,
    });
    const apiToken = this.issueToken(login.loginId, input.apiToken);
    return { loginId: login.loginId, apiToken, userName: login.userName };
  }

  /** Adds a meeting (owner defaults to the account owner). Validates like createMeeting. */
  addMeeting(input: AddMeetingInput): MeetingRecord {
    const owner = this.findLogin(input.loginId ?? this.adminLoginId);
    if (input.meetId !== undefined) {
      if (!/^\S+$/.test(input.meetId) || this.meetings.has(input.meetId)) {
        throw badInput(`meetId ${input.meetId} is empty or taken`);
      }
      this.nextMeetingId = input.meetId;
    }
    let res: MutationResponse;
    try {
      res = this.apiCreateMeeting(owner, { ...input, meetingName: input.name, loginId: owner.loginId });
    } finally {
      this.nextMeetingId = null;
    }
    const meeting = this.meetings.get(res.result ?? '');
    if (!meeting) throw new Error('addMeeting: meeting was not created');
    return meeting;
  }

  /** Ends a meeting as if its host ended it (e.g. from MegaMeeting's own UI). NOT_FOUND if unknown or ended. */
  endMeeting(meetId: string): MeetingRecord {
    const meeting = this.meetings.get(meetId);
    if (!meeting) throw notFound(`Meeting ${meetId} not found`);
    this.apiEndMeeting(this.logins.get(meeting.loginId) ?? this.findLogin(this.adminLoginId), meetId);
    return meeting;
  }

  private newSession(meetId: string, at: number): number {
    let s = this.sessions.get(meetId);
    if (!s) {
      s = { used: new Set(), max: -1 };
      this.sessions.set(meetId, s);
    }
    // On a collision take the next free millisecond after the highest one used (O(1), even for bulk adds).
    let session = at;
    if (s.used.has(session)) {
      session = s.max + 1;
      while (s.used.has(session)) session++;
    }
    s.used.add(session);
    if (session > s.max) s.max = session;
    return session;
  }

  /** Adds a recording of a meeting (ended or not) and returns it as `recordings` shows it. */
  addRecording(input: AddRecordingInput): RecordingNode {
    return this.recordingNode(this.addRecordingRecord(input));
  }

  /** Adds `count` recordings (fast: for benchmarks). Returns their ids. */
  addRecordings(count: number, input: AddRecordingInput): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.addRecordingRecord(input).recId);
    return out;
  }

  private addRecordingRecord(input: AddRecordingInput): RecordingRecord {
    const meeting = this.meetings.get(input.meetId);
    if (!meeting) throw notFound(`Meeting ${input.meetId} not found`);
    const alId = input.loginId ?? meeting.loginId;
    if (!this.logins.has(alId)) throw notFound(`Login ${alId} not found`);
    const status = input.remuxStatus ?? 'waiting';
    if (!REMUX_STATUSES.includes(status))
      throw badInput(`remuxStatus must be one of ${REMUX_STATUSES.join(', ')}`);
    const at = input.createdAt ?? this.now();
    if (Number.isNaN(at.getTime())) throw badInput('createdAt is not a valid date');
    if (input.recId !== undefined && (!/^\S+$/.test(input.recId) || this.recordings.has(input.recId))) {
      throw badInput(`recId ${input.recId} is empty or taken`);
    }
    if (input.session !== undefined && !(Number.isSafeInteger(input.session) && input.session >= 0)) {
      throw badInput('session must be a non-negative integer (epoch ms)');
    }
    const session = this.newSession(meeting.meetId, input.session ?? at.getTime());
    const title = input.title ?? meeting.name;
    const rec: RecordingRecord = {
      recId: input.recId ?? ids.objectId(),
      accId: this.accountId,
      alId,
      meetId: meeting.meetId,
      title,
      session,
      createdAt: at,
      recCreateDateTime: formatRecordingDate(at),
      recPackage: `${this.accountId}/${meeting.meetId}/${session}/P2P-Recording-${meeting.meetId}-${fileTitle(
        title,
      )}-${formatFileDate(at)}.mp4`,
      remuxStatus: status,
      remuxRequestedAt: status === 'processing' ? this.now() : null,
      completedAt: status === 'completed' ? this.now() : null,
    };
    this.recordings.set(rec.recId, rec);
    return rec;
  }

  private findRecording(recId: string): RecordingRecord {
    const rec = this.recordings.get(recId);
    if (!rec) throw notFound(`Recording ${recId} not found`);
    return rec;
  }

  /** Makes a recording's processing fail (`remuxStatus: failed`, recPlay null). */
  failRecording(recId: string): RecordingNode {
    const rec = this.findRecording(recId);
    rec.remuxStatus = 'failed';
    rec.completedAt = null;
    return this.recordingNode(rec);
  }

  /** Finishes a recording's processing at once. */
  completeRecording(recId: string): RecordingNode {
    const rec = this.findRecording(recId);
    rec.remuxStatus = 'completed';
    rec.completedAt = this.now();
    return this.recordingNode(rec);
  }

  /** The next `count` /api requests fail with `mode`. Adds to faults already queued. */
  injectFaults(mode: FaultMode, count = 1): void {
    if (!FAULT_MODES.includes(mode)) throw badInput(`mode must be one of ${FAULT_MODES.join(', ')}`);
    if (!Number.isInteger(count) || count < 0) throw badInput('count must be a non-negative integer');
    if (count > 0) this.faults.push({ mode, remaining: count });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes the next queued fault, if any. */
  takeFault(): FaultMode | null {
    const f = this.faults[0];
    if (!f) return null;
    f.remaining--;
    if (f.remaining <= 0) this.faults.shift();
    return f.mode;
  }

  /**
   * A slow answer to one operation (a top-level field such as `createMeeting`): it is carried out at once, but
   * its answer leaves `ms` later (0 removes it). What a client that times out, or dies, meanwhile never learns.
   */
  setAnswerLatency(operation: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw badInput('ms must be a non-negative number');
    if (ms > 0) this.answerLatency.set(operation, ms);
    else this.answerLatency.delete(operation);
  }

  /** The answer delay of a request whose top-level fields are `fields` (the longest that applies). */
  answerDelayFor(fields: readonly string[]): number {
    return Math.max(0, ...fields.map((f) => this.answerLatency.get(f) ?? 0));
  }

  /** Delay added before every /api answer. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw badInput('ms must be a non-negative number');
    this.latencyMs = ms;
  }

  /** Consumes a one-time login link token (the page at `/?token=`); returns the login or null. */
  useLoginLink(token: string): LoginRecord | null {
    const link = this.loginLinks.get(token);
    if (!link || link.used) return null;
    link.used = true;
    return this.logins.get(link.loginId) ?? null;
  }

  /** Finds a recording by its recPackage (downloads), settling its processing first. */
  recordingByPackage(recPackage: string): RecordingRecord | undefined {
    const nowMs = this.now().getTime();
    for (const rec of this.recordings.values()) {
      if (rec.recPackage === recPackage) {
        this.settle(rec, nowMs);
        return rec;
      }
    }
    return undefined;
  }

  /** Finds a recording by meeting and session (playback), settling its processing first. */
  recordingBySession(meetId: string, session: string): RecordingRecord | undefined {
    const nowMs = this.now().getTime();
    for (const rec of this.recordings.values()) {
      if (rec.meetId === meetId && String(rec.session) === session) {
        this.settle(rec, nowMs);
        return rec;
      }
    }
    return undefined;
  }

  recordRequest(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  /** A copy of the /api request log, oldest first (the last 10,000 requests). */
  requests(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e, fields: [...e.fields], errorCodes: [...e.errorCodes] }));
  }

  clearRequests(): void {
    this.log = [];
  }

  /** Everything, as plain JSON-able data (GET /_emulator/state). Includes ended meetings and tokens. */
  snapshot(): StateSnapshot {
    const nowMs = this.now().getTime();
    return {
      accountId: this.accountId,
      baseUrl: this.baseUrl,
      adminLoginId: this.adminLoginId,
      licenses: this.licenses,
      remuxDelayMs: this.remuxDelayMs,
      latencyMs: this.latencyMs,
      faults: this.faults.map((f) => ({ ...f })),
      logins: [...this.logins.values()].map((l) => ({ ...l, roles: [...l.roles] })),
      tokens: [...this.tokens.values()].map((t) => ({ ...t })),
      meetings: [...this.meetings.values()].map((m) => ({
        ...m,
        options: { ...m.options },
        ended: m.endedAt !== null,
      })),
      guests: [...this.guests.values()].map((g) => ({ ...g, permissions: [...g.permissions] })),
      recordings: [...this.recordings.values()].map((r) => {
        this.settle(r, nowMs);
        return {
          ...r,
          recPlay: this.recPlay(r),
          recCreateDateTime: r.recCreateDateTime,
        };
      }),
      invitations: this.invitations.map((i) => ({ ...i })),
      loginLinks: [...this.loginLinks.entries()].map(([token, l]) => ({ token, ...l })),
    };
  }
}
