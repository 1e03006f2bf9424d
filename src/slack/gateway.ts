// Over 300 lines on purpose: every Slack Web API call the app makes, with one error mapping and one retry
// policy.
import type { KnownBlock, View } from '@slack/types';
import { type WebAPICallResult, WebClient, type WebClientOptions } from '@slack/web-api';
import { z } from 'zod';
import { nodeFetch } from '../http/node-fetch.js';
import type { AppLogger } from '../logger.js';
import { publishSlackApiError } from '../metrics/probes.js';
import { type Clock, systemClock } from '../services/clock.js';
import { sleep as realSleep } from '../util/async.js';
import { LruCache } from '../util/lru.js';
import { mayHaveReachedSlack, SlackCallError, toSlackCallError } from './call-errors.js';
import {
  freshMessageKey,
  IDEMPOTENCY_KEY_FIELD,
  type MessageMetadataInput,
  withIdempotencyKey,
} from './message-keys.js';

/**
 * The app's adapter for Slack's Web API: typed calls, zod-checked answers, Slack errors turned into
 * `SlackCallError` with Slack's own code (channel_not_found, not_in_channel, ratelimited, …).
 *
 * ## Never sent twice
 *
 * The WebClient under it makes no retries of its own (`createSlackWebClient`): the gateway decides per call.
 * - Reads and idempotent calls (chat.update, users.info, conversations.*, …) are tried once more after any
 *   transport failure.
 * - Sends (chat.postMessage, chat.scheduleMessage, chat.postEphemeral, views.open/push) are re-sent only when
 *   Slack provably never got them (`not_sent`: connection refused, DNS), a few times with a growing pause.
 * - After an ambiguous failure (`maybe`: a timeout, a reset, a proxy's 5xx) a send is looked up first:
 *   a message by its idempotency key in the conversation's history (every message carries one in its metadata),
 *   a scheduled message in `chat.scheduledMessages.list` (same channel, post_at and text). Found → its ts / id is
 *   used; not found → sent once more. An ephemeral message cannot be looked up: it is never re-sent.
 */

export { SlackCallError } from './call-errors.js';

export interface MessageContent {
  text: string;
  blocks?: KnownBlock[];
  metadata?: MessageMetadataInput;
}

/** What a send returns: where the message is, and whether it was found after a lost answer. */
export interface PostedMessage {
  channel: string;
  ts: string;
  /** True when the answer was lost and the message was found in the history instead. */
  found?: boolean;
}

export interface SendOptions {
  /** The message's idempotency key (see message-keys.ts); a fresh one by default. */
  idempotencyKey?: string;
  /** Post as a reply in this thread (a lost answer is then looked up among the thread's replies). */
  threadTs?: string;
}

export interface SlackGatewayOptions {
  /** Waits (429s, re-sends, the pause before a look-up); tests inject one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Pause between a send's lost answer and looking it up, for Slack to finish storing it (default 1 s). */
  lookupDelayMs?: number;
  /** Most user profiles kept (least recently used dropped first); default USER_CACHE_MAX. */
  userCacheMax?: number;
}

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  email: string | null;
  tz: string | null;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
  deleted: boolean;
}

const userInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    tz: z.string().nullish(),
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    deleted: z.boolean().optional(),
    profile: z
      .object({
        email: z.string().nullish(),
        real_name: z.string().optional(),
        display_name: z.string().optional(),
      })
      .optional(),
  }),
});

/** A user object as users.info, users.list and the `user_change` event carry it (the fields the app reads). */
export const slackUserSchema = userInfoSchema.shape.user;

const usersListSchema = z.object({
  members: z.array(userInfoSchema.shape.user).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});
/** users.list pages read at most (200 members each): 10,000 members. */
const USERS_LIST_MAX_PAGES = 50;

