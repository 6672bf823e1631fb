import { Hono } from 'hono';
import type { RelayContext } from '../context.js';
import { idempotent } from '../http/middleware/idempotency.js';
import { jsonBody } from '../http/middleware/json-body.js';
import { answer, json, type RelayEnv } from '../http/respond.js';
import { verifyAddressLimit } from './limits.js';
import { parseCodeCheck, parseVerificationRequest } from './request.js';

/**
 * `POST /verifications` (ring a number with a code), `POST /verifications/:id/check`
 * (the code typed back) and `GET /verifications/:id` (how it stands).
 *
 * A start reads as the chain of `POST /calls`: address limit, JSON body, idempotency.
 * A check counts against the address's guesses before its body is read, and takes no
 * `Idempotency-Key`: a key would keep the body, and so the code, in the store; and a
 * right code works once.
 */
export function verificationRoutes(relay: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  const { settings, verifications } = relay;
  const limits = { ...relay, limits: settings.verifyRateLimits };

  app.post(
    '/',
    verifyAddressLimit(limits, 'ip'),
    jsonBody(parseVerificationRequest),
    idempotent({ ...relay, ttlMs: settings.idempotencyTtlMs, perAddress: settings.idempotencyKeysPerAddress }),
    async (c) => {
      const started = await verifications.start(c.get('body'), c.get('address'));
      return answer(c, { status: 202, body: started });
    },
  );

  app.post('/:verificationId/check', verifyAddressLimit(limits, 'guesses'), jsonBody(parseCodeCheck), async (c) => {
    const checked = await verifications.check(c.req.param('verificationId'), c.get('body').code);
    // A right code is no guess: it gives its hit back.
    await c.get('refundAddress')();
    return json(c, checked);
  });

  app.get('/:verificationId', async (c) => json(c, await verifications.status(c.req.param('verificationId'))));

  return app;
}
