import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isFinalState, type CallState } from '../src/protocol/index.js';

/** Refusals the gallery shows, with the status and body the relay would answer. */
const REFUSALS: Record<string, { status: number; retryAfter?: number }> = {
  rate_limited: { status: 429, retryAfter: 120 },
  upstream_timeout: { status: 504 },
  upstream_error: { status: 502 },
  relay_misconfigured: { status: 502 },
  invalid_phone: { status: 422 },
};

const CALL_STATES = new Set<string>([
  'initiated',
  'completed',
  'busy',
  'no-answer',
  'canceled',
  'unreachable',
  'agent-unavailable',
  'failed',
  'unknown',
]);

/**
 * A stand-in relay for the states gallery: under `/demo/states/<scenario>` it answers
 * every call with that scenario, so each state can be shown side by side. `initiated`
 * stays ringing, `submitting` never answers, a final state arrives after a moment, and a
 * refusal is answered as the real relay would.
 */
export function stateRelay(): Hono {
  const app = new Hono();
  let serial = 0;
  const call = (scenario: string, callId: string, state: CallState) => {
    const now = new Date().toISOString();
    return { callId, state, phone: '+91 98••• ••210', target: scenario, createdAt: now, updatedAt: now };
  };

  app.post('/:scenario/calls', async (c) => {
    const scenario = c.req.param('scenario');
    if (scenario === 'submitting') return new Promise<Response>(() => {});
    const refusal = REFUSALS[scenario];
    if (refusal) {
      if (refusal.retryAfter) c.header('Retry-After', String(refusal.retryAfter));
      const field = scenario === 'invalid_phone' ? { field: 'phone' } : {};
      return c.json(
        {
          error: {
            code: scenario,
            message: 'Shown by the demo.',
            ...field,
            ...(refusal.retryAfter && { retryAfter: refusal.retryAfter }),
          },
        },
        refusal.status as 400,
      );
    }
    if (!CALL_STATES.has(scenario))
      return c.json({ error: { code: 'unknown_target', message: 'No such scenario.' } }, 404);
    const callId = `${scenario}-${Date.now()}-${++serial}`;
    return c.json({ callId, state: 'initiated', phone: '+91 98••• ••210' }, 202);
  });

  // Pages with many calls poll some of them (see the widget's live-call.ts).
  app.get('/:scenario/calls/:callId', (c) => {
    const scenario = c.req.param('scenario');
    const callId = c.req.param('callId');
    const startedAt = Number(callId.split('-').at(-2));
    const ended = isFinalState(scenario) && Date.now() - startedAt >= 1500;
    return c.json(call(scenario, callId, ended ? (scenario as CallState) : 'initiated'));
  });

  app.get('/:scenario/calls/:callId/events', (c) => {
    const scenario = c.req.param('scenario');
    const callId = c.req.param('callId');
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ id: '1', event: 'state', data: JSON.stringify(call(scenario, callId, 'initiated')) });
      if (!isFinalState(scenario)) {
        while (!stream.aborted) await stream.sleep(15_000).then(() => stream.write(': keep-alive\n\n'));
        return;
      }
      await stream.sleep(1500);
      await stream.writeSSE({
        id: '2',
        event: 'state',
        data: JSON.stringify(call(scenario, callId, scenario as CallState)),
      });
    });
  });

  return app;
}