export function toSlackUser(u: z.infer<typeof slackUserSchema>): SlackUser {
  return {
    id: u.id,
    name: u.name ?? u.id,
    realName: u.real_name || u.profile?.real_name || u.profile?.display_name || u.name || u.id,
    email: u.profile?.email ? u.profile.email.toLowerCase() : null,
    tz: u.tz ?? null,
    isAdmin: Boolean(u.is_admin),
    isOwner: Boolean(u.is_owner || u.is_primary_owner),
    isBot: Boolean(u.is_bot),
    deleted: Boolean(u.deleted),
  };
}

const postSchema = z.object({ channel: z.string(), ts: z.string() });
const openSchema = z.object({ channel: z.object({ id: z.string() }) });
const scheduleSchema = z.object({ scheduled_message_id: z.string() });
const viewSchema = z.object({ view: z.object({ id: z.string(), hash: z.string().optional() }) });
const historySchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        user: z.string().optional(),
        bot_id: z.string().optional(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) })
          .optional(),
      }),
    )
    .default([]),
});

const scheduledListSchema = z.object({
  scheduled_messages: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        channel_id: z.string().optional(),
        post_at: z.union([z.string(), z.number()]).transform(Number),
        text: z.string().optional(),
      }),
    )
    .default([]),
});
const callAddSchema = z.object({ call: z.object({ id: z.string().min(1) }) });
const authTestSchema = z.object({ user_id: z.string().optional(), bot_id: z.string().optional() });

/** Calls with an effect that a second copy would repeat: never re-sent unless provably not sent. */
const SEND_METHODS: ReadonlySet<string> = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.scheduleMessage',
  'views.open',
  'views.push',
  // Not idempotent, and a call cannot be looked up by its external_unique_id (calls.info takes the R… id only).
  'calls.add',
]);
/** Pauses before re-sending a call that never left (connection refused): about 4 s in all. */
const NOT_SENT_RETRY_DELAYS_MS = [250, 500, 1000, 2000];
/** Pause before the one retry of a read or an idempotent call after a transport failure. */
const IDEMPOTENT_RETRY_DELAY_MS = 300;
/** How many recent messages a look-up reads. */
const LOOKUP_HISTORY_LIMIT = 50;
const DEFAULT_LOOKUP_DELAY_MS = 1000;

/**
 * `nodeFetch` (node:http with keep-alive, leaner than the global fetch: see node-fetch.ts) whose failures are
 * always Errors of this realm carrying the original as `cause`. WebClient keeps a failure's `cause` (how
 * toSlackCallError tells "connection refused" from a timeout) only when it passes `instanceof Error`, which
 * Node's own errors fail under a VM context such as jest's.
 */
export async function causeKeepingFetch(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  try {
    return await nodeFetch(input, init);
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown; cause?: unknown } | null;
    const wrapped = new Error(typeof e?.message === 'string' ? e.message : String(err), {
      cause: e?.cause ?? err,
    });
    if (typeof e?.name === 'string') wrapped.name = e.name;
    throw wrapped;
  }
}

/**
 * The app's WebClient: no retries of its own (the gateway decides, see above), 429s surfaced at once, and a
 * per-call timeout (10 s by default).
 */
export function createSlackWebClient(
  token: string,
  opts: { apiUrl?: string; timeoutMs?: number; logger?: WebClientOptions['logger'] } = {},
): WebClient {
  return new WebClient(token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    fetch: causeKeepingFetch,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
}

/** A closed set for metrics: Slack's own error codes are many and may change. */
function errorKind(code: string): string {
  return ['ratelimited', 'http_error', 'request_error', 'connect_failed', 'unknown_error'].includes(code)
    ? code
    : 'platform_error';
}

/**
 * The call's object and array arguments (blocks, views, metadata, …) as JSON text. WebClient sends every such
 * argument as its JSON text in a form field anyway (`serializeBody`), so Slack receives the same bytes; but
 * before sending, WebClient also builds `JSON.stringify(redact(args))` for a debug line whatever the log level,
 * and `redact` copies every nested object key by key. With the arguments already text that copy is skipped
 * (docs/benchmarks.md, "Fifth round"). Buffers (file uploads) stay as they are.
 */
export function withJsonArguments(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    out[key] =
      value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : value;
  }
  return out;
}

