import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '../../sandbox/create-sandbox.js';
import type { RelayOptions } from '../config/options.js';
import { createRelay } from '../create-relay.js';
import type { Logger } from '../log.js';
import type { CallStore } from '../store/roles.js';
import { defaultMaxConnections, guardConnections } from './connection-guard.js';
import type { ServerConfig, StoreChoice } from './env-config.js';
import { upstreamClient } from './upstream-client.js';
import { nodeStreamResponder } from './node-stream-responder.js';
import { pinoLogger } from './pino-logger.js';

/**
 * How often the server sweeps: booked callbacks are dialled within this of their time
 * (and overdue calls settled). A sweep with nothing due is one cheap store read.
 */
const SWEEP_INTERVAL_MS = 1000;

/** Extras for {@link startRelayServer}. */
export interface RelayServerHooks {
  logger?: Logger;
  /** Listen address. Default `0.0.0.0` (all interfaces); tests use `127.0.0.1`. */
  hostname?: string;
  /** Adds routes of the host (pages, static files) before the relay's. */
  configure?: (app: Hono) => void;
  /** Options passed to `createRelay` as they are (hooks such as `onCallEnded`). */
  relay?: Partial<RelayOptions>;
}

/** A running `mt-c2c-relay`. */
export interface RelayServer {
  /** `http://host:port` */
  origin: string;
  port: number;
  /** The built-in simulator, in sandbox mode. */
  sandbox?: Sandbox;
  /** Stops accepting connections, ends open streams and releases the store. */
  close(): Promise<void>;
}

/**
 * Serves the relay on Node at `config.basePath`. In sandbox mode the simulated Mobtexting
 * API is served on the same port under `/sandbox/api/v2/`, and the relay reaches it, and it
 * the relay's webhook, over real HTTP.
 */
