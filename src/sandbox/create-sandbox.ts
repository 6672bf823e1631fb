import { Hono, type Context } from 'hono';
import { legStatuses, outcomeForNumber } from './outcomes.js';
import { buildReport, type AcceptedCall } from './report.js';
import { flowVariables, isHeard, SpokenLog, type SpokenMessage } from './spoken.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** The API token the sandbox accepts (`Authorization: Bearer …` or `?access_token=`). */
  token: string;
  /** Where completion reports are posted; a function may choose by `webhook_id`. */
  webhookUrl?: string | ((webhookId: string | undefined) => string | undefined);
  /** Sent with each report as `Authorization: Bearer …`, as Mobtexting does. */
  webhookSecret?: string;
  /** Milliseconds from accepting a call to posting its report. Default 4,000. */
  delayMs?: number;
  /** Answer like older deployments, without `callId`. */
  legacyAnswer?: boolean;
  /** Used to post reports. */
  fetch?: typeof fetch;
  /** Told about each report delivery, for logs and tests. */
  onDelivery?: (delivery: SandboxDelivery) => void;
  /** Told what a simulated IVR flow said on each call that was heard (a code, say). */
  onSpoken?: (spoken: SpokenMessage) => void;
}

/** One report the sandbox posted (or tried to). */
export interface SandboxDelivery {
  url: string;
  report: Record<string, unknown>;
  /** The receiver's HTTP status; absent when it could not be reached. */
  status?: number;
  error?: string;
}

/** A running simulated Mobtexting API. */
export interface Sandbox {
  /** Serves `POST voice/c2c` (mount it where Mobtexting's API base would be). */
  app: Hono;
  /** The request bodies accepted, in order: the last 1,000. */
  readonly requests: Record<string, unknown>[];
  /**
   * What the simulated IVR flow last said to a number (digits, `+` and spaces allowed),
   * or `undefined` when no flow call to it was heard: the code of a verification, for
   * tests and the demo. Also served as `GET spoken?to=<number>`.
   */
  spoken(number: string): SpokenMessage | undefined;
  /** Posts every pending report now instead of waiting. */
  flush(): Promise<void>;
  /** Cancels pending reports. */
  close(): void;
}

/** How many accepted requests the sandbox keeps for inspection. */
const MAX_KEPT_REQUESTS = 1000;

const DIGITS = /^[1-9]\d{7,14}$/;
const FLOW = /^flow:\d+$/;

