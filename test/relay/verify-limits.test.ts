import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VERIFY_RATE_LIMITS, parseRateLimits, parseVerifyRateLimits } from '../../src/relay/index.js';
import { createVerifyFixture, type VerifyFixture } from '../helpers/verify.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('MT_VERIFY_RATE_LIMITS', () => {
  it('reads several windows for one scope, and guesses', () => {
    assert.deepEqual(parseVerifyRateLimits(DEFAULT_VERIFY_RATE_LIMITS), {
      ok: true,
      limits: {
        number: [
          { count: 3, windowMs: 15 * MINUTE },
          { count: 10, windowMs: 24 * HOUR },
        ],
        ip: [{ count: 10, windowMs: HOUR }],
        prefix: [{ count: 20, windowMs: HOUR }],
        global: [{ count: 500, windowMs: HOUR }],
        guesses: [{ count: 10, windowMs: HOUR }],
      },
    });
    assert.deepEqual(parseVerifyRateLimits('off'), { ok: true, limits: {} });
    assert.deepEqual(parseVerifyRateLimits('target=1/1h'), {
      ok: false,
      problem: '"target" is not one of number, prefix, ip, global, guesses',
    });
  });

  it('leaves MT_RATE_LIMITS as it was: one window a scope, the last one written, and no guesses', () => {
    assert.deepEqual(parseRateLimits('number=3/1h,number=5/1h'), {
      ok: true,
      limits: { number: { count: 5, windowMs: HOUR } },
    });
    assert.equal(parseRateLimits('guesses=10/1h').ok, false);
  });
});

/** A fixture with limits, behind a proxy so that a test chooses each request's address. */
function limited(verifyRateLimits: string): VerifyFixture & {
  startFrom(ip: string, phone: string): Promise<Response>;
  checkFrom(ip: string, id: string, code: string): Promise<Response>;
} {
  const fixture = createVerifyFixture({ verifyRateLimits, trustProxy: true });
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  return Object.assign(fixture, {
    startFrom: (ip: string, phone: string) => fixture.start(phone, {}, from(ip)),
    checkFrom: (ip: string, id: string, code: string) => fixture.check(id, code, from(ip)),
  });
}

async function closing(fixture: VerifyFixture, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } finally {
    fixture.sandbox.close();
    await fixture.relay.close();
  }
}

const limitedBy = async (response: Response) => {
  assert.equal(response.status, 429, await response.clone().text());
  return [(await response.json()).error.retryAfter, response.headers.get('retry-after')];
};

describe('verification limits', () => {
  it('sends a number so many codes in each of its windows', async () => {
    const fixture = limited('number=2/15m,number=3/1d');
    await closing(fixture, async () => {
      const phone = '+91 98765 14001';
      for (let i = 0; i < 2; i++) {
        assert.equal((await fixture.startFrom(`198.51.100.${i}`, phone)).status, 202);
        await fixture.sandbox.flush();
      }
      assert.deepEqual(await limitedBy(await fixture.startFrom('198.51.100.9', phone)), [15 * 60, '900']);
      fixture.advance(15 * MINUTE);
      assert.equal((await fixture.startFrom('198.51.100.9', phone)).status, 202);
      await fixture.sandbox.flush();
      fixture.advance(15 * MINUTE);
      const [retryAfter] = await limitedBy(await fixture.startFrom('198.51.100.9', phone));
      assert.equal(retryAfter, 24 * 3600 - 30 * 60, 'the day’s window');
      assert.equal((await fixture.startFrom('198.51.100.9', '+91 98765 14002')).status, 202, 'other numbers');
    });
  });

  it('counts every start from an address before reading it, and the prefix and global budgets', async () => {
    const fixture = limited('ip=2/1h,prefix=3/1h,global=4/1h');
    await closing(fixture, async () => {
      assert.equal((await fixture.startFrom('198.51.100.20', '+91 98765 14101')).status, 202);
      assert.equal((await fixture.startFrom('198.51.100.20', 'not a number')).status, 422);
      await limitedBy(await fixture.startFrom('198.51.100.20', '+91 98765 14102'));
      assert.equal((await fixture.startFrom('198.51.100.21', '+91 98765 14103')).status, 202);
      assert.equal((await fixture.startFrom('198.51.100.22', '+91 98765 14104')).status, 202);
      const prefix = await fixture.startFrom('198.51.100.23', '+91 98765 14105');
      assert.match((await prefix.json()).error.message, /numbers like this one/);
      assert.equal((await fixture.startFrom('198.51.100.24', '+91 98111 14106')).status, 202);
      const global = await fixture.startFrom('198.51.100.25', '+91 98222 14107');
      assert.match((await global.json()).error.message, /busy/);
    });
  });

  it('limits guesses from an address across verifications, counted before the code is compared', async () => {
    const fixture = limited('guesses=3/1h');
    await closing(fixture, async () => {
      const ids: string[] = [];
      for (const phone of ['+91 98765 14201', '+91 98765 14202', '+91 98765 14203', '+91 98765 14204']) {
        ids.push((await (await fixture.startFrom('198.51.100.30', phone)).json()).verificationId);
      }
      // One wrong code on each of three verifications: a rotating attacker's guesses add up.
      for (const [i, id] of ids.slice(0, 3).entries()) {
        const wrong = (await fixture.checkFrom('198.51.100.30', id, '000000')).status;
        assert.ok(wrong === 422 || wrong === 200, `guess ${i}`);
      }
      const right = fixture.heard('+91 98765 14204');
      await limitedBy(await fixture.checkFrom('198.51.100.30', ids[3]!, right));
      assert.equal((await fixture.checkFrom('198.51.100.31', ids[3]!, right)).status, 200, 'another address');
    });
  });

  it('gives a right code its guess back', async () => {
    const fixture = limited('guesses=1/1h');
    await closing(fixture, async () => {
      for (const phone of ['+91 98765 14301', '+91 98765 14302']) {
        const { verificationId } = await (await fixture.startFrom('198.51.100.40', phone)).json();
        assert.equal((await fixture.checkFrom('198.51.100.40', verificationId, fixture.heard(phone))).status, 200);
      }
    });
  });

  it('keeps its own budgets: calls from an address do not use up its codes, nor codes its calls', async () => {
    const fixture = createVerifyFixture({ rateLimits: 'ip=1/1h', verifyRateLimits: 'ip=1/1h' });
    await closing(fixture, async () => {
      assert.equal((await fixture.relay.post('/calls', { phone: '+91 98765 14401', target: 'sales' })).status, 202);
      assert.equal((await fixture.start('+91 98765 14402')).status, 202);
      assert.equal((await fixture.relay.post('/calls', { phone: '+91 98765 14403', target: 'sales' })).status, 429);
      assert.equal((await fixture.start('+91 98765 14404')).status, 429);
    });
  });
});
