import { benchNumber, getJson, inBatches, openStream, postJson, type Stream } from '../load.js';
import { relayEnv, round, startServer, type Row } from '../lib.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const GOAL_RSS_MB = 400;
const GOAL_HEAP_KIB = 8;

/**
 * Stream capacity: opens one event stream per call for STREAMS calls on one relay
 * process; reports the memory each stream costs and the process's resident memory, then
 * closes them all and checks that the relay let every one go.
 */
export async function streamCapacity(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const server = await startServer('bench/servers.ts', ['relay'], relayEnv(provider.port), ['--expose-gc']);
  const base = `http://127.0.0.1:${server.port}`;
  const streams: Stream[] = [];
  const stats = async () => {
    await fetch(`${base}/bench/gc`, { method: 'POST' });
    const memory = (await getJson(`${base}/bench/stats`)) as { heapUsed: number; rss: number };
    const health = (await getJson(`${base}/c2c/health`)) as { streams: number };
    return { ...memory, streams: health.streams };
  };
  try {
    const callIds = await inBatches(
      Array.from({ length: STREAMS }, (_, i) => i),
      64,
      async (i) => {
        const answer = await postJson(`${base}/c2c/calls`, { phone: benchNumber(1_000_000 + i), target: 'sales' });
        if (answer.status !== 202) throw new Error(`call ${i} answered ${answer.status}`);
        return answer.body.callId as string;
      },
    );
    const before = await stats();
    const started = performance.now();
    streams.push(
      ...(await inBatches(callIds, 256, (callId) => openStream(`${base}/c2c/calls/${callId}/events`, () => {}))),
    );
    const openSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const open = await stats();
    if (open.streams !== STREAMS) throw new Error(`the relay holds ${open.streams} streams, not ${STREAMS}`);
    for (const stream of streams) stream.close();
    await Promise.all(streams.map((s) => s.closed));
    let after = await stats();
    for (let i = 0; i < 50 && after.streams > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await stats();
    }
    const perStreamKiB = (open.rss - before.rss) / STREAMS / 1024;
    const heapPerStreamKiB = (open.heapUsed - before.heapUsed) / STREAMS / 1024;
    const rssMB = open.rss / 2 ** 20;
    return [
      {
        measure: `${STREAMS} open streams: relay resident memory`,
        value: round(rssMB, 0),
        unit: 'MiB',
        baseline: round(before.rss / 2 ** 20, 0),
        goal: `< ${GOAL_RSS_MB} MiB`,
        met: rssMB < GOAL_RSS_MB,
      },
      { measure: 'resident memory per open stream', value: round(perStreamKiB, 1), unit: 'KiB' },
      {
        measure: 'heap per open stream',
        value: round(heapPerStreamKiB, 1),
        unit: 'KiB',
        goal: `≤ ${GOAL_HEAP_KIB} KiB`,
        met: heapPerStreamKiB <= GOAL_HEAP_KIB,
      },
      { measure: `time to open ${STREAMS} streams`, value: round(openSeconds, 1), unit: 's' },
      {
        measure: 'streams still held after all closed',
        value: after.streams,
        unit: '',
        goal: '0',
        met: after.streams === 0,
      },
    ];
  } finally {
    for (const stream of streams) stream.close();
    await Promise.all([server.stop(), provider.stop()]);
  }
}
