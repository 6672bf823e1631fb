// The relays widget tests talk to, mounted into web-test-runner's own server so the
// tests' pages reach them on the same origin, over real HTTP:
//   /c2c          a relay in front of the sandbox (real HTTP both ways)
//   /c2c-slow     a relay whose Mobtexting never answers (504 after 300 ms)
//   /c2c-limited  a relay whose Mobtexting answers 429 with Retry-After: 30
//   /__sandbox    what the sandbox received, for tests to count calls
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRelay } from '../../src/relay/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { TEST_BRIDGE, TEST_TARGETS, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

/** A Koa-style middleware: web-test-runner's server calls it for every request. */
type Middleware = (ctx: { path: string; req: IncomingMessage; res: ServerResponse; respond?: boolean }, next: () => Promise<unknown>) => Promise<unknown>;

/** The relays and upstreams behind the widget tests. */
export interface RelayFixture {
  middleware: Middleware;
  /** Tells the relays where the page server listens, for the sandbox's webhook. */
  listen(origin: string): void;
  close(): Promise<void>;
}

export async function startRelayFixture(): Promise<RelayFixture> {
  let origin = '';
  const sandbox: SandboxServer = await startSandboxServer({
    token: TEST_TOKEN,
    webhookSecret: TEST_WEBHOOK_SECRET,
    webhookUrl: () => `${origin}/c2c/webhooks/mobtexting`,
    delayMs: 300,
  });
  const hanging: FakeUpstream = await startFakeUpstream();
  hanging.reply = 'hang';
  const limited: FakeUpstream = await startFakeUpstream();
  limited.reply = { status: 429, body: JSON.stringify({ status: 429, message: 'Too Many Attempts.' }), headers: { 'Retry-After': '30' } };

  const common = { apiToken: TEST_TOKEN, bridge: TEST_BRIDGE, targets: TEST_TARGETS, webhookSecret: TEST_WEBHOOK_SECRET, logger: () => {} };
  const app = new Hono();
  app.route('/c2c', createRelay({ ...common, apiBase: sandbox.apiBase }));
  app.route('/c2c-slow', createRelay({ ...common, apiBase: hanging.apiBase, upstreamTimeoutMs: 300 }));
  app.route('/c2c-limited', createRelay({ ...common, apiBase: limited.apiBase }));
  app.get('/__sandbox', (c) => c.json({ requests: sandbox.sandbox.requests }));
  const listener = getRequestListener(app.fetch);

  return {
    middleware: async (ctx, next) => {
      if (!/^\/(c2c|__sandbox)/.test(ctx.path)) return next();
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    },
    listen(pageOrigin) {
      origin = pageOrigin;
    },
    async close() {
      await Promise.all([sandbox.close(), hanging.close(), limited.close()]);
    },
  };
}
