/**
 * Keys ordered by a due time, earliest first: a binary heap, O(log n) a change. An entry
 * is only valid while `current(key)` still answers its time, so a key that was rescheduled
 * or dropped needs no search: its stale entries are skipped and thrown away as they come up.
 */
export class DueQueue {
  readonly #times: number[] = [];
  readonly #keys: string[] = [];
  readonly #current: (key: string) => number | undefined;

  /** @param current the key's due time now, or `undefined` when it is no longer due at all */
  constructor(current: (key: string) => number | undefined) {
    this.#current = current;
  }

  get size(): number {
    return this.#keys.length;
  }

  push(key: string, at: number): void {
    this.#times.push(at);
    this.#keys.push(key);
    this.#up(this.#keys.length - 1);
  }

  /** The valid keys due by `now`, earliest first, at most `limit`; they stay queued. */
  due(now: number, limit: number): string[] {
    const taken: [string, number][] = [];
    while (taken.length < limit && this.#keys.length > 0 && this.#times[0]! <= now) {
      const key = this.#keys[0]!;
      const at = this.#times[0]!;
      this.#pop();
      if (this.#current(key) === at && !taken.some(([k]) => k === key)) taken.push([key, at]);
    }
    for (const [key, at] of taken) this.push(key, at);
    return taken.map(([key]) => key);
  }

  /** Drops every stale entry at once (O(n)); worth it when most entries went stale. */
  compact(): void {
    const live = this.#keys
      .map((key, i) => [key, this.#times[i]!] as const)
      .filter(([key, at]) => this.#current(key) === at);
    this.#keys.length = 0;
    this.#times.length = 0;
    for (const [key, at] of live) this.push(key, at);
  }

  #pop(): void {
    const lastTime = this.#times.pop()!;
    const lastKey = this.#keys.pop()!;
    if (this.#keys.length === 0) return;
    this.#times[0] = lastTime;
    this.#keys[0] = lastKey;
    this.#down(0);
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#times[parent]! <= this.#times[i]!) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.#times.length && this.#times[left]! < this.#times[least]!) least = left;
      if (right < this.#times.length && this.#times[right]! < this.#times[least]!) least = right;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }

  #swap(a: number, b: number): void {
    [this.#times[a], this.#times[b]] = [this.#times[b]!, this.#times[a]!];
    [this.#keys[a], this.#keys[b]] = [this.#keys[b]!, this.#keys[a]!];
  }
}
