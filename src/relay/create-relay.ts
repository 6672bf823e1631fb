import { Hono } from 'hono';
import type { Background } from './calls/lifecycle.js';
import type { RelayOptions } from './config/options.js';
import { createRelayContext } from './context.js';
import { RelayError } from './errors.js';
import { originCheck, originPolicy } from './http/middleware/origin.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { errorResponse, type RelayEnv } from './http/respond.js';
import { accessRoutes } from './http/routes/access.js';
import { callRoutes } from './http/routes/calls.js';
import { healthRoutes } from './http/routes/health.js';
import { targetRoutes } from './http/routes/targets.js';
import { webhookRoutes } from './http/routes/webhook.js';
import { StoreUnavailableError } from './store/unavailable.js';
import { verificationRoutes } from './verify/routes.js';

/** The relay: a Hono app to mount, with its upkeep. */
export type Relay = Hono<RelayEnv> & {
  /**
   * Dials the booked callbacks whose time came and settles calls whose report is overdue
   * (they become `unknown`). Call it now and then: the relay starts no timer of its own
   * unless `sweepIntervalMs` is set (the Node server sets it; on Workers, call this from an
   * alarm or a Cron Trigger, passing the alarm's `waitUntil` as `background` for the
   * site's `onCallEnded` hooks). A callback is dialled at the first sweep after its time,
   * so sweep at least every few seconds where bookings are taken. A call while a sweep
   * runs waits for it, then sweeps. Answers how many calls it moved on.
   */
  sweep(background?: Background): Promise<number>;
  /** Stops the relay's own sweep timer, if any, and closes its store. */
  close(): Promise<void>;
};

/**
 * Creates the relay: a Hono app holding the Mobtexting token, to mount at a base path of
 * the site's server (`app.route('/c2c', createRelay(options))`).
 *
 * Routes: `POST /calls`, `GET /calls/:callId`, `GET /calls/:callId/events`,
 * `DELETE /calls/:callId`, `GET /targets/:target/availability`, `POST /verifications`,
 * `POST /verifications/:id/check`, `GET /verifications/:id`, `POST /webhooks/mobtexting`,
 * `GET /health`. Every request passes the security headers
 * and the origin check first, so no route can go without them.
 *
 * @throws {RelayConfigError} when the options are wrong, listing every problem.
 */
export function createRelay(options: RelayOptions): Relay {
  const relay = createRelayContext(options);
  const { settings, log } = relay;
  const app = new Hono<RelayEnv>();

  app.use('*', securityHeaders);
  // Routes servers call (Mobtexting, monitoring) come before the Origin rule, which they
  // are not subject to: Hono runs handlers in the order they were added, and these answer.
  const origins = originPolicy(settings.allowedOrigins, settings.publicUrl, settings.trustProxy);
  app.route('/webhooks', webhookRoutes(relay));
  app.route('/health', healthRoutes(relay));
  app.route('/access', accessRoutes(origins));
  // The console and the metrics keep rules of their own (a session and a same-origin
  // check; a bearer token): they come before the rule on pages' origins too.
  const addOns = [options.metrics, options.console].flatMap((addOn) =>
    addOn ? [{ path: addOn.path, attached: addOn.attach(relay) }] : [],
  );
  for (const { path, attached } of addOns) app.route(path, attached.routes);
  // Every route after this line is one pages call, and passes the Origin rule first.
  app.use('*', originCheck(origins, log));
  app.route('/calls', callRoutes(relay));
  app.route('/verifications', verificationRoutes(relay));
  app.route('/targets', targetRoutes(relay));

  app.onError((err, c) => {
    if (err instanceof RelayError) {
      relay.activity.emit({
        type: 'request.refused',
        code: err.code,
        scope: err.details.scope,
        status: err.status,
        at: relay.now(),
      });
      return errorResponse(c, err);
    }
    if (err instanceof StoreUnavailableError) {
      relay.activity.emit({ type: 'store.failed', operation: 'request', at: relay.now() });
      log('error', 'store.unavailable', { method: c.req.method, path: c.req.path });
      const unavailable = 'Calls cannot be placed or followed right now. Please try again shortly.';
      return errorResponse(c, new RelayError('store_unavailable', unavailable));
    }
    log('error', 'relay.internal_error', { method: c.req.method, path: c.req.path, reason: err.message });
    return errorResponse(c, new RelayError('internal_error', 'Something went wrong in the relay. Please try again.'));
  });

  const sweepOnce = async (background?: Background) => {
    log.flush();
    await relay.history?.flush();
    try {
      return await relay.calls.sweep(background);
    } catch (err) {
      log('error', 'sweep.failed', { reason: err instanceof Error ? err.message : String(err) });
      return 0;
    }
  };
  // One sweep at a time in this instance: a call waits for the one running, a tick while
  // one runs is skipped.
  let pending = 0;
  let last: Promise<unknown> = Promise.resolve();
  const sweep = (background?: Background): Promise<number> => {
    pending++;
    const next = last.then(() => sweepOnce(background)).finally(() => pending--);
    last = next;
    return next;
  };
  const tick = () => {
    if (pending === 0) void sweep();
  };
  const timer = settings.sweepIntervalMs === undefined ? undefined : setInterval(tick, settings.sweepIntervalMs);
  (timer as { unref?: () => void } | undefined)?.unref?.();
  return Object.assign(app, {
    sweep,
    close: async () => {
      clearInterval(timer);
      await Promise.allSettled(addOns.map(({ attached }) => attached.close?.()));
      await relay.history?.close();
      await relay.store.close();
    },
  });
}
