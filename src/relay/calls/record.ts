import type { CallState, FinalCallState } from '../../protocol/index.js';

/** Everything the relay remembers about one call. Only its public view leaves the server. */
export interface CallRecord {
  callId: string;
  state: CallState;
  /**
   * Counts the record's changes: a store applies a change only to the version it was
   * decided on, so two instances never both move a call on.
   */
  version: number;
  target?: string;
  bridge: string;
  /** The leg rung first: digits with country code. */
  from: string;
  /** The second leg: digits with country code, or `flow:ID`. */
  to: string;
  /** Which leg is the visitor's. */
  visitorLeg: 'from' | 'to';
  /** The number this call claimed (one open call per number), released when it ends. */
  claimedNumber: string;
  /** The visitor's number as the browser may see it: masked, or the ticket's label. */
  phone: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /**
   * When a call still open is given up as `unknown`. For a `scheduled` call, the latest it
   * could still be open (its time, the booking grace, its longest duration and the report
   * grace): stores keep it at least that long.
   */
  expiresAt: number;
  /** Seconds the second leg was connected, from the report. */
  talkSeconds?: number;
  /** Mobtexting's report as received: server-side only (it holds numbers and the recording URL). */
  report?: Record<string, unknown>;
  /** For a `scheduled` call: when it is to be dialled (its slot, or a redial's time). */
  dialAt?: number;
  /** A refused dial (the provider's rate limit, an outage) is tried again from this time, within the grace. */
  notBefore?: number;
  /** The slot place a booking holds (`target|epoch ms`), given back if it is withdrawn or missed. */
  slot?: string;
  /**
   * Set while one instance dials a `scheduled` call: when it took the call on and until
   * when no other instance touches it. A lease that lapses means that instance went away
   * mid-dial: the call may have rung, and is never dialled again.
   */
  lease?: { at: number; until: number };
  /** The variables to dial a booking or a redial with, checked when it was asked for. Server-side only. */
  variables?: Record<string, string>;
  /** For a redial: the outcome of the attempt before it, and which redial it is. */
  retry?: Redial;
}

/** What a redial follows: the outcome of the attempt before it, and which redial it is (1 for the first). */
export interface Redial {
  reason: FinalCallState;
  attempt: number;
}

/** One change of a call's state, as kept in a store: what its public view is built from. */
export interface CallEvent {
  /** Increases with every event of the call; the SSE `id:`. */
  id: string;
  state: CallState;
  /** When the change happened, epoch milliseconds. */
  at: number;
  /** Seconds connected, on the final event of a completed call. */
  talkSeconds?: number;
  /** On a `scheduled` event: when the call is to be dialled. */
  dialAt?: number;
  /** On the `scheduled` event of a redial: what it follows. */
  retry?: Redial;
}

/** The parts of an event a store does not make itself (it assigns the id). */
export type CallEventData = Omit<CallEvent, 'id'>;

/** How a call ends. */
export interface CallEnding {
  state: FinalCallState;
  at: number;
  talkSeconds?: number;
  report?: Record<string, unknown>;
}

/** The legs that identify a call when Mobtexting's report has no id. */
export interface CallLegs {
  bridge: string;
  from: string;
  to: string;
}

/** What a call id looks like (the relay makes them with `crypto.randomUUID()`). */
export const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The event a call's current record stands for. */
export function eventOf(call: CallRecord): CallEventData {
  const scheduled = call.state === 'scheduled';
  return {
    state: call.state,
    at: call.updatedAt,
    ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
    ...(scheduled && call.dialAt !== undefined && { dialAt: call.dialAt }),
    ...(scheduled && call.retry !== undefined && { retry: call.retry }),
  };
}

/**
 * When a call needs the relay's attention next, or `undefined` once it has ended: a
 * ringing call when its report is overdue; a scheduled one at its time (or when a refused
 * dial may be tried again), and while an instance dials it, when that instance's lease lapses.
 */
export function dueOf(call: CallRecord): number | undefined {
  if (call.state === 'initiated') return call.expiresAt;
  if (call.state !== 'scheduled') return undefined;
  return call.lease?.until ?? Math.max(call.dialAt ?? call.createdAt, call.notBefore ?? 0);
}
