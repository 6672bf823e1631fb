import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseRateLimits } from '../../src/relay/index.js';
import { addressKey } from '../../src/relay/http/ip-address.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { createTestRelay, uniqueUnixtime, type TestRelay } from '../helpers/relay.js';

const HOUR = 3600_000;

describe('parseRateLimits', () => {
  it('reads the documented form, with units s, m, h and d', () => {
    assert.deepEqual(parseRateLimits('ip=10/10m,number=3/1h,prefix=20/h,target=200/1d,global=500/30s'), {
      ok: true,
      limits: {
        ip: { count: 10, windowMs: 600_000 },
        number: { count: 3, windowMs: HOUR },
        prefix: { count: 20, windowMs: HOUR },
        target: { count: 200, windowMs: 86_400_000 },
        global: { count: 500, windowMs: 30_000 },
      },
    });
    assert.deepEqual(parseRateLimits('off'), { ok: true, limits: {} });
  });

  it('names what is wrong', () => {
    assert.deepEqual(parseRateLimits('ip=10'), { ok: false, problem: '"ip=10" is not like number=3/1h' });
    assert.deepEqual(parseRateLimits('city=1/1h'), {
      ok: false,
      problem: '"city" is not one of ip, number, prefix, target, global',
    });
  });
});

describe('addressKey', () => {
  it('groups IPv6 by /64 and unwraps IPv4-mapped addresses', () => {
    assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
    assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(addressKey('2001:db8:abcd:12:1::7'), '2001:db8:abcd:12::/64');
    assert.equal(addressKey('2001:0db8:abcd:0012:ffff:ffff:ffff:ffff'), '2001:db8:abcd:12::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });
});

describe('rate limits', () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  /** A relay with a clock the test moves, behind one proxy so tests can choose the client address. */
  async function limitedRelay(rateLimits: string) {
    let now = Date.parse('2026-11-26T10:00:00Z');
    const relay = createTestRelay({ apiBase: upstream.apiBase, rateLimits, trustProxy: true, now: () => now });
    let n = 0;
    const call = (options: { phone?: string; ip?: string; target?: string } = {}) =>
      relay.post(
        '/calls',
        {
          phone: options.phone ?? `+91 98${String(++n).padStart(3, '0')} ${String(10000 + n * 7919).slice(-5)}`,
          target: options.target ?? 'sales',
        },
        { 'X-Forwarded-For': options.ip ?? '198.51.100.1' },
      );
    return { relay, call, advance: (ms: number) => (now += ms) };
  }

  async function expectLimited(response: Response, retryAfter: number) {
    assert.equal(response.status, 429);
    const body = await response.json();
    assert.equal(body.error.code, 'rate_limited');
    assert.equal(response.headers.get('retry-after'), String(retryAfter));
    assert.equal(body.error.retryAfter, retryAfter);
    return body.error.message as string;
  }

  it('limits calls per client address, and lifts after the window', async () => {
    const { relay, call, advance } = await limitedRelay('ip=3/10m');
    try {
      for (let i = 0; i < 3; i++) assert.equal((await call()).status, 202);
      advance(60_000);
      assert.match(await expectLimited(await call(), 540), /your network/);
      assert.equal((await call({ ip: '198.51.100.2' })).status, 202, 'another address is not limited');
      advance(539_000);
      await expectLimited(await call(), 1);
      advance(1_000);
      assert.equal((await call()).status, 202, 'lifted after 10 minutes');
    } finally {
      await relay.close();
    }
  });

  it('counts invalid attempts against the address too', async () => {
    const { relay, call } = await limitedRelay('ip=2/1h');
    try {
      assert.equal((await call({ phone: 'nonsense' })).status, 422);
      assert.equal((await call({ phone: 'nonsense' })).status, 422);
      await expectLimited(await call(), 3600);
    } finally {
      await relay.close();
    }
  });

  it('counts a whole IPv6 /64 as one client', async () => {
    const { relay, call } = await limitedRelay('ip=2/1h');
    try {
      assert.equal((await call({ ip: '2001:db8:1:2::10' })).status, 202);
      assert.equal((await call({ ip: '2001:db8:1:2:ffff::99' })).status, 202);
      await expectLimited(await call({ ip: '2001:db8:1:2:abcd::1' }), 3600);
      assert.equal((await call({ ip: '2001:db8:1:3::10' })).status, 202, 'the next /64 is someone else');
    } finally {
      await relay.close();
    }
  });

  it('believes only the proxy’s entry of X-Forwarded-For, and never a client’s Forwarded', async () => {
    const { relay, call } = await limitedRelay('ip=2/1h');
    try {
      const post = (headers: Record<string, string>, n: number) =>
        relay.post('/calls', { phone: `+91 98666 0000${n}`, target: 'sales' }, headers);
      assert.equal((await post({ 'X-Forwarded-For': '10.0.0.1, 198.51.100.77' }, 1)).status, 202);
      assert.equal(
        (await post({ 'X-Forwarded-For': '10.0.0.2, 198.51.100.77', Forwarded: 'for=192.0.2.1' }, 2)).status,
        202,
      );
      assert.equal(
        (await post({ 'X-Forwarded-For': '10.0.0.3, 198.51.100.77', Forwarded: 'for=192.0.2.2' }, 3)).status,
        429,
        'rotating what the client sends changes nothing',
      );
      assert.equal((await call({ ip: '198.51.100.78' })).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('ignores forwarding headers unless told to trust a proxy', async () => {
    const relay = createTestRelay({ apiBase: upstream.apiBase, rateLimits: 'ip=1/1h' });
    try {
      const post = (ip: string, phone: string) =>
        relay.post('/calls', { phone, target: 'sales' }, { 'X-Forwarded-For': ip });
      assert.equal((await post('198.51.100.1', '+91 98111 11111')).status, 202);
      assert.equal(
        (await post('198.51.100.2', '+91 98111 11112')).status,
        429,
        'a forged header does not make a new client',
      );
    } finally {
      await relay.close();
    }
  });

  it('limits calls per destination number, across ended calls', async () => {
    const { relay, call, advance } = await limitedRelay('number=2/1h');
    try {
      const phone = '+91 98222 22222';
      assert.equal((await call({ phone })).status, 202);
      await settle(relay, phone);
      assert.equal((await call({ phone, ip: '198.51.100.7' })).status, 202);
      await settle(relay, phone);
      assert.match(
        await expectLimited(await call({ phone, ip: '198.51.100.8' }), 3600),
        /This number has been called too often/,
      );
      assert.equal((await call({ phone: '+91 98222 22223' })).status, 202, 'another number is not limited');
      advance(HOUR);
      assert.equal((await call({ phone })).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('limits calls to numbers sharing all but the last four digits', async () => {
    const { relay, call } = await limitedRelay('prefix=2/1h');
    try {
      assert.equal((await call({ phone: '+91 98333 31111' })).status, 202);
      assert.equal((await call({ phone: '+91 98333 32222' })).status, 202);
      assert.match(await expectLimited(await call({ phone: '+91 98333 33333' }), 3600), /numbers like this one/);
      assert.equal((await call({ phone: '+91 98334 31111' })).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('limits calls per target', async () => {
    const { relay, call } = await limitedRelay('target=2/1h');
    try {
      assert.equal((await call()).status, 202);
      assert.equal((await call()).status, 202);
      assert.match(await expectLimited(await call(), 3600), /this team/);
      assert.equal((await call({ target: 'support' })).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('caps all calls with a global budget', async () => {
    const { relay, call, advance } = await limitedRelay('global=3/1h');
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await call({ ip: `198.51.100.${10 + i}`, target: i % 2 ? 'sales' : 'support' })).status, 202);
      advance(30 * 60_000);
      assert.match(await expectLimited(await call({ ip: '198.51.100.99', target: 'otp-ivr' }), 1800), /busy/);
      advance(30 * 60_000);
      assert.equal((await call()).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('counts nothing against the other limits when one trips', async () => {
    const { relay, call, advance } = await limitedRelay('number=2/2h,global=1/1h');
    try {
      const phone = '+91 98444 44444';
      assert.equal((await call({ phone: '+91 98444 45555' })).status, 202);
      for (let i = 0; i < 3; i++) await expectLimited(await call({ phone }), 3600);
      advance(HOUR);
      assert.equal((await call({ phone })).status, 202, 'the refused attempts did not count against the number');
      await settle(relay, phone);
      advance(HOUR);
      assert.equal((await call({ phone })).status, 202);
    } finally {
      await relay.close();
    }
  });

  it('allows one call per number at a time, and the 409 hands out no one’s call id', async () => {
    const { relay, call } = await limitedRelay('off');
    try {
      const phone = '+91 98555 55555';
      const first = await (await call({ phone })).json();
      const second = await call({ phone, ip: '198.51.100.50' });
      assert.equal(second.status, 409);
      const body = await second.json();
      assert.equal(body.error.code, 'call_in_progress');
      assert.equal(body.error.callId, undefined, 'a call id goes only to whoever started the call');
      assert.ok(!JSON.stringify(body).includes(first.callId));
      await settle(relay, phone);
      assert.equal((await call({ phone })).status, 202, 'free again once the call has ended');
    } finally {
      await relay.close();
    }
  });
});

/** Ends the open call to a number through an authenticated webhook, as Mobtexting would. */
async function settle(relay: TestRelay, phone: string): Promise<void> {
  const digits = phone.replace(/\D/g, '');
  const response = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer webhook-secret-4e5f6a7b8c9d0e1f' },
    body: JSON.stringify({
      bridge: '918046000000',
      from: digits,
      to: '918046000100',
      status: 'COMPLETED',
      status1: 'ANSWER',
      status2: 'ANSWER',
      unixtime: uniqueUnixtime(),
    }),
  });
  assert.equal(response.status, 200, await response.text());
}
