/**
 * Number verification by a spoken code (`mt-click-to-call/relay/verify`): the relay
 * serves `POST /verifications` and `POST /verifications/:id/check` for targets with a
 * `codeVariable`; a site's backend checks the token a right code earns here.
 *
 * @example
 * ```ts
 * import { verifyNumberToken } from 'mt-click-to-call/relay/verify';
 * const { number } = await verifyNumberToken(token, { secret: process.env.MT_TICKET_SECRET! });
 * ```
 */
export { verifyNumberToken, type VerifiedNumber, type VerifyNumberTokenOptions } from './token.js';
export {
  DEFAULT_VERIFY_RATE_LIMITS,
  parseVerifyRateLimits,
  type VerifyRateLimits,
  type VerifyLimitScope,
} from './limits.js';
