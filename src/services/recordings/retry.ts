/** "Try again" on a failed recording DM: the host requests processing again, exactly once per press race. */
import { AppError } from '../../errors.js';
import type { AppLogger } from '../../logger.js';
import type { MegaMeetingApi, Recording } from '../../megameeting/types.js';
import type { Store } from '../../store/types.js';
import { buildRecordingRetryingMessage, type SlackMessage } from '../../views/recordings.js';
import type { Clock } from '../clock.js';
import { type LookupDeps, messageData } from './lookup.js';

export interface RetryDeps extends LookupDeps {
  store: Pick<Store, 'getRecording' | 'claimRemuxRequest' | 'releaseRemuxRequest' | 'findMeetingByMeetId'>;
  megameeting: Pick<MegaMeetingApi, 'recordings' | 'startRemux'>;
  clock: Clock;
  logger: AppLogger;
}

/**
 * Requests processing again (the failed DM's button). Only the host may; the recording must have failed.
 * Returns the message that replaces the failed DM.
 */
export async function retryRemux(
  deps: RetryDeps,
  teamId: string,
  userId: string,
  recId: string,
): Promise<SlackMessage> {
  const { store, clock, megameeting, logger } = deps;
  const record = await store.getRecording(recId);
  if (!record) throw new AppError('not_found', "I don't know that recording.");
  if (record.hostSlackUserId !== userId || (record.teamId !== null && record.teamId !== teamId)) {
    throw new AppError('not_allowed', 'Only the host of this recording can request its processing again.');
  }
  const already = new AppError(
    'invalid_input',
    "Processing of this recording was already requested again. I'll DM you when it's ready.",
  );
  if (record.state === 'remux_requested') throw already;
  if (record.state !== 'failed') {
    throw new AppError(
      'invalid_input',
      'This recording is not in a failed state, so there is nothing to try again.',
    );
  }
  // Claim before asking: of two presses (a double click, two replicas) exactly one sends startRemux.
  const seen = { state: record.state, attempts: record.attempts };
  if (!(await store.claimRemuxRequest(recId, seen, clock.now()))) throw already;
  let remote: Recording | undefined;
  try {
    remote = (await megameeting.recordings()).find((r) => r.recId === recId);
    if (!remote) throw new AppError('not_found', 'MegaMeeting no longer has this recording.');
    await megameeting.startRemux({
      accountId: remote.accId,
      loginId: remote.alId,
      meetId: remote.meetId,
      recordingId: recId,
    });
  } catch (err) {
    // Give the claim back so that the host can press again.
    const code = (err as { code?: string }).code ?? 'error';
    await store
      .releaseRemuxRequest(
        recId,
        record.attempts + 1,
        { state: 'failed', lastError: `remux_${code}`, nextAttemptAt: null },
        clock.now(),
      )
      .catch((e) => logger.error({ err: e, recId }, 'could not give back the processing claim'));
    throw err;
  }
  logger.info({ recId, userId }, 'processing requested again by the host');
  return buildRecordingRetryingMessage(await messageData(deps, remote));
}
