/**
 * The recordings poller: RecordingsService.processOnce every interval, on one replica at a time (a store lease),
 * never overlapping itself, backing off exponentially (capped) while MegaMeeting fails.
 */
import type { AppLogger } from '../../logger.js';
import type { Store } from '../../store/types.js';
import type { Clock } from '../clock.js';
import type { ProcessReport, RecordingsService } from './service.js';
export const POLLER_LEASE = 'recordings-poller';

export interface PollerDeps {
  recordings: RecordingsService;
  store: Store;
  logger: AppLogger;
  clock: Clock;
  intervalSeconds: number;
  /** Longest pause after repeated MegaMeeting failures; default 15 minutes (or 10 intervals if longer). */
  maxBackoffSeconds?: number;
}

export type TickStatus =
  | 'ok'
  | 'busy'
  | 'stopped'
  | 'not_leader'
  | 'backoff'
  | 'megameeting_failed'
  | 'error';

export interface TickReport extends Partial<ProcessReport> {
  status: TickStatus;
  durationMs: number;
  /** Consecutive failed ticks after this one. */
  failures: number;
  /** Earliest time the next MegaMeeting read happens (backoff), or null. */
  backoffUntil: Date | null;
}

/**
 * Runs RecordingsService.processOnce every interval, on one replica at a time (a store lease), never
 * overlapping itself, backing off exponentially (capped) while MegaMeeting fails. `tick()` is public so tests
 * drive it with an injected clock; `start()` schedules it with setTimeout.
 */
export class RecordingsPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickReport> | null = null;
  private stopped = false;
  private failures = 0;
  private backoffUntil: Date | null = null;
  private lastLeaseAt = 0;

  constructor(private readonly deps: PollerDeps) {}

  get intervalMs(): number {
    return Math.max(1, this.deps.intervalSeconds) * 1000;
  }

  /** The lease outlives a couple of intervals, so a dead holder is replaced within ~2.5 intervals. */
  get leaseTtlMs(): number {
    return Math.max(Math.round(this.intervalMs * 2.5), 5000);
  }

  get maxBackoffMs(): number {
    return (this.deps.maxBackoffSeconds ?? Math.max(15 * 60, 10 * this.deps.intervalSeconds)) * 1000;
  }

  /** Consecutive failed ticks (observable backoff). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  get nextMegaMeetingReadAt(): Date | null {
    return this.backoffUntil;
  }

  start(): void {
    if (this.timer || this.deps.intervalSeconds <= 0) return;
    this.stopped = false;
    // The timer keeps a fixed rhythm (each tick renews the lease); backoff is decided inside tick().
    const schedule = (delayMs: number) => {
      this.timer = setTimeout(async () => {
        await this.tick().catch((err) => this.deps.logger.error({ err }, 'recordings poller tick crashed'));
        if (!this.stopped) schedule(this.intervalMs);
      }, delayMs);
      this.timer.unref?.();
    };
    schedule(Math.min(1000, this.intervalMs));
    this.deps.logger.info(
      { intervalSeconds: this.deps.intervalSeconds, instanceId: this.deps.recordings.instanceId },
      'recordings poller started',
    );
  }

  /** Stops scheduling, waits for the tick in progress, and gives the lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
    await this.deps.store
      .releaseLease(POLLER_LEASE, this.deps.recordings.instanceId)
      .catch((err) => this.deps.logger.warn({ err }, 'could not release the recordings poller lease'));
  }

  /** One tick. A tick already in progress makes this return `busy` at once (never two at a time). */
  async tick(): Promise<TickReport> {
    if (this.running) return this.report('busy', 0);
    if (this.stopped) return this.report('stopped', 0);
    this.running = this.runTick();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private report(status: TickStatus, durationMs: number, extra: Partial<ProcessReport> = {}): TickReport {
    return { status, durationMs, failures: this.failures, backoffUntil: this.backoffUntil, ...extra };
  }

  private async renewLease(): Promise<boolean> {
    const { store, clock, recordings } = this.deps;
    const ok = await store.acquireLease(POLLER_LEASE, recordings.instanceId, this.leaseTtlMs, clock.now());
    if (ok) this.lastLeaseAt = clock.now().getTime();
    return ok;
  }

  private async runTick(): Promise<TickReport> {
    const { clock, logger, recordings } = this.deps;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let leader: boolean;
    try {
      leader = await this.renewLease();
    } catch (err) {
      logger.warn({ err }, 'recordings tick skipped: the store is unavailable');
      return this.report('error', elapsed());
    }
    if (!leader) {
      logger.debug('recordings tick skipped: another replica holds the poller lease');
      return this.report('not_leader', elapsed());
    }
    const now = clock.now();
    if (this.backoffUntil && now.getTime() < this.backoffUntil.getTime()) {
      return this.report('backoff', elapsed());
    }
    // Long passes renew the lease before DMs so that it cannot lapse mid-pass.
    const stillLeader = async () => {
      if (clock.now().getTime() - this.lastLeaseAt < this.leaseTtlMs / 3) return true;
      return this.renewLease().catch(() => false);
    };
    try {
      const result = await recordings.processOnce(stillLeader);
      if (this.failures > 0)
        logger.info({ afterFailures: this.failures }, 'MegaMeeting recordings readable again');
      this.failures = 0;
      this.backoffUntil = null;
      const report = this.report('ok', elapsed(), result);
      const busy =
        result.added +
        result.remuxRequested +
        result.notifiedReady +
        result.notifiedFailed +
        result.recovered;
      if (busy > 0 || result.errors > 0)
        logger.info({ ...result, durationMs: report.durationMs }, 'recordings tick');
      else logger.debug({ ...result, durationMs: report.durationMs }, 'recordings tick');
      return report;
    } catch (err) {
      this.failures++;
      const delay = Math.min(this.intervalMs * 2 ** this.failures, this.maxBackoffMs);
      this.backoffUntil = new Date(clock.now().getTime() + delay);
      const code = (err as { code?: string }).code;
      logger.warn(
        { err, code, failures: this.failures, backoffSeconds: Math.round(delay / 1000) },
        'recordings tick skipped: MegaMeeting recordings could not be read; backing off',
      );
      return this.report('megameeting_failed', elapsed());
    }
  }
}
