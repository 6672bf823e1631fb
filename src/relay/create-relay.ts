import { Hono } from 'hono';
import { errorResponse, RelayError } from './errors.js';
import { json } from './respond.js';
import type { RelayOptions } from './options.js';
import { callRoutes } from './routes/calls.js';
import { webhookRoutes } from './routes/webhook.js';
import { createRuntime } from './runtime.js';
import { StoreUnavailableError } from './store/types.js';

/** The relay: a Hono app to mount, and a way to stop its timers and close its store. */
export type Relay = Hono & {
  /** Stops the background sweep and closes the store. */
  close(): Promise<void>;
};

/**
 * Creates the relay: a Hono app holding the Mobtexting token, to mount at a base path of
 * the site's server (`app.route('/c2c', createRelay(options))`).
 *
 * Routes: `POST /calls`, `GET /calls/:callId`, `GET /calls/:callId/events`,
 * `POST /webhooks/mobtexting`, `GET /access`, `GET /health`.
 *
 * @throws {RelayConfigError} when the options are wrong, listing every problem.
 */
export function createRelay(options: RelayOptions): Relay {
  const rt = createRuntime(options);
  const app = new Hono();

  app.options('/calls', (c) => rt.origins.preflight(c));
  app.options('/calls/*', (c) => rt.origins.preflight(c));
  // Whether the calling page's origin may place calls, readable by any page: a refused
  // origin's preflight has no CORS headers, which the browser reports as a network error,
  // so the widget asks here to tell the visitor which it was.
  app.get('/access', (c) => {
    let allowed = true;
    try {
      rt.origins.check(c);
    } catch {
      allowed = false;
    }
    return json(c, { allowed }, 200, { 'Access-Control-Allow-Origin': '*' });
  });
  app.route('/calls', callRoutes(rt));
  app.route('/webhooks', webhookRoutes(rt));
  app.get('/health', async (c) => {
    const store = (await rt.store.ping()) ? 'ok' : 'unavailable';
    return json(c, { status: store === 'ok' ? 'ok' : 'unavailable', store }, store === 'ok' ? 200 : 503);
  });

  // A catch-all route rather than notFound(): a mounted app's notFound is not used.
  app.all('*', (c) => errorResponse(c, new RelayError('not_found', 'There is nothing at this address.')));
  app.onError((err, c) => {
    if (err instanceof RelayError) return errorResponse(c, err);
    if (err instanceof StoreUnavailableError) {
      rt.log('error', 'store.unavailable', { method: c.req.method, path: c.req.path });
      return errorResponse(
        c,
        new RelayError('store_unavailable', 'Calls cannot be placed or followed right now. Please try again shortly.'),
      );
    }
    rt.log('error', 'relay.internal_error', { method: c.req.method, path: c.req.path, reason: err.message });
    return errorResponse(c, new RelayError('internal_error', 'Something went wrong in the relay. Please try again.'));
  });
  return Object.assign(app, {
    close: async () => {
      rt.sweeper.stop();
      await rt.store.close();
    },
  });
}
