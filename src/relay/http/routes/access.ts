import { Hono } from 'hono';
import type { OriginPolicy } from '../middleware/origin.js';
import { json, type RelayEnv } from '../respond.js';

/**
 * `GET /access`: whether the calling page's origin may place calls, readable from any
 * page (`Access-Control-Allow-Origin: *`). It lets the widget on a refused page say "This
 * page may not place calls" rather than "Are you online?", since a refused preflight is,
 * to a page, the same as a network failure. It says nothing else and changes nothing.
 */
export function accessRoutes(policy: OriginPolicy): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  app.get('/', (c) => {
    const origin = c.req.header('origin');
    const allowed = origin === undefined || policy.allows(origin);
    return json(c, { allowed }, 200, { 'Access-Control-Allow-Origin': '*' });
  });
  return app;
}
