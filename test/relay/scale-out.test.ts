import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { createRedisStore, type RedisCallStore } from '../../src/relay/store/redis/index.js';
import type { RelayOptions } from '../../src/relay/index.js';
import { startRelay, TEST_TOKEN, TEST_WEBHOOK_SECRET, uniqueUnixtime, type TestRelay } from '../helpers/relay.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { openSse } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';

describe('several relay instances sharing Redis', () => {
  let redis: TestRedis;
  let sandbox: SandboxServer;
  let a: TestRelay;
  let b: TestRelay;
  let webhookTarget = '';
  const stores: RedisCallStore[] = [];

  /** An instance of the relay on its own port, with its own connection to the shared Redis. */
  async function instance(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
    const store = await createRedisStore({ url: redis.url, prefix: 'scale:' });
    stores.push(store);
    return startRelay({ apiBase: sandbox.apiBase, store, rateLimits: 'number=2/1h,global=1000/1h', ...options });
  }

  before(async () => {
    redis = await startRedis();
    sandbox = await startSandboxServer({
      token: TEST_TOKEN,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookUrl: () => webhookTarget,
      delayMs: 400,
    });
    a = await instance();
    b = await instance();
    // Mobtexting's reports reach instance B, whatever instance placed the call.
    webhookTarget = `${b.url}/webhooks/mobtexting`;
  });
  after(async () => {
    await a.close();
    await b.close();
    await sandbox.close();
    await redis.stop();
  });

  const place = async (relay: TestRelay, phone: string, headers: Record<string, string> = {}) =>
    relay.post('/calls', { phone, target: 'sales' }, headers);

  it('streams on A the final state of a call placed on A and reported to B', async () => {
    const { callId } = await (await place(a, '+91 98222 10001')).json();
    const stream = await openSse(`${a.url}/calls/${callId}/events`);
    const [initiated, busy] = await stream.states(2);
    assert.equal(JSON.parse(initiated!.data!).state, 'initiated');
    assert.equal(JSON.parse(busy!.data!).state, 'busy');
    assert.match(busy!.id!, /^\d+-\d+$/, 'Redis Stream ids are the SSE ids');
    await stream.ended;
    assert.equal((await (await b.fetch(`${b.url}/calls/${callId}`)).json()).state, 'busy', 'B sees it too');
  });

  it('replays on B, from Last-Event-ID, what a client missed on A', async () => {
    const { callId } = await (await place(a, '+91 98222 10002')).json();
    const first = await openSse(`${a.url}/calls/${callId}/events`);
    const [initiated] = await first.states(1);
    first.close();
    await until(
      async () => (await (await a.fetch(`${a.url}/calls/${callId}`)).json()).state !== 'initiated',
      'the report',
    );
    const resumed = await openSse(`${b.url}/calls/${callId}/events`, { 'Last-Event-ID': initiated!.id! });
    await resumed.ended;
    const states = resumed.messages.filter((m) => m.event === 'state').map((m) => JSON.parse(m.data!).state);
    assert.deepEqual(states, ['no-answer']);
  });

  it('lets go of clients that drop a stream before its replay arrived', async () => {
    // Redis answers the replay a moment late, as it does under load.
    const store = await createRedisStore({ url: redis.url, prefix: 'scale:' });
    stores.push(store);
    const slow = new Proxy(store, {
      get(target, name) {
        if (name === 'readEvents')
          return async (...args: Parameters<RedisCallStore['readEvents']>) => (
            await delay(100),
            target.readEvents(...args)
          );
        const value = Reflect.get(target, name);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const relay = await startRelay({ apiBase: sandbox.apiBase, store: slow, rateLimits: 'off' });
    try {
      const { callId } = await (await place(relay, '+91 98222 10003')).json();
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const abort = new AbortController();
          await relay.fetch(`${relay.url}/calls/${callId}/events`, { signal: abort.signal });
          abort.abort();
        }),
      );
      await delay(300);
      assert.deepEqual(
        relay.logs.filter((l) => l.level === 'error'),
        [],
        'nothing was written to a stream nobody reads',
      );
      assert.equal(store.listenerCount(), 0, 'every dropped stream released');
      const stream = await openSse(`${relay.url}/calls/${callId}/events`);
      assert.equal((await stream.states(2)).length, 2, 'the call is still followed to its end');
    } finally {
      await relay.close();
    }
  });

  it('counts rate limits exactly across instances', async () => {
    const phone = '+91 98222 20000';
    const settle = async () => {
      const open = await b.fetch(`${b.url}/webhooks/mobtexting`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
        body: JSON.stringify({
          bridge: '918046000000',
          from: '919822220000',
          to: '918046000100',
          status: 'COMPLETED',
          status1: 'ANSWER',
          status2: 'ANSWER',
          unixtime: uniqueUnixtime(),
        }),
      });
      assert.equal(open.status, 200);
    };
    assert.equal((await place(a, phone)).status, 202);
    await settle();
    assert.equal((await place(b, phone)).status, 202);
    await settle();
    const third = await place(a, phone);
    assert.equal(third.status, 429, 'two calls per number per hour, whichever instance took them');
    assert.equal((await place(b, phone)).status, 429);
  });

  it('allows one call per number at a time across instances', async () => {
    const first = await (await place(a, '+91 98222 30007')).json();
    const second = await place(b, '+91 98222 30007');
    assert.equal(second.status, 409);
    const body = await second.json();
    assert.equal(body.error.code, 'call_in_progress');
    assert.ok(!JSON.stringify(body).includes(first.callId), 'the open call’s id is not handed out');
  });

  it('replays an Idempotency-Key on another instance without a second call', async () => {
    const before = sandbox.sandbox.requests.length;
    const headers = { 'Idempotency-Key': 'scale-out-key-1' };
    const first = await place(a, '+91 98222 40007', headers);
    const again = await place(b, '+91 98222 40007', headers);
    assert.equal(first.status, 202);
    assert.deepEqual(await again.json(), await first.json());
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(sandbox.sandbox.requests.length - before, 1);
  });

  it('loses nothing when an instance restarts: a new one follows the call to its end', async () => {
    const restarted = await instance();
    const { callId } = await (await place(restarted, '+91 98222 50003')).json();
    await restarted.close();
    const replacement = await instance();
    try {
      const stream = await openSse(`${replacement.url}/calls/${callId}/events`);
      const states = await stream.states(2);
      assert.equal(JSON.parse(states[1]!.data!).state, 'agent-unavailable');
    } finally {
      await replacement.close();
    }
  });

  it('answers 503 without dialling while Redis is down, reports it, and resumes when it is back', async () => {
    const before = sandbox.sandbox.requests.length;
    await redis.kill();
    try {
      const started = performance.now();
      const refused = await place(a, '+91 98222 60008');
      assert.equal(refused.status, 503);
      assert.equal((await refused.json()).error.code, 'store_unavailable');
      assert.ok(performance.now() - started < 2000, 'answered at once');
      assert.equal(sandbox.sandbox.requests.length, before, 'nothing was dialled');
      const health = await a.fetch(`${a.url}/health`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { status: 'unavailable', store: 'unavailable', streams: 0 });
      assert.ok(a.logs.some((l) => l.event === 'store.unavailable'));
    } finally {
      await redis.start();
    }
    await until(async () => (await a.fetch(`${a.url}/health`)).status === 200, 'recovery', 10_000);
    assert.equal((await place(a, '+91 98222 60008')).status, 202);
  });
});