/**
 * A simulated Mobtexting Click2Call API: it checks requests as Mobtexting does, answers
 * like the document, and after a delay posts the document's webhook body over HTTP.
 * Nothing is dialled. The visitor number's last digits choose the outcome
 * (see {@link TEST_NUMBER_ENDINGS}).
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const delayMs = options.delayMs ?? 4000;
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const requests: Record<string, unknown>[] = [];
  const pending = new Map<ReturnType<typeof setTimeout>, () => Promise<void>>();
  const spoken = new SpokenLog();
  const app = new Hono();

  const deliver = async (call: AcceptedCall, startedAt: number) => {
    const url = typeof options.webhookUrl === 'function' ? options.webhookUrl(call.webhookId) : options.webhookUrl;
    if (!url) return;
    const visitorLeg = FLOW.test(call.to) || !outcomeForNumber(call.to) ? 'from' : 'to';
    const outcome = outcomeForNumber(visitorLeg === 'from' ? call.from : call.to) ?? 'completed';
    const report = buildReport(call, legStatuses(outcome, visitorLeg, FLOW.test(call.to)), startedAt, Date.now());
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.webhookSecret) headers.Authorization = `Bearer ${options.webhookSecret}`;
    try {
      const response = await send(url, { method: 'POST', headers, body: JSON.stringify(report) });
      await response.body?.cancel();
      options.onDelivery?.({ url, report, status: response.status });
    } catch (err) {
      options.onDelivery?.({ url, report, error: err instanceof Error ? err.message : String(err) });
    }
  };

  app.post('/voice/c2c', async (c) => {
    const auth = c.req.header('authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : c.req.query('access_token');
    if (token !== options.token) return c.json({ status: 401, message: 'Unauthenticated.' }, 401);

    const body = await readBody(c);
    if (!body) return c.json({ status: 400, message: 'The request body must be JSON.' }, 400);
    const errors = validate(body);
    if (Object.keys(errors).length > 0)
      return c.json({ status: 422, message: 'The given data was invalid.', errors }, 422);
    requests.push(body);
    // The most recent ones are enough for tests and the demo; older ones go.
    if (requests.length > MAX_KEPT_REQUESTS) requests.splice(0, requests.length - MAX_KEPT_REQUESTS);

    const call: AcceptedCall = {
      bridge: String(body.bridge),
      from: String(body.from),
      to: String(body.to),
      record: String(body.record ?? '0') === '1',
      ...(body.webhook_id !== undefined && { webhookId: String(body.webhook_id) }),
      ...(body.mid !== undefined && { mid: String(body.mid) }),
    };
    const outcome = outcomeForNumber(call.from) ?? outcomeForNumber(call.to);
    if (outcome === 'upstream-error')
      return c.html('<html><body><h1>500 Internal Server Error</h1></body></html>', 500);
    // A flow is rung second, after the visitor: what it says is heard if the visitor answered.
    if (FLOW.test(call.to) && isHeard(outcomeForNumber(call.from))) {
      const said = spoken.add(call.from, call.to, flowVariables(body), outcomeForNumber(call.from));
      options.onSpoken?.(said);
    }
    if (outcome !== 'no-report') {
      const startedAt = Date.now();
      const timer = setTimeout(() => {
        pending.delete(timer);
        void deliver(call, startedAt);
      }, delayMs);
      pending.set(timer, () => deliver(call, startedAt));
    }
    return options.legacyAnswer
      ? c.json({ status: 200, message: 'Call initiated successfully' })
      : c.json({ callId: crypto.randomUUID(), message: 'call initiated successfully', status: 200 });
  });

  app.get('/spoken', (c) => {
    const message = spoken.latest(c.req.query('to') ?? '');
    if (!message) return c.json({ status: 404, message: 'No flow call to this number was heard.' }, 404);
    return c.json({ spoken: message });
  });

  return {
    app,
    requests,
    spoken: (number) => spoken.latest(number),
    async flush() {
      const now = [...pending];
      pending.clear();
      await Promise.all(now.map(([timer, run]) => (clearTimeout(timer), run())));
    },
    close() {
      for (const timer of pending.keys()) clearTimeout(timer);
      pending.clear();
    },
  };
}

async function readBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await c.req.json();
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function validate(body: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const check = (field: string, ok: boolean, message: string) => {
    if (!ok) errors[field] = [message];
  };
  for (const field of ['bridge', 'from', 'to'])
    check(field, body[field] !== undefined && body[field] !== '', `The ${field} field is required.`);
  if (errors.bridge === undefined)
    check('bridge', DIGITS.test(String(body.bridge)), 'The bridge must be a number with country code.');
  if (errors.from === undefined)
    check('from', DIGITS.test(String(body.from)), 'The from must be a number with country code.');
  if (errors.to === undefined)
    check(
      'to',
      DIGITS.test(String(body.to)) || FLOW.test(String(body.to)),
      'The to must be a number with country code or flow:ID.',
    );
  if (body.record !== undefined)
    check('record', ['0', '1'].includes(String(body.record)), 'The record must be 0 or 1.');
  if (body.attempts !== undefined)
    check('attempts', /^[0-2]$/.test(String(body.attempts)), 'The attempts may not be greater than 2.');
  if (body.duration !== undefined)
    check('duration', /^[1-9]\d{0,3}$/.test(String(body.duration)), 'The duration must be a number of minutes.');
  return errors;
}
