/**
 * Background work of multi-workspace mode (issue 12), for every connected workspace, each in its own app
 * (runtimes.ts) on its current bot token:
 * - recordings: one `recordings` query per MegaMeeting account per tick, however many workspaces share the account,
 *   the listing then handled by each of those workspaces (each sees its own meetings and people only); an account
 *   that fails backs off alone (doubling, capped) while the others go on;
 * - the calls sweep (every minute), the reminder sweep (hourly) and the recovery of interrupted meeting creations
 *   (every 10 s), workspace by workspace.
 * One replica at a time holds each lease, as in single-workspace mode.
 */
import { CALLS_SWEEP_MS, callsSweepRun } from '../jobs/calls-sweep.js';
import { REMINDER_SWEEP_MS, reminderSweepRun } from '../jobs/reminder-sweep.js';
import type { AppLogger } from '../logger.js';
import type { Recording } from '../megameeting/types.js';
import type { Clock } from '../services/clock.js';
import { RECOVERY_SWEEP_MS } from '../services/intent-recovery.js';
import { POLLER_LEASE } from '../services/recordings/poller.js';
import type { ConnectionRepository, Store } from '../store/types.js';
import type { WorkspaceAuth, WorkspaceRuntime, WorkspaceRuntimes } from './runtimes.js';

/** How many recoverable creations the recovery sweep looks at to find the workspaces that have some. */
const RECOVERY_PEEK = 200;

export interface WorkspaceJobsDeps {
  runtimes: Pick<WorkspaceRuntimes, 'get'>;
  connections: Pick<ConnectionRepository, 'list'>;
  /** The unscoped store: leases, and which workspaces have creations to recover. */
  store: Pick<Store, 'acquireLease' | 'releaseLease' | 'listRecoverableIntents'>;
  /** The workspace's current bot token (Bolt's installer: refreshed when it rotates). */
  botTokenFor(teamId: string): Promise<WorkspaceAuth | null>;
  clock: Clock;
  logger: AppLogger;
  recordingsPollSeconds: number;
  reminderMinutes: number;
  /** Longest pause of an account after repeated failures; default 15 minutes (or 10 intervals if longer). */
  maxBackoffSeconds?: number;
}

/** What one recordings tick did for one account. */
export interface AccountTick {
  accountUrl: string;
  teams: string[];
  status: 'ok' | 'backoff' | 'megameeting_failed';
  listed: number;
  /** DMs sent (ready or failed), over the account's workspaces. */
  notified: number;
  /** Consecutive failed ticks of this account. */
  failures: number;
}

export interface RecordingsTick {
  status: 'ok' | 'not_leader' | 'busy' | 'error';
  accounts: AccountTick[];
}

export class WorkspaceJobs {
  readonly #holder = `workspaces:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  readonly #failures = new Map<string, { count: number; until: number }>();
  readonly #timers: NodeJS.Timeout[] = [];
  #running: Promise<RecordingsTick> | null = null;
  #stopped = false;

  constructor(private readonly deps: WorkspaceJobsDeps) {}

