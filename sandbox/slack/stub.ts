/**
 * SlackStub: a local stand-in for the Slack Web API (and for `response_url`s) that answers like Slack. The sandbox
 * (`npm run sandbox`) serves it; tests import it through test/support/slack-stub.ts.
 *
 * ```ts
 * const stub = await SlackStub.start();            // http://127.0.0.1:<port>/api/
 * const client = new WebClient(TEST_WORKSPACE.botToken, {
 *   slackApiUrl: stub.url,                          // the app: SLACK_API_URL=stub.url
 *   retryConfig: { retries: 0 },                    // see "Rate limits" below
 *   rejectRateLimitedCalls: true,
 * });
 * // ... drive the app ...
 * const post = await stub.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0TESTCHAN');
 * expect(stub.messagesIn('C0TESTCHAN').at(-1)?.blocks).toEqual(post.args.blocks);
 * await stub.close();
 * ```
 *
 * What it does:
 * - Parses urlencoded (what WebClient sends) and JSON bodies, plus GET query strings, and JSON-decodes the
 *   `blocks`, `view`, `metadata`, `attachments` and `unfurls` fields. Other scalars stay strings, exactly as they
 *   came over the wire (`post_at: '1700000000'`, `include_all_metadata: 'true'`).
 * - Checks the token (`Authorization: Bearer …`, or a `token` form field): none → `not_authed`, wrong →
 *   `invalid_auth`.
 * - Records every call (`calls()`, `waitForCall()`), including failed ones, with what it answered.
 * - Keeps state: messages per channel (`chat.update` edits them in place, `conversations.history` reads them),
 *   ephemeral messages, scheduled messages, opened/pushed/updated modals, Home tabs, a user registry, DMs.
 * - Validates Block Kit like Slack does (message blocks → `invalid_blocks`, views → `invalid_arguments`, with
 *   `response_metadata.messages` such as `[ERROR] must NOT have more than 24 characters
 *   [json-pointer:/view/title/text]`). Turn off with `{ validateBlocks: false }`.
 * - Fault injection: `failNext`, `rateLimitNext`, `setLatency`; custom methods with `setHandler`. For lost
 *   answers: `setLatency` / `delayNext` (the call takes effect at once, its answer comes late: a client
 *   timeout),
 *   `failHttpNext` (an HTTP error page from a proxy, with or without the call taking effect) and `goOffline`
 *   (connections refused for a while: a call that provably never reached Slack).
 * - Calls API (`calls.add`, `calls.info`, `calls.update`, `calls.end`): `stub.slackCalls`, see calls.ts.
 * - Link unfurling (`link_shared` events from `stub.unfurls.share(...)`, `chat.unfurl`): see unfurls.ts.
 * - Unknown methods answer `{ok:false, error:"unknown_method"}`.
 *
 * Users: `users.info`, `users.lookupByEmail`, `conversations.open`, `chat.postEphemeral` and posting to a user
 * ID only know users registered with {@link SlackStub.addUser}. The default test user
 * (`TEST_WORKSPACE.userId`, tz America/Chicago) and the bot user are registered at start and after `reset()`
 * unless `{ seedDefaultUsers: false }`.
 *
 * Channels: any `C…`/`G…`/`D…` ID is accepted (conversations.info describes an unregistered one as a public
 * channel the bot is in). Register a channel with {@link SlackStub.addChannel} to make it archived
 * (`is_archived`), private without the bot (`channel_not_found`) or public without the bot (`not_in_channel`).
 *
 * Rate limits: `rateLimitNext()` answers HTTP 429 with `Retry-After` and `{ok:false, error:"ratelimited"}`.
 * **WebClient's default retry policy (`tenRetriesInAboutThirtyMinutes`) retries a 429 for about half an hour and
 * pauses its whole request queue meanwhile**, so app tests must build the app's WebClient (Bolt's
 * `clientOptions`) with `retryConfig: { retries: 0 }` (WebClient then surfaces a `WebAPIRequestError`
 * "A rate limit was exceeded") or `rejectRateLimitedCalls: true` (a `WebAPIRateLimitedError` with `retryAfter`,
 * at once), or answer with `rateLimitNext(method, 1)` and wait a second.
 *
 * response_url: `stub.responseUrl()` gives an absolute URL on this server (`http://127.0.0.1:<port>/response/r1`)
 * to put in payloads; posts to it are recorded (`responses()`, `waitForResponse()`) and answered 200 `ok`. Each
 * URL accepts 5 posts like Slack's (the 6th gets 404 `used_url`); `failResponseUrl()` injects 404/500.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Block, KnownBlock, MessageAttachment, MessageMetadata, View } from '@slack/types';
import { type BlockKitIssue, homeTabIssues, messageBlocksIssues, modalIssues } from './block-kit.js';
import { StubCalls } from './calls.js';
import { authorizePage, type Grant, isAuthorizePath, type OAuthApp, SlackOAuthStandIn } from './oauth.js';
import { StubUnfurls } from './unfurls.js';
import { TEST_WORKSPACE } from './workspace.js';

// ---------------------------------------------------------------------------------------------------------------
// Types

/** A Web API response body. */
export interface SlackApiResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/**
 * Arguments of a call as received. JSON fields (`blocks`, `view`, `metadata`, `attachments`, `unfurls`) are
 * parsed; every other value is what came over the wire (form values are strings).
 */
export interface WireArgs {
  [field: string]: unknown;
  channel?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  users?: string;
  user_id?: string;
  email?: string;
  blocks?: (KnownBlock | Block)[];
  attachments?: MessageAttachment[];
  metadata?: MessageMetadata;
  view?: View;
  view_id?: string;
  external_id?: string;
  hash?: string;
  trigger_id?: string;
  post_at?: string | number;
  scheduled_message_id?: string;
  message_ts?: string;
}

/** One recorded Web API call. */
export interface StubCall {
  method: string;
  args: WireArgs;
  /** The token used (from `Authorization: Bearer`, else the `token` field); never kept in `args`. */
  token: string | undefined;
  /** `Date.now()` when the request arrived. */
  at: number;
  httpMethod: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  /** The HTTP status answered (200, 429 for injected rate limits, or `failHttpNext`'s status). */
  status: number;
  /** The body answered; under `failHttpNext`, what Slack did (the client got an HTML page instead). */
  response: SlackApiResponse;
}

/** A message in a channel as the stub keeps it (what conversations.history returns, plus `channel`). */
export interface StubMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  blocks?: (KnownBlock | Block)[];
  attachments?: MessageAttachment[];
  metadata?: MessageMetadata;
  thread_ts?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
  [field: string]: unknown;
}

export interface StubEphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: (KnownBlock | Block)[];
  attachments?: MessageAttachment[];
  thread_ts?: string;
  at: number;
}

export interface StubScheduledMessage {
  id: string;
  channel: string;
  /** Unix seconds. */
  post_at: number;
  /** Unix seconds. */
  date_created: number;
  text: string;
  blocks?: (KnownBlock | Block)[];
  attachments?: MessageAttachment[];
  metadata?: MessageMetadata;
  thread_ts?: string;
}

/** A view as Slack returns it from views.open/push/update/publish. */
export interface StubView {
  id: string;
  team_id: string;
  type: string;
  blocks: (KnownBlock | Block)[];
  private_metadata: string;
  callback_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  title?: { type: 'plain_text'; text: string; emoji?: boolean };
  close: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  submit: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  previous_view_id: string | null;
  root_view_id: string;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
  [field: string]: unknown;
}

export interface StubUserInput {
  id: string;
  /** Slack handle; default: the ID in lower case. */
  name?: string;
  real_name?: string;
  display_name?: string;
  /** IANA zone. Omit (or null) for a user without one: tz, tz_label and tz_offset are then left out. */
  tz?: string | null;
  /** Default: from `tz` via Intl at the current date, e.g. "Central Standard Time". */
  tz_label?: string;
  /** Seconds east of UTC. Default: from `tz` at the current date. */
  tz_offset?: number;
  /** Omitted from `profile` when not set (as when the token lacks users:read.email). */
  email?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  deleted?: boolean;
  team_id?: string;
  locale?: string;
}

