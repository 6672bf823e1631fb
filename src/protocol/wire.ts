/**
 * The JSON shapes that travel between the widget and the relay.
 */
import type { CallState, FinalCallState } from './states.js';
import type { ErrorCode } from './errors.js';

/** Body of `POST /calls`. Either `phone` or `ticket` names whom to call. */
export interface CallRequest {
  /** The visitor's number, international (`+91 98765 43210`) or national to the relay's default country. */
  phone?: string;
  /** ISO country of a number typed without `+` (`IN`); default: the relay's first allowed country. */
  country?: string;
  /** Name of a target from the relay's configuration. */
  target?: string;
  /** Values for the target's declared variable names (an IVR flow's `{Name}`). */
  variables?: Record<string, string>;
  /** A signed ticket from the site's backend (CRM use) instead of `phone`. */
  ticket?: string;
  /** True when the visitor ticked the consent box. */
  consent?: boolean;
  /** A human-check token (for example Cloudflare Turnstile) when the relay asks for one. */
  humanToken?: string;
  /**
   * The token `POST /verifications/:id/check` answered, for a target that accepts calls
   * only to verified numbers (`requireVerified`); it must name the same number.
   */
  verified?: string;
  /**
   * Book a callback at this time instead of calling now: the `at` of one of the free slots
   * of `GET /targets/:target/availability` (an ISO instant). Answered `202` {@link CallBooked}.
   */
  at?: string;
}

/** The relay's `202` answer to `POST /calls`. */
export interface CallAccepted {
  callId: string;
  state: 'initiated';
  /** The number being rung, masked. */
  phone: string;
}

/** The relay's `202` answer to `POST /calls` with `at`: the callback is booked, to be dialled then. */
export interface CallBooked {
  callId: string;
  state: 'scheduled';
  /** When the visitor will be called: an ISO instant. */
  at: string;
  /** The number to be rung, masked. */
  phone: string;
}

/** The relay's `200` answer to `DELETE /calls/:callId`: `canceled` when the booking was withdrawn. */
export interface CallWithdrawn {
  callId: string;
  /** `canceled`; or the state of a call that had ended already (nothing was left to withdraw). */
  state: CallState;
}

/** One callback slot on offer. */
export interface AvailableSlot {
  /** When the slot starts: an ISO instant (the `at` to book it with). */
  at: string;
  /** How many more bookings it takes (at least 1: full slots are not listed). */
  left: number;
}

/**
 * `GET /targets/:target/availability`: whether the target answers now, when it next opens
 * and closes, and its free callback slots, earliest first. A target without hours is
 * always open (its `timezone` is `UTC`); one without slots lists none.
 */
export interface Availability {
  target: string;
  open: boolean;
  /** The target's IANA time zone, to show times the way the business reads them. */
  timezone: string;
  /** The next opening (ISO instant), when it opens within a year. */
  opensAt?: string;
  /** When it closes: the end of the hours it is in, or of its next hours when closed. */
  closesAt?: string;
  slots: AvailableSlot[];
}

/** A call as the browser may see it: no full number, no recording. */
export interface PublicCall {
  callId: string;
  state: CallState;
  /** The visitor's number, masked: `+91 98••• ••321`. */
  phone: string;
  target?: string;
  createdAt: string;
  updatedAt: string;
  /** Seconds the visitor was connected, once known. */
  talkSeconds?: number;
  /** While `scheduled`: when the visitor will be called (ISO instant). */
  at?: string;
  /**
   * While `scheduled` for a redial the relay booked by itself (the target's `retry`): the
   * outcome of the attempt before it (`agent-unavailable`, say) and which redial this is.
   */
  retry?: { reason: FinalCallState; attempt: number };
}

/** Every error the relay answers with. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** The request field at fault, when there is one. */
    field?: string;
    /** Seconds until a rate limit lifts (also in `Retry-After`). */
    retryAfter?: number;
    /** Codes that may still be tried on this verification (`wrong_code`). */
    attemptsLeft?: number;
    /** `target_closed`: when the target next opens (ISO instant), if within a year. */
    opensAt?: string;
  };
}

/**
 * Body of `POST /verifications`: ring this number and speak it a code. The same fields
 * as a call, less the ones a verification has no use for.
 */
export interface VerificationRequest {
  /** The number to verify, international or national to `country`. */
  phone: string;
  country?: string;
  /** A target with a `codeVariable`; without one, the relay's only such target. */
  target?: string;
  /** Values for other variables the verify target declares (never the code's). */
  variables?: Record<string, string>;
  consent?: boolean;
  humanToken?: string;
}

/**
 * The relay's `202` answer to `POST /verifications`. It is the same whether or not the
 * number was verified before or is being verified now: it tells nothing about the number.
 */
export interface VerificationStarted {
  /** Names this verification in the routes that follow. */
  verificationId: string;
  /** When its code stops working (ISO 8601): ten minutes after the start. */
  expiresAt: string;
  /** The number being rung, masked. */
  phone: string;
  /** How many digits the code has (4 to 8). */
  digits: number;
  /** Codes that may be tried (5). */
  attemptsLeft: number;
  /**
   * Seconds after which to offer "call me again with a new code", unless the call's state
   * (`GET /verifications/:id`) says sooner that no code was heard.
   */
  retryAfter: number;
}

/** `GET /verifications/:id`: how a verification stands, for the page that started it. */
export interface VerificationStatus {
  verificationId: string;
  expiresAt: string;
  phone: string;
  attemptsLeft: number;
  /**
   * The call that speaks the code: `initiated` while it rings, `completed` once the flow
   * was heard, or the final state that says why no code was heard (`no-answer`, `busy`…).
   */
  call: CallState;
}

/** Body of `POST /verifications/:id/check`. */
export interface VerificationCheck {
  /** The digits heard (spaces and dashes are ignored). */
  code: string;
}

/** The relay's `200` answer to a right code. */
export interface VerificationChecked {
  verified: true;
  /**
   * A short-lived signed token naming the number and the verify target: pass it as
   * `verified` to `POST /calls`, or to the site's own backend (`verifyNumberToken`).
   */
  token: string;
  /** When the token stops being accepted (ISO 8601). */
  expiresAt: string;
}

/** A moment (milliseconds since the epoch) as the wire writes it: ISO 8601 in UTC. */
export const wireTime = (at: number): string => new Date(at).toISOString();
