import { Hono, type MiddlewareHandler } from 'hono';
import assert from 'node:assert/strict';
import { createRelay, type Relay, type RelayOptions } from '../../src/relay/index.js';
import type { LogFields, LogLevel } from '../../src/relay/log.js';
import { after, before } from 'node:test';
import { serveApp, startFakeUpstream, type FakeUpstream, type TestServer } from './http.js';

import { TEST_BRIDGE, TEST_CONSOLE_TOKEN, TEST_METRICS_TOKEN, TEST_TOKEN, TEST_WEBHOOK_SECRET } from './constants.js';

export { TEST_BRIDGE, TEST_CONSOLE_TOKEN, TEST_METRICS_TOKEN, TEST_TOKEN, TEST_WEBHOOK_SECRET };

/** Targets most tests use: a number and an IVR flow. */
export const TEST_TARGETS: RelayOptions['targets'] = {
  sales: { to: '918046000100', callFirst: 'visitor', record: true, duration: 15, attempts: 2 },
  support: { to: '918046000200', callFirst: 'agent' },
  'otp-ivr': { to: 'flow:220', variables: { Name: {}, otp: { pattern: '[0-9]{4,8}' } } },
  consented: { to: '918046000300', requireConsent: true },
};

/**
 * A `unixtime` no other test report has had, so that the relay does not take the report
 * for a repeated delivery: at most 15 digits, within the 20 characters the field may hold
 * (`String(Math.random())` has more about once in 300, and the report is refused as malformed).
 */
export const uniqueUnixtime = (): string => String(Math.floor(Math.random() * 1e15));

/** A log line a test relay wrote. */
export interface LogLine {
  level: LogLevel;
  event: string;
  fields?: LogFields;
}

/** A relay under test, with its log lines captured. */
export interface TestRelay extends TestServer {
  logs: LogLine[];
  relay: Relay;
  /** Sends a request to a URL under `url`, the way this relay is served. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** POSTs JSON to a relay route. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * Makes a value (a verification code the provider was sent) a secret for this relay:
   * no later response or log line may contain it, as a whole number.
   */
  treatAsSecret(value: string): void;
}

/** The secrets no response, header or log line of any test relay may contain. */
const SECRETS = [TEST_TOKEN, TEST_WEBHOOK_SECRET, TEST_CONSOLE_TOKEN, TEST_METRICS_TOKEN];

/**
 * Where a secret was seen, if anywhere: one of {@link SECRETS}, or one of `codes` (a
 * relay's own) as a whole number, not as digits of a longer one (a time, say).
 */
function leak(text: string, codes: readonly string[] = []): string | undefined {
  return (
    SECRETS.find((secret) => text.includes(secret)) ??
    codes.find((code) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text))
  );
}

/**
 * Watches every response of a relay for the secrets (and `codes`, which may grow while it
 * runs): status line, headers and body, streamed bodies included. What it finds fails the
 * test when the relay is closed, so every test that uses a relay also checks that nothing
 * leaks.
 */
export function secretScanner(found: string[], codes: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const response = c.res;
    const where = `${c.req.method} ${c.req.path}`;
    if (leak(JSON.stringify([...response.headers]), codes)) found.push(`${where}: headers`);
    if (!response.body) return;
    const decoder = new TextDecoder();
    const scan = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (leak(decoder.decode(chunk, { stream: true }), codes)) found.push(`${where}: body`);
        controller.enqueue(chunk);
      },
    });
    c.res = new Response(response.body.pipeThrough(scan), response);
  };
}

