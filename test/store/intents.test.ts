/** The meeting_intents part of the store, on both engines: recording, updates under a claim, and claim races. */
import type { NewMeetingIntent, Store } from '../../src/store/types.js';
import { testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function intent(over: Partial<NewMeetingIntent> = {}): NewMeetingIntent {
  return {
    id: 'i-1',
    teamId: 'T1',
    channelId: 'C1',
    userId: 'U1',
    meetingName: 'Weekly sync',
    request: {
      kind: 'instant',
      hostLoginId: 'L1',
      startAt: T0.toISOString(),
      endAt: at(3_600_000).toISOString(),
      timeZone: 'Europe/Paris',
      options: { requireVerification: false },
      invitees: ['U2'],
    },
    responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
    beforeIds: ['100', '101'],
    ...over,
  };
}

describe.each(DIALECTS)('meeting intents on %s', (dialect) => {
  let store: Store;
  /** A second instance on the same database: its own connection (SQLite) or pool (Postgres). */
  let other: Store;
  useStorePair(dialect, (pair) => ({ store, other } = pair));

  test('an intent is recorded whole, claimed by its writer, and read back by another instance', async () => {
    const written = await store.insertIntent(intent(), 'A', 20_000, T0);
    const read = await other.getIntent('i-1');
    expect(read).toEqual(written);
    expect(read).toMatchObject({
      state: 'creating',
      meetId: null,
      messageTs: null,
      claimedBy: 'A',
      claimExpiresAt: at(20_000),
      beforeIds: ['100', '101'],
      request: { kind: 'instant', invitees: ['U2'], options: { requireVerification: false } },
      responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
      createdAt: T0,
    });
    const noSnapshot = await store.insertIntent(intent({ id: 'i-2', beforeIds: null }), 'A', 20_000, T0);
    expect(noSnapshot.beforeIds).toBeNull();
  });

  test('only the holder updates it, even after its claim expired, until someone takes it over', async () => {
    await store.insertIntent(intent(), 'A', 1_000, T0);
    expect(await store.updateIntent('i-1', 'B', { state: 'created', meetId: '200' }, at(10))).toBeNull();
    const updated = await store.updateIntent('i-1', 'A', { state: 'created', meetId: '200' }, at(5_000));
    expect(updated).toMatchObject({ state: 'created', meetId: '200', updatedAt: at(5_000) });
    expect(await other.claimIntent('i-1', 'B', 20_000, at(6_000))).toBe(true);
    expect(await store.updateIntent('i-1', 'A', { state: 'posting' }, at(6_001))).toBeNull();
    expect((await store.getIntent('i-1'))?.state).toBe('created');
  });

  test('an update reads back only what it can change, never the list taken before the create', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => String(1_000_000 + i));
    await store.insertIntent(intent({ beforeIds: ids }), 'A', 20_000, T0);
    const updated = await store.updateIntent('i-1', 'A', { state: 'created', meetId: '200' }, at(10));
    expect(updated).toEqual({
      state: 'created',
      meetId: '200',
      messageChannel: null,
      messageTs: null,
      claimedBy: 'A',
      claimExpiresAt: at(20_000),
      attempts: 0,
      outcome: null,
      updatedAt: at(10),
    });
    expect((await store.getIntent('i-1'))?.beforeIds).toEqual(ids);
  });

  test('a finished intent clears its claim and is never claimed, listed or updated again', async () => {
    await store.insertIntent(intent(), 'A', 1_000, T0);
    const done = await store.updateIntent(
      'i-1',
      'A',
      { state: 'done', messageChannel: 'C1', messageTs: '1.2', outcome: 'posted' },
      at(10),
    );
    expect(done).toMatchObject({ state: 'done', claimedBy: null, claimExpiresAt: null, messageTs: '1.2' });
    expect(await other.claimIntent('i-1', 'B', 20_000, at(60_000))).toBe(false);
    expect(await store.listRecoverableIntents(at(60_000), 10)).toEqual([]);
    expect(await store.updateIntent('i-1', 'A', { state: 'posting' }, at(20))).toBeNull();
  });

  test('recoverable: unfinished and unclaimed or expired, oldest first; the holder renews', async () => {
    await store.insertIntent(intent({ id: 'young' }), 'A', 20_000, at(1_000));
    await store.insertIntent(intent({ id: 'old' }), 'A', 20_000, T0);
    await store.insertIntent(intent({ id: 'released' }), 'A', 20_000, at(2_000));
    await store.releaseIntent('released', 'A', at(2_000));
    expect((await store.listRecoverableIntents(at(10_000), 10)).map((i) => i.id)).toEqual(['released']);
    expect((await store.listRecoverableIntents(at(20_500), 10)).map((i) => i.id)).toEqual([
      'old',
      'released',
    ]);
    expect(await store.claimIntent('young', 'A', 20_000, at(20_500))).toBe(true);
    expect(await other.claimIntent('young', 'B', 20_000, at(21_000))).toBe(false);
    expect((await store.listRecoverableIntents(at(30_000), 1)).map((i) => i.id)).toEqual(['old']);
  });

  test('renewing many claims at once: its own and free ones, never finished ones or a live claim of another', async () => {
    for (let i = 0; i < 230; i++) await store.insertIntent(intent({ id: `mine-${i}` }), 'A', 20_000, T0);
    await store.insertIntent(intent({ id: 'theirs' }), 'B', 20_000, T0);
    await store.insertIntent(intent({ id: 'done' }), 'A', 20_000, T0);
    await store.updateIntent('done', 'A', { state: 'done', outcome: 'posted' }, at(1_000));
    await store.insertIntent(intent({ id: 'free' }), 'A', 20_000, T0);
    await store.releaseIntent('free', 'A', at(1_000));
    const ids = [...Array.from({ length: 230 }, (_, i) => `mine-${i}`), 'theirs', 'done', 'free', 'unknown'];
    const renewed = await other.renewIntentClaims(ids, 'A', 20_000, at(5_000));
    expect(renewed.sort()).toEqual([...ids.slice(0, 230), 'free'].sort());
    expect(await store.getIntent('mine-229')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(25_000) });
    expect(await store.getIntent('free')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(25_000) });
    expect(await store.getIntent('theirs')).toMatchObject({ claimedBy: 'B', claimExpiresAt: at(20_000) });
    expect(await store.getIntent('done')).toMatchObject({ state: 'done', claimedBy: null });
    // Once B's claim has lapsed, A may take it; B's own renewal then gets nothing.
    expect(await store.renewIntentClaims(['theirs'], 'A', 20_000, at(21_000))).toEqual(['theirs']);
    expect(await other.renewIntentClaims(['theirs', 'mine-0'], 'B', 20_000, at(22_000))).toEqual([]);
    expect(await store.renewIntentClaims([], 'A', 20_000, at(22_000))).toEqual([]);
  });

  test('an update writes each field it is given and leaves the others; failed also clears the claim', async () => {
    await store.insertIntent(intent(), 'A', 20_000, T0);
    await store.updateIntent('i-1', 'A', { meetId: '200' }, at(1));
    await store.updateIntent('i-1', 'A', { messageChannel: 'C9' }, at(2));
    await store.updateIntent('i-1', 'A', { messageTs: '1.5' }, at(3));
    await store.updateIntent('i-1', 'A', { attempts: 3 }, at(4));
    expect(await store.updateIntent('i-1', 'A', { outcome: 'retrying' }, at(5))).toEqual({
      state: 'creating',
      meetId: '200',
      messageChannel: 'C9',
      messageTs: '1.5',
      claimedBy: 'A',
      claimExpiresAt: at(20_000),
      attempts: 3,
      outcome: 'retrying',
      updatedAt: at(5),
    });
    const failed = await store.updateIntent('i-1', 'A', { state: 'failed', outcome: 'refused' }, at(6));
    expect(failed).toMatchObject({
      state: 'failed',
      claimedBy: null,
      claimExpiresAt: null,
      outcome: 'refused',
    });
    expect(await other.getIntent('i-1')).toMatchObject({ ...failed, id: 'i-1', createdAt: T0 });
    expect(await other.claimIntent('i-1', 'B', 20_000, at(60_000))).toBe(false);
  });

  test('a claim is released by its holder only', async () => {
    await store.insertIntent(intent(), 'A', 20_000, T0);
    await other.releaseIntent('i-1', 'B', at(1_000));
    expect(await store.getIntent('i-1')).toMatchObject({
      claimedBy: 'A',
      claimExpiresAt: at(20_000),
      updatedAt: T0,
    });
    expect(await other.claimIntent('i-1', 'B', 20_000, at(1_000))).toBe(false);
    await store.releaseIntent('i-1', 'A', at(2_000));
    expect(await store.getIntent('i-1')).toMatchObject({
      claimedBy: null,
      claimExpiresAt: null,
      updatedAt: at(2_000),
    });
    expect(await other.claimIntent('i-1', 'B', 20_000, at(2_000))).toBe(true);
  });

  test('the recoverable list takes a whole, non-negative limit', async () => {
    for (const id of ['a', 'b', 'c']) {
      await store.insertIntent(intent({ id }), 'A', 20_000, T0);
      await store.releaseIntent(id, 'A', T0);
    }
    const ids = async (limit: number) => (await store.listRecoverableIntents(at(1), limit)).map((i) => i.id);
    expect(await ids(2.9)).toEqual(['a', 'b']);
    expect(await ids(0)).toEqual([]);
    expect(await ids(-1)).toEqual([]);
    expect(await ids(10)).toEqual(['a', 'b', 'c']);
  });

  test('taking over an expired claim: exactly one of four winners, 20 rounds', async () => {
    for (let round = 0; round < 20; round++) {
      const id = `race-${round}`;
      await store.insertIntent(intent({ id }), 'crashed', 1_000, T0);
      const results = await Promise.all([
        store.claimIntent(id, 'A1', 20_000, at(5_000)),
        other.claimIntent(id, 'B1', 20_000, at(5_000)),
        store.claimIntent(id, 'A2', 20_000, at(5_000)),
        other.claimIntent(id, 'B2', 20_000, at(5_000)),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  test('pruning deletes finished intents older than the bound only (one updated at the bound is kept)', async () => {
    await store.insertIntent(intent({ id: 'old-done' }), 'A', 1_000, T0);
    await store.updateIntent('old-done', 'A', { state: 'done' }, T0);
    await store.insertIntent(intent({ id: 'old-open' }), 'A', 1_000, T0);
    await store.insertIntent(intent({ id: 'new-failed' }), 'A', 1_000, T0);
    await store.updateIntent('new-failed', 'A', { state: 'failed' }, at(10_000));
    await store.insertIntent(intent({ id: 'at-bound' }), 'A', 1_000, T0);
    await store.updateIntent('at-bound', 'A', { state: 'done' }, at(5_000));
    expect(await store.pruneIntents(at(5_000))).toBe(1);
    expect(await store.getIntent('at-bound')).toMatchObject({ id: 'at-bound', state: 'done' });
    expect(await store.getIntent('old-done')).toBeNull();
    expect(await store.getIntent('old-open')).toMatchObject({ id: 'old-open', state: 'creating' });
    expect(await store.getIntent('new-failed')).toMatchObject({ id: 'new-failed', state: 'failed' });
  });
});
