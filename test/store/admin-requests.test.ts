/**
 * The admin_requests part of the store, on both engines: one open request per person and kind (a repeat
 * returns the open one; a decided or expired one is replaced), claims where exactly one of several admins wins,
 * and decisions only by the claim's holder.
 */
import type { NewAdminRequest, Store } from '../../src/store/types.js';
import { testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const WEEK = 7 * 24 * 3_600_000;
const ROUNDS = 25;

function req(over: Partial<NewAdminRequest> = {}): NewAdminRequest {
  return {
    id: 'r-1',
    teamId: 'T1',
    kind: 'access',
    subjectUserId: 'U1',
    subjectName: 'Ana Alvarez',
    subjectEmail: 'ana@example.com',
    loginId: null,
    ttlMs: WEEK,
    ...over,
  };
}

describe.each(DIALECTS)('admin requests on %s', (dialect) => {
  let store: Store;
  /** A second instance on the same database: its own connection (SQLite) or pool (Postgres). */
  let other: Store;
  useStorePair(dialect, (pair) => ({ store, other } = pair));

  test('a request is recorded whole and read back by another instance', async () => {
    const { request, created } = await store.openAdminRequest(req(), T0);
    expect(created).toBe(true);
    expect(request).toEqual({
      id: 'r-1',
      teamId: 'T1',
      kind: 'access',
      subjectUserId: 'U1',
      subjectName: 'Ana Alvarez',
      subjectEmail: 'ana@example.com',
      loginId: null,
      state: 'open',
      outcome: null,
      decidedBy: null,
      decidedAt: null,
      messages: [],
      claimedBy: null,
      claimExpiresAt: null,
      createdAt: T0,
      expiresAt: at(WEEK),
    });
    await store.setAdminRequestMessages('r-1', [{ userId: 'UA', channel: 'DA', ts: '1.2' }]);
    expect((await other.getAdminRequest('r-1'))?.messages).toEqual([
      { userId: 'UA', channel: 'DA', ts: '1.2' },
    ]);
    expect(await other.getAdminRequest('nope')).toBeNull();
  });

  test('a second request of the same person and kind returns the open one; other kinds and people are their own', async () => {
    await store.openAdminRequest(req(), T0);
    const again = await other.openAdminRequest(req({ id: 'r-2' }), at(1000));
    expect(again.created).toBe(false);
    expect(again.request.id).toBe('r-1');
    expect(again.request.createdAt).toEqual(T0);
    expect((await store.openAdminRequest(req({ id: 'r-3', kind: 'offboarding' }), T0)).created).toBe(true);
    expect((await store.openAdminRequest(req({ id: 'r-4', subjectUserId: 'U2' }), T0)).created).toBe(true);
    expect((await store.openAdminRequest(req({ id: 'r-5', teamId: 'T2' }), T0)).created).toBe(true);
  });

  test('an expired or decided request is replaced by a new one (new id: old buttons stop working)', async () => {
    await store.openAdminRequest(req(), T0);
    const later = await store.openAdminRequest(req({ id: 'r-2' }), at(WEEK));
    expect(later.created).toBe(true);
    expect(later.request.id).toBe('r-2');
    expect(await store.getAdminRequest('r-1')).toBeNull();
    expect(await store.claimAdminRequest('r-2', 'A', 30_000, at(WEEK))).toBe(true);
    await store.finishAdminRequest('r-2', 'A', { outcome: 'declined', decidedBy: 'UA' }, at(WEEK + 1));
    const third = await store.openAdminRequest(req({ id: 'r-3' }), at(WEEK + 2));
    expect(third).toMatchObject({ created: true, request: { id: 'r-3', state: 'open', outcome: null } });
  });

  test('a claim: one holder at a time, none on an expired or decided request; released or lapsed claims are free', async () => {
    await store.openAdminRequest(req(), T0);
    expect(await store.claimAdminRequest('r-1', 'A', 30_000, T0)).toBe(true);
    expect(await other.claimAdminRequest('r-1', 'B', 30_000, at(1))).toBe(false);
    await store.releaseAdminRequest('r-1', 'B'); // not B's: nothing happens
    expect(await other.claimAdminRequest('r-1', 'B', 30_000, at(2))).toBe(false);
    await store.releaseAdminRequest('r-1', 'A');
    expect(await other.claimAdminRequest('r-1', 'B', 30_000, at(3))).toBe(true);
    // B crashed: after the claim lapses, C may take it.
    expect(await store.claimAdminRequest('r-1', 'C', 30_000, at(30_003))).toBe(true);
    expect(
      await store.finishAdminRequest('r-1', 'B', { outcome: 'x', decidedBy: 'UB' }, at(30_004)),
    ).toBeNull();
    const done = await store.finishAdminRequest(
      'r-1',
      'C',
      { outcome: 'linked', decidedBy: 'UC', loginId: 'L9' },
      at(30_005),
    );
    expect(done).toMatchObject({
      state: 'done',
      outcome: 'linked',
      decidedBy: 'UC',
      decidedAt: at(30_005),
      loginId: 'L9',
      claimedBy: null,
    });
    expect(await store.claimAdminRequest('r-1', 'D', 30_000, at(30_006))).toBe(false);
    await store.openAdminRequest(req({ id: 'r-2', subjectUserId: 'U2' }), T0);
    expect(await store.claimAdminRequest('r-2', 'A', 30_000, at(WEEK))).toBe(false);
  });

  test('a claim is read back; its holder may still decide once it lapsed if nobody took it over; no login given keeps the one asked about', async () => {
    await store.openAdminRequest(req({ kind: 'offboarding', loginId: 'L7' }), T0);
    expect(await store.claimAdminRequest('r-1', 'A', 30_000, at(10))).toBe(true);
    expect(await other.getAdminRequest('r-1')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(30_010) });
    const done = await other.finishAdminRequest(
      'r-1',
      'A',
      { outcome: 'deactivated', decidedBy: 'UA' },
      at(60_000),
    );
    expect(done).toMatchObject({
      kind: 'offboarding',
      state: 'done',
      outcome: 'deactivated',
      decidedBy: 'UA',
      decidedAt: at(60_000),
      loginId: 'L7',
      claimedBy: null,
      claimExpiresAt: null,
    });
    expect(await store.getAdminRequest('r-1')).toEqual(done);
    expect(
      await store.finishAdminRequest('r-1', 'A', { outcome: 'again', decidedBy: 'UA' }, at(60_001)),
    ).toBeNull();
  });

  test('a released claim is cleared', async () => {
    await store.openAdminRequest(req(), T0);
    await store.claimAdminRequest('r-1', 'A', 30_000, T0);
    await other.releaseAdminRequest('r-1', 'A');
    expect(await store.getAdminRequest('r-1')).toMatchObject({
      state: 'open',
      claimedBy: null,
      claimExpiresAt: null,
    });
  });

  test(`two instances claiming at once: exactly one wins (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const id = `race-${i}`;
      await store.openAdminRequest(req({ id, subjectUserId: `U${i}` }), T0);
      const results = await Promise.all([
        store.claimAdminRequest(id, 'A', 30_000, T0),
        other.claimAdminRequest(id, 'B', 30_000, T0),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  test(`two instances opening at once: exactly one creates (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const results = await Promise.all([
        store.openAdminRequest(req({ id: `a-${i}`, subjectUserId: `U${i}` }), T0),
        other.openAdminRequest(req({ id: `b-${i}`, subjectUserId: `U${i}` }), T0),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.request.id).toBe(results[1]?.request.id);
    }
  });
});
