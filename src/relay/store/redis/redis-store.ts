import { createClient } from '@redis/client';
import { createHash, randomBytes } from 'node:crypto';
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
import { StoreUnavailableError } from '../unavailable.js';
import { RedisHistory } from './history.js';
import {
  CREATE,
  UPDATE,
  CLAIM,
  RELEASE,
  ONCE,
  BEGIN,
  LIMITS,
  REFUND,
  SAVE_VERIFICATION,
  COUNT_ATTEMPT,
  MARK_USED,
  RESERVE,
  COUNT_SLOTS,
} from './scripts.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Prefix of every key, so several relays can share one Redis. Default `mt-c2c:`. */
  prefix?: string;
  /** How long calls and their events are kept. Default 24 hours. */
  retentionMs?: number;
  /** Where connection trouble is logged. */
  logger?: Logger;
  /** How often this instance reads what changed, in case a wake-up was lost. Default 30 s. */
  catchUpMs?: number;
  /** The relay's clock, in epoch milliseconds: expiries are judged by it (Redis' own only cleans up). */
  now?: () => number;
}

type Client = ReturnType<typeof createClient>;

const STREAM_ID = /^\d+-\d+$/;

/** How often the changes wake-ups may have missed are read. */
const CATCH_UP_MS = 30_000;
/** How much further back than the last catch-up it looks, for clocks that differ. */
const CLOCK_SLACK_MS = 5_000;
/** How long a change is remembered for catch-ups: well past an instance's reconnect. */
const CHANGES_KEPT_MS = 3_600_000;

/**
 * Call state in Redis, shared by every relay instance: calls, their events (one Redis
 * Stream per call, whose ids are the SSE ids, so `Last-Event-ID` replays on any
 * instance), number claims, rate limits (exact, by scripts), idempotency keys and
 * once-only claims, all with expiry. A pub/sub message only wakes instances to read a
 * call's stream; it never carries the event itself.
 *
 * When Redis cannot be reached every method throws {@link StoreUnavailableError} at once
 * (no command waits in a queue), and the relay answers 503; the client reconnects by
 * itself.
 */
