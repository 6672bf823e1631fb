import {
  mergeHistory,
  QUARTER_HOUR_MS,
  type CallHistory,
  type ConsoleSession,
  type ConsoleSessions,
  type HistoryBucket,
  type HistoryChange,
  type HistoryFilter,
  type HistoryPage,
  type HistoryQuery,
  type HistoryRow,
  type HistoryStatsQuery,
  type RefusalBucket,
  type RefusalTally,
  type StatsQuery,
} from '../history.js';
import { contributionOf, sameContribution, type StatsContribution } from '../history-query.js';
import type { SqlDriver, SqlStatement } from './driver.js';

/** How the store runs work on its file: reads, and writes as one transaction. */
export interface SqliteAccess {
  read<T>(work: () => T): T;
  write<T>(work: () => T): T;
  now: () => number;
}

/** Expired rows of each history table a write removes, as the store's other tables do. */
const PRUNE_PER_WRITE = 8;

/** The columns a filter may narrow by, with the index that serves each best. */
const FILTER_COLUMNS = [
  ['target', 'history_by_target'],
  ['state', 'history_by_state'],
  ['source', 'history_by_source'],
  ['kind', undefined],
] as const;

/**
 * History and console sessions in the SQLite store's file. A row is kept as JSON with
 * the columns its indexes use beside it; its write merges in the relay's code (one
 * process per file: the transaction is the only writer) and moves the chart counts in
 * the same transaction, so charts read a few hundred count rows instead of every call.
 */
export class SqliteHistory implements CallHistory, ConsoleSessions {
  readonly #db: SqlDriver;
  readonly #access: SqliteAccess;
  readonly #sql;
  /** Page statements by the filters they apply, prepared when first needed. */
  readonly #pages = new Map<string, SqlStatement<[Record<string, unknown>], string>>();

