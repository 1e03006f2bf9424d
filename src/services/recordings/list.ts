/** `/meet recordings`: the user's recent recordings with their buttons (ready ones) or processing state. */
import type { MegaMeetingApi } from '../../megameeting/types.js';
import type { Store } from '../../store/types.js';
import {
  buildRecordingList,
  type RecordingListItem,
  type RecordingListStatus,
  type SlackMessage,
} from '../../views/recordings.js';
import type { IdentityService } from '../identity.js';
import { type LookupDeps, messageData, newPassCache } from './lookup.js';

const LIST_LIMIT = 20;

export interface ListDeps extends LookupDeps {
  store: Pick<Store, 'listRecordingsByHost' | 'getRecording' | 'findMeetingByMeetId'>;
  identity: Pick<IdentityService, 'resolveHost' | 'slackUserForLogin'>;
  megameeting: Pick<MegaMeetingApi, 'recordings'>;
}

/**
 * The user's recent recordings, newest first (at most `limit`), with their state; `total` counts them all. Shared by
 * `/meet recordings` and App Home.
 */
export async function recentRecordings(
  deps: ListDeps,
  teamId: string,
  userId: string,
  limit = LIST_LIMIT,
): Promise<{ items: RecordingListItem[]; total: number }> {
  const { store, identity } = deps;
  const { loginId } = await identity.resolveHost(teamId, userId);
  const mine = await store.listRecordingsByHost(teamId, userId, 200);
  const hostOf = new Set(mine.map((r) => r.recId));
  const byId = new Map(mine.map((r) => [r.recId, r]));
  const remote = (await deps.megameeting.recordings())
    .filter((r) => r.alId === loginId || hostOf.has(r.recId))
    .sort((a, b) => (b.recCreateDateTime?.getTime() ?? 0) - (a.recCreateDateTime?.getTime() ?? 0));
  const cache = newPassCache();
  const items: RecordingListItem[] = [];
  for (const rec of remote.slice(0, limit)) {
    const stored = byId.get(rec.recId) ?? (await store.getRecording(rec.recId));
    const status: RecordingListStatus =
      rec.remuxStatus === 'completed'
        ? 'ready'
        : rec.remuxStatus === 'failed'
          ? 'failed'
          : rec.remuxStatus === 'processing' || stored?.state === 'remux_requested'
            ? 'processing'
            : rec.remuxStatus === 'waiting'
              ? 'waiting'
              : 'unknown';
    items.push({
      ...(await messageData(deps, rec, cache)),
      status,
      // The button needs our record of the failure (it resets it); the poller writes it on its next tick.
      canRetry: status === 'failed' && stored?.state === 'failed' && stored.hostSlackUserId === userId,
    });
  }
  return { items, total: remote.length };
}

/** `/meet recordings`: the user's recent recordings with buttons (ready ones) or their processing state. */
export async function listRecordings(deps: ListDeps, teamId: string, userId: string): Promise<SlackMessage> {
  const { items, total } = await recentRecordings(deps, teamId, userId);
  const message = buildRecordingList(items);
  if (total > LIST_LIMIT) message.text += ` Showing the ${LIST_LIMIT} most recent.`;
  return message;
}
