import { sleep, TIMED_OUT, withTimeout } from '../../src/util/async.js';

describe('sleep', () => {
  test('waits at least the given time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('withTimeout', () => {
  test('gives the value when the work finishes first', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
  });

  test('gives TIMED_OUT when the wait runs out first', async () => {
    const slow = sleep(200).then(() => 'late');
    await expect(withTimeout(slow, 10)).resolves.toBe(TIMED_OUT);
  });

  test('waits as long as the work takes without a limit', async () => {
    await expect(
      withTimeout(
        sleep(20).then(() => 'done'),
        undefined,
      ),
    ).resolves.toBe('done');
  });

  test('a rejection before the deadline rejects', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  test('a rejection after the deadline is swallowed, and the timer does not outlive the race', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = sleep(30).then(() => Promise.reject(new Error('late')));
      await expect(withTimeout(late, 5)).resolves.toBe(TIMED_OUT);
      await sleep(60);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
