import { eventOf, type CallEvent, type CallLegs, type CallRecord } from '../../calls/record.js';
import type {
  CallHistory,
  ConsoleSession,
  ConsoleSessions,
  HistoryBucket,
  HistoryChange,
  HistoryPage,
  HistoryQuery,
  HistoryRow,
  HistoryStatsQuery,
  RefusalBucket,
  RefusalTally,
  StatsQuery,
} from '../history.js';
import { CallListeners } from '../listeners.js';
import type {
  CallChange,
  CallStore,
  IdempotencyState,
  LimitOutcome,
  LimitRule,
  OnceKind,
  StoredAnswer,
  VerificationRecord,
  VerificationState,
} from '../roles.js';
import { DueQueue } from './due-queue.js';
import { ExpiringMap, KeyQueue } from './expiring-map.js';
import { MemoryHistory } from './memory-history.js';
import { slidingWindow, type SlidingWindow } from '../sliding-window.js';
import { SlotPlaces } from './slot-places.js';

/** Limits of the in-memory store. */
export interface MemoryStoreOptions {
  /** Most calls kept; the oldest go first. Default 100,000. */
  maxCalls?: number;
  /** How long a call is kept after it ends (or should have). Default 24 hours. */
  retentionMs?: number;
  /** Most unmatched reports kept for the operator. Default 1,000. */
  maxOrphanReports?: number;
  /**
   * Most history rows kept (the console's); the oldest go first. Default 10,000: a store
   * in memory is for tests and trying things out, and its history must not grow with load.
   */
  maxHistoryRows?: number;
  /**
   * Most rate-limit keys kept (numbers, addresses, prefixes…); past it the keys hit longest
   * ago of the kind it holds most of are forgotten (a flood from many addresses makes it
   * forget addresses, not a number's count or the global one), so memory stays bounded.
   * Default: `maxCalls`. A key is kept only once a request passed the limits it was
   * counted against. The SQLite and Redis stores keep every key for its window.
   */
  maxLimitKeys?: number;
  now?: () => number;
}

interface Entry {
  call: CallRecord;
  events: CallEvent[];
  /** When the call is due for the relay's attention; `undefined` once it ended. */
  dueAt: number | undefined;
}

const legsKey = (legs: CallLegs) => `${legs.bridge}|${legs.from}|${legs.to}`;

/**
 * Call state in this process's memory: bounded and expiring, lost on restart. Right for
 * one relay process; several processes need a shared store.
 */
