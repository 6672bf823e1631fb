import { Hono, type MiddlewareHandler } from 'hono';
import assert from 'node:assert/strict';
import { createRelay, type Relay, type RelayOptions } from '../../src/relay/index.js';
import type { LogFields, LogLevel } from '../../src/relay/logger.js';
import { serveApp, type TestServer } from './http.js';

import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from './constants.js';

export { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET };

/** Targets most tests use: a number and an IVR flow. */
export const TEST_TARGETS: RelayOptions['targets'] = {
  sales: { to: '918046000100', callFirst: 'visitor', record: true, duration: 15, attempts: 2 },
  support: { to: '918046000200', callFirst: 'agent' },
  'otp-ivr': { to: 'flow:220', variables: ['Name', 'otp'] },
  consented: { to: '918046000300', requireConsent: true },
};

/** A log line a test relay wrote. */
export interface LogLine {
  level: LogLevel;
  event: string;
  fields?: LogFields;
}

/** A relay on real HTTP with its log lines captured. */
export interface TestRelay extends TestServer {
  logs: LogLine[];
  relay: Relay;
  /** POSTs JSON to a relay route. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** The secrets no response, header or log line of any test relay may contain. */
const SECRETS = [TEST_TOKEN, TEST_WEBHOOK_SECRET];

/** Where a secret was seen, if anywhere. */
function leak(text: string): string | undefined {
  return SECRETS.find((secret) => text.includes(secret));
}

/**
 * Watches every response of a relay for the secrets: status line, headers and body,
 * streamed bodies included. What it finds fails the test when the relay is closed, so
 * every test that uses a relay also checks that nothing leaks.
 */
export function secretScanner(found: string[]): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const response = c.res;
    const where = `${c.req.method} ${c.req.path}`;
    if (leak(JSON.stringify([...response.headers]))) found.push(`${where}: headers`);
    if (!response.body) return;
    const decoder = new TextDecoder();
    const scan = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (leak(decoder.decode(chunk, { stream: true }))) found.push(`${where}: body`);
        controller.enqueue(chunk);
      },
    });
    c.res = new Response(response.body.pipeThrough(scan), response);
  };
}

/** Starts a relay mounted at `/c2c` of a real HTTP server on 127.0.0.1. */
export async function startRelay(options: Partial<RelayOptions> & { apiBase: string }): Promise<TestRelay> {
  const logs: LogLine[] = [];
  const leaks: string[] = [];
  const relay = createRelay({
    apiToken: TEST_TOKEN,
    bridge: TEST_BRIDGE,
    targets: TEST_TARGETS,
    webhookSecret: TEST_WEBHOOK_SECRET,
    upstreamTimeoutMs: 1000,
    rateLimits: 'off',
    logger: (level, event, fields) => {
      if (leak(JSON.stringify([event, fields]))) leaks.push(`log line ${event}`);
      logs.push({ level, event, fields });
    },
    ...options,
  });
  const app = new Hono();
  app.use(secretScanner(leaks));
  const server = await serveApp(app.route('/c2c', relay), '/c2c');
  return {
    ...server,
    close: async () => {
      await server.close();
      await relay.close();
      assert.deepEqual(leaks, [], 'a secret was seen in a response or a log line');
    },
    logs,
    relay,
    post: (path, body, headers = {}) =>
      fetch(server.url + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}
