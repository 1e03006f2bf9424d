/**
 * GuestChangeLock (src/services/guests/lock.ts) on a real SQLite store: one guest change at a time per meeting, in
 * this process and against another replica holding the meeting's lease; the lease is given back after each change,
 * whether it worked or not. Ordering is checked by the order of events, not by timing.
 */
import { GuestChangeLock } from '../../src/services/guests/lock.js';
import { openTestStore, type TestStore } from '../store/helpers.js';

const NOW = new Date('2026-03-01T10:00:00Z');
let db: TestStore;

beforeEach(async () => {
  db = await openTestStore('sqlite');
});
afterEach(async () => {
  await db.cleanup();
});

function lock(): GuestChangeLock {
  return new GuestChangeLock({ store: db.store, clock: { now: () => NOW } });
}

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

test('two changes of one meeting run one after the other, in the order asked', async () => {
  const l = lock();
  const events: string[] = [];
  const first = gate();
  const a = l.run('T1:1000001', async () => {
    events.push('a start');
    await first.opened;
    events.push('a end');
    return 'a';
  });
  const b = l.run('T1:1000001', async () => {
    events.push('b start');
    return 'b';
  });
  // Let b try: it must not start while a holds the meeting.
  await new Promise((r) => setTimeout(r, 50));
  expect(events).toEqual(['a start']);
  first.open();
  expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  expect(events).toEqual(['a start', 'a end', 'b start']);
});

test('a third change waits for the second too, not only for the first', async () => {
  const l = lock();
  const events: string[] = [];
  const first = gate();
  const second = gate();
  const a = l.run('T1:1000001', async () => {
    await first.opened;
    events.push('a');
  });
  const b = l.run('T1:1000001', async () => {
    events.push('b start');
    await second.opened;
    events.push('b end');
  });
  first.open();
  await a;
  const c = l.run('T1:1000001', async () => {
    events.push('c');
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(events).toEqual(['a', 'b start']);
  second.open();
  await Promise.all([b, c]);
  expect(events).toEqual(['a', 'b start', 'b end', 'c']);
});

test('changes of two meetings do not wait for each other', async () => {
  const l = lock();
  const first = gate();
  const a = l.run('T1:1000001', () => first.opened.then(() => 'a'));
  await expect(l.run('T1:1000002', async () => 'b')).resolves.toBe('b');
  first.open();
  await expect(a).resolves.toBe('a');
});

test('a change that fails gives the meeting back: the next one runs, and the lease is free', async () => {
  const l = lock();
  const failing = l.run('T1:1000001', async () => {
    throw new Error('MegaMeeting refused');
  });
  const next = l.run('T1:1000001', async () => 'next');
  await expect(failing).rejects.toThrow('MegaMeeting refused');
  await expect(next).resolves.toBe('next');
  expect(await db.store.getLease('guests:T1:1000001')).toBeNull();
});

test("the meeting's lease is held in the store while a change runs, for two minutes, and released after", async () => {
  const l = lock();
  let during: Awaited<ReturnType<typeof db.store.getLease>> = null;
  await l.run('T1:1000001', async () => {
    during = await db.store.getLease('guests:T1:1000001');
  });
  expect(during).toMatchObject({ expiresAt: new Date(NOW.getTime() + 2 * 60_000) });
  expect(String((during as { holder?: string } | null)?.holder)).toMatch(
    new RegExp(`^${process.pid}:[0-9a-f-]{36}$`),
  );
  expect(await db.store.getLease('guests:T1:1000001')).toBeNull();
});

test('another replica holding the lease holds the change off until it lets go', async () => {
  const l = lock();
  expect(await db.store.acquireLease('guests:T1:1000001', 'other-replica', 120_000, NOW)).toBe(true);
  let ran = false;
  const change = l.run('T1:1000001', async () => {
    ran = true;
    return 'done';
  });
  await new Promise((r) => setTimeout(r, 250));
  expect(ran).toBe(false);
  await db.store.releaseLease('guests:T1:1000001', 'other-replica');
  await expect(change).resolves.toBe('done');
  expect(ran).toBe(true);
});
