import { Hono } from 'hono';
import { isFinalState, type CallWithdrawn } from '../../../protocol/index.js';
import { parseCallRequest } from '../../calls/request.js';
import { toPublicCall } from '../../calls/public-call.js';
import { verifyTicket } from '../../calls/tickets.js';
import type { RelayContext } from '../../context.js';
import { RelayError } from '../../errors.js';
import { EVENT_STREAM_HEADERS, streamCallEvents } from '../event-stream.js';
import { addressLimit } from '../middleware/address-limit.js';
import { idempotent } from '../middleware/idempotency.js';
import { jsonBody } from '../middleware/json-body.js';
import { answer, json, respond, type RelayEnv } from '../respond.js';

/**
 * `POST /calls` (a call now, or a booked callback with `at`), `GET /calls/:callId` and its
 * event stream, `GET /calls/:callId/events`, and `DELETE /calls/:callId`, which withdraws a
 * booked callback. The call id is the capability: only whoever started or booked the call
 * was given it, and it cannot be guessed.
 */
export function callRoutes(relay: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  const { settings, store, calls } = relay;

  app.post(
    '/',
    addressLimit({ ...relay, limits: settings.rateLimits }),
    jsonBody(parseCallRequest),
    idempotent({ ...relay, ttlMs: settings.idempotencyTtlMs, perAddress: settings.idempotencyKeysPerAddress }),
    async (c) => {
      const request = c.get('body');
      const ticket =
        request.ticket === undefined
          ? undefined
          : await verifyTicket(request.ticket, settings.ticketSecret, relay.now());
      const accepted = await calls.start(request, {
        address: c.get('address'),
        ticket,
        origin: c.req.header('origin'),
      });
      // A verified ticket was used: the site's backend vouched for this call, and a CRM's
      // agents often share one address.
      if (ticket) await c.get('refundAddress')();
      return answer(c, { status: 202, body: accepted });
    },
  );

  app.get('/:callId/events', async (c) => {
    const call = await calls.find(c.req.param('callId'));
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    // An ended call whose events were all seen: 204 tells EventSource to stop reconnecting.
    if (
      isFinalState(call.state) &&
      lastEventId !== undefined &&
      (await store.readEvents(call.callId, lastEventId)).length === 0
    ) {
      return respond(c, null, 204);
    }
    const admitted = relay.streams.admit(relay.clientAddress(c), call.callId);
    if ('refused' in admitted) {
      relay.log('warn', 'stream.refused', { limit: admitted.refused });
      const why = admitted.refused === 'address' ? 'from your network' : 'on this call';
      throw new RelayError(
        'rate_limited',
        `Too many live updates are open ${why}. The page will check now and then instead.`,
        {
          retryAfter: 30,
          scope: `stream-${admitted.refused}`,
        },
      );
    }
    c.set('answered', true);
    const headers = { ...c.get('responseHeaders'), ...EVENT_STREAM_HEADERS };
    return relay.respondWithStream(c, headers, settings.heartbeatMs, (sink) =>
      streamCallEvents(relay, call, lastEventId, sink, admitted.release),
    );
  });

  app.get('/:callId', async (c) => json(c, toPublicCall(await calls.find(c.req.param('callId')))));

  app.delete('/:callId', async (c) => {
    const { callId, state } = await calls.withdraw(c.req.param('callId'));
    return json(c, { callId, state } satisfies CallWithdrawn);
  });

  return app;
}
