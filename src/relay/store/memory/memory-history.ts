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
  newestFirst,
  sumOf,
} from '../history-query.js';
import { ExpiringMap, KeyQueue } from './expiring-map.js';

/**
 * History and console sessions in this process's memory, bounded: past `maxRows` the
 * rows recorded first go first, and rows past their `keepUntil` are dropped as new ones
 * come, at O(1) a write. For tests and trying things out, like the rest of the memory
 * store: queries scan every row.
 */
export class MemoryHistory implements CallHistory, ConsoleSessions {
  readonly #rows = new Map<string, HistoryRow>();
  /** Row ids in the order they were made, for pruning (see ExpiringMap on why not the Map's order). */
  readonly #order = new KeyQueue();
  readonly #refusals = new Map<string, { quarter: number; reason: string; count: number; keepUntil: number }>();
  readonly #sessions: ExpiringMap<ConsoleSession>;
  readonly #maxRows: number;
  readonly #now: () => number;

  constructor(options: { maxRows: number; now: () => number }) {
    this.#maxRows = options.maxRows;
    this.#now = options.now;
    this.#sessions = new ExpiringMap(10_000);
  }

  async recordHistory(change: HistoryChange): Promise<void> {
    const row = mergeHistory(this.#live(change.id), change);
    if (!this.#rows.has(row.id)) this.#order.push(row.id);
    this.#rows.set(row.id, row);
    this.#prune();
  }

  async getHistory(id: string): Promise<HistoryRow | undefined> {
    const row = this.#live(id);
    return row && structuredClone(row);
  }

  async queryHistory(query: HistoryQuery): Promise<HistoryPage> {
    const now = this.#now();
    const rows = [...this.#rows.values()]
      .filter((row) => row.keepUntil > now && matchesFilter(row, query) && isPast(row, query.after))
      .sort(newestFirst)
      .slice(0, query.limit)
      .map((row) => structuredClone(row));
    const last = rows[rows.length - 1];
    return { rows, ...(rows.length === query.limit && last && { next: { at: last.requestedAt, id: last.id } }) };
  }

  async historyStats(query: HistoryStatsQuery): Promise<HistoryBucket[]> {
    const now = this.#now();
    const live = [...this.#rows.values()].filter((row) => row.keepUntil > now);
    return foldStats(
      live.map((row) => sumOf(contributionOf(row))),
      query,
    );
  }

  async countRefusals(tallies: RefusalTally[]): Promise<void> {
    // A count a reason and quarter hour, written a few seconds apart: few enough to sweep each time.
    const now = this.#now();
    for (const [key, tally] of this.#refusals) if (tally.keepUntil <= now) this.#refusals.delete(key);
    for (const tally of tallies) {
      const quarter = Math.floor(tally.at / QUARTER_HOUR_MS);
      const key = `${quarter}|${tally.reason}`;
      const kept = this.#refusals.get(key);
      if (kept) {
        kept.count += tally.count;
        kept.keepUntil = Math.max(kept.keepUntil, tally.keepUntil);
      } else {
        this.#refusals.set(key, { quarter, reason: tally.reason, count: tally.count, keepUntil: tally.keepUntil });
      }
    }
  }

  async refusalStats(query: StatsQuery): Promise<RefusalBucket[]> {
    const now = this.#now();
    return foldRefusals(
      [...this.#refusals.values()].filter((t) => t.keepUntil > now),
      query,
    );
  }

  async saveSession(id: string, session: ConsoleSession): Promise<void> {
    this.#sessions.set(id, session, session.expiresAt, this.#now());
  }

  async getSession(id: string): Promise<ConsoleSession | undefined> {
    return this.#sessions.get(id, this.#now());
  }

  async deleteSession(id: string): Promise<void> {
    this.#sessions.delete(id);
  }

  #live(id: string): HistoryRow | undefined {
    const row = this.#rows.get(id);
    return row && row.keepUntil > this.#now() ? row : undefined;
  }

  /**
   * Drops rows from the first made while the store is over `maxRows` or the first has
   * expired (rows are made in about the order they expire: each is kept as long as the
   * others from its request on).
   */
  #prune(): void {
    const now = this.#now();
    for (let id = this.#order.peek(); id !== undefined; id = this.#order.peek()) {
      const row = this.#rows.get(id);
      if (row && this.#rows.size <= this.#maxRows && row.keepUntil > now) break;
      this.#rows.delete(id);
      this.#order.shift();
    }
  }
}
