/** Past this many hits a window, a limit counts in buckets rather than remember each hit. */
export const EXACT_UP_TO = 64;

/** How many buckets a large window is cut into. */
export const BUCKETS = 60;

/** The width of a large window's buckets, in milliseconds: the stores count by it. */
export function bucketWidth(windowMs: number): number {
  return Math.max(Math.ceil(windowMs / BUCKETS), 1);
}

/**
 * The hits of one rate-limit key within its window, at a constant cost per hit and a
 * memory that does not grow with traffic: small limits remember each hit (at most
 * `limit`, exact), large ones count per bucket of a sixtieth of the window. A bucket that
 * has partly left the window still counts whole, so a limit is never exceeded: it may
 * refuse a little early, never late.
 */
export interface SlidingWindow {
  /** Whether one more hit at `now` fits; if not, the milliseconds until one does. */
  room(now: number): { ok: true } | { ok: false; retryAfterMs: number };
  /** Counts a hit at `now` (after `room` said it fits). */
  add(now: number): void;
  /** Takes back one hit counted at exactly `at`, if it is still counted. */
  refund(at: number): void;
  /** The time of the newest hit, for dropping idle keys. */
  readonly last: number;
}

/** A window for a rule: exact for small limits, bucketed for large ones. */
export function slidingWindow(limit: number, windowMs: number): SlidingWindow {
  return limit <= EXACT_UP_TO ? new ExactWindow(limit, windowMs) : new BucketedWindow(limit, windowMs);
}

/** Each hit's time, oldest first, in a ring of `limit` places: never more are kept. */
class ExactWindow implements SlidingWindow {
  readonly #times: number[];
  #head = 0;
  #size = 0;
  readonly #limit: number;
  readonly #windowMs: number;
  last = -Infinity;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#times = new Array<number>(limit);
  }

  room(now: number) {
    this.#expire(now);
    if (this.#size < this.#limit) return { ok: true as const };
    return { ok: false as const, retryAfterMs: this.#times[this.#head]! + this.#windowMs - now };
  }

  add(now: number): void {
    this.#times[(this.#head + this.#size) % this.#limit] = now;
    this.#size++;
    this.last = now;
  }

  refund(at: number): void {
    for (let i = this.#size - 1; i >= 0; i--) {
      const slot = (this.#head + i) % this.#limit;
      if (this.#times[slot] !== at) continue;
      // Close the gap: later hits move back one place, keeping the ring in order.
      for (let j = i; j < this.#size - 1; j++) {
        this.#times[(this.#head + j) % this.#limit] = this.#times[(this.#head + j + 1) % this.#limit]!;
      }
      this.#size--;
      return;
    }
  }

  #expire(now: number): void {
    while (this.#size > 0 && this.#times[this.#head]! <= now - this.#windowMs) {
      this.#head = (this.#head + 1) % this.#limit;
      this.#size--;
    }
  }
}

/**
 * Counts per bucket of `windowMs / 60`, with a running total. Only buckets that hold hits
 * are kept, oldest first, so a key hit once (a number called once) costs one pair.
 */
class BucketedWindow implements SlidingWindow {
  /** Bucket indexes (time / width) and their counts, oldest first. */
  #indexes: number[] = [];
  #counts: number[] = [];
  readonly #width: number;
  readonly #limit: number;
  #total = 0;
  last = -Infinity;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#width = bucketWidth(windowMs);
  }

  room(now: number) {
    this.#expire(now);
    if (this.#total < this.#limit) return { ok: true as const };
    // The oldest buckets leave the window first: find when enough of them will have. A
    // bucket leaves once the current one is BUCKETS further on.
    let left = this.#total;
    for (let i = 0; i < this.#indexes.length; i++) {
      left -= this.#counts[i]!;
      if (left < this.#limit)
        return { ok: false as const, retryAfterMs: (this.#indexes[i]! + BUCKETS) * this.#width - now };
    }
    return { ok: false as const, retryAfterMs: BUCKETS * this.#width };
  }

  add(now: number): void {
    const index = Math.floor(now / this.#width);
    const newest = this.#indexes.length - 1;
    if (newest >= 0 && this.#indexes[newest]! >= index) this.#counts[newest]!++;
    else if (newest < 0) {
      // Most keys are hit once (a number called once): arrays of one, not of V8's seventeen for a push.
      this.#indexes = [index];
      this.#counts = [1];
    } else {
      this.#indexes.push(index);
      this.#counts.push(1);
    }
    this.#total++;
    this.last = now;
  }

  refund(at: number): void {
    const bucket = this.#indexes.lastIndexOf(Math.floor(at / this.#width));
    if (bucket < 0 || this.#counts[bucket]! === 0) return;
    this.#counts[bucket]!--;
    this.#total--;
  }

  /** Drops the buckets that time has moved past: those BUCKETS or more behind now's. */
  #expire(now: number): void {
    const oldest = Math.floor(now / this.#width) - BUCKETS + 1;
    let drop = 0;
    while (drop < this.#indexes.length && this.#indexes[drop]! < oldest) this.#total -= this.#counts[drop++]!;
    if (drop > 0) {
      this.#indexes.splice(0, drop);
      this.#counts.splice(0, drop);
    }
  }
}
