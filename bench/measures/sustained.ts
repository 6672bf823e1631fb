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

/**
 * Sustained load with the limits raised: calls for SECONDS seconds, the relay's heap and
 * resident memory sampled every second. Memory must level off: the slope over the last
 * half of the run is reported.
 */
export async function sustained(): Promise<Row[]> {
  const provider = await startServer('bench/provider.ts', []);
  const relay = await startServer('bench/servers.ts', ['relay'], relayEnv(provider.port));
  const samples: { t: number; heap: number; rss: number }[] = [];
  let n = 50_000_000;
  try {
    const started = performance.now();
    const sampler = setInterval(() => {
      void getJson(`http://127.0.0.1:${relay.port}/bench/stats`).then((s) => {
        const { heapUsed, rss } = s as { heapUsed: number; rss: number };
        samples.push({ t: (performance.now() - started) / 1000, heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 });
      });
    }, 1000);
    const result = await autocannon({
      url: `http://127.0.0.1:${relay.port}/c2c/calls`,
      connections: 50,
      duration: SECONDS,
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
    clearInterval(sampler);
    const late = samples.filter((s) => s.t >= SECONDS / 2);
    const heapSlope = slope(late.map((s) => ({ t: s.t, value: s.heap }))) * 60;
    const rssSlope = slope(late.map((s) => ({ t: s.t, value: s.rss }))) * 60;
    const last = samples.at(-1)!;
    return [
      { measure: `sustained ${SECONDS} s: calls per second`, value: round(result.requests.average, 0), unit: 'req/s' },
      { measure: 'sustained: heap at the end', value: round(last.heap, 0), unit: 'MiB' },
      { measure: 'sustained: resident memory at the end', value: round(last.rss, 0), unit: 'MiB' },
      {
        measure: 'sustained: heap slope over the second half',
        value: round(heapSlope, 1),
        unit: 'MiB/min',
        goal: '≈ 0 (plateau)',
        met: Math.abs(heapSlope) < 5,
      },
      {
        measure: 'sustained: resident memory slope over the second half',
        value: round(rssSlope, 1),
        unit: 'MiB/min',
        goal: '≈ 0 (plateau)',
        met: Math.abs(rssSlope) < 10,
      },
    ];
  } finally {
    await Promise.all([relay.stop(), provider.stop()]);
  }
}
