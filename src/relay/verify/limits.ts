import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { parseLimitList, type RateLimit } from '../config/rate-limits.js';
import { countOrRefuse } from '../calls/limits.js';
import { addressKey } from '../http/ip-address.js';
import type { RelayEnv } from '../http/respond.js';
import type { Logger } from '../log.js';
import type { LimitRule, RateLimitCounters } from '../store/roles.js';

/**
 * What verification limits count: codes sent to a `number`, to its `prefix` (all but the
 * last four digits), from an address (`ip`, IPv6 by /64), all codes sent (`global`), and
 * codes tried from an address (`guesses`), across every verification.
 */
export type VerifyLimitScope = 'number' | 'prefix' | 'ip' | 'global' | 'guesses';

/** The limits in force, each scope with as many windows as it was given. */
export type VerifyRateLimits = Partial<Record<VerifyLimitScope, RateLimit[]>>;

/**
 * The defaults: a person asks for a code or two, not more; an attacker rotating
 * verifications still gets only ten guesses an hour from one address.
 */
export const DEFAULT_VERIFY_RATE_LIMITS = 'number=3/15m,number=10/1d,ip=10/1h,prefix=20/1h,global=500/1h,guesses=10/1h';

const SCOPES: readonly VerifyLimitScope[] = ['number', 'prefix', 'ip', 'global', 'guesses'];

/**
 * Reads verification limits written like `MT_RATE_LIMITS` (`number=3/15m,number=10/1d,…`,
 * or `off`), where a scope may be given several windows.
 *
 * @returns the limits, or a sentence naming what is wrong.
 */
export function parseVerifyRateLimits(
  spec: string,
): { ok: true; limits: VerifyRateLimits } | { ok: false; problem: string } {
  const parsed = parseLimitList(spec, SCOPES);
  if (!parsed.ok) return parsed;
  const limits: VerifyRateLimits = {};
  for (const [scope, limit] of parsed.limits) (limits[scope] ??= []).push(limit);
  return { ok: true, limits };
}

const windowSchema = z.strictObject({ count: z.number().int().min(1), windowMs: z.number().int().min(1000) });

/** The object form of verification limits: a scope's window, or its windows. */
export const verifyRateLimitsObject = z.partialRecord(
  z.enum(SCOPES),
  z.union([windowSchema.transform((w) => [w]), z.array(windowSchema).min(1)]),
);

/** A limit rule and what it counts, for the message when it trips. */
interface VerifyRule extends LimitRule {
  kind: VerifyLimitScope;
}

/** What the visitor is told when a limit trips, by what it counts. */
const MESSAGES: Record<VerifyLimitScope, string> = {
  number: 'Too many codes were sent to this number. Please try again later.',
  prefix: 'Too many codes were sent to numbers like this one. Please try again later.',
  ip: 'Too many codes were requested from your network. Please try again later.',
  global: 'The code service is busy. Please try again later.',
  guesses: 'Too many codes were tried from your network. Please try again later.',
};

/**
 * The rules of one scope. Keys start `verify-` so that they never meet the call limits'
 * keys, and name the window, so that two windows of one scope are counted apart.
 */
function rules(limits: VerifyRateLimits, scope: VerifyLimitScope, subject: string): VerifyRule[] {
  return (limits[scope] ?? []).map((limit) => ({
    kind: scope,
    key: `verify-${scope}-${limit.windowMs}:${subject}`,
    limit: limit.count,
    windowMs: limit.windowMs,
  }));
}

/** What sending one code counts against: its number, the number's block, and all codes. */
export function sendRules(limits: VerifyRateLimits, number: string): VerifyRule[] {
  return [
    ...rules(limits, 'number', number),
    ...rules(limits, 'prefix', number.slice(0, -4)),
    ...rules(limits, 'global', 'all'),
  ];
}

/**
 * Counts a hit against verification rules, all or none.
 *
 * @throws {RelayError} `rate_limited` with the seconds until the limit lifts.
 */
export function enforceVerifyLimits(
  counters: RateLimitCounters,
  rules: VerifyRule[],
  now: number,
  log: Logger,
): Promise<void> {
  return countOrRefuse(counters, rules, now, log, { messages: MESSAGES, event: 'verification.rate_limited' });
}

/** What counting requests by address needs. */
export interface VerifyAddressLimitContext {
  store: RateLimitCounters;
  limits: VerifyRateLimits;
  log: Logger;
  now: () => number;
  clientAddress: (c: Context) => string | undefined;
}

/**
 * Counts every request of a route against the client's address, in one scope (`ip` for
 * codes asked for, `guesses` for codes tried), before anything else is read: a guess is
 * counted before its code is compared, so rotating verifications buys no more guesses. A
 * request that turns out not to count (a right code) gives its hit back with
 * `c.var.refundAddress()`.
 *
 * @throws {RelayError} `rate_limited`.
 */
export function verifyAddressLimit(
  relay: VerifyAddressLimitContext,
  scope: 'ip' | 'guesses',
): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const address = relay.clientAddress(c);
    c.set('address', address);
    const counted = rules(relay.limits, scope, address === undefined ? 'unknown' : addressKey(address));
    const at = relay.now();
    await enforceVerifyLimits(relay.store, counted, at, relay.log);
    c.set('refundAddress', () => relay.store.refundLimits(counted, at));
    await next();
  };
}
