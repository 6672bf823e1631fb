import { isFinalState } from '../../protocol/index.js';
import {
  toPublicCall,
  visitorNumber,
  type CallEnding,
  type CallEvent,
  type CallLegs,
  type CallRecord,
  type CallStore,
  type IdempotencyState,
  type LimitOutcome,
  type LimitRule,
  type StoredAnswer,
} from './types.js';
import { ExpiringMap, KeyQueue } from './expiring-map.js';
import { CallListeners } from './listeners.js';

/** Limits of the in-memory store. */
export interface MemoryStoreOptions {
  /** Most calls kept; the oldest go first. Default 100,000. */
  maxCalls?: number;
  /** How long a call is kept after it ends (or should have). Default 24 hours. */
  retentionMs?: number;
  /** Most unmatched reports kept for the operator. Default 1,000. */
  maxOrphanReports?: number;
  now?: () => number;
}

interface Entry {
  call: CallRecord;
  events: CallEvent[];
}

const legsKey = (legs: CallLegs) => `${legs.bridge}|${legs.from}|${legs.to}`;

/**
 * Call state in this process's memory: bounded and expiring, lost on restart. Right for
 * one relay process; several processes need a shared store.
 */
export class MemoryCallStore implements CallStore {
  readonly #calls = new Map<string, Entry>();
  /** Call ids in creation order, oldest first, for pruning (see ExpiringMap on why not the Map's order). */
  readonly #order = new KeyQueue();
  readonly #openByLegs = new Map<string, string[]>();
  readonly #listeners = new CallListeners();
  readonly #orphans: { at: number; report: Record<string, unknown> }[] = [];
  readonly #claimed: ExpiringMap<true>;
  readonly #claims = new Map<string, { callId: string; until: number }>();
  readonly #hits = new Map<string, number[]>();
  #longestWindowMs = 0;
  #hitsSinceSweep = 0;
  readonly #idempotency: ExpiringMap<{ fingerprint: string; answer?: StoredAnswer }>;
  readonly #maxCalls: number;
  readonly #retentionMs: number;
  readonly #maxOrphans: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxCalls = options.maxCalls ?? 100_000;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.#maxOrphans = options.maxOrphanReports ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#claimed = new ExpiringMap(this.#maxCalls);
    this.#idempotency = new ExpiringMap(this.#maxCalls);
  }

  async createCall(call: CallRecord): Promise<void> {
    this.#prune();
    const entry: Entry = { call: { ...call }, events: [] };
    this.#calls.set(call.callId, entry);
    this.#order.push(call.callId);
    if (!isFinalState(call.state)) {
      const key = legsKey(call);
      this.#openByLegs.set(key, [...(this.#openByLegs.get(key) ?? []), call.callId]);
    }
    this.#append(entry);
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
    const windows = rules.map((rule) => {
      this.#longestWindowMs = Math.max(this.#longestWindowMs, rule.windowMs);
      // Hits are kept oldest first: the ones that left the window are a prefix.
      const hits = this.#hits.get(rule.key) ?? [];
      let expired = 0;
      while (expired < hits.length && hits[expired]! <= now - rule.windowMs) expired++;
      if (expired > 0) hits.splice(0, expired);
      return { rule, hits };
    });
    for (const { rule, hits } of windows) {
      if (hits.length >= rule.limit)
        return { ok: false, key: rule.key, retryAfterMs: hits[hits.length - rule.limit]! + rule.windowMs - now };
    }
    for (const { rule, hits } of windows) {
      // A log never holds more hits than its limit: at the limit, hits are refused.
      if (hits.push(now) === 1) this.#hits.set(rule.key, hits);
    }
    this.#pruneHits(now);
    return { ok: true };
  }

  async beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState> {
    const now = this.#now();
    const entry = this.#idempotency.get(key, now);
    if (entry) {
      if (entry.fingerprint !== fingerprint) return { state: 'conflict' };
      return entry.answer ? { state: 'done', answer: entry.answer } : { state: 'pending' };
    }
    this.#idempotency.set(key, { fingerprint }, now + ttlMs, now);
    return { state: 'new' };
  }

  async completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const now = this.#now();
    const entry = this.#idempotency.get(key, now);
    if (entry) this.#idempotency.set(key, { ...entry, answer }, now + ttlMs, now);
  }

  async abandonIdempotent(key: string): Promise<void> {
    this.#idempotency.delete(key);
  }

  async discardCall(callId: string): Promise<void> {
    const entry = this.#calls.get(callId);
    if (!entry) return;
    this.#calls.delete(callId);
    this.#forgetOpen(entry.call);
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const entry = this.#calls.get(callId);
    return entry && { ...entry.call };
  }

  async finishCall(callId: string, ending: CallEnding): Promise<CallRecord | undefined> {
    const entry = this.#calls.get(callId);
    if (!entry || isFinalState(entry.call.state)) return undefined;
    entry.call = {
      ...entry.call,
      state: ending.state,
      updatedAt: ending.at,
      ...(ending.talkSeconds !== undefined && { talkSeconds: ending.talkSeconds }),
      ...(ending.report !== undefined && { report: ending.report }),
    };
    this.#forgetOpen(entry.call);
    await this.releaseNumber(visitorNumber(entry.call), callId);
    this.#append(entry);
    return { ...entry.call };
  }

  async findOpenCall(legs: CallLegs): Promise<CallRecord | undefined> {
    const ids = this.#openByLegs.get(legsKey(legs));
    const newest = ids?.[ids.length - 1];
    return newest === undefined ? undefined : this.getCall(newest);
  }

  async readEvents(callId: string, afterId?: string): Promise<CallEvent[]> {
    const events = this.#calls.get(callId)?.events ?? [];
    const after = afterId === undefined ? 0 : Number(afterId);
    return Number.isInteger(after) ? events.filter((e) => Number(e.id) > after) : [...events];
  }

  subscribe(callId: string, listener: (event: CallEvent) => void): () => void {
    return this.#listeners.add(callId, listener);
  }

  async overdueCalls(now: number, limit: number): Promise<string[]> {
    const due: string[] = [];
    for (const ids of this.#openByLegs.values()) {
      for (const id of ids) {
        const call = this.#calls.get(id)?.call;
        if (call && call.expiresAt <= now) due.push(id);
        if (due.length >= limit) return due;
      }
    }
    return due;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    if (this.#claimed.get(key, now)) return false;
    this.#claimed.set(key, true, now + ttlMs, now);
    return true;
  }

  async releaseOnce(key: string): Promise<void> {
    this.#claimed.delete(key);
  }

  async saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void> {
    this.#orphans.push({ at, report });
    if (this.#orphans.length > this.#maxOrphans) this.#orphans.shift();
  }

  /** How many event listeners are subscribed, across all calls (open streams). */
  listenerCount(): number {
    return this.#listeners.count;
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

  #append(entry: Entry): void {
    const event: CallEvent = { id: String(entry.events.length + 1), call: toPublicCall(entry.call) };
    entry.events.push(event);
    this.#listeners.emit(entry.call.callId, event);
  }

  #forgetOpen(call: CallRecord): void {
    const key = legsKey(call);
    const ids = this.#openByLegs.get(key)?.filter((id) => id !== call.callId);
    if (ids?.length) this.#openByLegs.set(key, ids);
    else this.#openByLegs.delete(key);
  }

  // Drops the keys whose last hit left the longest window, in one pass now and then (as
  // often as there are keys, so it costs O(1) a hit). Moving a key to the end of the Map
  // on every hit would keep them in order, but V8 makes repeated delete-and-set on a large
  // Map slower and slower.
  #pruneHits(now: number): void {
    if (++this.#hitsSinceSweep < Math.max(1024, this.#hits.size)) return;
    this.#hitsSinceSweep = 0;
    for (const [key, hits] of this.#hits) {
      if (hits[hits.length - 1]! <= now - this.#longestWindowMs) this.#hits.delete(key);
    }
  }

  // Calls are dropped oldest first once they are stale or the store is full.
  #prune(): void {
    const now = this.#now();
    for (let callId = this.#order.peek(); callId !== undefined; callId = this.#order.peek()) {
      const entry = this.#calls.get(callId);
      if (entry) {
        const ended = isFinalState(entry.call.state) ? entry.call.updatedAt : entry.call.expiresAt;
        if (this.#calls.size < this.#maxCalls && ended + this.#retentionMs > now) break;
        this.#calls.delete(callId);
        this.#forgetOpen(entry.call);
        void this.releaseNumber(visitorNumber(entry.call), callId);
      }
      this.#order.shift();
    }
  }
}
