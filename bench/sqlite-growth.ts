// `node --import tsx bench/sqlite-growth.ts [calls] [seconds between calls]`: puts calls
// through the SQLite store as the relay does (ticket, number claim, the default rate
// limits, an idempotency key, the call, its report), the clock moving on between calls,
// and prints the rows of each table and the size of the files as it goes. Once the first
// calls are past their retention (and the first reports past their 7 days) both level off.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createSqliteStore, type SqliteCallStore } from '../src/relay/store/sqlite/index.js';
import { create, finish, sampleCall, testClock, type TestClock } from '../test/relay/store-contract.js';

/** The tables of the store, and how many rows each holds at a point. */
export type RowCounts = Record<(typeof TABLES)[number], number>;

const TABLES = ['calls', 'call_events', 'number_claims', 'limit_hits', 'idempotency_keys', 'once_claims'] as const;

/** What the store holds after so many calls. */
export interface GrowthSample {
  calls: number;
  rows: RowCounts;
  /** Bytes of the database file, and of its WAL. */
  fileBytes: number;
  walBytes: number;
  /** Average time a call's store work took since the last sample. */
  msPerCall: number;
}

/** How many rows each table of a store's file holds, read through a connection of its own. */
export function rowCounts(path: string): RowCounts {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return Object.fromEntries(TABLES.map((table) => [table, count(table)])) as RowCounts;
  } finally {
    db.close();
  }
}

/** The store work of one call placed with a ticket and an idempotency key, and ended by its report. */
async function oneCall(store: SqliteCallStore, clock: TestClock, i: number, stepMs: number): Promise<void> {
  const call = sampleCall(clock, { claimedNumber: `9198${String(i).padStart(8, '0')}` });
  const now = clock.now();
  await store.claimOnce('ticket', `jti-${i}`, 5 * 60_000);
  await store.claimNumber(call.claimedNumber, call.callId, call.expiresAt);
  const counted = await store.consumeLimits(
    [
      { key: `ip:10.${i % 7}.${i % 251}.1`, limit: 10, windowMs: 10 * 60_000 },
      { key: `number:${call.claimedNumber}`, limit: 3, windowMs: 3600_000 },
      { key: `prefix:${i % 997}`, limit: 20, windowMs: 3600_000 },
      { key: 'target:sales', limit: 200, windowMs: 3600_000 },
      { key: 'global', limit: 500, windowMs: 3600_000 },
    ],
    now,
  );
  // Every call is counted: a refused hit writes nothing, and would flatter the figures.
  if (!counted.ok) throw new Error(`call ${i} was refused by ${counted.key}: lower the call rate`);
  await store.beginIdempotent(`key-${i}`, 'body', 24 * 3600_000);
  await create(store, call);
  await store.completeIdempotent(`key-${i}`, { status: 202, body: { callId: call.callId } }, 24 * 3600_000);
  clock.advance(stepMs);
  await store.claimOnce('report', `report-${i}`, 7 * 24 * 3600_000);
  await finish(store, call, { state: 'completed', at: clock.now(), report: { status: 'ANSWER', duration: 42 } });
}

/**
 * Puts `calls` calls through a fresh store, `stepMs` apart on its clock, and samples its
 * rows and files every `every` calls. Pruning is only what the store does as it writes
 * (its timer never fires here: the loop does not yield to it).
 */
export async function measureGrowth(options: {
  calls: number;
  every: number;
  stepMs: number;
  retentionMs?: number;
  synchronous?: 'full' | 'normal';
}): Promise<GrowthSample[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-growth-'));
  const path = join(dir, 'relay.db');
  const clock = testClock();
  const store = createSqliteStore({
    path,
    now: clock.now,
    synchronous: options.synchronous ?? 'normal',
    ...(options.retentionMs !== undefined && { retentionMs: options.retentionMs }),
  });
  const samples: GrowthSample[] = [];
  try {
    let started = performance.now();
    for (let i = 1; i <= options.calls; i++) {
      await oneCall(store, clock, i, options.stepMs);
      if (i % options.every === 0) {
        const msPerCall = (performance.now() - started) / options.every;
        const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
        samples.push({
          calls: i,
          rows: rowCounts(path),
          fileBytes: size(path),
          walBytes: size(`${path}-wal`),
          msPerCall,
        });
        started = performance.now();
      }
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = Number(process.argv[2] ?? 50_000);
  const stepS = Number(process.argv[3] ?? 20);
  console.error(
    `sqlite growth: ${calls} calls, ${stepS} s apart on the store's clock (${((calls * stepS) / 86_400).toFixed(1)} days)`,
  );
  const samples = await measureGrowth({ calls, every: Math.max(1, Math.round(calls / 10)), stepMs: stepS * 1000 });
  console.table(
    samples.map((s) => ({
      'after calls': s.calls,
      ...s.rows,
      'file MiB': (s.fileBytes / 2 ** 20).toFixed(2),
      'wal MiB': (s.walBytes / 2 ** 20).toFixed(2),
      'ms/call': s.msPerCall.toFixed(3),
    })),
  );
}
