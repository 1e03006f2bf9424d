import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { UnfurlService } from '../services/unfurls.js';
import type { ListenerApp } from '../slack/listener-router.js';

/**
 * `link_shared`: links to the MegaMeeting account unfurl into a meeting card (src/services/unfurls.ts). Bolt
 * acknowledges the event before this runs; the work happens after.
 */
export interface UnfurlListenersDeps {
  unfurls: Pick<UnfurlService, 'linksShared'>;
  logger: AppLogger;
}

/** The fields we use of a `link_shared` event (shape: test/fixtures/slack.link_shared.json). */
const linkSharedSchema = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  message_ts: z.string().min(1),
  unfurl_id: z.string().optional(),
  source: z.string().optional(),
  links: z.array(z.object({ url: z.string(), domain: z.string().optional() })).max(100),
});

export function register(app: ListenerApp, deps: UnfurlListenersDeps): void {
  const { unfurls, logger } = deps;
  app.event('link_shared', async ({ event, body }) => {
    const parsed = linkSharedSchema.safeParse(event);
    // The links themselves are not logged: one may carry a personal key.
    if (!parsed.success) {
      logger.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.')) },
        'unreadable link_shared event',
      );
      return;
    }
    const e = parsed.data;
    await unfurls.linksShared({
      teamId: (body as { team_id?: string }).team_id ?? '',
      channel: e.channel,
      user: e.user,
      messageTs: e.message_ts,
      ...(e.source ? { source: e.source } : {}),
      ...(e.unfurl_id ? { unfurlId: e.unfurl_id } : {}),
      urls: e.links.map((l) => l.url),
    });
  });
}