/** The `user` object users.info returns. */
export interface StubUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  color: string;
  real_name: string;
  has_2fa: boolean;
  tz?: string;
  tz_label?: string;
  tz_offset?: number;
  profile: {
    real_name: string;
    real_name_normalized: string;
    display_name: string;
    display_name_normalized: string;
    email?: string;
    team: string;
    [field: string]: unknown;
  };
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  locale?: string;
  [field: string]: unknown;
}

export interface StubChannelInput {
  id: string;
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** Whether the bot is a member; default true. */
  is_member?: boolean;
  topic?: string;
  purpose?: string;
}

/** A post received on a response_url. */
export interface StubResponse {
  id: string;
  /** Parsed JSON body (Bolt's `respond()` sends JSON), or the raw text when it is not JSON. */
  body: ResponseUrlBody;
  raw: string;
  contentType: string;
  at: number;
  /** The HTTP status the stub answered. */
  status: number;
}

export interface ResponseUrlBody {
  text?: string;
  blocks?: (KnownBlock | Block)[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
  [field: string]: unknown;
}

export interface SlackStubOptions {
  /** The token callers must present. Default `TEST_WORKSPACE.botToken`. */
  botToken?: string;
  /**
   * The app-level token (`xapp-…`) that `apps.connections.open` accepts (Socket Mode). That method answers
   * `{ok: true, url}` with `socketModeUrl` once set; otherwise `not_allowed_token_type`.
   */
  appToken?: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Validate blocks and views like Slack (default true). */
  validateBlocks?: boolean;
  /** Register the default test user and the bot user at start and on reset (default true). */
  seedDefaultUsers?: boolean;
  /** Clock in milliseconds, for `ts`, scheduling limits and trigger expiry. Default `Date.now`. */
  now?: () => number;
  /** How many posts a response_url accepts (Slack: 5). */
  responseUrlMaxUses?: number;
  /** Answer `oauth.v2.access` for this app (see oauth.ts); without it the method is unknown. */
  oauth?: OAuthApp;
}

export type StubHandler = (
  args: WireArgs,
  call: { method: string; token: string | undefined; headers: IncomingHttpHeaders },
) => SlackApiResponse | Promise<SlackApiResponse>;

export interface FailOptions {
  /** How many matching calls fail (default 1; `Infinity` for all). */
  count?: number;
  /** Only calls whose `channel` argument is this. */
  channel?: string;
  /** Only calls this predicate accepts. */
  when?: (args: WireArgs) => boolean;
  /** Extra fields for the error body, e.g. `{ needed: 'chat:write', provided: 'commands' }`. */
  extra?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// Constants and helpers

const DEFAULT_WAIT_MS = 5000;
const JSON_FIELDS = ['blocks', 'view', 'metadata', 'attachments', 'unfurls'] as const;
const SCHEDULE_MAX_AHEAD_SECONDS = 120 * 24 * 60 * 60;
const TRIGGER_TTL_MS = 3000;
const MODAL_STACK_LIMIT = 3;

type JsonObject = { [key: string]: unknown };
function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}
function fail(error: string, extra: Record<string, unknown> = {}): SlackApiResponse {
  return { ok: false, error, ...extra };
}
function clone<T>(value: T): T {
  return structuredClone(value);
}
function errorMessages(issues: BlockKitIssue[], pointerPrefix: string): string[] {
  return issues.map((i) => `[ERROR] ${i.message} [json-pointer:${pointerPrefix}${i.path}]`);
}
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
/** Intl-derived tz_label ("Central Standard Time") and tz_offset (seconds) for `tz` at `date`. */
export function describeTimeZone(tz: string, date = new Date()): { tz_label: string; tz_offset: number } {
  const part = (style: 'long' | 'longOffset'): string =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = part('longOffset'); // "GMT-06:00", or "GMT" for UTC
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  const seconds = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_label: part('long'), tz_offset: seconds };
}

interface FailRule {
  method: string;
  error: string;
  remaining: number;
  channel?: string;
  when?: (args: WireArgs) => boolean;
  extra: Record<string, unknown>;
}
interface HttpFailRule {
  method: string;
  status: number;
  takeEffect: boolean;
  remaining: number;
}
interface RateLimitRule {
  method: string;
  retryAfter: number;
  remaining: number;
}
interface Waiter {
  check: () => boolean;
}
interface ViewRecord {
  view: StubView;
  kind: 'modal' | 'home';
  userId?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The stub

export class SlackStub {
  /** Identity reported by auth.test and stamped on messages and views. */
  readonly identity: {
    botToken: string;
    teamId: string;
    teamDomain: string;
    teamName: string;
    botUserId: string;
    botId: string;
    botName: string;
    appId: string;
  };
  private readonly server: Server;
  private readonly options: SlackStubOptions;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private origin_ = '';
  private now: () => number;

  private callLog: StubCall[] = [];
  private waiters: Waiter[] = [];
  private failRules: FailRule[] = [];
  private rateLimitRules: RateLimitRule[] = [];
  private httpFailRules: HttpFailRule[] = [];
  private delayRules: Array<{ method: string; ms: number; remaining: number }> = [];
  private offlineUntil: Promise<void> | null = null;
  private latency = new Map<string, number>();
  private customHandlers = new Map<string, StubHandler>();
  /** The WebSocket URL `apps.connections.open` hands out (Socket Mode tests run their own server). */
  socketModeUrl: string | null = null;
  /** The OAuth token endpoint, when `options.oauth` is set: issue codes with `stub.oauth.issueCode(grant)`. */
  readonly oauth: SlackOAuthStandIn | undefined;
  /**
   * Who installs through the authorize page (`GET /oauth/v2/authorize`, when `options.oauth` is set): the
   * workspace and the person. Default: this stub's workspace, its bot user and the default test user.
   */
  authorizeAs: Omit<Grant, 'scopes'>;
  /** Slack calls (calls.add/info/update/end) and their state: see calls.ts. */
  readonly slackCalls = new StubCalls({ now: () => this.now(), knowsUser: (id) => this.users.has(id) });
  /** Shared links (the `link_shared` event) and chat.unfurl's previews: see unfurls.ts. */
  readonly unfurls = new StubUnfurls({
    postUserMessage: (channel, user, text, threadTs) =>
      this.addMessage(channel, { user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }).ts,
    nextTs: () => this.nextTs(),
    validateBlocks: () => this.options.validateBlocks !== false,
  });

  private users = new Map<string, StubUser>();
  private channels = new Map<string, StubChannelInput>();
  private channelMessages = new Map<string, StubMessage[]>();
  private ephemerals: StubEphemeralMessage[] = [];
  private scheduled: StubScheduledMessage[] = [];
  private openedDms = new Set<string>();
  private mpims = new Map<string, string>();
  private viewRecords = new Map<string, ViewRecord>();
  private homeViews = new Map<string, string>();
  private usedTriggers = new Set<string>();
  private issuedTriggers = new Map<string, number>();
  private expiredTriggers = new Set<string>();
  private responseLog: StubResponse[] = [];
  private responseUses = new Map<string, number>();
  private responseFailures = new Map<string, number[]>();
  private seq = 0;
  private lastTsMicros = 0;
  private revision_ = 0;

  private constructor(options: SlackStubOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.oauth = options.oauth ? new SlackOAuthStandIn(options.oauth, () => this.now()) : undefined;
    this.identity = {
      botToken: options.botToken ?? TEST_WORKSPACE.botToken,
      teamId: options.teamId ?? TEST_WORKSPACE.teamId,
      teamDomain: options.teamDomain ?? TEST_WORKSPACE.teamDomain,
      teamName: options.teamName ?? TEST_WORKSPACE.teamName,
      botUserId: options.botUserId ?? TEST_WORKSPACE.botUserId,
      botId: options.botId ?? TEST_WORKSPACE.botId,
      botName: options.botName ?? TEST_WORKSPACE.botName,
      appId: options.appId ?? TEST_WORKSPACE.appId,
    };
    this.authorizeAs = {
      teamId: this.identity.teamId,
      teamName: this.identity.teamName,
      userId: TEST_WORKSPACE.userId,
      botUserId: this.identity.botUserId,
    };
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        // A bug in the stub: make it loud rather than answering something Slack-like.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`SlackStub internal error: ${error instanceof Error ? error.stack : String(error)}`);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.seed();
  }

