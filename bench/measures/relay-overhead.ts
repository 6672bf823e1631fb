import autocannon from 'autocannon';
import { benchNumber } from '../load.js';
import { cpuMicros, median, relayEnv, round, startServer, type BenchServer, type Row } from '../lib.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

let n = 0;

/** One run: `POST /c2c/calls` with a different valid number each time, and the server's CPU. */
async function load(server: BenchServer): Promise<{ rps: number; cpu: number; p50: number; p99: number }> {
  const before = cpuMicros(server.child.pid!);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/c2c/calls`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ phone: benchNumber(++n), target: 'sales' }) }),
      },
    ],
  });
  const refused = result.non2xx + result.errors;
  if (refused > 0) throw new Error(`${refused} of ${result.requests.total} benchmark requests failed`);
  const cpu = (cpuMicros(server.child.pid!) - before) / result.requests.total;
  return { rps: result.requests.average, cpu, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * Relay overhead, against what a site would otherwise write: the minimal relay (Hono,
 * `c.req.json()`, a simple phone check, `fetch` to the provider, 202), the same with a
 * keep-alive `node:http` client, and the real `mt-c2c-relay` (every check, limits,
 * store, events, pino logging). All three reach the same provider, in its own process,
 * over real HTTP; they are loaded in turns, ROUNDS times, and each figure is the median.
 */
export async function relayOverhead(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const env = { BENCH_PROVIDER: `http://127.0.0.1:${provider.port}/` };
  const servers = {
    fetch: await startServer('bench/servers.ts', ['minimal-fetch'], env),
    keepalive: await startServer('bench/servers.ts', ['minimal-keepalive'], env),
    relay: await startServer('bench/servers.ts', ['relay'], relayEnv(provider.port)),
  };
  const runs: Record<keyof typeof servers, Awaited<ReturnType<typeof load>>[]> = {
    fetch: [],
    keepalive: [],
    relay: [],
  };
  try {
    for (const server of Object.values(servers)) await load(server); // warm-up, discarded
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, server] of Object.entries(servers)) runs[name as keyof typeof servers].push(await load(server));
    }
  } finally {
    await Promise.all([...Object.values(servers), provider].map((server) => server.stop()));
  }
  const of = (name: keyof typeof servers, field: 'rps' | 'cpu' | 'p50' | 'p99') =>
    median(runs[name].map((r) => r[field]));
  const vsFetch = of('relay', 'rps') / of('fetch', 'rps');
  const vsKeepalive = of('relay', 'rps') / of('keepalive', 'rps');
  return [
    {
      measure: 'POST /calls throughput vs a minimal fetch relay',
      value: round(of('relay', 'rps'), 0),
      unit: 'req/s',
      baseline: round(of('fetch', 'rps'), 0),
      ratio: round(vsFetch),
      goal: 'ratio ≥ 1.2',
      met: vsFetch >= 1.2,
    },
    {
      measure: 'POST /calls throughput vs a minimal keep-alive relay',
      value: round(of('relay', 'rps'), 0),
      unit: 'req/s',
      baseline: round(of('keepalive', 'rps'), 0),
      ratio: round(vsKeepalive),
      goal: 'ratio ≥ 0.8',
      met: vsKeepalive >= 0.8,
    },
    { measure: 'CPU per request: relay', value: round(of('relay', 'cpu'), 0), unit: 'µs' },
    { measure: 'CPU per request: minimal fetch relay', value: round(of('fetch', 'cpu'), 0), unit: 'µs' },
    { measure: 'CPU per request: minimal keep-alive relay', value: round(of('keepalive', 'cpu'), 0), unit: 'µs' },
    ...(['relay', 'fetch', 'keepalive'] as const).flatMap((name) => [
      { measure: `p50 latency: ${name}`, value: round(of(name, 'p50'), 1), unit: 'ms' },
      { measure: `p99 latency: ${name}`, value: round(of(name, 'p99'), 1), unit: 'ms' },
    ]),
  ];
}
