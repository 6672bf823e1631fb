import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running `mt-c2c-relay` (or demo) process. */
export interface RelayProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:port` */
  origin: string;
  stdout: string[];
  stderr: string[];
  /** Sends SIGTERM and answers the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Environment that keeps a child relay quiet and quick, and its state in memory (no
 * `.mt-c2c/` left in the repository) unless the test names a store.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const store = 'MT_STORE' in extra || 'REDIS_URL' in extra ? {} : { MT_STORE: 'memory' };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...store, ...extra };
  return env;
}

/**
 * Runs a relay entry point (TypeScript through tsx, or a built file) and waits until it
 * says where it listens. The process is stopped by `stop()`; tests must call it.
 */
export async function spawnRelay(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<RelayProcess> {
  const nodeArgs = entry.endsWith('.ts') ? ['--import', 'tsx', entry, ...args] : [entry, ...args];
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    // A relay that never says it listens is stopped, so that the test fails instead of waiting for it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within 15 s:\n${stderr.join('\n')}`));
    }, 15_000);
    collect(child.stdout!, stdout);
    collect(child.stderr!, stderr, (line) => {
      const match = /at (http:\/\/[^/\s]+:(\d+))/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[2]}`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${stderr.join('\n')}`));
    });
  });
  return {
    child,
    origin,
    stdout,
    stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a command to its end. */
export function runToEnd(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function collect(stream: NodeJS.ReadableStream, lines: string[], onLine?: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
