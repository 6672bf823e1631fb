import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { getJson } from '../load.js';
import { relayEnv, round, startServer, type Row } from '../lib.js';

const STREAMS = Number(process.env.BENCH_ATTACK_STREAMS ?? 2000);
const SLOW_POSTS = Number(process.env.BENCH_ATTACK_POSTS ?? 2000);
const REAL_CALLS = Number(process.env.BENCH_REAL_CALLS ?? 200);
const ATTACKER = '127.0.0.2';

/** A socket from `localAddress` that sends `text` and keeps the connection open. */
function hold(port: number, localAddress: string, text: string): Promise<{ socket: Socket; answered: () => string }> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write(text);
      resolve({ socket, answered: () => received });
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => resolve({ socket, answered: () => received || 'error' }));
  });
}

/** A call from `localAddress`: its status (0 when the connection failed) and body. */
function realCall(port: number, localAddress: string, phone: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ phone, target: 'sales' });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/c2c/calls',
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/**
 * One address attacks the real relay with STREAMS event streams and SLOW_POSTS requests
 * whose bodies never finish, while REAL_CALLS visitors, each from an address of its own,
 * place calls. Reports how much of the attack the relay refused, whether the visitors'
 * calls went through, and the relay's memory before, during and after.
 */
export async function exhaustion(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const env = relayEnv(provider.port, {
    MT_RATE_LIMITS: 'ip=10/10m,number=3/1h,prefix=100000/1h,target=100000/1h,global=100000/1h',
    MT_MAX_CONNECTIONS: '4000',
    MT_CONNECTIONS_PER_ADDRESS: '64',
    MT_STREAMS_PER_ADDRESS: '32',
  });
  const relay = await startServer('bench/servers.ts', ['relay'], env);
  const held: Socket[] = [];
  const rss = async () =>
    ((await getJson(`http://127.0.0.1:${relay.port}/bench/stats`)) as { rss: number }).rss / 2 ** 20;
  try {
    const before = await rss();
    const call = await realCall(relay.port, ATTACKER, '+91 98765 00011');
    if (call.status !== 202) throw new Error(`the attacker's own call answered ${call.status}`);
    const { callId } = JSON.parse(call.body) as { callId: string };
    const events = `GET /c2c/calls/${callId}/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`;
    const opened = await Promise.all(Array.from({ length: STREAMS }, () => hold(relay.port, ATTACKER, events)));
    const slow = await Promise.all(
      Array.from({ length: SLOW_POSTS }, () =>
        hold(
          relay.port,
          ATTACKER,
          'POST /c2c/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"phone":',
        ),
      ),
    );
    held.push(...opened.map((o) => o.socket), ...slow.map((o) => o.socket));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const during = await rss();
    const refused = [...opened, ...slow].filter(
      (o) => /^HTTP\/1\.1 (429|503)/.test(o.answered()) || o.socket.destroyed,
    );
    const calls = await Promise.all(
      Array.from({ length: REAL_CALLS }, (_, i) =>
        realCall(
          relay.port,
          `127.0.${10 + Math.floor(i / 200)}.${(i % 200) + 1}`,
          `+91 97${String(i).padStart(8, '0')}`,
        ),
      ),
    );
    const served = calls.filter((c) => c.status === 202).length;
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await rss();
    return [
      {
        measure: `one address: ${STREAMS} held connections and ${SLOW_POSTS} unfinished POSTs, refused at once`,
        value: refused.length,
        unit: `of ${STREAMS + SLOW_POSTS}`,
      },
      {
        measure: 'meanwhile, calls from other addresses that went through',
        value: served,
        unit: `of ${REAL_CALLS}`,
        goal: 'all',
        met: served === REAL_CALLS,
      },
      {
        measure: 'relay resident memory before / during / after the attack',
        value: round(during, 0),
        unit: 'MiB',
        baseline: round(before, 0),
        goal: `after ${round(after, 0)} MiB; < 400 MiB during`,
        met: during < 400,
      },
    ];
  } finally {
    for (const socket of held) socket.destroy();
    await Promise.all([relay.stop(), provider.stop()]);
  }
}
