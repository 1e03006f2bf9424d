/**
 * The Events API dedupe middleware on its own, against a real SQLite store and a hand-moved clock: which
 * payloads it looks at, how long a claim and a record keep a retry off, what a failing handler or store does,
 * and how often it prunes. (test/app/event-retries.http.test.ts covers it inside the running app.)
 */
import { Writable } from 'node:stream';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { createLogger } from '../../src/logger.js';
import { eventDedupe, eventIdOf } from '../../src/slack/event-dedupe.js';
import type { Store } from '../../src/store/types.js';
import { openTestStore, type TestStore } from '../store/helpers.js';

const MINUTE = 60_000;
let db: TestStore;
let lines: string[];
let now: Date;
let prunes: Date[];

beforeEach(async () => {
  db = await openTestStore('sqlite');
  lines = [];
  now = new Date('2026-03-01T12:00:00Z');
  prunes = [];
});
afterEach(async () => {
  await db.cleanup();
});

/** The real store, counting prunes; `claimFails` makes claims throw as a store that is down would. */
function storeSeen(
  opts: { claimFails?: boolean; completeFails?: boolean; releaseFails?: boolean; pruneFails?: boolean } = {},
) {
  return new Proxy(db.store, {
    get(target, prop, receiver) {
      if (prop === 'pruneSlackEvents')
        return (at: Date) => {
          prunes.push(at);
          return opts.pruneFails ? Promise.reject(new Error('db down')) : target.pruneSlackEvents(at);
        };
      if (prop === 'claimSlackEvent' && opts.claimFails)
        return async () => Promise.reject(new Error('db down'));
      if (prop === 'completeSlackEvent' && opts.completeFails)
        return async () => Promise.reject(new Error('db down'));
      if (prop === 'releaseSlackEvent' && opts.releaseFails)
        return async () => Promise.reject(new Error('db down'));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;
}

function middleware(store: Store = storeSeen()): Middleware<AnyMiddlewareArgs> {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'info', secrets: [], destination });
  return eventDedupe({ store, clock: { now: () => now }, logger });
}

function envelope(eventId: string) {
  return { type: 'event_callback', event_id: eventId, event: { type: 'app_home_opened' } };
}

/** Runs one delivery; returns whether the handler ran. */
async function deliver(
  mw: Middleware<AnyMiddlewareArgs>,
  body: unknown,
  handler: () => Promise<void> = async () => {},
): Promise<boolean> {
  let ran = false;
  // The middleware reads only body, context and next; Bolt's full argument type is not needed here.
  await mw({
    body,
    context: { retryNum: 1, retryReason: 'http_timeout' },
    next: async () => {
      ran = true;
      await handler();
    },
  } as unknown as Parameters<Middleware<AnyMiddlewareArgs>>[0]);
  return ran;
}

describe('eventIdOf', () => {
  test.each<[string, unknown, string | null]>([
    ['an event envelope', { type: 'event_callback', event_id: 'Ev01' }, 'Ev01'],
    ['an empty event_id', { type: 'event_callback', event_id: '' }, null],
    ['a numeric event_id', { type: 'event_callback', event_id: 7 }, null],
    ['no event_id', { type: 'event_callback' }, null],
    ['another payload type with an event_id', { type: 'block_actions', event_id: 'Ev01' }, null],
    ['null', null, null],
    ['a string', 'event_callback', null],
  ])('%s', (_label, body, expected) => {
    expect(eventIdOf(body)).toBe(expected);
  });
});

describe('one handling per event_id', () => {
  test('other payloads pass straight through, every time, and nothing is stored', async () => {
    const mw = middleware();
    const command = { command: '/meet', text: '' };
    expect(await deliver(mw, command)).toBe(true);
    expect(await deliver(mw, command)).toBe(true);
    expect(await db.store.claimSlackEvent('anything', 'h', MINUTE, now)).toBe(true);
    expect(prunes).toHaveLength(0);
  });

  test('a retry of a handled event is skipped, and says so in the log', async () => {
    const mw = middleware();
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    expect(await deliver(mw, envelope('Ev1'))).toBe(false);
    expect(await deliver(mw, envelope('Ev2'))).toBe(true);
    const skipped = lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg.startsWith('Slack event already handled'));
    expect(skipped).toEqual([
      expect.objectContaining({
        eventId: 'Ev1',
        type: 'app_home_opened',
        retryNum: 1,
        retryReason: 'http_timeout',
      }),
    ]);
  });

  test('a handled event is remembered for an hour, then handled again', async () => {
    const mw = middleware();
    const start = now;
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    now = new Date(start.getTime() + 60 * MINUTE - 1);
    expect(await deliver(mw, envelope('Ev1'))).toBe(false);
    now = new Date(start.getTime() + 60 * MINUTE);
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
  });

  test('a delivery still being handled (or crashed) keeps retries off for two minutes', async () => {
    const mw = middleware();
    const start = now;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => {};
    const handling = new Promise<void>((r) => {
      started = r;
    });
    const first = deliver(mw, envelope('Ev1'), () => {
      started();
      return gate;
    });
    // The first delivery holds its claim once its handler runs.
    await handling;
    now = new Date(start.getTime() + 2 * MINUTE - 1);
    expect(await deliver(mw, envelope('Ev1'))).toBe(false);
    now = new Date(start.getTime() + 2 * MINUTE);
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    release();
    expect(await first).toBe(true);
  });

  test("a handler that fails releases the claim, so Slack's next retry is handled", async () => {
    const mw = middleware();
    await expect(
      deliver(mw, envelope('Ev1'), async () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrow('handler broke');
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    expect(await deliver(mw, envelope('Ev1'))).toBe(false);
  });

  test('a store that cannot claim: the event is handled anyway, with a warning', async () => {
    const mw = middleware(storeSeen({ claimFails: true }));
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40); // 40: pino's warn
    expect(warned.map((l) => l.msg)).toEqual([
      'could not check whether a Slack event was handled; handling it',
      'could not check whether a Slack event was handled; handling it',
    ]);
    // Each warning names the event and the store's error.
    expect(warned.map((l) => [l.eventId, l.type, l.err?.message])).toEqual([
      ['Ev1', 'app_home_opened', 'db down'],
      ['Ev1', 'app_home_opened', 'db down'],
    ]);
  });

  test('a store failing to record or release is logged, and the handler outcome stands', async () => {
    const mw = middleware(storeSeen({ completeFails: true, releaseFails: true }));
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    await expect(
      deliver(mw, envelope('Ev2'), async () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrow('handler broke');
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40); // 40: pino's warn
    expect(warned.map((l) => l.msg)).toEqual([
      'could not record a handled Slack event',
      'could not release a failed Slack event',
    ]);
    expect(warned.map((l) => [l.eventId, l.err?.message])).toEqual([
      ['Ev1', 'db down'],
      ['Ev2', 'db down'],
    ]);
  });
});

describe('pruning', () => {
  test('after a handled event, at most once per ten minutes, removing only expired records', async () => {
    const mw = middleware();
    const start = now;
    // A record from long ago, and one claimed just now by another delivery.
    await db.store.claimSlackEvent('EvOld', 'h-old', MINUTE, new Date(start.getTime() - 3 * 60 * MINUTE));
    await db.store.claimSlackEvent('EvBusy', 'h-busy', 2 * MINUTE, start);

    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    expect(prunes).toEqual([start]);
    // The old record is gone (claimable by anyone); the busy one is not.
    expect(await db.store.claimSlackEvent('EvBusy', 'h-other', MINUTE, start)).toBe(false);

    now = new Date(start.getTime() + 10 * MINUTE - 1);
    await deliver(mw, envelope('Ev2'));
    expect(prunes).toEqual([start]);
    now = new Date(start.getTime() + 10 * MINUTE);
    await deliver(mw, envelope('Ev3'));
    expect(prunes).toEqual([start, now]);
    // A skipped retry does not prune.
    now = new Date(start.getTime() + 30 * MINUTE);
    expect(await deliver(mw, envelope('Ev3'))).toBe(false);
    expect(prunes).toHaveLength(2);
  });

  test('a prune that fails is logged, and the handled event stands', async () => {
    const mw = middleware(storeSeen({ pruneFails: true }));
    expect(await deliver(mw, envelope('Ev1'))).toBe(true);
    expect(prunes).toEqual([now]);
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40); // 40: pino's warn
    expect(warned.map((l) => [l.msg, l.err?.message])).toEqual([
      ['could not prune handled Slack events', 'db down'],
    ]);
    // Recorded all the same: a retry is skipped.
    expect(await deliver(mw, envelope('Ev1'))).toBe(false);
  });
});
