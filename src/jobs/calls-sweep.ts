/**
 * The calls sweep, every minute on one replica at a time (a lease): scheduled meetings whose reminder time (or
 * start, with reminders off) has come get their Slack call on the card, and calls still live on ended meetings
 * (an end that failed or was interrupted) are ended. Failures are logged; it runs again.
 */
import type { AppLogger } from '../logger.js';
import type { CallsService } from '../services/calls.js';
import type { Clock } from '../services/clock.js';
import type { MeetingsService } from '../services/meetings.js';
import type { Store } from '../store/types.js';

export const CALLS_SWEEP_MS = 60_000;
const CALLS_SWEEP_LEASE = 'calls-sweep';

export interface CallsSweepDeps {
  store: Pick<Store, 'acquireLease'>;
  calls: Pick<CallsService, 'sweep'>;
  meetings: Pick<MeetingsService, 'refreshCard'>;
  clock: Clock;
  logger: AppLogger;
}

/** One run: takes the lease (or leaves the sweep to the replica holding it) and sweeps. Never throws. */
export function callsSweepRun(deps: CallsSweepDeps, holder: string): () => Promise<void> {
  return async () => {
    try {
      const now = deps.clock.now();
      if (!(await deps.store.acquireLease(CALLS_SWEEP_LEASE, holder, CALLS_SWEEP_MS * 1.5, now))) return;
      const done = await deps.calls.sweep((record) => deps.meetings.refreshCard(record));
      if (done.added > 0 || done.ended > 0) deps.logger.info(done, 'calls sweep');
    } catch (err) {
      deps.logger.warn({ err }, 'the calls sweep failed; it runs again in a minute');
    }
  };
}

/** Starts the sweep (an unref'd interval) and returns a stop function. */
export function startCallsSweep(deps: CallsSweepDeps): () => void {
  const holder = `calls:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const timer = setInterval(callsSweepRun(deps, holder), CALLS_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
