import { startRedis } from '../../test/helpers/redis.js';
import { benchNumber, inBatches, openStream, postJson, type Stream } from '../load.js';
import { percentile, relayEnv, round, startServer, type BenchServer, type Row } from '../lib.js';

/** Streams held open while the latency is measured. */
const OPEN = Number(process.env.BENCH_OPEN_STREAMS ?? 10_000);
/** Calls whose webhook is timed, among the open ones. */
const TIMED = Number(process.env.BENCH_CALLS ?? 1000);
const SECRET = 'bench-webhook-secret-0123';

/**
 * Opens OPEN calls on `streamOn`, each with a stream, then posts the completion webhooks
 * of TIMED of them to `reportTo`, one at a time, and measures for each the time from
 * sending the webhook to the state arriving on its stream.
 */
async function measure(streamOn: BenchServer, reportTo: BenchServer, offset: number): Promise<number[]> {
  const base = `http://127.0.0.1:${streamOn.port}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let resolveAll!: () => void;
  const allArrived = new Promise<void>((resolve) => (resolveAll = resolve));
  const calls = await inBatches(
    Array.from({ length: OPEN }, (_, i) => i),
    64,
    async (i) => {
      const phone = benchNumber(offset + i);
      const answer = await postJson(`${base}/c2c/calls`, { phone, target: 'sales' });
      if (answer.status !== 202) throw new Error(`call answered ${answer.status}`);
      return { callId: answer.body.callId as string, digits: phone.replace(/\D/g, '') };
    },
  );
  const streams: Stream[] = await inBatches(calls, 256, ({ callId }) =>
    openStream(`${base}/c2c/calls/${callId}/events`, (call, at) => {
      const sent = sentAt.get(call.callId);
      if (call.state !== 'busy' || sent === undefined) return;
      latencies.push(at - sent);
      if (latencies.length === TIMED) resolveAll();
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Spread over the open calls, so that the timed ones are not all the newest.
    const timed = Array.from({ length: TIMED }, (_, i) => calls[Math.floor((i * OPEN) / TIMED)]!);
    for (const { callId, digits } of timed) {
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
          mid: callId,
        },
        { Authorization: `Bearer ${SECRET}` },
      );
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
    }
    await Promise.race([
      allArrived,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`only ${latencies.length} of ${TIMED} states arrived`)), 60_000),
      ),
    ]);
    return latencies;
  } finally {
    for (const stream of streams) stream.close();
  }
}

/** The rows for one setting: p50, p99 against its goal, and the worst, against 50 ms. */
function rows(where: string, latencies: number[], goalMs: number): Row[] {
  const p99 = percentile(latencies, 99);
  const worst = Math.max(...latencies);
  return [
    { measure: `webhook → stream ${where}, p50`, value: round(percentile(latencies, 50)), unit: 'ms' },
    {
      measure: `webhook → stream ${where}, p99`,
      value: round(p99),
      unit: 'ms',
      goal: `≤ ${goalMs} ms`,
      met: p99 <= goalMs,
    },
    {
      measure: `webhook → stream ${where}, worst`,
      value: round(worst),
      unit: 'ms',
      goal: '≤ 50 ms',
      met: worst <= 50,
    },
  ];
}

/**
 * Webhook to browser: with OPEN streams open on the real relay, how long a state takes
 * from Mobtexting's webhook to the visitor's stream: in one process (memory), and from an
 * instance B that receives the webhook to an instance A that holds the stream, through Redis.
 */
export async function webhookLatency(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const result: Row[] = [];
  try {
    const single = await startServer('bench/servers.ts', ['relay'], relayEnv(provider.port));
    try {
      result.push(...rows(`with ${OPEN} streams, one process`, await measure(single, single, 1_000_000), 10));
    } finally {
      await single.stop();
    }
    const redis = await startRedis();
    const env = relayEnv(provider.port, { MT_STORE: redis.url });
    const [a, b] = await Promise.all([
      startServer('bench/servers.ts', ['relay'], env),
      startServer('bench/servers.ts', ['relay'], env),
    ]);
    try {
      result.push(...rows(`with ${OPEN} streams, B → A through Redis`, await measure(a, b, 3_000_000), 25));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    }
  } finally {
    await provider.stop();
  }
  return result;
}
