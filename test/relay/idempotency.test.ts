import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestRelay, useRelay } from '../helpers/relay.js';

describe('Idempotency-Key', () => {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const { relay, upstream } = useRelay({ now: () => now, upstreamTimeoutMs: 500 });

  const post = (key: string, body: unknown) => relay.post('/calls', body, { 'Idempotency-Key': key });

  it('answers a retried request with the first answer and places one call', async () => {
    const before = upstream.requests.length;
    const body = { phone: '+91 98765 22221', target: 'sales' };
    const first = await post('retry-1', body);
    const second = await post('retry-1', body);
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.deepEqual(await second.json(), await first.json());
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(upstream.requests.length - before, 1);
  });

  it('keeps refusals too: a retried refusal is refused the same way', async () => {
    const body = { phone: 'not a number', target: 'sales' };
    const first = await post('retry-2', body);
    const second = await post('retry-2', body);
    assert.equal(first.status, 422);
    assert.deepEqual(await second.json(), await first.json());
  });

  it('refuses the key with a different body (422)', async () => {
    await post('retry-3', { phone: '+91 98765 22223', target: 'sales' });
    const other = await post('retry-3', { phone: '+91 98765 22224', target: 'sales' });
    assert.equal(other.status, 422);
    assert.equal((await other.json()).error.code, 'idempotency_conflict');
  });

  it('refuses the key while its first request is still in flight (409)', async () => {
    upstream.reply = 'hang';
    try {
      const body = { phone: '+91 98765 22225', target: 'sales' };
      const first = post('retry-4', body);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await post('retry-4', body);
      assert.equal(second.status, 409);
      assert.equal((await second.json()).error.code, 'idempotency_conflict');
      assert.equal((await first).status, 504);
      const third = await post('retry-4', body);
      assert.equal(third.status, 504, 'the time-out is kept: the call may have been placed');
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
    }
  });

  it('forgets keys after 24 hours', async () => {
    const body = { phone: '+91 98765 22226', target: 'sales' };
    assert.equal((await post('retry-5', body)).status, 202);
    now += 24 * 3600_000 + 1;
    const later = await post('retry-5', { phone: '+91 98765 22227', target: 'sales' });
    assert.equal(later.status, 202, 'a new request under an expired key');
  });

  it('does not keep a rate-limit refusal, so the key works once the limit lifts', async () => {
    const limited = createTestRelay({ apiBase: upstream.apiBase, now: () => now, rateLimits: 'global=1/1h' });
    try {
      assert.equal((await limited.post('/calls', { phone: '+91 98765 22228', target: 'sales' })).status, 202);
      const body = { phone: '+91 98765 22229', target: 'sales' };
      assert.equal((await limited.post('/calls', body, { 'Idempotency-Key': 'retry-6' })).status, 429);
      now += 3600_000;
      assert.equal((await limited.post('/calls', body, { 'Idempotency-Key': 'retry-6' })).status, 202);
    } finally {
      await limited.close();
    }
  });
});
