import type { CallEvent, CallEventData, CallLegs, CallRecord } from '../calls/record.js';

/**
 * What a store keeps, one role per concern: each part of the relay asks only for the
 * roles it uses. Stores persist, atomically, what the relay decided; the rules (which
 * state may follow which, who may release a claim) live in the relay, not in the stores.
 * One class may implement every role; {@link CallStore} is all of them together.
 */

/** A change to a call, decided by the call lifecycle, for a store to apply atomically. */
export interface CallChange {
  /** The record after the change; its `version` is one more than the stored one's. */
  call: CallRecord;
  /** The event this change appends, if it changes the state. */
  event?: CallEventData;
  /**
   * When the call needs the relay's attention next (its report is overdue; a scheduled
   * call's time, or its dialling instance's lease lapsing: see `dueOf`), or `undefined`
   * once it has ended. Open calls, scheduled ones included, are also found by their legs.
   */
  dueAt: number | undefined;
  /** A number claim this call held and gives up with the change. */
  release?: string;
}

/**
 * Calls and their events. A store keeps every field of a record and of an event as it was
 * given (a scheduled call's `dialAt`, `lease`, `variables`, `retry`…, and fields added
 * later): it reads none of them but `callId`, `version`, the legs and the times it is told.
 */
export interface CallRecords {
  /**
   * Saves a new call (`initiated`, or `scheduled`: a booked callback), its first event
   * (`eventOf(call)`) and its due time.
   */
  createCall(call: CallRecord, dueAt: number): Promise<void>;
  getCall(callId: string): Promise<CallRecord | undefined>;
  /**
   * Applies a change if the stored record is still at `change.call.version - 1`; answers
   * the appended event (or `true` for a change without one), or `false` when another
   * change came first or the call is gone.
   */
  updateCall(change: CallChange): Promise<CallEvent | boolean>;
  /** Forgets a call that was recorded but never placed: the call, its events, its entries. */
  discardCall(callId: string): Promise<void>;
  /** The newest open call with exactly these legs. */
  findOpenCall(legs: CallLegs): Promise<CallRecord | undefined>;
  /**
   * Ids of open calls due by `now`, at most `limit`, earliest first: overdue calls and
   * scheduled calls whose time came. Several instances may be handed the same ids; the
   * version check of `updateCall` lets one of them, only, move each call on.
   */
  dueCalls(now: number, limit: number): Promise<string[]>;
}

/** The events of calls, replayed and followed by event streams. */
export interface CallEvents {
  /** The call's events after `afterId` (all of them without it), oldest first. */
  readEvents(callId: string, afterId?: string): Promise<CallEvent[]>;
  /**
   * Calls `listener` with each event of the call appended from now on (a shared store may
   * also hand over earlier ones: listeners ignore ids they have seen); answers the
   * unsubscribe.
   */
  subscribe(callId: string, listener: (event: CallEvent) => void): () => void;
}

/** One open call per number. */
export interface NumberClaims {
  /**
   * Claims a number for a call about to be placed, until `until` (epoch ms). Answers the
   * id of the call already holding it, or `undefined` when the claim succeeded.
   */
  claimNumber(number: string, callId: string, until: number): Promise<string | undefined>;
  /** Gives a number's claim up if `callId` holds it, and only then. */
  releaseNumber(number: string, callId: string): Promise<void>;
}

/** A rate limit on one key: at most `limit` hits per `windowMs`. */
export interface LimitRule {
  key: string;
  limit: number;
  windowMs: number;
}

/** The outcome of {@link RateLimitCounters.consumeLimits}. */
export type LimitOutcome = { ok: true } | { ok: false; key: string; retryAfterMs: number };

/** Rate-limit counters. */
export interface RateLimitCounters {
  /**
   * Counts one hit against every rule, all or none: when any rule is at its limit
   * (sliding window), nothing is counted and the first such rule is named.
   */
  consumeLimits(rules: LimitRule[], now: number): Promise<LimitOutcome>;
  /** Takes back one hit counted at `at` against each rule (a request that turned out exempt). */
  refundLimits(rules: LimitRule[], at: number): Promise<void>;
}

/** An answer kept for an idempotency key. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Where an idempotency key stands: `new` (this request owns it now), `pending` (another
 * request with it is in flight), `done` (here is the first answer), `conflict` (it was used
 * with a different body), or `full` (the store cannot keep another key without forgetting
 * one that has not expired, which it never does).
 */
export type IdempotencyState =
  | { state: 'new' }
  | { state: 'pending' }
  | { state: 'done'; answer: StoredAnswer }
  | { state: 'conflict' }
  | { state: 'full' };

