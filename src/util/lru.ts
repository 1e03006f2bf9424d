/**
 * A least-recently-used cache with a fixed number of entries: a Map in recency order (a hit moves the key to the
 * end; a set beyond `max` drops the first, least recently used, key). For caches whose keys come from outside
 * (Slack user IDs, zone names) so memory stays flat however many keys a long run sees.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  /** `onEvict` hears of each entry dropped for room (not of `delete` or `clear`): to stop what it holds. */
  constructor(
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`LruCache max must be a positive integer: ${max}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        const dropped = this.#entries.get(oldest.value) as V;
        this.#entries.delete(oldest.value);
        this.onEvict?.(oldest.value, dropped);
      }
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** The keys, least recently used first, without touching their recency. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }

  clear(): void {
    this.#entries.clear();
  }
}
