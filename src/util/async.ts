/**
 * The two timing helpers every part of the app shares: `sleep`, and `withTimeout`, which bounds how long a caller
 * waits for a promise (the work itself goes on; its late result or rejection is ignored).
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `withTimeout` returns when the wait ran out first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * The promise's value, or TIMED_OUT when `ms` passes first; with `ms` undefined it waits as long as the work
 * takes. A rejection before the deadline rejects; one after it is swallowed. The timer never outlives the race.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number | undefined,
): Promise<T | typeof TIMED_OUT> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
