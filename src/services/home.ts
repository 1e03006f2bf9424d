/**
 * App Home: gathers what a user's Home tab shows (their login, live and upcoming meetings, recent recordings, and
 * for admins the MegaMeeting connection), publishes it with `views.publish`, and publishes it again when
 * something on it changes (the ChangeFeed: a meeting created, edited or ended, a recording ready). Republishing
 * is debounced per user and coalesced (a burst of changes makes one publish), runs after the request that caused
 * it was acknowledged, and logs its failures instead of throwing them. Publishes for one user run one at a time.
 * Also the Home buttons' work: the "Start a meeting now" modal and its submission, the scheduling modal.
 */

import type { ModalView } from '@slack/types';
import { AppError, isAppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import { SlackCallError, type SlackGateway } from '../slack/gateway.js';
import type { Store } from '../store/types.js';
import { LruCache } from '../util/lru.js';
import {
  buildHomeView,
  type HomeAccount,
  type HomeConnection,
  type HomeData,
  type HomeMeeting,
} from '../views/home.js';
import type { RecordingListItem } from '../views/recordings.js';
import { buildStartNowModal, readStartNowDraft } from '../views/start-now.js';
import type { AppLoginService } from './app-login.js';
import type { ChangeFeed } from './changes.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import type { MeetingListService } from './meeting-list.js';
import type { MeetingsService } from './meetings.js';
import type { RecordingsService } from './recordings/index.js';
import type { SchedulingService } from './scheduling.js';
import { userMessageFor } from './user-messages.js';

/** Changes are republished for users who opened Home within this window (a tab left open for a day). */
export const HOME_VIEWER_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A burst of changes within this window makes one publish. */
export const DEFAULT_HOME_DEBOUNCE_MS = 750;
/** Recordings read for Home (the block limit trims further). */
const HOME_RECORDINGS = 20;
/** How long the admin check may wait on MegaMeeting before Home is published without the admin section. */
const ADMIN_CHECK_MS = 2000;

export interface HomeDeps {
  identity: Pick<IdentityService, 'resolveHost' | 'isAdmin' | 'logins' | 'findLogin'>;
  meetingList: Pick<MeetingListService, 'listWithStatus'>;
  recordings: Pick<RecordingsService, 'recent'>;
  meetings: Pick<MeetingsService, 'create'>;
  scheduling: Pick<SchedulingService, 'openModal' | 'replaceWithModal' | 'scheduleModal'>;
  /** Whose API token the app uses (compared with admin logins' tokens, never shown). */
  appLogin: Pick<AppLoginService, 'loginId'>;
  slack: Pick<SlackGateway, 'publishHome' | 'openView'>;
  changes: ChangeFeed;
  /** Who opened Home lately (shared by replicas): only they are republished on a change. */
  store: Pick<Store, 'markHomeOpened' | 'homeViewersSince'>;
  logger: AppLogger;
  clock: Clock;
  /** The app's MegaMeeting connection (single-workspace mode: from the environment). */
  connection: { accountUrl: string };
  debounceMs?: number;
}

export class HomeService {
  private readonly log: AppLogger;
  private readonly debounceMs: number;
  /** Per user: the publish running or queued (one at a time per user). */
  private readonly chains = new Map<string, Promise<void>>();
  /** Users with a publish queued but not started: another request for them joins it. */
  private readonly queued = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The hash of the Home tab we last published per user (views.publish's guard against overwriting a newer one). */
  private readonly hashes = new LruCache<string, string>(5000);
  /** Users this process saw open Home, with when: spares the store read for them. */
  private readonly openedAt = new LruCache<string, number>(5000);
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: HomeDeps) {
    this.log = deps.logger.child({ component: 'home' });
    this.debounceMs = deps.debounceMs ?? DEFAULT_HOME_DEBOUNCE_MS;
    this.unsubscribe = deps.changes.subscribe((change) =>
      this.refreshSoon(change.teamId, change.slackUserIds),
    );
  }

  /** `app_home_opened`: publish now. `seenHash` is the hash of the tab the user has (from the event). */
  opened(teamId: string, userId: string, seenHash?: string): Promise<void> {
    return this.enqueue(teamId, userId, async () => {
      await this.rememberViewer(teamId, userId);
      await this.publish(teamId, userId, seenHash);
    });
  }

  /** Something on these users' Home tabs changed: publish again shortly (debounced, never throws). */
  refreshSoon(teamId: string, userIds: string[]): void {
    if (this.stopped) return;
    for (const userId of new Set(userIds)) {
      const key = `${teamId}:${userId}`;
      if (this.timers.has(key)) continue;
      const timer = setTimeout(() => {
        this.timers.delete(key);
        void this.enqueue(teamId, userId, async () => {
          if (await this.isViewer(teamId, userId)) await this.publish(teamId, userId);
        });
      }, this.debounceMs);
      timer.unref?.();
      this.timers.set(key, timer);
    }
  }

  /**
   * Home is published afresh on every app_home_opened, so a change only needs republishing for someone who may
   * be looking at the tab now: who opened it within HOME_VIEWER_WINDOW_MS. Everyone else's next open shows it.
   */
  private async isViewer(teamId: string, userId: string): Promise<boolean> {
    const since = this.deps.clock.now().getTime() - HOME_VIEWER_WINDOW_MS;
    const seen = this.openedAt.get(`${teamId}:${userId}`);
    if (seen !== undefined && seen >= since) return true;
    // Another replica may have served the open.
    const viewers = await this.deps.store.homeViewersSince(teamId, [userId], new Date(since));
    return viewers.includes(userId);
  }

  private async rememberViewer(teamId: string, userId: string): Promise<void> {
    const now = this.deps.clock.now();
    this.openedAt.set(`${teamId}:${userId}`, now.getTime());
    try {
      await this.deps.store.markHomeOpened(teamId, userId, now);
    } catch (err) {
      // Only other replicas' republishing depends on it: publish anyway.
      this.log.warn({ err, teamId, userId }, 'could not record that Home was opened');
    }
  }

  /** Resolves once no publish is waiting or running (tests, and anything that must see Home settled). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.chains.size > 0) {
      await Promise.allSettled([...this.chains.values()]);
      if (this.timers.size > 0) await new Promise((r) => setTimeout(r, this.debounceMs));
    }
  }

  /** No new publishes; waits for those running. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Publishes for one user run in order; one queued behind a running one absorbs later requests. */
  private enqueue(teamId: string, userId: string, work: () => Promise<void>): Promise<void> {
    const key = `${teamId}:${userId}`;
    const current = this.chains.get(key);
    if (current && this.queued.has(key)) return current;
    this.queued.add(key);
    const next = (current ?? Promise.resolve())
      .then(() => {
        this.queued.delete(key);
        return work();
      })
      .catch((err: unknown) => {
        this.log.warn({ err, teamId, userId }, 'could not publish the Home tab');
      });
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /**
   * Publish fresh data. With a hash (the tab we or the event last saw) Slack refuses if the tab changed meanwhile
   * (another replica published): then the data is read again and published over it, so the newest data wins.
   */
  private async publish(teamId: string, userId: string, seenHash?: string): Promise<void> {
    const key = `${teamId}:${userId}`;
    let hash = seenHash ?? this.hashes.get(key);
    for (;;) {
      const view = buildHomeView(await this.gather(teamId, userId));
      try {
        const res = await this.deps.slack.publishHome(userId, view, hash);
        if (res.hash) this.hashes.set(key, res.hash);
        this.log.debug({ teamId, userId, blocks: view.blocks.length }, 'published the Home tab');
        return;
      } catch (err) {
        // Without a hash Slack cannot answer hash_conflict: at most one retry.
        if (hash === undefined || !(err instanceof SlackCallError && err.code === 'hash_conflict')) throw err;
        this.log.info({ teamId, userId }, 'the Home tab changed meanwhile; publishing fresh data over it');
        this.hashes.delete(key);
        hash = undefined;
      }
    }
  }

  /** What the user's Home tab shows. Each part that cannot be read says so on the page; nothing here throws. */
  async gather(teamId: string, userId: string): Promise<HomeData> {
    const [account, connection] = await Promise.all([
      this.account(teamId, userId),
      this.connectionFor(teamId, userId),
    ]);
    const data: HomeData = { userId, account, meetings: null, recordings: null, connection };
    if (account.kind !== 'mapped') return data;
    const [meetings, recordings] = await Promise.all([
      this.meetingsOf(teamId, userId),
      this.recordingsOf(teamId, userId),
    ]);
    return { ...data, ...meetings, ...recordings };
  }

  private async account(teamId: string, userId: string): Promise<HomeAccount> {
    try {
      const host = await this.deps.identity.resolveHost(teamId, userId);
      const login = await this.deps.identity.findLogin(host.loginId).catch(() => null);
      return {
        kind: 'mapped',
        loginId: host.loginId,
        email: login?.email ?? host.link.email,
        fullName: login?.fullName ?? null,
        source: host.link.source === 'admin' ? 'admin' : 'email_match',
        linkedBy: host.link.linkedBy,
      };
    } catch (err) {
      if (isAppError(err) && err.code === 'unmapped_user')
        return { kind: 'unmapped', message: err.userMessage };
      this.log.warn({ err, teamId, userId }, 'Home: could not look up the MegaMeeting login');
      return { kind: 'unknown', message: userMessageFor(err, 'look up your MegaMeeting login') };
    }
  }

  private async meetingsOf(
    teamId: string,
    userId: string,
  ): Promise<{ meetings: HomeMeeting[] | null; meetingsStale?: boolean }> {
    try {
      const { items, stale } = await this.deps.meetingList.listWithStatus(teamId, userId);
      // The list holds the meetings this user hosts: they may end, edit and manage guests of each.
      const meetings = items.map((m) => ({
        meetId: m.meetId,
        title: m.title,
        kind: m.kind,
        status: m.status,
        start: m.start,
        joinUrl: m.joinUrl,
        canEnd: m.status !== 'ended',
        canEdit: m.status === 'scheduled' && m.kind !== 'instant',
        canManageGuests: m.status !== 'ended' && (m.kind === 'secure' || m.kind === 'webinar'),
      }));
      return { meetings, meetingsStale: stale };
    } catch (err) {
      this.log.warn({ err, teamId, userId }, 'Home: could not read the meetings');
      return { meetings: null };
    }
  }

  private async recordingsOf(
    teamId: string,
    userId: string,
  ): Promise<{ recordings: RecordingListItem[] | null; recordingsTotal?: number }> {
    try {
      const { items, total } = await this.deps.recordings.recent(teamId, userId, HOME_RECORDINGS);
      return { recordings: items, recordingsTotal: total };
    } catch (err) {
      this.log.warn({ err, teamId, userId }, 'Home: could not read the recordings');
      return { recordings: null };
    }
  }

  /** The connection status for admins (Slack workspace admins, MegaMeeting admins); null for anyone else. */
  private async connectionFor(teamId: string, userId: string): Promise<HomeConnection | null> {
    let admin = false;
    try {
      admin = await this.deps.identity.isAdmin(teamId, userId, { maxWaitMs: ADMIN_CHECK_MS });
    } catch (err) {
      this.log.info({ err, teamId, userId }, 'Home: admin check failed; no connection section');
    }
    return admin ? this.connection() : null;
  }

  /** The account URL, whether MegaMeeting answers, and which login's API token the app uses. */
  async connection(): Promise<HomeConnection> {
    const base = { accountUrl: this.deps.connection.accountUrl, source: 'environment' as const };
    try {
      // Connected only when both answer: `logins` may come from the identity cache, the token check asks now.
      const [logins, ownId] = await Promise.all([this.deps.identity.logins(), this.deps.appLogin.loginId()]);
      if (!ownId) {
        return { ...base, reachable: true, tokenLogin: null, tokenLoginNote: 'not one of the admin logins' };
      }
      const own = logins.find((l) => l.loginId === ownId);
      return {
        ...base,
        reachable: true,
        tokenLogin: { loginId: ownId, email: own?.email ?? '', fullName: own?.fullName ?? null },
      };
    } catch (err) {
      this.log.warn({ err }, 'Home: MegaMeeting did not answer the connection check');
      return {
        ...base,
        reachable: false,
        tokenLogin: null,
        tokenLoginNote: 'unknown (MegaMeeting did not answer)',
      };
    }
  }

  /**
   * "Start a meeting now" pressed, or the global shortcut "Start a MegaMeeting" (`askWhen`: now or later): the
   * modal (nothing else is asked before it opens).
   */
  async openStartNow(triggerId: string, opts: { askWhen?: boolean } = {}): Promise<void> {
    await this.deps.slack.openView(triggerId, buildStartNowModal(opts));
  }

  /** "Later" chosen in the start form: it becomes the scheduling form, with the title and channel typed so far. */
  async scheduleInstead(req: {
    view: { viewId: string; hash?: string };
    teamId: string;
    userId: string;
    values: unknown;
  }): Promise<void> {
    const draft = readStartNowDraft(req.values);
    await this.deps.scheduling.replaceWithModal(req.view, this.scheduleRequest(req, draft));
  }

  /** The scheduling form for a start form submitted with "Later" (answered as the submission's update). */
  scheduleForm(req: {
    teamId: string;
    userId: string;
    title: string;
    channelId: string;
  }): Promise<ModalView> {
    return this.deps.scheduling.scheduleModal(this.scheduleRequest(req, req));
  }

  private scheduleRequest(
    who: { teamId: string; userId: string },
    draft: { title: string; channelId: string },
  ): { teamId: string; userId: string; channelId: string; preset: 'meeting'; title: string } {
    return {
      teamId: who.teamId,
      userId: who.userId,
      channelId: draft.channelId,
      preset: 'meeting',
      title: draft.title,
    };
  }

  /** "Schedule a meeting" pressed: the scheduling modal, with no channel chosen yet. */
  async openSchedule(req: { triggerId: string; teamId: string; userId: string }): Promise<void> {
    await this.deps.scheduling.openModal({ ...req, channelId: '', preset: 'meeting', title: '' });
  }

  /** The "Start a meeting now" form submitted: an instant meeting whose card goes to the chosen channel. */
  async startNow(req: {
    teamId: string;
    userId: string;
    title: string;
    channelId: string;
    responseUrl?: string;
  }): Promise<void> {
    if (!req.channelId) throw new AppError('invalid_input', 'Pick the conversation to post the meeting in.');
    await this.deps.meetings.create({
      teamId: req.teamId,
      channelId: req.channelId,
      hostUserId: req.userId,
      title: req.title,
      kind: 'instant',
      ...(req.responseUrl ? { responseUrl: req.responseUrl } : {}),
    });
  }
}
