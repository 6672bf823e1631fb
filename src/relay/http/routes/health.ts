import { Hono } from 'hono';
import type { StoreHealth } from '../../store/roles.js';
import { json, type RelayEnv } from '../respond.js';

/** `GET /health`: whether the relay can serve calls (its store answers). */
export function healthRoutes(store: StoreHealth): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  app.get('/', async (c) => {
    const ok = await store.ping();
    return json(c, { status: ok ? 'ok' : 'unavailable', store: ok ? 'ok' : 'unavailable' }, ok ? 200 : 503);
  });
  return app;
}
