import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runToEnd, spawnRelay, type RelayProcess } from '../helpers/process.js';

const CLI = 'src/relay/node/cli.ts';

describe('mt-c2c-relay', () => {
  it('stops at start with one clear line per configuration problem', async () => {
    const result = await runToEnd(['--import', 'tsx', CLI], {
      MT_API_TOKEN: 'live-token-0123456789',
      MT_TARGETS: '{"sales":{"to":"12"}}',
    });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      'mt-c2c-relay: MT_BRIDGE: is required',
      'mt-c2c-relay: MT_TARGETS (sales.to): must be a number with country code (e.g. 918067123456) or flow:ID',
      'mt-c2c-relay: MT_WEBHOOK_SECRET: is required',
    ]);
    assert.ok(!result.stderr.includes('live-token-0123456789'));
  });

  it('refuses unknown arguments', async () => {
    const result = await runToEnd(['--import', 'tsx', CLI, '--prot', '1'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown argument "--prot"/);
  });

  describe('in sandbox mode', () => {
    let relay: RelayProcess;
    before(async () => {
      relay = await spawnRelay(CLI, { MT_SANDBOX_DELAY_MS: '50' });
    });
    after(async () => {
      await relay.stop();
    });

    it('says loudly that nothing is dialled', () => {
      assert.ok(
        relay.stderr.some((line) => /SANDBOX MODE: .*nothing is dialled/.test(line)),
        relay.stderr.join('\n'),
      );
    });

    it('serves health and places a sandbox call through its own HTTP', async () => {
      const health = await fetch(`${relay.origin}/c2c/health`);
      assert.equal(health.status, 200);
      const body = await health.json();
      assert.deepEqual([body.status, body.store, body.streams], ['ok', 'ok', 0]);
      assert.ok(body.connections >= 1 && body.maxConnections > body.connections, 'the server reports its load');
      const response = await fetch(`${relay.origin}/c2c/calls`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone: '+91 98765 43210', target: 'sales' }),
      });
      assert.equal(response.status, 202);
      const { callId } = await response.json();
      const call = await (await fetch(`${relay.origin}/c2c/calls/${callId}`)).json();
      assert.equal(call.callId, callId);
    });

    it('logs structured one-line JSON with masked numbers only', async () => {
      const lines = relay.stdout.filter(Boolean).map((line) => JSON.parse(line));
      const initiated = lines.find((line) => line.event === 'call.initiated');
      assert.ok(initiated, relay.stdout.join('\n'));
      assert.equal(initiated.phone, '+91 98••• ••210');
      assert.equal(initiated.level, 'info');
      assert.ok(!relay.stdout.join('\n').includes('9876543210'));
    });

    it('takes pages of its own loopback origins as its own, and no other page', async () => {
      const port = new URL(relay.origin).port;
      const post = (origin: string, phone: string) =>
        fetch(`${relay.origin}/c2c/calls`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: origin },
          body: JSON.stringify({ phone, target: 'sales' }),
        });
      assert.equal((await post(`http://localhost:${port}`, '+91 98765 43221')).status, 202);
      assert.equal((await post(`http://127.0.0.1:${port}`, '+91 98765 43222')).status, 202);
      assert.equal((await post(`http://evil.example:${port}`, '+91 98765 43223')).status, 403);
    });

    it('stops cleanly on SIGTERM', async () => {
      const code = await relay.stop();
      assert.equal(code, 0);
    });
  });
});
