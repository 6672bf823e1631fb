import type { RateLimits } from '../config/rate-limits.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LimitRule, RateLimitCounters } from '../store/roles.js';

/** What a limit counts: the client's address, the number rung, its block, the target, or everything. */
export type LimitKind = 'address' | 'number' | 'prefix' | 'target' | 'global' | 'keys';

/** Whose budget a call spends: the public one (typed numbers) or the one of signed tickets. */
export type Budget = 'public' | 'ticket';

/** What the visitor is told when a limit trips, by what it counts. */
const LIMIT_MESSAGES: Record<LimitKind, string> = {
  address: 'Too many calls were requested from your network. Please try again later.',
  number: 'This number has been called too often. Please try again later.',
  prefix: 'Too many calls were requested to numbers like this one. Please try again later.',
  target: 'Too many calls are waiting for this team. Please try again later.',
  global: 'The call service is busy. Please try again later.',
  keys: 'Too many requests were sent from your network. Please try again later.',
};

/** A rule and what it counts, for the message when it trips. */
export interface KindedRule extends LimitRule {
  kind: LimitKind;
}

function rule(limits: RateLimits, kind: LimitKind, subject: string, budget: Budget = 'public'): KindedRule[] {
  const limit = kind === 'keys' ? undefined : limits[kind === 'address' ? 'ip' : kind];
  if (!limit) return [];
  // Ticket calls are counted apart: strangers cannot spend a CRM's budget, nor it theirs.
  const key = `${budget === 'ticket' ? 'ticket-' : ''}${kind}:${subject}`;
  return [{ kind, key, limit: limit.count, windowMs: limit.windowMs }];
}

/**
 * What one call counts against, in its budget: the number it rings, that number's block,
 * its target, and all calls.
 */
export function callLimitRules(
  limits: RateLimits,
  call: { number: string; target: string },
  budget: Budget = 'public',
): KindedRule[] {
  return [
    ...rule(limits, 'number', call.number, budget),
    // The number less its last four digits: a block of numbers rung one after another.
    ...rule(limits, 'prefix', call.number.slice(0, -4), budget),
    ...rule(limits, 'target', call.target, budget),
    ...rule(limits, 'global', 'all', budget),
  ];
}

/** The rule for a client's address (its key, see `addressKey`). */
export function addressLimitRule(limits: RateLimits, addressKey: string): KindedRule[] {
  return rule(limits, 'address', addressKey);
}

/** How many `Idempotency-Key`s an address may hold within their lifetime. */
export function idempotencyKeysRule(addressKey: string, count: number, windowMs: number): KindedRule[] {
  return [{ kind: 'keys', key: `keys:${addressKey}`, limit: count, windowMs }];
}

/**
 * Counts a hit against rate limits, all or none.
 *
 * @throws {RelayError} `rate_limited` with the seconds until the limit lifts.
 */
export function enforceLimits(
  counters: RateLimitCounters,
  rules: KindedRule[],
  now: number,
  log: Logger,
): Promise<void> {
  return countOrRefuse(counters, rules, now, log, { messages: LIMIT_MESSAGES, event: 'call.rate_limited' });
}

/**
 * Counts a hit against rules of any kinds, all or none; when one is at its limit, logs
 * `event` (with the kind) and refuses in the words `messages` has for its kind.
 *
 * @throws {RelayError} `rate_limited` with the seconds until the limit lifts.
 */
export async function countOrRefuse<K extends string>(
  counters: RateLimitCounters,
  rules: (LimitRule & { kind: K })[],
  now: number,
  log: Logger,
  refusal: { messages: Record<K, string>; event: string },
): Promise<void> {
  if (rules.length === 0) return;
  const outcome = await counters.consumeLimits(rules, now);
  if (outcome.ok) return;
  const kind = (rules.find((r) => r.key === outcome.key) ?? rules[0]!).kind;
  const retryAfter = Math.max(Math.ceil(outcome.retryAfterMs / 1000), 1);
  log('warn', refusal.event, { limit: kind, retryAfter });
  throw new RelayError('rate_limited', refusal.messages[kind], { retryAfter, scope: kind });
}
