import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A benchmark server in a child process. */
export interface BenchServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Starts `bench/servers.ts <kind>` (or another script) and waits for its port. */
export function startServer(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      const match = /listening (\d+)/.exec(text);
      if (match) {
        resolve({
          child,
          port: Number(match[1]),
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
  });
}

/** One row of the results table. */
export interface Row {
  measure: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
  met?: boolean;
}

/** The p-th percentile (0-100) of some numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Rounds for display. */
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** CPU time a process has used so far (user and system), in microseconds, from `/proc`. */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / CLOCK_TICKS);
}

/** Clock ticks per second, as `/proc` counts CPU time (100 on Linux). */
const CLOCK_TICKS = 100;

/** The median of some numbers. */
export const median = (values: number[]) => percentile(values, 50);

/** The environment of a real relay server in live mode against the bench's provider. */
export function relayEnv(providerPort: number, extra: Record<string, string> = {}): Record<string, string> {
  const huge = '1000000000';
  return {
    MT_API_TOKEN: 'bench-token-0123456789',
    MT_API_BASE: `http://127.0.0.1:${providerPort}/`,
    MT_BRIDGE: '918046000000',
    MT_TARGETS: JSON.stringify({ sales: { to: '918046000100', duration: 15 } }),
    MT_WEBHOOK_SECRET: 'bench-webhook-secret-0123',
    // Limits that never trip, so that their cost is measured without refusals.
    MT_RATE_LIMITS: `ip=${huge}/1h,number=${huge}/1h,prefix=${huge}/1h,target=${huge}/1h,global=${huge}/1h`,
    MT_STORE: 'memory',
    MT_MAX_CONNECTIONS: '1000000',
    MT_CONNECTIONS_PER_ADDRESS: '1000000',
    MT_STREAMS_PER_ADDRESS: '100000',
    ...extra,
  };
}
