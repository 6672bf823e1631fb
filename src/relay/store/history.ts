import { isFinalState, type CallState } from '../../protocol/index.js';

/**
 * The history of calls, bookings and verifications: one row each, kept `MT_HISTORY_DAYS`
 * days, for the operator's console and its charts. A row holds the masked number only,
 * never a full one; the recording URL and the report's raw status fields are kept here
 * and shown only to a signed-in operator.
 */

/** What a row is about. */
export type HistoryKind = 'call' | 'booking' | 'verification';

/** Where the request came from: a page, a CRM's signed ticket, a redial, a booked slot. */
export type HistorySource = 'page' | 'ticket' | 'retry' | 'booking';

/** A row's state: a call state, or `refused` (the relay or Mobtexting would not place it). */
export type HistoryState = CallState | 'refused';

export const HISTORY_KINDS: readonly HistoryKind[] = ['call', 'booking', 'verification'];
export const HISTORY_SOURCES: readonly HistorySource[] = ['page', 'ticket', 'retry', 'booking'];

/** Whether a row's state can change no more (a call's final state, or `refused`). */
export function isFinalHistoryState(state: string): boolean {
  return state === 'refused' || isFinalState(state);
}

/** One step of a row's timeline: the state it reached, and when. */
export interface HistoryStep {
  state: HistoryState;
  at: number;
}

/** A row of the history, as the console reads it. Times are epoch milliseconds. */
export interface HistoryRow {
  /** The call's id (or the verification's). */
  id: string;
  kind: HistoryKind;
  source: HistorySource;
  target?: string;
  /** The visitor's number, masked (or a ticket's label). */
  phone: string;
  /** The `Origin` of the page that asked, when a page did. */
  origin?: string;
  state: HistoryState;
  requestedAt: number;
  /** A booking's slot: when it is to be dialled. */
  scheduledFor?: number;
  /** When Mobtexting accepted the call. */
  dialledAt?: number;
  /** When Mobtexting's report arrived. */
  reportedAt?: number;
  /** When the row reached its final state. */
  endedAt?: number;
  talkSeconds?: number;
  /** The report's status fields as received (`status`, `status1`, `status2`, `hangup_by`…). */
  statuses?: Record<string, string>;
  /** Only here and only for the operator: never on a public route. */
  recordingUrl?: string;
  /** Why it was refused: an error code, with its scope where it has one (`rate_limited:number`). */
  refusal?: string;
  /** Each state the row reached, oldest first. */
  steps: HistoryStep[];
  /** When the row may be forgotten. */
  keepUntil: number;
}

/**
 * A write to a row: the row as far as the writer knows it. The first write of an id makes
 * the row; later ones merge into it (see {@link CallHistory.recordHistory}).
 */
export interface HistoryChange {
  id: string;
  kind: HistoryKind;
  phone: string;
  requestedAt: number;
  state: HistoryState;
  keepUntil: number;
  /** Default `page` when the row is made without it. */
  source?: HistorySource;
  target?: string;
  origin?: string;
  scheduledFor?: number;
  dialledAt?: number;
  reportedAt?: number;
  endedAt?: number;
  talkSeconds?: number;
  statuses?: Record<string, string>;
  recordingUrl?: string;
  refusal?: string;
  /** A step to add to the timeline. */
  step?: HistoryStep;
}

/** Which rows a query is about; every field narrows it. Times bound `requestedAt`, `[from, to)`. */
export interface HistoryFilter {
  from?: number;
  to?: number;
  target?: string;
  state?: HistoryState;
  source?: HistorySource;
  kind?: HistoryKind;
}

/** Where a page of rows continues: the last row's `requestedAt` and `id`. */
export interface HistoryCursor {
  at: number;
  id: string;
}

/** A page of rows, newest first. */
export interface HistoryQuery extends HistoryFilter {
  /** Rows after this one in the order (older, or as old with a smaller id). */
  after?: HistoryCursor;
  /** At most this many rows (1 to 1,000). */
  limit: number;
}

export interface HistoryPage {
  rows: HistoryRow[];
  /** Where the next page starts; absent when this one is the last. */
  next?: HistoryCursor;
}

/**
 * Buckets of a chart: `[from, to)` cut into `bucketMs` steps, each starting at a multiple
 * of `bucketMs` shifted by `offsetMs`.
 */
export interface StatsQuery {
  from: number;
  to: number;
  /** A whole number of quarter hours (a quarter, an hour, a day…). */
  bucketMs: number;
  /** The time zone's offset from UTC, a whole number of quarter hours: days start at local midnight. */
  offsetMs: number;
}

