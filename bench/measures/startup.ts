import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/process.js';
import { median, relayEnv, ROOT, round, type Row } from '../lib.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 11);

/** Milliseconds from spawning `args` until `GET /c2c/health` answers 200. */
async function timeToHealthy(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/c2c/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 20_000) throw new Error(`${args.join(' ')} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * Start-up: from `node` starting to the first healthy `/health`, for the built
 * `mt-c2c-relay` in live mode with its default store (a SQLite file) against a bare Hono
 * app on the same adapter; the median of RUNS each, taken in turns. The same with the
 * memory store shows what opening the SQLite file costs.
 */
export async function startup(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-bench-'));
  const bare: number[] = [];
  const sqlite: number[] = [];
  const memory: number[] = [];
  try {
    const withSqlite = relayEnv(9, { MT_STORE: `sqlite:${join(dir, 'relay.db')}` });
    const withMemory = relayEnv(9, { MT_STORE: 'memory' });
    for (let i = 0; i < RUNS; i++) {
      bare.push(await timeToHealthy(['bench/fixtures/bare-hono.mjs'], {}));
      sqlite.push(await timeToHealthy(['bin/mt-c2c-relay.js'], withSqlite));
      memory.push(await timeToHealthy(['bin/mt-c2c-relay.js'], withMemory));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (measure: string, times: number[], goal?: number): Row => {
    const ratio = median(times) / median(bare);
    return {
      measure,
      value: round(median(times), 0),
      unit: 'ms',
      baseline: round(median(bare), 0),
      ratio: round(ratio),
      ...(goal !== undefined && { goal: `ratio ≤ ${goal}`, met: ratio <= goal }),
    };
  };
  return [
    row('start-up to a healthy /health', sqlite, 1.5),
    row('start-up to a healthy /health, memory store (nothing kept across restarts)', memory),
  ];
}
