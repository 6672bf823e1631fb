import { Hono } from 'hono';
import type { Availability } from '../../../protocol/index.js';
import { resolveTarget } from '../../calls/parties.js';
import type { RelayContext } from '../../context.js';
import { availabilityOf } from '../../scheduling/availability.js';
import { json, type RelayEnv } from '../respond.js';

/**
 * `GET /targets/:target/availability`: when a target answers, and its free callback
 * slots. Any page may ask as often as it likes, so requests for a target that arrive
 * while its places are being read share that one read: a flood costs the store no more
 * than one request at a time per target.
 */
export function targetRoutes(relay: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  const reading = new Map<string, Promise<Availability>>();
  app.get('/:target/availability', async (c) => {
    const { name } = resolveTarget(relay.settings.targets, c.req.param('target'));
    let answer = reading.get(name);
    if (!answer) {
      answer = availabilityOf(name, relay.schedules[name]!, relay.store, relay.now());
      reading.set(name, answer);
      void answer.catch(() => {}).finally(() => reading.delete(name));
    }
    return json(c, await answer);
  });
  return app;
}
