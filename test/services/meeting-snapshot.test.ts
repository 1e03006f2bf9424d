/**
 * The list of meeting IDs a createMeeting is compared against after a lost answer: shared by creates that start
 * while it is being fetched, never reused once its answer has arrived.
 */
import { MeetingSnapshots } from '../../src/services/meeting-snapshot.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('creates that start while a list is being fetched share it: one query for all of them', async () => {
  const answers = [deferred<ReadonlySet<string> | null>()];
  let queries = 0;
  const snapshots = new MeetingSnapshots(() => {
    queries++;
    return (answers[queries - 1] as (typeof answers)[number]).promise;
  });
  const a = snapshots.beforeCreate();
  const b = snapshots.beforeCreate();
  const c = snapshots.beforeCreate();
  expect(queries).toBe(1);
  answers[0]?.resolve(new Set(['1', '2']));
  const [sa, sb, sc] = await Promise.all([a, b, c]);
  expect([...(sa ?? [])]).toEqual(['1', '2']);
  expect(sb).toBe(sa);
  expect(sc).toBe(sa);
  expect(snapshots.taken).toBe(1);
});

test('a create that starts after the answer arrived takes a new list (a finished one is never reused)', async () => {
  const lists: Array<ReadonlySet<string>> = [new Set(['1']), new Set(['1', '2'])];
  let queries = 0;
  const snapshots = new MeetingSnapshots(async () => lists[queries++] ?? null);
  const first = await snapshots.beforeCreate();
  // Somebody made meeting 2 meanwhile: the next create must see it.
  const second = await snapshots.beforeCreate();
  expect(queries).toBe(2);
  expect([...(first ?? [])]).toEqual(['1']);
  expect([...(second ?? [])]).toEqual(['1', '2']);
});

test('a create that starts in the same tick as the answer, after it, still takes a new list', async () => {
  const answer = deferred<ReadonlySet<string> | null>();
  let queries = 0;
  const snapshots = new MeetingSnapshots(() => {
    queries++;
    return queries === 1 ? answer.promise : Promise.resolve(new Set(['later']));
  });
  const later: Array<Promise<ReadonlySet<string> | null>> = [];
  const first = snapshots.beforeCreate().then((s) => {
    // Resumed by the answer: anything started from here on is after it.
    later.push(snapshots.beforeCreate());
    return s;
  });
  answer.resolve(new Set(['early']));
  expect([...((await first) ?? [])]).toEqual(['early']);
  expect([...((await later[0]) ?? [])]).toEqual(['later']);
  expect(queries).toBe(2);
});

test('a list MegaMeeting could not give (null) is shared too, and the next create asks again', async () => {
  const answer = deferred<ReadonlySet<string> | null>();
  let queries = 0;
  const snapshots = new MeetingSnapshots(() => {
    queries++;
    return queries === 1 ? answer.promise : Promise.resolve(new Set(['9']));
  });
  const a = snapshots.beforeCreate();
  const b = snapshots.beforeCreate();
  answer.resolve(null);
  expect(await a).toBeNull();
  expect(await b).toBeNull();
  expect([...((await snapshots.beforeCreate()) ?? [])]).toEqual(['9']);
  expect(queries).toBe(2);
});

test('a list whose query throws is not kept: the next create asks again', async () => {
  let queries = 0;
  const snapshots = new MeetingSnapshots(async () => {
    queries++;
    if (queries === 1) throw new Error('boom');
    return new Set(['3']);
  });
  await expect(snapshots.beforeCreate()).rejects.toThrow('boom');
  expect([...((await snapshots.beforeCreate()) ?? [])]).toEqual(['3']);
});
