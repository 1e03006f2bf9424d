/**
 * One guest change at a time per meeting: in this process (a queue), and across replicas (a store lease), so the
 * before/after diff of getVerifiedGuest always tells the new key apart (key-diff.ts).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Store } from '../../store/types.js';
import { sleep } from '../../util/async.js';
import type { Clock } from '../clock.js';

/** How long a guest change may hold its meeting's lease, and how long another waits for it. */
const GUEST_LEASE_TTL_MS = 2 * 60_000;
const GUEST_LEASE_WAIT_MS = 20_000;
const GUEST_LEASE_POLL_MS = 100;

export class GuestChangeLock {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: { store: Pick<Store, 'acquireLease' | 'releaseLease'>; clock: Clock }) {}

  /** Runs `fn` alone for `key` (`<teamId>:<meetId>`). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const guarded = () => this.withLease(key, fn);
    const run = previous.then(guarded, guarded);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  private async withLease<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const { store, clock } = this.deps;
    const name = `guests:${key}`;
    const holder = `${process.pid}:${randomUUID()}`;
    // Bounded by a number of tries rather than by the clock: an injected clock may stand still.
    for (let tries = 1; !(await store.acquireLease(name, holder, GUEST_LEASE_TTL_MS, clock.now())); tries++) {
      if (tries * GUEST_LEASE_POLL_MS > GUEST_LEASE_WAIT_MS) {
        throw new AppError(
          'megameeting_unavailable',
          "Someone else is changing this meeting's guests right now; please try again in a moment.",
        );
      }
      await sleep(GUEST_LEASE_POLL_MS);
    }
    try {
      return await fn();
    } finally {
      await store.releaseLease(name, holder).catch(() => {});
    }
  }
}