  /** Starts a stub on 127.0.0.1 and a free port. */
  static async start(options: SlackStubOptions = {}): Promise<SlackStub> {
    const stub = new SlackStub(options);
    await new Promise<void>((resolve, reject) => {
      stub.server.once('error', reject);
      stub.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = stub.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    stub.origin_ = `http://${host}:${address.port}`;
    return stub;
  }

  /** Base URL of the Web API, with the trailing slash: WebClient's `slackApiUrl`, the app's `SLACK_API_URL`. */
  get url(): string {
    return `${this.origin_}/api/`;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return this.origin_;
  }

  /** Stops the server, dropping open connections and pending delayed answers. */
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /**
   * Forgets every call, message, view, scheduled message, response, fault, latency and custom handler, and
   * re-registers the default users: back to the state right after `start()`.
   */
  reset(): void {
    this.callLog = [];
    this.failRules = [];
    this.rateLimitRules = [];
    this.httpFailRules = [];
    this.delayRules = [];
    this.latency.clear();
    this.customHandlers.clear();
    this.users.clear();
    this.channels.clear();
    this.channelMessages.clear();
    this.ephemerals = [];
    this.scheduled = [];
    this.openedDms.clear();
    this.mpims.clear();
    this.viewRecords.clear();
    this.homeViews.clear();
    this.usedTriggers.clear();
    this.issuedTriggers.clear();
    this.expiredTriggers.clear();
    this.responseLog = [];
    this.responseUses.clear();
    this.responseFailures.clear();
    this.slackCalls.reset();
    this.unfurls.reset();
    this.seed();
  }

  /** Forgets recorded calls and responses only; state (messages, views, users) stays. */
  clearCalls(): void {
    this.callLog = [];
    this.responseLog = [];
  }

  /** Replaces the clock (milliseconds). */
  setNow(now: () => number): void {
    this.now = now;
  }

  // ----- recorded calls --------------------------------------------------------------------------------------

  /** Recorded calls, oldest first; only those of `method` when given. */
  calls(method?: string): StubCall[] {
    return method === undefined ? [...this.callLog] : this.callLog.filter((c) => c.method === method);
  }

  /** The most recent call of `method`. */
  lastCall(method: string): StubCall | undefined {
    return this.calls(method).at(-1);
  }

  /**
   * Resolves with the first recorded call of `method` (already recorded or still to come) that `predicate`
   * accepts. The app acks Slack first and calls the Web API afterwards, so await this instead of reading
   * `calls()` right after the HTTP request returns. Rejects after `timeoutMs` listing the calls seen.
   */
  waitForCall(
    method: string,
    predicate: (call: StubCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<StubCall> {
    return this.waitUntil(
      () => this.callLog.find((c) => c.method === method && predicate(c)),
      timeoutMs,
      () => `a ${method} call${predicate.length > 0 ? ' matching the predicate' : ''}`,
    );
  }

  /** Resolves when at least `count` calls of `method` matching `predicate` are recorded (with all of them). */
  waitForCalls(
    method: string,
    count: number,
    predicate: (call: StubCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<StubCall[]> {
    return this.waitUntil(
      () => {
        const found = this.callLog.filter((c) => c.method === method && predicate(c));
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      () => `${count} ${method} calls`,
    );
  }

  // ----- state -----------------------------------------------------------------------------------------------

  /**
   * Current messages in a channel (or in the DM with a user, given a `U…` ID), oldest first, as edited by
   * chat.update, including thread replies (which have `thread_ts`). Copies: mutating them changes nothing.
   */
  messagesIn(channelOrUser: string): StubMessage[] {
    return clone(this.channelMessages.get(this.channelKey(channelOrUser)) ?? []);
  }

  /** One message by channel (or user) and ts. */
  message(channelOrUser: string, ts: string): StubMessage | undefined {
    return this.messagesIn(channelOrUser).find((m) => m.ts === ts);
  }

  /** Resolves with the first message in `channelOrUser` that `predicate` accepts (now or later). */
  waitForMessage(
    channelOrUser: string,
    predicate: (message: StubMessage) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<StubMessage> {
    return this.waitUntil(
      () => this.messagesIn(channelOrUser).find(predicate),
      timeoutMs,
      () => `a message in ${channelOrUser}`,
    );
  }

  /** Puts a message in a channel as if someone had posted it (default: the default test user, now). */
  addMessage(channelOrUser: string, message: Partial<StubMessage> & { text: string }): StubMessage {
    const channel = this.channelKey(channelOrUser);
    const stored: StubMessage = {
      type: 'message',
      user: TEST_WORKSPACE.userId,
      team: this.identity.teamId,
      ts: this.nextTs(),
      ...message,
      channel,
    };
    this.store(stored);
    return clone(stored);
  }

  /** Ephemeral messages (chat.postEphemeral), oldest first, optionally filtered. */
  ephemeralMessages(filter: { channel?: string; user?: string } = {}): StubEphemeralMessage[] {
    return clone(
      this.ephemerals.filter(
        (e) =>
          (filter.channel === undefined || e.channel === this.channelKey(filter.channel)) &&
          (filter.user === undefined || e.user === filter.user),
      ),
    );
  }

  /** Messages scheduled and not yet deleted or delivered, by post_at. */
  scheduledMessages(channel?: string): StubScheduledMessage[] {
    const list = this.scheduled.filter(
      (s) => channel === undefined || s.channel === this.channelKey(channel),
    );
    return clone(list.sort((a, b) => a.post_at - b.post_at));
  }

  /**
   * Posts every scheduled message due at `untilSeconds` (default: now) into its channel, as Slack would at
   * post_at, and returns the posted messages.
   */
  deliverScheduledMessages(untilSeconds = Math.floor(this.now() / 1000)): StubMessage[] {
    const due = this.scheduled.filter((s) => s.post_at <= untilSeconds).sort((a, b) => a.post_at - b.post_at);
    this.scheduled = this.scheduled.filter((s) => s.post_at > untilSeconds);
    const posted = due.map((s) => {
      const message = this.botMessage(s.channel, s);
      this.store(message);
      return clone(message);
    });
    this.notify();
    return posted;
  }

  /** Modal views opened, pushed or updated, in the order they were opened, with their current content. */
  views(): StubView[] {
    return [...this.viewRecords.values()].filter((r) => r.kind === 'modal').map((r) => clone(r.view));
  }

  /** A view (modal or Home tab) by ID. */
  view(id: string): StubView | undefined {
    const record = this.viewRecords.get(id);
    return record ? clone(record.view) : undefined;
  }

  /** The most recently opened/pushed modal, optionally only among those with `callbackId`. */
  lastView(callbackId?: string): StubView | undefined {
    return this.views()
      .filter((v) => callbackId === undefined || v.callback_id === callbackId)
      .at(-1);
  }

  /** The Home tab last published for a user. */
  homeView(userId: string): StubView | undefined {
    const id = this.homeViews.get(userId);
    return id === undefined ? undefined : this.view(id);
  }

  /** Registers a user for users.info, users.lookupByEmail, conversations.open and DMs; returns the user object. */
  addUser(input: StubUserInput): StubUser {
    const name = input.name ?? input.id.toLowerCase();
    const realName = input.real_name ?? name;
    const displayName = input.display_name ?? name;
    const user: StubUser = {
      id: input.id,
      team_id: input.team_id ?? this.identity.teamId,
      name,
      deleted: input.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      has_2fa: false,
      profile: {
        avatar_hash: 'g0000000test',
        status_text: '',
        status_emoji: '',
        image_24: `https://avatars.example.com/${input.id}_24.png`,
        image_32: `https://avatars.example.com/${input.id}_32.png`,
        image_48: `https://avatars.example.com/${input.id}_48.png`,
        image_72: `https://avatars.example.com/${input.id}_72.png`,
        image_192: `https://avatars.example.com/${input.id}_192.png`,
        image_512: `https://avatars.example.com/${input.id}_512.png`,
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        team: input.team_id ?? this.identity.teamId,
      },
      is_admin: input.is_admin ?? false,
      is_owner: input.is_owner ?? false,
      is_primary_owner: input.is_primary_owner ?? false,
      is_restricted: input.is_restricted ?? false,
      is_ultra_restricted: input.is_ultra_restricted ?? false,
      is_bot: input.is_bot ?? false,
      is_app_user: input.is_app_user ?? false,
      updated: Math.floor(this.now() / 1000),
    };
    if (input.tz) {
      const described = describeTimeZone(input.tz, new Date(this.now()));
      user.tz = input.tz;
      user.tz_label = input.tz_label ?? described.tz_label;
      user.tz_offset = input.tz_offset ?? described.tz_offset;
    }
    if (input.email !== undefined) user.profile.email = input.email;
    if (input.locale !== undefined) user.locale = input.locale;
    if (user.is_bot) {
      user.profile.bot_id =
        input.id === this.identity.botUserId ? this.identity.botId : `B${input.id.slice(1)}`;
    }
    this.users.set(user.id, user);
    return clone(user);
  }

  /** The registered user object, as users.info would return it. */
  user(id: string): StubUser | undefined {
    const u = this.users.get(id);
    return u ? clone(u) : undefined;
  }

  /** Registers a channel (see the class comment for what the flags change). */
  addChannel(input: StubChannelInput): void {
    this.channels.set(input.id, { ...input });
  }

  /** The stable DM channel ID the stub uses for a user (`U123` → `D123`). */
  dmChannelFor(userId: string): string {
    return userId.startsWith('U') ? `D${userId.slice(1)}` : `D${userId}`;
  }

  /**
   * A fresh trigger_id that the stub tracks: views.open/push with it fail with `expired_trigger_id` once it is
   * older than 3 s on the stub's clock. (Trigger IDs the stub never issued are accepted while unused.)
   */
  issueTriggerId(): string {
    const id = `${1000000000000 + ++this.seq}.${10000000000 + (this.now() % 1e10)}.${randomBytes(16).toString('hex')}`;
    this.issuedTriggers.set(id, this.now());
    return id;
  }

  /** Makes views.open/push with this trigger_id fail with `expired_trigger_id`. */
  expireTrigger(triggerId: string): void {
    this.expiredTriggers.add(triggerId);
  }

  /** Grows whenever a call or a response_url post arrives: a cheap "did anything change?" for pollers. */
  get revision(): number {
    return this.revision_;
  }

  /**
   * What Slack does with a view_submission's `response_action: "update"` or `"push"` answer: replaces the
   * submitted modal, or pushes a new one above it. Returns the view, or the error Slack would report.
   */
  applyViewResponse(
    viewId: string,
    action: 'update' | 'push',
    view: unknown,
  ): { ok: true; view: StubView } | { ok: false; error: SlackApiResponse } {
    const record = this.viewRecords.get(viewId);
    if (record?.kind !== 'modal') return { ok: false, error: fail('not_found') };
    const invalid = this.viewError(view, 'modal');
    if (invalid) return { ok: false, error: invalid };
    const input = view as JsonObject;
    if (action === 'update') {
      record.view = this.makeView(input, record.view);
      this.notify();
      return { ok: true, view: clone(record.view) };
    }
    const pushed = this.makeView(input);
    pushed.previous_view_id = record.view.id;
    pushed.root_view_id = record.view.root_view_id;
    this.viewRecords.set(pushed.id, { view: pushed, kind: 'modal' });
    this.notify();
    return { ok: true, view: clone(pushed) };
  }

  // ----- fault injection -------------------------------------------------------------------------------------

  /**
   * The next `count` (default 1) calls of `method` (`'*'` for any) that match the options answer
   * `{ok:false, error}` instead of doing anything, e.g. `failNext('chat.postMessage', 'not_in_channel',
   * { channel: 'C1' })`. Rules apply in the order added.
   */
  failNext(method: string, error: string, options: FailOptions = {}): void {
    this.failRules.push({
      method,
      error,
      remaining: options.count ?? 1,
      channel: options.channel,
      when: options.when,
      extra: options.extra ?? {},
    });
  }

  /** The next `count` calls of `method` (`'*'` for any) answer HTTP 429, `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, retryAfterSeconds: number, count = 1): void {
    this.rateLimitRules.push({ method, retryAfter: retryAfterSeconds, remaining: count });
  }

  /** Delays answers to `method` (`'*'` for every method) by `ms`. The call is recorded when it arrives. */
  setLatency(method: string, ms: number): void {
    if (ms > 0) this.latency.set(method, ms);
    else this.latency.delete(method);
  }

  /**
   * The next `count` (default 1) calls of `method` (`'*'` for any) get HTTP `status` (default 502) with an HTML
   * error page, as from a proxy in front of Slack. With `takeEffect` (the default) the call is carried out
   * first, as when Slack did the work and the answer was lost on the way back; with `takeEffect: false` it is
   * not. Either way the call is recorded with that status and what Slack did (`response`).
   */
  failHttpNext(method: string, status = 502, options: { count?: number; takeEffect?: boolean } = {}): void {
    this.httpFailRules.push({
      method,
      status,
      takeEffect: options.takeEffect ?? true,
      remaining: options.count ?? 1,
    });
  }

  /**
   * Stops accepting connections for `forMs` (connections are refused: `ECONNREFUSED`), dropping the open ones,
   * then listens again on the same port. Resolves once offline; `whenOnline()` resolves once back.
   */
  async goOffline(forMs: number): Promise<void> {
    if (this.offlineUntil) throw new Error('SlackStub: already offline');
    const address = this.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    // Let clients see their kept-alive connections close, so that their next request connects (and is refused)
    // instead of being written to a dead connection (an ambiguous failure, not a refusal).
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.offlineUntil = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.server.listen(address.port, address.address, () => {
          this.offlineUntil = null;
          resolve();
        });
      }, forMs);
      this.timers.add(timer);
    });
  }

  /** Resolves when the stub accepts connections (at once unless `goOffline` is in effect). */
  async whenOnline(): Promise<void> {
    await this.offlineUntil;
  }

  /**
   * Delays the answers to the next `count` (default 1) calls of `method` by `ms`; later calls answer at once
   * (unless `setLatency` applies). Like setLatency, the call takes effect when it arrives.
   */
  delayNext(method: string, ms: number, count = 1): void {
    this.delayRules.push({ method, ms, remaining: count });
  }

  /** Answers `method` with `handler` (overrides a built-in method, or adds one, e.g. `calls.add`). */
  setHandler(method: string, handler: StubHandler): void {
    this.customHandlers.set(method, handler);
  }

  // ----- response_url receiver -------------------------------------------------------------------------------

  /** An absolute response_url on this server, e.g. `http://127.0.0.1:PORT/response/r1` (or `/response/<name>`). */
  responseUrl(name?: string): string {
    const id = name ?? `r${++this.seq}`;
    return `${this.origin_}/response/${encodeURIComponent(id)}`;
  }

  /** Posts received on response_urls, oldest first; only those of `idOrUrl` when given. */
  responses(idOrUrl?: string): StubResponse[] {
    const id = idOrUrl === undefined ? undefined : this.responseId(idOrUrl);
    return clone(this.responseLog.filter((r) => id === undefined || r.id === id));
  }

  /** Resolves with the first post to `idOrUrl` (any response_url when undefined) that `predicate` accepts. */
  waitForResponse(
    idOrUrl?: string,
    predicate: (response: StubResponse) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<StubResponse> {
    return this.waitUntil(
      () => this.responses(idOrUrl).find(predicate),
      timeoutMs,
      () => `a post to response_url ${idOrUrl ?? '(any)'}`,
    );
  }

  /** The next `count` posts to this response_url get HTTP `status` (e.g. 404, 500) instead of 200. */
  failResponseUrl(idOrUrl: string, status: number, count = 1): void {
    const id = this.responseId(idOrUrl);
    const queue = this.responseFailures.get(id) ?? [];
    for (let i = 0; i < count; i++) queue.push(status);
    this.responseFailures.set(id, queue);
  }

  // ----- HTTP ------------------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub.invalid');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      this.onResponseUrl(decodeURIComponent(url.pathname.slice('/response/'.length)), req, raw, res);
      return;
    }
    if (this.oauth && req.method === 'GET' && isAuthorizePath(url.pathname)) {
      const page = authorizePage(this.oauth, url, this.authorizeAs);
      res.writeHead(page.status, page.headers);
      res.end(page.body);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const at = Date.now();

    const parsed = this.parseArgs(raw, contentType, url.searchParams);
    const args = parsed.args;
    const authHeader = req.headers.authorization;
    let token: string | undefined;
    if (authHeader?.toLowerCase().startsWith('bearer ')) token = authHeader.slice(7).trim();
    else if (typeof args.token === 'string') token = args.token;
    delete args.token;

    let status = 200;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    let response: SlackApiResponse;
    if (parsed.error) {
      response = parsed.error;
    } else if (method === 'oauth.v2.access' && this.oauth) {
      // Client credentials instead of a token (form fields or HTTP Basic).
      response = this.oauth.access(args, req.headers.authorization);
    } else if (token === undefined || token === '') {
      response = fail('not_authed');
    } else if (method === 'apps.connections.open') {
      // Socket Mode: only the app-level token opens a connection, as on Slack.
      response =
        this.options.appToken && token === this.options.appToken
          ? this.socketModeUrl
            ? { ok: true, url: this.socketModeUrl }
            : fail('internal_error')
          : fail(token === this.identity.botToken ? 'not_allowed_token_type' : 'invalid_auth');
    } else if (token !== this.identity.botToken && !this.oauth?.isLive(token)) {
      // Tokens the OAuth endpoint issued (installs, refreshes) work like the bot token until revoked.
      response = fail('invalid_auth');
    } else {
      const httpFail = this.takeHttpFail(method);
      const rateLimit = httpFail ? undefined : this.takeRateLimit(method);
      const rule = httpFail || rateLimit ? undefined : this.takeFailRule(method, args);
      if (httpFail) {
        status = httpFail.status;
        headers['content-type'] = 'text/html';
        response = httpFail.takeEffect
          ? await this.dispatch(method, args, token, req.headers)
          : fail('not_processed');
      } else if (rateLimit) {
        status = 429;
        headers['retry-after'] = String(rateLimit.retryAfter);
        response = fail('ratelimited');
      } else if (rule) {
        response = fail(rule.error, rule.extra);
      } else {
        response = await this.dispatch(method, args, token, req.headers);
      }
    }

    this.callLog.push({
      method,
      args,
      token,
      at,
      httpMethod: req.method ?? 'POST',
      contentType,
      headers: req.headers,
      status,
      response: clone(response),
    });
    this.notify();

    const body =
      headers['content-type'] === 'text/html'
        ? `<html><body><h1>${status} Bad Gateway</h1></body></html>`
        : JSON.stringify(response);
    const delay = this.takeDelay(method) ?? this.latency.get(method) ?? this.latency.get('*') ?? 0;
    const send = (): void => {
      res.writeHead(status, headers);
      res.end(body);
    };
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, delay);
      this.timers.add(timer);
    } else send();
  }

  private parseArgs(
    raw: string,
    contentType: string,
    query: URLSearchParams,
  ): { args: WireArgs; error?: SlackApiResponse } {
    const args: WireArgs = {};
    for (const [k, v] of query) args[k] = v;
    if (raw.length > 0) {
      if (contentType === 'application/json') {
        try {
          const body: unknown = JSON.parse(raw);
          if (!isObject(body)) return { args, error: fail('json_not_object') };
          Object.assign(args, body);
        } catch {
          return { args, error: fail('invalid_json') };
        }
      } else if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
        for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
      } else {
        return { args, error: fail('invalid_form_data') };
      }
    }
    for (const field of JSON_FIELDS) {
      const value = args[field];
      if (typeof value !== 'string') continue;
      try {
        args[field] = JSON.parse(value);
      } catch {
        return {
          args,
          error:
            field === 'blocks'
              ? fail('invalid_blocks_format')
              : fail('invalid_arguments', {
                  response_metadata: { messages: [`[ERROR] invalid JSON in \`${field}\``] },
                }),
        };
      }
    }
    return { args };
  }

  private takeDelay(method: string): number | undefined {
    const rule = this.delayRules.find((r) => r.remaining > 0 && (r.method === method || r.method === '*'));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.delayRules = this.delayRules.filter((r) => r.remaining > 0);
    return rule.ms;
  }

  private takeHttpFail(method: string): HttpFailRule | undefined {
    const rule = this.httpFailRules.find((r) => r.remaining > 0 && (r.method === method || r.method === '*'));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.httpFailRules = this.httpFailRules.filter((r) => r.remaining > 0);
    return rule;
  }

  private takeRateLimit(method: string): RateLimitRule | undefined {
    const rule = this.rateLimitRules.find(
      (r) => r.remaining > 0 && (r.method === method || r.method === '*'),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rateLimitRules = this.rateLimitRules.filter((r) => r.remaining > 0);
    return rule;
  }

  private takeFailRule(method: string, args: WireArgs): FailRule | undefined {
    const rule = this.failRules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === method || r.method === '*') &&
        (r.channel === undefined || str(args.channel) === r.channel) &&
        (r.when === undefined || r.when(args)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.failRules = this.failRules.filter((r) => r.remaining > 0);
    return rule;
  }

  private async dispatch(
    method: string,
    args: WireArgs,
    token: string,
    headers: IncomingHttpHeaders,
  ): Promise<SlackApiResponse> {
    const custom = this.customHandlers.get(method);
    if (custom) return custom(args, { method, token, headers });
    const builtIn = this.handlers[method];
    if (!builtIn) return fail('unknown_method');
    return builtIn(args);
  }

  private onResponseUrl(id: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let body: ResponseUrlBody;
    try {
      const parsed: unknown = JSON.parse(raw);
      body = isObject(parsed) ? (parsed as ResponseUrlBody) : { text: raw };
    } catch {
      body = { text: raw };
    }
    let status = 200;
    let text = 'ok';
    const injected = this.responseFailures.get(id)?.shift();
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    if (injected !== undefined) {
      status = injected;
      text = injected === 404 ? 'no_service' : 'internal_error';
    } else if (uses > (this.options.responseUrlMaxUses ?? 5)) {
      status = 404;
      text = 'used_url';
    } else {
      this.responseUses.set(id, uses);
    }
    this.responseLog.push({ id, body, raw, contentType, at: Date.now(), status });
    this.notify();
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
  }

  private responseId(idOrUrl: string): string {
    const marker = '/response/';
    const at = idOrUrl.indexOf(marker);
    return at >= 0 ? decodeURIComponent(idOrUrl.slice(at + marker.length)) : idOrUrl;
  }

  // ----- waiting ---------------------------------------------------------------------------------------------

  private notify(): void {
    this.revision_++;
    this.waiters = this.waiters.filter((w) => !w.check());
  }

  private waitUntil<T>(find: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = find();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.callLog.map((c) => this.describeCall(c)).join('\n  ');
        const responses = this.responseLog.map((r) => `${r.id}: ${r.raw.slice(0, 120)}`).join('\n  ');
        reject(
          new Error(
            `SlackStub: timed out after ${timeoutMs} ms waiting for ${what()}.\n` +
              `Web API calls so far:\n  ${seen || '(none)'}\n` +
              `response_url posts so far:\n  ${responses || '(none)'}`,
          ),
        );
      }, timeoutMs);
      // A wait nobody awaits any more must not keep the test process alive.
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  private describeCall(c: StubCall): string {
    const bits = ['channel', 'user', 'users', 'user_id', 'trigger_id', 'view_id', 'ts']
      .filter((k) => c.args[k] !== undefined)
      .map((k) => `${k}=${String(c.args[k])}`);
    const outcome = c.response.ok ? 'ok' : `error=${c.response.error}`;
    return `${c.method}(${bits.join(', ')}) → ${c.status} ${outcome}`;
  }

  // ----- ids, time, storage ----------------------------------------------------------------------------------

  private seed(): void {
    if (this.options.seedDefaultUsers === false) return;
    this.addUser({
      id: TEST_WORKSPACE.userId,
      name: TEST_WORKSPACE.userName,
      real_name: TEST_WORKSPACE.userRealName,
      email: TEST_WORKSPACE.userEmail,
      tz: TEST_WORKSPACE.userTz,
    });
    this.addUser({
      id: this.identity.botUserId,
      name: this.identity.botName,
      real_name: this.identity.botName,
      is_bot: true,
    });
  }

  private nextId(prefix: string): string {
    return `${prefix}${(++this.seq).toString(36).toUpperCase().padStart(10, '0')}`;
  }

  /** Slack-style message ts ("1700000000.000100"), strictly increasing. */
  private nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  private channelKey(channelOrUser: string): string {
    if (/^[UW][A-Z0-9]+$/.test(channelOrUser)) return this.dmChannelFor(channelOrUser);
    if (channelOrUser.startsWith('#')) {
      const name = channelOrUser.slice(1);
      for (const c of this.channels.values()) if (c.name === name) return c.id;
    }
    return channelOrUser;
  }

  private store(message: StubMessage): void {
    const list = this.channelMessages.get(message.channel) ?? [];
    list.push(message);
    this.channelMessages.set(message.channel, list);
  }

  private findMessage(channel: string, ts: string): StubMessage | undefined {
    return this.channelMessages.get(channel)?.find((m) => m.ts === ts);
  }

  private publicMessage(message: StubMessage, withMetadata = true): JsonObject {
    const { channel: _channel, ...rest } = message;
    const out: JsonObject = clone(rest);
    if (!withMetadata) delete out.metadata;
    return out;
  }

  private botMessage(
    channel: string,
    content: {
      text?: string;
      blocks?: (KnownBlock | Block)[];
      attachments?: MessageAttachment[];
      metadata?: MessageMetadata;
      thread_ts?: string;
    },
  ): StubMessage {
    const message: StubMessage = {
      type: 'message',
      channel,
      ts: this.nextTs(),
      text: content.text ?? '',
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      team: this.identity.teamId,
    };
    if (content.blocks !== undefined) message.blocks = withGeneratedIds(clone(content.blocks));
    if (content.attachments !== undefined) message.attachments = clone(content.attachments);
    if (content.metadata !== undefined) message.metadata = clone(content.metadata);
    if (content.thread_ts !== undefined) message.thread_ts = content.thread_ts;
    return message;
  }

  /** Where a message for `channelArg` goes, or the error Slack would give. */
  private resolveTarget(channelArg: string | undefined): { channel: string } | { error: string } {
    if (!channelArg) return { error: 'channel_not_found' };
    if (/^[UW][A-Z0-9]+$/.test(channelArg)) {
      const user = this.users.get(channelArg);
      if (!user || user.deleted) return { error: 'channel_not_found' };
      if (user.is_bot) return { error: 'cannot_dm_bot' };
      const dm = this.dmChannelFor(channelArg);
      this.openedDms.add(dm);
      return { channel: dm };
    }
    const key = this.channelKey(channelArg);
    if (channelArg.startsWith('#') && key === channelArg) return { error: 'channel_not_found' };
    const known = this.channels.get(key);
    if (known) {
      if (known.is_member === false)
        return { error: known.is_private ? 'channel_not_found' : 'not_in_channel' };
      if (known.is_archived) return { error: 'is_archived' };
    }
    return { channel: key };
  }

  private blocksError(blocks: unknown): SlackApiResponse | undefined {
    if (this.options.validateBlocks === false || blocks === undefined) return undefined;
    if (Array.isArray(blocks) && blocks.length === 0) return undefined;
    const issues = messageBlocksIssues(blocks, { actionIdScope: 'block' });
    if (issues.length === 0) return this.slackCalls.unknownCallBlock(blocks);
    return fail('invalid_blocks', { response_metadata: { messages: errorMessages(issues, '') } });
  }

  private viewError(view: unknown, kind: 'modal' | 'home'): SlackApiResponse | undefined {
    if (!isObject(view)) {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      });
    }
    if (this.options.validateBlocks === false) return undefined;
    const issues = kind === 'modal' ? modalIssues(view, { actionIdScope: 'block' }) : homeTabIssues(view);
    if (issues.length === 0) return undefined;
    return fail('invalid_arguments', { response_metadata: { messages: errorMessages(issues, '/view') } });
  }

