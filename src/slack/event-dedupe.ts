/**
 * Events API deliveries handled once per `event_id`. Slack retries an event it thinks was not received (no 2xx
 * within 3 s, a 5xx, a dropped connection) up to 3 times over about 6 minutes with the same `event_id`
 * (`X-Slack-Retry-Num` / `X-Slack-Retry-Reason`, or `retry_attempt` in Socket Mode), and a timeout retry may
 * arrive while the first delivery is still being handled. As Bolt global middleware this covers every event
 * listener, present and future; other payloads (commands, actions, views) pass straight through.
 *
 * The claim lives in the store (`slack_events`), so replicas behind one database share it. A delivery that
 * fails releases its claim so that Slack's next retry handles the event; one that crashes holds it until
 * EVENT_CLAIM_TTL_MS has passed (Slack's last retry comes about 5 minutes after the first).
 */
import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/types.js';

/** How long a delivery being handled keeps others off. */
export const EVENT_CLAIM_TTL_MS = 2 * 60_000;
/** How long a handled event is remembered: well past Slack's retries. */
export const EVENT_RECORD_TTL_MS = 60 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** The `event_id` of an Events API envelope, or null for any other payload. */
export function eventIdOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { type?: unknown; event_id?: unknown };
  return b.type === 'event_callback' && typeof b.event_id === 'string' && b.event_id.length > 0
    ? b.event_id
    : null;
}

export function eventDedupe(deps: {
  store: Store;
  clock: Clock;
  logger: AppLogger;
}): Middleware<AnyMiddlewareArgs> {
  const { store, clock, logger } = deps;
  let lastPrune = 0;
  return async ({ body, context, next }) => {
    const eventId = eventIdOf(body);
    if (!eventId) return next();
    const type = (body as { event?: { type?: string } }).event?.type;
    const log = { eventId, type, retryNum: context.retryNum, retryReason: context.retryReason };
    // One holder per delivery: a retry reaching this same process while the first runs must lose too.
    const holder = randomUUID();
    let claimed: boolean;
    try {
      claimed = await store.claimSlackEvent(eventId, holder, EVENT_CLAIM_TTL_MS, clock.now());
    } catch (err) {
      // The store is what the handlers need too: handle rather than drop the event.
      logger.warn({ ...log, err }, 'could not check whether a Slack event was handled; handling it');
      return next();
    }
    if (!claimed) {
      logger.info(log, 'Slack event already handled (or being handled); this delivery is skipped');
      return;
    }
    try {
      await next();
    } catch (err) {
      await store
        .releaseSlackEvent(eventId, holder)
        .catch((e) => logger.warn({ ...log, err: e }, 'could not release a failed Slack event'));
      throw err;
    }
    const now = clock.now();
    await store
      .completeSlackEvent(eventId, holder, EVENT_RECORD_TTL_MS, now)
      .catch((err) => logger.warn({ ...log, err }, 'could not record a handled Slack event'));
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await store
        .pruneSlackEvents(now)
        .catch((err) => logger.warn({ err }, 'could not prune handled Slack events'));
    }
  };
}
