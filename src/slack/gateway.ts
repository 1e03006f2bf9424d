import type { KnownBlock, View } from '@slack/types';
import { ErrorCode, type WebAPICallResult, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import { publishSlackApiError } from '../metrics/probes.js';
import { type Clock, systemClock } from '../services/clock.js';
import { sleep as realSleep } from '../util/async.js';

/**
 * The app's adapter for Slack's Web API: typed calls, zod-checked answers, Slack errors turned into
 * `SlackCallError` with Slack's own code (channel_not_found, not_in_channel, ratelimited, …).
 */

export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackCallError';
  }
}

export interface MessageContent {
  text: string;
  blocks?: KnownBlock[];
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
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

const postSchema = z.object({ channel: z.string(), ts: z.string() });
const openSchema = z.object({ channel: z.object({ id: z.string() }) });
const scheduleSchema = z.object({ scheduled_message_id: z.string() });
const viewSchema = z.object({ view: z.object({ id: z.string(), hash: z.string().optional() }) });
const historySchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) })
          .optional(),
      }),
    )
    .default([]),
});

/** The longest Slack-requested pause an interactive call waits through before giving up. */
const MAX_INLINE_RATE_LIMIT_WAIT_S = 5;
const USER_CACHE_MS = 5 * 60_000;

function slackErrorCode(err: unknown): { code: string; retryAfter?: number } {
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  if (e?.code === ErrorCode.RateLimitedError) return { code: 'ratelimited', retryAfter: e.retryAfter ?? 1 };
  if (e?.code === ErrorCode.PlatformError && e.data?.error) return { code: e.data.error };
  if (e?.code === ErrorCode.HTTPError) return { code: 'http_error' };
  if (e?.code === ErrorCode.RequestError) return { code: 'request_error' };
  return { code: 'unknown_error' };
}

/** A closed set for metrics: Slack's own error codes are many and may change. */
function errorKind(code: string): string {
  return ['ratelimited', 'http_error', 'request_error', 'unknown_error'].includes(code)
    ? code
    : 'platform_error';
}

export class SlackGateway {
  private readonly userCache = new Map<string, { user: SlackUser; at: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly logger: AppLogger,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly clock: Clock = systemClock,
  ) {}

  private async call(method: string, args: Record<string, unknown>): Promise<WebAPICallResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.apiCall(method, args);
      } catch (err) {
        const { code, retryAfter } = slackErrorCode(err);
        publishSlackApiError({ method, kind: errorKind(code) });
        if (code === 'ratelimited' && attempt === 0 && (retryAfter ?? 0) <= MAX_INLINE_RATE_LIMIT_WAIT_S) {
          this.logger.warn({ method, retryAfter }, 'Slack rate limit: waiting as asked, then retrying once');
          await this.sleep((retryAfter ?? 1) * 1000);
          continue;
        }
        throw new SlackCallError(method, code, retryAfter);
      }
    }
  }

  async postMessage(channel: string, content: MessageContent): Promise<{ channel: string; ts: string }> {
    const res = await this.call('chat.postMessage', { channel, ...content, unfurl_links: false });
    return postSchema.parse(res);
  }

  async updateMessage(channel: string, ts: string, content: MessageContent): Promise<void> {
    await this.call('chat.update', { channel, ts, ...content });
  }

  async postEphemeral(channel: string, user: string, content: MessageContent): Promise<void> {
    await this.call('chat.postEphemeral', { channel, user, ...content });
  }

  async openDm(user: string): Promise<string> {
    const res = await this.call('conversations.open', { users: user });
    return openSchema.parse(res).channel.id;
  }

  /** A direct message from the bot to one user. */
  async dm(user: string, content: MessageContent): Promise<{ channel: string; ts: string }> {
    const channel = await this.openDm(user);
    return this.postMessage(channel, content);
  }

  /** Tell a user privately: as an ephemeral message in the channel, else (e.g. bot not there) as a DM. */
  async tellPrivately(channel: string | null, user: string, content: MessageContent): Promise<void> {
    if (channel) {
      try {
        await this.postEphemeral(channel, user, content);
        return;
      } catch (err) {
        this.logger.debug({ err, channel }, 'ephemeral failed, falling back to a DM');
      }
    }
    await this.dm(user, content);
  }

  async scheduleMessage(channel: string, postAt: Date, content: MessageContent): Promise<string> {
    const res = await this.call('chat.scheduleMessage', {
      channel,
      post_at: Math.floor(postAt.getTime() / 1000),
      ...content,
    });
    return scheduleSchema.parse(res).scheduled_message_id;
  }

  async deleteScheduledMessage(channel: string, scheduledMessageId: string): Promise<void> {
    await this.call('chat.deleteScheduledMessage', { channel, scheduled_message_id: scheduledMessageId });
  }

  /** Recent messages of a conversation with their metadata (used to find a DM sent before a crash). */
  async history(channel: string, limit = 50) {
    const res = await this.call('conversations.history', { channel, limit, include_all_metadata: true });
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

  async pushView(triggerId: string, view: View): Promise<void> {
    await this.call('views.push', { trigger_id: triggerId, view });
  }

  /** A user's profile, cached for `maxAgeMs` (permission checks ask for a fresher copy than display does). */
  async userInfo(userId: string, maxAgeMs: number = USER_CACHE_MS): Promise<SlackUser> {
    const cached = this.userCache.get(userId);
    if (cached && this.clock.now().getTime() - cached.at < maxAgeMs) return cached.user;
    const res = userInfoSchema.parse(await this.call('users.info', { user: userId }));
    const u = res.user;
    const user: SlackUser = {
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
    this.userCache.set(userId, { user, at: this.clock.now().getTime() });
    return user;
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
