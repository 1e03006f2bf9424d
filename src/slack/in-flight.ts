/**
 * Work in flight, for a graceful stop: a Bolt middleware counts listeners still running after their ack, and
 * `drain` waits (up to a limit) for the count to reach zero.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { sleep } from '../util/async.js';

export interface InFlight {
  middleware: Middleware<AnyMiddlewareArgs>;
  readonly count: number;
  /** Resolves when nothing is in flight, or after `maxWaitMs` (whatever is left is abandoned). */
  drain(maxWaitMs: number): Promise<void>;
}

const POLL_MS = 50;

export function trackInFlight(): InFlight {
  let count = 0;
  return {
    middleware: async ({ next }) => {
      count++;
      try {
        await next();
      } finally {
        count--;
      }
    },
    get count() {
      return count;
    },
    async drain(maxWaitMs) {
      // Elapsed time in polls, not from a clock: an injected test clock may stand still.
      for (let waited = 0; count > 0 && waited < maxWaitMs; waited += POLL_MS) await sleep(POLL_MS);
    },
  };
}
