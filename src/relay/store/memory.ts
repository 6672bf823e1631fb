import { isFinalState } from '../../protocol/index.js';
import { toPublicCall, type CallEnding, type CallEvent, type CallLegs, type CallRecord, type CallStore } from './types.js';

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
  readonly #openByLegs = new Map<string, string[]>();
  readonly #listeners = new Map<string, Set<(event: CallEvent) => void>>();
  readonly #orphans: { at: number; report: Record<string, unknown> }[] = [];
  readonly #reports = new Map<string, number>();
  readonly #maxCalls: number;
  readonly #retentionMs: number;
  readonly #maxOrphans: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxCalls = options.maxCalls ?? 100_000;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.#maxOrphans = options.maxOrphanReports ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  async createCall(call: CallRecord): Promise<void> {
    this.#prune();
    const entry: Entry = { call: { ...call }, events: [] };
    this.#calls.set(call.callId, entry);
    if (!isFinalState(call.state)) {
      const key = legsKey(call);
      this.#openByLegs.set(key, [...(this.#openByLegs.get(key) ?? []), call.callId]);
    }
    this.#append(entry);
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
    let listeners = this.#listeners.get(callId);
    if (!listeners) this.#listeners.set(callId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(callId);
    };
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

  async claimReport(fingerprint: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const until = this.#reports.get(fingerprint);
    if (until !== undefined && until > now) return false;
    this.#reports.delete(fingerprint);
    this.#reports.set(fingerprint, now + ttlMs);
    // Insertion order is expiry order for one TTL: drop the expired from the front.
    for (const [key, expiry] of this.#reports) {
      if (expiry > now && this.#reports.size <= this.#maxCalls) break;
      this.#reports.delete(key);
    }
    return true;
  }

  async releaseReport(fingerprint: string): Promise<void> {
    this.#reports.delete(fingerprint);
  }

  async saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void> {
    this.#orphans.push({ at, report });
    if (this.#orphans.length > this.#maxOrphans) this.#orphans.shift();
  }

  /** How many event listeners are subscribed, across all calls (open streams). */
  listenerCount(): number {
    let count = 0;
    for (const listeners of this.#listeners.values()) count += listeners.size;
    return count;
  }

  /** Reports that matched no call, newest last. */
  orphanReports(): readonly { at: number; report: Record<string, unknown> }[] {
    return this.#orphans;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  #append(entry: Entry): void {
    const event: CallEvent = { id: String(entry.events.length + 1), call: toPublicCall(entry.call) };
    entry.events.push(event);
    for (const listener of this.#listeners.get(entry.call.callId) ?? []) listener(event);
  }

  #forgetOpen(call: CallRecord): void {
    const key = legsKey(call);
    const ids = this.#openByLegs.get(key)?.filter((id) => id !== call.callId);
    if (ids?.length) this.#openByLegs.set(key, ids);
    else this.#openByLegs.delete(key);
  }

  // Calls are kept in creation order, so the stale ones are at the front.
  #prune(): void {
    const now = this.#now();
    for (const [callId, entry] of this.#calls) {
      const ended = isFinalState(entry.call.state) ? entry.call.updatedAt : entry.call.expiresAt;
      if (this.#calls.size < this.#maxCalls && ended + this.#retentionMs > now) break;
      this.#calls.delete(callId);
      this.#forgetOpen(entry.call);
    }
  }
}
