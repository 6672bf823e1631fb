// How fast the console's history answers with a million rows in the SQLite store (the
// default of `mt-c2c-relay`): a page of the table by time range, narrowed by target,
// outcome or source, a page far down, one row, and a month of chart counts.
//   node --import tsx bench/measures/history-query.ts     this measure alone
// BENCH_HISTORY_ROWS sets how many rows are written first (default 1,000,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HistoryChange, HistoryQuery, HistoryState } from '../../src/relay/store/history.js';
import { openDatabase } from '../../src/relay/store/sqlite/database.js';
import { SqliteHistory } from '../../src/relay/store/sqlite/history.js';
import { createSqliteStore } from '../../src/relay/store/sqlite/index.js';
import { percentile, round, type Row } from '../lib.js';

const ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const DAY = 86_400_000;
/** The span the rows are spread over: the default `MT_HISTORY_DAYS`. */
const DAYS = 90;
const RUNS = 200;
/** Rows written through the store itself, one transaction each, to time a write as the relay makes it. */
const TIMED_WRITES = 5000;
/** Rows the fill writes per transaction. */
const BATCH = 10_000;
const PAGE = 50;
/** What a page of the console must take at most to feel immediate. */
const GOAL_MS = 50;

const TARGETS = ['sales', 'support', 'billing', 'otp', 'desk'];
const STATES: HistoryState[] = ['completed', 'completed', 'completed', 'busy', 'no-answer', 'agent-unavailable'];
const SOURCES = ['page', 'page', 'ticket', 'booking', 'retry'] as const;

/** A repeatable random number generator, so runs are alike. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The `i`-th made-up ended call, spread over the days before `now`. */
function sampleRow(i: number, now: number, next: () => number): HistoryChange {
  const requestedAt = now - Math.floor(next() * DAYS * DAY);
  const state = STATES[Math.floor(next() * STATES.length)]!;
  const reportedAt = requestedAt + 20_000 + Math.floor(next() * 300_000);
  return {
    id: `bench-${String(i).padStart(8, '0')}`,
    kind: 'call',
    source: SOURCES[Math.floor(next() * SOURCES.length)]!,
    target: TARGETS[Math.floor(next() * TARGETS.length)]!,
    phone: `+91 98••• ••${String(i % 1000).padStart(3, '0')}`,
    origin: 'https://shop.example',
    requestedAt,
    dialledAt: requestedAt + 400,
    reportedAt,
    endedAt: reportedAt,
    state,
    statuses: { status: 'COMPLETED', status1: 'ANSWER', status2: 'ANSWER' },
    step: { state, at: reportedAt },
    keepUntil: now + DAY,
  };
}

/**
 * Writes rows `from` to `to` into the file with the store's own history code (the same
 * merge, indexes and chart counts), {@link BATCH} rows to a transaction, so that a
 * million rows take seconds rather than the quarter hour of one commit each.
 */
function fill(path: string, from: number, to: number, now: number, next: () => number): void {
  const db = openDatabase({ path, busyTimeoutMs: 1000, synchronous: 'normal' });
  const history = new SqliteHistory(db, { read: (work) => work(), write: (work) => work(), now: () => now });
  const batch = (start: number, end: number) =>
    db.transaction(() => {
      // Each write runs at once, inside this transaction: its promise has nothing left to wait for.
      for (let i = start; i < end; i++) void history.recordHistory(sampleRow(i, now, next));
    });
  for (let start = from; start < to; start += BATCH) batch(start, Math.min(start + BATCH, to));
  db.close();
}

/** Milliseconds per run of `work`, over {@link RUNS} runs. */
async function timings(work: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  return times;
}

/** Fills a store with {@link ROWS} rows, then times the console's queries on it. */
export async function historyQuery(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-history-bench-'));
  const now = Date.now();
  const path = join(dir, 'relay.db');
  const next = random(17);
  const timed = Math.min(TIMED_WRITES, ROWS);
  let store = createSqliteStore({ path, now: () => now });
  try {
    const writing = performance.now();
    for (let i = 0; i < timed; i++) await store.recordHistory(sampleRow(i, now, next));
    const perWrite = (performance.now() - writing) / timed;
    await store.close();
    fill(path, timed, ROWS, now, next);
    store = createSqliteStore({ path, now: () => now });
    const week = { from: now - 7 * DAY, to: now };
    const page = (filter: Omit<HistoryQuery, 'limit'>) => () => store.queryHistory({ ...filter, limit: PAGE });
    // A cursor some 20 pages down the last week, as paging with "Older" reaches.
    const deep = await store.queryHistory({ ...week, limit: PAGE * 20 });
    const after = deep.next!;
    const queries: [string, (i: number) => Promise<unknown>][] = [
      ['page by time range (last 7 days)', page(week)],
      ['page by time range and target', page({ ...week, target: 'support' })],
      ['page by time range and outcome', page({ ...week, state: 'busy' })],
      ['page by time range and source', page({ ...week, source: 'ticket' })],
      ['page 21 of the last 7 days (cursor)', page({ ...week, after })],
      ['page of one target and outcome, all 90 days', page({ target: 'desk', state: 'no-answer' })],
      ['one row by id (a call’s timeline)', (i) => store.getHistory(`bench-${String(i * 997).padStart(8, '0')}`)],
      [
        'chart counts: 30 days by hour',
        () => store.historyStats({ from: now - 30 * DAY, to: now, bucketMs: 3600_000, offsetMs: 0 }),
      ],
    ];
    const rows: Row[] = [
      {
        measure: 'history: one row written as the relay writes it (a transaction)',
        value: round(perWrite, 3),
        unit: 'ms',
      },
    ];
    for (const [name, work] of queries) {
      const times = await timings(work);
      const p95 = percentile(times, 95);
      rows.push({
        measure: `history, ${ROWS.toLocaleString('en')} rows: ${name} (p95; p50 ${round(percentile(times, 50))} ms)`,
        value: round(p95),
        unit: 'ms',
        goal: `< ${GOAL_MS} ms`,
        met: p95 < GOAL_MS,
      });
    }
    return rows;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await historyQuery());
}
