import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createRelay, MemoryCallStore, silentLogger } from '../../src/relay/index.js';
import { TEST_BRIDGE, TEST_TARGETS, TEST_TOKEN, useRelay } from '../helpers/relay.js';
import { openSse } from '../helpers/sse.js';
import { TEST_WEBHOOK_SECRET } from '../helpers/constants.js';

/** A report of a completed call to a number, as Mobtexting would send it to the relay. */
function completed(digits: string, mid?: string) {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
    body: JSON.stringify({
      bridge: '918046000000',
      from: digits,
      to: '918046000100',
      status: 'COMPLETED',
      status1: 'ANSWER',
      status2: 'ANSWER',
      billing: '12',
      ...(mid && { mid }),
    }),
  };
}

describe('the call lifecycle', () => {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const store = new MemoryCallStore({ now: () => now });
  const { relay } = useRelay({ store, now: () => now, reportGraceMs: 60_000 }, { http: true });

  it('a final state is final: a later ending changes nothing', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 40001', target: 'sales' })).json();
    const context = { state: async () => (await store.getCall(callId))!.state };
    now += 16 * 60_000 + 1;
    assert.equal(await relay.relay.sweep(), 1);
    assert.equal(await context.state(), 'unknown');
    const late = await relay.fetch(`${relay.url}/webhooks/mobtexting`, completed('919811140001', callId));
    assert.equal(late.status, 200);
    assert.equal(await context.state(), 'unknown', 'the report came after the call was given up');
    assert.deepEqual(
      (await store.readEvents(callId)).map((e) => e.state),
      ['initiated', 'unknown'],
    );
  });

  it('a read never writes: GET and the event stream leave an overdue call as it is', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 40002', target: 'sales' })).json();
    const before = await store.getCall(callId);
    now += 16 * 60_000 + 1;
    const read = await (await relay.fetch(`${relay.url}/calls/${callId}`)).json();
    assert.equal(read.state, 'initiated');
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    await stream.states(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await store.getCall(callId), before, 'reading changed nothing');
    await relay.relay.sweep();
    const [, ended] = await stream.states(2);
    assert.equal(JSON.parse(ended!.data!).state, 'unknown', 'the sweep settles it, and the stream hears of it');
    stream.close();
  });

  it('a claimed number is released by the call that claimed it, and by no other', async () => {
    const phone = '+91 98111 40003';
    const first = await (await relay.post('/calls', { phone, target: 'sales' })).json();
    now += 16 * 60_000 + 1; // the first call's claim has lapsed, but it is not settled yet
    const second = await relay.post('/calls', { phone, target: 'sales' });
    assert.equal(second.status, 202, 'a lapsed claim may be taken');
    await relay.relay.sweep(); // ends the first call, which gives up only its own claim
    assert.equal((await store.getCall(first.callId))?.state, 'unknown');
    const third = await relay.post('/calls', { phone, target: 'sales' });
    assert.equal(third.status, 409, 'the second call still holds the number');
    await relay.fetch(`${relay.url}/webhooks/mobtexting`, completed('919811140003'));
    assert.equal((await relay.post('/calls', { phone, target: 'sales' })).status, 202, 'free once it ended');
  });
});

describe('a route added to the relay', () => {
  it('gets the security headers and the origin check without asking for them', async () => {
    const relay = createRelay({
      apiToken: TEST_TOKEN,
      bridge: TEST_BRIDGE,
      targets: TEST_TARGETS,
      webhookSecret: TEST_WEBHOOK_SECRET,
      allowedOrigins: ['https://shop.example'],
      logger: silentLogger,
    });
    relay.get('/throwaway', (c) => c.text('made by hand'));
    const app = new Hono().route('/c2c', relay);
    const get = (headers: Record<string, string> = {}) => app.request('/c2c/throwaway', { headers });
    try {
      const plain = await get();
      assert.equal(plain.status, 200);
      assert.equal(await plain.text(), 'made by hand');
      assert.equal(plain.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(plain.headers.get('cache-control'), 'no-store');
      assert.match(plain.headers.get('content-security-policy') ?? '', /default-src 'none'/);

      const foreign = await get({ Origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal((await foreign.json()).error.code, 'origin_not_allowed');

      const allowed = await get({ Origin: 'https://shop.example' });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    } finally {
      await relay.close();
    }
  });
});
