/**
 * Link unfurling in the Slack stand-in (SlackStub): someone shares links (`stub.unfurls.share(...)` puts their
 * message in the channel and returns the `link_shared` event Slack would send, shaped like the real capture in
 * test/fixtures/slack.link_shared.json), and `chat.unfurl` attaches previews to that message, with the argument
 * checks and errors of Slack's reference (docs.slack.dev/reference/methods/chat.unfurl):
 *
 * - `channel` + `ts`, or `unfurl_id` + `source`: neither pair → `missing_channel` (or `missing_ts` when only
 *   the channel is given); a ts that is no shared message → `cannot_find_message`; an unknown `unfurl_id` →
 *   `cannot_unfurl_url`.
 * - `unfurls` missing → `missing_unfurls`; not a map of URL → object → `invalid_unfurls_format`; a URL the message
 *   does not contain → `cannot_unfurl_message`; blocks Slack would refuse → `cannot_parse_attachment` (with the
 *   Block Kit problems in `response_metadata.messages`).
 * - What depends on the workspace's settings (`cannot_unfurl_url` for a blocklisted domain, `cannot_find_service`
 *   when the app may not unfurl there, `missing_scope` without `links:write`) is injected with
 *   `stub.failNext('chat.unfurl', code)`.
 *
 * Applied previews are kept per message (`applied(channel, ts)`) or per composer unfurl_id (`appliedTo(id)`);
 * a second chat.unfurl for the same message replaces them, as Slack's reference says.
 */
import { randomBytes } from 'node:crypto';
import { messageBlocksIssues } from './block-kit.js';

interface SlackApiResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}
type Args = Record<string, unknown>;
type Unfurls = Record<string, Record<string, unknown>>;

/** The `link_shared` event (inside the Events API envelope). */
export interface LinkSharedEvent {
  type: 'link_shared';
  channel: string;
  is_bot_user_member: boolean;
  user: string;
  message_ts: string;
  unfurl_id: string;
  thread_ts?: string;
  source: 'conversations_history' | 'composer';
  links: { domain: string; url: string }[];
  event_ts: string;
}

interface Share {
  event: LinkSharedEvent;
  urls: Set<string>;
  applied: Unfurls | null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const fail = (error: string, extra: Record<string, unknown> = {}): SlackApiResponse => ({
  ok: false,
  error,
  ...extra,
});
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class StubUnfurls {
  private shares: Share[] = [];

  constructor(
    private readonly env: {
      /** Puts the user's message in the channel (as SlackStub.addMessage) and returns its ts. */
      postUserMessage: (channel: string, user: string, text: string, threadTs?: string) => string;
      nextTs: () => string;
      validateBlocks: () => boolean;
    },
  ) {}

  /**
   * `user` posts `urls` in `channel` (or types them in the composer, `source: 'composer'`: nothing is posted and
   * chat.unfurl must name the `unfurl_id`). Returns the `link_shared` event Slack sends the app.
   */
  share(input: {
    channel: string;
    user: string;
    urls: string[];
    text?: string;
    threadTs?: string;
    source?: 'conversations_history' | 'composer';
  }): LinkSharedEvent {
    const source = input.source ?? 'conversations_history';
    const text = input.text ?? input.urls.map((u) => `<${u}>`).join(' ');
    const messageTs =
      source === 'composer'
        ? `${input.user}-${randomBytes(16).toString('hex')}`
        : this.env.postUserMessage(input.channel, input.user, text, input.threadTs);
    const channel = source === 'composer' ? 'COMPOSER' : input.channel;
    const event: LinkSharedEvent = {
      type: 'link_shared',
      channel,
      is_bot_user_member: true,
      user: input.user,
      message_ts: messageTs,
      unfurl_id: `${input.channel}.${messageTs.replace('.', '')}.${randomBytes(32).toString('hex')}`,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      source,
      links: input.urls.map((url) => ({ domain: new URL(url).hostname, url })),
      event_ts: this.env.nextTs(),
    };
    this.shares.push({ event, urls: new Set(input.urls), applied: null });
    return structuredClone(event);
  }

  /** The previews chat.unfurl attached to a shared message (URL → `{ blocks }`), or undefined. */
  applied(channel: string, ts: string): Unfurls | undefined {
    const share = this.shares.find((s) => s.event.channel === channel && s.event.message_ts === ts);
    return share?.applied ? structuredClone(share.applied) : undefined;
  }

  /** The previews attached to a composer share by its unfurl_id. */
  appliedTo(unfurlId: string): Unfurls | undefined {
    const share = this.shares.find((s) => s.event.unfurl_id === unfurlId);
    return share?.applied ? structuredClone(share.applied) : undefined;
  }

  reset(): void {
    this.shares = [];
  }

  handlers(): Record<string, (args: Args) => SlackApiResponse> {
    return { 'chat.unfurl': (args) => this.unfurl(args) };
  }

  private unfurl(args: Args): SlackApiResponse {
    const channel = str(args.channel);
    const ts = str(args.ts);
    const unfurlId = str(args.unfurl_id);
    const source = str(args.source);
    let share: Share | undefined;
    if (unfurlId && source) {
      share = this.shares.find((s) => s.event.unfurl_id === unfurlId && s.event.source === source);
      if (!share) return fail('cannot_unfurl_url');
    } else {
      if (!channel) return fail('missing_channel');
      if (!ts) return fail('missing_ts');
      share = this.shares.find(
        (s) =>
          s.event.source === 'conversations_history' &&
          s.event.channel === channel &&
          s.event.message_ts === ts,
      );
      if (!share) return fail('cannot_find_message');
    }
    const unfurls = args.unfurls;
    if (unfurls === undefined || unfurls === '') return fail('missing_unfurls');
    if (!isObject(unfurls) || !Object.values(unfurls).every(isObject)) return fail('invalid_unfurls_format');
    for (const [url, preview] of Object.entries(unfurls as Unfurls)) {
      if (!share.urls.has(url)) return fail('cannot_unfurl_message');
      if (!this.env.validateBlocks() || preview.blocks === undefined) continue;
      const issues = messageBlocksIssues(preview.blocks, { actionIdScope: 'block' });
      if (issues.length > 0) {
        return fail('cannot_parse_attachment', {
          response_metadata: { messages: issues.map((i) => `[ERROR] ${i.message} [json-pointer:${i.path}]`) },
        });
      }
    }
    share.applied = structuredClone(unfurls as Unfurls);
    return { ok: true };
  }
}