/** A relay mounted at `/c2c`, its leaks gathered for the end of the test. */
function mountRelay(options: Partial<RelayOptions> & { apiBase: string }) {
  const logs: LogLine[] = [];
  const leaks: string[] = [];
  const codes: string[] = [];
  const relay = createRelay({
    apiToken: TEST_TOKEN,
    bridge: TEST_BRIDGE,
    targets: TEST_TARGETS,
    webhookSecret: TEST_WEBHOOK_SECRET,
    upstreamTimeoutMs: 5000,
    rateLimits: 'off',
    logger: (level, event, fields) => {
      if (leak(JSON.stringify([event, fields]), codes)) leaks.push(`log line ${event}`);
      logs.push({ level, event, fields });
    },
    ...options,
  });
  const app = new Hono();
  app.use(secretScanner(leaks, codes));
  app.route('/c2c', relay);
  const finish = async () => {
    await relay.close();
    assert.deepEqual(leaks, [], 'a secret was seen in a response or a log line');
  };
  const treatAsSecret = (value: string) => void codes.push(value);
  return { app, relay, logs, finish, treatAsSecret };
}

/** The JSON POST every test relay's `post` sends. */
function jsonPost(send: TestRelay['fetch'], url: string): TestRelay['post'] {
  return (path, body, headers = {}) =>
    send(url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
}

/** Where an in-process relay says it is: nothing listens there. */
const IN_PROCESS_URL = 'http://relay.test/c2c';

/**
 * A relay served in-process through `app.request()`: no port, no socket. The socket
 * address it sees is 127.0.0.1, as the Node adapter would see a local client, unless
 * `from.socketAddress` says otherwise. For everything but streams and raw sockets.
 */
export function createTestRelay(
  options: Partial<RelayOptions> & { apiBase: string },
  from: { socketAddress?: string } = {},
): TestRelay {
  const { app, relay, logs, finish, treatAsSecret } = mountRelay(options);
  const env = { incoming: { socket: { remoteAddress: from.socketAddress ?? '127.0.0.1' } } };
  const send: TestRelay['fetch'] = async (url, init) => app.request(url, init, env);
  const post = jsonPost(send, IN_PROCESS_URL);
  return { url: IN_PROCESS_URL, close: finish, logs, relay, fetch: send, post, treatAsSecret };
}

/** Starts a relay mounted at `/c2c` of a real HTTP server on 127.0.0.1 (for streams and raw sockets). */
export async function startRelay(options: Partial<RelayOptions> & { apiBase: string }): Promise<TestRelay> {
  const { app, relay, logs, finish, treatAsSecret } = mountRelay(options);
  const server = await serveApp(app, '/c2c');
  return {
    ...server,
    close: async () => {
      await server.close();
      await finish();
    },
    logs,
    relay,
    fetch: (url, init) => fetch(url, init),
    post: jsonPost(fetch, server.url),
    treatAsSecret,
  };
}

/** A fake Mobtexting and a relay in front of it, made before a suite's tests and closed after. */
export interface RelayFixture {
  upstream: FakeUpstream;
  relay: TestRelay;
}

/**
 * Stands in for an object a suite's `before` hook makes, so tests can name it where the
 * suite is declared: every property read or write goes to the object once it exists.
 */
function later<T extends object>(get: () => T | undefined): T {
  const made = () => get() ?? assert.fail('used before the suite started');
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(made(), key),
    set: (_, key, value) => Reflect.set(made(), key, value),
  });
}

/**
 * Gives a suite a fake Mobtexting and a relay that uses it, in-process unless `http` is
 * set (streams, raw sockets): `const { relay, upstream } = useRelay({ ... })`. Options may
 * be a function, evaluated once the suite starts.
 */
export function useRelay(
  options: Partial<RelayOptions> | (() => Partial<RelayOptions>) = {},
  transport: { http?: boolean } = {},
): RelayFixture {
  let made: RelayFixture | undefined;
  before(async () => {
    const upstream = await startFakeUpstream();
    const given = typeof options === 'function' ? options() : options;
    const full = { apiBase: upstream.apiBase, ...given };
    made = { upstream, relay: transport.http ? await startRelay(full) : createTestRelay(full) };
  });
  after(async () => {
    await made?.relay.close();
    await made?.upstream.close();
  });
  return { upstream: later(() => made?.upstream), relay: later(() => made?.relay) };
}
