import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../http/ip-address.js';
import type { Logger } from '../log.js';

/** Limits on the connections one server holds. */
export interface ConnectionLimits {
  /** Most connections open at once; past it, new ones get 503 and are closed. */
  max: number;
  /** Most from one client address; `undefined` behind trusted proxies (they are one address). */
  perAddress: number | undefined;
}

/**
 * The most connections the process can hold without starving itself: most of its open-file
 * limit (read from `/proc/self/limits` on Linux), leaving room for calls to Mobtexting,
 * the store and files. Elsewhere, 10,000.
 */
export function defaultMaxConnections(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    if (soft > 0) return Math.max(Math.floor(soft * 0.85) - 64, 32);
  } catch {
    // not Linux
  }
  return 10_000;
}

/** A plain HTTP answer written straight to a socket, before any request was read. */
function refuse(socket: Socket, status: string, message: string): void {
  const body = JSON.stringify({ error: { code: 'rate_limited', message, retryAfter: 5 } });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nRetry-After: 5\r\nConnection: close\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroySoon?.();
}

/**
 * Watches a server's connections: past `max` in all, or `perAddress` from one client, a
 * new connection is answered 503 or 429 at once and closed, rather than left to starve
 * every other client of file descriptors. Answers the current count, for `/health`.
 */
export function guardConnections(server: Server, limits: ConnectionLimits, log: Logger): () => number {
  let open = 0;
  const byAddress = new Map<string, number>();
  let lastWarning = 0;
  const warn = (why: string) => {
    // Once a minute at most: a flood must not become a flood of log lines.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    log('warn', 'connections.refused', { why, open, max: limits.max });
  };
  server.on('connection', (socket: Socket) => {
    const key = addressKey(socket.remoteAddress ?? 'unknown');
    const fromThere = byAddress.get(key) ?? 0;
    if (open >= limits.max) {
      warn('server full');
      return refuse(socket, '503 Service Unavailable', 'The call service is busy. Please try again shortly.');
    }
    if (limits.perAddress !== undefined && fromThere >= limits.perAddress) {
      warn('one address');
      return refuse(socket, '429 Too Many Requests', 'Too many connections from your network.');
    }
    open++;
    byAddress.set(key, fromThere + 1);
    socket.once('close', () => {
      open--;
      const left = (byAddress.get(key) ?? 1) - 1;
      if (left > 0) byAddress.set(key, left);
      else byAddress.delete(key);
    });
  });
  return () => open;
}
