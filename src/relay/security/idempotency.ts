import { RelayError } from '../errors.js';

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