export class RedisCallStore implements CallStore, CallHistory, ConsoleSessions {
  readonly #client: Client;
  readonly #subscriber: Client;
  readonly #prefix: string;
  readonly #retentionMs: number;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #listeners = new CallListeners();
  /** The last event id handed to this instance's listeners, per call. */
  readonly #delivered = new Map<string, string>();
  readonly #scripts = new Map<string, string>();
  readonly #history: RedisHistory;
  #catchUp: ReturnType<typeof setInterval> | undefined;
  /** Changes up to this time (the relay's clock) have been caught up on. */
  #caughtUpTo: number;
  readonly #catchUpMs: number;

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.prefix ?? 'mt-c2c:';
    this.#retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.#log = options.logger ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#caughtUpTo = this.#now();
    this.#catchUpMs = options.catchUpMs ?? CATCH_UP_MS;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    });
    this.#subscriber = this.#client.duplicate();
    this.#history = new RedisHistory({
      run: (command) => this.#run(command),
      script: (source, keys, args) => this.#script(source, keys, args),
      prefix: this.#prefix,
      now: this.#now,
    });
    for (const [name, client] of [
      ['store', this.#client],
      ['subscriber', this.#subscriber],
    ] as const) {
      let down = false;
      client.on('error', (err: Error) => {
        if (!down) this.#log('error', 'redis.unavailable', { connection: name, reason: err.message });
        down = true;
      });
      client.on('ready', () => {
        if (down) this.#log('info', 'redis.recovered', { connection: name });
        down = false;
        // Wake-ups sent while this instance was away are lost: catch up on what changed.
        if (name === 'subscriber') void this.#catchUpChanged();
      });
    }
  }

  /** Connects both connections; resolves once Redis answered, or after `timeoutMs` (it keeps trying). */
  async connect(timeoutMs = 5000): Promise<void> {
    const ready = Promise.all([this.#client.connect(), this.#subscriber.connect()]).then(() =>
      this.#subscriber.subscribe(this.#key('wake'), (callId) => void this.#wake(callId)),
    );
    ready.catch(() => {});
    await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    // A safety net for wake-ups lost any other way.
    this.#catchUp = setInterval(() => void this.#catchUpChanged(), this.#catchUpMs);
    this.#catchUp.unref();
  }

  async createCall(call: CallRecord, dueAt: number): Promise<void> {
    const ttl = this.#ttl(call);
    await this.#script(
      CREATE,
      [
        this.#callKey(call.callId),
        this.#eventsKey(call.callId),
        this.#legsKey(call),
        this.#key('due'),
        this.#key('wake'),
        this.#key('changed'),
      ],
      [
        JSON.stringify(call),
        String(ttl),
        JSON.stringify(eventOf(call)),
        call.callId,
        String(call.createdAt),
        String(dueAt),
        String(this.#now()),
      ],
    );
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const json = await this.#run<string | null>(['GET', this.#callKey(callId)]);
    return json ? (JSON.parse(json) as CallRecord) : undefined;
  }

  async updateCall(change: CallChange): Promise<CallEvent | boolean> {
    const { call, event, dueAt, release } = change;
    const id = await this.#script<string | number | null>(
      UPDATE,
      [
        this.#callKey(call.callId),
        this.#eventsKey(call.callId),
        this.#legsKey(call),
        this.#key('due'),
        this.#key(`claim:${release ?? ''}`),
        this.#key('wake'),
        this.#key('changed'),
      ],
      [
        JSON.stringify(call),
        String(call.version - 1),
        event ? JSON.stringify(event) : '',
        dueAt === undefined ? '' : String(dueAt),
        call.callId,
        String(this.#ttl(call)),
        release === undefined ? '0' : '1',
        String(this.#now()),
      ],
    );
    if (id === null) return false;
    return typeof id === 'string' && event ? { id, ...event } : true;
  }

  async discardCall(callId: string): Promise<void> {
    const call = await this.getCall(callId);
    if (!call) return;
    await this.#run(['DEL', this.#callKey(callId), this.#eventsKey(callId)]);
    await this.#run(['ZREM', this.#legsKey(call), callId]);
    await this.#run(['ZREM', this.#key('due'), callId]);
  }

  async findOpenCall(legs: CallLegs): Promise<CallRecord | undefined> {
    const [newest] = await this.#run<string[]>(['ZRANGE', this.#legsKey(legs), '-1', '-1']);
    return newest === undefined ? undefined : this.getCall(newest);
  }

  async dueCalls(now: number, limit: number): Promise<string[]> {
    return this.#run<string[]>(['ZRANGEBYSCORE', this.#key('due'), '-inf', String(now), 'LIMIT', '0', String(limit)]);
  }

  async readEvents(callId: string, afterId?: string): Promise<CallEvent[]> {
    const start = afterId !== undefined && STREAM_ID.test(afterId) ? `(${afterId}` : '-';
    const entries = await this.#run<[string, string[]][]>(['XRANGE', this.#eventsKey(callId), start, '+']);
    return entries.map(([id, fields]) => ({ id, ...(JSON.parse(fields[1]!) as CallEventData) }));
  }

  subscribe(callId: string, listener: (event: CallEvent) => void): () => void {
    return this.#listeners.add(callId, listener, () => this.#delivered.delete(callId));
  }

  async claimNumber(number: string, callId: string, until: number): Promise<string | undefined> {
    const now = this.#now();
    const holder = await this.#script<string | null>(
      CLAIM,
      [this.#key(`claim:${number}`)],
      [callId, String(until), String(now), String(Math.max(until - now, 1000))],
    );
    return holder ?? undefined;
  }

  async releaseNumber(number: string, callId: string): Promise<void> {
    await this.#script(RELEASE, [this.#key(`claim:${number}`)], [callId]);
  }

  async consumeLimits(rules: LimitRule[], now: number): Promise<LimitOutcome> {
    if (rules.length === 0) return { ok: true };
    const member = `${now}:${randomBytes(6).toString('hex')}`;
    const refused = await this.#script<[number, number] | null>(
      LIMITS,
      rules.map((rule) => this.#key(`limit:${rule.key}`)),
      [String(now), ...rules.flatMap((rule) => [String(rule.limit), String(rule.windowMs), member])],
    );
    return refused ? { ok: false, key: rules[refused[0] - 1]!.key, retryAfterMs: refused[1] } : { ok: true };
  }

  async refundLimits(rules: LimitRule[], at: number): Promise<void> {
    if (rules.length === 0) return;
    await this.#script(
      REFUND,
      rules.map((rule) => this.#key(`limit:${rule.key}`)),
      [String(at)],
    );
  }

  async beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyState> {
    const now = this.#now();
    const entry = JSON.stringify({ fingerprint, until: now + ttlMs });
    const answer = await this.#script<string>(
      BEGIN,
      [this.#key(`idempotency:${key}`)],
      [entry, String(ttlMs), String(now)],
    );
    if (answer === 'new') return { state: 'new' };
    const stored = JSON.parse(answer) as { fingerprint: string; answer?: StoredAnswer };
    if (stored.fingerprint !== fingerprint) return { state: 'conflict' };
    return stored.answer ? { state: 'done', answer: stored.answer } : { state: 'pending' };
  }

  async completeIdempotent(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const redisKey = this.#key(`idempotency:${key}`);
    const json = await this.#run<string | null>(['GET', redisKey]);
    if (!json) return;
    const entry = { ...JSON.parse(json), answer, until: this.#now() + ttlMs };
    await this.#run(['SET', redisKey, JSON.stringify(entry), 'XX', 'PX', String(ttlMs)]);
  }

  async abandonIdempotent(key: string): Promise<void> {
    await this.#run(['DEL', this.#key(`idempotency:${key}`)]);
  }

  async claimOnce(kind: OnceKind, key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const args = [String(now + ttlMs), String(now), String(ttlMs)];
    return (await this.#script(ONCE, [this.#key(`once:${kind}:${key}`)], args)) === 1;
  }

  async releaseOnce(kind: OnceKind, key: string): Promise<void> {
    await this.#run(['DEL', this.#key(`once:${kind}:${key}`)]);
  }

  async saveVerification(verification: VerificationRecord, current: boolean): Promise<void> {
    const { verificationId, number, expiresAt } = verification;
    await this.#script(
      SAVE_VERIFICATION,
      [this.#key(`verification:${verificationId}`), this.#key(`verifying:${number}`)],
      [JSON.stringify(verification), String(Math.max(expiresAt - this.#now(), 1)), current ? '1' : '0', verificationId],
    );
  }

  async getVerification(verificationId: string): Promise<VerificationState | undefined> {
    const key = this.#key(`verification:${verificationId}`);
    const [record, attempts, used] = await this.#run<(string | null)[]>(['HMGET', key, 'record', 'attempts', 'used']);
    if (!record) return undefined;
    const verification = JSON.parse(record) as VerificationRecord;
    const current = await this.#run<string | null>(['GET', this.#key(`verifying:${verification.number}`)]);
    return { verification, attempts: Number(attempts), used: used === '1', current: current === verificationId };
  }

  async countAttempt(verificationId: string): Promise<number | undefined> {
    const count = await this.#script<number>(COUNT_ATTEMPT, [this.#key(`verification:${verificationId}`)], []);
    return count === 0 ? undefined : count;
  }

  async markUsed(verificationId: string): Promise<boolean> {
    return (await this.#script<number>(MARK_USED, [this.#key(`verification:${verificationId}`)], [])) === 1;
  }

  async reserveSlot(slot: string, callId: string, capacity: number, until: number): Promise<boolean> {
    const now = this.#now();
    const args = [callId, String(capacity), String(now), String(until)];
    return (await this.#script(RESERVE, [this.#key(`slot:${slot}`)], args)) === 1;
  }

  async releaseSlot(slot: string, callId: string): Promise<void> {
    await this.#run(['ZREM', this.#key(`slot:${slot}`), callId]);
  }

  async countSlots(slots: readonly string[]): Promise<number[]> {
    if (slots.length === 0) return [];
    const keys = slots.map((slot) => this.#key(`slot:${slot}`));
    return this.#script<number[]>(COUNT_SLOTS, keys, [String(this.#now())]);
  }

  async saveOrphanReport(report: Record<string, unknown>, at: number): Promise<void> {
    await this.#run(['LPUSH', this.#key('orphans'), JSON.stringify({ at, report })]);
    await this.#run(['LTRIM', this.#key('orphans'), '0', '999']);
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

  /** How many event listeners this instance has subscribed, across all calls (open streams). */
  listenerCount(): number {
    return this.#listeners.count;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#run(['PING'])) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#catchUp);
    this.#listeners.clear();
    await Promise.allSettled([this.#client.close(), this.#subscriber.close()]);
  }

  /** Reads a call's new events and hands them to this instance's listeners. */
  async #wake(callId: string): Promise<void> {
    if (!this.#listeners.has(callId)) return;
    try {
      const events = await this.readEvents(callId, this.#delivered.get(callId));
      for (const event of events) {
        this.#delivered.set(callId, event.id);
        this.#listeners.emit(callId, event);
      }
    } catch {
      // Redis is away: the catch-up after it returns delivers what was missed.
    }
  }

  /**
   * Reads the watched calls that changed since the last catch-up, in one query for the
   * list and one read per changed call, however many calls are watched; then forgets
   * changes older than any catch-up will ask about.
   */
  async #catchUpChanged(): Promise<void> {
    const now = this.#now();
    // Clocks of instances differ a little: look back further than the last catch-up.
    const since = this.#caughtUpTo - CLOCK_SLACK_MS;
    try {
      const changed = await this.#run<string[]>(['ZRANGEBYSCORE', this.#key('changed'), String(since), '+inf']);
      this.#caughtUpTo = now;
      await Promise.all(changed.filter((callId) => this.#listeners.has(callId)).map((callId) => this.#wake(callId)));
      await this.#run(['ZREMRANGEBYSCORE', this.#key('changed'), '-inf', String(now - CHANGES_KEPT_MS)]);
    } catch {
      // Redis is away: the catch-up after it returns delivers what was missed.
    }
  }

  #key(name: string): string {
    return this.#prefix + name;
  }

  #callKey(callId: string): string {
    return this.#key(`call:${callId}`);
  }

  #eventsKey(callId: string): string {
    return this.#key(`events:${callId}`);
  }

  #legsKey(legs: CallLegs): string {
    return this.#key(`open:${legs.bridge}|${legs.from}|${legs.to}`);
  }

  #ttl(call: CallRecord): number {
    return Math.max(call.expiresAt - this.#now(), 0) + this.#retentionMs;
  }

  /** Sends a command; any failure to reach Redis becomes a {@link StoreUnavailableError}. */
  async #run<T = unknown>(command: string[]): Promise<T> {
    try {
      return (await this.#client.sendCommand(command)) as T;
    } catch (err) {
      if (err instanceof Error && /^(ERR|WRONGTYPE|NOSCRIPT)/.test(err.message)) throw err;
      throw new StoreUnavailableError(err);
    }
  }

  /** Runs a script by its digest, loading it first if Redis does not know it. */
  async #script<T = unknown>(source: string, keys: string[], args: string[]): Promise<T> {
    let sha = this.#scripts.get(source);
    if (!sha) this.#scripts.set(source, (sha = createHash('sha1').update(source).digest('hex')));
    try {
      return await this.#run<T>(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      await this.#run(['SCRIPT', 'LOAD', source]);
      return this.#run<T>(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    }
  }
}

/** Creates a {@link RedisCallStore} and connects it (waiting at most a few seconds: it keeps trying). */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisCallStore> {
  const store = new RedisCallStore(options);
  await store.connect();
  return store;
}
