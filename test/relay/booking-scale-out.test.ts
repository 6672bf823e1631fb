import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RelayOptions } from '../../src/relay/index.js';
import { createRedisStore, type RedisCallStore } from '../../src/relay/store/redis/index.js';
import type { UpstreamTransport } from '../../src/relay/upstream/transport.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { createTestRelay, TEST_TARGETS, type TestRelay } from '../helpers/relay.js';

/** Open around the clock, one-minute slots taking fifty bookings each. */
const TARGETS: RelayOptions['targets'] = {
  ...TEST_TARGETS,
  rush: {
    to: '918046000500',
    hours: { timezone: 'UTC', 'mon-sun': '00:00-24:00' },
    slots: { minutes: 1, daysAhead: 1, perSlot: 50 },
  },
};

describe('two relay instances on one Redis, dialling bookings', () => {
  let redis: TestRedis;
  const stores: RedisCallStore[] = [];
  const relays: TestRelay[] = [];
  let now = Date.parse('2026-11-27T10:00:20Z');
  /** The call ids each instance asked the provider to dial. */
  const dialled: Record<'a' | 'b', string[]> = { a: [], b: [] };

  /** An instance with its own connection to the shared Redis, whose provider answers after a few ms. */
  async function instance(name: 'a' | 'b'): Promise<TestRelay> {
    const store = await createRedisStore({ url: redis.url, prefix: 'bookings:', now: () => now });
    stores.push(store);
    const provider: UpstreamTransport = async (request) => {
      dialled[name].push(JSON.parse(request.body).mid);
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 5));
      return { status: 200, retryAfter: null, text: '{"status":200,"message":"ok"}' };
    };
    const relay = createTestRelay({
      apiBase: `http://${name}.invalid/api/v2/`,
      transport: provider,
      store,
      now: () => now,
      targets: TARGETS,
    });
    relays.push(relay);
    return relay;
  }

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const relay of relays) await relay.close();
    await redis.stop();
  });

  it('dials each of 50 bookings exactly once, sweeping at the same time', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const slot = Date.parse('2026-11-27T10:01:00Z');
    const callIds = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const relay = i % 2 === 0 ? a : b;
        const phone = `+91 98222 ${String(81000 + i)}`;
        const response = await relay.post('/calls', { phone, target: 'rush', at: new Date(slot).toISOString() });
        assert.equal(response.status, 202, await response.clone().text());
        return (await response.json()).callId as string;
      }),
    );
    now = slot;
    // Both instances sweep at once, again and again, as their timers would.
    for (let round = 0; round < 3; round++) await Promise.all([a.relay.sweep(), b.relay.sweep()]);
    const all = [...dialled.a, ...dialled.b];
    assert.equal(all.length, 50, `dialled ${all.length} times`);
    assert.deepEqual([...all].sort(), [...callIds].sort(), 'each booking once');
    assert.ok(dialled.a.length > 0 && dialled.b.length > 0, 'both instances took bookings on');
    const states = await Promise.all(
      callIds.map(async (id) => (await (await a.fetch(`${a.url}/calls/${id}`)).json()).state),
    );
    assert.deepEqual(new Set(states), new Set(['initiated']));
  });
});
