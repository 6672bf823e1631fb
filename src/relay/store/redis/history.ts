import {
  mergeHistory,
  QUARTER_HOUR_MS,
  type CallHistory,
  type ConsoleSession,
  type ConsoleSessions,
  type HistoryBucket,
  type HistoryChange,
  type HistoryPage,
  type HistoryQuery,
  type HistoryRow,
  type HistoryStatsQuery,
  type RefusalBucket,
  type RefusalTally,
  type StatsQuery,
} from '../history.js';
import {
  contributionOf,
  foldRefusals,
  foldStats,
  isPast,
  matchesFilter,
  sameContribution,
  type StatsContribution,
  type StatsSum,
} from '../history-query.js';
import { HISTORY_PRUNE, HISTORY_WRITE } from './history-scripts.js';

/** How the history reaches Redis: through its store's connection. */
export interface RedisAccess {
  run<T = unknown>(command: string[]): Promise<T>;
  script<T = unknown>(source: string, keys: string[], args: string[]): Promise<T>;
  prefix: string;
  now: () => number;
}

/** Expired rows each write removes, as in the SQLite store. */
const PRUNE_PER_WRITE = 8;
/** Rows read from an index at a time while a page is filled. */
const BATCH = 200;
/**
 * Most index entries one page reads: a rare combination of filters over a long range ends
 * its page early, with a cursor to go on from, rather than read the whole index at once.
 */
const MOST_SCANNED = 5000;
/** How many times a row's write is merged again when another instance wrote it first. */
const MAX_ATTEMPTS = 5;

/**
 * History and console sessions in Redis, shared by every instance. A row is a hash (its
 * JSON and a version); sorted sets by time, target, state and source index it; its write
 * merges in the relay's code and is applied by a script only if no other instance wrote
 * the row in between (else merged again). Chart counts are a hash per quarter hour,
 * moved by the same script.
 */
export class RedisHistory implements CallHistory, ConsoleSessions {
  readonly #redis: RedisAccess;

  constructor(access: RedisAccess) {
    this.#redis = access;
  }

