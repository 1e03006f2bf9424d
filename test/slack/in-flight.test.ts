import { trackInFlight } from '../../src/slack/in-flight.js';
import { sleep } from '../../src/util/async.js';

type Next = () => Promise<void>;
const run = (mw: unknown, next: Next) => (mw as (args: { next: Next }) => Promise<void>)({ next });

test('counts listeners in flight and drains when they finish', async () => {
  const inFlight = trackInFlight();
  let release!: () => void;
  const pending = run(inFlight.middleware, () => new Promise<void>((r) => (release = r)));
  expect(inFlight.count).toBe(1);
  setTimeout(() => release(), 80);
  const started = performance.now();
  await inFlight.drain(5000);
  expect(inFlight.count).toBe(0);
  expect(performance.now() - started).toBeGreaterThanOrEqual(60);
  await pending;
});

test('a failing listener still leaves the count', async () => {
  const inFlight = trackInFlight();
  await expect(run(inFlight.middleware, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
  expect(inFlight.count).toBe(0);
});

test('drain gives up after its limit', async () => {
  const inFlight = trackInFlight();
  void run(inFlight.middleware, () => sleep(1000));
  const started = performance.now();
  await inFlight.drain(100);
  expect(inFlight.count).toBe(1);
  expect(performance.now() - started).toBeLessThan(900);
});

/** Whether the promise settles within a few microtask turns: no timer of any length can fire in between. */
async function settlesWithoutWaiting(p: Promise<void>): Promise<boolean> {
  let settled = false;
  void p.then(() => {
    settled = true;
  });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return settled;
}

test('drain with nothing in flight, or with no time left, returns without a single poll', async () => {
  const idle = trackInFlight();
  expect(await settlesWithoutWaiting(idle.drain(60_000))).toBe(true);

  const busy = trackInFlight();
  let release!: () => void;
  const pending = run(busy.middleware, () => new Promise<void>((r) => (release = r)));
  expect(await settlesWithoutWaiting(busy.drain(0))).toBe(true);
  expect(busy.count).toBe(1);
  // With time left and work in flight, drain does wait.
  const waiting = busy.drain(60_000);
  expect(await settlesWithoutWaiting(waiting)).toBe(false);
  release();
  await pending;
  await waiting;
  expect(busy.count).toBe(0);
});
