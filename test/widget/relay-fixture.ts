// The relays widget tests talk to, mounted into web-test-runner's own server so the
// tests' pages reach them on the same origin, over real HTTP:
//   /c2c           a relay in front of the sandbox (reports after 300 ms); besides the
//                  test targets, `closed` (closed now, offering slots) and `later` (open,
//                  offering slots)
//   /c2c-later     the same, reporting after 1.5 s (time to drop a stream first)
//   /c2c-nosse     /c2c-later with its event streams refused, to make the widget poll
//   /c2c-slow      a relay whose Mobtexting never answers (504 after 300 ms)
//   /c2c-limited   a relay whose Mobtexting answers 429 with Retry-After: 30
//   /c2c-human     /c2c, asking for a human-check token ("human-ok" passes)
//   /c2c-states/<scenario>  the demo's stand-in relay: every call answered with one state
//                  or refusal (`busy`, `late`, `country_not_allowed`…; see demo/state-relay.ts)
//   /__other       the origin of a second server with a relay at /c2c whose own origin is
//                  that server's: it refuses the test pages (not in its allowed origins)
//   /__sandbox     what the sandboxes received
//   /__spoken?to=  what the /c2c sandbox's flow last said to a number (a verification's code)
//   /__streams     how many event streams the /c2c and /c2c-later relays hold open
//   /__drop        cuts every open event stream, as a flaky network would
//   /__clock?advance=ms  moves the relays' clock on (calls become overdue)
//   /__leaks       where a secret was seen in a response (there must be none)
//   /__ticket?to=&label=  a CRM ticket for /c2c, as a site's backend would sign it
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createRelay, createTicket, MemoryCallStore, type Relay } from '../../src/relay/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { stateRelay } from '../../demo/state-relay.js';
import { closedDemoHours } from '../../src/relay/node/env-config.js';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
import { serveApp, startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { secretScanner, TEST_TARGETS } from '../helpers/relay.js';

/**
 * The test targets, two with callback slots: `closed`, closed whenever the tests run (as
 * the demo's after-hours target is), and `later`, always open; `otp`, which verifies a
 * number with a spoken six-digit code, and `gated`, which calls only numbers verified so.
 */
const WIDGET_TARGETS = {
  ...TEST_TARGETS,
  closed: {
    to: '918046000400',
    callFirst: 'visitor',
    hours: closedDemoHours(Date.now()),
    slots: { minutes: 15, daysAhead: 3, perSlot: 2 },
  },
  otp: { to: 'flow:220', codeVariable: 'otp', digits: 6 },
  gated: { to: '918046000600', callFirst: 'visitor', requireVerified: 'otp' },
  later: {
    to: '918046000500',
    callFirst: 'visitor',
    hours: { timezone: 'Asia/Kolkata', 'mon-sun': '00:00-24:00' },
    slots: { minutes: 15, daysAhead: 2, perSlot: 4 },
  },
} as const;

/** A Koa-style middleware: web-test-runner's server calls it for every request. */
type Middleware = (
  ctx: { path: string; url: string; req: IncomingMessage; res: ServerResponse; respond?: boolean },
  next: () => Promise<unknown>,
) => Promise<unknown>;

/** The relays and upstreams behind the widget tests. */
export interface RelayFixture {
  middleware: Middleware;
  close(): Promise<void>;
}

/**
 * Starts the relays behind the widget tests. `origin` is where the test pages are served
 * (web-test-runner's server): the relays' own origin, and where the sandbox's webhook goes.
 */
export async function startRelayFixture(origin: string): Promise<RelayFixture> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const sandbox = (path: string, delayMs: number): Promise<SandboxServer> =>
    startSandboxServer({
      token: TEST_TOKEN,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookUrl: () => `${origin}${path}/webhooks/mobtexting`,
      delayMs,
    });
  const quick = await sandbox('/c2c', 300);
  const later = await sandbox('/c2c-later', 1500);
  const hanging: FakeUpstream = await startFakeUpstream();
  hanging.reply = 'hang';
  const limited: FakeUpstream = await startFakeUpstream();
  limited.reply = {
    status: 429,
    body: JSON.stringify({ status: 429, message: 'Too Many Attempts.' }),
    headers: { 'Retry-After': '30' },
  };

  const stores = [new MemoryCallStore({ now }), new MemoryCallStore({ now })];
  const ticketSecret = 'widget-tests-ticket-secret-0123456789';
  const common = {
    ticketSecret,
    apiToken: TEST_TOKEN,
    bridge: TEST_BRIDGE,
    targets: WIDGET_TARGETS,
    webhookSecret: TEST_WEBHOOK_SECRET,
    logger: () => {},
    now,
    sweepIntervalMs: 100,
    rateLimits: 'off',
    publicUrl: origin,
  };
  const relays: Relay[] = [
    createRelay({ ...common, apiBase: quick.apiBase, store: stores[0] }),
    createRelay({ ...common, apiBase: later.apiBase, store: stores[1] }),
    createRelay({ ...common, apiBase: hanging.apiBase, upstreamTimeoutMs: 300 }),
    createRelay({ ...common, apiBase: limited.apiBase }),
    createRelay({ ...common, apiBase: quick.apiBase, verifyHuman: (token) => token === 'human-ok' }),
  ];
  const app = new Hono();
  const leaks: string[] = [];
  app.use(secretScanner(leaks));
  app.get('/__leaks', (c) => c.json({ leaks }));
  app.get('/__ticket', async (c) =>
    c.text(
      await createTicket({
        secret: ticketSecret,
        to: c.req.query('to')!,
        target: 'sales',
        ...(c.req.query('label') && { label: c.req.query('label') }),
      }),
    ),
  );
  app.route('/c2c', relays[0]!);
  app.route('/c2c-later', relays[1]!);
  app.route('/c2c-slow', relays[2]!);
  app.route('/c2c-limited', relays[3]!);
  app.route('/c2c-human', relays[4]!);
  app.route('/c2c-states', stateRelay());
  app.get('/__spoken', (c) => c.json({ spoken: quick.sandbox.spoken(c.req.query('to') ?? '') ?? null }));
  app.get('/__sandbox', (c) => c.json({ requests: [...quick.sandbox.requests, ...later.sandbox.requests] }));
  app.get('/__streams', (c) => c.json({ open: stores.reduce((n, store) => n + store.listenerCount(), 0) }));
  app.get('/__clock', (c) => {
    clockOffset += Number(c.req.query('advance') ?? 0);
    return c.json({ offset: clockOffset });
  });
  const otherApp = new Hono();
  const other = await serveApp(otherApp);
  otherApp.route('/c2c', createRelay({ ...common, apiBase: quick.apiBase, publicUrl: other.url }));
  app.get('/__other', (c) => c.json({ origin: other.url }));
  const listener = getRequestListener(app.fetch);
  const streams = new Set<Socket>();

  return {
    middleware: async (ctx, next) => {
      if (ctx.path === '/__drop') {
        for (const socket of streams) socket.destroy();
        streams.clear();
        ctx.respond = false;
        ctx.res.writeHead(204).end();
        return;
      }
      if (/^\/c2c-nosse\/calls\/[^/]+\/events/.test(ctx.path)) {
        ctx.respond = false;
        ctx.res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no streams here');
        return;
      }
      if (ctx.path.startsWith('/c2c-nosse')) ctx.req.url = ctx.url.replace('/c2c-nosse', '/c2c-later');
      if (!/^\/(c2c|__(sandbox|spoken|streams|clock|leaks|ticket|other)\b)/.test(ctx.path)) return next();
      const socket = ctx.req.socket;
      if (ctx.path.endsWith('/events') && !streams.has(socket)) {
        streams.add(socket);
        socket.once('close', () => streams.delete(socket));
      }
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    },
    async close() {
      await Promise.all([
        other.close(),
        quick.close(),
        later.close(),
        hanging.close(),
        limited.close(),
        ...relays.map((r) => r.close()),
      ]);
    },
  };
}
