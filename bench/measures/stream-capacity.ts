import { benchNumber, getJson, inBatches, openStream, postJson, type Stream } from '../load.js';
import { round, startServer, type Row } from '../lib.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const GOAL_RSS_MB = 400;

/**
 * Stream capacity: opens one event stream per call for STREAMS calls on one relay
 * process; reports the memory each stream costs and the process's resident memory, then
 * closes them all and checks that the relay let every one go.
 */
export async function streamCapacity(): Promise<Row[]> {
  const server = await startServer('bench/servers.ts', ['relay'], { BENCH_LIMITS: 'off' });
  const base = `http://127.0.0.1:${server.port}`;
  const streams: Stream[] = [];
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
    const before = (await getJson(`${base}/bench/stats`)).rss as number;
    const started = performance.now();
    streams.push(
      ...(await inBatches(callIds, 256, (callId) => openStream(`${base}/c2c/calls/${callId}/events`, () => {}))),
    );
    const openSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const open = await getJson(`${base}/bench/stats`);
    if (open.streams !== STREAMS) throw new Error(`the relay holds ${open.streams} streams, not ${STREAMS}`);
    for (const stream of streams) stream.close();
    await Promise.all(streams.map((s) => s.closed));
    let after = await getJson(`${base}/bench/stats`);
    for (let i = 0; i < 50 && after.streams > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await getJson(`${base}/bench/stats`);
    }
    const perStreamKiB = (open.rss - before) / STREAMS / 1024;
    const rssMB = open.rss / 2 ** 20;
    return [
      {
        measure: `${STREAMS} open streams: relay resident memory`,
        value: round(rssMB, 0),
        unit: 'MiB',
        baseline: round(before / 2 ** 20, 0),
        goal: `< ${GOAL_RSS_MB} MiB`,
        met: rssMB < GOAL_RSS_MB,
      },
      { measure: 'memory per open stream', value: round(perStreamKiB, 1), unit: 'KiB' },
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
    await server.stop();
  }
}
