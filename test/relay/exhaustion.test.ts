import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { spawnRelay, type RelayProcess } from '../helpers/process.js';
import { startRelay } from '../helpers/relay.js';
import { openSse } from '../helpers/sse.js';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';

// Finding 2 of the attack on the relay: one client could hold every file descriptor.

/** A socket to the relay that sends nothing, or what it is told; resolves with what it reads. */
function openSocket(
  origin: string,
  localAddress = '127.0.0.1',
): Promise<{ socket: Socket; received: Promise<string> }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => {
      let text = '';
      const received = new Promise<string>((done) => {
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => done(text));
      });
      resolve({ socket, received });
    });
    socket.once('error', reject);
  });
}

/** What comes back within `ms`, or `undefined` if the socket stays open and quiet. */
async function within(received: Promise<string>, ms: number): Promise<string | undefined> {
  return Promise.race([received, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
}

describe('2. one client cannot exhaust the relay’s connections', () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  const live = (extra: Record<string, string>) =>
    spawnRelay('src/relay/node/cli.ts', {
      MT_API_TOKEN: TEST_TOKEN,
      MT_API_BASE: upstream.apiBase,
      MT_BRIDGE: TEST_BRIDGE,
      MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      MT_TARGETS: JSON.stringify({ sales: { to: '918046000100' } }),
      MT_RATE_LIMITS: 'off',
      ...extra,
    });

  it('caps the event streams one address, and one call, may hold', async () => {
    const relay = await startRelay({ apiBase: upstream.apiBase, streamsPerAddress: 3, streamsPerCall: 2 });
    const streams: Awaited<ReturnType<typeof openSse>>[] = [];
    try {
      const place = async (phone: string) =>
        (await (await relay.post('/calls', { phone, target: 'sales' })).json()).callId;
      const [a, b, c] = [
        await place('+91 98765 80001'),
        await place('+91 98765 80002'),
        await place('+91 98765 80003'),
      ];
      const events = (callId: string) => `${relay.url}/calls/${callId}/events`;
      streams.push(await openSse(events(a)), await openSse(events(a)));
      const third = await fetch(events(a));
      assert.equal(third.status, 429, 'two streams per call');
      assert.equal((await third.json()).error.code, 'rate_limited');
      streams.push(await openSse(events(b)));
      assert.equal((await fetch(events(c))).status, 429, 'three streams per address');
      streams.pop()!.close();
      let again = await fetch(events(c));
      for (let i = 0; i < 40 && again.status === 429; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await fetch(events(c));
      }
      assert.equal(again.status, 200, 'a stream that ends frees its place');
      await again.body?.cancel();
    } finally {
      for (const stream of streams) stream.close();
      await relay.close();
    }
  });

  describe('the Node server', () => {
    let relay: RelayProcess;
    before(async () => {
      relay = await live({
        MT_REQUEST_TIMEOUT_MS: '1000',
        MT_MAX_CONNECTIONS: '16',
        MT_CONNECTIONS_PER_ADDRESS: '6',
        MT_RATE_LIMITS: 'ip=1/1h',
      });
    });
    after(async () => {
      await relay?.stop();
    });

    it('counts the address before reading the body, so a limited client is refused at once', async () => {
      const post = (body: string, declared = body.length) =>
        `POST /c2c/calls HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n${body}`;
      const first = await openSocket(relay.origin);
      first.socket.write(post(JSON.stringify({ phone: '+91 98765 80101', target: 'sales' })));
      assert.match((await first.received).split('\r\n')[0]!, / 202 /);
      const slow = await openSocket(relay.origin);
      slow.socket.write(post('{"phone":', 200));
      const answer = await within(slow.received, 800);
      assert.match(answer ?? 'nothing yet', /^HTTP\/1\.1 429/, 'refused without waiting for the body');
    });

    it('drops a request whose body never finishes, after the request time-out', async () => {
      const slow = await openSocket(relay.origin, '127.0.0.2');
      slow.socket.write(
        'POST /c2c/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{',
      );
      const started = Date.now();
      const answer = await within(slow.received, 5000);
      assert.ok(answer !== undefined, 'the connection was closed');
      assert.ok(Date.now() - started < 4000, `held for ${Date.now() - started} ms`);
    });

    it('refuses connections past the per-address cap, and serves other addresses', async () => {
      const held = await Promise.all(Array.from({ length: 6 }, () => openSocket(relay.origin, '127.0.0.3')));
      try {
        const seventh = await openSocket(relay.origin, '127.0.0.3');
        assert.match((await within(seventh.received, 2000)) ?? 'nothing', /^HTTP\/1\.1 429/);
        const other = await openSocket(relay.origin, '127.0.0.4');
        other.socket.write('GET /c2c/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        assert.match(await other.received, /^HTTP\/1\.1 200/);
      } finally {
        for (const { socket } of held) socket.destroy();
      }
    });

    it('answers 503 past its connection cap rather than starve, and /health says it is saturated', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const held: Socket[] = [];
      try {
        // Fourteen held open, from several addresses (each under its own cap).
        for (let i = 0; i < 14; i++) held.push((await openSocket(relay.origin, `127.0.1.${i % 3}`)).socket);
        const health = await openSocket(relay.origin, '127.0.2.1');
        health.socket.write('GET /c2c/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        const report = await health.received;
        assert.match(report, /^HTTP\/1\.1 503/);
        assert.match(report, /"status":"saturated"/);
        for (let i = 0; i < 2; i++) held.push((await openSocket(relay.origin, `127.0.3.${i}`)).socket);
        const past = await openSocket(relay.origin, '127.0.4.1');
        assert.match((await within(past.received, 2000)) ?? 'nothing', /^HTTP\/1\.1 503/);
      } finally {
        for (const socket of held) socket.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const health = await fetch(`${relay.origin}/c2c/health`);
      assert.equal(health.status, 200, 'serving again once they are gone');
    });
  });
});
