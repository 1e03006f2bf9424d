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
