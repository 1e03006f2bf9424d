/**
 * The intent journal's claim renewals (src/services/intents.ts) on a real SQLite store: every open intent's
 * claim renewed by one store call, a lost claim reported, and the renewal timer alive only while intents are
 * open. The timer is jest's fake setInterval; everything else (the store, promises) is real.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, jest, test } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import {
  INTENT_CLAIM_MS,
  INTENT_RENEW_MS,
  IntentJournal,
  IntentTakenOverError,
  newHolderId,
  newIntentId,
} from '../../src/services/intents.js';
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

test('a step is written and read back on the handle; once another process holds the intent, a step is refused', async () => {
  now = T0;
  const j = journal();
  const h = await j.begin(intent('s'));
  expect(j.inProgress).toBe(1);
  const stepped = await h.step({ state: 'created', meetId: 'M1' });
  expect(stepped).toMatchObject({ id: 's', state: 'created', meetId: 'M1', meetingName: 'Weekly sync' });
  expect(h.intent).toMatchObject({ state: 'created', meetId: 'M1' });
  // The claim lapses and B takes it over: our next step must not be written.
  now = new Date(T0.getTime() + INTENT_CLAIM_MS + 1);
  expect(await t.store.claimIntent('s', 'B', INTENT_CLAIM_MS, now)).toBe(true);
  const err = await h.step({ state: 'posting' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IntentTakenOverError);
  expect([(err as IntentTakenOverError).name, (err as IntentTakenOverError).code]).toEqual([
    'IntentTakenOverError',
    'slack_failed',
  ]);
  expect((err as IntentTakenOverError).userMessage).toBe(
    'This is taking longer than usual. I will post the meeting card (or tell you what happened) as soon as it is done.',
  );
  expect(await t.store.getIntent('s')).toMatchObject({ state: 'created', claimedBy: 'B' });
  // The handle is closed: nothing left in progress here, the timer gone.
  expect(j.inProgress).toBe(0);
  expect(await j.idle(0)).toBe(true);
});

test('finish never throws: a finish the store refuses is logged with its outcome, and the handle closed', async () => {
  now = T0;
  const j = journal();
  const h = await j.begin(intent('f'));
  now = new Date(T0.getTime() + INTENT_CLAIM_MS + 1);
  await t.store.claimIntent('f', 'B', INTENT_CLAIM_MS, now);
  await expect(h.finish('failed', 'told the user', { attempts: 2 })).resolves.toBeUndefined();
  const [line] = lines.filter((l) => l.includes('could not mark the meeting creation'));
  expect(line).toContain('"intent":"f"');
  expect(line).toContain('"outcome":"told the user"');
  expect(j.inProgress).toBe(0);
});

test('finish writes the last state, the outcome and what it also records', async () => {
  now = T0;
  const j = journal();
  const h = await j.begin(intent('d'));
  await h.finish('done', 'posted in C1', { messageTs: '1.2' });
  expect(await t.store.getIntent('d')).toMatchObject({
    state: 'done',
    outcome: 'posted in C1',
    messageTs: '1.2',
  });
  expect(j.inProgress).toBe(0);
});

test('a renewal the store fails is logged with how many intents it held; nothing to renew asks nothing', async () => {
  now = T0;
  const j = journal();
  const renew = jest.spyOn(t.store, 'renewIntentClaims');
  await j.renewAll();
  expect(renew).not.toHaveBeenCalled();
  const a = await j.begin(intent('a'));
  const b = await j.begin(intent('b'));
  renew.mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
  await expect(j.renewAll()).resolves.toBeUndefined();
  const [line] = lines.filter((l) => l.includes('could not renew the claims of meeting creations'));
  expect(line).toContain('"intents":2');
  a.close();
  b.close();
});

test('idle: false at once with a zero wait, false after the wait while one is open, true once the last closes', async () => {
  now = T0;
  const j = journal();
  const a = await j.begin(intent('a'));
  const b = await j.begin(intent('b'));
  expect(await j.idle(0)).toBe(false);
  expect(await j.idle(20)).toBe(false);
  // The last close wakes the waiter at once, not when its wait runs out.
  const started = Date.now();
  const waiting = j.idle(3_000);
  a.close();
  b.close();
  expect(await waiting).toBe(true);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('holder names are unique per start and say which process; intent IDs are 24 hex digits', () => {
  expect(newHolderId()).toMatch(new RegExp(`^replica:${process.pid}:[0-9a-f]{12}$`));
  expect(newHolderId('worker')).toMatch(new RegExp(`^worker:${process.pid}:[0-9a-f]{12}$`));
  expect(newHolderId()).not.toBe(newHolderId());
  expect(newIntentId()).toMatch(/^[0-9a-f]{24}$/);
  expect(newIntentId()).not.toBe(newIntentId());
});
