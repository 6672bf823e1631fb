import type { ErrorCode } from '../../protocol/index.js';
import type { HistoryChange, HistorySource } from '../store/history.js';
import type { CallRecord } from './record.js';

/**
 * What happens in the relay, told once by the part where it happens: the call lifecycle
 * at each transition of a call, the error handler for each refusal. The history and the
 * metrics listen; neither is written to from anywhere else. Bookings, redials and
 * verifications tell theirs through the same hook.
 */
export type Activity =
  /** A call was recorded: placed now (`initiated`) or booked for later (`scheduled`, with its slot). */
  | {
      type: 'call.created';
      call: CallRecord;
      source: HistorySource;
      origin?: string;
      scheduledFor?: number;
      /** A verification's call is kept in the history as the verification. */
      kind?: 'verification';
    }
  /** Mobtexting was asked to place a call: `accepted`, or the error it came to, after `ms`. */
  | { type: 'call.dialled'; call: CallRecord; outcome: 'accepted' | ErrorCode; ms: number; at: number }
  /** A recorded call changed (it ended, was dialled at its slot, was booked again for a redial…). */
  | { type: 'call.changed'; before: CallRecord; after: CallRecord; at: number }
  /**
   * A call whose number was known was refused: by a rate limit, a number already in a
   * call, a used ticket, or by Mobtexting (then `recorded`: the call had been stored).
   */
  | {
      type: 'call.refused';
      call: CallRecord;
      code: ErrorCode;
      scope?: string;
      recorded: boolean;
      source: HistorySource;
      origin?: string;
      kind?: 'verification';
      at: number;
    }
  /** The relay answered a request with an error (any route, any reason). */
  | { type: 'request.refused'; code: ErrorCode; scope?: string; status: number; at: number }
  /** The store could not be used. */
  | { type: 'store.failed'; operation: 'request' | 'history'; at: number }
  /** A due call was attended to `lagMs` after it was due (the sweep, a booking's dial). */
  | { type: 'dispatch.lag'; lagMs: number; at: number }
  /** A verification moved on: `started`, `verified`, `wrong_code`, `expired`. */
  | { type: 'verification'; target?: string; outcome: string; at: number }
  /** A history row written as it is, by a part of the relay whose rows are not calls (a verification). */
  | { type: 'history'; change: Omit<HistoryChange, 'keepUntil'> };

/** Something that hears the relay's activity. It must not throw, and must not wait. */
export type ActivityListener = (activity: Activity) => void;

/** Where activity is told: each listener hears each event, and one that fails stops no other. */
export class ActivityHub {
  readonly #listeners: ActivityListener[] = [];
  readonly #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; answers the function that removes it. */
  listen(listener: ActivityListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  /** Tells every listener. */
  readonly emit = (activity: Activity): void => {
    for (const listener of this.#listeners) {
      try {
        listener(activity);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  };
}

/** A refusal's reason as counted and shown: its code, with its scope where it has one. */
export function refusalReason(code: ErrorCode, scope: string | undefined): string {
  return scope === undefined ? code : `${code}:${scope}`;
}
