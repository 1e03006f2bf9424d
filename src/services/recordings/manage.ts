/**
 * What the host of a recording (or an admin) can do with it from Slack: delete it (deleteRecording; its DM says so
 * and the poller never announces it) and share it to a channel (a card with Play, posted by the bot). Everyone
 * else is refused before anything runs, whatever the payload says: who may act is read from the store and
 * MegaMeeting, never from the button.
 */
import { AppError } from '../../errors.js';
import type { AppLogger } from '../../logger.js';
import { MegaMeetingError } from '../../megameeting/errors.js';
import type { MegaMeetingApi, Recording } from '../../megameeting/types.js';
import { SlackCallError, type SlackGateway } from '../../slack/gateway.js';
import type { RecordingRecord, Store } from '../../store/types.js';
import { buildSharedRecordingCard, buildShareRecordingModal } from '../../views/recording-share.js';
import { buildRecordingDeletedMessage, type RecordingMessageData } from '../../views/recordings.js';
import type { ChangeFeed } from '../changes.js';
import type { Clock } from '../clock.js';
import type { IdentityService } from '../identity.js';
import { type LookupDeps, messageData, resolveHost } from './lookup.js';

/** How long the admin check before the share modal may wait on MegaMeeting (a trigger_id lives 3 seconds). */
const ADMIN_CHECK_BEFORE_MODAL_MS = 1200;

export interface ManageDeps extends LookupDeps {
  store: Pick<Store, 'getRecording' | 'findMeetingByMeetId' | 'markRecordingDeleted'>;
  identity: Pick<IdentityService, 'slackUserForLogin' | 'isAdmin'>;
  megameeting: Pick<MegaMeetingApi, 'recordings' | 'deleteRecording'>;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage' | 'openView'>;
  clock: Clock;
  logger: AppLogger;
  changes?: Pick<ChangeFeed, 'notify'>;
}

export interface Actor {
  teamId: string;
  userId: string;
}

interface Manageable {
  record: RecordingRecord | null;
  /** What MegaMeeting lists now; null when it no longer has the recording. */
  remote: Recording | null;
  /** The host's Slack user, when known. */
  hostUserId: string | null;
}

function sameTeam(teamId: string | null, actor: Actor): boolean {
  return teamId === null || teamId === actor.teamId;
}

/** Whether `actor` is the host as the store says (no MegaMeeting call): the check made before a modal opens. */
function storedHost(record: RecordingRecord | null, actor: Actor): boolean {
  return Boolean(record && record.hostSlackUserId === actor.userId && sameTeam(record.teamId, actor));
}

function notAllowed(doing: string): AppError {
  return new AppError('not_allowed', `Only the host of this recording or an admin can ${doing}.`);
}

/**
 * The recording and whether `actor` may act on it: the host (the store's, else who created the meeting through
 * the app or is linked to the recording's login) or an admin. Throws `not_allowed` / `not_found`.
 */
async function loadManageable(
  deps: ManageDeps,
  actor: Actor,
  recId: string,
  doing: string,
): Promise<Manageable> {
  const record = await deps.store.getRecording(recId);
  const mayAct = async (host: boolean) => {
    if (!host && !(await deps.identity.isAdmin(actor.teamId, actor.userId))) throw notAllowed(doing);
  };
  // The store names the host: anyone else is refused before MegaMeeting is asked anything about the recording.
  if (record?.hostSlackUserId) await mayAct(storedHost(record, actor));
  const remote = (await deps.megameeting.recordings()).find((r) => r.recId === recId) ?? null;
  if (!record && !remote) {
    throw new AppError(
      'not_found',
      "MegaMeeting doesn't have that recording (it may have been deleted already).",
    );
  }
  let hostUserId = record?.hostSlackUserId ?? null;
  if (!hostUserId) {
    const found = remote ? await resolveHost(deps, remote) : null;
    hostUserId = found?.slackUserId ?? null;
    await mayAct(Boolean(found && found.slackUserId === actor.userId && sameTeam(found.teamId, actor)));
  }
  return { record, remote, hostUserId };
}

/**
 * Opens the share modal. Before it opens (no MegaMeeting call: the trigger lives 3 seconds) someone the store names
 * as not the host is refused unless they are an admin; a recording the store does not know yet is checked when the
 * form is submitted.
 */
export async function openShareModal(
  deps: ManageDeps,
  triggerId: string,
  actor: Actor,
  recId: string,
): Promise<void> {
  const record = await deps.store.getRecording(recId);
  if (
    record &&
    !storedHost(record, actor) &&
    !(await deps.identity.isAdmin(actor.teamId, actor.userId, { maxWaitMs: ADMIN_CHECK_BEFORE_MODAL_MS }))
  ) {
    throw notAllowed('share it');
  }
  const meeting = record ? await deps.store.findMeetingByMeetId(record.meetId) : null;
  await deps.slack.openView(triggerId, buildShareRecordingModal({ recId, title: meeting?.title ?? null }));
}

export interface DeleteOutcome {
  title: string;
  /** MegaMeeting no longer had it. */
  alreadyGone: boolean;
  /** The messages turned into "deleted" (the recording DM, and the message pressed when another). */
  updated: { channel: string; ts: string }[];
}

/** What the deleted DM shows when MegaMeeting no longer lists the recording: what the store knows. */
async function storedData(
  deps: ManageDeps,
  record: RecordingRecord,
): Promise<Pick<RecordingMessageData, 'title' | 'meetId' | 'recordedAt' | 'recordedAtRaw'>> {
  const meeting = await deps.store.findMeetingByMeetId(record.meetId);
  return {
    title: meeting?.title ?? `Meeting ${record.meetId}`,
    meetId: record.meetId,
    recordedAt: null,
    recordedAtRaw: null,
  };
}