/** A chart's query of rows, which may be narrowed like the table. */
export interface HistoryStatsQuery extends StatsQuery {
  target?: string;
  source?: HistorySource;
  kind?: HistoryKind;
}

/** Rows requested in one bucket that are now in one state. */
export interface HistoryBucket {
  /** The bucket's start, epoch ms. */
  at: number;
  state: HistoryState;
  count: number;
  /** Of those rows, how many have a report, and the sum of their times from request to report. */
  reportCount: number;
  reportMsSum: number;
}

/** Requests refused for one reason, counted without a row each (a flood must not fill the store). */
export interface RefusalTally {
  /** An error code, with its scope where it has one (`rate_limited:address`, `number_not_allowed:premium-rate`). */
  reason: string;
  at: number;
  count: number;
  keepUntil: number;
}

/** Refusals of one reason in one bucket. */
export interface RefusalBucket {
  at: number;
  reason: string;
  count: number;
}

/** The length of the buckets stores count in: every time zone's offset is a whole number of them. */
export const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The history role of a store. Rows merge: a change never loses what an earlier one said,
 * whichever instance writes first.
 */
export interface CallHistory {
  /**
   * Makes the row of `change.id`, or merges the change into it: each field given replaces
   * the stored one, except that `kind`, `phone` and `requestedAt` stay as first written, a
   * final state is never replaced by an open one, `keepUntil` only grows, and `step` is
   * added to the timeline (once: a step with the same state and time is not added again),
   * which stays ordered by time. Atomic per row.
   */
  recordHistory(change: HistoryChange): Promise<void>;
  /** One row, unless it is unknown or past its `keepUntil`. */
  getHistory(id: string): Promise<HistoryRow | undefined>;
  /**
   * Rows matching the filter, newest `requestedAt` first (then largest id), from `after`
   * on. Never a row past its `keepUntil`.
   */
  queryHistory(query: HistoryQuery): Promise<HistoryPage>;
  /** Rows by bucket of `requestedAt` and by their state now, with their times to report. */
  historyStats(query: HistoryStatsQuery): Promise<HistoryBucket[]>;
  /** Adds to the counts of refusals, by reason and quarter hour. */
  countRefusals(tallies: RefusalTally[]): Promise<void>;
  /** Refusals by bucket and reason. */
  refusalStats(query: StatsQuery): Promise<RefusalBucket[]>;
}

/** Whether a store keeps history (the built-in ones do; one written for an older version may not). */
export function keepsHistory(store: object): store is CallHistory {
  return typeof (store as Partial<CallHistory>).recordHistory === 'function';
}

/** A signed-in operator's session, as kept (under the hash of its cookie's value). */
export interface ConsoleSession {
  /** The token state-changing requests must send back in a header. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** The console's sessions: shared by every instance, so a request may land on any of them. */
export interface ConsoleSessions {
  saveSession(id: string, session: ConsoleSession): Promise<void>;
  /** The session, unless it is unknown, deleted or past its `expiresAt`. */
  getSession(id: string): Promise<ConsoleSession | undefined>;
  deleteSession(id: string): Promise<void>;
}

/** Whether a store keeps console sessions. */
export function keepsSessions(store: object): store is ConsoleSessions {
  return typeof (store as Partial<ConsoleSessions>).saveSession === 'function';
}

/** The bucket a time falls in (see {@link StatsQuery}). */
export function bucketOf(at: number, bucketMs: number, offsetMs: number): number {
  return Math.floor((at + offsetMs) / bucketMs) * bucketMs - offsetMs;
}

/**
 * Merges a change into a row (or makes the row): the rule {@link CallHistory.recordHistory}
 * states, for stores that merge in their own code.
 */
export function mergeHistory(row: HistoryRow | undefined, change: HistoryChange): HistoryRow {
  const merged = (row ? { ...row } : { source: 'page', steps: [] }) as HistoryRow & Record<string, unknown>;
  for (const key in change) {
    const value = change[key as keyof HistoryChange];
    if (value !== undefined && key !== 'step') merged[key] = value;
  }
  if (row) {
    merged.kind = row.kind;
    merged.phone = row.phone;
    merged.requestedAt = row.requestedAt;
    if (isFinalHistoryState(row.state) && !isFinalHistoryState(change.state)) merged.state = row.state;
    merged.keepUntil = Math.max(row.keepUntil, change.keepUntil);
  }
  const { step } = change;
  if (step && !merged.steps.some((s) => s.state === step.state && s.at === step.at)) {
    merged.steps = [...merged.steps, step].sort((a, b) => a.at - b.at);
  }
  return merged;
}
