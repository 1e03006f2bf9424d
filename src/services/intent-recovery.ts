import type { AppLogger } from '../logger.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { MeetingIntent, Store } from '../store/types.js';
import { userText } from '../views/text.js';
import type { Clock } from './clock.js';
import {
  INTENT_CLAIM_MS,
  type IntentHandle,
  type IntentJournal,
  IntentTakenOverError,
  RESPONSE_URL_USABLE_MS,
} from './intents.js';
import type { MeetingsService } from './meetings.js';

/**
 * Crash recovery of meeting creations (README.md, "Reliability"). At start-up and then periodically, every
 * replica looks for unfinished intents whose claim has lapsed (their process died), claims each (exactly one
 * replica wins) and finishes it from its last recorded step, or tells the user it did not complete:
 *
 * - `creating` (createMeeting may or may not have happened): the meeting is adopted only under the rules of a
 *   lost answer (named alike, absent from the snapshot taken before the create, stored by nobody, the only one);
 *   none: the user is told nothing was created; several, or no snapshot: the user is told we cannot tell.
 * - `created`: the known meeting is stored (if it was not yet) and its card posted.
 * - `posting` (the post may have reached Slack): the card is looked for by its metadata first; posted only when
 *   it is provably absent.
 * - `posted`: reminders if missing; invitations are not re-sent (some may have gone out).
 */

/** How often a running replica looks for intents to recover. */
export const RECOVERY_SWEEP_MS = 10_000;
/** Finished intents are kept this long (for support), then deleted. */
const FINISHED_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** While MegaMeeting cannot be asked, an intent waits for a later sweep; past this age the user is told. */
const GIVE_UP_AFTER_MS = 25 * 60_000;
const SWEEP_BATCH = 20;

export interface IntentRecoveryDeps {
  store: Store;
  meetings: MeetingsService;
  intents: IntentJournal;
  slack: SlackGateway;
  logger: AppLogger;
  clock: Clock;
}

export class IntentRecovery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly deps: IntentRecoveryDeps) {}

  /** Runs one sweep now and then every `intervalMs`. */
  start(intervalMs = RECOVERY_SWEEP_MS): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** No new sweep; waits for the one running (each intent it holds is bounded by the shutdown's wait). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass; returns how many intents this replica took up. Never throws. Concurrent calls share a pass. */
  sweep(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { store, clock, logger } = this.deps;
    let taken = 0;
    try {
      const now = clock.now();
      await store.pruneIntents(new Date(now.getTime() - FINISHED_RETENTION_MS));
      for (const intent of await store.listRecoverableIntents(now, SWEEP_BATCH)) {
        if (this.stopped) break;
        if (
          !(await store.claimIntent(intent.id, this.deps.intents.deps.holder, INTENT_CLAIM_MS, clock.now()))
        )
          continue;
        taken++;
        await this.recover(intent);
      }
    } catch (err) {
      logger.warn({ err }, 'the recovery of interrupted meeting creations failed; it runs again shortly');
    }
    return taken;
  }

  private async recover(claimed: MeetingIntent): Promise<void> {
    const { logger } = this.deps;
    const log = logger.child({ intent: claimed.id, state: claimed.state, teamId: claimed.teamId });
    log.info({ meetId: claimed.meetId }, 'recovering an interrupted meeting creation');
    const intent = this.deps.intents.hold(claimed);
    try {
      await intent.step({ attempts: claimed.attempts + 1 });
      const meetId = claimed.meetId ?? (await this.adopt(intent));
      if (!meetId) return;
      if (!intent.intent.meetId) await intent.step({ state: 'created', meetId });
      const record = await this.deps.meetings.storeCreatedMeeting(intent, meetId);
      const done = await this.deps.meetings.completeCreation(record, intent, {
        responseUrl: this.usableResponseUrl(claimed) ?? undefined,
        findCard: claimed.state === 'posting',
      });
      log.info({ meetId, messageTs: done.messageTs }, 'recovered an interrupted meeting creation');
    } catch (err) {
      if (err instanceof IntentTakenOverError) return;
      log.warn({ err }, 'could not recover a meeting creation; a later sweep tries again');
    } finally {
      // Unfinished (an error): give the claim back at once so that the next sweep retries.
      intent.close();
      await this.deps.store
        .releaseIntent(claimed.id, this.deps.intents.deps.holder, this.deps.clock.now())
        .catch(() => {});
    }
  }

  /**
   * createMeeting may have run: adopt its meeting under the lost-answer rules, or tell the user. Returns the
   * meetId to continue with, or null when the intent is finished (the user told) or must wait.
   */
  private async adopt(intent: IntentHandle): Promise<string | null> {
    const { meetings, clock, logger } = this.deps;
    const { meetingName, beforeIds, createdAt } = intent.intent;
    const found = await meetings.findCreatedMeeting(meetingName, beforeIds ? new Set(beforeIds) : null);
    if (found.kind === 'one') {
      logger.info(
        { intent: intent.id, meetId: found.meetId },
        'adopting the meeting an interrupted creation made',
      );
      return found.meetId;
    }
    if (found.kind === 'unknown' && found.lookupFailed) {
      if (clock.now().getTime() - createdAt.getTime() < GIVE_UP_AFTER_MS) {
        throw new Error('MegaMeeting could not be asked which meetings exist');
      }
    }
    const title = userText(meetingName, 150);
    const text =
      found.kind === 'none'
        ? `Your meeting "${title}" was not created: I was restarted while asking MegaMeeting to create it, and ` +
          'MegaMeeting has no such new meeting. Nothing was posted. Please run the command again.'
        : `Your meeting "${title}" may not have been created: I was restarted while asking MegaMeeting to create ` +
          "it, and I can't tell whether it did. Check your meetings in MegaMeeting before trying again, so that " +
          'you do not get two.';
    await this.tellUser(intent.intent, text);
    await intent.finish('failed', found.kind === 'none' ? 'not_created' : 'unknown');
    logger.info(
      { intent: intent.id, outcome: found.kind },
      'told the user an interrupted creation did not complete',
    );
    return null;
  }

  private usableResponseUrl(intent: MeetingIntent): string | null {
    const age = this.deps.clock.now().getTime() - intent.createdAt.getTime();
    return intent.responseUrl && age < RESPONSE_URL_USABLE_MS ? intent.responseUrl : null;
  }

  /** Through the command's response_url while Slack still takes it, else privately in the channel or by DM. */
  private async tellUser(intent: MeetingIntent, text: string): Promise<void> {
    const { slack, logger } = this.deps;
    const responseUrl = this.usableResponseUrl(intent);
    if (responseUrl) {
      try {
        await slack.respond(responseUrl, { text, response_type: 'ephemeral' });
        return;
      } catch (err) {
        logger.info({ err, intent: intent.id }, 'the response_url refused; telling the user privately');
      }
    }
    await slack.tellPrivately(intent.channelId, intent.userId, { text });
  }
}
