import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { IntentPatch, MeetingIntent, NewMeetingIntent, Store } from '../store/types.js';
import type { Clock } from './clock.js';

/**
 * The journal of meeting creations (README.md, "Reliability"). A creation is written to the store before
 * createMeeting and updated at each step; while a process works on it, it holds a short claim that a timer
 * renews. When the process dies (kill -9, OOM, a lost machine), the claim lapses and any replica's recovery
 * (intent-recovery.ts) takes the intent over and finishes it or tells the user.
 */

/** How long a claim lasts without renewal: how soon after a crash recovery may take an intent over. */
export const INTENT_CLAIM_MS = 20_000;
/** How often a live claim is renewed (well inside INTENT_CLAIM_MS, so a busy event loop keeps it). */
export const INTENT_RENEW_MS = 5_000;
/** Slack accepts posts to a response_url for 30 minutes; we stop using it a little earlier. */
export const RESPONSE_URL_USABLE_MS = 29 * 60_000;

/** The holder name of this process: unique per start, so a restarted process never inherits a dead claim. */
export function newHolderId(prefix = 'replica'): string {
  return `${prefix}:${process.pid}:${randomBytes(6).toString('hex')}`;
}

export function newIntentId(): string {
  return randomBytes(12).toString('hex');
}

/** Another process took the intent over (this one stalled past its claim): it finishes it, not us. */
export class IntentTakenOverError extends AppError {
  constructor() {
    super(
      'slack_failed',
      'This is taking longer than usual. I will post the meeting card (or tell you what happened) as soon as it is done.',
    );
    this.name = 'IntentTakenOverError';
  }
}

/**
 * One intent held by this process: steps are written only while we hold it; the journal renews its claim
 * meanwhile (IntentJournal.renewAll).
 */
export class IntentHandle {
  private current: MeetingIntent;
  private closed = false;

  constructor(
    intent: MeetingIntent,
    private readonly journal: IntentJournal,
  ) {
    this.current = intent;
  }

  get id(): string {
    return this.current.id;
  }

  get intent(): MeetingIntent {
    return this.current;
  }

  /** Records a step; throws IntentTakenOverError when another process holds the intent now. */
  async step(patch: IntentPatch): Promise<MeetingIntent> {
    const { store, clock, holder } = this.journal.deps;
    const updated = await store.updateIntent(this.id, holder, patch, clock.now());
    if (!updated) {
      this.close();
      throw new IntentTakenOverError();
    }
    this.current = { ...this.current, ...updated };
    return this.current;
  }

  /**
   * The last step: done (or failed, the user told), with whatever else it records (`also`). Never throws: the
   * outcome is logged if it cannot be stored.
   */
  async finish(
    state: 'done' | 'failed',
    outcome: string,
    also: Omit<IntentPatch, 'state' | 'outcome'> = {},
  ): Promise<void> {
    try {
      await this.step({ ...also, state, outcome });
    } catch (err) {
      this.journal.deps.logger.warn({ err, intent: this.id, outcome }, 'could not mark the meeting creation');
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.journal.forget(this);
  }
}

export interface IntentJournalDeps {
  store: Store;
  logger: AppLogger;
  clock: Clock;
  /** This process's claim holder name (newHolderId()). */
  holder: string;
}

export class IntentJournal {
  private readonly open = new Set<IntentHandle>();
  private readonly waiters = new Set<() => void>();
  /** Runs while any intent is open: one renewal of all their claims every INTENT_RENEW_MS. */
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly deps: IntentJournalDeps) {}

  /**
   * Renews the claim of every open intent, in one statement per hundred (store.renewIntentClaims) rather than
   * one per intent and timer: at 50 `/meet` a second about 250 creations are open at once (docs/benchmarks.md,
   * "Fifth round"). Never throws. Each claim is still renewed at most INTENT_RENEW_MS after the last, as with
   * a timer per intent; an intent opened just before a tick is renewed early, which only lengthens its claim.
   */
  async renewAll(): Promise<void> {
    const { store, clock, holder, logger } = this.deps;
    const handles = [...this.open];
    if (handles.length === 0) return;
    try {
      const renewed = new Set(
        await store.renewIntentClaims(
          handles.map((h) => h.id),
          holder,
          INTENT_CLAIM_MS,
          clock.now(),
        ),
      );
      for (const h of handles) {
        // An intent that finished meanwhile is no longer claimable and not lost: only those still open count.
        if (!renewed.has(h.id) && this.open.has(h)) {
          logger.warn({ intent: h.id }, 'lost the claim of a meeting creation in progress');
        }
      }
    } catch (err) {
      logger.warn({ err, intents: handles.length }, 'could not renew the claims of meeting creations');
    }
  }

  /** Records a new creation, claimed by this process. */
  async begin(intent: NewMeetingIntent): Promise<IntentHandle> {
    const { store, clock, holder } = this.deps;
    return this.hold(await store.insertIntent(intent, holder, INTENT_CLAIM_MS, clock.now()));
  }

  /** Takes over an intent that recovery claimed. */
  hold(intent: MeetingIntent): IntentHandle {
    const handle = new IntentHandle(intent, this);
    this.open.add(handle);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renewAll(), INTENT_RENEW_MS);
      this.timer.unref();
    }
    return handle;
  }

  /** Creations this process is working on. */
  get inProgress(): number {
    return this.open.size;
  }

  forget(handle: IntentHandle): void {
    this.open.delete(handle);
    if (this.open.size > 0) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const w of this.waiters) w();
  }

  /**
   * Resolves when no creation is in progress here, or after `timeoutMs` of real time; true when idle.
   * A real timer, not the clock: the shutdown grace is wall time even when tests drive the clock by hand.
   */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.open.size === 0) return true;
    if (timeoutMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.open.size === 0);
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
