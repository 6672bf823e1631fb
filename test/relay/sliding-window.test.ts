import fc from 'fast-check';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXACT_UP_TO, slidingWindow } from '../../src/relay/store/sliding-window.js';

/** The plain definition: the hits within the last `windowMs`. */
function naive(limit: number, windowMs: number) {
  const hits: number[] = [];
  return {
    fits: (now: number) => hits.filter((t) => t > now - windowMs).length < limit,
    add: (now: number) => hits.push(now),
  };
}

/** Times that only move forward, by steps of a share (0 to 1) of `windowMs` times `scale`. */
const steps = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 });
function timeline(shares: number[], windowMs: number, scale: number): number[] {
  let now = 1_000_000;
  return shares.map((share) => (now += Math.floor(share * windowMs * scale)));
}

describe('the memory store’s sliding windows', () => {
  it('are exact for small limits: they allow exactly what the plain definition allows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: EXACT_UP_TO }),
        fc.integer({ min: 1000, max: 100_000 }),
        steps,
        (limit, windowMs, shares) => {
          const window = slidingWindow(limit, windowMs);
          const reference = naive(limit, windowMs);
          for (const now of timeline(shares, windowMs, 1)) {
            const room = window.room(now);
            assert.equal(room.ok, reference.fits(now), `at ${now}`);
            if (room.ok) {
              window.add(now);
              reference.add(now);
            } else assert.ok(!reference.fits(now + room.retryAfterMs - 1) && reference.fits(now + room.retryAfterMs));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never allow more than the limit in any window, for large limits too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: EXACT_UP_TO + 1, max: 500 }),
        fc.integer({ min: 1000, max: 100_000 }),
        steps,
        (limit, windowMs, shares) => {
          const window = slidingWindow(limit, windowMs);
          const reference = naive(limit, windowMs);
          let allowed = 0;
          for (const now of timeline(shares, windowMs, 1 / 50)) {
            const room = window.room(now);
            if (!room.ok) {
              assert.ok(room.retryAfterMs > 0 && room.retryAfterMs <= windowMs * 1.05, `retry in ${room.retryAfterMs}`);
              continue;
            }
            assert.ok(reference.fits(now), `allowed hit ${allowed + 1} at ${now} over the limit ${limit}`);
            window.add(now);
            reference.add(now);
            allowed++;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keep a constant size however many hits come', () => {
    const window = slidingWindow(1_000_000, 3_600_000);
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) {
      window.room(i);
      window.add(i);
    }
    assert.ok(performance.now() - started < 2000);
    assert.equal(window.room(200_000).ok, true);
  });

  it('take back a refunded hit', () => {
    for (const limit of [2, 200]) {
      const window = slidingWindow(limit, 60_000);
      for (let i = 0; i < limit; i++) window.add(1000 + i);
      assert.equal(window.room(2000).ok, false);
      window.refund(1000);
      assert.equal(window.room(2000).ok, true, `limit ${limit}`);
    }
  });
});
