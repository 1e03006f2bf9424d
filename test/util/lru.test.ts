import { LruCache } from '../../src/util/lru.js';

describe('LruCache', () => {
  test('evicts the least recently used entry at its bound', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });

  test('never holds more than max entries, however many keys it sees', () => {
    const cache = new LruCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    expect(cache.size).toBe(100);
    expect(cache.get(9_899)).toBeUndefined();
    expect(cache.get(9_900)).toBe(9_900);
  });

  test('setting an existing key refreshes it instead of growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(2);
  });

  test('keeps undefined values apart from misses, and deletes', () => {
    const cache = new LruCache<string, number | undefined>(2);
    cache.set('u', undefined);
    expect(cache.has('u')).toBe(true);
    expect(cache.delete('u')).toBe(true);
    expect(cache.has('u')).toBe(false);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });

  test('onEvict hears of each entry dropped for room, and not of delete, clear or a refresh', () => {
    const dropped: Array<[string, number]> = [];
    const cache = new LruCache<string, number>(2, (key, value) => dropped.push([key, value]));
    cache.set('a', 1).set('b', 2).set('a', 10);
    expect(dropped).toEqual([]);
    cache.set('c', 3);
    expect(dropped).toEqual([['b', 2]]);
    cache.get('a');
    cache.set('d', 4);
    expect(dropped).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    cache.delete('a');
    cache.clear();
    expect(dropped).toHaveLength(2);
  });

  test('keys lists least recently used first without touching recency', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    expect(cache.keys()).toEqual(['b', 'c', 'a']);
    expect(cache.keys()).toEqual(['b', 'c', 'a']);
    cache.set('d', 4);
    expect(cache.keys()).toEqual(['c', 'a', 'd']);
  });
});