  private triggerError(triggerId: unknown): SlackApiResponse | undefined {
    const id = str(triggerId);
    if (!id) {
      return fail('invalid_arguments', { response_metadata: { messages: ['invalid `trigger_id`'] } });
    }
    if (this.expiredTriggers.has(id)) return fail('expired_trigger_id');
    const issuedAt = this.issuedTriggers.get(id);
    if (issuedAt !== undefined && this.now() - issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
    if (this.usedTriggers.has(id)) return fail('exchanged_trigger_id');
    return undefined;
  }

  private makeView(input: JsonObject, base?: StubView): StubView {
    const id = base?.id ?? this.nextId('V');
    const text = (v: unknown): StubView['close'] =>
      isObject(v) && typeof v.text === 'string'
        ? { type: 'plain_text', text: v.text, emoji: v.emoji !== false }
        : null;
    const view: StubView = {
      id,
      team_id: this.identity.teamId,
      type: str(input.type) ?? 'modal',
      blocks: withGeneratedIds(
        clone((Array.isArray(input.blocks) ? input.blocks : []) as (KnownBlock | Block)[]),
      ),
      private_metadata: str(input.private_metadata) ?? '',
      callback_id: str(input.callback_id) ?? '',
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      close: text(input.close),
      submit: text(input.submit),
      previous_view_id: base?.previous_view_id ?? null,
      root_view_id: base?.root_view_id ?? id,
      app_id: this.identity.appId,
      external_id: str(input.external_id) ?? base?.external_id ?? '',
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
    const title = text(input.title);
    if (title) view.title = title;
    if (input.submit_disabled !== undefined) view.submit_disabled = input.submit_disabled === true;
    return view;
  }

  private findViewByArgs(args: WireArgs): ViewRecord | undefined {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (viewId) return this.viewRecords.get(viewId);
    if (externalId) return [...this.viewRecords.values()].find((r) => r.view.external_id === externalId);
    return undefined;
  }

  private duplicateExternalId(externalId: unknown, except?: string): boolean {
    const id = str(externalId);
    if (!id) return false;
    return [...this.viewRecords.values()].some((r) => r.view.external_id === id && r.view.id !== except);
  }

  private imObject(channel: string, user: string): JsonObject {
    return {
      id: channel,
      created: Math.floor(this.now() / 1000),
      is_im: true,
      is_org_shared: false,
      user,
      is_user_deleted: this.users.get(user)?.deleted ?? false,
      priority: 0,
    };
  }

  private channelObject(id: string): JsonObject | undefined {
    if (id.startsWith('D')) {
      const user = [...this.users.keys()].find((u) => this.dmChannelFor(u) === id);
      return user && this.openedDms.has(id) ? this.imObject(id, user) : undefined;
    }
    if (!/^[CG][A-Z0-9]+$/.test(id)) return undefined;
    const known = this.channels.get(id);
    const isMpim = [...this.mpims.values()].includes(id);
    const isPrivate = known?.is_private ?? (id.startsWith('G') && !isMpim);
    const name = known?.name ?? id.toLowerCase();
    const created = 1_600_000_000;
    return {
      id,
      name,
      is_channel: !isPrivate && !isMpim,
      is_group: isPrivate,
      is_im: false,
      is_mpim: isMpim,
      is_private: isPrivate || isMpim,
      created,
      is_archived: known?.is_archived ?? false,
      is_general: name === 'general',
      unlinked: 0,
      name_normalized: name,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_pending_ext_shared: false,
      is_member: known?.is_member ?? true,
      creator: TEST_WORKSPACE.userId,
      topic: { value: known?.topic ?? '', creator: '', last_set: 0 },
      purpose: { value: known?.purpose ?? '', creator: '', last_set: 0 },
      previous_names: [],
    };
  }

  // ----- method handlers -------------------------------------------------------------------------------------

  private readonly handlers: Record<string, (args: WireArgs) => SlackApiResponse> = {
    'api.test': (args) => ({ ok: true, args }),

    'auth.test': () => ({
      ok: true,
      url: `https://${this.identity.teamDomain}.slack.com/`,
      team: this.identity.teamName,
      user: this.identity.botName,
      team_id: this.identity.teamId,
      user_id: this.identity.botUserId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const target = this.resolveTarget(str(args.channel));
      if ('error' in target) return fail(target.error);
      if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
        return fail('no_text');
      }
      const invalid = this.blocksError(args.blocks);
      if (invalid) return invalid;
      const message = this.botMessage(target.channel, {
        text: str(args.text),
        blocks: args.blocks,
        attachments: args.attachments,
        metadata: args.metadata,
        thread_ts: str(args.thread_ts),
      });
      if (message.thread_ts !== undefined && truthy(args.reply_broadcast)) message.reply_broadcast = true;
      this.store(message);
      return { ok: true, channel: target.channel, ts: message.ts, message: this.publicMessage(message) };
    },

    'chat.update': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const ts = str(args.ts);
      if (!channel) return fail('channel_not_found');
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) return fail('message_not_found');
      if (message.user !== this.identity.botUserId) return fail('cant_update_message');
      const known = this.channels.get(channel);
      if (known?.is_archived) return fail('is_archived');
      const invalid = this.blocksError(args.blocks);
      if (invalid) return invalid;
      // Fields left out keep their previous value; an empty blocks/attachments array removes them.
      if (args.text !== undefined) message.text = str(args.text) ?? '';
      if (args.blocks !== undefined) {
        if (Array.isArray(args.blocks) && args.blocks.length === 0) delete message.blocks;
        else message.blocks = withGeneratedIds(clone(args.blocks));
      }
      if (args.attachments !== undefined) {
        if (Array.isArray(args.attachments) && args.attachments.length === 0) delete message.attachments;
        else message.attachments = clone(args.attachments);
      }
      if (args.metadata !== undefined) message.metadata = clone(args.metadata);
      message.edited = { user: this.identity.botUserId, ts: this.nextTs() };
      const { ts: _ts, ...rest } = this.publicMessage(message);
      return { ok: true, channel, ts: message.ts, text: message.text, message: rest };
    },

    'chat.delete': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const ts = str(args.ts);
      const list = this.channelMessages.get(channel) ?? [];
      const index = list.findIndex((m) => m.ts === ts);
      if (index < 0) return fail('message_not_found');
      if (list[index]?.user !== this.identity.botUserId) return fail('cant_delete_message');
      list.splice(index, 1);
      return { ok: true, channel, ts };
    },

