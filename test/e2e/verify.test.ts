import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyNumberToken } from '../../src/relay/index.js';
import { spawnRelay, type RelayProcess } from '../helpers/process.js';

const SECRET = 'e2e-verify-secret-0123456789abcdef01234';

describe('mt-c2c-relay in sandbox mode: verifying a number, then the callback', () => {
  let relay: RelayProcess;
  before(async () => {
    relay = await spawnRelay('src/relay/node/cli.ts', { MT_SANDBOX_DELAY_MS: '50', MT_TICKET_SECRET: SECRET });
  });
  after(async () => {
    await relay.stop();
  });
  const post = (path: string, body: unknown) =>
    fetch(`${relay.origin}/c2c${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('reads the code the simulated call spoke, checks it, and places the callback with the token', async () => {
    const phone = '+91 98765 15001';
    assert.equal((await post('/calls', { phone, target: 'sales-verified' })).status, 403, 'not without a token');
    const started = await post('/verifications', { phone, target: 'otp' });
    assert.equal(started.status, 202);
    const { verificationId } = await started.json();
    const heard = await fetch(`${relay.origin}/sandbox/api/v2/spoken?to=${encodeURIComponent(phone)}`);
    const { spoken } = await heard.json();
    const checked = await post(`/verifications/${verificationId}/check`, { code: spoken.variables.otp });
    assert.equal(checked.status, 200);
    const { token } = await checked.json();
    assert.equal((await verifyNumberToken(token, { secret: SECRET })).number, '919876515001');
    const call = await post('/calls', { phone, target: 'sales-verified', verified: token });
    assert.equal(call.status, 202);
    assert.ok(!relay.stdout.join('\n').includes(spoken.variables.otp), 'the code is in no log line');
  });

  it('reports that a number that does not answer heard no code', async () => {
    const started = await post('/verifications', { phone: '+91 98765 10002', target: 'otp' });
    const { verificationId } = await started.json();
    const deadline = Date.now() + 5000;
    let call = 'initiated';
    while (call === 'initiated' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      call = (await (await fetch(`${relay.origin}/c2c/verifications/${verificationId}`)).json()).call;
    }
    assert.equal(call, 'no-answer');
    const heard = await fetch(`${relay.origin}/sandbox/api/v2/spoken?to=919876510002`);
    assert.equal(heard.status, 404);
  });
});
