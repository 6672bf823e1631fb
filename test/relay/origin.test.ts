import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawRequest } from '../helpers/raw-http.js';
import { createTestRelay, useRelay } from '../helpers/relay.js';

const SHOP = 'https://shop.example';

describe('origins and CORS', () => {
  const { relay, upstream } = useRelay({ allowedOrigins: [SHOP, 'http://localhost:3000'] }, { http: true });

  it('answers a preflight from an allowed origin', async () => {
    const response = await rawRequest(`${relay.url}/calls`, {
      method: 'OPTIONS',
      headers: {
        Origin: SHOP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, idempotency-key',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], SHOP);
    assert.equal(
      response.headers['access-control-allow-methods'],
      'GET, POST, DELETE',
      'DELETE withdraws a booked callback',
    );
    assert.match(
      String(response.headers['access-control-allow-headers']),
      /Content-Type, Idempotency-Key, Last-Event-ID/,
    );
    assert.equal(response.headers['access-control-max-age'], '600');
    assert.equal(response.headers.vary, 'Origin');
    assert.equal(upstream.requests.length, 0);
  });

  it('grants an allowed origin its call, the stream and Retry-After', async () => {
    const response = await relay.post('/calls', { phone: '+91 98765 11111', target: 'sales' }, { Origin: SHOP });
    assert.equal(response.status, 202);
    assert.equal(response.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(response.headers.get('access-control-expose-headers'), 'Retry-After');
    assert.equal(response.headers.get('vary'), 'Origin');
    const { callId } = await response.json();
    const state = await relay.fetch(`${relay.url}/calls/${callId}`, { headers: { Origin: SHOP } });
    assert.equal(state.headers.get('access-control-allow-origin'), SHOP);
    const stream = await relay.fetch(`${relay.url}/calls/${callId}/events`, {
      headers: { Origin: 'http://localhost:3000' },
    });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    await stream.body?.cancel();
  });

  it('lets pages of publicUrl’s origin call without listing it', async () => {
    const own = createTestRelay({ apiBase: upstream.apiBase, publicUrl: 'http://relay.test/c2c' });
    try {
      const same = await own.post(
        '/calls',
        { phone: '+91 98765 11112', target: 'sales' },
        { Origin: 'http://relay.test' },
      );
      assert.equal(same.status, 202);
      const foreign = await own.post('/calls', { phone: '+91 98765 11113', target: 'sales' }, { Origin: SHOP });
      assert.equal(foreign.status, 403);
      assert.equal((await foreign.json()).error.code, 'origin_not_allowed');
    } finally {
      await own.close();
    }
  });

  it('leaves the webhook alone: it comes from Mobtexting’s servers', async () => {
    const response = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 401);
  });

  it('puts security headers on every response', async () => {
    for (const path of ['/health', '/calls/nope', '/nowhere']) {
      const response = await relay.fetch(`${relay.url}${path}`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
  });
});
