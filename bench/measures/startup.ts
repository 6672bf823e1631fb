import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/process.js';
import { median, relayEnv, ROOT, round, type Row } from '../lib.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

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
 * app on the same adapter; the median of RUNS each, taken in turns.
 */
export async function startup(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-bench-'));
  const bare: number[] = [];
  const relay: number[] = [];
  try {
    const env = relayEnv(9, { MT_STORE: `sqlite:${join(dir, 'relay.db')}` });
    for (let i = 0; i < RUNS; i++) {
      bare.push(await timeToHealthy(['bench/fixtures/bare-hono.mjs'], {}));
      relay.push(await timeToHealthy(['bin/mt-c2c-relay.js'], env));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(relay) / median(bare);
  return [
    {
      measure: 'start-up to a healthy /health',
      value: round(median(relay), 0),
      unit: 'ms',
      baseline: round(median(bare), 0),
      ratio: round(ratio),
      goal: 'ratio ≤ 1.5',
      met: ratio <= 1.5,
    },
  ];
}
