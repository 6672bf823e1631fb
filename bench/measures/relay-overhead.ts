import autocannon from 'autocannon';
import { round, startServer, type Row } from '../lib.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;

let n = 0;

/** Loads `POST /c2c/calls` with a different valid Indian mobile number on every request. */
async function load(port: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/c2c/calls`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          n++;
          const phone = `+91 9${String(n).padStart(9, '0')}`;
          return { ...request, body: JSON.stringify({ phone, target: 'sales' }) };
        },
      },
    ],
  });
}

async function measure(kind: 'echo' | 'relay'): Promise<autocannon.Result> {
  const server = await startServer('bench/servers.ts', [kind]);
  try {
    await load(server.port).catch(() => undefined); // warm-up run, discarded
    return await load(server.port);
  } finally {
    await server.stop();
  }
}

/**
 * Relay overhead: requests per second through the full relay (validation, number
 * check, limits, store, upstream answered in-process) against a bare Hono POST-JSON echo
 * on the same adapter, in the same run, with the same load tool.
 */
export async function relayOverhead(): Promise<Row[]> {
  const echo = await measure('echo');
  const relay = await measure('relay');
  const errors = relay.non2xx + relay.errors;
  if (errors > 0) throw new Error(`the relay refused ${errors} of ${relay.requests.total} benchmark requests`);
  const ratio = relay.requests.average / echo.requests.average;
  return [
    {
      measure: 'POST /calls throughput',
      value: round(relay.requests.average, 0),
      unit: 'req/s',
      baseline: round(echo.requests.average, 0),
      ratio: round(ratio),
      goal: 'ratio ≥ 0.7',
      met: ratio >= 0.7,
    },
    {
      measure: 'POST /calls p99 latency',
      value: relay.latency.p99,
      unit: 'ms',
      baseline: echo.latency.p99,
      ratio: round(relay.latency.p99 / Math.max(echo.latency.p99, 1)),
    },
    { measure: 'POST /calls p99 latency added', value: round(relay.latency.p99 - echo.latency.p99), unit: 'ms' },
  ];
}
