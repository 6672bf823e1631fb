import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryCallStore, type CallRecord } from '../../src/relay/index.js';
import { relayMetrics } from '../../src/relay/metrics/index.js';
import { RelayMetrics } from '../../src/relay/metrics/relay-metrics.js';
import { createRedisStore } from '../../src/relay/store/redis/index.js';
import { StoreUnavailableError } from '../../src/relay/store/unavailable.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import {
  createTestRelay,
  useRelay,
  TEST_BRIDGE,
  TEST_METRICS_TOKEN,
  TEST_WEBHOOK_SECRET,
  type TestRelay,
} from '../helpers/relay.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { openSse } from '../helpers/sse.js';
import { testClock } from './store-contract.js';

const SCRAPE = { Authorization: `Bearer ${TEST_METRICS_TOKEN}` };
let counter = 0;
const nextPhone = () => `+91 98765 2${String(++counter).padStart(4, '0')}`;

/** The value of one series in Prometheus text (0 when absent). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(match[3]);
  }
  return total;
}

async function scrape(relay: TestRelay): Promise<string> {
  const response = await relay.fetch(`${relay.url}/metrics`, { headers: SCRAPE });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** Posts Mobtexting's report for the last call the fake upstream was asked for. */
async function report(relay: TestRelay, upstream: FakeUpstream, callId: string, fields: Record<string, unknown> = {}) {
  const sent = JSON.parse(upstream.requests.at(-1)!.body);
  const response = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_WEBHOOK_SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      bridge: TEST_BRIDGE,
      from: sent.from,
      to: sent.to,
      status: 'BUSY',
      status1: 'BUSY',
      status2: '',
      mid: callId,
      ...fields,
    }),
  });
  assert.equal(response.status, 200);
}

