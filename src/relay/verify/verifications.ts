import {
  wireTime,
  type CallState,
  type VerificationChecked,
  type VerificationRequest,
  type VerificationStarted,
  type VerificationStatus,
} from '../../protocol/index.js';
import type { ActivityListener } from '../calls/activity.js';
import type { CallLifecycle, CallPlan } from '../calls/lifecycle.js';
import { checkVariables, visitorParties, type PartiesContext } from '../calls/parties.js';
import { CALL_ID } from '../calls/record.js';
import type { RelaySettings } from '../config/settings.js';
import { isVerifyTarget, type Target } from '../config/targets.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CallRecords, RateLimitCounters, VerificationState, Verifications } from '../store/roles.js';
import { codeKey, codeMatches, hashCode, makeCode } from './code.js';
import { enforceVerifyLimits, sendRules } from './limits.js';
import { createNumberToken } from './token.js';

/** How long a code works. */
export const VERIFICATION_TTL_MS = 10 * 60_000;
/** How many codes may be tried on one verification. */
export const MAX_ATTEMPTS = 5;
/** Seconds before a page offers "call me again", unless the call's state says sooner. */
export const RESEND_AFTER_SECONDS = 30;
/** The longest a verify call may last, in minutes, unless its target says: a code is said in seconds. */
const VERIFY_CALL_MINUTES = 2;

/** What verifying numbers works with. */
export interface VerificationContext extends PartiesContext {
  settings: RelaySettings;
  store: Verifications & RateLimitCounters & CallRecords;
  calls: CallLifecycle;
  log: Logger;
  now: () => number;
  /** Told how each verification goes (`started`, `wrong_code`, `verified`, `expired`): the metrics listen. */
  activity?: ActivityListener;
}

/**
 * Verifying that a visitor owns a number: a verify target's IVR flow is called with a
 * random code, which the visitor types back. The code is kept only as a keyed hash, is
 * compared in constant time, and goes nowhere but into the flow's variable.
 *
 * A number has one current verification: starting another (which rings the number with
 * a new code) closes the one before. While a call to the number is still under way, a
 * start answers the same, but places no call and closes nothing: its call reads `busy`.
 */
export class NumberVerifications {
  readonly #relay: VerificationContext;
  /** How long placing a call usually takes here, so that a start that places none takes as long. */
  #usualDialMs = 0;

  constructor(relay: VerificationContext) {
    this.#relay = relay;
  }

