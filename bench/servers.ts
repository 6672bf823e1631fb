// The servers the benchmarks load, each in its own process so that the load generator and
// the server do not share a core. Each prints `listening <port>` once ready.
//   echo                a bare Hono POST-JSON echo: the floor of any Hono app
//   minimal-fetch       the relay a site would otherwise write: Hono, c.req.json(), a
//                       simple phone check, fetch to the provider, 202
//   minimal-keepalive   the same with a keep-alive node:http client instead of fetch
//   relay               the real server (`mt-c2c-relay`: loadServerConfig + startRelayServer),
//                       configured from the environment, logging with pino to /dev/null,
//                       and GET /bench/stats (heap and resident memory)
// BENCH_PROVIDER is the provider's base URL (`http://127.0.0.1:<port>/`).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadServerConfig } from '../src/relay/node/env-config.js';
import { startRelayServer } from '../src/relay/node/node-server.js';
import { pinoLogger } from '../src/relay/node/pino-logger.js';

const kind = process.argv[2];
const provider = `${process.env.BENCH_PROVIDER ?? 'http://127.0.0.1:9/'}voice/c2c`;
const PHONE = /^\+?[0-9 ]{8,16}$/;

/** The minimal relay's call: what a site would write without this package. */
function minimalRelay(post: (body: string) => Promise<number>): Hono {
  const app = new Hono();
  app.post('/c2c/calls', async (c) => {
    const { phone, target } = await c.req.json<{ phone?: string; target?: string }>();
    if (typeof phone !== 'string' || !PHONE.test(phone)) return c.json({ error: 'invalid phone' }, 422);
    const digits = phone.replace(/\D/g, '');
    const status = await post(JSON.stringify({ bridge: '918046000000', from: digits, to: '918046000100', target }));
    if (status !== 200) return c.json({ error: 'upstream' }, 502);
    return c.json({ callId: crypto.randomUUID(), state: 'initiated' }, 202);
  });
  return app;
}

const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer bench-token-0123456789' };
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

async function listen(app: Hono): Promise<void> {
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
    console.log(`listening ${info.port}`),
  );
}

if (kind === 'echo') {
  const app = new Hono();
  app.post('/c2c/calls', async (c) => c.json(await c.req.json(), 202));
  await listen(app);
} else if (kind === 'minimal-fetch') {
  await listen(
    minimalRelay(async (body) => {
      const response = await fetch(provider, { method: 'POST', headers, body });
      await response.text();
      return response.status;
    }),
  );
} else if (kind === 'minimal-keepalive') {
  await listen(
    minimalRelay(
      (body) =>
        new Promise((resolve, reject) => {
          const req = request(provider, { method: 'POST', agent, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(body);
        }),
    ),
  );
} else if (kind === 'relay') {
  const loaded = loadServerConfig({ ...process.env, PORT: '0' });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const logger = pinoLogger(pino({ base: undefined }, pino.destination({ dest: '/dev/null', sync: false })));
  const server = await startRelayServer(loaded.config, {
    hostname: '127.0.0.1',
    logger,
    configure: (app) => {
      app.get('/bench/stats', (c) => {
        const { heapUsed, rss } = process.memoryUsage();
        return c.json({ heapUsed, rss });
      });
      app.post('/bench/gc', (c) => {
        (globalThis as { gc?: () => void }).gc?.();
        return c.json({ ok: true });
      });
    },
  });
  console.log(`listening ${server.port}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  console.error('usage: servers.ts echo|minimal-fetch|minimal-keepalive|relay');
  process.exit(2);
}
