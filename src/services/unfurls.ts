/**
 * Unfurled meeting links (`link_shared` → `chat.unfurl`): links to the account's `/meeting/?id=<meetId>` get a
 * compact card. A meeting made from Slack shows its title, host, start and state from the store; one Slack did not
 * make unfurls from MegaMeeting's `meetings` answer (title only), and one MegaMeeting does not list is left alone.
 * A personal link (`?key=`) is never unfurled (its URL would be the unfurl's key) and never logged; the person who
 * shared it is told privately (ephemeral, else by DM) that it is personal. Failures are logged (without any URL) and never thrown.
 */
import type { KnownBlock } from '@slack/types';
import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import { readMeetingLink } from '../megameeting/urls.js';
import { SlackCallError, type SlackGateway } from '../slack/gateway.js';
import type { MeetingRecord, Store } from '../store/types.js';
import {
  buildMeetingUnfurl,
  type MeetingUnfurlData,
  PERSONAL_LINK_NOTE,
  type UnfurlState,
} from '../views/unfurl.js';
import type { Clock } from './clock.js';
import { meetingJoinUrl } from './meeting-card-data.js';

/** A meeting still counts as live this long after its planned end (MegaMeeting does not end it by itself). */
const OVERRUN_GRACE_MS = 2 * 60 * 60_000;
/** Planned length assumed when a meeting has no end. */
const DEFAULT_LENGTH_MS = 60 * 60_000;

export interface SharedLinks {
  teamId: string;
  channel: string;
  user: string;
  messageTs: string;
  /** `composer` while the message is being written (Slack sends the event again once it is posted). */
  source?: string;
  unfurlId?: string;
  urls: string[];
}

export interface UnfurlDeps {
  store: Pick<Store, 'getMeeting'>;
  megameeting: Pick<MegaMeetingApi, 'meetings'>;
  slack: Pick<SlackGateway, 'unfurl' | 'tellPrivately'>;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
}

/** Upcoming before its start, ended once ended (or long past its planned end), live in between. */
export function unfurlState(record: MeetingRecord, now: Date): UnfurlState {
  if (record.status === 'ended') return 'ended';
  if (now.getTime() < record.startAt.getTime()) return 'upcoming';
  const plannedEnd = record.endAt?.getTime() ?? record.startAt.getTime() + DEFAULT_LENGTH_MS;
  return now.getTime() > plannedEnd + OVERRUN_GRACE_MS ? 'ended' : 'live';
}

export class UnfurlService {
  private readonly log: AppLogger;

  constructor(private readonly deps: UnfurlDeps) {
    this.log = deps.logger.child({ component: 'unfurls' });
  }

  async linksShared(shared: SharedLinks): Promise<void> {
    const meetingLinks = new Map<string, string>();
    let personal = 0;
    for (const url of new Set(shared.urls)) {
      const link = readMeetingLink(this.deps.megameetingUrl, url);
      if (link?.kind === 'personal') personal++;
      else if (link?.kind === 'meeting') meetingLinks.set(url, link.meetId);
    }
    const composer = shared.source === 'composer';
    const context = { teamId: shared.teamId, channel: shared.channel, user: shared.user };
    await Promise.all([
      meetingLinks.size > 0 ? this.unfurl(shared, meetingLinks) : undefined,
      // In the composer nothing is posted yet: the note goes out once the message is (Slack tells us again).
      personal > 0 && !composer ? this.notePersonal(shared) : undefined,
    ]);
    if (personal > 0)
      this.log.info({ ...context, personal, composer }, 'personal meeting link shared; not unfurled');
  }

  private async unfurl(shared: SharedLinks, links: Map<string, string>): Promise<void> {
    const cards = await this.cardsFor(shared.teamId, [...new Set(links.values())]);
    const unfurls: Record<string, { blocks: KnownBlock[] }> = {};
    for (const [url, meetId] of links) {
      const card = cards.get(meetId);
      if (card) unfurls[url] = { blocks: buildMeetingUnfurl(card) };
    }
    const meetIds = [...cards.keys()];
    const log = { teamId: shared.teamId, channel: shared.channel, meetIds };
    if (meetIds.length === 0) {
      this.log.info(
        { ...log, links: links.size },
        'shared meeting links name no meeting MegaMeeting lists; not unfurled',
      );
      return;
    }
    const target =
      shared.source === 'composer' && shared.unfurlId
        ? { unfurlId: shared.unfurlId, source: shared.source }
        : { channel: shared.channel, ts: shared.messageTs };
    try {
      await this.deps.slack.unfurl(target, unfurls);
      this.log.info(log, 'unfurled shared meeting links');
    } catch (err) {
      const code = err instanceof SlackCallError ? err.code : undefined;
      this.log.warn({ ...log, code, err }, 'Slack refused to unfurl the shared meeting links');
    }
  }

  /** What each meeting's card shows: the store first, then one `meetings` answer for the rest. */
  private async cardsFor(teamId: string, meetIds: string[]): Promise<Map<string, MeetingUnfurlData>> {
    const now = this.deps.clock.now();
    const cards = new Map<string, MeetingUnfurlData>();
    const unknown: string[] = [];
    for (const meetId of meetIds) {
      const record = await this.deps.store.getMeeting(teamId, meetId);
      if (record) cards.set(meetId, this.fromRecord(record, now));
      else unknown.push(meetId);
    }
    if (unknown.length === 0) return cards;
    try {
      const listed = new Map((await this.deps.megameeting.meetings()).map((m) => [m.meetId, m.name]));
      for (const meetId of unknown) {
        const name = listed.get(meetId);
        if (name === undefined) continue;
        cards.set(meetId, {
          meetId,
          title: name || `Meeting ${meetId}`,
          hostSlackUserId: null,
          start: null,
          state: 'open',
          joinUrl: meetingJoinUrl(this.deps.megameetingUrl, { meetId, kind: 'scheduled' }),
        });
      }
    } catch (err) {
      this.log.warn(
        { err, teamId, meetIds: unknown },
        'could not ask MegaMeeting about shared meeting links',
      );
    }
    return cards;
  }

  private fromRecord(record: MeetingRecord, now: Date): MeetingUnfurlData {
    const state = unfurlState(record, now);
    const joinUrl = meetingJoinUrl(this.deps.megameetingUrl, record);
    return {
      meetId: record.meetId,
      title: record.title,
      hostSlackUserId: record.hostSlackUserId,
      start: record.startAt,
      state,
      joinUrl: state === 'ended' ? null : joinUrl,
      personalLinksOnly: joinUrl === null,
    };
  }

  private async notePersonal(shared: SharedLinks): Promise<void> {
    try {
      // Ephemeral in the channel; where the bot may not post (not a member), a DM instead.
      await this.deps.slack.tellPrivately(shared.channel, shared.user, { text: PERSONAL_LINK_NOTE });
    } catch (err) {
      const code = err instanceof SlackCallError ? err.code : undefined;
      this.log.warn(
        { teamId: shared.teamId, channel: shared.channel, user: shared.user, code },
        'could not tell the poster that their meeting link is personal',
      );
    }
  }
}