  /**
   * Starts a verification: checks the number as for a call, counts the sending limits,
   * and rings the number through the verify target's flow with a fresh code. The answer
   * is the same whatever is known of the number.
   *
   * @throws {RelayError} as for a call (`invalid_phone`, `rate_limited`, `upstream_error`…),
   *   or `unknown_target` for a target that does not verify numbers.
   */
  async start(request: VerificationRequest, address: string | undefined): Promise<VerificationStarted> {
    const relay = this.#relay;
    const { settings, store, log } = relay;
    const { name, target } = verifyTarget(settings.targets, request.target);
    const parties = await visitorParties(relay, { ...request, target: name }, address);
    const variables = checkVariables(target, request.variables);
    await enforceVerifyLimits(store, sendRules(settings.verifyRateLimits, parties.number), relay.now(), log);

    const verificationId = crypto.randomUUID();
    const code = makeCode(target.digits ?? 6);
    const codeHash = await hashCode(await codeKey(settings.ticketSecret!), verificationId, code);
    const callId = crypto.randomUUID();
    const placed = await this.#ring({
      parties: { ...parties, target: { ...target, duration: target.duration ?? VERIFY_CALL_MINUTES } },
      variables: { ...variables, [target.codeVariable]: code },
      rules: [],
      callId,
      hidden: [code],
      kind: 'verification',
    });
    const createdAt = relay.now();
    const verification = {
      verificationId,
      number: parties.number,
      target: name,
      phone: parties.label,
      codeHash,
      ...(placed && { callId }),
      createdAt,
      expiresAt: createdAt + VERIFICATION_TTL_MS,
    };
    await store.saveVerification(verification, placed);
    const call = placed ? { callId } : { placed: false };
    log('info', 'verification.started', { verificationId, target: name, phone: parties.label, ...call });
    this.#tell(name, 'started');
    return {
      verificationId,
      expiresAt: wireTime(verification.expiresAt),
      phone: parties.label,
      digits: target.digits ?? 6,
      attemptsLeft: MAX_ATTEMPTS,
      retryAfter: RESEND_AFTER_SECONDS,
    };
  }

  /**
   * How a verification stands, for the page that started it: its call's state (did the
   * visitor hear a code?) and the tries left. Reading changes nothing.
   *
   * @throws {RelayError} `verification_expired` once its code no longer works.
   */
  async status(verificationId: string): Promise<VerificationStatus> {
    const { verification, attempts } = await this.#open(verificationId);
    const call = verification.callId === undefined ? undefined : await this.#relay.store.getCall(verification.callId);
    const state: CallState = verification.callId === undefined ? 'busy' : (call?.state ?? 'unknown');
    return {
      verificationId,
      expiresAt: wireTime(verification.expiresAt),
      phone: verification.phone,
      attemptsLeft: Math.max(MAX_ATTEMPTS - attempts, 0),
      call: state,
    };
  }

  /**
   * Checks a code. Each try is counted before the code is compared; a right code works
   * once and earns a token naming the number and the verify target.
   *
   * @throws {RelayError} `wrong_code` (422, with `attemptsLeft`), or
   *   `verification_expired` (410) after ten minutes, five wrong codes, a right one, or a
   *   newer verification of the number.
   */
  async check(verificationId: string, code: string): Promise<VerificationChecked> {
    try {
      return await this.#check(verificationId, code);
    } catch (err) {
      if (err instanceof RelayError && err.code === 'verification_expired') this.#tell(undefined, 'expired');
      throw err;
    }
  }

  async #check(verificationId: string, code: string): Promise<VerificationChecked> {
    const relay = this.#relay;
    const { store, settings, log } = relay;
    const { verification } = await this.#open(verificationId);
    const attempts = await store.countAttempt(verificationId);
    if (attempts === undefined || attempts > MAX_ATTEMPTS) throw expired();
    const key = await codeKey(settings.ticketSecret!);
    if (!(await codeMatches(key, verificationId, code, verification.codeHash))) {
      const attemptsLeft = MAX_ATTEMPTS - attempts;
      log('warn', 'verification.wrong_code', { verificationId, attemptsLeft });
      this.#tell(verification.target, 'wrong_code');
      const left = attemptsLeft === 1 ? '1 try is left' : `${attemptsLeft} tries are left`;
      throw new RelayError(
        'wrong_code',
        attemptsLeft > 0 ? `That is not the code. ${left}.` : 'That is not the code, and no tries are left.',
        { field: 'code', attemptsLeft },
      );
    }
    if (!(await store.markUsed(verificationId))) throw expired();
    const { number, target, phone, callId } = verification;
    // The code was heard: the call is done with, and the callback that follows must not wait for its report.
    if (callId !== undefined) await relay.calls.releaseNumberOf(callId);
    const ttlSeconds = settings.verifiedTokenTtlSeconds;
    const secret = settings.ticketSecret!;
    const { token, expiresAt } = await createNumberToken({ secret, number, target, ttlSeconds, now: relay.now() });
    log('info', 'verification.verified', { verificationId, target, phone });
    this.#tell(target, 'verified');
    return { verified: true, token, expiresAt };
  }

  /** Tells the relay's activity how a verification went. */
  #tell(target: string | undefined, outcome: 'started' | 'wrong_code' | 'verified' | 'expired'): void {
    this.#relay.activity?.({
      type: 'verification',
      ...(target !== undefined && { target }),
      outcome,
      at: this.#relay.now(),
    });
  }

  /**
   * Places the call that speaks the code; answers whether one was placed. While another
   * call to the number is under way, none is, after about as long as placing one takes,
   * so that the answer does not tell. A call whose fate is unknown (Mobtexting's answer
   * was lost) may ring: its verification is kept.
   */
  async #ring(plan: CallPlan): Promise<boolean> {
    const began = performance.now();
    try {
      await this.#relay.calls.place(plan);
      this.#usualDialMs += (performance.now() - began - this.#usualDialMs) / 8;
      return true;
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      if (err.details.uncertain) return true;
      if (err.code !== 'call_in_progress') throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#usualDialMs, 2000)));
      return false;
    }
  }

  /**
   * A verification whose codes still count: not past its time, not used, not out of
   * tries, and not replaced by a newer one for its number. A verification that placed no
   * call (its number was on a call) never becomes current, and is not replaced.
   *
   * @throws {RelayError} `verification_expired` for any other, or none.
   */
  async #open(verificationId: string): Promise<VerificationState> {
    const { store, now } = this.#relay;
    const state = CALL_ID.test(verificationId) ? await store.getVerification(verificationId) : undefined;
    if (!state || state.used || state.attempts >= MAX_ATTEMPTS || state.verification.expiresAt <= now()) {
      throw expired();
    }
    if (!state.current && state.verification.callId !== undefined) throw expired();
    return state;
  }
}

function expired(): RelayError {
  return new RelayError('verification_expired', 'This code no longer works. Ask for a new call with a new code.');
}

/**
 * The verify target a request names; without a name, the relay's only one.
 *
 * @throws {RelayError} `invalid_request` without a name where several exist,
 *   `unknown_target` for a name that is no verify target.
 */
function verifyTarget(
  targets: Record<string, Target>,
  name: string | undefined,
): { name: string; target: Target & { codeVariable: string } } {
  const verifying = Object.keys(targets).filter((key) => isVerifyTarget(targets[key]!));
  const chosen = name ?? (verifying.length === 1 ? verifying[0] : undefined);
  if (chosen === undefined && verifying.length > 1) {
    throw new RelayError('invalid_request', 'Name the target that verifies numbers.', { field: 'target' });
  }
  const target = chosen !== undefined && Object.hasOwn(targets, chosen) ? targets[chosen] : undefined;
  if (!target || !isVerifyTarget(target)) {
    const what = chosen === undefined ? 'This relay does not verify numbers.' : `"${chosen}" does not verify numbers.`;
    throw new RelayError('unknown_target', what, { field: 'target' });
  }
  return { name: chosen!, target };
}
