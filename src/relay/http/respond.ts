import type { Context } from 'hono';
import type { RelayError } from '../errors.js';
import type { StoredAnswer } from '../store/roles.js';

/** What the relay's middleware hands on to later middleware and the routes. */
export interface RelayEnv {
  Variables: {
    /** Headers every response of this request gets (security headers, CORS). */
    responseHeaders: Record<string, string>;
    /** Set when the response was built by {@link respond}, with those headers. */
    answered: true;
    /** The request body, read and validated by `jsonBody`. */
    body: unknown;
    /** The answer a route gave, for the idempotency middleware to keep. */
    answer: StoredAnswer;
    /** The client's address as the relay finds it (see `clientAddress`). */
    address: string | undefined;
    /** Undoes the hit `addressLimit` counted, for a request that turned out to be exempt. */
    refundAddress: () => Promise<void>;
  };
}

/** A Hono context of the relay. */
export type RelayContextOf = Context<RelayEnv>;

/** Adds headers (CORS, say) to whatever response the request gets. */
export function addHeaders<E extends RelayEnv>(c: Context<E>, headers: Record<string, string>): void {
  c.set('responseHeaders', { ...c.get('responseHeaders'), ...headers });
}

/**
 * Builds a response with the headers middleware gathered for this request, as a plain
 * header record: Hono's `c.header()` and `c.json()` with more than one header build a
 * `Headers` object, which takes the Node adapter off its fast path (a quarter of the
 * relay's throughput, measured).
 */
export function respond<E extends RelayEnv>(
  c: Context<E>,
  body: string | ReadableStream<Uint8Array> | null,
  status: number,
  headers: Record<string, string> = {},
): Response {
  c.set('answered', true);
  return new Response(body, { status, headers: { ...c.get('responseHeaders'), ...headers } });
}

/** A JSON response. */
export function json<E extends RelayEnv>(
  c: Context<E>,
  value: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return respond(c, JSON.stringify(value), status, { 'Content-Type': 'application/json', ...headers });
}

/** Answers a route's outcome and keeps it for the idempotency middleware. */
export function answer<E extends RelayEnv>(c: Context<E>, stored: StoredAnswer): Response {
  c.set('answer', stored);
  return json(c, stored.body, stored.status, stored.headers);
}

/** The answer a {@link RelayError} gets: its JSON body, with `Retry-After` where it applies. */
export function errorAnswer(err: RelayError): StoredAnswer {
  const retryAfter = err.details.retryAfter;
  return {
    status: err.status,
    body: err.toBody(),
    ...(retryAfter !== undefined && { headers: { 'Retry-After': String(retryAfter) } }),
  };
}

/** Answers a {@link RelayError} as JSON. */
export function errorResponse<E extends RelayEnv>(c: Context<E>, err: RelayError): Response {
  const { status, body, headers } = errorAnswer(err);
  return json(c, body, status, headers);
}

/**
 * Hands work that may outlive the response to the runtime, where it offers that
 * (`executionCtx.waitUntil` on Workers); elsewhere the work just runs.
 */
export function waitUntilOf(c: Context): (work: Promise<unknown>) => void {
  let context: { waitUntil(work: Promise<unknown>): void } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    // Hono throws where the runtime gives no execution context (Node, Bun, Deno).
  }
  return (work) => context?.waitUntil(work);
}
