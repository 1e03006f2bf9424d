/** The reminder sweep job on a real SQLite store: one replica sweeps per lease period, failures are logged. */
import { Writable } from 'node:stream';
import { reminderSweepRun } from '../../src/jobs/reminder-sweep.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', secrets: [], destination }) };
}

test('of two replicas, only the lease holder sweeps; it sweeps again an hour later', async () => {
  let now = new Date('2031-03-01T10:00:00Z');
  const clock = { now: () => now };
  const swept: string[] = [];
  const { logger } = capture();
  const replica = (name: string) =>
    reminderSweepRun({ store, clock, logger, reminders: { sweep: async () => swept.push(name) } }, name);
  const a = replica('a');
  const b = replica('b');
  await a();
  await b();
  expect(swept).toEqual(['a']);
  now = new Date(now.getTime() + 60 * 60_000);
  await a();
  expect(swept).toEqual(['a', 'a']);
});

test('a failing sweep is logged and does not throw', async () => {
  const { lines, logger } = capture();
  const run = reminderSweepRun(
    {
      store,
      clock: { now: () => new Date('2031-03-01T10:00:00Z') },
      logger,
      reminders: {
        sweep: async () => {
          throw new Error('slack down');
        },
      },
    },
    'a',
  );
  await expect(run()).resolves.toBeUndefined();
  expect(lines.join('')).toContain('the reminder sweep failed');
});
