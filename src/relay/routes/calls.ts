import { Hono } from 'hono';
import { settleIfOverdue } from '../call-ending.js';
import { parseCallRequest } from '../call-request.js';
import { RelayError } from '../errors.js';
import { readJsonBody } from '../read-body.js';
import type { RelayRuntime } from '../runtime.js';
import { callEventStream } from '../sse.js';
import { startCall } from '../start-call.js';
import { toPublicCall, type CallRecord } from '../store/types.js';

const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Finds a call by the id in the URL, settling it as `unknown` when its report is overdue.
 *
 * @throws {RelayError} `unknown_call`.
 */
export async function findCall(rt: RelayRuntime, callId: string): Promise<CallRecord> {
  const call = CALL_ID.test(callId) ? await rt.store.getCall(callId) : undefined;
  if (!call) throw new RelayError('unknown_call', 'There is no such call.');
  return settleIfOverdue(rt, call);
}

/** `POST /calls`, `GET /calls/:callId` and its event stream, `GET /calls/:callId/events`. */
export function callRoutes(rt: RelayRuntime): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const request = parseCallRequest(await readJsonBody(c));
    return c.json(await startCall(rt, request), 202);
  });

  app.get('/:callId/events', async (c) => {
    const call = await findCall(rt, c.req.param('callId'));
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    return callEventStream(rt, call, lastEventId);
  });

  app.get('/:callId', async (c) => {
    const call = await findCall(rt, c.req.param('callId'));
    c.header('Cache-Control', 'no-store');
    return c.json(toPublicCall(call));
  });

  return app;
}
