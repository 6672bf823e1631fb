import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox, type SandboxOptions } from './create-sandbox.js';

/** A sandbox listening on a real port. */
export interface SandboxServer {
  sandbox: Sandbox;
  /** Its API base, to use as the relay's `apiBase` (ends in `/api/v2/`). */
  apiBase: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the sandbox as an HTTP server serving `POST /api/v2/voice/c2c`, on 127.0.0.1
 * and a free port unless told otherwise.
 */
export async function startSandboxServer(
  options: SandboxOptions & { port?: number; hostname?: string },
): Promise<SandboxServer> {
  const sandbox = createSandbox(options);
  const app = new Hono().route('/api/v2', sandbox.app);
  const hostname = options.hostname ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    sandbox,
    apiBase: `http://${hostname}:${port}/api/v2/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        sandbox.close();
        server.close(() => resolve());
        (server as import('node:http').Server).closeAllConnections?.();
      }),
  };
}
