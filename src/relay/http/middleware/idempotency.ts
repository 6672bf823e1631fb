import type { MiddlewareHandler } from 'hono';
import { RelayError } from '../../errors.js';
import { enforceLimits, idempotencyKeysRule } from '../../calls/limits.js';
import type { Logger } from '../../log.js';
import type { IdempotencyKeys, RateLimitCounters } from '../../store/roles.js';
import { addressKey } from '../ip-address.js';
import { errorAnswer, json, type RelayEnv } from '../respond.js';

/** What an `Idempotency-Key` may look like: 1 to 128 visible ASCII characters. */
const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Validates an `Idempotency-Key` header.
 *
 * @throws {RelayError} `invalid_request` naming the header.
 */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY.test(key))
    throw new RelayError('invalid_request', 'The Idempotency-Key header must be 1 to 128 visible ASCII characters.', {
      field: 'Idempotency-Key',
    });
  return key;
}

/** A body's identity for idempotency: its JSON with keys in a fixed order, so layout does not matter. */
export function bodyFingerprint(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}

/** What the idempotency middleware needs. */
export interface IdempotencyContext {
  store: IdempotencyKeys & RateLimitCounters;
  /** How long a key is remembered. */
  ttlMs: number;
  /** How many keys one client address may hold within `ttlMs`. */
  perAddress: number;
  log: Logger;
  now: () => number;
}

/**
 * Makes a route safe to retry with an `Idempotency-Key` header: a repeat of a request
 * gets the first one's answer (marked `Idempotent-Replayed`) and does nothing again. Goes
 * after the body is validated, so only well-formed requests take a key. An answer that
 * left nothing done (a rate limit, a store that could not be reached, an internal error)
 * is not kept, so the key may be used again.
 *
 * @throws {RelayError} `idempotency_conflict`: 409 while the first request is in flight,
 *   422 when the key came with another body.
 */
export function idempotent(relay: IdempotencyContext): MiddlewareHandler<RelayEnv> {
  const { store, ttlMs } = relay;
  return async (c, next) => {
    const key = checkIdempotencyKey(c.req.header('idempotency-key'));
    if (key === undefined) return next();
    const begun = await store.beginIdempotent(key, bodyFingerprint(c.get('body')), ttlMs);
    if (begun.state === 'full') {
      relay.log('error', 'idempotency.full');
      throw new RelayError('store_unavailable', 'The relay is busy right now. Please try again shortly.');
    }
    if (begun.state === 'new') {
      // Each address may hold so many keys at a time: one client cannot fill the store.
      const address = c.get('address');
      const rules = idempotencyKeysRule(
        address === undefined ? 'unknown' : addressKey(address),
        relay.perAddress,
        ttlMs,
      );
      await enforceLimits(store, rules, relay.now(), relay.log).catch(async (refused: unknown) => {
        await store.abandonIdempotent(key);
        throw refused;
      });
    }
    if (begun.state === 'done') {
      const { body, status, headers } = begun.answer;
      return json(c, body, status, { ...headers, 'Idempotent-Replayed': 'true' });
    }
    if (begun.state === 'pending') {
      throw new RelayError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.', {
        status: 409,
      });
    }
    if (begun.state === 'conflict') {
      throw new RelayError('idempotency_conflict', 'This Idempotency-Key was used with a different request.');
    }
    await next();
    const error = c.error;
    const kept = error === undefined ? c.get('answer') : error instanceof RelayError ? errorAnswer(error) : undefined;
    if (kept === undefined || kept.status === 429 || kept.status === 503) await store.abandonIdempotent(key);
    else await store.completeIdempotent(key, kept, ttlMs);
  };
}
