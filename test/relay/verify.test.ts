import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCallStore, verifyNumberToken, type CallStore } from '../../src/relay/index.js';
import { createTestRelay } from '../helpers/relay.js';
import { createVerifyFixture, useVerifyRelay, VERIFY_SECRET, VERIFY_TARGETS } from '../helpers/verify.js';

const MINUTE = 60_000;
const STARTED_KEYS = ['attemptsLeft', 'digits', 'expiresAt', 'phone', 'retryAfter', 'verificationId'];

describe('verifying a number by a spoken code', () => {
  const fixture = useVerifyRelay();
  const started = async (phone: string, body?: Record<string, unknown>) => {
    const response = await fixture.start(phone, body);
    assert.equal(response.status, 202, await response.clone().text());
    return response.json();
  };
  const errorOf = async (response: Response) => [response.status, (await response.json()).error] as const;

  it('rings the number through the flow with the code as its one variable; the right code earns a token', async () => {
    const answer = await started('+91 98765 11001');
    assert.deepEqual(Object.keys(answer).sort(), STARTED_KEYS);
    assert.equal(answer.phone, '+91 98••• ••001');
    assert.equal(answer.expiresAt, new Date(fixture.now() + 10 * MINUTE).toISOString());
    assert.deepEqual([answer.digits, answer.attemptsLeft, answer.retryAfter], [6, 5, 30]);

    const sent = fixture.sandbox.requests.at(-1)!;
    const code = fixture.heard('+91 98765 11001');
    assert.match(code, /^\d{6}$/);
    assert.deepEqual([sent.from, sent.to, sent['variables[otp]']], ['919876511001', 'flow:220', code]);
    assert.deepEqual(
      Object.keys(sent).filter((key) => key.startsWith('variables')),
      ['variables[otp]'],
    );
    const elsewhere = JSON.stringify({ ...sent, 'variables[otp]': undefined });
    assert.ok(!new RegExp(`(?<!\\d)${code}(?!\\d)`).test(elsewhere), 'the code is in no other field');
    assert.deepEqual([sent.record, sent.duration], ['0', '2'], 'never recorded, and short');

    const checked = await fixture.check(answer.verificationId, code);
    assert.equal(checked.status, 200);
    const { verified, token, expiresAt } = await checked.json();
    assert.equal(verified, true);
    assert.equal(expiresAt, new Date(fixture.now() + 30 * MINUTE).toISOString());
    const proof = await verifyNumberToken(token, { secret: VERIFY_SECRET, now: fixture.now() });
    assert.deepEqual([proof.number, proof.target], ['919876511001', 'otp']);
  });

  it('answers a wrong code with the tries left; after five, even the right code is expired', async () => {
    const { verificationId } = await started('+91 98765 11002');
    const right = fixture.heard('+91 98765 11002');
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const left of [4, 3, 2, 1, 0]) {
      const [status, error] = await errorOf(await fixture.check(verificationId, wrong));
      assert.deepEqual([status, error.code, error.attemptsLeft, error.field], [422, 'wrong_code', left, 'code']);
    }
    const [status, error] = await errorOf(await fixture.check(verificationId, right));
    assert.deepEqual([status, error.code], [410, 'verification_expired']);
  });

  it('takes a right code once', async () => {
    const { verificationId } = await started('+91 98765 11003');
    const code = fixture.heard('+91 98765 11003');
    assert.equal((await fixture.check(verificationId, code)).status, 200);
    const [status, error] = await errorOf(await fixture.check(verificationId, code));
    assert.deepEqual([status, error.code], [410, 'verification_expired']);
  });

  it('takes a code grouped as people paste it', async () => {
    const { verificationId } = await started('+91 98765 11004');
    const code = fixture.heard('+91 98765 11004');
    assert.equal((await fixture.check(verificationId, `${code.slice(0, 3)} ${code.slice(3)}`)).status, 200);
  });

  it('stops taking codes ten minutes after the start', async () => {
    const early = await started('+91 98765 11005');
    const late = await started('+91 98765 11006');
    fixture.advance(10 * MINUTE - 1);
    assert.equal((await fixture.check(early.verificationId, fixture.heard('+91 98765 11005'))).status, 200);
    fixture.advance(1);
    const [status, error] = await errorOf(await fixture.check(late.verificationId, fixture.heard('+91 98765 11006')));
    assert.deepEqual([status, error.code], [410, 'verification_expired']);
    assert.equal((await fixture.relay.fetch(`${fixture.relay.url}/verifications/${late.verificationId}`)).status, 410);
  });

  it('closes a verification when the number starts another, and takes the new code', async () => {
    const first = await started('+91 98765 11007');
    const firstCode = fixture.heard('+91 98765 11007');
    await fixture.sandbox.flush(); // the first call ended
    const second = await started('+91 98765 11007');
    const secondCode = fixture.heard('+91 98765 11007');
    assert.equal((await errorOf(await fixture.check(first.verificationId, firstCode)))[0], 410);
    assert.equal((await fixture.check(second.verificationId, secondCode)).status, 200);
  });

  it('answers the same for a new number, one verified before, and one being verified now', async () => {
    const shape = (answer: Record<string, unknown>) => ({
      keys: Object.keys(answer).sort(),
      expiresIn: Date.parse(String(answer.expiresAt)) - fixture.now(),
      phone: String(answer.phone).replace(/\d{3}$/, 'NNN'),
      rest: [answer.digits, answer.attemptsLeft, answer.retryAfter],
    });
    await fixture.verify('+91 98765 11008');
    await fixture.sandbox.flush();
    const verifiedBefore = shape(await started('+91 98765 11008'));
    const beingVerified = shape(await started('+91 98765 11009'));
    await fixture.sandbox.flush();
    const inCodeEntry = shape(await started('+91 98765 11009'));
    const fresh = shape(await started('+91 98765 11010'));
    assert.deepEqual(verifiedBefore, fresh);
    assert.deepEqual(beingVerified, fresh);
    assert.deepEqual(inCodeEntry, fresh);
  });

  it('places no second call while the number’s call is under way, answers the same, and closes nothing', async () => {
    const first = await started('+91 98765 11011');
    const code = fixture.heard('+91 98765 11011');
    const calls = fixture.sandbox.requests.length;
    const again = await started('+91 98765 11011');
    assert.deepEqual(Object.keys(again).sort(), STARTED_KEYS);
    assert.equal(fixture.sandbox.requests.length, calls, 'one call at a time');
    const status = await (
      await fixture.relay.fetch(`${fixture.relay.url}/verifications/${again.verificationId}`)
    ).json();
    assert.equal(status.call, 'busy');
    assert.equal((await fixture.check(first.verificationId, code)).status, 200, 'the first one still works');
  });

  it('shows how the call went, without the code: a number that does not answer hears nothing', async () => {
    const unanswered = await started('+91 98765 10002');
    const answered = await started('+91 98765 11012');
    assert.equal(fixture.sandbox.spoken('+91 98765 10002'), undefined, 'no code was heard');
    const state = async (id: string) => (await fixture.relay.fetch(`${fixture.relay.url}/verifications/${id}`)).json();
    assert.deepEqual(await state(unanswered.verificationId), {
      verificationId: unanswered.verificationId,
      expiresAt: unanswered.expiresAt,
      phone: '+91 98••• ••002',
      attemptsLeft: 5,
      call: 'initiated',
    });
    await fixture.sandbox.flush();
    assert.equal((await state(unanswered.verificationId)).call, 'no-answer');
    assert.equal((await state(answered.verificationId)).call, 'completed');
  });

  it('turns a misheard code (a number ending 0008) into a wrong code', async () => {
    const { verificationId } = await started('+91 98765 10008');
    const [status, error] = await errorOf(await fixture.check(verificationId, fixture.heard('+91 98765 10008')));
    assert.deepEqual([status, error.code, error.attemptsLeft], [422, 'wrong_code', 4]);
  });

  it('lets the page pass only the variables the verify target declares, never the code', async () => {
    const codeFromPage = await fixture.start('+91 98765 11013', { variables: { otp: '123456' } });
    assert.deepEqual((await errorOf(codeFromPage)).slice(0, 1), [400]);
    const named = await fixture.start('+91 98765 11014', { target: 'otp-named', variables: { Name: 'Asha' } });
    assert.equal(named.status, 202);
    const sent = fixture.sandbox.requests.at(-1)!;
    assert.deepEqual(
      Object.keys(sent)
        .filter((key) => key.startsWith('variables'))
        .sort(),
      ['variables[Name]', 'variables[code]'],
    );
    assert.match(String(sent['variables[code]']), /^\d{8}$/);
    const smuggled = await fixture.start('+91 98765 11015', { target: 'otp-named', variables: { code: '12345678' } });
    assert.equal((await errorOf(smuggled))[1].field, 'variables.code');
    const text = await fixture.start('+91 98765 11016', { target: 'otp-named', variables: { Name: 'Call 555 now' } });
    assert.equal((await errorOf(text))[1].field, 'variables.Name');
  });

  it('refuses calls to a verify target, tickets, tokens and unknown targets in a start', async () => {
    const call = await fixture.relay.post('/calls', { phone: '+91 98765 11017', target: 'otp' });
    assert.deepEqual([call.status, (await call.json()).error.field], [400, 'target']);
    for (const body of [{ ticket: 'x.y.z' }, { verified: 'x.y.z' }]) {
      assert.equal((await errorOf(await fixture.start('+91 98765 11018', body)))[1].field, Object.keys(body)[0]);
    }
    const [status, error] = await errorOf(await fixture.start('+91 98765 11019', { target: 'sales' }));
    assert.deepEqual([status, error.code], [404, 'unknown_target']);
  });

  it('answers 410 for an id it does not know, and 400 for a code that is not digits', async () => {
    const unknown = await fixture.check('00000000-0000-4000-8000-000000000000', '123456');
    assert.equal(unknown.status, 410);
    assert.equal((await fixture.check('not-an-id', '123456')).status, 410);
    const { verificationId } = await started('+91 98765 11020');
    const letters = await fixture.relay.post(`/verifications/${verificationId}/check`, { code: 'one two' });
    assert.deepEqual([letters.status, (await letters.json()).error.field], [400, 'code']);
  });

  it('replays a start sent again with its Idempotency-Key, without a second call', async () => {
    const headers = { 'Idempotency-Key': 'verify-once' };
    const first = await fixture.start('+91 98765 11021', {}, headers);
    const calls = fixture.sandbox.requests.length;
    const again = await fixture.start('+91 98765 11021', {}, headers);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await again.json(), await first.json());
    assert.equal(fixture.sandbox.requests.length, calls);
  });
});

