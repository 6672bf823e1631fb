import { Hono, type Context } from 'hono';
import {
  isFinalHistoryState,
  HISTORY_KINDS,
  HISTORY_SOURCES,
  type CallHistory,
  type HistoryQuery,
} from '../store/history.js';
import { CALL_STATES } from '../../protocol/index.js';
import type { RelayContext } from '../context.js';
import { RelayError } from '../errors.js';
import { json, respond } from '../http/respond.js';
import { CSV_HEADER, csvLine } from './csv.js';
import { LiveFeed } from './live.js';
import { requireSession, sameOrigin, signIn, signOut, type ConsoleEnv, type SessionContext } from './session.js';

const STATES = new Set<string>([...CALL_STATES, 'refused']);
const DAY_MS = 86_400_000;
/** Most rows one export holds. */
const MOST_EXPORTED = 100_000;
const EVENT_STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' };

/** What the console's API is given. */
export interface ConsoleApiContext extends SessionContext {
  relay: RelayContext;
  history: CallHistory;
  withdraw: (callId: string) => Promise<{ state: string }>;
}

function invalid(field: string, message: string): RelayError {
  return new RelayError('invalid_request', message, { field });
}

/** A whole number from the query string, if given. */
function integer(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d{1,15}$/.test(raw)) throw invalid(name, `${name} must be a whole number.`);
  return Number(raw);
}

/** One of a set of words from the query string, if given. */
function oneOf<T extends string>(c: Context, name: string, allowed: ReadonlySet<string> | readonly T[]): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const set = allowed instanceof Set ? allowed : new Set<string>(allowed as readonly string[]);
  if (!set.has(raw)) throw invalid(name, `${name} is not one the console knows.`);
  return raw as T;
}

/** The filter of the history table, read from the query string. */
function historyFilter(c: Context, targets: ReadonlySet<string>): Omit<HistoryQuery, 'limit'> {
  const after = c.req.query('after')?.match(/^(\d{1,15}):([\w-]{1,64})$/);
  if (c.req.query('after') && !after) throw invalid('after', 'after must be a cursor from a page.');
  const from = integer(c, 'from');
  const to = integer(c, 'to');
  const target = oneOf(c, 'target', targets);
  const state = oneOf<HistoryQuery['state'] & string>(c, 'state', STATES);
  const source = oneOf(c, 'source', HISTORY_SOURCES);
  const kind = oneOf(c, 'kind', HISTORY_KINDS);
  return {
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(target !== undefined && { target }),
    ...(state !== undefined && { state }),
    ...(source !== undefined && { source }),
    ...(kind !== undefined && { kind }),
    ...(after && { after: { at: Number(after[1]), id: after[2]! } }),
  };
}

/**
 * The console's API under `/console/api`: JSON for the signed-in operator (a session
 * cookie; changes also need the CSRF token and the console's own origin). Numbers are
 * masked everywhere; the recording link is only in a row's JSON.
 */
export function consoleApi(context: ConsoleApiContext): Hono<ConsoleEnv> {
  const { relay, history } = context;
  const targets = new Set(Object.keys(relay.settings.targets));
  const app = new Hono<ConsoleEnv>();
  const about = (session: { csrf: string; expiresAt: number }) => ({
    csrf: session.csrf,
    expiresAt: session.expiresAt,
    targets: [...targets],
    states: [...STATES],
    sources: HISTORY_SOURCES,
    historyDays: relay.settings.historyDays,
  });

  app.post('/session', sameOrigin(relay), async (c) => {
    const { session, cookie } = await signIn(c, context);
    return json(c, about(session), 200, { 'Set-Cookie': cookie });
  });

  app.use('*', requireSession(context));

  app.get('/session', (c) => json(c, about(c.get('session'))));

  app.delete('/session', async (c) => respond(c, null, 204, { 'Set-Cookie': await signOut(c, context) }));

  app.get('/history', async (c) => {
    const limit = integer(c, 'limit') ?? 50;
    if (limit < 1 || limit > 500) throw invalid('limit', 'limit must be 1 to 500.');
    return json(c, await history.queryHistory({ ...historyFilter(c, targets), limit }));
  });

  app.get('/history.csv', (c) => {
    const filter = historyFilter(c, targets);
    const encoder = new TextEncoder();
    let after = filter.after;
    let sent = 0;
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_HEADER));
        }
        const page = await history.queryHistory({ ...filter, ...(after && { after }), limit: 1000 });
        const rows = page.rows.slice(0, MOST_EXPORTED - sent);
        if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(csvLine).join('')));
        sent += rows.length;
        after = page.next;
        if (!after || sent >= MOST_EXPORTED) controller.close();
      },
    });
    const day = new Date(relay.now()).toISOString().slice(0, 10);
    return respond(c, body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="calls-${day}.csv"`,
    });
  });

  app.get('/history/:id', async (c) => {
    const row = await history.getHistory(c.req.param('id'));
    if (!row) throw new RelayError('unknown_call', 'There is no such call in the history.');
    return json(c, row);
  });

  app.get('/stats', async (c) => {
    const now = relay.now();
    const to = integer(c, 'to') ?? now;
    const from = integer(c, 'from') ?? to - 7 * DAY_MS;
    if (to <= from || to - from > 100 * DAY_MS) throw invalid('from', 'The range must be up to 100 days.');
    const bucket = c.req.query('bucket') === 'hour' ? 3600_000 : DAY_MS;
    if (bucket === 3600_000 && to - from > 31 * DAY_MS) throw invalid('bucket', 'Hours are shown for up to 31 days.');
    const offset = integer(c, 'offset') ?? 0;
    if (offset % 15 !== 0 || Math.abs(offset) > 14 * 60) throw invalid('offset', 'offset is minutes east of UTC.');
    const target = oneOf(c, 'target', targets);
    const source = oneOf(c, 'source', HISTORY_SOURCES);
    const range = { from, to, bucketMs: bucket, offsetMs: offset * 60_000 };
    await relay.history?.flush();
    const [calls, refusals] = await Promise.all([
      history.historyStats({ ...range, ...(target && { target }), ...(source && { source }) }),
      history.refusalStats(range),
    ]);
    return json(c, { from, to, bucketMs: bucket, offsetMs: range.offsetMs, calls, refusals });
  });

  app.get('/scheduled', async (c) => {
    const { rows } = await history.queryHistory({ state: 'scheduled', limit: 1000 });
    rows.sort((a, b) => (a.scheduledFor ?? a.requestedAt) - (b.scheduledFor ?? b.requestedAt));
    return json(c, { rows });
  });

  app.post('/scheduled/:id/withdraw', async (c) => {
    const id = c.req.param('id');
    const row = await history.getHistory(id);
    if (!row) throw new RelayError('unknown_call', 'There is no such booking.');
    if (isFinalHistoryState(row.state)) return json(c, { id, state: row.state });
    const withdrawn = await context.withdraw(id);
    relay.log('info', 'console.withdrew', { callId: id });
    return json(c, { id, state: withdrawn.state });
  });

  app.get('/live', (c) => {
    const admitted = relay.streams.admit(relay.clientAddress(c), 'console:live');
    if ('refused' in admitted) {
      throw new RelayError('rate_limited', 'Too many live panels are open.', {
        retryAfter: 30,
        scope: 'stream-console',
      });
    }
    c.set('answered', true);
    const headers = { ...c.get('responseHeaders'), ...EVENT_STREAM_HEADERS };
    return relay.respondWithStream(
      c,
      headers,
      relay.settings.heartbeatMs,
      (sink) => new LiveFeed(relay, history, sink, admitted.release),
    );
  });

  return app;
}
