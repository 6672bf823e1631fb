// The cost of checking a verification code, and of refusing a flood of guesses.
//   node --import tsx bench/measures/verification-check.ts serve   the relay this measure loads
// As a measure (from bench/run.ts) it starts that server in a child process, so the load
// generator and the server do not share a core, and a bare echo as the baseline.
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createRelay, MemoryCallStore, type RelayOptions } from '../../src/relay/index.js';
import { round, startServer, type Row } from '../lib.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;
const PLENTY = 1_000_000_000;

/** A relay with one verify target, Mobtexting answered in-process, guesses limited as by default. */
function verifyingRelay(guesses: string): ReturnType<typeof createRelay> {
  const accepted = JSON.stringify({ callId: '26074c32-b316-4ffa-99d7-9f6a99da56d6', message: 'ok', status: 200 });
  const options: RelayOptions = {
    apiToken: 'bench-token-0123456789',
    bridge: '918046000000',
    targets: { otp: { to: 'flow:220', codeVariable: 'otp', digits: 6 } },
    webhookSecret: 'bench-webhook-secret-0123',
    ticketSecret: 'bench-ticket-secret-0123456789abcdef0123',
    rateLimits: 'off',
    verifyRateLimits: `number=${PLENTY}/1h,ip=${PLENTY}/1h,global=${PLENTY}/1h,${guesses}`,
    store: new MemoryCallStore(),
    logger: () => {},
    fetch: async () => new Response(accepted, { status: 200, headers: { 'Content-Type': 'application/json' } }),
  };
  return createRelay(options);
}

/** What answers requests in this process: a relay. */
type App = Pick<Hono, 'request'> | Pick<ReturnType<typeof createRelay>, 'request'>;

const post = (app: App, path: string, body: unknown) =>
  app.request(`http://bench.test${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Starts `count` verifications to numbers no one has; answers their ids. */
async function startVerifications(app: App, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await post(app, '/verifications', {
      phone: `+91 97${String(i).padStart(8, '0')}`,
      target: 'otp',
    });
    if (response.status !== 202) throw new Error(`a verification was refused: ${await response.text()}`);
    ids.push((await response.json()).verificationId);
  }
  return ids;
}

/** CPU microseconds (user and system) per run of `work`, in this process. */
async function cpuPer(count: number, work: (i: number) => Response | Promise<Response>): Promise<number> {
  for (let i = 0; i < 200; i++) await (await work(i)).arrayBuffer(); // warm-up
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await (await work(i)).arrayBuffer();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/** Guesses from one address at one verification, as fast as 50 connections send them. */
async function flood(port: number, verificationId: string): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/c2c/verifications/${verificationId}/check`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: '000000' }),
  });
}

/** Loads the bare echo with the same body, for the baseline. */
async function echo(port: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/c2c/calls`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: '000000' }),
  });
}

/**
 * Checking a code: what one costs in CPU when it is compared (a wrong code on an open
 * verification: the store's reads and count, an HMAC, the answer) and when it is refused
 * by the limit on guesses from one address; then how many refusals a second one relay
 * process answers to a flood of guesses from one address, next to a bare echo.
 */
export async function verificationCheck(): Promise<Row[]> {
  const compared = verifyingRelay(`guesses=${PLENTY}/1h`);
  const ids = await startVerifications(compared, 400);
  // Five tries each: every check is compared, none is refused for tries.
  const comparedUs = await cpuPer(1800, (i) =>
    post(compared, `/verifications/${ids[i % 400]}/check`, { code: '000000' }),
  );
  await compared.close();

  const limited = verifyingRelay('guesses=10/1h');
  const [target] = await startVerifications(limited, 1);
  const refusedUs = await cpuPer(20_000, () => post(limited, `/verifications/${target}/check`, { code: '000000' }));
  await limited.close();

  const baseline = await startServer('bench/servers.ts', ['echo']);
  let echoed: autocannon.Result;
  try {
    await echo(baseline.port).catch(() => undefined); // warm-up run, discarded
    echoed = await echo(baseline.port);
  } finally {
    await baseline.stop();
  }
  const server = await startServer('bench/measures/verification-check.ts', ['serve']);
  let flooded: autocannon.Result;
  try {
    const started = await fetch(`http://127.0.0.1:${server.port}/c2c/verifications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: '+91 97000 00001', target: 'otp' }),
    });
    const { verificationId } = await started.json();
    await flood(server.port, verificationId).catch(() => undefined); // warm-up run, discarded
    flooded = await flood(server.port, verificationId);
  } finally {
    await server.stop();
  }
  const refusals = flooded.non2xx;
  if (flooded['2xx'] > 0) throw new Error(`${flooded['2xx']} guesses of 000000 were taken`);
  const perSecond = refusals / DURATION_S;
  const ratio = perSecond / echoed.requests.average;
  return [
    { measure: 'code check, compared (wrong code): CPU', value: round(comparedUs, 1), unit: 'µs' },
    {
      measure: 'code check refused by the guess limit: CPU',
      value: round(refusedUs, 1),
      unit: 'µs',
      baseline: round(comparedUs, 1),
      ratio: round(refusedUs / comparedUs),
    },
    {
      measure: 'guesses refused from one address',
      value: round(perSecond, 0),
      unit: 'req/s',
      baseline: round(echoed.requests.average, 0),
      ratio: round(ratio),
      goal: 'ratio ≥ 0.5',
      met: ratio >= 0.5,
    },
    {
      measure: 'guesses refused from one address: p99 latency',
      value: flooded.latency.p99,
      unit: 'ms',
      baseline: echoed.latency.p99,
    },
  ];
}

// Run as a script with `serve`: the relay the flood is sent to, on 127.0.0.1.
if (process.argv[2] === 'serve' && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const app = new Hono().route('/c2c', verifyingRelay('guesses=10/1h'));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
    console.log(`listening ${info.port}`),
  );
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    (server as import('node:http').Server).closeAllConnections?.();
  });
}
