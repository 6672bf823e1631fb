// Servers the benchmarks load, each in its own process so that the load generator and
// the server do not share a core. Prints `listening <port>` once ready.
//   node --import tsx bench/servers.ts echo    a bare Hono POST-JSON echo
//   node --import tsx bench/servers.ts relay   the full relay, Mobtexting answered in-process
// The relay also answers GET /bench/stats: open event streams and resident memory.
// With REDIS_URL set, the relay keeps its state in that Redis (prefix BENCH_PREFIX).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createRelay, MemoryCallStore, type CallStore } from '../src/relay/index.js';
import { createRedisStore } from '../src/relay/store/redis/index.js';

const kind = process.argv[2];
const app = new Hono();

if (kind === 'echo') {
  app.post('/c2c/calls', async (c) => c.json(await c.req.json(), 202));
} else if (kind === 'relay') {
  const accepted = JSON.stringify({
    callId: '26074c32-b316-4ffa-99d7-9f6a99da56d6',
    message: 'call initiated successfully',
    status: 200,
  });
  let streams = () => 0;
  let store: CallStore;
  if (process.env.REDIS_URL) {
    store = await createRedisStore({ url: process.env.REDIS_URL, prefix: process.env.BENCH_PREFIX ?? 'bench:' });
  } else {
    const memory = new MemoryCallStore();
    streams = () => memory.listenerCount();
    store = memory;
  }
  const relay = createRelay({
    apiToken: 'bench-token-0123456789',
    bridge: '918046000000',
    targets: { sales: { to: '918046000100', duration: 15 } },
    webhookSecret: 'bench-webhook-secret-0123',
    // Limits that never trip, so that their cost is measured without refusals.
    rateLimits:
      process.env.BENCH_LIMITS ??
      'ip=1000000000/1h,number=1000000000/1h,prefix=1000000000/1h,target=1000000000/1h,global=1000000000/1h',
    store,
    logger: () => {},
    // Mobtexting's answer, as little as the relay reads of a response, so that the
    // measure is the relay's own work.
    fetch: async () => new Response(accepted, { status: 200, headers: { 'Content-Type': 'application/json' } }),
  });
  app.get('/bench/stats', (c) => c.json({ streams: streams(), rss: process.memoryUsage().rss }));
  app.route('/c2c', relay);
} else {
  console.error('usage: servers.ts echo|relay');
  process.exit(2);
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
  console.log(`listening ${info.port}`),
);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  (server as import('node:http').Server).closeAllConnections?.();
});
