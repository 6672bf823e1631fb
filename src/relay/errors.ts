import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../protocol/index.js';

/** Extra details some errors carry to the browser. */
export interface RelayErrorDetails {
  field?: string;
  /** Seconds until the caller may try again; also sent as `Retry-After`. */
  retryAfter?: number;
  /** Overrides the code's usual HTTP status (e.g. 409 for an idempotency key in flight). */
  status?: number;
  /** Whether the call may have been placed all the same (Mobtexting's answer was lost). */
  uncertain?: boolean;
  /**
   * What a refusal was about, for the operator's counts: a rate limit's scope, a number's
   * type. One of a few fixed words, never a number; not sent to the browser.
   */
  scope?: string;
  /** Codes that may still be tried on a verification (`wrong_code`). */
  attemptsLeft?: number;
  /** `target_closed`: when the target next opens, epoch ms. */
  opensAt?: number;
}

/**
 * An error the relay answers with. Its message is written for the person using the page
 * and never contains a secret, a full number or an upstream body.
 */
export class RelayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: RelayErrorDetails;

  constructor(code: ErrorCode, message: string, details: RelayErrorDetails = {}) {
    super(message);
    this.name = 'RelayError';
    this.code = code;
    this.status = details.status ?? ERROR_STATUS[code];
    this.details = details;
  }

  /** The JSON body of this error. */
  toBody(): ErrorBody {
    const { field, retryAfter, attemptsLeft, opensAt } = this.details;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(field !== undefined && { field }),
        ...(retryAfter !== undefined && { retryAfter }),
        ...(attemptsLeft !== undefined && { attemptsLeft }),
        ...(opensAt !== undefined && { opensAt: new Date(opensAt).toISOString() }),
      },
    };
  }
}
