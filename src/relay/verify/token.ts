import { sign, verify } from 'hono/jwt';
import * as z from 'zod';
import { builtOnFirstUse } from '../config/built-on-first-use.js';
import { TARGET_NAME } from '../config/targets.js';
import { RelayError } from '../errors.js';

/** What a verified-number token says, once checked. */
export interface VerifiedNumber {
  /** The number that was verified: digits with country code, no `+` (`919876543210`). */
  number: string;
  /** The verify target it was verified with (its flow spoke the code). */
  target: string;
  /** When the code was checked (ISO 8601). */
  verifiedAt: string;
  /** When the token stops being accepted (ISO 8601). */
  expiresAt: string;
}

/** Options of {@link verifyNumberToken}. */
export interface VerifyNumberTokenOptions {
  /** `MT_TICKET_SECRET`, the relay's signing secret. */
  secret: string;
  /** The clock, in epoch milliseconds. Default: now. */
  now?: number;
}

/** Marks a token as a verified number's, so that no other token signed with the secret passes for one. */
const PURPOSE = 'verified-number';

const payloadSchema = builtOnFirstUse(() =>
  z.strictObject({
    purpose: z.literal(PURPOSE),
    number: z.string().regex(/^[1-9]\d{7,14}$/),
    target: z.string().regex(TARGET_NAME),
    iat: z.number().int(),
    exp: z.number().int(),
    jti: z.string().regex(/^[\w-]{8,64}$/),
  }),
);

/**
 * Signs the token a right code earns (HS256 with the relay's secret): it names the
 * number and the verify target, and is short-lived.
 */
export async function createNumberToken(claims: {
  secret: string;
  number: string;
  target: string;
  ttlSeconds: number;
  now: number;
}): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(claims.now / 1000);
  const exp = iat + claims.ttlSeconds;
  const jti = crypto.randomUUID();
  const payload = { purpose: PURPOSE, number: claims.number, target: claims.target, iat, exp, jti };
  return { token: await sign(payload, claims.secret, 'HS256'), expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Checks a token that `POST /verifications/:id/check` gave a visitor for a right code,
 * and answers the number it proves the visitor owns. For the site's backend: a sign-up
 * or login form that wants a verified phone takes the token from the widget's
 * `mt-verified` event and checks it here, with the relay's `MT_TICKET_SECRET`.
 *
 * The token proves that whoever holds it answered that number's phone within the last
 * `verifiedTokenTtlSeconds` (default 30 minutes). It may be presented more than once
 * until it expires; keep its `jti` if your form must take each token once.
 *
 * @example
 * ```ts
 * import { verifyNumberToken } from 'mt-click-to-call/relay';
 *
 * const { number, target } = await verifyNumberToken(form.verifiedToken, {
 *   secret: process.env.MT_TICKET_SECRET!,
 * });
 * // number: '919876543210' (digits with country code): the visitor answered that phone.
 * ```
 *
 * @throws {RelayError} `verification_required` (403) when the token is forged, altered,
 *   expired, or not a verified-number token (a CRM ticket, say).
 */
export async function verifyNumberToken(token: string, options: VerifyNumberTokenOptions): Promise<VerifiedNumber> {
  const refuse = (why: string) =>
    new RelayError('verification_required', `${why} Please confirm your number again.`, { field: 'verified' });
  let payload: unknown;
  try {
    payload = await verify(token, options.secret, { alg: 'HS256', exp: false, iat: false, nbf: false });
  } catch {
    throw refuse('This number confirmation is not valid.');
  }
  const parsed = payloadSchema().safeParse(payload);
  if (!parsed.success) throw refuse('This number confirmation is not valid.');
  const { number, target, iat, exp } = parsed.data;
  // Expiry is judged here, by the caller's clock, so tests and replicas agree.
  if (exp * 1000 <= (options.now ?? Date.now())) throw refuse('This number confirmation has expired.');
  return {
    number,
    target,
    verifiedAt: new Date(iat * 1000).toISOString(),
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}
