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
  /** When a call still open is given up as `unknown`. */
  expiresAt: number;
  /** Seconds the second leg was connected, from the report. */
  talkSeconds?: number;
  /** Mobtexting's report as received: server-side only (it holds numbers and the recording URL). */
  report?: Record<string, unknown>;
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
  return {
    state: call.state,
    at: call.updatedAt,
    ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
  };
}
