/**
 * Who opened the Home tab, on both engines: App Home republishes a change only for them, whichever replica
 * served their open.
 */
import type { Store } from '../../src/store/types.js';
import { testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(DIALECTS)('home viewers on %s', (dialect) => {
  let store: Store;
  let other: Store;
  useStorePair(dialect, (pair) => ({ store, other } = pair));

  test('an open recorded by one replica is seen by the other, per team, from `since` on', async () => {
    await store.markHomeOpened('T1', 'U1', at(0));
    await store.markHomeOpened('T1', 'U2', at(-120));
    await store.markHomeOpened('T2', 'U3', at(0));

    expect((await other.homeViewersSince('T1', ['U1', 'U2', 'U3', 'U4'], at(-60))).sort()).toEqual(['U1']);
    expect((await other.homeViewersSince('T1', ['U1', 'U2'], at(-120))).sort()).toEqual(['U1', 'U2']);
    // U3 opened Home in another workspace.
    expect(await other.homeViewersSince('T1', ['U3'], at(-60))).toEqual([]);
    expect(await other.homeViewersSince('T2', ['U3'], at(0))).toEqual(['U3']);
    expect(await other.homeViewersSince('T1', [], at(-60))).toEqual([]);
  });

  test('a later open moves the time forward; an earlier one (a replica with a slow clock) never moves it back', async () => {
    await store.markHomeOpened('T1', 'U1', at(-120));
    await other.markHomeOpened('T1', 'U1', at(0));
    expect(await store.homeViewersSince('T1', ['U1'], at(-1))).toEqual(['U1']);

    await store.markHomeOpened('T1', 'U1', at(-300));
    expect(await store.homeViewersSince('T1', ['U1'], at(-1))).toEqual(['U1']);
  });
});
