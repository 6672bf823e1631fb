import type { Context } from 'hono';
import { RelayError } from '../errors.js';
import { addHeaders, respond } from '../respond.js';

/** Methods and headers a page may use on the relay. */
const ALLOW_METHODS = 'GET, POST';
const ALLOW_HEADERS = 'Content-Type, Idempotency-Key, Last-Event-ID';

/** The origin the request was sent to, as a browser would write it. */
function ownOrigin(c: Context, trustProxy: number): string | undefined {
  const url = new URL(c.req.url);
  if (trustProxy > 0) {
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    if (host) return `${proto ?? url.protocol.slice(0, -1)}://${host}`;
  }
  const host = c.req.header('host');
  return host ? `${url.protocol}//${host}` : url.origin;
}

/** What the relay does about a request's `Origin`. */
export interface OriginPolicy {
  /**
   * Checks a request's `Origin`, adding the CORS headers to the response for an allowed
   * one.
   *
   * @throws {RelayError} `origin_not_allowed`.
   */
  check(c: Context): void;
  /** Answers a CORS preflight. */
  preflight(c: Context): Response;
}

/**
 * Lets pages of the allowed origins use the relay from the browser, and refuses every
 * other page: CORS answers only allowed origins, and since CORS alone protects nothing, a
 * request whose `Origin` is present and not allowed is refused outright (403
 * `origin_not_allowed`). Requests without `Origin` (servers, curl) and same-origin pages
 * pass. A check the routes call rather than middleware (`hono/cors` costs several times
 * the throughput on Node; even a middleware layer of our own cost a twentieth).
 */
export function originPolicy(allowedOrigins: readonly string[], trustProxy: number): OriginPolicy {
  const allowed = new Set(allowedOrigins);
  const admit = (c: Context): boolean => {
    const origin = c.req.header('origin');
    if (origin === undefined) return false;
    if (!allowed.has(origin) && origin !== ownOrigin(c, trustProxy)) {
      throw new RelayError('origin_not_allowed', 'This page may not place calls through this relay.');
    }
    addHeaders(c, { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    return true;
  };
  return {
    check(c) {
      if (admit(c)) addHeaders(c, { 'Access-Control-Expose-Headers': 'Retry-After' });
    },
    preflight(c) {
      if (!admit(c)) throw new RelayError('not_found', 'There is nothing at this address.');
      return respond(c, null, 204, {
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
      });
    },
  };
}
