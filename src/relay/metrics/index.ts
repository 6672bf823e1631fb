/**
 * Prometheus metrics for the relay: `mt-click-to-call/relay/metrics`. Off unless given to
 * `createRelay`; then `GET /metrics` answers Prometheus text to a bearer of the token.
 *
 * @example
 * ```ts
 * import { createRelay } from 'mt-click-to-call/relay';
 * import { relayMetrics } from 'mt-click-to-call/relay/metrics';
 *
 * app.route('/c2c', createRelay({ ...options, metrics: relayMetrics({ token: process.env.MT_METRICS_TOKEN! }) }));
 * ```
 */
import { Hono } from 'hono';
import type { RelayAddOn } from '../add-on.js';
import { RelayConfigError } from '../config/settings.js';
import { RelayError } from '../errors.js';
import { respond, type RelayEnv } from '../http/respond.js';
import { secretMatches } from '../http/webhook-secret.js';
import { RelayMetrics } from './relay-metrics.js';
import { MIN_TOKEN_LENGTH } from './token.js';

export { RelayMetrics } from './relay-metrics.js';

/** Options of {@link relayMetrics}. */
export interface MetricsOptions {
  /** What a scraper must send as `Authorization: Bearer …`: at least 24 characters. */
  token: string;
}

/**
 * The metrics add-on: `GET /metrics`, Prometheus text, for `Authorization: Bearer <token>`
 * only (401 otherwise, saying nothing else).
 *
 * @throws {RelayConfigError} when the token is too short.
 */
export function relayMetrics(options: MetricsOptions): RelayAddOn {
  const { token } = options;
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH) {
    throw new RelayConfigError([`metrics token: must be at least ${MIN_TOKEN_LENGTH} characters`]);
  }
  return {
    path: '/metrics',
    secrets: [token],
    attach(relay) {
      const metrics = new RelayMetrics({
        // Calls' streams and the console's: both pass the same gate.
        openStreams: () => relay.streams.open,
        targets: Object.keys(relay.settings.targets),
      });
      relay.activity.listen(metrics.listen);
      const app = new Hono<RelayEnv>();
      app.get('/', async (c) => {
        const presented = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
        if (!secretMatches(presented, token)) {
          throw new RelayError('unauthorized', 'These metrics need their token.');
        }
        const text = await metrics.registry.metrics();
        return respond(c, text, 200, { 'Content-Type': metrics.registry.contentType });
      });
      return { routes: app };
    },
  };
}
