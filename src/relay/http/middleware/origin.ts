import type { Context, MiddlewareHandler } from 'hono';
import { RelayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ProxyTrust } from '../client-address.js';
import { addHeaders, respond, type RelayEnv } from '../respond.js';

/** Methods and headers a page may use on the relay. */
const ALLOW_METHODS = 'GET, POST, DELETE';
const ALLOW_HEADERS = 'Content-Type, Idempotency-Key, Last-Event-ID';

/** Which pages may use the relay, decided from configuration alone. */
export interface OriginPolicy {
  /** Origins whose pages may call, the relay's own (from `publicUrl`) among them. */
  allows(origin: string): boolean;
  /** The host browsers must have reached the relay by, when `publicUrl` names it. */
  host: string | undefined;
  trust: ProxyTrust | undefined;
}

/**
 * The origin policy of a relay: the allowed origins and the origin of `publicUrl`. The
 * relay's own origin is never taken from a request (its `Host`), which a page on another
 * name resolving to the relay (DNS rebinding) would control.
 */
export function originPolicy(
  allowedOrigins: readonly string[],
  publicUrl: URL | undefined,
  trust: ProxyTrust | undefined,
): OriginPolicy {
  const allowed = new Set([...allowedOrigins, ...(publicUrl ? [publicUrl.origin] : [])]);
  return { allows: (origin) => allowed.has(origin), host: publicUrl?.host, trust };
}

/** The host a request was sent to: `Host`, or what a trusted proxy says it was. */
function requestHost(c: Context, trust: ProxyTrust | undefined): string {
  const forwarded = trust ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return (forwarded ?? c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

/**
 * Lets pages of the allowed origins use the relay from the browser, and refuses every
 * other page: CORS answers only allowed origins, and since CORS alone protects nothing, a
 * request whose `Origin` is present and not allowed is refused outright (403
 * `origin_not_allowed`, logged at most once a minute per origin). Requests without
 * `Origin` (servers, curl) pass. When `publicUrl` is set, a request sent to any other host
 * is refused too. Preflights (`OPTIONS`) are answered here, for every route after it.
 * Written here rather than `hono/cors`, which costs several times the throughput on Node.
 */
export function originCheck(policy: OriginPolicy, log: Logger): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    if (policy.host !== undefined && requestHost(c, policy.trust) !== policy.host) {
      log('warn', 'host.refused', { host: c.req.header('host') ?? '' });
      throw new RelayError('origin_not_allowed', 'This relay does not answer at this address.');
    }
    const origin = c.req.header('origin');
    const preflight = c.req.method === 'OPTIONS';
    if (origin === undefined) {
      if (preflight) throw new RelayError('not_found', 'There is nothing at this address.');
      return next();
    }
    if (!policy.allows(origin)) {
      log('warn', 'origin.refused', { origin: origin.slice(0, 200) });
      throw new RelayError('origin_not_allowed', 'This page may not place calls through this relay.');
    }
    addHeaders(c, { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    if (!preflight) {
      addHeaders(c, { 'Access-Control-Expose-Headers': 'Retry-After' });
      return next();
    }
    return respond(c, null, 204, {
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    });
  };
}