export class MemoryCallStore implements CallStore, CallHistory, ConsoleSessions {
  readonly #calls = new Map<string, Entry>();
  /** Call ids in creation order, oldest first, for pruning (see ExpiringMap on why not the Map's order). */
  readonly #order = new KeyQueue();
  readonly #openByLegs = new Map<string, string[]>();
  readonly #due = new DueQueue((callId) => this.#calls.get(callId)?.dueAt);
  #openCount = 0;
  readonly #listeners = new CallListeners();
  readonly #orphans: { at: number; report: Record<string, unknown> }[] = [];
  readonly #once: Record<OnceKind, ExpiringMap<true>>;
  readonly #claims = new Map<string, { callId: string; until: number }>();
  readonly #hits = new Map<string, SlidingWindow>();
  #longestWindowMs = 0;
  #hitsSinceSweep = 0;
  readonly #idempotency: ExpiringMap<{ fingerprint: string; answer?: StoredAnswer }>;
  readonly #verifications: ExpiringMap<{ verification: VerificationRecord; attempts: number; used: boolean }>;
  /** Each number's current verification. */
  readonly #verifying: ExpiringMap<string>;
  readonly #slotPlaces: SlotPlaces;
  readonly #maxCalls: number;
  readonly #maxLimitKeys: number;
  readonly #retentionMs: number;
  readonly #maxOrphans: number;
  readonly #now: () => number;
  readonly #history: MemoryHistory;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxCalls = options.maxCalls ?? 100_000;
    this.#maxLimitKeys = options.maxLimitKeys ?? this.#maxCalls;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.#maxOrphans = options.maxOrphanReports ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#once = { ticket: new ExpiringMap(this.#maxCalls), report: new ExpiringMap(this.#maxCalls) };
    this.#idempotency = new ExpiringMap(this.#maxCalls);
    this.#history = new MemoryHistory({ maxRows: options.maxHistoryRows ?? 10_000, now: this.#now });
    this.#verifications = new ExpiringMap(this.#maxCalls);
    this.#verifying = new ExpiringMap(this.#maxCalls);
    this.#slotPlaces = new SlotPlaces(this.#now);
  }

  async createCall(call: CallRecord, dueAt: number): Promise<void> {
    this.#prune();
    const entry: Entry = { call: { ...call }, events: [], dueAt: undefined };
    this.#calls.set(call.callId, entry);
    this.#order.push(call.callId);
    this.#schedule(entry, dueAt);
    this.#append(entry, eventOf(call));
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const entry = this.#calls.get(callId);
    return entry && { ...entry.call };
  }

  async updateCall(change: CallChange): Promise<CallEvent | boolean> {
    const entry = this.#calls.get(change.call.callId);
    if (!entry || entry.call.version !== change.call.version - 1) return false;
    entry.call = { ...change.call };
    this.#schedule(entry, change.dueAt);
    if (change.release !== undefined) await this.releaseNumber(change.release, entry.call.callId);
    return change.event ? this.#append(entry, change.event) : true;
  }

  async discardCall(callId: string): Promise<void> {
    const entry = this.#calls.get(callId);
    if (!entry) return;
    this.#schedule(entry, undefined);
    this.#calls.delete(callId);
  }

  async findOpenCall(legs: CallLegs): Promise<CallRecord | undefined> {
    const ids = this.#openByLegs.get(legsKey(legs));
    const newest = ids?.[ids.length - 1];
    return newest === undefined ? undefined : this.getCall(newest);
  }

  async dueCalls(now: number, limit: number): Promise<string[]> {
    return this.#due.due(now, limit);
  }

  async readEvents(callId: string, afterId?: string): Promise<CallEvent[]> {
    const events = this.#calls.get(callId)?.events ?? [];
    const after = afterId === undefined ? 0 : Number(afterId);
    return Number.isInteger(after) ? events.filter((e) => Number(e.id) > after) : [...events];
  }

  subscribe(callId: string, listener: (event: CallEvent) => void): () => void {
    return this.#listeners.add(callId, listener);
  }

  async claimNumber(number: string, callId: string, until: number): Promise<string | undefined> {
    const held = this.#claims.get(number);
    if (held && held.until > this.#now() && held.callId !== callId) return held.callId;
    this.#claims.set(number, { callId, until });
    return undefined;
  }

  async releaseNumber(number: string, callId: string): Promise<void> {
    if (this.#claims.get(number)?.callId === callId) this.#claims.delete(number);
  }

  async consumeLimits(rules: LimitRule[], now: number): Promise<LimitOutcome> {
    // A key's window is kept only once it holds a hit: refused requests (a flood of new
    // numbers past the global limit, say) leave nothing behind.
    const kept = rules.map((rule) => this.#hits.get(rule.key));
    const windows = rules.map((rule, i) => kept[i] ?? slidingWindow(rule.limit, rule.windowMs));
    for (const [i, window] of windows.entries()) {
      const room = window.room(now);
      if (!room.ok) return { ok: false, key: rules[i]!.key, retryAfterMs: room.retryAfterMs };
    }
    for (const [i, window] of windows.entries()) {
      const rule = rules[i]!;
      window.add(now);
      if (!kept[i]) this.#hits.set(rule.key, window);
      this.#longestWindowMs = Math.max(this.#longestWindowMs, rule.windowMs);
    }
    this.#pruneHits(now);
    return { ok: true };
  }

  async refundLimits(rules: LimitRule[], at: number): Promise<void> {
    for (const rule of rules) this.#hits.get(rule.key)?.refund(at);
  }

  async beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState> {
    const now = this.#now();
    const entry = this.#idempotency.get(key, now);
    if (entry) {
      if (entry.fingerprint !== fingerprint) return { state: 'conflict' };
      return entry.answer ? { state: 'done', answer: entry.answer } : { state: 'pending' };
    }
    return this.#idempotency.add(key, { fingerprint }, now + ttlMs, now) ? { state: 'new' } : { state: 'full' };
  }

  async completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const now = this.#now();
    const entry = this.#idempotency.get(key, now);
    if (entry) this.#idempotency.set(key, { ...entry, answer }, now + ttlMs, now);
  }

  async abandonIdempotent(key: string): Promise<void> {
    this.#idempotency.delete(key);
  }

  async claimOnce(kind: OnceKind, key: string, ttlMs: number): Promise<boolean> {
    const claims = this.#once[kind];
    const now = this.#now();
    if (claims.get(key, now)) return false;
    return claims.add(key, true, now + ttlMs, now);
  }

  async releaseOnce(kind: OnceKind, key: string): Promise<void> {
    this.#once[kind].delete(key);
  }

  async saveVerification(verification: VerificationRecord, current: boolean): Promise<void> {
    const now = this.#now();
    const { verificationId, number, expiresAt } = verification;
    // Bounded like calls: past maxCalls the oldest go, and their codes stop working.
    this.#verifications.set(
      verificationId,
      { verification: { ...verification }, attempts: 0, used: false },
      expiresAt,
      now,
    );
    if (current) this.#verifying.set(number, verificationId, expiresAt, now);
  }

  async getVerification(verificationId: string): Promise<VerificationState | undefined> {
    const now = this.#now();
    const entry = this.#verifications.get(verificationId, now);
    if (!entry) return undefined;
    const current = this.#verifying.get(entry.verification.number, now) === verificationId;
    return { verification: { ...entry.verification }, attempts: entry.attempts, used: entry.used, current };
  }

  async countAttempt(verificationId: string): Promise<number | undefined> {
    const entry = this.#verifications.get(verificationId, this.#now());
    return entry && ++entry.attempts;
  }

  async markUsed(verificationId: string): Promise<boolean> {
    const entry = this.#verifications.get(verificationId, this.#now());
    if (!entry || entry.used) return false;
    entry.used = true;
    return true;
  }

  reserveSlot(slot: string, callId: string, capacity: number, until: number): Promise<boolean> {
    return this.#slotPlaces.reserveSlot(slot, callId, capacity, until);
  }

  releaseSlot(slot: string, callId: string): Promise<void> {
    return this.#slotPlaces.releaseSlot(slot, callId);
  }

  countSlots(slots: readonly string[]): Promise<number[]> {
    return this.#slotPlaces.countSlots(slots);
  }

  async saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void> {
    this.#orphans.push({ at, report });
    if (this.#orphans.length > this.#maxOrphans) this.#orphans.shift();
  }

  recordHistory(change: HistoryChange): Promise<void> {
    return this.#history.recordHistory(change);
  }

  getHistory(id: string): Promise<HistoryRow | undefined> {
    return this.#history.getHistory(id);
  }

  queryHistory(query: HistoryQuery): Promise<HistoryPage> {
    return this.#history.queryHistory(query);
  }

  historyStats(query: HistoryStatsQuery): Promise<HistoryBucket[]> {
    return this.#history.historyStats(query);
  }

  countRefusals(tallies: RefusalTally[]): Promise<void> {
    return this.#history.countRefusals(tallies);
  }

  refusalStats(query: StatsQuery): Promise<RefusalBucket[]> {
    return this.#history.refusalStats(query);
  }

  saveSession(id: string, session: ConsoleSession): Promise<void> {
    return this.#history.saveSession(id, session);
  }

  getSession(id: string): Promise<ConsoleSession | undefined> {
    return this.#history.getSession(id);
  }

  deleteSession(id: string): Promise<void> {
    return this.#history.deleteSession(id);
  }

  /** How many event listeners are subscribed, across all calls (open streams). */
  listenerCount(): number {
    return this.#listeners.count;
  }

  /** How many rate-limit keys hold hits (a number, an address, a prefix…). */
  limitKeyCount(): number {
    return this.#hits.size;
  }

  /** Reports that matched no call, newest last. */
  orphanReports(): readonly { at: number; report: Record<string, unknown> }[] {
    return this.#orphans;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  #append(entry: Entry, data: Omit<CallEvent, 'id'>): CallEvent {
    const event: CallEvent = { id: String(entry.events.length + 1), ...data };
    // A call's first event makes an array of one: pushed onto an empty one, V8 would make room for seventeen.
    if (entry.events.length === 0) entry.events = [event];
    else entry.events.push(event);
    this.#listeners.emit(entry.call.callId, event);
    return event;
  }

  /** Sets when a call is due (`undefined`: it ended), keeping the open-call indexes in step. */
  #schedule(entry: Entry, dueAt: number | undefined): void {
    const wasOpen = entry.dueAt !== undefined;
    entry.dueAt = dueAt;
    if (dueAt !== undefined) this.#due.push(entry.call.callId, dueAt);
    if (wasOpen === (dueAt !== undefined)) return;
    const key = legsKey(entry.call);
    const ids = this.#openByLegs.get(key);
    if (dueAt !== undefined) {
      if (ids) ids.push(entry.call.callId);
      else this.#openByLegs.set(key, [entry.call.callId]);
    } else if (ids) {
      const at = ids.indexOf(entry.call.callId);
      if (at >= 0) ids.splice(at, 1);
      if (ids.length === 0) this.#openByLegs.delete(key);
    }
    this.#openCount += dueAt === undefined ? -1 : 1;
    // Entries of calls that ended wait in the queue until their time: drop them in one go
    // once they are most of it, so memory follows the calls still open.
    if (this.#due.size > 2 * this.#openCount + 1024) this.#due.compact();
  }

  // Drops the keys whose last hit left the longest window, in one pass now and then (as
  // often as there are keys, so it costs O(1) a hit). Past maxLimitKeys it also drops, down
  // to nine tenths of it, the keys hit longest ago of the kind it holds most of (the part of
  // a key before its `:`): a flood from many addresses makes it forget addresses, never a
  // number's count or the global one. Moving a key to the end of the Map on every hit would
  // keep them in order, but V8 makes repeated delete-and-set on a large Map slower and slower.
  #pruneHits(now: number): void {
    const full = this.#hits.size > this.#maxLimitKeys;
    if (!full && ++this.#hitsSinceSweep < Math.max(1024, this.#hits.size)) return;
    this.#hitsSinceSweep = 0;
    for (const [key, window] of this.#hits) {
      if (window.last <= now - this.#longestWindowMs) this.#hits.delete(key);
    }
    if (this.#hits.size <= this.#maxLimitKeys) return;
    const kindOf = (key: string) => key.slice(0, key.indexOf(':'));
    const counts = new Map<string, number>();
    for (const key of this.#hits.keys()) {
      const of = kindOf(key);
      counts.set(of, (counts.get(of) ?? 0) + 1);
    }
    const [kind, count] = [...counts].reduce((most, entry) => (entry[1] > most[1] ? entry : most));
    const drop = Math.min(this.#hits.size - Math.floor(this.#maxLimitKeys * 0.9), count);
    const lasts = Float64Array.from(
      [...this.#hits].filter(([key]) => kindOf(key) === kind),
      ([, window]) => window.last,
    ).sort();
    const cutoff = lasts[drop - 1]!;
    for (const [key, window] of this.#hits) if (window.last <= cutoff && kindOf(key) === kind) this.#hits.delete(key);
  }

  // Calls are dropped oldest first once they are stale or the store is full; an open call
  // dropped for room gives up its number's claim.
  #prune(): void {
    const now = this.#now();
    for (let callId = this.#order.peek(); callId !== undefined; callId = this.#order.peek()) {
      const entry = this.#calls.get(callId);
      if (entry) {
        const ended = entry.dueAt === undefined ? entry.call.updatedAt : entry.call.expiresAt;
        if (this.#calls.size < this.#maxCalls && ended + this.#retentionMs > now) break;
        if (entry.dueAt !== undefined) void this.releaseNumber(entry.call.claimedNumber, callId);
        void this.discardCall(callId);
      }
      this.#order.shift();
    }
  }
}
