import { eventOf, type CallEvent, type CallEventData, type CallLegs, type CallRecord } from '../../calls/record.js';
import type { Logger } from '../../log.js';
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
import { BUCKETS, bucketWidth, EXACT_UP_TO } from '../sliding-window.js';
import { StoreUnavailableError } from '../unavailable.js';
import type { SqlDriver } from './driver.js';
import { SqliteHistory } from './history.js';
import { prepareStatements, type Statements } from './statements.js';

/** Options of a {@link SqliteCallStore}, whichever database it runs on. */
export interface SqlStoreOptions {
  /** How long calls and their events are kept after they end (or should have). Default 24 hours. */
  retentionMs?: number;
  /** Where the store says it became unusable, and usable again. */
  logger?: Logger;
  /** The relay's clock, in epoch milliseconds: expiries are judged by it. */
  now?: () => number;
  /**
   * How often expired rows are pruned besides the pruning each write does. Default a
   * minute; `0`: never by itself (a host that calls `prune()` on a schedule of its own,
   * such as a Durable Object's alarm).
   */
  pruneIntervalMs?: number;
}

/** Rows of a kind that each write removes once they expired: more than it adds, so tables never fall behind. */
const PRUNE_PER_WRITE = 8;
/** Rows of each kind the periodic pruning removes at most in one go, so no pass holds the thread long. */
const PRUNE_PER_PASS = 1000;
/** Unmatched reports kept for the operator. */
const MAX_ORPHANS = 1000;

/**
 * Call state in one SQLite database: calls, their events, number claims, rate-limit hits,
 * idempotency keys and once-only claims, all with the same expiry as the other stores,
 * and all surviving a restart (even `kill -9`) once acknowledged. Every change that
 * touches several rows is one transaction. The database belongs to one relay process (or
 * one Durable Object), whose own listeners are told of new events. It runs over a
 * {@link SqlDriver}: a file through better-sqlite3 on Node (`createSqliteStore`), or a
 * Durable Object's storage on Workers (`mt-click-to-call/relay/workers`).
 *
 * Expired rows are pruned as the store goes: each write removes a few expired rows of
 * the tables it adds to, and a timer removes the rest now and then, in bounded batches.
 *
 * When the file cannot be used (locked past the busy timeout, a failing disk) every
 * method throws {@link StoreUnavailableError}, and the relay answers 503.
 */
export class SqliteCallStore implements CallStore, CallHistory, ConsoleSessions {
  readonly #db: SqlDriver;
  readonly #sql: Statements;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #listeners = new CallListeners();
  readonly #pruner: ReturnType<typeof setInterval> | undefined;
  readonly #history: SqliteHistory;
  #down = false;

