import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Verifications, VerificationRecord } from '../../src/relay/store/roles.js';

let serial = 0;

/** A verification record with a fresh id and number, expiring ten minutes after `now`. */
export function sampleVerification(now: number, overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  serial++;
  return {
    verificationId: `10000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    number: `9197${String(10_000_000 + serial).slice(-8)}`,
    target: 'otp',
    phone: '+91 97••• ••000',
    codeHash: 'a'.repeat(64),
    callId: `20000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    createdAt: now,
    expiresAt: now + 10 * 60_000,
    ...overrides,
  };
}

/**
 * What every store's {@link Verifications} must do: declared inside a store's contract
 * suite, with the store it made and the clock it gave the store.
 */
export function verificationStoreContract(
  store: () => Verifications,
  clock: { now: () => number; advance(ms: number): void },
): void {
  it('keeps a verification as given, not tried, not used, its number’s current one', async () => {
    const verification = sampleVerification(clock.now());
    await store().saveVerification(verification, true);
    assert.deepEqual(await store().getVerification(verification.verificationId), {
      verification,
      attempts: 0,
      used: false,
      current: true,
    });
    assert.equal(await store().getVerification('10000000-0000-4000-8000-999999999999'), undefined);
  });

  it('keeps a verification without a call, and one saved as not current', async () => {
    const { callId: _none, ...verification } = sampleVerification(clock.now());
    await store().saveVerification(verification, false);
    const state = await store().getVerification(verification.verificationId);
    assert.deepEqual(state?.verification, verification);
    assert.equal(state?.current, false);
  });

  it('counts the codes tried, one at a time, also when tried at once', async () => {
    const verification = sampleVerification(clock.now());
    await store().saveVerification(verification, true);
    const id = verification.verificationId;
    assert.equal(await store().countAttempt(id), 1);
    const counts = await Promise.all([1, 2, 3, 4].map(() => store().countAttempt(id)));
    assert.deepEqual(
      [...counts].sort((a, b) => a! - b!),
      [2, 3, 4, 5],
      'each try gets its own count',
    );
    assert.equal((await store().getVerification(id))?.attempts, 5);
    assert.equal(
      await store().countAttempt('10000000-0000-4000-8000-999999999998'),
      undefined,
      'none: nothing counted',
    );
  });

  it('marks a verification used once, for the first of callers at once', async () => {
    const verification = sampleVerification(clock.now());
    await store().saveVerification(verification, true);
    const id = verification.verificationId;
    const marks = await Promise.all([1, 2, 3].map(() => store().markUsed(id)));
    assert.deepEqual(
      marks.filter((mark) => mark),
      [true],
    );
    assert.equal(await store().markUsed(id), false);
    assert.equal((await store().getVerification(id))?.used, true);
    assert.equal(await store().markUsed('10000000-0000-4000-8000-999999999997'), false);
    assert.equal(await store().getVerification('10000000-0000-4000-8000-999999999997'), undefined, 'nor made one');
  });

  it('makes a newer current verification of the number replace the one before', async () => {
    const first = sampleVerification(clock.now());
    const second = sampleVerification(clock.now(), { number: first.number });
    await store().saveVerification(first, true);
    await store().saveVerification(second, true);
    assert.equal((await store().getVerification(first.verificationId))?.current, false);
    assert.equal((await store().getVerification(second.verificationId))?.current, true);
    const other = sampleVerification(clock.now());
    await store().saveVerification(other, true);
    assert.equal((await store().getVerification(second.verificationId))?.current, true, 'numbers are apart');
  });

  it('leaves the number’s current verification as it is for one saved as not current', async () => {
    const current = sampleVerification(clock.now());
    const aside = sampleVerification(clock.now(), { number: current.number, callId: undefined });
    await store().saveVerification(current, true);
    await store().saveVerification(aside, false);
    assert.equal((await store().getVerification(current.verificationId))?.current, true);
    assert.equal((await store().getVerification(aside.verificationId))?.current, false);
  });

  it('keeps a verification’s state until it expires', async () => {
    const verification = sampleVerification(clock.now(), { expiresAt: clock.now() + 60_000 });
    await store().saveVerification(verification, true);
    await store().countAttempt(verification.verificationId);
    await store().markUsed(verification.verificationId);
    clock.advance(59_000);
    assert.deepEqual(await store().getVerification(verification.verificationId), {
      verification,
      attempts: 1,
      used: true,
      current: true,
    });
  });
}
