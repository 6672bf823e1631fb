import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCallStore } from '../../src/relay/index.js';
import { callStoreContract, create, finish, sampleCall, testClock } from './store-contract.js';

callStoreContract('memory', async (clock) => new MemoryCallStore({ now: clock.now }));

describe('the memory store’s bounds', () => {
  it('keeps at most maxCalls calls, dropping the oldest', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now, maxCalls: 3 });
    const calls = [1, 2, 3, 4, 5].map(() => sampleCall(clock));
    for (const call of calls) await create(store, call);
    assert.equal(await store.getCall(calls[0]!.callId), undefined);
    assert.equal(await store.getCall(calls[1]!.callId), undefined);
    assert.ok(await store.getCall(calls[4]!.callId));
  });

  it('frees a number whose open call was dropped for room', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now, maxCalls: 1 });
    const first = sampleCall(clock);
    assert.equal(await store.claimNumber(first.from, first.callId, first.expiresAt), undefined);
    await create(store, first);
    await create(store, sampleCall(clock));
    assert.equal(await store.getCall(first.callId), undefined);
    assert.equal(await store.claimNumber(first.from, 'next', first.expiresAt), undefined);
  });

  it('forgets calls a retention period after they ended', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now, retentionMs: 60_000 });
    const old = sampleCall(clock);
    await create(store, old);
    await finish(store, old, { state: 'completed', at: clock.now() });
    clock.advance(60_001);
    await create(store, sampleCall(clock));
    assert.equal(await store.getCall(old.callId), undefined);
  });

  it('keeps no rate-limit window for a key whose request was refused', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now });
    const rules = (i: number) => [
      { key: 'global:all', limit: 2, windowMs: 3600_000 },
      { key: `number:91980000${String(i).padStart(4, '0')}`, limit: 3, windowMs: 3600_000 },
    ];
    for (const i of [0, 1]) assert.equal((await store.consumeLimits(rules(i), clock.now())).ok, true);
    assert.equal(store.limitKeyCount(), 3);
    // A flood of new numbers past the global limit: each refused, none remembered.
    for (let i = 2; i < 1000; i++) assert.equal((await store.consumeLimits(rules(i), clock.now())).ok, false);
    assert.equal(store.limitKeyCount(), 3);
  });

  it('keeps at most maxLimitKeys rate-limit keys: a flood from many addresses forgets addresses, not numbers', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now, maxLimitKeys: 100 });
    const call = (number: string) =>
      store.consumeLimits(
        [
          { key: 'global:all', limit: 3, windowMs: 3600_000 },
          { key: `number:${number}`, limit: 1, windowMs: 3600_000 },
        ],
        clock.now(),
      );
    assert.equal((await call('919800000001')).ok, true);
    assert.equal((await call('919800000002')).ok, true);
    // A flood from 1,000 addresses, each counted on its own (as the address limit does).
    for (let i = 0; i < 1000; i++) {
      clock.advance(10);
      await store.consumeLimits(
        [{ key: `address:10.0.${i >> 8}.${i & 255}`, limit: 10, windowMs: 600_000 }],
        clock.now(),
      );
      assert.ok(store.limitKeyCount() <= 101, `${store.limitKeyCount()} keys`);
    }
    assert.equal((await call('919800000001')).ok, false, 'the number’s count was kept');
    assert.equal((await call('919800000003')).ok, true);
    assert.equal((await call('919800000004')).ok, false, 'the global count was kept');
  });

  it('stays fast as it fills: no work grows with the number of calls kept', async () => {
    const clock = testClock();
    const store = new MemoryCallStore({ now: clock.now, maxCalls: 20_000 });
    const time = async (count: number) => {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const call = sampleCall(clock);
        await create(store, call);
        await store.consumeLimits(
          [
            { key: 'global:all', limit: 1e9, windowMs: 3600_000 },
            { key: `number:${call.from}`, limit: 3, windowMs: 3600_000 },
          ],
          clock.now(),
        );
      }
      return (performance.now() - started) / count;
    };
    await time(5_000);
    const early = await time(20_000);
    const late = await time(20_000); // the store is full and pruning all along
    assert.ok(late < early * 3, `per call: ${early.toFixed(4)} ms, then ${late.toFixed(4)} ms`);
  });
});

describe('CallListeners', () => {
  it('does not drop a newer listener when an old unsubscribe runs twice', async () => {
    const { CallListeners } = await import('../../src/relay/store/listeners.js');
    const listeners = new CallListeners();
    const heard: string[] = [];
    const first = listeners.add('call', () => heard.push('first'));
    first();
    listeners.add('call', () => heard.push('second'));
    first();
    listeners.emit('call', { id: '1', state: 'initiated', at: 0 });
    assert.deepEqual(heard, ['second']);
  });
});
