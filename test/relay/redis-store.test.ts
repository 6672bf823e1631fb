import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { createRedisStore } from '../../src/relay/store/redis/index.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { callStoreContract, create, finish, sampleCall, testClock } from './store-contract.js';

let redis: TestRedis;
let prefix = 0;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.stop();
});

callStoreContract('redis', async (clock) =>
  createRedisStore({ url: redis.url, prefix: `contract${++prefix}:`, now: clock.now }),
);

describe('the Redis store, when Redis goes away', () => {
  it('fails at once with StoreUnavailableError, reports it, and recovers by itself', async () => {
    const store = await createRedisStore({ url: redis.url, prefix: 'outage:' });
    try {
      assert.equal(await store.ping(), true);
      await redis.kill();
      const started = performance.now();
      await assert.rejects(store.getCall('00000000-0000-4000-8000-000000000001'), { name: 'StoreUnavailableError' });
      assert.ok(performance.now() - started < 1000, 'no waiting in a queue');
      assert.equal(await store.ping(), false);
      await redis.start();
      const deadline = Date.now() + 10_000;
      while (!(await store.ping())) {
        assert.ok(Date.now() < deadline, 'reconnected');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(await store.getCall('00000000-0000-4000-8000-000000000001'), undefined);
    } finally {
      await store.close();
    }
  });
});

describe('the Redis store, when a call’s record expired before its report', () => {
  it('drops the call from the due list when it is discarded, so a sweep moves on', async () => {
    const clock = testClock();
    const store = await createRedisStore({ url: redis.url, prefix: 'expired:', now: clock.now });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const call = sampleCall(clock, { expiresAt: clock.now() + 1000 });
      await create(store, call);
      await raw.del(`expired:call:${call.callId}`);
      assert.deepEqual(await store.dueCalls(clock.now() + 2000, 10), [call.callId]);
      assert.equal(await finish(store, call, { state: 'unknown', at: clock.now() }), undefined);
      assert.deepEqual(await store.dueCalls(clock.now() + 2000, 10), [], 'a change to a call that is gone clears it');
    } finally {
      await raw.close();
      await store.close();
    }
  });
});

describe('the Redis store, when a wake-up is lost', () => {
  it('catches up on the calls that changed, and hands their events over', async () => {
    const clock = testClock();
    const store = await createRedisStore({ url: redis.url, prefix: 'lost:', now: clock.now, catchUpMs: 50 });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const call = sampleCall(clock);
      await create(store, call);
      const heard: string[] = [];
      const unsubscribe = store.subscribe(call.callId, (event) => heard.push(event.state));
      // Another instance's change whose wake-up never arrived: the event and the change
      // mark, without the message.
      await raw.xAdd(`lost:events:${call.callId}`, '*', { event: JSON.stringify({ state: 'busy', at: clock.now() }) });
      await raw.zAdd('lost:changed', { score: clock.now(), value: call.callId });
      for (let i = 0; i < 100 && !heard.includes('busy'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      unsubscribe();
      assert.ok(heard.includes('busy'), `heard ${heard.join(', ')}`);
    } finally {
      await raw.close();
      await store.close();
    }
  });
});
