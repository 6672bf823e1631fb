import { isVerifyTarget, type Target } from '../config/targets.js';
import { RelayError } from '../errors.js';
import { verifyNumberToken } from './token.js';

/** What the gate of a target that requires a verified number is given. */
export interface VerifiedCall {
  /** The relay's targets (to tell a verify target). */
  targets: Record<string, Target>;
  /** The target called. */
  target: Target;
  /** The number the call would ring: digits with country code. */
  number: string;
  /** The `verified` token the request carried, if any. */
  token: string | undefined;
  /** The relay's signing secret. */
  secret: string | undefined;
  now: number;
}

/**
 * Lets a call to a target with `requireVerified` through only with a valid token for the
 * same number, earned with the verify target it names (`true`: any verify target). Any
 * other target passes as it is.
 *
 * @throws {RelayError} `verification_required` (403): nothing is dialled.
 */
export async function requireVerifiedNumber(call: VerifiedCall): Promise<void> {
  const required = call.target.requireVerified;
  if (required === undefined) return;
  const refuse = (message: string) => new RelayError('verification_required', message, { field: 'verified' });
  if (call.token === undefined || call.secret === undefined) {
    throw refuse('Please confirm your number first: we call you with a code.');
  }
  const verified = await verifyNumberToken(call.token, { secret: call.secret, now: call.now });
  const from = Object.hasOwn(call.targets, verified.target) ? call.targets[verified.target] : undefined;
  const fits = required === true ? from !== undefined && isVerifyTarget(from) : verified.target === required;
  if (verified.number !== call.number || !fits) {
    throw refuse('This number was not confirmed here. Please confirm it with a code first.');
  }
}
