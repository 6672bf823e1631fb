import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { upstreamClient } from '../../src/relay/node/upstream-client.js';
import { UpstreamTimeoutError, type UpstreamRequest } from '../../src/relay/upstream/transport.js';
import { closeServer } from '../helpers/http.js';

/** A provider that counts its connections and answers what `reply` says. */
function provider() {
  const state = { connections: 0, open: 0, reply: 'ok' as 'ok' | 'hang', hanging: [] as ServerResponse[] };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (state.reply === 'hang') return void state.hanging.push(res);
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '17' });
      res.end(JSON.stringify({ body: req.headers['content-length'] }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    state.connections++;
    state.open++;
    socket.on('close', () => state.open--);
  });
  return { server, state };
}

describe('the Node server’s upstream client', () => {
  const { server, state } = provider();
  const client = upstreamClient();
  let url: string;
  const send = (extra: Partial<UpstreamRequest> = {}) =>
    client({
      url,
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2000,
      maxBytes: 1024,
      ...extra,
    });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/voice/c2c`;
  });
  after(async () => {
    client.close();
    await closeServer(server);
  });

  it('answers the status, Retry-After and body, with the body’s length declared', async () => {
    const answer = await send();
    assert.deepEqual(answer, { status: 429, retryAfter: '17', text: '{"body":"7"}' });
  });

  it('keeps its connections for the next requests', async () => {
    for (let i = 0; i < 20; i++) await send();
    // A request may start while the last answer is still being handed back: two at most.
    assert.ok(state.connections <= 2, `${state.connections} connections for 21 requests one after another`);
  });

  it('answers an unreadable body past maxBytes', async () => {
    assert.equal((await send({ maxBytes: 4 })).text, undefined);
  });

  it('gives up at the time-out, and the connection of the request is let go', async () => {
    state.reply = 'hang';
    const started = performance.now();
    await assert.rejects(send({ timeoutMs: 300 }), UpstreamTimeoutError);
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 1000, `gave up after ${Math.round(waited)} ms`);
    state.reply = 'ok';
    const hung = state.hanging.length;
    assert.equal(hung, 1);
    const deadline = Date.now() + 3000;
    while (!state.hanging[0]!.destroyed && !state.hanging[0]!.socket?.destroyed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(
      state.hanging[0]!.socket === null || state.hanging[0]!.socket.destroyed,
      'the hung connection was closed',
    );
    assert.equal((await send()).status, 429, 'and the next request goes through');
  });

  it('rejects, not times out, when nothing listens', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await closeServer(gone);
    await assert.rejects(send({ url: `http://127.0.0.1:${port}/` }), (err: Error) => {
      assert.ok(!(err instanceof UpstreamTimeoutError));
      assert.match(String((err as { code?: string }).code), /ECONNREFUSED/);
      return true;
    });
  });

  it('lets go of its connections when closed', async () => {
    const other = upstreamClient();
    const before = state.open;
    await other({ url, headers: {}, body: '', timeoutMs: 2000, maxBytes: 1024 });
    assert.equal(state.open, before + 1);
    other.close();
    const deadline = Date.now() + 3000;
    while (state.open > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(state.open, before);
  });
});
