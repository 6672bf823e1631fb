import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlineSignal } from '../../src/relay/deadline.js';

describe('deadlineSignal', () => {
  it('fires no sooner than the time-out and at most a tenth of a second later', async () => {
    const started = performance.now();
    const signal = deadlineSignal(150);
    // The signal's timer does not keep the process alive; this one does meanwhile.
    const alive = setTimeout(() => {}, 1000);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    clearTimeout(alive);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 149, `not early (${elapsed} ms)`);
    assert.ok(elapsed < 150 + 100 + 50, `not much later (${elapsed} ms)`);
  });

  it('is shared by requests starting together, and renewed once the slot has passed', () => {
    const now = 1_000_000;
    const first = deadlineSignal(10_000, now);
    assert.equal(deadlineSignal(10_000, now + 60), first);
    assert.notEqual(deadlineSignal(10_000, now + 101), first, 'a later request would wait less than its time-out');
    assert.notEqual(deadlineSignal(20_000, now), first, 'another time-out has its own');
  });
});
