import { Hono } from 'hono';
import type { RelayContext } from '../../context.js';
import { json, type RelayEnv } from '../respond.js';

/** Past this share of its connections, the server says it is saturated. */
const SATURATED = 0.9;

/**
 * `GET /health`: whether the relay can serve calls. 503 when its store does not answer
 * (`unavailable`) or its server is near its connection limit (`saturated`), so a load
 * balancer stops sending it more; with the open streams and connections.
 */
export function healthRoutes(relay: Pick<RelayContext, 'store' | 'streams' | 'load'>): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  app.get('/', async (c) => {
    const store = (await relay.store.ping()) ? 'ok' : 'unavailable';
    const load = relay.load?.();
    const saturated = load !== undefined && load.connections >= load.maxConnections * SATURATED;
    const status = store !== 'ok' ? 'unavailable' : saturated ? 'saturated' : 'ok';
    const body = { status, store, streams: relay.streams.open, ...load };
    return json(c, body, status === 'ok' ? 200 : 503);
  });
  return app;
}
