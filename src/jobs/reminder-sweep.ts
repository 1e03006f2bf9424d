/**
 * The hourly reminder sweep, one replica at a time (a lease): schedules the reminders of meetings that were
 * more than 120 days ahead when made (Slack's scheduleMessage limit). Failures are logged; it runs again.
 */
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { RemindersService } from '../services/reminders.js';
import type { Store } from '../store/types.js';

export const REMINDER_SWEEP_MS = 60 * 60_000;
const REMINDER_SWEEP_LEASE = 'reminders-sweep';

export interface ReminderSweepDeps {
  store: Pick<Store, 'acquireLease'>;
  reminders: Pick<RemindersService, 'sweep'>;
  clock: Clock;
  logger: AppLogger;
}

/** One run: takes the lease (or leaves the sweep to the replica holding it) and sweeps. Never throws. */
export function reminderSweepRun(deps: ReminderSweepDeps, holder: string): () => Promise<void> {
  return async () => {
    try {
      const now = deps.clock.now();
      if (!(await deps.store.acquireLease(REMINDER_SWEEP_LEASE, holder, REMINDER_SWEEP_MS * 1.5, now)))
        return;
      await deps.reminders.sweep();
    } catch (err) {
      deps.logger.warn({ err }, 'the reminder sweep failed; it runs again in an hour');
    }
  };
}

/** Starts the hourly sweep (an unref'd interval) and returns a stop function. */
export function startReminderSweep(deps: ReminderSweepDeps): () => void {
  const holder = `sweep:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const timer = setInterval(reminderSweepRun(deps, holder), REMINDER_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
