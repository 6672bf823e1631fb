import type { SseReader } from '../../test/helpers/sse.js';
import { postReport, startWorkerRelay, type WorkerRelay } from '../../test/helpers/workerd.js';
import { benchNumber, inBatches } from '../load.js';
import { percentile, round, type Row } from '../lib.js';

/** Calls placed one after another, then with many at once, and calls whose report is timed. */
const SEQUENTIAL = Number(process.env.BENCH_WORKERS_SEQUENTIAL ?? 300);
const CONCURRENT = Number(process.env.BENCH_WORKERS_CONCURRENT ?? 1000);
const AT_ONCE = 32;
const TIMED = Number(process.env.BENCH_WORKERS_TIMED ?? 200);
const HUGE = '1000000000';

/** Places `count` calls, `atOnce` at a time, numbers from `offset`; answers calls per second and their ids. */
async function place(relay: WorkerRelay, count: number, atOnce: number, offset: number) {
  const started = performance.now();
  const ids = await inBatches(
    Array.from({ length: count }, (_, i) => i),
    atOnce,
    async (i) => {
      const answer = await relay.post('/c2c/calls', { phone: benchNumber(offset + i), target: 'sales' });
      if (answer.status !== 202) throw new Error(`call answered ${answer.status}: ${await answer.text()}`);
      return ((await answer.json()) as { callId: string }).callId;
    },
  );
  return { perSecond: count / ((performance.now() - started) / 1000), ids };
}

/** For each of `ids`, with its stream open, the time from Mobtexting's report to the stream's state. */
async function reportLatencies(relay: WorkerRelay, ids: string[], sent: Record<string, string>[]): Promise<number[]> {
  const streams: SseReader[] = await inBatches(ids, 16, (callId) => relay.stream(`/c2c/calls/${callId}/events`));
  try {
    const latencies: number[] = [];
    for (const [i, stream] of streams.entries()) {
      await stream.states(1);
      const call = sent.find((c) => c.mid === ids[i])!;
      const start = performance.now();
      const answer = await postReport(relay, call, 'BUSY');
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      await stream.states(2);
      latencies.push(performance.now() - start);
    }
    return latencies;
  } finally {
    for (const stream of streams) stream.close();
  }
}

/**
 * The relay on Workers: the built `dist/workers/worker.js` in workerd (Miniflare), every
 * request going to its one Durable Object on SQLite storage, as deployed. How many calls
 * it places per second, one at a time and AT_ONCE at a time (Mobtexting answering at
 * once, so the object's own cost), and how long a webhook's report takes to reach its
 * stream. One object is the relay's whole capacity on Workers: these are its limits.
 */
export async function workers(): Promise<Row[]> {
  const world = { calls: [] as Record<string, string>[], hooks: [], reply: 'accept' as const };
  const relay = await startWorkerRelay({
    world,
    vars: {
      MT_RATE_LIMITS: `ip=${HUGE}/1h,number=${HUGE}/1h,prefix=${HUGE}/1h,target=${HUGE}/1h,global=${HUGE}/1h`,
      MT_STREAMS_PER_ADDRESS: '100000',
      MT_UPSTREAM_TIMEOUT_MS: '10000',
    },
  });
  try {
    await place(relay, 20, 1, 9_000_000); // warm-up
    const sequential = await place(relay, SEQUENTIAL, 1, 0);
    const concurrent = await place(relay, CONCURRENT, AT_ONCE, 1_000_000);
    const timed = await place(relay, TIMED, 8, 2_000_000);
    const latencies = await reportLatencies(relay, timed.ids, world.calls);
    relay.answers.length = 0;
    return [
      { measure: 'Workers: calls placed per second, one at a time', value: round(sequential.perSecond, 0), unit: '/s' },
      {
        measure: `Workers: calls placed per second, ${AT_ONCE} at a time`,
        value: round(concurrent.perSecond, 0),
        unit: '/s',
      },
      { measure: 'Workers: webhook → stream, p50', value: round(percentile(latencies, 50)), unit: 'ms' },
      { measure: 'Workers: webhook → stream, p99', value: round(percentile(latencies, 99)), unit: 'ms' },
    ];
  } finally {
    await relay.stop();
  }
}
