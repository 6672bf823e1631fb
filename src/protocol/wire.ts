/**
 * The JSON shapes that travel between the widget and the relay.
 */
import type { CallState } from './states.js';
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
}

/** The relay's `202` answer to `POST /calls`. */
export interface CallAccepted {
  callId: string;
  state: 'initiated';
  /** The number being rung, masked. */
  phone: string;
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
  };
}
