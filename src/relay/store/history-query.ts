import {
  bucketOf,
  QUARTER_HOUR_MS,
  type HistoryBucket,
  type HistoryCursor,
  type HistoryFilter,
  type HistoryRow,
  type HistoryStatsQuery,
  type RefusalBucket,
  type StatsQuery,
} from './history.js';

/**
 * What stores that filter and count in their own code (memory, Redis) share: the one
 * reading of a filter, of the order of a page, and of a chart's buckets.
 */

/** Whether a row is one a filter asks for. */
export function matchesFilter(row: HistoryRow, filter: HistoryFilter): boolean {
  return (
    (filter.from === undefined || row.requestedAt >= filter.from) &&
    (filter.to === undefined || row.requestedAt < filter.to) &&
    (filter.target === undefined || row.target === filter.target) &&
    (filter.state === undefined || row.state === filter.state) &&
    (filter.source === undefined || row.source === filter.source) &&
    (filter.kind === undefined || row.kind === filter.kind)
  );
}

/** The order of pages: newest `requestedAt` first, then the larger id. */
export function newestFirst(a: { requestedAt: number; id: string }, b: { requestedAt: number; id: string }): number {
  return b.requestedAt - a.requestedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Whether a row comes after a cursor in that order. */
export function isPast(row: { requestedAt: number; id: string }, cursor: HistoryCursor | undefined): boolean {
  return cursor === undefined || row.requestedAt < cursor.at || (row.requestedAt === cursor.at && row.id < cursor.id);
}

/** What one row adds to the charts: its quarter hour, its dimensions and its time to report. */
export interface StatsContribution {
  quarter: number;
  kind: string;
  source: string;
  target: string;
  state: string;
  reported: 0 | 1;
  reportMs: number;
}

/** A row's contribution to the charts (counted by the quarter hour it was requested in). */
export function contributionOf(row: HistoryRow): StatsContribution {
  const reported = row.reportedAt !== undefined;
  return {
    quarter: Math.floor(row.requestedAt / QUARTER_HOUR_MS),
    kind: row.kind,
    source: row.source,
    target: row.target ?? '',
    state: row.state,
    reported: reported ? 1 : 0,
    reportMs: reported ? Math.max(row.reportedAt! - row.requestedAt, 0) : 0,
  };
}

/** Whether two contributions are the same (a change that moves no count). */
export function sameContribution(a: StatsContribution, b: StatsContribution): boolean {
  return (Object.keys(a) as (keyof StatsContribution)[]).every((key) => a[key] === b[key]);
}

/** Counts kept for rows of the same quarter hour and dimensions: what charts add up. */
export interface StatsSum {
  quarter: number;
  kind: string;
  source: string;
  target: string;
  state: string;
  count: number;
  reportCount: number;
  reportMsSum: number;
}

/** One row's contribution as counts. */
export function sumOf(c: StatsContribution): StatsSum {
  const { reported, reportMs, ...dimensions } = c;
  return { ...dimensions, count: 1, reportCount: reported, reportMsSum: reportMs };
}

/** Adds counts up into a chart's buckets. */
export function foldStats(contributions: Iterable<StatsSum>, query: HistoryStatsQuery): HistoryBucket[] {
  const buckets = new Map<string, HistoryBucket>();
  const first = Math.floor(query.from / QUARTER_HOUR_MS);
  const end = Math.ceil(query.to / QUARTER_HOUR_MS);
  for (const c of contributions) {
    if (c.quarter < first || c.quarter >= end || c.count === 0) continue;
    if (query.target !== undefined && c.target !== query.target) continue;
    if (query.source !== undefined && c.source !== query.source) continue;
    if (query.kind !== undefined && c.kind !== query.kind) continue;
    const at = bucketOf(c.quarter * QUARTER_HOUR_MS, query.bucketMs, query.offsetMs);
    const key = `${at}|${c.state}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { at, state: c.state as HistoryBucket['state'], count: 0, reportCount: 0, reportMsSum: 0 };
      buckets.set(key, bucket);
    }
    bucket.count += c.count;
    bucket.reportCount += c.reportCount;
    bucket.reportMsSum += c.reportMsSum;
  }
  return [...buckets.values()].filter((b) => b.count > 0).sort((a, b) => a.at - b.at || (a.state < b.state ? -1 : 1));
}

/** Adds refusal counts kept by quarter hour up into a chart's buckets. */
export function foldRefusals(
  tallies: Iterable<{ quarter: number; reason: string; count: number }>,
  query: StatsQuery,
): RefusalBucket[] {
  const buckets = new Map<string, RefusalBucket>();
  const first = Math.floor(query.from / QUARTER_HOUR_MS);
  const end = Math.ceil(query.to / QUARTER_HOUR_MS);
  for (const t of tallies) {
    if (t.quarter < first || t.quarter >= end || t.count === 0) continue;
    const at = bucketOf(t.quarter * QUARTER_HOUR_MS, query.bucketMs, query.offsetMs);
    const key = `${at}|${t.reason}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.count += t.count;
    else buckets.set(key, { at, reason: t.reason, count: t.count });
  }
  return [...buckets.values()].sort((a, b) => a.at - b.at || (a.reason < b.reason ? -1 : 1));
}
