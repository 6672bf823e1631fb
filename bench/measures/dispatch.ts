import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../../test/helpers/redis.js';
import { createRelay, MemoryCallStore, type CallStore } from '../../src/relay/index.js';
import { createRedisStore } from '../../src/relay/store/redis/index.js';
import { createSqliteStore } from '../../src/relay/store/sqlite/index.js';
import type { UpstreamTransport } from '../../src/relay/upstream/transport.js';
import { benchNumber, inBatches } from '../load.js';
import { percentile, round, type Row } from '../lib.js';

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 1000);
/** How often the relay sweeps, as the Node server does. */
const SWEEP_MS = 1000;

/**
 * Books BOOKINGS callbacks for the same one-minute slot, lets the slot come (the relay's
 * clock is shifted, so no minute is waited for), and has the relay sweep every second,
 * as `mt-c2c-relay` does. Mobtexting answers in-process, so the measure is the relay's
 * own work: per dial, its store changes (lease, then initiated) and the request.
 * Answers each booking's dispatch delay (from its slot's start to its dial) and how many
 * bookings were dialled per second once dialling began.
 */
async function measure(store: CallStore): Promise<{ delays: number[]; perSecond: number }> {
  let shift = 0;
  const now = () => Date.now() + shift;
  const slot = Math.ceil(Date.now() / 60_000) * 60_000 + 120_000;
  const dials: number[] = [];
  let allDialled!: () => void;
  const done = new Promise<void>((resolve) => (allDialled = resolve));
  const provider: UpstreamTransport = async () => {
    dials.push(now());
    if (dials.length === BOOKINGS) allDialled();
    await new Promise((resolve) => setImmediate(resolve));
    return { status: 200, retryAfter: null, text: '{"status":200,"message":"ok"}' };
  };
  const relay = createRelay({
    apiToken: 'bench-token-0123456789',
    bridge: '918046000000',
    targets: {
      rush: {
        to: '918046000100',
        duration: 15,
        hours: { timezone: 'UTC', 'mon-sun': '00:00-24:00' },
        slots: { minutes: 1, daysAhead: 1, perSlot: BOOKINGS },
      },
    },
    webhookSecret: 'bench-webhook-secret-0123',
    rateLimits: 'off',
    store,
    logger: () => {},
    transport: provider,
    now,
    sweepIntervalMs: SWEEP_MS,
  });
  try {
    const at = new Date(slot).toISOString();
    await inBatches(
      Array.from({ length: BOOKINGS }, (_, i) => i),
      32,
      async (i) => {
        const response = await relay.request('/calls', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ phone: benchNumber(4_000_000 + i), target: 'rush', at }),
        });
        if (response.status !== 202) throw new Error(`booking answered ${response.status}: ${await response.text()}`);
      },
    );
    shift = slot - 1500 - Date.now(); // the slot comes in 1.5 s
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`only ${dials.length} of ${BOOKINGS} dialled`)), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const seconds = Math.max(dials[dials.length - 1]! - dials[0]!, 1) / 1000;
    return { delays: dials.map((t) => t - slot), perSecond: BOOKINGS / seconds };
  } finally {
    await relay.close();
  }
}

/** Booked callbacks: how fast a relay dials those due at once, and how late the last of them ring. */
export async function dispatch(): Promise<Row[]> {
  const rows: Row[] = [];
  const memory = await measure(new MemoryCallStore());
  const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-bench-dispatch-'));
  let file: Awaited<ReturnType<typeof measure>>;
  try {
    file = await measure(createSqliteStore({ path: join(dir, 'relay.db') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const redis = await startRedis();
  let shared: Awaited<ReturnType<typeof measure>>;
  try {
    shared = await measure(await createRedisStore({ url: redis.url, prefix: 'bench-dispatch:' }));
  } finally {
    await redis.stop();
  }
  for (const [where, result] of [
    ['memory', memory],
    ['SQLite', file],
    ['Redis', shared],
  ] as const) {
    const p99 = percentile(result.delays, 99);
    rows.push(
      {
        measure: `bookings dialled per second, ${BOOKINGS} due in one minute (${where} store)`,
        value: round(result.perSecond, 0),
        unit: '/s',
      },
      {
        measure: `dispatch delay p50, slot start to dial, sweeping every second (${where})`,
        value: round(percentile(result.delays, 50)),
        unit: 'ms',
      },
      {
        measure: `dispatch delay p99, slot start to dial, sweeping every second (${where})`,
        value: round(p99),
        unit: 'ms',
        goal: '< 2000 ms',
        met: p99 < 2000,
      },
    );
  }
  return rows;
}
