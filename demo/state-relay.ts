import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CALL_STATES, ERROR_STATUS, isFinalState, type CallState, type ErrorCode } from '../src/protocol/index.js';

/** Refusals about the number: shown by the field. */
const PHONE_FIELD = new Set<string>(['invalid_phone', 'number_not_allowed', 'country_not_allowed']);

/** How long a scenario's call rings before its final state arrives. */
const RING_MS = 1500;

/**
 * A stand-in relay for the states gallery (and the widget's tests): under
 * `/<base>/<scenario>` it answers every call with that scenario, so each state can be
 * shown side by side.
 *
 * - a call state: `initiated` rings on (so does `late`, a call whose outcome never comes),
 *   a final state arrives after a moment;
 * - `submitting`: never answers;
 * - an error code (`rate_limited`, `country_not_allowed`, `unknown_target`…): refused as
 *   the real relay would, with its status (a rate limit says to wait two minutes).
 */
export function stateRelay(): Hono {
  const app = new Hono();
  let serial = 0;
  const call = (scenario: string, callId: string, state: CallState) => {
    const now = new Date().toISOString();
    return { callId, state, phone: '+91 98••• ••210', target: scenario, createdAt: now, updatedAt: now };
  };
  const ringing = (scenario: string) => (CALL_STATES as readonly string[]).includes(scenario) || scenario === 'late';

  app.get('/:scenario/access', (c) => c.json({ allowed: c.req.param('scenario') !== 'origin_not_allowed' }));

  app.post('/:scenario/calls', async (c) => {
    const scenario = c.req.param('scenario');
    if (scenario === 'submitting') return new Promise<Response>(() => {});
    if (scenario in ERROR_STATUS) {
      const retryAfter = scenario === 'rate_limited' ? 120 : undefined;
      if (retryAfter) c.header('Retry-After', String(retryAfter));
      return c.json(
        {
          error: {
            code: scenario,
            message: `Shown by the demo: ${scenario}.`,
            ...(PHONE_FIELD.has(scenario) && { field: 'phone' }),
            ...(retryAfter && { retryAfter }),
          },
        },
        ERROR_STATUS[scenario as ErrorCode],
      );
    }
    if (!ringing(scenario)) return c.json({ error: { code: 'unknown_target', message: 'No such scenario.' } }, 404);
    const callId = `${scenario}-${Date.now()}-${++serial}`;
    return c.json({ callId, state: 'initiated', phone: '+91 98••• ••210' }, 202);
  });

  // Pages with many calls, or without event streams, poll.
  app.get('/:scenario/calls/:callId', (c) => {
    const scenario = c.req.param('scenario');
    const callId = c.req.param('callId');
    const startedAt = Number(callId.split('-').at(-2));
    const ended = isFinalState(scenario) && Date.now() - startedAt >= RING_MS;
    return c.json(call(scenario, callId, ended ? (scenario as CallState) : 'initiated'));
  });

  app.get('/:scenario/calls/:callId/events', (c) => {
    const scenario = c.req.param('scenario');
    const callId = c.req.param('callId');
    return streamSSE(c, async (stream) => {
      // A call that rings on ends its stream at once and asks the browser to come back in
      // ten minutes: a page of many such calls holds none of its six connections.
      const ringsOn = !isFinalState(scenario);
      await stream.writeSSE({
        id: '1',
        event: 'state',
        data: JSON.stringify(call(scenario, callId, 'initiated')),
        ...(ringsOn && { retry: 600_000 }),
      });
      if (ringsOn) return;
      await stream.sleep(RING_MS);
      await stream.writeSSE({
        id: '2',
        event: 'state',
        data: JSON.stringify(call(scenario, callId, scenario as CallState)),
      });
    });
  });

  return app;
}
