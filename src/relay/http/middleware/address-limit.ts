import type { Context, MiddlewareHandler } from 'hono';
import { addressLimitRule, enforceLimits } from '../../calls/limits.js';
import type { RateLimits } from '../../config/rate-limits.js';
import type { Logger } from '../../log.js';
import type { RateLimitCounters } from '../../store/roles.js';
import { addressKey } from '../ip-address.js';
import type { RelayEnv } from '../respond.js';

/** What counting attempts by address needs. */
export interface AddressLimitContext {
  store: RateLimitCounters;
  limits: RateLimits;
  log: Logger;
  now: () => number;
  clientAddress: (c: Context) => string | undefined;
}

/**
 * Counts every attempt against the client's address before anything else is read, valid
 * or not, so that probing and slow requests are limited too. A request that turns out to
 * be exempt (a verified ticket was used: a CRM's agents often share one address) gives its
 * hit back with `c.var.refundAddress()`.
 *
 * @throws {RelayError} `rate_limited`.
 */
export function addressLimit(relay: AddressLimitContext): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const address = relay.clientAddress(c);
    c.set('address', address);
    const rules = addressLimitRule(relay.limits, address === undefined ? 'unknown' : addressKey(address));
    const at = relay.now();
    await enforceLimits(relay.store, rules, at, relay.log);
    c.set('refundAddress', () => relay.store.refundLimits(rules, at));
    await next();
  };
}