describe('GET /metrics', () => {
  describe('without a metrics token', () => {
    const { relay } = useRelay();
    it('is not there (404)', async () => {
      assert.equal((await relay.fetch(`${relay.url}/metrics`, { headers: SCRAPE })).status, 404);
    });
  });

  describe('with a metrics token', () => {
    const clock = testClock(Date.now());
    const store = new MemoryCallStore({ now: clock.now });
    const { relay, upstream } = useRelay(
      () => ({
        store,
        now: clock.now,
        metrics: relayMetrics({ token: TEST_METRICS_TOKEN }),
        allowedOrigins: ['http://shop.test'],
        rateLimits: 'number=1/1h',
      }),
      { http: true },
    );

    it('refuses a scrape without the token, or with another, saying nothing', async () => {
      const refused: Record<string, string>[] = [
        {},
        { Authorization: 'Bearer wrong-token-wrong-token-wrong' },
        { Authorization: TEST_METRICS_TOKEN },
      ];
      for (const headers of refused) {
        const response = await relay.fetch(`${relay.url}/metrics`, { headers });
        assert.equal(response.status, 401);
        assert.doesNotMatch(await response.text(), /mt_c2c_/);
      }
    });

    it('counts a call started and ended, Mobtexting’s time, and the webhook’s delay', async () => {
      const before = await scrape(relay);
      const placed = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      const { callId } = await placed.json();
      await report(relay, upstream, callId, { unixtime: String(Math.floor(clock.now() / 1000) - 3) });
      const text = await scrape(relay);
      const moved = (name: string, labels: Record<string, string> = {}) =>
        sample(text, name, labels) - sample(before, name, labels);
      assert.equal(moved('mt_c2c_calls_started_total', { target: 'sales', source: 'page' }), 1);
      assert.equal(moved('mt_c2c_calls_ended_total', { target: 'sales', state: 'busy' }), 1);
      assert.equal(moved('mt_c2c_upstream_request_duration_seconds_count', { outcome: 'accepted' }), 1);
      assert.equal(moved('mt_c2c_webhook_delay_seconds_count'), 1);
      assert.ok(moved('mt_c2c_webhook_delay_seconds_sum') >= 3);
    });

    it('counts refusals by code and scope, and Mobtexting’s errors by kind', async () => {
      const before = await scrape(relay);
      await relay.post('/calls', { phone: nextPhone(), target: 'sales' }, { Origin: 'https://elsewhere.example' });
      const phone = nextPhone();
      await relay.post('/calls', { phone, target: 'sales' });
      await relay.post('/calls', { phone, target: 'sales' }); // in a call already
      await relay.post('/calls', { phone: '+44 909 879 0000', target: 'sales' });
      const saved = upstream.reply;
      upstream.reply = { status: 500, body: '{}' };
      await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      upstream.reply = saved;
      const text = await scrape(relay);
      const moved = (name: string, labels: Record<string, string>) =>
        sample(text, name, labels) - sample(before, name, labels);
      assert.equal(moved('mt_c2c_refusals_total', { code: 'origin_not_allowed', scope: 'none' }), 1);
      assert.equal(moved('mt_c2c_refusals_total', { code: 'call_in_progress', scope: 'none' }), 1);
      assert.equal(moved('mt_c2c_refusals_total', { code: 'number_not_allowed', scope: 'premium-rate' }), 1);
      assert.equal(moved('mt_c2c_upstream_errors_total', { kind: 'upstream_error' }), 1);
      assert.equal(moved('mt_c2c_upstream_request_duration_seconds_count', { outcome: 'upstream_error' }), 1);
    });

    it('counts a rate limit by its scope', async () => {
      const before = await scrape(relay);
      const phone = nextPhone();
      const first = await relay.post('/calls', { phone, target: 'sales' });
      const { callId } = await first.json();
      await report(relay, upstream, callId);
      assert.equal((await relay.post('/calls', { phone, target: 'sales' })).status, 429);
      const text = await scrape(relay);
      const labels = { code: 'rate_limited', scope: 'number' };
      assert.equal(sample(text, 'mt_c2c_refusals_total', labels) - sample(before, 'mt_c2c_refusals_total', labels), 1);
    });

    it('shows the event streams open now', async () => {
      const placed = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      const { callId } = await placed.json();
      const stream = await openSse(`${relay.url}/calls/${callId}/events`);
      try {
        await stream.states(1);
        assert.equal(sample(await scrape(relay), 'mt_c2c_event_streams_open'), 1);
      } finally {
        stream.close();
      }
    });

    it('measures how late the sweep settles an overdue call', async () => {
      const before = await scrape(relay);
      await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      clock.advance(24 * 3600_000);
      await relay.relay.sweep();
      const text = await scrape(relay);
      assert.ok(
        sample(text, 'mt_c2c_dispatcher_lag_seconds_count') - sample(before, 'mt_c2c_dispatcher_lag_seconds_count') >=
          1,
      );
    });

    it('reports the process’s own metrics', async () => {
      assert.ok(sample(await scrape(relay), 'mt_c2c_process_cpu_seconds_total') > 0);
    });

    it('never puts a number or an id in a label, and adds no series per call', async () => {
      // The relay's own series; the process's (a kind of garbage collection seen for the
      // first time, say) may appear between two scrapes whatever the calls were.
      const series = (text: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('mt_c2c_') && line.includes('{'))
          .filter((line) => !/^mt_c2c_(nodejs|process)_/.test(line));
      const before = series(await scrape(relay)).map((line) => line.replace(/ \S+$/, ''));
      for (let i = 0; i < 5; i++) {
        const placed = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
        await report(relay, upstream, (await placed.json()).callId);
      }
      const text = await scrape(relay);
      const after = series(text).map((line) => line.replace(/ \S+$/, ''));
      assert.deepEqual(new Set(after), new Set(before), 'the same series, whatever numbers were called');
      for (const line of after) {
        const values = [...line.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
        for (const value of values) {
          assert.doesNotMatch(value, /\d{5,}/, `a number in ${line}`);
          assert.doesNotMatch(value, /[0-9a-f]{8}-[0-9a-f]{4}/, `an id in ${line}`);
        }
      }
    });
  });

  describe('when the store fails', () => {
    const store = new MemoryCallStore();
    const { relay } = useRelay(() => ({ store, metrics: relayMetrics({ token: TEST_METRICS_TOKEN }) }));
    it('counts the store’s errors', async () => {
      store.getCall = async () => {
        throw new StoreUnavailableError();
      };
      const response = await relay.fetch(`${relay.url}/calls/00000000-0000-4000-8000-000000000001`);
      assert.equal(response.status, 503);
      assert.equal(sample(await scrape(relay), 'mt_c2c_store_errors_total', { operation: 'request' }), 1);
    });
  });
});

describe('the metrics of bookings and verifications', () => {
  it('count a booking as booked, dialled or withdrawn, and verifications by outcome', async () => {
    const metrics = new RelayMetrics({ openStreams: () => 0, targets: ['sales', 'otp'] });
    const call = { callId: '00000000-0000-4000-8000-000000000009', target: 'sales', state: 'scheduled' } as CallRecord;
    const at = Date.now();
    metrics.listen({ type: 'call.created', call, source: 'booking', at } as never);
    metrics.listen({ type: 'call.changed', before: call, after: { ...call, state: 'initiated' }, at });
    metrics.listen({ type: 'call.changed', before: call, after: { ...call, state: 'canceled' }, at });
    metrics.listen({ type: 'verification', target: 'otp', outcome: 'verified', at });
    metrics.listen({ type: 'verification', target: '919876543210', outcome: 'started', at });
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'mt_c2c_bookings_total', { target: 'sales', outcome: 'booked' }), 1);
    assert.equal(sample(text, 'mt_c2c_bookings_total', { target: 'sales', outcome: 'dialled' }), 1);
    assert.equal(sample(text, 'mt_c2c_bookings_total', { target: 'sales', outcome: 'canceled' }), 1);
    assert.equal(sample(text, 'mt_c2c_verifications_total', { target: 'otp', outcome: 'verified' }), 1);
    assert.equal(
      sample(text, 'mt_c2c_verifications_total', { target: 'none', outcome: 'started' }),
      1,
      'a name that is not a configured target is never a label',
    );
  });
});