describe('where a code may never be', () => {
  it('is a secret of the test relay’s scanner, in responses and log lines', async () => {
    for (const leak of ['response', 'log line']) {
      const relay = createTestRelay({ apiBase: 'http://provider.test/api/v2/' });
      relay.treatAsSecret('482913');
      // The relay names an unknown field in its answer, and logs a refused origin.
      if (leak === 'response') await (await relay.post('/calls', { x482913: 1 })).text();
      else await (await relay.post('/calls', {}, { Origin: 'https://482913.example' })).text();
      await assert.rejects(relay.close(), /a secret was seen/, leak);
    }
  });

  it('is never kept by the store, in any argument or answer', async () => {
    const seen: string[] = [];
    let clock = Date.now;
    const memory = new MemoryCallStore({ now: () => clock() });
    const store = new Proxy(memory, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result = await value.apply(target, args);
          seen.push(JSON.stringify([args, result]));
          return result;
        };
      },
    }) as CallStore;
    const fixture = createVerifyFixture({ store });
    clock = fixture.now;
    try {
      const token = await fixture.verify('+91 98765 12001');
      assert.ok(token);
      const code = fixture.sandbox.requests.at(-1)!['variables[otp]'] as string;
      assert.ok(seen.length > 5);
      assert.ok(!seen.some((text) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text)), 'no code in the store');
    } finally {
      fixture.sandbox.close();
      await fixture.relay.close();
    }
  });

  it('is kept out of the log when Mobtexting’s refusal repeats it', async () => {
    const relay = createTestRelay({
      apiBase: 'http://provider.test/api/v2/',
      targets: VERIFY_TARGETS,
      ticketSecret: VERIFY_SECRET,
      verifyRateLimits: 'off',
      fetch: async (_url, init) => {
        const code = JSON.parse(String(init?.body))['variables[otp]'];
        relay.treatAsSecret(code);
        const message = `The variables[otp] value ${code} is invalid.`;
        return new Response(JSON.stringify({ status: 422, message }), { status: 422 });
      },
    });
    try {
      const response = await relay.post('/verifications', { phone: '+91 98765 12002', target: 'otp' });
      assert.deepEqual([response.status, (await response.json()).error.code], [422, 'call_rejected']);
      const line = relay.logs.find((entry) => entry.event === 'upstream.rejected');
      assert.match(String(line?.fields?.upstreamMessage), /\[redacted\] is invalid/);
    } finally {
      await relay.close(); // fails if the code reached any response or log line
    }
  });
});