    'chat.postEphemeral': (args) => {
      const userId = str(args.user);
      if (!userId) return fail('user_not_in_channel');
      const target = this.resolveTarget(str(args.channel));
      if ('error' in target) return fail(target.error);
      const user = this.users.get(userId);
      if (!user || user.deleted || user.is_bot) return fail('user_not_in_channel');
      if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
        return fail('no_text');
      }
      const invalid = this.blocksError(args.blocks);
      if (invalid) return invalid;
      const message_ts = this.nextTs();
      const ephemeral: StubEphemeralMessage = {
        channel: target.channel,
        user: userId,
        message_ts,
        text: str(args.text) ?? '',
        at: Date.now(),
      };
      if (args.blocks !== undefined) ephemeral.blocks = clone(args.blocks);
      if (args.attachments !== undefined) ephemeral.attachments = clone(args.attachments);
      if (args.thread_ts !== undefined) ephemeral.thread_ts = str(args.thread_ts);
      this.ephemerals.push(ephemeral);
      return { ok: true, message_ts };
    },

    'chat.scheduleMessage': (args) => {
      const target = this.resolveTarget(str(args.channel));
      if ('error' in target) return fail(target.error);
      const postAt = Number(str(args.post_at));
      if (args.post_at === undefined || !Number.isFinite(postAt)) return fail('invalid_time');
      const nowSeconds = this.now() / 1000;
      if (postAt <= nowSeconds) return fail('time_in_past');
      if (postAt > nowSeconds + SCHEDULE_MAX_AHEAD_SECONDS) return fail('time_too_far');
      if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
        return fail('no_text');
      }
      const invalid = this.blocksError(args.blocks);
      if (invalid) return invalid;
      const scheduled: StubScheduledMessage = {
        id: this.nextId('Q'),
        channel: target.channel,
        post_at: Math.floor(postAt),
        date_created: Math.floor(nowSeconds),
        text: str(args.text) ?? '',
      };
      if (args.blocks !== undefined) scheduled.blocks = clone(args.blocks);
      if (args.attachments !== undefined) scheduled.attachments = clone(args.attachments);
      if (args.metadata !== undefined) scheduled.metadata = clone(args.metadata);
      if (args.thread_ts !== undefined) scheduled.thread_ts = str(args.thread_ts);
      this.scheduled.push(scheduled);
      const message: JsonObject = {
        type: 'delayed_message',
        text: scheduled.text,
        subtype: 'bot_message',
        bot_id: this.identity.botId,
        user: this.identity.botUserId,
        team: this.identity.teamId,
        username: this.identity.botName,
      };
      if (scheduled.blocks) message.blocks = clone(scheduled.blocks);
      return {
        ok: true,
        channel: target.channel,
        scheduled_message_id: scheduled.id,
        post_at: scheduled.post_at,
        message,
      };
    },

    'chat.deleteScheduledMessage': (args) => {
      const id = str(args.scheduled_message_id);
      const channel = this.channelKey(str(args.channel) ?? '');
      const index = this.scheduled.findIndex((s) => s.id === id && s.channel === channel);
      if (index < 0) return fail('invalid_scheduled_message_id');
      this.scheduled.splice(index, 1);
      return { ok: true };
    },

    'chat.scheduledMessages.list': (args) => {
      const channel = str(args.channel);
      return {
        ok: true,
        scheduled_messages: this.scheduledMessages(channel).map((s) => ({
          id: s.id,
          channel_id: s.channel,
          post_at: s.post_at,
          date_created: s.date_created,
          text: s.text,
        })),
        response_metadata: { next_cursor: '' },
      };
    },

    'chat.getPermalink': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const ts = str(args.message_ts);
      if (!channel) return fail('channel_not_found');
      if (!ts) return fail('message_not_found');
      return {
        ok: true,
        channel,
        permalink: `https://${this.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },

    'conversations.open': (args) => {
      let users: string[] = [];
      const raw = args.users;
      if (Array.isArray(raw)) users = raw.map(String);
      else if (typeof raw === 'string' && raw.trim().startsWith('[')) {
        try {
          users = (JSON.parse(raw) as unknown[]).map(String);
        } catch {
          return fail('invalid_arguments');
        }
      } else if (typeof raw === 'string') users = raw.split(',').map((u) => u.trim());
      users = users.filter((u) => u.length > 0 && u !== this.identity.botUserId);
      if (users.length === 0) {
        const channel = str(args.channel);
        if (channel) {
          const info = this.channelObject(channel);
          return info ? { ok: true, channel: { id: channel } } : fail('channel_not_found');
        }
        return fail('users_list_not_supplied');
      }
      if (users.length > 8) return fail('too_many_users');
      for (const u of users) {
        const user = this.users.get(u);
        if (!user) return fail('user_not_found');
        if (user.deleted) return fail('user_disabled');
      }
      if (users.length === 1) {
        const user = users[0] as string;
        const id = this.dmChannelFor(user);
        const already = this.openedDms.has(id);
        this.openedDms.add(id);
        const channel = truthy(args.return_im) ? this.imObject(id, user) : { id };
        return already ? { ok: true, no_op: true, already_open: true, channel } : { ok: true, channel };
      }
      const key = [...users].sort().join(',');
      let id = this.mpims.get(key);
      if (!id) {
        id = this.nextId('G');
        this.mpims.set(key, id);
      }
      return { ok: true, channel: { id } };
    },

    'conversations.info': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const info = this.channelObject(channel);
      return info ? { ok: true, channel: info } : fail('channel_not_found');
    },

    'conversations.history': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const unknownDm =
        channel.startsWith('D') && !this.channelObject(channel) && !this.channelMessages.has(channel);
      if (!channel || unknownDm) return fail('channel_not_found');
      const includeMetadata = truthy(args.include_all_metadata);
      const inclusive = truthy(args.inclusive);
      const latest = args.latest !== undefined ? Number(args.latest) : Number.POSITIVE_INFINITY;
      const oldest = args.oldest !== undefined ? Number(args.oldest) : 0;
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
      const offset = args.cursor
        ? Number(Buffer.from(String(args.cursor), 'base64').toString().split(':')[1])
        : 0;
      const all = (this.channelMessages.get(channel) ?? [])
        .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true)
        .filter((m) => {
          const t = Number(m.ts);
          return (inclusive ? t <= latest : t < latest) && (inclusive ? t >= oldest : t > oldest);
        })
        .reverse();
      const page = all.slice(offset, offset + limit);
      const hasMore = offset + limit < all.length;
      return {
        ok: true,
        messages: page.map((m) => this.publicMessage(m, includeMetadata)),
        has_more: hasMore,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: {
          next_cursor: hasMore ? Buffer.from(`next_offset:${offset + limit}`).toString('base64') : '',
        },
      };
    },

    'conversations.replies': (args) => {
      const channel = this.channelKey(str(args.channel) ?? '');
      const ts = str(args.ts);
      const list = this.channelMessages.get(channel) ?? [];
      const parent = list.find((m) => m.ts === ts);
      if (!parent) return fail('thread_not_found');
      const includeMetadata = truthy(args.include_all_metadata);
      const thread = list.filter((m) => m.ts === ts || m.thread_ts === ts);
      return {
        ok: true,
        messages: thread.map((m) => this.publicMessage(m, includeMetadata)),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },

    'users.info': (args) => {
      const user = this.users.get(str(args.user) ?? '');
      if (!user) return fail('user_not_found');
      const out = clone(user);
      if (truthy(args.include_locale)) out.locale = out.locale ?? 'en-US';
      else delete out.locale;
      return { ok: true, user: out };
    },

    'users.lookupByEmail': (args) => {
      const email = (str(args.email) ?? '').toLowerCase();
      const user = [...this.users.values()].find(
        (u) => u.profile.email?.toLowerCase() === email && email !== '',
      );
      return user ? { ok: true, user: clone(user) } : fail('users_not_found');
    },

    'users.list': () => ({
      ok: true,
      members: [...this.users.values()].map((u) => clone(u)),
      cache_ts: Math.floor(this.now() / 1000),
      response_metadata: { next_cursor: '' },
    }),

    'views.open': (args) => {
      const triggerError = this.triggerError(args.trigger_id);
      if (triggerError) return triggerError;
      const invalid = this.viewError(args.view, 'modal');
      if (invalid) return invalid;
      const input = args.view as unknown as JsonObject;
      if (this.duplicateExternalId(input.external_id)) return fail('duplicate_external_id');
      this.usedTriggers.add(String(args.trigger_id));
      const view = this.makeView(input);
      this.viewRecords.set(view.id, { view, kind: 'modal' });
      return { ok: true, view: clone(view) };
    },

    'views.push': (args) => {
      const triggerError = this.triggerError(args.trigger_id);
      if (triggerError) return triggerError;
      const invalid = this.viewError(args.view, 'modal');
      if (invalid) return invalid;
      const input = args.view as unknown as JsonObject;
      if (this.duplicateExternalId(input.external_id)) return fail('duplicate_external_id');
      const modals = [...this.viewRecords.values()].filter((r) => r.kind === 'modal');
      const top = modals.at(-1)?.view;
      if (top && modals.filter((r) => r.view.root_view_id === top.root_view_id).length >= MODAL_STACK_LIMIT) {
        return fail('push_limit_reached');
      }
      this.usedTriggers.add(String(args.trigger_id));
      const view = this.makeView(input);
      if (top) {
        view.previous_view_id = top.id;
        view.root_view_id = top.root_view_id;
      }
      this.viewRecords.set(view.id, { view, kind: 'modal' });
      return { ok: true, view: clone(view) };
    },

    'views.update': (args) => {
      if (!args.view_id && !args.external_id) {
        return fail('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] either view_id or external_id is required'] },
        });
      }
      const record = this.findViewByArgs(args);
      if (!record) return fail('not_found');
      if (args.hash !== undefined && str(args.hash) !== record.view.hash) return fail('hash_conflict');
      const invalid = this.viewError(args.view, record.kind);
      if (invalid) return invalid;
      const input = args.view as unknown as JsonObject;
      if (this.duplicateExternalId(input.external_id, record.view.id)) return fail('duplicate_external_id');
      record.view = this.makeView(input, record.view);
      return { ok: true, view: clone(record.view) };
    },

    'views.publish': (args) => {
      const userId = str(args.user_id);
      const user = userId ? this.users.get(userId) : undefined;
      if (!userId || !user || user.is_bot) {
        return fail('invalid_arguments', { response_metadata: { messages: ['invalid `user_id`'] } });
      }
      const invalid = this.viewError(args.view, 'home');
      if (invalid) return invalid;
      const existingId = this.homeViews.get(userId);
      const existing = existingId ? this.viewRecords.get(existingId) : undefined;
      if (existing && args.hash !== undefined && str(args.hash) !== existing.view.hash)
        return fail('hash_conflict');
      // Slack documents duplicate_external_id for views.publish too: an external_id another view already has.
      if (this.duplicateExternalId((args.view as unknown as JsonObject).external_id, existing?.view.id))
        return fail('duplicate_external_id');
      const view = this.makeView(args.view as unknown as JsonObject, existing?.view);
      this.viewRecords.set(view.id, { view, kind: 'home', userId });
      this.homeViews.set(userId, view.id);
      return { ok: true, view: clone(view) };
    },

    ...this.slackCalls.handlers(),
    ...this.unfurls.handlers(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Slack fills in block_id (and action_id on interactive elements) when the app leaves them out.

const NON_INTERACTIVE_ELEMENTS = new Set(['image', 'plain_text', 'mrkdwn']);

function randomId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(5);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function withGeneratedIds<T extends (KnownBlock | Block)[]>(blocks: T): T {
  for (const block of blocks as unknown[]) {
    if (!isObject(block)) continue;
    if (block.block_id === undefined) block.block_id = randomId();
    for (const key of ['element', 'accessory']) {
      const el = block[key];
      if (isObject(el) && typeof el.type === 'string' && !NON_INTERACTIVE_ELEMENTS.has(el.type)) {
        if (el.action_id === undefined) el.action_id = randomId();
      }
    }
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const el of block.elements)
        if (isObject(el) && el.action_id === undefined) el.action_id = randomId();
    }
  }
  return blocks;
}
