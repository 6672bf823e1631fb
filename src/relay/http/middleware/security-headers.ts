import type { MiddlewareHandler } from 'hono';
import { RelayError } from '../../errors.js';
import { errorResponse, type RelayEnv } from '../respond.js';

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

/**
 * The first middleware of every relay request: its response gets the security headers
 * whoever builds it, and a request no route answers gets the relay's JSON `not_found`
 * (also where the relay is mounted inside a larger app, whose own 404 would be plain text).
 * Responses built with `respond()` carry the headers already; any other response gets
 * them added here, on the slower path.
 */
export const securityHeaders: MiddlewareHandler<RelayEnv> = async (c, next) => {
  c.set('responseHeaders', { ...SECURITY_HEADERS });
  await next();
  if (c.get('answered')) return;
  if (c.res.status === 404) {
    c.res = errorResponse(c, new RelayError('not_found', 'There is nothing at this address.'));
    return;
  }
  for (const [name, value] of Object.entries(c.get('responseHeaders'))) c.res.headers.set(name, value);
};