describe('the metrics of two instances on one Redis', () => {
  let redis: TestRedis;
  let upstream: FakeUpstream;
  let a: TestRelay;
  let b: TestRelay;
  before(async () => {
    redis = await startRedis();
    upstream = await startFakeUpstream();
    const options = async (prefix: string) => ({
      apiBase: upstream.apiBase,
      store: await createRedisStore({ url: redis.url, prefix }),
      metrics: relayMetrics({ token: TEST_METRICS_TOKEN }),
    });
    a = createTestRelay(await options('metrics-scale:'));
    b = createTestRelay(await options('metrics-scale:'));
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await upstream?.close();
    await redis?.stop();
  });

  it('count each call once in the sum: started where it was placed, ended where its report came', async () => {
    const placed = await a.post('/calls', { phone: nextPhone(), target: 'sales' });
    const { callId } = await placed.json();
    await report(b, upstream, callId);
    const [onA, onB] = await Promise.all([scrape(a), scrape(b)]);
    const sum = (name: string, labels: Record<string, string>) => sample(onA, name, labels) + sample(onB, name, labels);
    assert.equal(sum('mt_c2c_calls_started_total', { target: 'sales' }), 1);
    assert.equal(sum('mt_c2c_calls_ended_total', { target: 'sales', state: 'busy' }), 1);
    assert.equal(sample(onA, 'mt_c2c_calls_ended_total'), 0);
    assert.equal(sample(onB, 'mt_c2c_calls_started_total'), 0);
  });
});