  /** A store on a database whose schema is up to date (see `migrate`). */
  constructor(db: SqlDriver, options: SqlStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger ?? (() => {});
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#history = new SqliteHistory(db, {
      read: (work) => this.#read(work),
      write: (work) => this.#write(work),
      now: this.#now,
    });
    const pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    if (pruneIntervalMs > 0) {
      this.#pruner = setInterval(() => {
        try {
          this.prune();
        } catch {
          // Unusable right now (already logged): the next pass tries again.
        }
      }, pruneIntervalMs);
      (this.#pruner as { unref?: () => void }).unref?.();
    }
  }

  async createCall(call: CallRecord, dueAt: number): Promise<void> {
    const event = this.#write(() => {
      this.#sql.insertCall.run(this.#row(call, dueAt));
      const first = this.#appendEvent(call.callId, eventOf(call));
      this.#pruneCalls(this.#now(), PRUNE_PER_WRITE);
      return first;
    });
    this.#listeners.emit(call.callId, event);
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const record = this.#read(() => this.#sql.getCall.get(callId));
    return record === undefined ? undefined : (JSON.parse(record) as CallRecord);
  }

  async updateCall(change: CallChange): Promise<CallEvent | boolean> {
    const { call, event, dueAt, release } = change;
    const applied = this.#write(() => {
      const { callId, version, record, dueAt: due, keepUntil } = this.#row(call, dueAt);
      if (this.#sql.updateCall.run({ callId, version, record, dueAt: due, keepUntil }).changes === 0) return false;
      if (release !== undefined) this.#sql.releaseNumber.run(release, callId);
      return event ? this.#appendEvent(callId, event) : true;
    });
    if (typeof applied === 'object') this.#listeners.emit(call.callId, applied);
    return applied;
  }

  async discardCall(callId: string): Promise<void> {
    this.#write(() => this.#deleteCall(callId));
  }

  async findOpenCall(legs: CallLegs): Promise<CallRecord | undefined> {
    const record = this.#read(() => this.#sql.findOpenCall.get(legs.bridge, legs.from, legs.to));
    return record === undefined ? undefined : (JSON.parse(record) as CallRecord);
  }

  async dueCalls(now: number, limit: number): Promise<string[]> {
    return this.#read(() => this.#sql.dueCalls.all(now, limit));
  }

  async readEvents(callId: string, afterId?: string): Promise<CallEvent[]> {
    const after = afterId === undefined ? 0 : Number(afterId);
    const rows = this.#read(() => this.#sql.readEvents.all(callId, Number.isInteger(after) ? after : 0));
    return rows.map((row) => ({ id: String(row.seq), ...(JSON.parse(row.data) as CallEventData) }));
  }

  subscribe(callId: string, listener: (event: CallEvent) => void): () => void {
    return this.#listeners.add(callId, listener);
  }

  async claimNumber(number: string, callId: string, until: number): Promise<string | undefined> {
    return this.#write(() => {
      const now = this.#now();
      this.#sql.pruneNumberClaims.run(now, PRUNE_PER_WRITE);
      if (this.#sql.claimNumber.run({ number, callId, until, now }).changes > 0) return undefined;
      return this.#sql.numberHolder.get(number);
    });
  }

  async releaseNumber(number: string, callId: string): Promise<void> {
    this.#write(() => this.#sql.releaseNumber.run(number, callId));
  }

  async consumeLimits(rules: LimitRule[], now: number): Promise<LimitOutcome> {
    return this.#write((): LimitOutcome => {
      for (const rule of rules) {
        const room = rule.limit > EXACT_UP_TO ? this.#bucketRoom(rule, now) : this.#exactRoom(rule, now);
        if (room !== undefined) return { ok: false, key: rule.key, retryAfterMs: room };
      }
      for (const rule of rules) {
        if (rule.limit > EXACT_UP_TO) {
          const width = bucketWidth(rule.windowMs);
          this.#sql.addBucketHit.run(rule.key, Math.floor(now / width), now + BUCKETS * width);
        } else this.#sql.insertHit.run(rule.key, now, now + rule.windowMs);
      }
      this.#sql.pruneHits.run(now, Math.max(PRUNE_PER_WRITE, 2 * rules.length));
      this.#sql.pruneBuckets.run(now, PRUNE_PER_WRITE);
      return { ok: true };
    });
  }

  async refundLimits(rules: LimitRule[], at: number): Promise<void> {
    this.#write(() => {
      for (const rule of rules) {
        if (rule.limit > EXACT_UP_TO)
          this.#sql.refundBucketHit.run(rule.key, Math.floor(at / bucketWidth(rule.windowMs)));
        else this.#sql.refundHit.run(rule.key, at);
      }
    });
  }

  /**
   * A small limit, counted hit by hit (at most `limit` rows in its window): `undefined`
   * when one more fits, else the milliseconds until it does.
   */
  #exactRoom(rule: LimitRule, now: number): number | undefined {
    const since = now - rule.windowMs;
    const hits = this.#sql.countHits.get(rule.key, since)!;
    if (hits < rule.limit) return undefined;
    return this.#sql.hitAt.get(rule.key, since, hits - rule.limit)! + rule.windowMs - now;
  }

  /**
   * A large limit, counted per bucket of a sixtieth of its window (at most sixty rows), as
   * the memory store does: a bucket partly out of the window still counts whole, so the
   * limit is never exceeded.
   */
  #bucketRoom(rule: LimitRule, now: number): number | undefined {
    const width = bucketWidth(rule.windowMs);
    const oldest = Math.floor(now / width) - BUCKETS + 1;
    const buckets = this.#sql.bucketHits.all(rule.key, oldest);
    let left = buckets.reduce((sum, b) => sum + b.hits, 0);
    if (left < rule.limit) return undefined;
    for (const { bucket, hits } of buckets) {
      left -= hits;
      if (left < rule.limit) return (bucket + BUCKETS) * width - now;
    }
    return BUCKETS * width;
  }

  async reserveSlot(slot: string, callId: string, capacity: number, until: number): Promise<boolean> {
    const now = this.#now();
    return this.#write(() => {
      this.#sql.dropLapsedPlaces.run(slot, now);
      if (this.#sql.holdsPlace.get(slot, callId) !== undefined) return true;
      if (this.#sql.placesHeld.get(slot, now)! >= capacity) return false;
      this.#sql.takePlace.run(slot, callId, until);
      this.#sql.prunePlaces.run(now, PRUNE_PER_WRITE);
      return true;
    });
  }

  async releaseSlot(slot: string, callId: string): Promise<void> {
    this.#write(() => this.#sql.releasePlace.run(slot, callId));
  }

  async countSlots(slots: readonly string[]): Promise<number[]> {
    const now = this.#now();
    return this.#read(() => slots.map((slot) => this.#sql.placesHeld.get(slot, now)!));
  }

  async saveVerification(verification: VerificationRecord, current: boolean): Promise<void> {
    const { verificationId: id, number, expiresAt: until } = verification;
    this.#write(() => {
      this.#sql.insertVerification.run({ id, number, record: JSON.stringify(verification), until });
      if (current) this.#sql.makeCurrent.run({ id, number, until });
      const now = this.#now();
      this.#sql.pruneVerifications.run(now, PRUNE_PER_WRITE);
      this.#sql.pruneCurrentVerifications.run(now, PRUNE_PER_WRITE);
    });
  }

  async getVerification(verificationId: string): Promise<VerificationState | undefined> {
    const row = this.#read(() => this.#sql.getVerification.get(verificationId));
    if (!row) return undefined;
    return {
      verification: JSON.parse(row.record) as VerificationRecord,
      attempts: row.attempts,
      used: row.used === 1,
      current: row.current === verificationId,
    };
  }

  async countAttempt(verificationId: string): Promise<number | undefined> {
    return this.#write(() => this.#sql.countAttempt.get(verificationId));
  }

  async markUsed(verificationId: string): Promise<boolean> {
    return this.#write(() => this.#sql.markUsed.run(verificationId).changes === 1);
  }

  async beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState> {
    return this.#write((): IdempotencyState => {
      const now = this.#now();
      const entry = this.#sql.getIdempotent.get(key, now);
      if (entry) {
        if (entry.fingerprint !== fingerprint) return { state: 'conflict' };
        return entry.answer === null
          ? { state: 'pending' }
          : { state: 'done', answer: JSON.parse(entry.answer) as StoredAnswer };
      }
      this.#sql.pruneIdempotent.run(now, PRUNE_PER_WRITE);
      this.#sql.beginIdempotent.run(key, fingerprint, now + ttlMs);
      return { state: 'new' };
    });
  }

  async completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const now = this.#now();
    this.#write(() => this.#sql.completeIdempotent.run(JSON.stringify(answer), now + ttlMs, key, now));
  }

  async abandonIdempotent(key: string): Promise<void> {
    this.#write(() => this.#sql.deleteIdempotent.run(key));
  }

  async claimOnce(kind: OnceKind, key: string, ttlMs: number): Promise<boolean> {
    return this.#write(() => {
      const now = this.#now();
      this.#sql.pruneOnce.run(now, PRUNE_PER_WRITE);
      return this.#sql.claimOnce.run({ kind, key, until: now + ttlMs, now }).changes > 0;
    });
  }

  async releaseOnce(kind: OnceKind, key: string): Promise<void> {
    this.#write(() => this.#sql.releaseOnce.run(kind, key));
  }

  async saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void> {
    this.#write(() => {
      const { lastInsertRowid } = this.#sql.insertOrphan.run(at, JSON.stringify(report));
      this.#sql.trimOrphans.run(Number(lastInsertRowid) - MAX_ORPHANS);
    });
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

  /** Reports that matched no call, newest last (the last 1,000). */
  orphanReports(): { at: number; report: Record<string, unknown> }[] {
    return this.#read(() => this.#sql.orphans.all()).map((row) => ({
      at: row.at,
      report: JSON.parse(row.report) as Record<string, unknown>,
    }));
  }

  /** How many event listeners are subscribed, across all calls (open streams). */
  listenerCount(): number {
    return this.#listeners.count;
  }

  /**
   * Removes expired rows of every kind, at most 1,000 of each; answers how many it
   * removed. The store runs it by itself now and then; each write also prunes a little.
   */
  prune(): number {
    const now = this.#now();
    return this.#write(
      () =>
        this.#pruneCalls(now, PRUNE_PER_PASS) +
        this.#sql.pruneNumberClaims.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneHits.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneBuckets.run(now, PRUNE_PER_PASS).changes +
        this.#sql.prunePlaces.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneVerifications.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneCurrentVerifications.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneIdempotent.run(now, PRUNE_PER_PASS).changes +
        this.#sql.pruneOnce.run(now, PRUNE_PER_PASS).changes +
        this.#history.prune(now, PRUNE_PER_PASS),
    );
  }

  async ping(): Promise<boolean> {
    try {
      // Takes the write lock and gives it back: answers false when a write would not get it.
      this.#write(() => undefined);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * When an open call is next due for the relay's attention (the earliest due time in the
   * store), or `undefined` when none is: for a host that wakes the relay by a timer of its
   * own, such as a Durable Object's alarm.
   */
  nextDueAt(): number | undefined {
    return this.#read(() => this.#sql.earliestDue.get() ?? undefined);
  }

  /**
   * When the first kept row expires, or `undefined` when nothing expires: for a host that
   * prunes by a timer of its own, so that rows go on time though nothing is written.
   */
  nextExpiryAt(): number | undefined {
    return this.#read(() => this.#sql.earliestExpiry.get() ?? undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.#pruner);
    this.#listeners.clear();
    this.#db.close();
  }

  /** Runs reads, turning a failure to use the database into {@link StoreUnavailableError}. */
  #read<T>(work: () => T): T {
    try {
      const result = work();
      this.#up();
      return result;
    } catch (err) {
      throw this.#failed(err);
    }
  }

  /**
   * Runs writes as one transaction, taking the write lock at once: no upgrade from a read
   * lock that could fail half-way.
   */
  #write<T>(work: () => T): T {
    return this.#read(() => this.#db.transaction(work));
  }

  /** Turns a failure to use the database into a {@link StoreUnavailableError}; anything else stays as it is. */
  #failed(err: unknown): unknown {
    const unusable = !(err instanceof StoreUnavailableError) && (!this.#db.open || this.#db.isUnusable(err));
    const failure = unusable ? new StoreUnavailableError(err) : err;
    if (failure instanceof StoreUnavailableError && !this.#down) {
      this.#down = true;
      this.#log('error', 'sqlite.unavailable', { reason: err instanceof Error ? err.message : String(err) });
    }
    return failure;
  }

  #up(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#log('info', 'sqlite.recovered');
  }

  /** A call's row: while it is open it is kept until a retention period after it should have ended. */
  #row(call: CallRecord, dueAt: number | undefined) {
    const endedAt = dueAt === undefined ? call.updatedAt : call.expiresAt;
    return {
      callId: call.callId,
      version: call.version,
      record: JSON.stringify(call),
      bridge: call.bridge,
      from: call.from,
      to: call.to,
      createdAt: call.createdAt,
      dueAt: dueAt ?? null,
      keepUntil: endedAt + this.#retentionMs,
    };
  }

  #appendEvent(callId: string, data: CallEventData): CallEvent {
    const seq = this.#sql.nextEventSeq.get(callId)!;
    this.#sql.insertEvent.run(callId, seq, JSON.stringify(data));
    return { id: String(seq), ...data };
  }

  #deleteCall(callId: string): void {
    this.#sql.deleteEvents.run(callId);
    this.#sql.deleteCall.run(callId);
  }

  /** Forgets up to `limit` calls kept past their retention, with their events. */
  #pruneCalls(now: number, limit: number): number {
    const expired = this.#sql.expiredCalls.all(now, limit);
    for (const callId of expired) this.#deleteCall(callId);
    return expired.length;
  }
}
