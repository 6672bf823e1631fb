import { startRedis } from '../../test/helpers/redis.js';
import { benchNumber, inBatches, openStream, postJson, type Stream } from '../load.js';
import { percentile, round, startServer, type BenchServer, type Row } from '../lib.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const SECRET = 'bench-webhook-secret-0123';

/**
 * Opens CALLS calls on `streamOn` with a stream each, then posts their completion
 * webhooks to `reportTo`, `concurrency` at a time, and measures, for each, the time from
 * sending the webhook to the state arriving on the stream. One at a time is latency, as
 * calls end one by one; more at a time adds the wait behind the others.
 */
async function measure(
  streamOn: BenchServer,
  reportTo: BenchServer,
  offset: number,
  concurrency = 1,
): Promise<number[]> {
  const base = `http://127.0.0.1:${streamOn.port}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let resolveAll!: () => void;
  const allArrived = new Promise<void>((resolve) => (resolveAll = resolve));
  const calls = await inBatches(
    Array.from({ length: CALLS }, (_, i) => i),
    32,
    async (i) => {
      const phone = benchNumber(offset + i);
      const answer = await postJson(`${base}/c2c/calls`, { phone, target: 'sales' });
      if (answer.status !== 202) throw new Error(`call answered ${answer.status}`);
      return { callId: answer.body.callId as string, digits: phone.replace(/\D/g, '') };
    },
  );
  const streams: Stream[] = await inBatches(calls, 128, ({ callId }) =>
    openStream(`${base}/c2c/calls/${callId}/events`, (call, at) => {
      const sent = sentAt.get(call.callId);
      if (call.state !== 'busy' || sent === undefined) return;
      latencies.push(at - sent);
      if (latencies.length === CALLS) resolveAll();
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await inBatches(calls, concurrency, async ({ callId, digits }) => {
      sentAt.set(callId, performance.now());
      const answer = await postJson(
        `http://127.0.0.1:${reportTo.port}/c2c/webhooks/mobtexting`,
        {
          bridge: 918046000000,
          from: Number(digits),
          to: 918046000100,
          source: 'C2C',
          status: 'BUSY',
          status1: 'BUSY',
          status2: '',
          duration: '0',
          billing: '0',
        },
        { Authorization: `Bearer ${SECRET}` },
      );
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
    });
    await Promise.race([
      allArrived,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`only ${latencies.length} of ${CALLS} states arrived`)), 30_000),
      ),
    ]);
    return latencies;
  } finally {
    for (const stream of streams) stream.close();
  }
}

/** Webhook to browser: in one process, and across two instances sharing Redis. */
export async function webhookLatency(): Promise<Row[]> {
  const rows: Row[] = [];
  const single = await startServer('bench/servers.ts', ['relay'], { BENCH_LIMITS: 'off' });
  try {
    const latencies = await measure(single, single, 2_000_000);
    const p99 = percentile(latencies, 99);
    const burst = await measure(single, single, 2_500_000, 8);
    rows.push(
      {
        measure: `webhook → stream, one process, p50 (${CALLS} calls)`,
        value: round(percentile(latencies, 50)),
        unit: 'ms',
      },
      {
        measure: `webhook → stream, one process, p99 (${CALLS} calls)`,
        value: round(p99),
        unit: 'ms',
        goal: '< 10 ms',
        met: p99 < 10,
      },
      { measure: 'the same, webhooks 8 at a time, p99', value: round(percentile(burst, 99)), unit: 'ms' },
    );
  } finally {
    await single.stop();
  }

  const redis = await startRedis();
  const env = { BENCH_LIMITS: 'off', REDIS_URL: redis.url, BENCH_PREFIX: 'bench-latency:' };
  const [a, b] = await Promise.all([
    startServer('bench/servers.ts', ['relay'], env),
    startServer('bench/servers.ts', ['relay'], env),
  ]);
  try {
    const latencies = await measure(a, b, 3_000_000);
    const p99 = percentile(latencies, 99);
    rows.push(
      { measure: 'webhook on B → stream on A via Redis, p50', value: round(percentile(latencies, 50)), unit: 'ms' },
      {
        measure: 'webhook on B → stream on A via Redis, p99',
        value: round(p99),
        unit: 'ms',
        goal: '< 50 ms',
        met: p99 < 50,
      },
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  }
  return rows;
}
