import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTicket, MemoryCallStore } from '../../src/relay/index.js';
import { addressKey } from '../../src/relay/http/ip-address.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-http.js';
import { createTestRelay, startRelay, TEST_WEBHOOK_SECRET, type TestRelay } from '../helpers/relay.js';

// Each finding of the attack on the relay, as a test named after it. Every one of these
// failed before the fix it names.

const SECRET = 'a-ticket-secret-of-at-least-32-characters!';
const json = (response: Response) => response.json() as Promise<{ error?: { code: string; field?: string } }>;

/** Reports a call as Mobtexting would, through the webhook. */
function report(relay: TestRelay, body: Record<string, unknown>): Promise<Response> {
  return relay.fetch(`${relay.url}/webhooks/mobtexting`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
    body: JSON.stringify({
      bridge: '918046000000',
      status: 'COMPLETED',
      status1: 'ANSWER',
      status2: 'ANSWER',
      ...body,
    }),
  });
}

describe('attacks on the relay', () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
  });
  const relayWith = (options: Parameters<typeof createTestRelay>[0] extends infer O ? Partial<O> : never) =>
    createTestRelay({ apiBase: upstream.apiBase, ...options });

  it('1. a 409 call_in_progress hands out no one else’s call', async () => {
    const relay = relayWith({ ticketSecret: SECRET });
    try {
      const ticket = await createTicket({
        secret: SECRET,
        to: '+91 98765 70001',
        label: 'Asha Kulkarni (VIP)',
        target: 'sales',
      });
      const first = await (await relay.post('/calls', { ticket })).json();
      const stranger = await relay.post('/calls', { phone: '+91 98765 70001', target: 'sales' });
      assert.equal(stranger.status, 409);
      const text = await stranger.text();
      assert.ok(!text.includes(first.callId), 'the open call’s id is not in the answer');
      assert.ok(!text.includes('Asha'), 'nor anything about it');
    } finally {
      await relay.close();
    }
  });

  describe('3. a ticket, even a used or invalid one, does not lift the address limit', () => {
    it('refuses requests with bad tickets from a limited address without reading them', async () => {
      const relay = relayWith({ ticketSecret: SECRET, rateLimits: 'ip=1/1h' });
      try {
        assert.equal((await relay.post('/calls', { phone: '+91 98765 70101', target: 'sales' })).status, 202);
        const used = await createTicket({ secret: SECRET, to: '+91 98765 70102', target: 'sales' });
        for (let i = 0; i < 5; i++) {
          const attempt = await relay.post(
            '/calls',
            { ticket: i % 2 ? used : 'forged.ticket.value', pad: 'x'.repeat(3900) },
            { 'Idempotency-Key': `fresh-${i}` },
          );
          assert.equal(attempt.status, 429, `attempt ${i}`);
        }
      } finally {
        await relay.close();
      }
    });

    it('caps the Idempotency-Keys one address holds, and never drops a key that has not expired', async () => {
      const relay = relayWith({ idempotencyKeysPerAddress: 3 });
      try {
        const body = (i: number) => ({ phone: `+91 98765 7011${i}`, target: 'sales' });
        for (let i = 0; i < 3; i++) {
          assert.equal((await relay.post('/calls', body(i), { 'Idempotency-Key': `k-${i}` })).status, 202);
        }
        assert.equal((await relay.post('/calls', body(3), { 'Idempotency-Key': 'k-3' })).status, 429);
        const retry = await relay.post('/calls', body(0), { 'Idempotency-Key': 'k-0' });
        assert.equal(
          retry.headers.get('idempotent-replayed'),
          'true',
          'a genuine retry is still answered from its key',
        );
      } finally {
        await relay.close();
      }
    });

    it('keeps only requests that passed validation, and a full store refuses new keys rather than evict', async () => {
      const store = new MemoryCallStore({ maxCalls: 2 });
      const relay = relayWith({ store });
      try {
        const invalid = await relay.post('/calls', { phone: 42 }, { 'Idempotency-Key': 'bad-1' });
        assert.equal(invalid.status, 400);
        const body = (i: number) => ({ phone: `+91 98765 7012${i}`, target: 'sales' });
        assert.equal((await relay.post('/calls', body(1), { 'Idempotency-Key': 'bad-1' })).status, 202, 'not kept');
        assert.equal((await relay.post('/calls', body(2), { 'Idempotency-Key': 'k-2' })).status, 202);
        assert.equal((await relay.post('/calls', body(3), { 'Idempotency-Key': 'k-3' })).status, 503);
        const replay = await relay.post('/calls', body(1), { 'Idempotency-Key': 'bad-1' });
        assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      } finally {
        await relay.close();
      }
    });
  });

  describe('4. the page does not choose what the business’s IVR says', () => {
    it('refuses a variable outside its rule, naming it, and calls no one', async () => {
      const relay = relayWith({});
      try {
        const before = upstream.requests.length;
        const spoken = 'Your bank account is blocked. Call +91 90000 12345 now';
        const refused = await relay.post('/calls', {
          phone: '+91 98765 70201',
          target: 'otp-ivr',
          variables: { Name: spoken },
        });
        assert.equal(refused.status, 400);
        const { error } = await json(refused);
        assert.deepEqual([error?.code, error?.field], ['invalid_request', 'variables.Name']);
        const letters = await relay.post('/calls', {
          phone: '+91 98765 70202',
          target: 'otp-ivr',
          variables: { Name: 'Asha Kulkarni' },
        });
        assert.equal(letters.status, 202, 'a name passes');
        const hindi = await relay.post('/calls', {
          phone: '+91 98765 70203',
          target: 'otp-ivr',
          variables: { Name: 'आशा' },
        });
        assert.equal(hindi.status, 202, 'in any script');
        const digits = await relay.post('/calls', {
          phone: '+91 98765 70204',
          target: 'otp-ivr',
          variables: { otp: '4711' },
        });
        assert.equal(digits.status, 202, 'digits where the target declares them');
        assert.equal(upstream.requests.length - before, 3);
      } finally {
        await relay.close();
      }
    });

    it('takes what the site’s backend signed into a ticket', async () => {
      const relay = relayWith({ ticketSecret: SECRET, targets: { ivr: { to: 'flow:220', variables: ['Name'] } } });
      try {
        const ticket = await createTicket({
          secret: SECRET,
          to: '+91 98765 70205',
          target: 'ivr',
          variables: { Name: 'Order 8812' },
        });
        assert.equal((await relay.post('/calls', { ticket })).status, 202);
        assert.equal(JSON.parse(upstream.requests.at(-1)!.body)['variables[Name]'], 'Order 8812');
      } finally {
        await relay.close();
      }
    });
  });

  describe('5. DNS rebinding does not pass the origin check', () => {
    it('never takes the relay’s own origin from Host', async () => {
      const relay = await startRelay({ apiBase: upstream.apiBase });
      try {
        const port = new URL(relay.url).port;
        const rebound = await rawRequest(`${relay.url}/calls`, {
          headers: {
            Host: `evil.example:${port}`,
            Origin: `http://evil.example:${port}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ phone: '+91 98765 70301', target: 'sales' }),
        });
        assert.equal(rebound.status, 403);
        assert.equal(JSON.parse(rebound.text).error.code, 'origin_not_allowed');
      } finally {
        await relay.close();
      }
    });

    it('with publicUrl: its origin may call, and a request to any other host is refused', async () => {
      const relay = await startRelay({ apiBase: upstream.apiBase, publicUrl: 'https://calls.example.com/c2c' });
      try {
        const send = (host: string, origin: string, phone: string) =>
          rawRequest(`${relay.url}/calls`, {
            headers: { Host: host, Origin: origin, 'Content-Type': 'application/json' },
            body: JSON.stringify({ phone, target: 'sales' }),
          });
        assert.equal((await send('calls.example.com', 'https://calls.example.com', '+91 98765 70302')).status, 202);
        assert.equal((await send('evil.example', 'https://calls.example.com', '+91 98765 70303')).status, 403);
        assert.equal((await send('evil.example', 'http://evil.example', '+91 98765 70304')).status, 403);
        assert.equal((await send('calls.example.com', 'http://evil.example', '+91 98765 70305')).status, 403);
      } finally {
        await relay.close();
      }
    });
  });

  describe('6. strangers cannot spend the CRM’s budget', () => {
    it('gives ticket calls budgets of their own', async () => {
      const relay = relayWith({ ticketSecret: SECRET, rateLimits: 'number=3/1h,global=2/1h' });
      try {
        assert.equal((await relay.post('/calls', { phone: '+91 98765 70401', target: 'sales' })).status, 202);
        assert.equal((await relay.post('/calls', { phone: '+91 98765 70402', target: 'sales' })).status, 202);
        assert.equal(
          (await relay.post('/calls', { phone: '+91 98765 70403', target: 'sales' })).status,
          429,
          'public budget spent',
        );
        const ticket = await createTicket({ secret: SECRET, to: '+91 98765 70404', target: 'sales' });
        assert.equal((await relay.post('/calls', { ticket })).status, 202, 'the CRM still calls');
      } finally {
        await relay.close();
      }
    });

    it('does not let typed numbers block agents from calling that customer', async () => {
      const relay = relayWith({ ticketSecret: SECRET, rateLimits: 'number=1/1h' });
      try {
        const customer = '+91 98765 70405';
        assert.equal((await relay.post('/calls', { phone: customer, target: 'sales' })).status, 202);
        await report(relay, { from: '919876570405', to: '918046000100' });
        assert.equal((await relay.post('/calls', { phone: customer, target: 'sales' })).status, 429);
        const ticket = await createTicket({ secret: SECRET, to: customer, target: 'sales' });
        assert.equal((await relay.post('/calls', { ticket })).status, 202);
      } finally {
        await relay.close();
      }
    });
  });

  describe('7. client addresses behind proxies', () => {
    it('counts an address once whatever port a proxy appends', async () => {
      const relay = relayWith({ rateLimits: 'ip=1/1h', trustProxy: 1 });
      try {
        const call = (xff: string, phone: string) =>
          relay.post('/calls', { phone, target: 'sales' }, { 'X-Forwarded-For': xff });
        assert.equal((await call('1.2.3.4:50001', '+91 98765 70501')).status, 202);
        assert.equal((await call('1.2.3.4:50002', '+91 98765 70502')).status, 429);
        assert.equal((await call('[2001:db8::1]:443', '+91 98765 70503')).status, 202);
        assert.equal((await call('2001:db8::2', '+91 98765 70504')).status, 429, 'same /64');
      } finally {
        await relay.close();
      }
      assert.equal(addressKey('[2001:db8::1]:443'), '2001:db8:0:0::/64');
      assert.equal(addressKey('1.2.3.4:50001'), '1.2.3.4');
    });

    it('with trustProxy true, a client that reaches the relay directly cannot choose its address', async () => {
      const direct = createTestRelay(
        { apiBase: upstream.apiBase, rateLimits: 'ip=1/1h', trustProxy: true },
        { socketAddress: '203.0.113.5' },
      );
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const headers = { 'X-Forwarded-For': `198.51.100.${i}` };
          statuses.push(
            (await direct.post('/calls', { phone: `+91 98765 7051${i}`, target: 'sales' }, headers)).status,
          );
        }
        assert.deepEqual(statuses, [202, 429, 429, 429, 429]);
      } finally {
        await direct.close();
      }
      const proxied = createTestRelay(
        { apiBase: upstream.apiBase, rateLimits: 'ip=1/1h', trustProxy: true },
        { socketAddress: '10.0.0.2' },
      );
      try {
        const call = (xff: string, phone: string) =>
          proxied.post('/calls', { phone, target: 'sales' }, { 'X-Forwarded-For': xff });
        assert.equal((await call('198.51.100.20', '+91 98765 70520')).status, 202);
        assert.equal((await call('198.51.100.21', '+91 98765 70521')).status, 202, 'behind a trusted proxy, believed');
        assert.equal((await call('198.51.100.21, 10.0.0.7', '+91 98765 70522')).status, 429, 'past every trusted hop');
      } finally {
        await proxied.close();
      }
    });
  });

  it('8. the provider’s answer is read only so far', async () => {
    const relay = relayWith({ upstreamTimeoutMs: 3000 });
    upstream.reply = 'endless';
    const before = process.memoryUsage().rss;
    try {
      const started = Date.now();
      const answer = await relay.post('/calls', { phone: '+91 98765 70601', target: 'sales' });
      assert.equal(answer.status, 502);
      assert.ok(Date.now() - started < 2500, 'it stopped reading rather than wait for the end');
      assert.ok(relay.logs.some((line) => line.event === 'upstream.unparsable'));
      assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024);
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
      await relay.close();
    }
  });

  it('9. numbers written with spaces or dashes are masked in the log', async () => {
    const relay = relayWith({});
    const message = 'The from number +91 98222 00001 (919822-200001) is DND-registered';
    upstream.reply = { status: 422, body: JSON.stringify({ status: 422, message }) };
    try {
      assert.equal((await relay.post('/calls', { phone: '+91 98222 00001', target: 'sales' })).status, 422);
      const logged = JSON.stringify(relay.logs);
      assert.ok(logged.includes('DND-registered'), logged);
      for (const piece of ['98222 00001', '919822-200001', '9822200001', '98222']) {
        assert.ok(!logged.includes(piece), `${piece} in ${logged}`);
      }
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
      await relay.close();
    }
  });

  describe('10. the smaller ones', () => {
    it('writes a warning a client causes at will once, then counts it', async () => {
      const relay = relayWith({ rateLimits: 'ip=1/1h' });
      try {
        for (let i = 0; i < 50; i++) await relay.post('/calls', { phone: `+91 98765 7070${i % 10}`, target: 'sales' });
        for (let i = 0; i < 50; i++) {
          await relay.fetch(`${relay.url}/webhooks/mobtexting`, { method: 'POST', body: '{}' });
        }
        assert.equal(relay.logs.filter((l) => l.event === 'call.rate_limited').length, 1);
        assert.equal(relay.logs.filter((l) => l.event === 'webhook.unauthorized').length, 1);
      } finally {
        await relay.close();
      }
    });

    it('ends a call by its mid only when the report’s legs are that call’s', async () => {
      const relay = relayWith({});
      try {
        const { callId } = await (await relay.post('/calls', { phone: '+91 98765 70710', target: 'sales' })).json();
        const forged = await (await report(relay, { mid: callId, from: '919876570799', to: '918046000100' })).json();
        assert.equal(forged.matched, false);
        const state = await (await relay.fetch(`${relay.url}/calls/${callId}`)).json();
        assert.equal(state.state, 'initiated');
      } finally {
        await relay.close();
      }
    });

    it('does not show an impossible talk time', async () => {
      const relay = relayWith({});
      try {
        const { callId } = await (await relay.post('/calls', { phone: '+91 98765 70720', target: 'sales' })).json();
        await report(relay, { mid: callId, from: '919876570720', to: '918046000100', billing: '1e300' });
        const call = await (await relay.fetch(`${relay.url}/calls/${callId}`)).json();
        assert.equal(call.state, 'completed');
        assert.equal(call.talkSeconds, undefined);
      } finally {
        await relay.close();
      }
    });

    it('strips markup, controls and bidi characters from ticket labels, and caps them', async () => {
      const relay = relayWith({ ticketSecret: SECRET });
      try {
        const label = '<b>Asha</b>\u202e\nKulkarni\u0000 ' + 'x'.repeat(150);
        const ticket = await createTicket({ secret: SECRET, to: '+91 98765 70730', label, target: 'sales' });
        const { phone } = await (await relay.post('/calls', { ticket })).json();
        assert.match(phone, /^bAsha\/b Kulkarni x+$/);
        assert.ok(phone.length <= 60);
      } finally {
        await relay.close();
      }
    });

    it('refuses a __proto__ variable rather than drop it', async () => {
      const relay = relayWith({});
      try {
        const body = '{"phone": "+91 98765 70740", "target": "otp-ivr", "variables": {"__proto__": {"Name": "x"}}}';
        const refused = await relay.post('/calls', body);
        assert.equal(refused.status, 400);
        assert.equal((await json(refused)).error?.field, 'variables.__proto__');
      } finally {
        await relay.close();
      }
    });

    it('keeps the sandbox’s request list bounded', async () => {
      const sandbox = createSandbox({ token: 'sandbox-token', delayMs: 60_000 });
      try {
        for (let i = 0; i < 1100; i++) {
          await sandbox.app.request('/voice/c2c', {
            method: 'POST',
            headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' },
            body: JSON.stringify({
              bridge: '918046000000',
              from: `9198765${String(i).padStart(5, '0')}`,
              to: '918046000100',
            }),
          });
        }
        assert.equal(sandbox.requests.length, 1000);
        assert.equal(sandbox.requests.at(-1)!.from, '919876501099');
      } finally {
        sandbox.close();
      }
    });
  });
});
