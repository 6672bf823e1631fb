import autocannon from 'autocannon';
import { getJson } from '../load.js';
import { relayEnv, round, startServer, type BenchServer, type Row } from '../lib.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);

async function flood(server: BenchServer): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/c2c/calls`,
    connections: 50,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+91 98765 43210', target: 'sales' }),
      },
    ],
  });
  return result.requests.average;
}

/**
 * A flood of refused requests: one address, over its limit, sending as fast as it can.
 * Each is answered `429` before its body is read; the relay's throughput is set against a
 * bare Hono echo's, and its memory before and after shows that refusals keep nothing.
 */
export async function refusalFlood(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const echo = await startServer('bench/servers.ts', ['echo']);
  const relay = await startServer(
    'bench/servers.ts',
    ['relay'],
    relayEnv(provider.port, { MT_RATE_LIMITS: 'ip=1/1h' }),
    ['--expose-gc'],
  );
  const stats = async () => {
    await fetch(`http://127.0.0.1:${relay.port}/bench/gc`, { method: 'POST' });
    return (await getJson(`http://127.0.0.1:${relay.port}/bench/stats`)) as { heapUsed: number; rss: number };
  };
  try {
    await flood(relay); // warm-up, and the address reaches its limit
    const before = await stats();
    const refused = await flood(relay);
    const after = await stats();
    const bare = await flood(echo);
    const ratio = refused / bare;
    const grewMiB = (after.heapUsed - before.heapUsed) / 2 ** 20;
    return [
      {
        measure: '429 flood from one address vs a bare Hono echo',
        value: round(refused, 0),
        unit: 'req/s',
        baseline: round(bare, 0),
        ratio: round(ratio),
        goal: 'ratio ≥ 0.5',
        met: ratio >= 0.5,
      },
      {
        measure: 'heap growth over the flood',
        value: round(grewMiB, 1),
        unit: 'MiB',
        goal: '< 5 MiB (flat)',
        met: grewMiB < 5,
      },
    ];
  } finally {
    await Promise.all([relay.stop(), echo.stop(), provider.stop()]);
  }
}
