import { Hono } from 'hono';
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

/** Starts a relay mounted at `/c2c` of a real HTTP server on 127.0.0.1. */
export async function startRelay(options: Partial<RelayOptions> & { apiBase: string }): Promise<TestRelay> {
  const logs: LogLine[] = [];
  const relay = createRelay({
    apiToken: TEST_TOKEN,
    bridge: TEST_BRIDGE,
    targets: TEST_TARGETS,
    webhookSecret: TEST_WEBHOOK_SECRET,
    upstreamTimeoutMs: 1000,
    logger: (level, event, fields) => logs.push({ level, event, fields }),
    ...options,
  });
  const server = await serveApp(new Hono().route('/c2c', relay), '/c2c');
  return {
    ...server,
    close: async () => {
      await server.close();
      await relay.close();
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
