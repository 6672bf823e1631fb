import type { Context } from 'hono';

/**
 * Headers on every relay response, the ones that matter for a JSON API: nothing it
 * answers may be sniffed into another type, run, framed (CSP `frame-ancestors`, which
 * supersedes X-Frame-Options) or cached (call state is personal). Each header costs
 * throughput on Node, so documents-only headers (Referrer-Policy, X-Frame-Options) are
 * left out.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

const extraHeaders = new WeakMap<Context, Record<string, string>>();

/** Adds headers (CORS, say) to whatever response the request gets. */
export function addHeaders(c: Context, headers: Record<string, string>): void {
  extraHeaders.set(c, { ...extraHeaders.get(c), ...headers });
}

/**
 * Builds a response with the security headers and any added ones, as a plain header
 * record. Hono's `c.header()` and `c.json()` with more than one header build a `Headers`
 * object, which takes the Node adapter off its fast path; the benchmark showed that cost
 * a quarter of the relay's throughput.
 */
export function respond(
  c: Context,
  body: string | ReadableStream<Uint8Array> | null,
  status: number,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, ...extraHeaders.get(c), ...headers } });
}

/** A JSON response, with the security headers. */
export function json(c: Context, value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return respond(c, JSON.stringify(value), status, { 'Content-Type': 'application/json', ...headers });
}
