/**
 * The error `promise` rejects with, which must be a `type`: the test fails when the promise resolves, and the
 * error is rethrown as it is when it is of another type (so its own message shows).
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  // biome-ignore lint/suspicious/noExplicitAny: any constructor of E, whatever its parameters
  type: abstract new (...args: any[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
