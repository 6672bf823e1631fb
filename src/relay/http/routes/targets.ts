import { Hono } from 'hono';
import { resolveTarget } from '../../calls/parties.js';
import type { RelayContext } from '../../context.js';
import { availabilityOf } from '../../scheduling/availability.js';
import { json, type RelayEnv } from '../respond.js';

/** `GET /targets/:target/availability`: when a target answers, and its free callback slots. */
export function targetRoutes(relay: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  app.get('/:target/availability', async (c) => {
    const { name } = resolveTarget(relay.settings.targets, c.req.param('target'));
    return json(c, await availabilityOf(name, relay.schedules[name]!, relay.store, relay.now()));
  });
  return app;
}
