import { RelayError } from '../errors.js';
import { basePathOf, type RelayWorkerEnv } from './environment.js';

/** The one object that holds the relay's state: every request for the relay goes to it. */
export const RELAY_OBJECT_NAME = 'relay';

/**
 * The Worker's front handler: requests for the relay's paths (`MT_BASE_PATH`, default
 * `/c2c`, and everything under it) go to the relay's Durable Object through the binding
 * `RELAY`, as they came (with Cloudflare's `CF-Connecting-IP`); anything else to the
 * Worker's static assets (`ASSETS`, the widget's script) when bound, or `404`.
 */
export const relayWorker = {
  async fetch(request: Request, env: RelayWorkerEnv): Promise<Response> {
    const base = basePathOf(env);
    const { pathname } = new URL(request.url);
    if (pathname === base || pathname.startsWith(`${base}/`)) {
      return env.RELAY.get(env.RELAY.idFromName(RELAY_OBJECT_NAME)).fetch(request);
    }
    if (env.ASSETS) return env.ASSETS.fetch(request);
    const body = new RelayError('not_found', 'There is nothing at this address.').toBody();
    return new Response(JSON.stringify(body), {
      status: 404,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  },
};
