/**
 * The intent journal's claim renewals (src/services/intents.ts) on a real SQLite store: every open intent's
 * claim renewed by one store call, a lost claim reported, and the renewal timer alive only while intents are
 * open. The timer is jest's fake setInterval; everything else (the store, promises) is real.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, jest, test } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { INTENT_CLAIM_MS, INTENT_RENEW_MS, IntentJournal } from '../../src/services/intents.js';
import type { NewMeetingIntent } from '../../src/store/types.js';
import { openTestStore, resetTestStore, type TestStore } from '../store/helpers.js';

const T0 = new Date('2026-03-01T10:00:00Z');
let now = T0;
let t: TestStore;
let lines: string[];

beforeAll(async () => {
  t = await openTestStore('sqlite');
});
afterAll(async () => {
  await t.cleanup();
});
afterEach(async () => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  await resetTestStore(t);
});

function journal(holder = 'A'): IntentJournal {
  lines = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return new IntentJournal({
    store: t.store,
    logger: createLogger({ level: 'info', secrets: [], destination }),
    clock: { now: () => now },
    holder,
  });
}

function intent(id: string): NewMeetingIntent {
  return {
    id,
    teamId: 'T1',
    channelId: 'C1',
    userId: 'U1',
    meetingName: 'Weekly sync',
    request: {
      kind: 'instant',
      hostLoginId: 'L1',
      startAt: T0.toISOString(),
      endAt: new Date(T0.getTime() + 3_600_000).toISOString(),
      timeZone: 'Europe/Paris',
      options: { requireVerification: false },
      invitees: [],
    },
    responseUrl: null,
    beforeIds: null,
  };
}

test('one store call renews every open intent; a claim another process took is reported, the rest renewed', async () => {
  now = T0;
  const j = journal();
  const handles = [];
  for (let i = 0; i < 120; i++) handles.push(await j.begin(intent(`i-${i}`)));
  // i-7's claim lapses unrenewed and another replica takes it over.
  now = new Date(T0.getTime() + INTENT_CLAIM_MS + 1);
  expect(await t.store.claimIntent('i-7', 'B', INTENT_CLAIM_MS, now)).toBe(true);
  const renew = jest.spyOn(t.store, 'renewIntentClaims');
  const claim = jest.spyOn(t.store, 'claimIntent');
  await j.renewAll();
  expect(renew).toHaveBeenCalledTimes(1);
  expect(renew.mock.calls[0]?.[0]).toHaveLength(120);
  expect(claim).not.toHaveBeenCalled();
  const renewedUntil = new Date(now.getTime() + INTENT_CLAIM_MS);
  expect(await t.store.getIntent('i-0')).toMatchObject({ claimedBy: 'A', claimExpiresAt: renewedUntil });
  expect(await t.store.getIntent('i-119')).toMatchObject({ claimedBy: 'A', claimExpiresAt: renewedUntil });
  expect(await t.store.getIntent('i-7')).toMatchObject({ claimedBy: 'B' });
  const lost = lines.filter((l) => l.includes('lost the claim'));
  expect(lost).toHaveLength(1);
  expect(lost[0]).toContain('"intent":"i-7"');
  for (const h of handles) h.close();
});

test('an intent that finishes while a renewal is on its way is not reported lost', async () => {
  now = T0;
  const j = journal();
  const a = await j.begin(intent('a'));
  const b = await j.begin(intent('b'));
  // a's last step is written first (SQLite runs statements in order), the renewal, which still counted a, after.
  const finished = a.finish('done', 'posted');
  const renewal = j.renewAll();
  await Promise.all([finished, renewal]);
  expect(await t.store.getIntent('a')).toMatchObject({ state: 'done', claimedBy: null });
  expect(await t.store.getIntent('b')).toMatchObject({ claimedBy: 'A' });
  expect(lines.filter((l) => l.includes('lost the claim'))).toEqual([]);
  b.close();
});

test('the renewal timer runs only while intents are open, and one tick renews them all', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance'] });
  now = T0;
  const j = journal();
  const renew = jest.spyOn(t.store, 'renewIntentClaims');
  expect(jest.getTimerCount()).toBe(0);
  const a = await j.begin(intent('a'));
  const b = await j.begin(intent('b'));
  const c = await j.begin(intent('c'));
  expect(jest.getTimerCount()).toBe(1);
  jest.advanceTimersByTime(INTENT_RENEW_MS);
  expect(renew).toHaveBeenCalledTimes(1);
  expect(renew.mock.calls[0]?.[0]).toEqual(['a', 'b', 'c']);
  a.close();
  b.close();
  expect(jest.getTimerCount()).toBe(1);
  c.close();
  c.close();
  expect(jest.getTimerCount()).toBe(0);
  expect(await j.idle(0)).toBe(true);
});