  async recordHistory(change: HistoryChange): Promise<void> {
    const { prefix, now } = this.#redis;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [version, json] = await this.#redis.run<[string | null, string | null]>([
        'HMGET',
        this.#rowKey(change.id),
        'v',
        'row',
      ]);
      const stored = json === null ? undefined : (JSON.parse(json) as HistoryRow);
      const live = stored && stored.keepUntil > now() ? stored : undefined;
      const row = mergeHistory(live, change);
      const before = stored && contributionOf(stored);
      const after = contributionOf(row);
      const moves = !before || !sameContribution(before, after) || !live;
      const old = stored ?? row;
      const written = await this.#redis.script<number>(
        HISTORY_WRITE,
        [
          this.#rowKey(row.id),
          this.#key('history-by:time'),
          this.#key('history-by:expiry'),
          this.#index('target', old.target ?? ''),
          this.#index('target', row.target ?? ''),
          this.#index('state', old.state),
          this.#index('state', row.state),
          this.#index('source', old.source),
          this.#index('source', row.source),
          this.#countsKey((before ?? after).quarter),
          this.#countsKey(after.quarter),
        ],
        [
          version ?? '',
          JSON.stringify(row),
          row.id,
          String(row.requestedAt),
          String(row.keepUntil),
          moves ? '1' : '0',
          before && live ? countsField(before) : '',
          String(-(before?.reported ?? 0)),
          String(-(before?.reportMs ?? 0)),
          countsField(after),
          String(after.reported),
          String(after.reportMs),
        ],
      );
      if (written === 1) {
        await this.#redis.script(
          HISTORY_PRUNE,
          [this.#key('history-by:expiry'), this.#key('history-by:time')],
          [prefix, String(now()), String(PRUNE_PER_WRITE)],
        );
        return;
      }
    }
    throw new Error(`history row ${change.id} kept changing under its write`);
  }

  async getHistory(id: string): Promise<HistoryRow | undefined> {
    const json = await this.#redis.run<string | null>(['HGET', this.#rowKey(id), 'row']);
    const row = json === null ? undefined : (JSON.parse(json) as HistoryRow);
    return row && row.keepUntil > this.#redis.now() ? row : undefined;
  }

  async queryHistory(query: HistoryQuery): Promise<HistoryPage> {
    const now = this.#redis.now();
    const index =
      query.target !== undefined
        ? this.#index('target', query.target)
        : query.state !== undefined
          ? this.#index('state', query.state)
          : query.source !== undefined
            ? this.#index('source', query.source)
            : this.#key('history-by:time');
    let max = query.to === undefined ? '+inf' : `(${query.to}`;
    if (query.after && (query.to === undefined || query.after.at < query.to)) max = String(query.after.at);
    const min = query.from === undefined ? '-inf' : String(query.from);
    const rows: HistoryRow[] = [];
    let scanned = 0;
    let last: { requestedAt: number; id: string } | undefined;
    for (let offset = 0; rows.length < query.limit && scanned < MOST_SCANNED; offset += BATCH) {
      const answer = await this.#redis.run<(string | [string, number | string])[]>([
        'ZRANGE',
        index,
        max,
        min,
        'BYSCORE',
        'REV',
        'LIMIT',
        String(offset),
        String(BATCH),
        'WITHSCORES',
      ]);
      const entries = withScores(answer);
      const ids = entries.map(([id]) => id);
      const found = await Promise.all(
        ids.map((id) => this.#redis.run<string | null>(['HGET', this.#rowKey(id), 'row'])),
      );
      for (const [i, id] of ids.entries()) {
        scanned++;
        last = { requestedAt: entries[i]![1], id };
        const json = found[i];
        if (json === null || json === undefined) continue;
        const row = JSON.parse(json) as HistoryRow;
        if (row.keepUntil <= now || !matchesFilter(row, query) || !isPast(row, query.after)) continue;
        rows.push(row);
        if (rows.length === query.limit) break;
      }
      if (rows.length < query.limit && ids.length < BATCH) return { rows };
    }
    const end = rows.length === query.limit ? rows[rows.length - 1]! : last;
    return { rows, ...(end && { next: { at: end.requestedAt, id: end.id } }) };
  }

  async historyStats(query: HistoryStatsQuery): Promise<HistoryBucket[]> {
    const sums: StatsSum[] = [];
    for (const [quarter, fields] of await this.#quarters('history-counts', query)) {
      for (const [field, value] of Object.entries(fields)) {
        if (!field.endsWith('|n')) continue;
        const dimensions = field.slice(0, -2);
        const [kind = '', source = '', target = '', state = ''] = dimensions.split('|');
        sums.push({
          quarter,
          kind,
          source,
          target,
          state,
          count: Number(value),
          reportCount: Number(fields[`${dimensions}|r`] ?? 0),
          reportMsSum: Number(fields[`${dimensions}|ms`] ?? 0),
        });
      }
    }
    return foldStats(sums, query);
  }

  async countRefusals(tallies: RefusalTally[]): Promise<void> {
    await Promise.all(
      tallies.map(async (t) => {
        const key = this.#key(`refusal-counts:${Math.floor(t.at / QUARTER_HOUR_MS)}`);
        await this.#redis.run(['HINCRBY', key, t.reason, String(t.count)]);
        await this.#redis.run(['PEXPIREAT', key, String(t.keepUntil), 'GT']);
        await this.#redis.run(['PEXPIREAT', key, String(t.keepUntil), 'NX']);
      }),
    );
  }

  async refusalStats(query: StatsQuery): Promise<RefusalBucket[]> {
    const hashes = await this.#quarters('refusal-counts', query);
    return foldRefusals(
      hashes.flatMap(([quarter, fields]) =>
        Object.entries(fields).map(([reason, count]) => ({ quarter, reason, count: Number(count) })),
      ),
      query,
    );
  }

  async saveSession(id: string, session: ConsoleSession): Promise<void> {
    // By the relay's clock, as every expiry in the store: Redis' own only cleans up.
    const ttl = Math.max(session.expiresAt - this.#redis.now(), 1);
    await this.#redis.run(['SET', this.#key(`console-session:${id}`), JSON.stringify(session), 'PX', String(ttl)]);
  }

  async getSession(id: string): Promise<ConsoleSession | undefined> {
    const json = await this.#redis.run<string | null>(['GET', this.#key(`console-session:${id}`)]);
    const session = json === null ? undefined : (JSON.parse(json) as ConsoleSession);
    return session && session.expiresAt > this.#redis.now() ? session : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.#redis.run(['DEL', this.#key(`console-session:${id}`)]);
  }

  /** The hashes kept by quarter hour under `name` within a query's range. */
  async #quarters(name: string, query: StatsQuery): Promise<[number, Record<string, string>][]> {
    const first = Math.floor(query.from / QUARTER_HOUR_MS);
    const end = Math.ceil(query.to / QUARTER_HOUR_MS);
    const quarters = Array.from({ length: Math.max(end - first, 0) }, (_, i) => first + i);
    const found = await Promise.all(
      quarters.map((q) => this.#redis.run<string[] | Record<string, string>>(['HGETALL', this.#key(`${name}:${q}`)])),
    );
    return quarters
      .map((q, i) => [q, asRecord(found[i]!)] as [number, Record<string, string>])
      .filter(([, fields]) => Object.keys(fields).length > 0);
  }

  #key(name: string): string {
    return this.#redis.prefix + name;
  }

  #rowKey(id: string): string {
    return this.#key(`history:${id}`);
  }

  #index(column: 'target' | 'state' | 'source', value: string): string {
    return this.#key(`history-by:${column}:${value}`);
  }

  #countsKey(quarter: number): string {
    return this.#key(`history-counts:${quarter}`);
  }
}

/** A counts hash's field for a row's dimensions (target names hold no `|`). */
function countsField(c: StatsContribution): string {
  return `${c.kind}|${c.source}|${c.target}|${c.state}`;
}

/** `ZRANGE … WITHSCORES` as member and score pairs, whichever shape the client gives it (RESP2 or 3). */
function withScores(answer: (string | [string, number | string])[]): [string, number][] {
  if (answer.length > 0 && Array.isArray(answer[0])) {
    return (answer as [string, number | string][]).map(([member, score]) => [member, Number(score)]);
  }
  const pairs: [string, number][] = [];
  for (let i = 0; i + 1 < answer.length; i += 2) pairs.push([answer[i] as string, Number(answer[i + 1])]);
  return pairs;
}

/** `HGETALL`'s answer as a record, whichever shape the client gives it. */
function asRecord(answer: string[] | Record<string, string>): Record<string, string> {
  if (!Array.isArray(answer)) return answer;
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < answer.length; i += 2) record[answer[i]!] = answer[i + 1]!;
  return record;
}