/**
 * Deletes a recording (deleteRecording), marks it deleted in the store (the poller never announces it) and turns
 * its DM, and the message the button was pressed in, into "deleted". A recording MegaMeeting no longer has is
 * marked deleted all the same. A MegaMeeting failure throws and changes nothing.
 */
export async function deleteRecording(
  deps: ManageDeps,
  actor: Actor,
  recId: string,
  pressedIn: { channel: string; ts: string } | null,
): Promise<DeleteOutcome> {
  const { store, megameeting, clock, logger } = deps;
  const { record, remote, hostUserId } = await loadManageable(deps, actor, recId, 'delete it');
  let alreadyGone = remote === null;
  if (remote) {
    try {
      await megameeting.deleteRecording({ recId, accId: remote.accId });
    } catch (err) {
      if (!(err instanceof MegaMeetingError && err.code === 'not_found')) throw err;
      alreadyGone = true;
    }
  }
  const source = (remote ?? record) as Recording | RecordingRecord;
  const stored = await store.markRecordingDeleted(
    {
      recId,
      meetId: source.meetId,
      accId: source.accId,
      alId: source.alId,
      teamId: record?.teamId ?? actor.teamId,
      hostSlackUserId: hostUserId,
    },
    clock.now(),
  );
  logger.info(
    { recId, userId: actor.userId, hostSlackUserId: hostUserId, alreadyGone },
    alreadyGone ? 'recording marked deleted (MegaMeeting no longer had it)' : 'recording deleted',
  );

  const data = remote ? await messageData(deps, remote) : await storedData(deps, stored);
  const message = buildRecordingDeletedMessage(data, {
    deletedBy: actor.userId,
    deletedAt: clock.now(),
    alreadyGone,
  });
  const targets: { channel: string; ts: string }[] = [];
  if (stored.notifiedChannel && stored.notifiedTs)
    targets.push({ channel: stored.notifiedChannel, ts: stored.notifiedTs });
  if (pressedIn && !targets.some((t) => t.channel === pressedIn.channel && t.ts === pressedIn.ts))
    targets.push(pressedIn);
  const updated: DeleteOutcome['updated'] = [];
  for (const target of targets) {
    try {
      await deps.slack.updateMessage(target.channel, target.ts, message);
      updated.push(target);
    } catch (err) {
      // The recording is gone either way; a DM that could not be updated only keeps dead buttons.
      logger.warn({ err, recId, channel: target.channel }, 'could not mark the recording DM deleted');
    }
  }
  const teamId = stored.teamId ?? actor.teamId;
  deps.changes?.notify({
    teamId,
    slackUserIds: [...new Set([actor.userId, ...(hostUserId ? [hostUserId] : [])])],
    what: 'recording_deleted',
  });
  return { title: data.title, alreadyGone, updated };
}

/** Slack's answers that mean "the bot cannot post there", in words that say what to do. */
function cannotPost(code: string, channelId: string): string | null {
  const where = `<#${channelId}>`;
  switch (code) {
    case 'not_in_channel':
      return `I'm not in ${where}, so I can't post there. Add the MegaMeeting app to it (\`/invite @MegaMeeting\` in that channel), then share again, or pick another channel.`;
    case 'channel_not_found':
      return `I can't see ${where}: it's private and the MegaMeeting app isn't in it. Add the app to it (\`/invite @MegaMeeting\`), then share again, or pick another channel.`;
    case 'is_archived':
      return `${where} is archived, so nothing can be posted there. Pick another channel.`;
    case 'restricted_action':
    case 'restricted_action_read_only_channel':
    case 'restricted_action_thread_only_channel':
    case 'restricted_action_non_threadable_channel':
      return `Slack doesn't let me post in ${where} (the channel's posting permissions). Pick another channel.`;
    default:
      return null;
  }
}

export interface ShareOutcome {
  title: string;
  channel: string;
  ts: string;
}

/**
 * Posts the recording's card (Play, and who can watch it) in `channelId`. Only once processing has finished (Play
 * needs it). A channel the bot cannot post in throws `slack_failed` with what to do.
 */
export async function shareRecording(
  deps: ManageDeps,
  actor: Actor,
  recId: string,
  channelId: string,
): Promise<ShareOutcome> {
  const { remote } = await loadManageable(deps, actor, recId, 'share it');
  if (!remote) {
    throw new AppError(
      'not_found',
      'MegaMeeting no longer has this recording, so there is nothing to share.',
    );
  }
  const data = await messageData(deps, remote);
  const { playUrl } = data;
  if (!playUrl) {
    throw new AppError(
      'invalid_input',
      "MegaMeeting hasn't finished processing this recording, so it can't be played yet. Share it once it's ready.",
    );
  }
  try {
    const posted = await deps.slack.postMessage(
      channelId,
      buildSharedRecordingCard({ ...data, playUrl }, actor.userId),
    );
    deps.logger.info(
      { recId, userId: actor.userId, channel: posted.channel },
      'recording shared to a channel',
    );
    return { title: data.title, channel: posted.channel, ts: posted.ts };
  } catch (err) {
    const reason = err instanceof SlackCallError ? cannotPost(err.code, channelId) : null;
    if (reason) throw new AppError('slack_failed', reason, { cause: err });
    throw err;
  }
}