export async function startRelayServer(config: ServerConfig, hooks: RelayServerHooks = {}): Promise<RelayServer> {
  const log = hooks.logger ?? pinoLogger();
  const hostname = hooks.hostname ?? '0.0.0.0';
  // Before listening: a store that cannot be opened stops the server with its reason.
  const store = hooks.relay?.store ?? (await openStore(config.store, log));
  let handle: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('Starting', { status: 503 });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        fetch: (request, env) => handle(request, env),
        port: config.port,
        hostname,
        // A request must arrive whole within the time-out: a client that sends its headers
        // or body slowly cannot hold a connection for Node's default five minutes.
        serverOptions: {
          requestTimeout: config.requestTimeoutMs,
          headersTimeout: config.requestTimeoutMs,
          connectionsCheckingInterval: Math.min(config.requestTimeoutMs, 1000),
        },
      },
      () => resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const maxConnections = config.maxConnections ?? defaultMaxConnections();
  const connections = guardConnections(
    server as Server,
    // Behind trusted proxies every connection comes from a proxy: the relay counts streams
    // and requests by the client's address instead.
    { max: maxConnections, perAddress: config.options.trustProxy ? undefined : config.connectionsPerAddress },
    log,
  );
  const loopback = `http://127.0.0.1:${port}`;

  const app = new Hono();
  hooks.configure?.(app);
  const transport = upstreamClient();
  const options = {
    sweepIntervalMs: SWEEP_INTERVAL_MS,
    // A host that brings its own fetch (tests, a proxy) keeps it.
    ...(!hooks.relay?.fetch && { transport }),
    respondWithStream: nodeStreamResponder(),
    load: () => ({ connections: connections(), maxConnections }),
    ...(config.options as Partial<RelayOptions>),
    logger: log,
    ...hooks.relay,
    ...(store && { store }),
  };
  let sandbox: Sandbox | undefined;
  let upstream: Pick<RelayOptions, 'apiToken' | 'apiBase' | 'webhookSecret'> | undefined;
  if (config.mode === 'sandbox') {
    // The sandbox is this server's own: its token and webhook secret are made fresh, and
    // it and the relay reach each other over real HTTP on the loopback.
    const { createSandbox } = await import('../../sandbox/create-sandbox.js');
    const apiToken = randomBytes(24).toString('base64url');
    const webhookSecret = randomBytes(24).toString('base64url');
    sandbox = createSandbox({
      token: apiToken,
      webhookSecret,
      webhookUrl: `${loopback}${config.basePath}/webhooks/mobtexting`,
      delayMs: config.delayMs,
      onDelivery: (d) => {
        if (d.status !== 200 && d.status !== 202) {
          log('warn', 'sandbox.delivery_failed', { status: d.status, error: d.error });
        }
      },
    });
    app.route('/sandbox/api/v2', sandbox.app);
    upstream = { apiToken, apiBase: `${loopback}/sandbox/api/v2/`, webhookSecret };
  }
  // Without MT_PUBLIC_URL, pages served by this server itself are its own, as a browser on
  // this machine reaches them: http://localhost:PORT and http://127.0.0.1:PORT.
  if (!options.publicUrl) {
    const own = ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${port}`);
    options.allowedOrigins = [...(options.allowedOrigins ?? []), ...own];
  }
  const addOns = await openAddOns(config);
  const relay = createRelay({ ...addOns, ...options, ...upstream } as RelayOptions);
  app.route(config.basePath, relay);
  handle = (request, env) => app.fetch(request, env);

  const origin = `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`;
  return {
    origin,
    port,
    sandbox,
    close: () =>
      new Promise<void>((resolve) => {
        sandbox?.close();
        server.close(() => {
          transport.close();
          void relay.close().then(resolve);
        });
        (server as Server).closeAllConnections?.();
      }),
  };
}

/**
 * Where `npm run build` wrote the console's script, `dist/console/console.js`, seen from
 * this module: beside the ready server's bundle (`dist/server/`), or from the sources
 * (tests, `npm start`) and the compiled library (`dist/relay/node/`).
 */
function consoleScriptFile(): string {
  const beside = fileURLToPath(new URL('../console/console.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../../dist/console/console.js', import.meta.url));
}

/**
 * The console and the metrics, when their tokens are set, each loaded only then (the
 * metrics bring prom-client). The console's script is read from `dist/console/`, which
 * `npm run build` writes (see {@link consoleScriptFile}).
 */
async function openAddOns(config: ServerConfig): Promise<Pick<RelayOptions, 'console' | 'metrics'>> {
  const addOns: Pick<RelayOptions, 'console' | 'metrics'> = {};
  if (config.consoleToken !== undefined) {
    const { relayConsole } = await import('../console/index.js');
    const file = consoleScriptFile();
    addOns.console = relayConsole({ token: config.consoleToken, script: () => readFile(file, 'utf8') });
  }
  if (config.metricsToken !== undefined) {
    const { relayMetrics } = await import('../metrics/index.js');
    addOns.metrics = relayMetrics({ token: config.metricsToken });
  }
  return addOns;
}

/**
 * Opens the store the configuration names, loading its module only then (the SQLite one
 * is native code, which the memory and Redis paths never load). Answers `undefined` for
 * memory: the relay makes its own.
 */
async function openStore(choice: StoreChoice, log: Logger): Promise<CallStore | undefined> {
  switch (choice.kind) {
    case 'memory':
      log('info', 'store.memory', { durable: false });
      return undefined;
    case 'sqlite': {
      const { createSqliteStore } = await import('../store/sqlite/create-sqlite-store.js');
      const path = resolvePath(choice.path);
      const store = createSqliteStore({ path, logger: log });
      log('info', 'store.sqlite', { path });
      return store;
    }
    case 'redis': {
      const { createRedisStore } = await import('../store/redis/redis-store.js');
      const store = await createRedisStore({ url: choice.url, logger: log });
      log('info', 'store.redis', { url: choice.url.replace(/\/\/[^@/]*@/, '//…@') });
      return store;
    }
  }
}