  get #intervalMs(): number {
    return Math.max(1, this.deps.recordingsPollSeconds) * 1000;
  }

  get #maxBackoffMs(): number {
    return (this.deps.maxBackoffSeconds ?? Math.max(15 * 60, 10 * this.deps.recordingsPollSeconds)) * 1000;
  }

  /** The workspace's app on a fresh token; null when it has no installation or no connection. */
  async #workspace(teamId: string): Promise<WorkspaceRuntime | null> {
    const auth = await this.deps.botTokenFor(teamId);
    // No installation (uninstalled while its connection waits for the purge): nothing to do for it.
    return auth ? this.deps.runtimes.get(teamId, auth) : null;
  }

  /** Every connected workspace's app; one that cannot be built is logged and left out. */
  async #workspaces(): Promise<Array<{ accountUrl: string; runtime: WorkspaceRuntime }>> {
    const found: Array<{ accountUrl: string; runtime: WorkspaceRuntime }> = [];
    for (const { teamId, accountUrl } of await this.deps.connections.list()) {
      const runtime = await this.#workspace(teamId).catch((err: unknown) => {
        this.deps.logger.warn({ err, teamId }, 'background work skips a workspace that cannot be reached');
        return null;
      });
      if (runtime) found.push({ accountUrl, runtime });
    }
    return found;
  }

  /** One recordings tick over every account. Never throws; a tick in progress makes this return `busy`. */
  async recordingsTick(): Promise<RecordingsTick> {
    if (this.#running) return { status: 'busy', accounts: [] };
    this.#running = this.#recordingsTick().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #recordingsTick(): Promise<RecordingsTick> {
    const { store, clock, logger } = this.deps;
    const ttl = Math.max(Math.round(this.#intervalMs * 2.5), 5000);
    try {
      if (!(await store.acquireLease(POLLER_LEASE, this.#holder, ttl, clock.now())))
        return { status: 'not_leader', accounts: [] };
      const byAccount = new Map<string, WorkspaceRuntime[]>();
      for (const { accountUrl, runtime } of await this.#workspaces()) {
        byAccount.set(accountUrl, [...(byAccount.get(accountUrl) ?? []), runtime]);
      }
      const accounts: AccountTick[] = [];
      for (const [accountUrl, runtimes] of byAccount)
        accounts.push(await this.#account(accountUrl, runtimes));
      return { status: 'ok', accounts };
    } catch (err) {
      logger.warn({ err }, 'recordings tick skipped: the store is unavailable');
      return { status: 'error', accounts: [] };
    }
  }

  async #account(accountUrl: string, runtimes: WorkspaceRuntime[]): Promise<AccountTick> {
    const { clock, logger } = this.deps;
    const teams = runtimes.map((r) => r.teamId);
    const failed = this.#failures.get(accountUrl);
    const tick = { accountUrl, teams, listed: 0, notified: 0, failures: failed?.count ?? 0 };
    if (failed && clock.now().getTime() < failed.until) return { ...tick, status: 'backoff' };
    let listing: Recording[];
    try {
      // Any of the workspaces' clients reads the account: they hold tokens of the same account.
      listing = await (runtimes[0] as WorkspaceRuntime).services.megameeting.recordings();
    } catch (err) {
      const count = (failed?.count ?? 0) + 1;
      const delay = Math.min(this.#intervalMs * 2 ** count, this.#maxBackoffMs);
      this.#failures.set(accountUrl, { count, until: clock.now().getTime() + delay });
      logger.warn(
        { err, accountUrl, teams, failures: count, backoffSeconds: Math.round(delay / 1000) },
        'recordings of a MegaMeeting account could not be read; backing off that account',
      );
      return { ...tick, status: 'megameeting_failed', failures: count };
    }
    if (failed)
      logger.info({ accountUrl, afterFailures: failed.count }, 'MegaMeeting recordings readable again');
    this.#failures.delete(accountUrl);
    let notified = 0;
    for (const runtime of runtimes) {
      try {
        const report = await runtime.services.recordings.processOnce(async () => true, listing);
        notified += report.notifiedReady + report.notifiedFailed;
        if (report.added + report.notifiedReady + report.notifiedFailed > 0 || report.errors > 0)
          runtime.services.logger.info(report, 'recordings tick');
      } catch (err) {
        runtime.services.logger.warn({ err }, 'recordings tick of a workspace failed');
      }
    }
    return { ...tick, status: 'ok', listed: listing.length, notified, failures: 0 };
  }

  /** The calls sweep of every connected workspace (one replica: a lease). */
  async callsSweep(): Promise<void> {
    for (const { runtime } of await this.#safely(() => this.#workspaces())) {
      await callsSweepRun(runtime.services, this.#holder)();
    }
  }

  /** The reminder sweep of every connected workspace (one replica: a lease). */
  async reminderSweep(): Promise<void> {
    for (const { runtime } of await this.#safely(() => this.#workspaces())) {
      await reminderSweepRun(runtime.services, this.#holder)();
    }
  }

  /**
   * Interrupted meeting creations (any replica: each intent is claimed). It runs every 10 s, so it asks the store
   * once which workspaces have any, and reads only their installations, not every connected workspace's.
   */
  async recoverySweep(): Promise<void> {
    const due = await this.#safely(() =>
      this.deps.store.listRecoverableIntents(this.deps.clock.now(), RECOVERY_PEEK),
    );
    for (const teamId of new Set(due.map((intent) => intent.teamId))) {
      const runtime = await this.#workspace(teamId).catch((err: unknown) => {
        this.deps.logger.warn({ err, teamId }, 'recovery skips a workspace that cannot be reached');
        return null;
      });
      await runtime?.services.recovery.sweep();
    }
  }

  async #safely<T>(work: () => Promise<T[]>): Promise<T[]> {
    return work().catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'background work skipped: the store could not be read');
      return [];
    });
  }

  start(): void {
    const every = (ms: number, run: () => Promise<unknown>) => {
      const timer = setInterval(() => {
        if (!this.#stopped) void run();
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    if (this.deps.recordingsPollSeconds > 0) every(this.#intervalMs, () => this.recordingsTick());
    every(CALLS_SWEEP_MS, () => this.callsSweep());
    if (this.deps.reminderMinutes > 0) every(REMINDER_SWEEP_MS, () => this.reminderSweep());
    every(RECOVERY_SWEEP_MS, () => this.recoverySweep());
  }

  /** Stops scheduling, waits for a recordings tick in progress, and gives the lease back. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#running?.catch(() => undefined);
    await this.deps.store.releaseLease(POLLER_LEASE, this.#holder).catch(() => undefined);
  }
}
