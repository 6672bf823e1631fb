/** A first-in first-out queue of keys with O(1) push and shift. */
export class KeyQueue {
  #keys: string[] = [];
  #head = 0;

  push(key: string): void {
    this.#keys.push(key);
  }

  /** The oldest key, or `undefined` when empty. */
  peek(): string | undefined {
    return this.#keys[this.#head];
  }

  shift(): void {
    this.#head++;
    // Drop the consumed front now and then, so the array does not grow for ever.
    if (this.#head > 1024 && this.#head * 2 > this.#keys.length) {
      this.#keys = this.#keys.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * A Map whose entries expire, bounded in size, pruned in insertion order at O(1) per
 * write. It keeps its own queue of keys rather than iterating the Map from the front: V8
 * leaves deleted entries in place until it rehashes, so "find the oldest" by iteration
 * gets slower with every deletion.
 */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();
  readonly #order = new KeyQueue();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value of a key that has not expired. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.until > now ? entry.value : undefined;
  }

  /** Sets a key until `until` (epoch ms), then drops what expired or overflows. */
  set(key: string, value: V, until: number, now: number): void {
    if (!this.#entries.has(key)) this.#order.push(key);
    this.#entries.set(key, { value, until });
    this.prune(now);
  }

  /**
   * Sets a new key only if there is room once expired entries are dropped: never at the
   * cost of an entry that has not expired. Answers whether it was set.
   */
  add(key: string, value: V, until: number, now: number): boolean {
    this.prune(now, false);
    if (this.#entries.size >= this.#max && !this.#entries.has(key)) return false;
    this.set(key, value, until, now);
    return true;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /**
   * Drops entries from the oldest on while they have expired, or (unless `evict` is
   * false) while the map is too large.
   */
  prune(now: number, evict = true): void {
    for (let key = this.#order.peek(); key !== undefined; key = this.#order.peek()) {
      const entry = this.#entries.get(key);
      if (entry && entry.until > now && (!evict || this.#entries.size <= this.#max)) break;
      if (entry) this.#entries.delete(key);
      this.#order.shift();
    }
  }
}
