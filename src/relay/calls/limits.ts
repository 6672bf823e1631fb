import type { RateLimits } from '../config/rate-limits.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LimitRule, RateLimitCounters } from '../store/roles.js';

/** What a limit counts: the client's address, the number rung, its block, the target, or everything. */
export type LimitKind = 'address' | 'number' | 'prefix' | 'target' | 'global';

/** What the visitor is told when a limit trips, by what it counts. */
export const LIMIT_MESSAGES: Record<LimitKind, string> = {
  address: 'Too many calls were requested from your network. Please try again later.',
  number: 'This number has been called too often. Please try again later.',
  prefix: 'Too many calls were requested to numbers like this one. Please try again later.',
  target: 'Too many calls are waiting for this team. Please try again later.',
  global: 'The call service is busy. Please try again later.',
};

function rule(limits: RateLimits, kind: LimitKind, subject: string): LimitRule[] {
  const limit = limits[kind === 'address' ? 'ip' : kind];
  return limit ? [{ key: `${kind}:${subject}`, limit: limit.count, windowMs: limit.windowMs }] : [];
}

/** What one call counts against: the number it rings, that number's block, its target, and all calls. */
export function callLimitRules(limits: RateLimits, call: { number: string; target: string }): LimitRule[] {
  return [
    ...rule(limits, 'number', call.number),
    // The number less its last four digits: a block of numbers rung one after another.
    ...rule(limits, 'prefix', call.number.slice(0, -4)),
    ...rule(limits, 'target', call.target),
    ...rule(limits, 'global', 'all'),
  ];
}

/** The rule for a client's address (its key, see `addressKey`). */
export function addressLimitRule(limits: RateLimits, addressKey: string): LimitRule[] {
  return rule(limits, 'address', addressKey);
}

/**
 * Counts a hit against rate limits, all or none.
 *
 * @throws {RelayError} `rate_limited` with the seconds until the limit lifts.
 */
export async function enforceLimits(
  counters: RateLimitCounters,
  rules: LimitRule[],
  now: number,
  log: Logger,
): Promise<void> {
  if (rules.length === 0) return;
  const outcome = await counters.consumeLimits(rules, now);
  if (outcome.ok) return;
  const kind = outcome.key.slice(0, outcome.key.indexOf(':')) as LimitKind;
  const retryAfter = Math.max(Math.ceil(outcome.retryAfterMs / 1000), 1);
  log('warn', 'call.rate_limited', { limit: kind, retryAfter });
  throw new RelayError('rate_limited', LIMIT_MESSAGES[kind], { retryAfter });
}
