import autocannon from 'autocannon';
import { benchNumber, getJson } from '../load.js';
import { relayEnv, round, startServer, type Row } from '../lib.js';

const SECONDS = Number(process.env.BENCH_SUSTAINED_S ?? 60);

/** The slope of a least-squares line through the samples, per second. */
function slope(samples: { t: number; value: number }[]): number {
  const n = samples.length;
  const mt = samples.reduce((sum, s) => sum + s.t, 0) / n;
  const mv = samples.reduce((sum, s) => sum + s.value, 0) / n;
  const num = samples.reduce((sum, s) => sum + (s.t - mt) * (s.value - mv), 0);
  const den = samples.reduce((sum, s) => sum + (s.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Calls made before the measured run: more than the memory store keeps (100,000). */
const WARM_UP_CALLS = Number(process.env.BENCH_SUSTAINED_WARM_UP ?? 110_000);

/**
 * Sustained load with the limits raised: calls for SECONDS seconds, each to a number not
 * called before, after WARM_UP_CALLS calls have filled what the relay keeps (the memory
 * store's calls, its history, a rate-limit window per number), so that what is measured
 * is the steady state and not the filling. Every two seconds the relay is asked for a
 * full garbage collection and then for its heap and resident memory: the heap sampled is
 * what the relay holds, not garbage V8 has yet to collect (which it lets grow as far as
 * its heap limit allows). The slopes over the last half of the run are reported: memory
 * that shrinks meets the goal as well as memory that holds.
 */
export async function sustained(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const relay = await startServer('bench/servers.ts', ['relay'], relayEnv(provider.port), ['--expose-gc']);
  const samples: { t: number; heap: number; rss: number }[] = [];
  let n = 50_000_000;
  const load = (limit: { duration: number } | { amount: number }) =>
    autocannon({
      url: `http://127.0.0.1:${relay.port}/c2c/calls`,
      connections: 50,
      ...limit,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ phone: benchNumber(++n), target: 'sales' }),
          }),
        },
      ],
    });
  let sampling = true;
  try {
    await load({ amount: WARM_UP_CALLS });
    const started = performance.now();
    const sampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        if (!sampling) break;
        await fetch(`http://127.0.0.1:${relay.port}/bench/gc`, { method: 'POST' });
        const { heapUsed, rss } = (await getJson(`http://127.0.0.1:${relay.port}/bench/stats`)) as {
          heapUsed: number;
          rss: number;
        };
        samples.push({ t: (performance.now() - started) / 1000, heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 });
      }
    })();
    const result = await load({ duration: SECONDS });
    sampling = false;
    await sampler;
    const late = samples.filter((s) => s.t >= SECONDS / 2);
    const heapSlope = slope(late.map((s) => ({ t: s.t, value: s.heap }))) * 60;
    const rssSlope = slope(late.map((s) => ({ t: s.t, value: s.rss }))) * 60;
    const last = samples.at(-1)!;
    return [
      {
        measure: `sustained ${SECONDS} s after ${WARM_UP_CALLS.toLocaleString('en')} calls: calls per second`,
        value: round(result.requests.average, 0),
        unit: 'req/s',
      },
      { measure: 'sustained: heap held at the end (after a full collection)', value: round(last.heap, 0), unit: 'MiB' },
      { measure: 'sustained: resident memory at the end', value: round(last.rss, 0), unit: 'MiB' },
      {
        measure: 'sustained: heap held, slope over the second half',
        value: round(heapSlope, 1),
        unit: 'MiB/min',
        goal: '< 5 MiB/min (no growth)',
        met: heapSlope < 5,
      },
      {
        measure: 'sustained: resident memory, slope over the second half',
        value: round(rssSlope, 1),
        unit: 'MiB/min',
        goal: '< 10 MiB/min (no growth)',
        met: rssSlope < 10,
      },
    ];
  } finally {
    sampling = false;
    await Promise.all([relay.stop(), provider.stop()]);
  }
}
