import fc from 'fast-check';
import { sign } from 'hono/jwt';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTicket, verifyNumberToken } from '../../src/relay/index.js';
import { createNumberToken } from '../../src/relay/verify/token.js';
import { TEST_WEBHOOK_SECRET } from '../helpers/relay.js';
import { useVerifyRelay, VERIFY_SECRET } from '../helpers/verify.js';

const MINUTE = 60_000;
const OTHER_SECRET = 'another-secret-0123456789abcdef0123456789';

describe('verifyNumberToken', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const token = (claims: Partial<Parameters<typeof createNumberToken>[0]> = {}) =>
    createNumberToken({
      secret: VERIFY_SECRET,
      number: '919876513001',
      target: 'otp',
      ttlSeconds: 1800,
      now,
      ...claims,
    });

  it('answers the number and target a token names, and when it expires', async () => {
    const { token: signed, expiresAt } = await token();
    assert.deepEqual(await verifyNumberToken(signed, { secret: VERIFY_SECRET, now }), {
      number: '919876513001',
      target: 'otp',
      verifiedAt: new Date(now).toISOString(),
      expiresAt,
    });
  });

  it('refuses a token past its time, signed with another secret, or altered', async () => {
    const { token: signed } = await token();
    const refused = { name: 'RelayError', code: 'verification_required' };
    await assert.rejects(verifyNumberToken(signed, { secret: VERIFY_SECRET, now: now + 30 * MINUTE }), refused);
    await assert.rejects(verifyNumberToken(signed, { secret: OTHER_SECRET, now }), refused);
    const [header, payload, signature] = signed.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...claims, number: '919876513002' })).toString('base64url');
    await assert.rejects(
      verifyNumberToken(`${header}.${altered}.${signature}`, { secret: VERIFY_SECRET, now }),
      refused,
    );
    await assert.rejects(verifyNumberToken('not.a.token', { secret: VERIFY_SECRET, now }), refused);
  });

  it('takes no other token signed with the same secret: a CRM ticket, or a look-alike', async () => {
    const refused = { code: 'verification_required' };
    const ticket = await createTicket({ secret: VERIFY_SECRET, to: '+91 98765 13001', now });
    await assert.rejects(verifyNumberToken(ticket, { secret: VERIFY_SECRET, now }), refused);
    const lookAlike = await sign(
      { number: '919876513001', target: 'otp', iat: now / 1000, exp: now / 1000 + 60, jti: 'abcdefgh12' },
      VERIFY_SECRET,
      'HS256',
    );
    await assert.rejects(verifyNumberToken(lookAlike, { secret: VERIFY_SECRET, now }), refused);
  });
});

describe('targets that take only verified numbers', () => {
  const fixture = useVerifyRelay();
  const call = (target: string, phone: string, verified?: string) =>
    fixture.relay.post('/calls', { phone, target, ...(verified !== undefined && { verified }) });
  const refusal = async (response: Response) => [response.status, (await response.json()).error.code];

  it('dials with a token for that number, and dials nothing without one', async () => {
    const before = fixture.sandbox.requests.length;
    assert.deepEqual(await refusal(await call('gated', '+91 98765 13101')), [403, 'verification_required']);
    assert.equal(fixture.sandbox.requests.length, before, 'nothing dialled');
    const token = await fixture.verify('+91 98765 13101');
    const placed = await call('gated', '+91 98765 13101', token);
    assert.equal(placed.status, 202, 'the code call’s report need not have come');
    assert.equal(fixture.sandbox.requests.at(-1)!.to, '918046000400');
    // The code call's report, late, ends that call and leaves the callback's claim alone.
    const { bridge, from, to, mid } = fixture.sandbox.requests.at(-2)!;
    const report = await fixture.relay.fetch(`${fixture.relay.url}/webhooks/mobtexting`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
      body: JSON.stringify({ bridge, from, to, mid, status: 'COMPLETED', status1: 'ANSWER', status2: 'RECEIVED' }),
    });
    assert.equal((await report.json()).state, 'completed');
    assert.deepEqual(await refusal(await call('gated', '+91 98765 13101', token)), [409, 'call_in_progress']);
  });

  it('refuses a token for another number, another verify target, or one that expired', async () => {
    const token = await fixture.verify('+91 98765 13102');
    const before = fixture.sandbox.requests.length;
    assert.deepEqual(await refusal(await call('gated', '+91 98765 13103', token)), [403, 'verification_required']);
    const named = await fixture.verify('+91 98765 13104', 'otp-named');
    assert.deepEqual(await refusal(await call('gated', '+91 98765 13104', named)), [403, 'verification_required']);
    fixture.advance(30 * MINUTE);
    assert.deepEqual(await refusal(await call('gated', '+91 98765 13102', token)), [403, 'verification_required']);
    assert.equal(fixture.sandbox.requests.length, before + 1, 'only the verification called');
  });

  it('takes a token of any verify target where requireVerified is true', async () => {
    const named = await fixture.verify('+91 98765 13105', 'otp-named');
    assert.equal((await call('gated-any', '+91 98765 13105', named)).status, 202);
  });

  it('takes a number written another way than it was verified', async () => {
    const token = await fixture.verify('+919876513106');
    assert.equal((await call('gated', '098765 13106', token)).status, 202);
  });

  it('never dials without a valid token for that number and target (property)', async () => {
    let serial = 0;
    const kinds = ['valid', 'other-secret', 'expired', 'garbage', 'ticket', 'altered'] as const;
    const targets = ['gated', 'gated-any', 'sales'] as const;
    const verifiedWith = ['otp', 'otp-named', 'sales', 'gated'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.constantFrom(...targets),
        fc.constantFrom(...verifiedWith),
        fc.boolean(),
        fc.boolean(),
        async (kind, target, tokenTarget, sameNumber, sendToken) => {
          // Numbers ending in 9 (and, for another number, 0): none of the sandbox's test endings.
          const national = `98${76_000_000 + 10 * serial++ + 9}`;
          const number = `91${national}`;
          const tokenNumber = sameNumber ? number : `91${String(Number(national) + 1)}`;
          const now = fixture.now();
          const made = await createNumberToken({
            secret: kind === 'other-secret' ? OTHER_SECRET : VERIFY_SECRET,
            number: tokenNumber,
            target: tokenTarget,
            ttlSeconds: 1800,
            now: kind === 'expired' ? now - 31 * MINUTE : now,
          });
          let token = made.token;
          if (kind === 'garbage') token = 'eyJhbGciOiJIUzI1NiJ9.e30.garbage';
          if (kind === 'ticket') token = await createTicket({ secret: VERIFY_SECRET, to: `+${number}`, now });
          if (kind === 'altered') token = `${token.slice(0, -4)}AAAA`;
          const before = fixture.sandbox.requests.length;
          const response = await call(target, `+${number}`, sendToken ? token : undefined);
          const dialled = fixture.sandbox.requests.length > before;
          const fits =
            target === 'sales' ||
            (sendToken &&
              kind === 'valid' &&
              sameNumber &&
              (target === 'gated' ? tokenTarget === 'otp' : tokenTarget === 'otp' || tokenTarget === 'otp-named'));
          assert.equal(dialled, fits, `${kind} ${target} ${tokenTarget} same:${sameNumber} sent:${sendToken}`);
          assert.equal(response.status, fits ? 202 : 403);
        },
      ),
      { numRuns: 300 },
    );
  });
});