  constructor(db: SqlDriver, access: SqliteAccess) {
    this.#db = db;
    this.#access = access;
    /** A statement of any parameters (its calls say which), answering rows or, plucked, one column. */
    const sql = (source: string, pluck = false) => db.prepare<any[], any>(source.replace(/\s+/g, ' ').trim(), pluck); // eslint-disable-line @typescript-eslint/no-explicit-any
    this.#sql = {
      getRow: sql('SELECT row FROM history WHERE id = ?', true),
      putRow: sql(
        `INSERT INTO history (id, row, requested_at, target, state, source, kind, keep_until)
         VALUES (@id, @row, @requestedAt, @target, @state, @source, @kind, @keepUntil)
         ON CONFLICT (id) DO UPDATE SET row = excluded.row, requested_at = excluded.requested_at,
           target = excluded.target, state = excluded.state, source = excluded.source, kind = excluded.kind,
           keep_until = excluded.keep_until`,
      ),
      count: sql(
        `INSERT INTO history_counts (quarter, kind, source, target, state, count, report_count, report_ms_sum, keep_until)
         VALUES (@quarter, @kind, @source, @target, @state, @by, @reported * @by, @reportMs * @by, @keepUntil)
         ON CONFLICT (quarter, kind, source, target, state) DO UPDATE SET
           count = count + excluded.count, report_count = report_count + excluded.report_count,
           report_ms_sum = report_ms_sum + excluded.report_ms_sum, keep_until = max(keep_until, excluded.keep_until)`,
      ),
      stats: sql(
        `SELECT ((quarter * ${QUARTER_HOUR_MS} + CAST(@offset AS INTEGER)) / CAST(@bucket AS INTEGER)) * @bucket - @offset AS at, state,
           sum(count) AS count, sum(report_count) AS reportCount, sum(report_ms_sum) AS reportMsSum
         FROM history_counts
         WHERE quarter >= @first AND quarter < @end AND keep_until > @now
           AND (@target IS NULL OR target = @target) AND (@source IS NULL OR source = @source)
           AND (@kind IS NULL OR kind = @kind)
         GROUP BY at, state HAVING sum(count) > 0 ORDER BY at, state`,
      ),
      refuse: sql(
        `INSERT INTO refusal_counts (quarter, reason, count, keep_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (quarter, reason) DO UPDATE SET count = count + excluded.count,
           keep_until = max(keep_until, excluded.keep_until)`,
      ),
      refusals: sql(
        `SELECT ((quarter * ${QUARTER_HOUR_MS} + CAST(@offset AS INTEGER)) / CAST(@bucket AS INTEGER)) * @bucket - @offset AS at, reason,
           sum(count) AS count
         FROM refusal_counts WHERE quarter >= @first AND quarter < @end AND keep_until > @now
         GROUP BY at, reason ORDER BY at, reason`,
      ),
      pruneRows: sql(
        'DELETE FROM history WHERE id IN (SELECT id FROM history WHERE keep_until <= ? ORDER BY keep_until LIMIT ?)',
      ),
      pruneCounts: sql(
        `DELETE FROM history_counts WHERE (quarter, kind, source, target, state) IN
         (SELECT quarter, kind, source, target, state FROM history_counts WHERE keep_until <= ? ORDER BY keep_until LIMIT ?)`,
      ),
      pruneRefusals: sql(
        `DELETE FROM refusal_counts WHERE (quarter, reason) IN
         (SELECT quarter, reason FROM refusal_counts WHERE keep_until <= ? ORDER BY keep_until LIMIT ?)`,
      ),
      saveSession: sql(
        `INSERT INTO console_sessions (id, session, until) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET session = excluded.session, until = excluded.until`,
      ),
      getSession: sql('SELECT session FROM console_sessions WHERE id = ? AND until > ?', true),
      deleteSession: sql('DELETE FROM console_sessions WHERE id = ?'),
      pruneSessions: sql(
        'DELETE FROM console_sessions WHERE id IN (SELECT id FROM console_sessions WHERE until <= ? ORDER BY until LIMIT ?)',
      ),
    };
  }

  async recordHistory(change: HistoryChange): Promise<void> {
    this.#access.write(() => {
      const now = this.#access.now();
      const stored = this.#live(change.id, now);
      const row = mergeHistory(stored, change);
      this.#sql.putRow.run({
        id: row.id,
        row: JSON.stringify(row),
        requestedAt: row.requestedAt,
        target: row.target ?? '',
        state: row.state,
        source: row.source,
        kind: row.kind,
        keepUntil: row.keepUntil,
      });
      const before = stored && contributionOf(stored);
      const after = contributionOf(row);
      if (!before || !sameContribution(before, after)) {
        if (before) this.#count(before, -1, row.keepUntil);
        this.#count(after, 1, row.keepUntil);
      }
      this.#sql.pruneRows.run(now, PRUNE_PER_WRITE);
      this.#sql.pruneCounts.run(now, PRUNE_PER_WRITE);
    });
  }

  async getHistory(id: string): Promise<HistoryRow | undefined> {
    return this.#access.read(() => this.#live(id, this.#access.now()));
  }

  async queryHistory(query: HistoryQuery): Promise<HistoryPage> {
    const { statement, params } = this.#page(query);
    const rows = this.#access.read(() => statement.all(params)).map((json) => JSON.parse(json) as HistoryRow);
    const last = rows[rows.length - 1];
    return { rows, ...(rows.length === query.limit && last && { next: { at: last.requestedAt, id: last.id } }) };
  }

  async historyStats(query: HistoryStatsQuery): Promise<HistoryBucket[]> {
    return this.#access.read(
      () =>
        this.#sql.stats.all({
          ...this.#range(query),
          target: query.target ?? null,
          source: query.source ?? null,
          kind: query.kind ?? null,
        }) as HistoryBucket[],
    );
  }

  async countRefusals(tallies: RefusalTally[]): Promise<void> {
    if (tallies.length === 0) return;
    this.#access.write(() => {
      for (const t of tallies) {
        this.#sql.refuse.run(Math.floor(t.at / QUARTER_HOUR_MS), t.reason, t.count, t.keepUntil);
      }
      this.#sql.pruneRefusals.run(this.#access.now(), PRUNE_PER_WRITE);
    });
  }

  async refusalStats(query: StatsQuery): Promise<RefusalBucket[]> {
    return this.#access.read(() => this.#sql.refusals.all(this.#range(query)) as RefusalBucket[]);
  }

  async saveSession(id: string, session: ConsoleSession): Promise<void> {
    this.#access.write(() => {
      this.#sql.pruneSessions.run(this.#access.now(), PRUNE_PER_WRITE);
      this.#sql.saveSession.run(id, JSON.stringify(session), session.expiresAt);
    });
  }

  async getSession(id: string): Promise<ConsoleSession | undefined> {
    const json = this.#access.read(() => this.#sql.getSession.get(id, this.#access.now()) as string | undefined);
    return json === undefined ? undefined : (JSON.parse(json) as ConsoleSession);
  }

  async deleteSession(id: string): Promise<void> {
    this.#access.write(() => this.#sql.deleteSession.run(id));
  }

  /** Removes up to `limit` expired rows of each history table (inside the store's write); answers how many. */
  prune(now: number, limit: number): number {
    return (
      this.#sql.pruneRows.run(now, limit).changes +
      this.#sql.pruneCounts.run(now, limit).changes +
      this.#sql.pruneRefusals.run(now, limit).changes +
      this.#sql.pruneSessions.run(now, limit).changes
    );
  }

  #live(id: string, now: number): HistoryRow | undefined {
    const json = this.#sql.getRow.get(id) as string | undefined;
    if (json === undefined) return undefined;
    const row = JSON.parse(json) as HistoryRow;
    return row.keepUntil > now ? row : undefined;
  }

  #count(c: StatsContribution, by: 1 | -1, keepUntil: number): void {
    this.#sql.count.run({ ...c, by, keepUntil });
  }

  #range(query: StatsQuery) {
    return {
      first: Math.floor(query.from / QUARTER_HOUR_MS),
      end: Math.ceil(query.to / QUARTER_HOUR_MS),
      offset: query.offsetMs,
      bucket: query.bucketMs,
      now: this.#access.now(),
    };
  }

  /**
   * The statement for a page with these filters: only the conditions a query has, so the
   * planner can use the index of the column it narrows by (the first of target, state and
   * source it names, else time), walked from the newest end.
   */
  #page(query: HistoryQuery): {
    statement: SqlStatement<[Record<string, unknown>], string>;
    params: Record<string, unknown>;
  } {
    const named = FILTER_COLUMNS.filter(([column]) => query[column] !== undefined);
    const key = [
      ...named.map(([column]) => column),
      query.from !== undefined ? 'from' : '',
      query.to !== undefined ? 'to' : '',
      query.after ? 'after' : '',
    ].join(',');
    let statement = this.#pages.get(key);
    if (!statement) {
      const index = named.find(([, index]) => index)?.[1] ?? 'history_by_time';
      const where = [
        'keep_until > @now',
        ...named.map(([column]) => `${column} = @${column}`),
        ...(query.from !== undefined ? ['requested_at >= @from'] : []),
        ...(query.to !== undefined ? ['requested_at < @to'] : []),
        ...(query.after ? ['(requested_at, id) < (@afterAt, @afterId)'] : []),
      ];
      statement = this.#db.prepare<[Record<string, unknown>], string>(
        `SELECT row FROM history INDEXED BY ${index} WHERE ${where.join(' AND ')}
         ORDER BY requested_at DESC, id DESC LIMIT @limit`.replace(/\s+/g, ' '),
        true,
      );
      this.#pages.set(key, statement);
    }
    const filter: HistoryFilter = query;
    const params: Record<string, unknown> = { now: this.#access.now(), limit: query.limit };
    for (const [column] of named) params[column] = filter[column];
    if (query.from !== undefined) params.from = query.from;
    if (query.to !== undefined) params.to = query.to;
    if (query.after) Object.assign(params, { afterAt: query.after.at, afterId: query.after.id });
    return { statement, params };
  }
}
