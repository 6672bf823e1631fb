/**
 * What each rate limit counts, as configured: `ip` is the client's address (IPv6 by /64).
 */
export type LimitScope = 'ip' | 'number' | 'prefix' | 'target' | 'global';

/** A rate limit: at most `count` calls per `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/** The limits in force; a scope left out is not limited. */
export type RateLimits = Partial<Record<LimitScope, RateLimit>>;

/** The defaults: what a small business would want. */
export const DEFAULT_RATE_LIMITS = 'ip=10/10m,number=3/1h,prefix=20/1h,target=200/1h,global=500/1h';

/**
 * The budgets of calls placed with signed tickets (a CRM's agents), apart from the public
 * ones, so that strangers cannot spend them: the site's backend vouched for each call.
 */
export const DEFAULT_TICKET_RATE_LIMITS = 'number=10/1h,target=2000/1h,global=5000/1h';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const SCOPES: readonly LimitScope[] = ['ip', 'number', 'prefix', 'target', 'global'];

/**
 * Reads limits written as `ip=10/10m,number=3/1h` (units s, m, h, d), or `off`.
 *
 * @returns the limits, or a sentence naming what is wrong.
 */
export function parseRateLimits(spec: string): { ok: true; limits: RateLimits } | { ok: false; problem: string } {
  const parsed = parseLimitList(spec, SCOPES);
  return parsed.ok ? { ok: true, limits: Object.fromEntries(parsed.limits) } : parsed;
}

/**
 * Reads a list of limits of the given scopes, written as `number=3/15m,number=10/1d`
 * (units s, m, h, d), or `off`: each limit in the order written, so that one scope may
 * have several windows.
 *
 * @returns the limits, or a sentence naming what is wrong.
 */
export function parseLimitList<S extends string>(
  spec: string,
  scopes: readonly S[],
): { ok: true; limits: [S, RateLimit][] } | { ok: false; problem: string } {
  if (spec.trim().toLowerCase() === 'off') return { ok: true, limits: [] };
  const limits: [S, RateLimit][] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\w+)=(\d+)\/(\d*)([smhd])$/.exec(part);
    if (!match) return { ok: false, problem: `"${part}" is not like number=3/1h` };
    const [, scope, count, amount, unit] = match;
    if (!scopes.includes(scope as S)) return { ok: false, problem: `"${scope}" is not one of ${scopes.join(', ')}` };
    const windowMs = Number(amount || '1') * UNIT_MS[unit!]!;
    if (Number(count) < 1 || windowMs < 1000)
      return { ok: false, problem: `"${part}" must allow at least one call in at least one second` };
    limits.push([scope as S, { count: Number(count), windowMs }]);
  }
  return { ok: true, limits };
}