/** The longest Slack-requested pause an interactive call waits through before giving up. */
const MAX_INLINE_RATE_LIMIT_WAIT_S = 5;
const USER_CACHE_MS = 5 * 60_000;
/** Profiles kept at most (about 1 KB each). */
export const USER_CACHE_MAX = 2000;

export class SlackGateway {
  /** Bounded: a long run meets more users than it needs to remember (each entry lives USER_CACHE_MS anyway). */
  private readonly userCache: LruCache<string, { user: SlackUser; at: number }>;

  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;
  private readonly lookupDelayMs: number;
  private readonly clock: Clock;
  private botIdentity: Promise<{ userId?: string; botId?: string }> | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly logger: AppLogger,
    opts: SlackGatewayOptions = {},
  ) {
    this.sleep = opts.sleep ?? realSleep;
    this.clock = opts.clock ?? systemClock;
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.lookupDelayMs = opts.lookupDelayMs ?? DEFAULT_LOOKUP_DELAY_MS;
    this.userCache = new LruCache(opts.userCacheMax ?? USER_CACHE_MAX);
  }

  /** One Web API call under the retry policy described at the top of this file. */
  private async call(method: string, args: Record<string, unknown>): Promise<WebAPICallResult> {
    const isSend = SEND_METHODS.has(method);
    const sent = withJsonArguments(args);
    let rateLimitWaits = 0;
    let notSentRetries = 0;
    let ambiguousRetries = 0;
    for (;;) {
      try {
        return await this.client.apiCall(method, sent);
      } catch (raw) {
        const err = toSlackCallError(method, raw);
        publishSlackApiError({ method, kind: errorKind(err.code) });
        const retryAfter = err.retryAfterSeconds ?? 1;
        if (
          err.code === 'ratelimited' &&
          rateLimitWaits === 0 &&
          retryAfter <= MAX_INLINE_RATE_LIMIT_WAIT_S
        ) {
          rateLimitWaits++;
          this.logger.warn({ method, retryAfter }, 'Slack rate limit: waiting as asked, then retrying once');
          await this.sleep(retryAfter * 1000);
          continue;
        }
        const delay = NOT_SENT_RETRY_DELAYS_MS[notSentRetries];
        if (err.delivery === 'not_sent' && delay !== undefined) {
          notSentRetries++;
          this.logger.warn({ method, attempt: notSentRetries }, 'could not connect to Slack; sending again');
          await this.sleep(delay);
          continue;
        }
        if (err.delivery === 'maybe' && !isSend && ambiguousRetries === 0) {
          ambiguousRetries++;
          this.logger.info({ method, code: err.code }, 'Slack call failed in transit; retrying it once');
          await this.sleep(IDEMPOTENT_RETRY_DELAY_MS);
          continue;
        }
        throw err;
      }
    }
  }

  /** The bot's own user and bot IDs (auth.test, once), to tell its messages from others'. */
  private whoAmI(): Promise<{ userId?: string; botId?: string }> {
    if (!this.botIdentity) {
      const pending = this.call('auth.test', {}).then((res) => {
        const me = authTestSchema.parse(res);
        return { ...(me.user_id ? { userId: me.user_id } : {}), ...(me.bot_id ? { botId: me.bot_id } : {}) };
      });
      pending.catch(() => {
        if (this.botIdentity === pending) this.botIdentity = null;
      });
      this.botIdentity = pending;
    }
    return this.botIdentity;
  }

  /**
   * Posts a message exactly once: it carries an idempotency key in its metadata; when the answer is lost the
   * history is searched for that key, and the message is posted once more only when it is not there.
   */
  async postMessage(
    channel: string,
    content: MessageContent,
    opts: SendOptions = {},
  ): Promise<PostedMessage> {
    const key = opts.idempotencyKey ?? freshMessageKey();
    const args = {
      channel,
      ...content,
      metadata: withIdempotencyKey(content.metadata, key),
      unfurl_links: false,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    };
    try {
      return postSchema.parse(await this.call('chat.postMessage', args));
    } catch (err) {
      if (!mayHaveReachedSlack(err)) throw err;
      this.logger.warn(
        { method: err.method, code: err.code, channel },
        'chat.postMessage may have reached Slack; looking for it before posting again',
      );
      const found = await this.lookUpAfterLostAnswer(err, () =>
        this.findPostedMessage(channel, key, LOOKUP_HISTORY_LIMIT, opts.threadTs),
      );
      if (found) {
        this.logger.info(
          { channel, ts: found.ts },
          'found the message whose answer was lost; not posting again',
        );
        return { ...found, found: true };
      }
      this.logger.info({ channel }, 'the message did not land; posting it once more');
      return postSchema.parse(await this.call('chat.postMessage', args));
    }
  }

  /**
   * The bot's message carrying idempotency key `key` among the `limit` most recent of `conversation` (or of the
   * thread `threadTs`: the history leaves replies out), or null. Needs the history scope of that kind of
   * conversation and the bot's access to it.
   */
  async findPostedMessage(
    conversation: string,
    key: string,
    limit = LOOKUP_HISTORY_LIMIT,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string } | null> {
    const [me, messages] = await Promise.all([
      this.whoAmI(),
      threadTs ? this.replies(conversation, threadTs, limit) : this.history(conversation, limit),
    ]);
    const mine = (m: { user?: string; bot_id?: string }) =>
      (me.botId !== undefined && m.bot_id === me.botId) || (me.userId !== undefined && m.user === me.userId);
    const found = messages.find((m) => mine(m) && m.metadata?.event_payload[IDEMPOTENCY_KEY_FIELD] === key);
    return found ? { channel: conversation, ts: found.ts } : null;
  }

  async updateMessage(channel: string, ts: string, content: MessageContent): Promise<void> {
    await this.call('chat.update', { channel, ts, ...content });
  }

  /**
   * An ephemeral message. Slack keeps no record of it to look up, so after an ambiguous failure it is not sent
   * again: the SlackCallError (delivery `maybe`) says so.
   */
  async postEphemeral(channel: string, user: string, content: MessageContent): Promise<void> {
    await this.call('chat.postEphemeral', { channel, user, ...content });
  }

  async openDm(user: string): Promise<string> {
    const res = await this.call('conversations.open', { users: user });
    return openSchema.parse(res).channel.id;
  }

  /** A direct message from the bot to one user, posted exactly once (see postMessage). */
  async dm(user: string, content: MessageContent, opts: SendOptions = {}): Promise<PostedMessage> {
    const channel = await this.openDm(user);
    return this.postMessage(channel, content, opts);
  }

  /**
   * Tell a user privately: as an ephemeral message in the channel, else (e.g. bot not there) as a DM. An
   * ephemeral message that may have been shown (its answer was lost) is not repeated as a DM.
   */
  async tellPrivately(channel: string | null, user: string, content: MessageContent): Promise<void> {
    if (channel) {
      try {
        await this.postEphemeral(channel, user, content);
        return;
      } catch (err) {
        if (mayHaveReachedSlack(err)) {
          this.logger.warn(
            { method: err.method, code: err.code, channel, user },
            'an ephemeral message may have been shown (its answer was lost); not sending it again',
          );
          return;
        }
        this.logger.debug({ err, channel }, 'ephemeral failed, falling back to a DM');
      }
    }
    await this.dm(user, content);
  }

  /**
   * Schedules a message exactly once: after a lost answer, `chat.scheduledMessages.list` is searched for one in
   * the same channel with the same post_at and text, and the message is scheduled again only when none is there.
   */
  async scheduleMessage(channel: string, postAt: Date, content: MessageContent): Promise<string> {
    const postAtSeconds = Math.floor(postAt.getTime() / 1000);
    const args = { channel, post_at: postAtSeconds, ...content };
    try {
      return scheduleSchema.parse(await this.call('chat.scheduleMessage', args)).scheduled_message_id;
    } catch (err) {
      if (!mayHaveReachedSlack(err)) throw err;
      this.logger.warn(
        { method: err.method, code: err.code, channel },
        'chat.scheduleMessage may have reached Slack; looking for it before scheduling again',
      );
      const found = await this.lookUpAfterLostAnswer(err, () =>
        this.findScheduledMessage(channel, postAtSeconds, content.text),
      );
      if (found) {
        this.logger.info(
          { channel },
          'found the scheduled message whose answer was lost; not scheduling again',
        );
        return found;
      }
      this.logger.info({ channel }, 'the scheduled message did not land; scheduling it once more');
      return scheduleSchema.parse(await this.call('chat.scheduleMessage', args)).scheduled_message_id;
    }
  }

  /** The ID of a pending scheduled message of the bot in `channel` at `postAtSeconds` with this text, or null. */
  async findScheduledMessage(channel: string, postAtSeconds: number, text: string): Promise<string | null> {
    const res = await this.call('chat.scheduledMessages.list', {
      channel,
      oldest: postAtSeconds - 1,
      latest: postAtSeconds + 1,
      limit: 100,
    });
    const found = scheduledListSchema
      .parse(res)
      .scheduled_messages.find(
        (m) =>
          m.post_at === postAtSeconds &&
          m.text === text &&
          (m.channel_id === undefined || m.channel_id === channel),
      );
    return found?.id ?? null;
  }

  /**
   * Waits for Slack to finish storing what it may have received, then looks it up. A failed look-up proves
   * nothing: the send's own error is thrown (and nothing is sent again).
   */
  private async lookUpAfterLostAnswer<T>(sendError: SlackCallError, lookUp: () => Promise<T>): Promise<T> {
    await this.sleep(this.lookupDelayMs);
    try {
      return await lookUp();
    } catch (lookupErr) {
      this.logger.warn(
        { err: lookupErr, method: sendError.method },
        'could not look up a send whose answer was lost; not sending it again',
      );
      throw sendError;
    }
  }

  async deleteScheduledMessage(channel: string, scheduledMessageId: string): Promise<void> {
    await this.call('chat.deleteScheduledMessage', { channel, scheduled_message_id: scheduledMessageId });
  }

  /** Recent messages of a conversation with their metadata (used to find a DM sent before a crash). */
  async history(channel: string, limit = 50) {
    const res = await this.call('conversations.history', { channel, limit, include_all_metadata: true });
    return historySchema.parse(res).messages;
  }

  /** A thread's messages (its parent first) with their metadata. */
  async replies(channel: string, threadTs: string, limit = 50) {
    const res = await this.call('conversations.replies', {
      channel,
      ts: threadTs,
      limit,
      include_all_metadata: true,
    });
    return historySchema.parse(res).messages;
  }

  /** Opens a modal; returns its view ID and hash so that it can be updated in place later. */
  async openView(triggerId: string, view: View): Promise<{ viewId: string; hash: string | null }> {
    const res = viewSchema.parse(await this.call('views.open', { trigger_id: triggerId, view }));
    return { viewId: res.view.id, hash: res.view.hash ?? null };
  }

  async updateView(viewId: string, view: View, hash?: string): Promise<void> {
    await this.call('views.update', { view_id: viewId, view, ...(hash ? { hash } : {}) });
  }

  /** A user's Home tab. With `hash` (of the tab we last saw), Slack refuses with `hash_conflict` if it changed since. */
  async publishHome(userId: string, view: View, hash?: string): Promise<{ hash: string | null }> {
    const res = viewSchema.parse(
      await this.call('views.publish', { user_id: userId, view, ...(hash ? { hash } : {}) }),
    );
    return { hash: res.view.hash ?? null };
  }

  /** Pushes a modal onto the open one; returns its view ID (to update it in place later). */
  async pushView(triggerId: string, view: View): Promise<{ viewId: string; hash: string | null }> {
    const res = viewSchema.parse(await this.call('views.push', { trigger_id: triggerId, view }));
    return { viewId: res.view.id, hash: res.view.hash ?? null };
  }

  /**
   * chat.unfurl: previews for links in a message (`channel` + `ts`) or in the composer (`unfurlId` + `source`).
   * Repeating it replaces the previews rather than adding more, so it counts as idempotent.
   */
  async unfurl(
    target: { channel: string; ts: string } | { unfurlId: string; source: string },
    unfurls: Record<string, { blocks: KnownBlock[] }>,
  ): Promise<void> {
    const where =
      'unfurlId' in target
        ? { unfurl_id: target.unfurlId, source: target.source }
        : { channel: target.channel, ts: target.ts };
    await this.call('chat.unfurl', { ...where, unfurls });
  }

  /**
   * Registers a Slack call (calls.add) and returns its `R…` id. A send: never re-sent after an ambiguous failure
   * (Slack offers no look-up by external_unique_id), so a lost answer is a SlackCallError with delivery `maybe`.
   */
  async addCall(args: {
    externalUniqueId: string;
    joinUrl: string;
    title: string;
    createdBy: string;
    dateStart: Date;
    externalDisplayId?: string;
  }): Promise<string> {
    const res = await this.call('calls.add', {
      external_unique_id: args.externalUniqueId,
      join_url: args.joinUrl,
      title: args.title,
      created_by: args.createdBy,
      date_start: Math.floor(args.dateStart.getTime() / 1000),
      ...(args.externalDisplayId ? { external_display_id: args.externalDisplayId } : {}),
    });
    return callAddSchema.parse(res).call.id;
  }

  /** calls.update: the fields Slack lets change (title, join_url). Idempotent. */
  async updateCall(id: string, fields: { title?: string; joinUrl?: string }): Promise<void> {
    await this.call('calls.update', {
      id,
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.joinUrl !== undefined ? { join_url: fields.joinUrl } : {}),
    });
  }

  /**
   * calls.end with the duration in seconds. Idempotent: a call Slack already ended answers `inactive_call`, which
   * counts as done here.
   */
  async endCall(id: string, durationSeconds?: number): Promise<void> {
    try {
      // Slack's reference shows `{ok: true, error: "inactive_call"}` for an already-ended call: ok, so done.
      await this.call('calls.end', {
        id,
        ...(durationSeconds !== undefined ? { duration: durationSeconds } : {}),
      });
    } catch (err) {
      if (err instanceof SlackCallError && err.code === 'inactive_call') return;
      throw err;
    }
  }

  /** A user's profile, cached for `maxAgeMs` (permission checks ask for a fresher copy than display does). */
  async userInfo(userId: string, maxAgeMs: number = USER_CACHE_MS): Promise<SlackUser> {
    const cached = this.userCache.get(userId);
    if (cached && this.clock.now().getTime() - cached.at < maxAgeMs) return cached.user;
    const res = userInfoSchema.parse(await this.call('users.info', { user: userId }));
    const user = toSlackUser(res.user);
    this.userCache.set(userId, { user, at: this.clock.now().getTime() });
    return user;
  }

  /**
   * Every member of the workspace (users.list, all pages), read fresh: for finding the workspace's admins and
   * owners. Each profile also refreshes the users.info cache.
   */
  async listUsers(): Promise<SlackUser[]> {
    const users: SlackUser[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < USERS_LIST_MAX_PAGES; page++) {
      const res = usersListSchema.parse(
        await this.call('users.list', { limit: 200, ...(cursor ? { cursor } : {}) }),
      );
      for (const u of res.members) {
        const user = toSlackUser(u);
        users.push(user);
        this.userCache.set(user.id, { user, at: this.clock.now().getTime() });
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return users;
  }

  /** POST to a response_url (slash commands and actions). Not a Web API call: it goes to the absolute URL. */
  async respond(
    responseUrl: string,
    body: {
      text: string;
      blocks?: KnownBlock[];
      response_type?: 'ephemeral' | 'in_channel';
      replace_original?: boolean;
      delete_original?: boolean;
    },
  ): Promise<void> {
    const res = await this.fetchImpl(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      publishSlackApiError({
        method: 'response_url',
        kind: res.status === 429 ? 'ratelimited' : 'http_error',
      });
      throw new SlackCallError('response_url', `http_${res.status}`);
    }
  }
}
