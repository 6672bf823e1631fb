import { Hono, type Context } from 'hono';
import { isFinalState } from '../../protocol/index.js';
import { settleIfOverdue } from '../call-ending.js';
import { parseCallRequest } from '../call-request.js';
import { RelayError } from '../errors.js';
import { readJsonBody } from '../read-body.js';
import { json, respond } from '../respond.js';
import type { RelayRuntime } from '../runtime.js';
import { addressKey } from '../security/client-ip.js';
import { bodyFingerprint, checkIdempotencyKey } from '../security/idempotency.js';
import { addressLimitRule } from '../security/rate-limits.js';
import { callEventStream, EVENT_STREAM_HEADERS } from '../sse.js';
import { enforceLimits, startCall } from '../start-call.js';
import { CALL_ID, toPublicCall, type CallRecord, type StoredAnswer } from '../store/types.js';
import { verifyTicket, type Ticket } from '../tickets.js';

/**
 * Finds a call by the id in the URL, settling it as `unknown` when its report is overdue.
 *
 * @throws {RelayError} `unknown_call`.
 */
export async function findCall(rt: RelayRuntime, callId: string): Promise<CallRecord> {
  rt.sweeper.start();
  const call = CALL_ID.test(callId) ? await rt.store.getCall(callId) : undefined;
  if (!call) throw new RelayError('unknown_call', 'There is no such call.');
  return settleIfOverdue(rt, call);
}

/** `POST /calls`, `GET /calls/:callId` and its event stream, `GET /calls/:callId/events`. */
export function callRoutes(rt: RelayRuntime): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    rt.origins.check(c);
    const address = rt.clientAddress(c);
    let body: unknown;
    let ticket: Ticket | undefined;
    try {
      body = await readJsonBody(c);
      ticket = await ticketOf(rt, body);
    } finally {
      // Every attempt counts against its address, valid or not, so probing is limited too.
      // A verified ticket does not: the site's backend signed it, and a CRM's agents often
      // share one address.
      if (!ticket) await countAddress(rt, address);
    }
    const key = checkIdempotencyKey(c.req.header('idempotency-key'));
    if (key === undefined) return answer(c, await placeCall(rt, body, address, ticket));

    const begun = await rt.store.beginIdempotent(key, bodyFingerprint(body), rt.settings.idempotencyTtlMs);
    if (begun.state === 'done') return answer(c, begun.answer, true);
    if (begun.state === 'pending')
      throw new RelayError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.', {
        status: 409,
      });
    if (begun.state === 'conflict')
      throw new RelayError('idempotency_conflict', 'This Idempotency-Key was used with a different request.');
    let result: StoredAnswer;
    try {
      result = await placeCall(rt, body, address, ticket);
    } catch (err) {
      await rt.store.abandonIdempotent(key);
      throw err;
    }
    // Nothing happened when a limit tripped or the store failed: the key may be used again.
    if (result.status === 429 || result.status === 503) await rt.store.abandonIdempotent(key);
    else await rt.store.completeIdempotent(key, result, rt.settings.idempotencyTtlMs);
    return answer(c, result);
  });

  app.get('/:callId/events', async (c) => {
    rt.origins.check(c);
    const call = await findCall(rt, c.req.param('callId'));
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    // An ended call whose events were all seen: 204 tells EventSource to stop reconnecting.
    if (
      isFinalState(call.state) &&
      lastEventId !== undefined &&
      (await rt.store.readEvents(call.callId, lastEventId)).length === 0
    ) {
      return respond(c, null, 204);
    }
    return respond(c, callEventStream(rt, call, lastEventId), 200, EVENT_STREAM_HEADERS);
  });

  app.get('/:callId', async (c) => {
    rt.origins.check(c);
    const call = await findCall(rt, c.req.param('callId'));
    return json(c, toPublicCall(call));
  });

  return app;
}

/** The verified ticket a body carries, if it carries one. */
async function ticketOf(rt: RelayRuntime, body: unknown): Promise<Ticket | undefined> {
  const ticket = typeof body === 'object' && body !== null ? (body as { ticket?: unknown }).ticket : undefined;
  return typeof ticket === 'string' ? verifyTicket(ticket, rt.settings.ticketSecret, rt.now()) : undefined;
}

/** Counts an attempt against the client's address. @throws {RelayError} `rate_limited`. */
function countAddress(rt: RelayRuntime, address: string | undefined): Promise<void> {
  return enforceLimits(
    rt,
    addressLimitRule(rt.settings.rateLimits, address === undefined ? 'unknown' : addressKey(address)),
  );
}

/** Runs `startCall`, turning a refusal into the answer it gets, so it can be kept for replay. */
async function placeCall(
  rt: RelayRuntime,
  body: unknown,
  address: string | undefined,
  ticket: Ticket | undefined,
): Promise<StoredAnswer> {
  try {
    return { status: 202, body: await startCall(rt, parseCallRequest(body), address, ticket) };
  } catch (caught) {
    let err = caught;
    if (!(err instanceof RelayError)) throw err;
    // A ticket used twice is a bad ticket: it counts against the address after all.
    if (ticket && err.code === 'invalid_ticket')
      err = await countAddress(rt, address).then(
        () => err,
        (limited: unknown) => limited,
      );
    if (!(err instanceof RelayError)) throw err;
    const retryAfter = err.details.retryAfter;
    return {
      status: err.status,
      body: err.toBody(),
      ...(retryAfter !== undefined && { headers: { 'Retry-After': String(retryAfter) } }),
    };
  }
}

function answer(c: Context, stored: StoredAnswer, replayed = false): Response {
  return json(
    c,
    stored.body,
    stored.status,
    replayed ? { ...stored.headers, 'Idempotent-Replayed': 'true' } : stored.headers,
  );
}
