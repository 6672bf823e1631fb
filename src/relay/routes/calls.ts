import { Hono } from 'hono';
import { parseCallRequest } from '../call-request.js';
import { RelayError } from '../errors.js';
import { readJsonBody } from '../read-body.js';
import type { RelayRuntime } from '../runtime.js';
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
  if (call.state === 'initiated' && rt.now() >= call.expiresAt) {
    return (await rt.store.finishCall(callId, { state: 'unknown', at: rt.now() })) ?? ((await rt.store.getCall(callId)) as CallRecord);
  }
  return call;
}

/** `POST /calls` and `GET /calls/:callId`. */
export function callRoutes(rt: RelayRuntime): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const request = parseCallRequest(await readJsonBody(c));
    return c.json(await startCall(rt, request), 202);
  });

  app.get('/:callId', async (c) => {
    const call = await findCall(rt, c.req.param('callId'));
    c.header('Cache-Control', 'no-store');
    return c.json(toPublicCall(call));
  });

  return app;
}
