/**
 * Who a recording belongs to and what its DM shows, with a per-pass cache (many recordings share a meeting or a
 * host): the one meeting lookup the pass, "Try again" and `/meet recordings` all use.
 */
import type { Recording } from '../../megameeting/types.js';
import { downloadUrl, playbackUrl } from '../../megameeting/urls.js';
import type { MeetingRecord, Store, UserLink } from '../../store/types.js';
import { type RecordingMessageData, titleFromPackage } from '../../views/recordings.js';
import type { IdentityService } from '../identity.js';

export interface Host {
  teamId: string | null;
  slackUserId: string;
}

/** Per-pass caches: many recordings share a meeting or a host. */
export interface PassCache {
  meetings: Map<string, MeetingRecord | null>;
  links: Map<string, UserLink | null>;
  /** Slack user → DM channel (conversations.open once per host per pass). */
  dmChannels: Map<string, Promise<string>>;
}

export function newPassCache(): PassCache {
  return { meetings: new Map(), links: new Map(), dmChannels: new Map() };
}

export interface LookupDeps {
  store: Pick<Store, 'findMeetingByMeetId'>;
  identity: Pick<IdentityService, 'slackUserForLogin'>;
  megameetingUrl: string;
}

/** The meeting the app created for `meetId`, if any, read once per pass. */
async function meetingOf(deps: LookupDeps, meetId: string, cache?: PassCache): Promise<MeetingRecord | null> {
  let meeting = cache?.meetings.get(meetId);
  if (meeting === undefined) {
    meeting = await deps.store.findMeetingByMeetId(meetId);
    cache?.meetings.set(meetId, meeting);
  }
  return meeting;
}

/** The host: who created the meeting through the app, else the Slack user linked to the recording's alId. */
export async function resolveHost(
  deps: LookupDeps,
  rec: Pick<Recording, 'meetId' | 'alId'>,
  cache?: PassCache,
): Promise<Host | null> {
  const meeting = await meetingOf(deps, rec.meetId, cache);
  if (meeting) return { teamId: meeting.teamId, slackUserId: meeting.hostSlackUserId };
  let link = cache?.links.get(rec.alId);
  if (link === undefined) {
    link = await deps.identity.slackUserForLogin(null, rec.alId);
    cache?.links.set(rec.alId, link);
  }
  return link ? { teamId: link.teamId, slackUserId: link.slackUserId } : null;
}

export async function messageData(
  deps: LookupDeps,
  rec: Recording,
  cache?: PassCache,
): Promise<RecordingMessageData> {
  const meeting = await meetingOf(deps, rec.meetId, cache);
  return {
    recId: rec.recId,
    meetId: rec.meetId,
    title: meeting?.title ?? titleFromPackage(rec.recPackage, rec.meetId) ?? `Meeting ${rec.meetId}`,
    recordedAt: rec.recCreateDateTime,
    recordedAtRaw: rec.recCreateDateTimeRaw,
    downloadUrl: downloadUrl(deps.megameetingUrl, rec.recPackage),
    playUrl: playbackUrl(deps.megameetingUrl, rec.recPlay),
  };
}
