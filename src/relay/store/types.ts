import type { CallState, FinalCallState, PublicCall } from '../../protocol/index.js';

/** Everything the relay remembers about one call. Only {@link toPublicCall} leaves the server. */
export interface CallRecord {
  callId: string;
  state: CallState;
  target?: string;
  bridge: string;
  /** The leg rung first: digits with country code. */
  from: string;
  /** The second leg: digits with country code, or `flow:ID`. */
  to: string;
  /** Which leg is the visitor's. */
  visitorLeg: 'from' | 'to';
  /** The visitor's number, masked. */
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

/** A change of a call's state, as streamed to the browser. */
export interface CallEvent {
  /** Increases with every event of the call; the SSE `id:`. */
  id: string;
  call: PublicCall;
}

/** How a call ends. */
export interface CallEnding {
  state: FinalCallState;
  at: number;
  talkSeconds?: number;
  report?: Record<string, unknown>;
}

/** A rate limit on one key: at most `limit` hits per `windowMs`. */
export interface LimitRule {
  key: string;
  limit: number;
  windowMs: number;
}

/** The outcome of {@link CallStore.consumeLimits}. */
export type LimitOutcome = { ok: true } | { ok: false; key: string; retryAfterMs: number };

/** An answer kept for an idempotency key. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Where an idempotency key stands: `new` (this request owns it now), `pending` (another
 * request with it is in flight), `done` (here is the first answer), or `conflict` (it was
 * used with a different body).
 */
export type IdempotencyState =
  { state: 'new' } | { state: 'pending' } | { state: 'done'; answer: StoredAnswer } | { state: 'conflict' };

/** The legs that identify a call when Mobtexting's report has no id. */
export interface CallLegs {
  bridge: string;
  from: string;
  to: string;
}

/**
 * Where the relay keeps call state and events. The in-memory store is the default; a
 * shared store lets several relay instances serve the same calls.
 */
export interface CallStore {
  /** Saves a new call and its first event. */
  createCall(call: CallRecord): Promise<void>;
  /**
   * Claims a number for a call about to be placed, until `until` (epoch ms) or until the
   * call ends. Answers the id of the call already holding it, or `undefined` when the
   * claim succeeded.
   */
  claimNumber(number: string, callId: string, until: number): Promise<string | undefined>;
  /** Gives a number's claim up, if `callId` holds it. Ending a call does this too. */
  releaseNumber(number: string, callId: string): Promise<void>;
  /**
   * Counts one hit against every rule, all or none: when any rule is at its limit
   * (sliding window), nothing is counted and the first such rule is named.
   */
  consumeLimits(rules: LimitRule[], now: number): Promise<LimitOutcome>;
  /** Starts a request under an idempotency key; `fingerprint` identifies its body. */
  beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState>;
  /** Keeps the first answer for an idempotency key. */
  completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  /** Forgets an idempotency key whose request left nothing worth replaying. */
  abandonIdempotent(key: string): Promise<void>;
  getCall(callId: string): Promise<CallRecord | undefined>;
  /** Forgets a call that was recorded but never placed: the call, its events, its entries. */
  discardCall(callId: string): Promise<void>;
  /**
   * Moves an open call to its final state and appends the event, atomically, and gives up
   * its number's claim. Answers the updated call, or `undefined` when the call is unknown
   * or has already ended.
   */
  finishCall(callId: string, ending: CallEnding): Promise<CallRecord | undefined>;
  /** The newest call still open with exactly these legs. */
  findOpenCall(legs: CallLegs): Promise<CallRecord | undefined>;
  /** The call's events after `afterId` (all of them without it), oldest first. */
  readEvents(callId: string, afterId?: string): Promise<CallEvent[]>;
  /**
   * Calls `listener` with each event of the call appended from now on (a shared store may
   * also hand over earlier ones: listeners ignore ids they have seen); answers the
   * unsubscribe.
   */
  subscribe(callId: string, listener: (event: CallEvent) => void): () => void;
  /** Ids of open calls whose report is overdue (`expiresAt <= now`), at most `limit`. */
  overdueCalls(now: number, limit: number): Promise<string[]>;
  /**
   * Records that something happened that may happen only once (a webhook report handled,
   * a ticket used) for `ttlMs`; answers `false` when it already had.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so that something that failed half-way can happen again. */
  releaseOnce(key: string): Promise<void>;
  /** Keeps a report that matched no call, for the operator. */
  saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void>;
  /** Whether the store can be used right now (for the health route). */
  ping(): Promise<boolean>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/**
 * Thrown by a store that cannot be reached. The relay answers `503 store_unavailable`:
 * it never dials a call it could not follow or count against the limits.
 */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The call store cannot be reached.', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** The visitor's number of a call (digits with country code). */
export function visitorNumber(call: Pick<CallRecord, 'from' | 'to' | 'visitorLeg'>): string {
  return call[call.visitorLeg];
}

/** What a call id looks like (the relay makes them with `crypto.randomUUID()`). */
export const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The browser's view of a call: masked number, no report. */
export function toPublicCall(call: CallRecord): PublicCall {
  return {
    callId: call.callId,
    state: call.state,
    phone: call.phone,
    ...(call.target !== undefined && { target: call.target }),
    createdAt: new Date(call.createdAt).toISOString(),
    updatedAt: new Date(call.updatedAt).toISOString(),
    ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
  };
}