describe('mt-c2c-relay with REDIS_URL', () => {
  it('shares calls between two server processes', async () => {
    const { spawnRelay } = await import('../helpers/process.js');
    const redis = await startRedis();
    const sandbox = await startSandboxServer({ token: TEST_TOKEN, delayMs: 60_000 });
    const env = {
      MT_API_TOKEN: TEST_TOKEN,
      MT_API_BASE: sandbox.apiBase,
      MT_BRIDGE: '918046000000',
      MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      MT_TARGETS: '{"sales":{"to":"918046000100"}}',
      REDIS_URL: redis.url,
    };
    const first = await spawnRelay('src/relay/node/cli.ts', env);
    const second = await spawnRelay('src/relay/node/cli.ts', env);
    try {
      const response = await fetch(`${first.origin}/c2c/calls`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone: '+91 98222 70007', target: 'sales' }),
      });
      assert.equal(response.status, 202);
      const { callId } = await response.json();
      const seen = await fetch(`${second.origin}/c2c/calls/${callId}`);
      assert.equal(seen.status, 200);
      assert.equal((await seen.json()).callId, callId);
      assert.ok(first.stdout.some((line) => line.includes('"event":"store.redis"')));
    } finally {
      await first.stop();
      await second.stop();
      await sandbox.close();
      await redis.stop();
    }
  });
});