/** Answers kept for `Idempotency-Key`s. */
export interface IdempotencyKeys {
  /** Starts a request under an idempotency key; `fingerprint` identifies its body. */
  beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState>;
  /** Keeps the first answer for an idempotency key. */
  completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  /** Forgets an idempotency key whose request left nothing worth replaying. */
  abandonIdempotent(key: string): Promise<void>;
}

/**
 * What may happen only once: a ticket used, a webhook report handled. Each kind is kept
 * apart, so that one kind can never push another out (someone holding the webhook
 * secret must not be able to make a used ticket usable again).
 */
export type OnceKind = 'ticket' | 'report';

/** Things that may happen only once. */
export interface OnceClaims {
  /**
   * Records that something happened, for `ttlMs`; answers `false` when it already had. A
   * store that cannot keep one more claim refuses it (answers `false`) rather than forget
   * a claim that has not expired.
   */
  claimOnce(kind: OnceKind, key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so that something that failed half-way can happen again. */
  releaseOnce(kind: OnceKind, key: string): Promise<void>;
}

/**
 * Places in callback slots: a slot (`target|epoch ms`) takes at most its capacity of
 * bookings, counted exactly however many relay instances book at once. A place is held by
 * one call, lapses by itself at its `until` (judged by the relay's clock, as claims are),
 * and is given back when the booking is withdrawn or missed.
 */
export interface SlotReservations {
  /**
   * Takes a place in `slot` for `callId`, if fewer than `capacity` unlapsed places are
   * held there, until `until` (epoch ms). Answers whether `callId` holds a place now: a
   * call that holds one already keeps it (and is answered `true`) without taking another.
   */
  reserveSlot(slot: string, callId: string, capacity: number, until: number): Promise<boolean>;
  /** Gives up the place `callId` holds in `slot`; nothing when it holds none. */
  releaseSlot(slot: string, callId: string): Promise<void>;
  /** How many unlapsed places are held in each slot, in the order asked. */
  countSlots(slots: readonly string[]): Promise<number[]>;
}

/** Reports that matched no call, kept for the operator. */
export interface OrphanReports {
  saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void>;
}

/**
 * A number's verification by a spoken code, as kept: never the code itself, only its
 * hash. A store keeps it as it is given and does not read it, but for `number` and
 * `expiresAt`.
 */
export interface VerificationRecord {
  verificationId: string;
  /** The number being verified: digits with country code. */
  number: string;
  /** The verify target whose flow speaks the code. */
  target: string;
  /** The number as the browser may see it: masked. */
  phone: string;
  /** HMAC of `verificationId:code` with a key of the relay's (hex): the code is never kept. */
  codeHash: string;
  /** The call that speaks the code; absent when none could be placed (the number was on a call). */
  callId?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** When its code stops working: a store keeps it at least until then, and may forget it after. */
  expiresAt: number;
}

/** A verification and how far it went. */
export interface VerificationState {
  verification: VerificationRecord;
  /** Codes tried so far, counted by {@link Verifications.countAttempt}. */
  attempts: number;
  /** Whether a right code was used (by {@link Verifications.markUsed}). */
  used: boolean;
  /**
   * Whether it is its number's current verification: the last one saved as current for
   * that number. A later one replaces it, and then its codes no longer count.
   */
  current: boolean;
}

/**
 * Verifications of numbers: each kept until it expires, with a count of codes tried, a
 * used mark, and for each number the current one. Every change is atomic, so that two
 * instances checking codes at once never both use a verification nor miss an attempt.
 */
export interface Verifications {
  /**
   * Saves a new verification (attempts 0, not used), kept at least until its
   * `expiresAt`. When `current` is true it becomes its number's current verification,
   * replacing any other; otherwise the number's current one stays as it is.
   */
  saveVerification(verification: VerificationRecord, current: boolean): Promise<void>;
  /** A verification and its state, or `undefined` when there is none (or it was forgotten). */
  getVerification(verificationId: string): Promise<VerificationState | undefined>;
  /**
   * Counts one more code tried, atomically; answers the count with this one (1 for the
   * first), or `undefined` when there is no such verification.
   */
  countAttempt(verificationId: string): Promise<number | undefined>;
  /**
   * Marks a verification used, atomically: `true` for the first caller only; `false`
   * when it was used already or there is no such verification.
   */
  markUsed(verificationId: string): Promise<boolean>;
}

/** A store's own upkeep. */
export interface StoreHealth {
  /** Whether the store can be used right now (for the health route). */
  ping(): Promise<boolean>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/**
 * Everything the relay keeps: what `createRelay({ store })` takes. The in-memory store is
 * the default; a shared store lets several relay instances serve the same calls.
 */
export type CallStore = CallRecords &
  CallEvents &
  NumberClaims &
  RateLimitCounters &
  IdempotencyKeys &
  OnceClaims &
  SlotReservations &
  OrphanReports &
  Verifications &
  StoreHealth;
